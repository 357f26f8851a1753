-- Arbitrary-precision non-negative decimal integers kept as digit strings (written for this
-- fixture): "0" or digits without leading zeros.
local bigdec = {}

--- True when s is a valid quantity: only digits, at least one, not all zeros.
function bigdec.isQuantity(s)
  return type(s) == 'string' and s:find('^[0-9]+$') ~= nil and s:find('[1-9]') ~= nil
end

--- Strips leading zeros ("" and "000" become "0").
function bigdec.normalize(s)
  local n = s:gsub('^0+', '')
  if n == '' then return '0' end
  return n
end

--- -1, 0 or 1 as a < b, a == b, a > b (both normalised).
function bigdec.compare(a, b)
  if #a ~= #b then return #a < #b and -1 or 1 end
  if a == b then return 0 end
  return a < b and -1 or 1
end

--- a + b.
function bigdec.add(a, b)
  local out, carry = {}, 0
  local i, j = #a, #b
  while i > 0 or j > 0 or carry > 0 do
    local da = i > 0 and (a:byte(i) - 48) or 0
    local db = j > 0 and (b:byte(j) - 48) or 0
    local s = da + db + carry
    out[#out + 1] = s % 10
    carry = s // 10
    i, j = i - 1, j - 1
  end
  local digits = {}
  for k = #out, 1, -1 do digits[#digits + 1] = string.char(48 + out[k]) end
  return bigdec.normalize(table.concat(digits))
end

--- a - b, requiring a >= b.
function bigdec.subtract(a, b)
  assert(bigdec.compare(a, b) >= 0, 'bigdec.subtract: negative result')
  local out, borrow = {}, 0
  local i, j = #a, #b
  while i > 0 do
    local da = a:byte(i) - 48 - borrow
    local db = j > 0 and (b:byte(j) - 48) or 0
    if da < db then
      da = da + 10
      borrow = 1
    else
      borrow = 0
    end
    out[#out + 1] = da - db
    i, j = i - 1, j - 1
  end
  local digits = {}
  for k = #out, 1, -1 do digits[#digits + 1] = string.char(48 + out[k]) end
  return bigdec.normalize(table.concat(digits))
end

return bigdec
