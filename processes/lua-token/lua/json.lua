-- A small JSON codec (written for this fixture).
-- decode: objects become tables, arrays become sequences, null becomes json.null.
-- encode: strings, numbers, booleans, json.null, sequences (tables with `n` or array part) and
-- objects given as { __order = { keys... }, key = value } or plain tables (keys sorted).
local json = {}

json.null = setmetatable({}, { __tostring = function() return 'null' end })

local byte, sub, find, char, concat = string.byte, string.sub, string.find, string.char, table.concat

local function utf8char(cp)
  if cp < 0x80 then return char(cp) end
  if cp < 0x800 then return char(0xC0 | (cp >> 6), 0x80 | (cp & 0x3F)) end
  if cp < 0x10000 then return char(0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F)) end
  return char(0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F))
end

local escapes = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }

local function decodeError(pos, what) error(('JSON: %s at %d'):format(what, pos), 0) end

local function skip(s, pos)
  local _, e = find(s, '^[ \t\r\n]*', pos)
  return e + 1
end

local parseValue

local function parseString(s, pos)
  -- pos is at the opening quote
  local parts, i = {}, pos + 1
  while true do
    local a, b = find(s, '["\\]', i)
    if not a then decodeError(pos, 'unterminated string') end
    parts[#parts + 1] = sub(s, i, a - 1)
    if byte(s, a) == 34 then return concat(parts), a + 1 end
    local e = sub(s, a + 1, a + 1)
    if e == 'u' then
      local hex = sub(s, a + 2, a + 5)
      if not find(hex, '^%x%x%x%x$') then decodeError(a, 'bad unicode escape') end
      local cp, nexti = tonumber(hex, 16), a + 6
      if cp >= 0xD800 and cp <= 0xDBFF and sub(s, nexti, nexti + 1) == '\\u' then
        local low = tonumber(sub(s, nexti + 2, nexti + 5), 16)
        if low and low >= 0xDC00 and low <= 0xDFFF then
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
          nexti = nexti + 6
        end
      end
      parts[#parts + 1] = utf8char(cp)
      i = nexti
    else
      local c = escapes[e]
      if not c then decodeError(a, 'bad escape') end
      parts[#parts + 1] = c
      i = a + 2
    end
  end
end

function parseValue(s, pos)
  pos = skip(s, pos)
  local c = byte(s, pos)
  if c == 34 then return parseString(s, pos) end
  if c == 123 then -- {
    local obj = {}
    pos = skip(s, pos + 1)
    if byte(s, pos) == 125 then return obj, pos + 1 end
    while true do
      pos = skip(s, pos)
      if byte(s, pos) ~= 34 then decodeError(pos, 'expected a key') end
      local key
      key, pos = parseString(s, pos)
      pos = skip(s, pos)
      if byte(s, pos) ~= 58 then decodeError(pos, 'expected :') end
      obj[key], pos = parseValue(s, pos + 1)
      pos = skip(s, pos)
      local d = byte(s, pos)
      if d == 125 then return obj, pos + 1 end
      if d ~= 44 then decodeError(pos, 'expected , or }') end
      pos = pos + 1
    end
  end
  if c == 91 then -- [
    local arr, n = {}, 0
    pos = skip(s, pos + 1)
    if byte(s, pos) == 93 then return arr, pos + 1 end
    while true do
      n = n + 1
      arr[n], pos = parseValue(s, pos)
      pos = skip(s, pos)
      local d = byte(s, pos)
      if d == 93 then return arr, pos + 1 end
      if d ~= 44 then decodeError(pos, 'expected , or ]') end
      pos = pos + 1
    end
  end
  if sub(s, pos, pos + 3) == 'true' then return true, pos + 4 end
  if sub(s, pos, pos + 4) == 'false' then return false, pos + 5 end
  if sub(s, pos, pos + 3) == 'null' then return json.null, pos + 4 end
  local a, b = find(s, '^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
  if not a then decodeError(pos, 'unexpected character') end
  local num = tonumber(sub(s, a, b))
  if num == nil then decodeError(pos, 'bad number') end
  return num, b + 1
end

--- Parses a JSON text.
function json.decode(s)
  local value, pos = parseValue(s, 1)
  pos = skip(s, pos)
  if pos <= #s then decodeError(pos, 'trailing characters') end
  return value
end

local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == '\\' then return '\\\\' end
    if c == '\n' then return '\\n' end
    if c == '\r' then return '\\r' end
    if c == '\t' then return '\\t' end
    return ('\\u%04x'):format(byte(c))
  end) .. '"'
end
json.quote = quote

local encodeValue

local function encodeInto(v, out)
  local t = type(v)
  if t == 'string' then out[#out + 1] = quote(v)
  elseif t == 'number' then
    if math.type(v) == 'integer' then out[#out + 1] = tostring(v)
    elseif v ~= v or v == math.huge or v == -math.huge then out[#out + 1] = 'null'
    else out[#out + 1] = ('%.17g'):format(v) end
  elseif t == 'boolean' then out[#out + 1] = v and 'true' or 'false'
  elseif v == json.null or v == nil then out[#out + 1] = 'null'
  elseif t == 'table' then
    local mt = getmetatable(v)
    if mt and mt.__jsonarray or (v[1] ~= nil) or (next(v) == nil and mt and mt.__jsonarray) then
      out[#out + 1] = '['
      for i = 1, #v do
        if i > 1 then out[#out + 1] = ',' end
        encodeInto(v[i], out)
      end
      out[#out + 1] = ']'
    else
      local keys = v.__order
      if not keys then
        keys = {}
        for k in pairs(v) do keys[#keys + 1] = k end
        table.sort(keys)
      end
      out[#out + 1] = '{'
      local first = true
      for _, k in ipairs(keys) do
        local value = v[k]
        if value ~= nil then
          if not first then out[#out + 1] = ',' end
          first = false
          out[#out + 1] = quote(k)
          out[#out + 1] = ':'
          encodeInto(value, out)
        end
      end
      out[#out + 1] = '}'
    end
  else
    error('JSON: cannot encode a ' .. t, 0)
  end
end

--- Marks a table as a JSON array (so that an empty one encodes as []).
function json.array(t) return setmetatable(t or {}, { __jsonarray = true }) end

--- Marks a table as a JSON object whose keys are written in the given order.
function json.object(order, t)
  t = t or {}
  t.__order = order
  return t
end

--- Serialises a value.
function json.encode(v)
  local out = {}
  encodeInto(v, out)
  return concat(out)
end

return json
