-- The Holoscope test token (written for this fixture; behaviour: processes/README.md).
local bigdec = require('bigdec')
local json = require('json')

local token = {}

local MIB = 1024 * 1024

local state = {
  initialised = false,
  poisoned = false,
  owner = '',
  name = 'Holoscope Test Token',
  ticker = 'HTT',
  denomination = '12',
  totalSupply = '0',
  pings = 0, -- Ping messages received
  pongs = 0, -- Pong messages received
  balances = {},
  ballast = {},
  ballastBytes = 0,
}
token.state = state

local function balanceOf(account)
  return state.balances[account] or '0'
end

--- Keeps `bytes` more bytes of deterministic data alive, in strings of at most 1 MiB.
local function keep(bytes)
  while bytes > 0 do
    local n = math.min(bytes, MIB)
    local seed = state.ballastBytes
    -- a 64-byte block that depends on where it starts, repeated
    local unit = {}
    for i = 0, 63 do unit[#unit + 1] = string.char(((seed // 64 + i) * 31 + 7) % 256) end
    local block = string.rep(table.concat(unit), n // 64 + 1):sub(1, n)
    state.ballast[#state.ballast + 1] = block
    state.ballastBytes = state.ballastBytes + n
    bytes = bytes - n
  end
end

local function initialise(msg, ctx)
  local process = ctx.env.Process or {}
  local tags = process.Tags
  state.owner = process.Owner or ''
  state.name = ctx.firstTag(tags, 'Name') or state.name
  state.ticker = ctx.firstTag(tags, 'Ticker') or state.ticker
  state.denomination = ctx.firstTag(tags, 'Denomination') or state.denomination
  local supply = ctx.firstTag(tags, 'Initial-Supply')
  supply = supply and bigdec.normalize(supply) or '1000000000000000'
  state.balances[state.owner] = supply
  state.totalSupply = supply
  local mib = tonumber(ctx.firstTag(tags, 'Memory-Ballast') or '0') or 0
  for _ = 1, math.floor(mib) do keep(MIB) end
  state.initialised = true
  ctx.outcome.output = 'Token ' .. state.name .. ' initialised'
end

local function transferError(msg, ctx, err)
  ctx.outcome.send(msg.From, ''):tag('Action', 'Transfer-Error'):tag('Message-Id', msg.Id):tag('Error', err)
end

local function transfer(msg, ctx)
  local quantity = msg.tagValue('Quantity')
  local recipient = msg.tagValue('Recipient')
  if not bigdec.isQuantity(quantity) then return transferError(msg, ctx, 'Invalid Quantity') end
  local q = bigdec.normalize(quantity)
  local from = msg.From
  local fromBalance = balanceOf(from)
  if bigdec.compare(fromBalance, q) < 0 then return transferError(msg, ctx, 'Insufficient Balance!') end
  -- debit first, then check the recipient (on purpose: see processes/README.md)
  state.balances[from] = bigdec.subtract(fromBalance, q)
  if recipient == nil then error('Transfer: Recipient is required', 0) end
  state.balances[recipient] = bigdec.add(balanceOf(recipient), q)
  local debit = ctx.outcome.send(from, 'You transferred ' .. quantity .. ' to ' .. recipient)
    :tag('Action', 'Debit-Notice'):tag('Recipient', recipient):tag('Quantity', quantity)
  local credit = ctx.outcome.send(recipient, 'You received ' .. quantity .. ' from ' .. from)
    :tag('Action', 'Credit-Notice'):tag('Sender', from):tag('Quantity', quantity)
  for _, t in ipairs(msg.Tags or {}) do
    if type(t.name) == 'string' and t.name:sub(1, 2) == 'X-' then
      debit:tag(t.name, t.value)
      credit:tag(t.name, t.value)
    end
  end
end

local function mint(msg, ctx)
  local from = msg.From
  if from ~= state.owner then
    ctx.outcome.send(from, ''):tag('Action', 'Mint-Error'):tag('Error', 'Only the owner can mint')
    return
  end
  local quantity = msg.tagValue('Quantity')
  if not bigdec.isQuantity(quantity) then
    ctx.outcome.send(from, ''):tag('Action', 'Mint-Error'):tag('Error', 'Invalid Quantity')
    return
  end
  local q = bigdec.normalize(quantity)
  state.balances[state.owner] = bigdec.add(balanceOf(state.owner), q)
  state.totalSupply = bigdec.add(state.totalSupply, q)
  ctx.outcome.send(from, ''):tag('Action', 'Mint-Notice'):tag('Quantity', quantity)
end

local function burn(msg, ctx)
  local from = msg.From
  local quantity = msg.tagValue('Quantity')
  if not bigdec.isQuantity(quantity) then
    ctx.outcome.send(from, ''):tag('Action', 'Burn-Error'):tag('Error', 'Invalid Quantity')
    return
  end
  local q = bigdec.normalize(quantity)
  local fromBalance = balanceOf(from)
  if bigdec.compare(fromBalance, q) < 0 then
    ctx.outcome.send(from, ''):tag('Action', 'Burn-Error'):tag('Error', 'Insufficient Balance!')
    return
  end
  state.balances[from] = bigdec.subtract(fromBalance, q)
  state.totalSupply = bigdec.subtract(state.totalSupply, q)
  ctx.outcome.send(from, ''):tag('Action', 'Burn-Notice'):tag('Quantity', quantity)
end

--- A string field of the message, or '' when it is absent, null or not a string.
local function field(msg, name)
  local v = msg[name]
  if type(v) == 'string' then return v end
  return ''
end

local function sendPing(msg, ctx)
  local to = msg.tagValue('To')
  if to == nil then error('Send-Ping: To is required', 0) end
  ctx.outcome.send(to, field(msg, 'Data')):tag('Action', 'Ping'):tag('Ping-Id', field(msg, 'Id'))
end

local function ping(msg, ctx)
  state.pings = state.pings + 1
  local pingId = msg.tagValue('Ping-Id') or field(msg, 'Id')
  ctx.outcome.send(msg.From, field(msg, 'Data')):tag('Action', 'Pong'):tag('Ping-Id', pingId)
end

local function pong(msg, ctx)
  state.pongs = state.pongs + 1
  ctx.outcome.output = 'pong ' .. (msg.tagValue('Ping-Id') or '')
end

--- Registers the token's handlers.
function token.install(handlers)
  handlers.add('init', function(msg, ctx)
    local process = ctx.env.Process or {}
    return not state.initialised and msg.Id ~= nil and msg.Id == process.Id
  end, initialise)

  handlers.add('info', 'Info', function(msg, ctx)
    local m = ctx.outcome.send(msg.From, ''):tag('Action', 'Info-Response'):tag('Name', state.name)
      :tag('Ticker', state.ticker):tag('Denomination', state.denomination):tag('Total-Supply', state.totalSupply)
      :tag('Pings', tostring(state.pings)):tag('Pongs', tostring(state.pongs))
    if state.poisoned then m:tag('Poisoned', 'true') end
  end)

  handlers.add('balance', 'Balance', function(msg, ctx)
    local account = msg.tagValue('Target') or msg.tagValue('Recipient') or msg.From
    local balance = balanceOf(account)
    ctx.outcome.send(msg.From, balance):tag('Action', 'Balance-Response'):tag('Balance', balance)
      :tag('Ticker', state.ticker):tag('Account', account)
  end)

  handlers.add('balances', 'Balances', function(msg, ctx)
    local accounts = {}
    for account in pairs(state.balances) do accounts[#accounts + 1] = account end
    table.sort(accounts)
    local parts = {}
    for i, account in ipairs(accounts) do
      parts[i] = json.quote(account) .. ':' .. json.quote(state.balances[account])
    end
    ctx.outcome.send(msg.From, '{' .. table.concat(parts, ',') .. '}'):tag('Action', 'Balances-Response')
  end)

  handlers.add('total-supply', 'Total-Supply', function(msg, ctx)
    ctx.outcome.send(msg.From, state.totalSupply):tag('Action', 'Total-Supply-Response')
      :tag('Total-Supply', state.totalSupply)
  end)

  handlers.add('transfer', 'Transfer', transfer)
  handlers.add('mint', 'Mint', mint)
  handlers.add('burn', 'Burn', burn)
  handlers.add('send-ping', 'Send-Ping', sendPing)
  handlers.add('ping', 'Ping', ping)
  handlers.add('pong', 'Pong', pong)

  handlers.add('spin', 'Spin', function()
    local n = 0
    while true do n = n + 1 end
  end)

  handlers.add('trap', 'Trap', function()
    __trap()
  end)

  handlers.add('fail', 'Fail', function()
    state.poisoned = true
    error('Fail: requested', 0)
  end)

  handlers.add('grow', 'Grow', function(msg, ctx)
    local bytesTag = msg.tagValue('Bytes')
    local bytes = math.floor(tonumber(bytesTag or '0') or 0)
    if bytes > 0 then keep(bytes) end
    ctx.outcome.output = 'grew ' .. (bytesTag or '0')
  end)
end

return token
