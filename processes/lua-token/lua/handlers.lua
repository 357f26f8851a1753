-- A tiny handlers dispatcher (written for this fixture): handlers are tried in the order they
-- were added; the first whose pattern matches the message runs.
local handlers = { list = {} }

--- Adds a handler. pattern: an Action name, or a function(msg) -> boolean.
function handlers.add(name, pattern, fn)
  local match = pattern
  if type(pattern) == 'string' then
    match = function(msg) return msg.Action == pattern end
  end
  handlers.list[#handlers.list + 1] = { name = name, match = match, fn = fn }
end

--- Runs the first matching handler; returns true when one ran.
function handlers.evaluate(msg, env)
  for _, h in ipairs(handlers.list) do
    if h.match(msg, env) then
      h.fn(msg, env)
      return true
    end
  end
  return false
end

return handlers
