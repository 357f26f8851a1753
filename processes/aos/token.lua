-- Holoscope's demo token for aos processes, written for Holoscope after the public ao token
-- specification: Info, Balance, Balances, Transfer (Debit-Notice and Credit-Notice, or a
-- Transfer-Error reply), Mint (the owner only), Total-Supply and Burn, plus Fail, which changes
-- state and then raises an error (the CU keeps the memory from before it). The process's owner
-- loads it with an Eval message; loading it again keeps the balances.
local bint = require('.bint')(256)
local json = require('json')

Token = Token or { Name = 'Holoscope aos Token', Ticker = 'HAT', Denomination = 12, Logo = '' }
Balances = Balances or { [Owner] = '1000000000000000000' }

local zero = bint(0)

local function amount(text, what)
  assert(type(text) == 'string' and text:match('^%d+$') ~= nil, what .. ' must be a whole number of units')
  local value = bint(text)
  assert(zero < value, what .. ' must be greater than 0')
  return value
end

local function balanceOf(account)
  return bint(Balances[account] or '0')
end

local function forwardedTags(msg, into)
  for name, value in pairs(msg.Tags) do
    if type(name) == 'string' and name:sub(1, 2) == 'X-' then into[name] = value end
  end
  return into
end

local function action(name)
  return Handlers.utils.hasMatchingTag('Action', name)
end

Handlers.add('holoscope-token-info', action('Info'), function(msg)
  msg.reply({ Name = Token.Name, Ticker = Token.Ticker, Logo = Token.Logo, Denomination = tostring(Token.Denomination) })
end)

Handlers.add('holoscope-token-balance', action('Balance'), function(msg)
  local account = msg.Tags.Recipient or msg.Tags.Target or msg.From
  local balance = tostring(balanceOf(account))
  msg.reply({ Balance = balance, Ticker = Token.Ticker, Account = account, Data = balance })
end)

Handlers.add('holoscope-token-balances', action('Balances'), function(msg)
  msg.reply({ Data = json.encode(Balances) })
end)

Handlers.add('holoscope-token-transfer', action('Transfer'), function(msg)
  assert(type(msg.Recipient) == 'string', 'Recipient is required')
  local quantity = amount(msg.Quantity, 'Quantity')
  local available = balanceOf(msg.From)
  if available < quantity then
    msg.reply({ Action = 'Transfer-Error', ['Message-Id'] = msg.Id, Error = 'Insufficient Balance!' })
    return
  end
  Balances[msg.From] = tostring(available - quantity)
  Balances[msg.Recipient] = tostring(balanceOf(msg.Recipient) + quantity)
  if msg.Cast then return end
  ao.send(forwardedTags(msg, {
    Target = msg.From, Action = 'Debit-Notice', Recipient = msg.Recipient, Quantity = msg.Quantity,
    Data = 'You transferred ' .. msg.Quantity .. ' to ' .. msg.Recipient,
  }))
  ao.send(forwardedTags(msg, {
    Target = msg.Recipient, Action = 'Credit-Notice', Sender = msg.From, Quantity = msg.Quantity,
    Data = 'You received ' .. msg.Quantity .. ' from ' .. msg.From,
  }))
end)

Handlers.add('holoscope-token-mint', action('Mint'), function(msg)
  assert(msg.From == Owner or msg.From == ao.id, 'Only the owner may mint')
  local quantity = amount(msg.Quantity, 'Quantity')
  Balances[msg.From] = tostring(balanceOf(msg.From) + quantity)
  msg.reply({ Data = 'Minted ' .. msg.Quantity })
end)

Handlers.add('holoscope-token-total-supply', action('Total-Supply'), function(msg)
  local total = zero
  for _, balance in pairs(Balances) do total = total + bint(balance) end
  msg.reply({ Action = 'Total-Supply', Data = tostring(total), Ticker = Token.Ticker })
end)

Handlers.add('holoscope-token-burn', action('Burn'), function(msg)
  local quantity = amount(msg.Quantity, 'Quantity')
  local available = balanceOf(msg.From)
  assert(not (available < quantity), 'Burn: quantity exceeds the balance')
  Balances[msg.From] = tostring(available - quantity)
  msg.reply({ Data = 'Burned ' .. msg.Quantity })
end)

Handlers.add('holoscope-token-fail', action('Fail'), function(msg)
  Balances[msg.From] = '0'
  error('Fail: this message fails after changing state')
end)

return 'Holoscope token loaded: ' .. Token.Ticker
