-- The process entry (written for this fixture): decodes msg and env, runs the token's handlers
-- under pcall and serialises the outcome. An error raised by a handler becomes the response's
-- `Error`; whatever the handler changed before it stays changed (an evaluator rolls memory back).
local json = require('json')
local handlers = require('handlers')
local token = require('token')

local process = {}

local sent = 0 -- messages sent so far (Anchor counter)

local function firstTag(tags, name)
  if type(tags) ~= 'table' then return nil end
  for _, t in ipairs(tags) do
    if type(t) == 'table' and t.name == name then return t.value end
  end
  return nil
end

--- The outcome of one message being evaluated.
local function newOutcome()
  local outcome = { output = '', messages = {}, error = nil }
  --- Queues an outbox message to target with data; returns it, with :tag(name, value).
  function outcome.send(target, data)
    sent = sent + 1
    local m = json.object({ 'Target', 'Data', 'Anchor', 'Tags' }, {
      Target = target,
      Data = data,
      Anchor = ('%032d'):format(sent),
      Tags = json.array({}),
    })
    function m.tag(self, name, value)
      self.Tags[#self.Tags + 1] = json.object({ 'name', 'value' }, { name = name, value = value })
      return self
    end
    outcome.messages[#outcome.messages + 1] = m
    return m
  end
  return outcome
end

--- Evaluates one message: returns the response JSON (Output, Messages, Spawns, Assignments, Error?).
function process.handle(msgJson, envJson)
  local msg = json.decode(msgJson)
  local env = json.decode(envJson)
  msg.Action = firstTag(msg.Tags, 'Action')
  msg.tagValue = function(name) return firstTag(msg.Tags, name) end
  local outcome = newOutcome()
  local ok, err = pcall(function()
    if not handlers.evaluate(msg, { env = env, outcome = outcome, firstTag = firstTag }) then
      outcome.output = 'no handler for ' .. (msg.Action or '')
    end
  end)
  if not ok then outcome.error = tostring(err) end
  local response = json.object({ 'Output', 'Messages', 'Spawns', 'Assignments', 'Error' }, {
    Output = outcome.output,
    Messages = json.array(outcome.messages),
    Spawns = json.array({}),
    Assignments = json.array({}),
    Error = outcome.error,
  })
  return json.encode(response)
end

token.install(handlers)

return process
