-- Holoscope's demo for aos with SQLite: a guest book kept in an in-memory SQLite table.
-- Visit inserts a row (who, note, timestamp); Visits answers the count per visitor as JSON;
-- a Visit with an empty note is refused by the table's CHECK constraint (an Error). This aos
-- build is older than msg.reply, so answers go out with ao.send.
local sqlite3 = require('lsqlite3')
local json = require('json')

GuestBook = GuestBook or sqlite3.open_memory()
assert(GuestBook:exec([[
  CREATE TABLE IF NOT EXISTS visits (
    id INTEGER PRIMARY KEY,
    who TEXT NOT NULL,
    note TEXT NOT NULL CHECK (length(note) > 0),
    at INTEGER NOT NULL
  )
]]) == sqlite3.OK, GuestBook:errmsg())

Handlers.add('holoscope-visit', Handlers.utils.hasMatchingTag('Action', 'Visit'), function(msg)
  local insert = GuestBook:prepare('INSERT INTO visits (who, note, at) VALUES (?, ?, ?)')
  insert:bind_values(msg.From, msg.Data or '', msg.Timestamp)
  local status = insert:step()
  insert:finalize()
  assert(status == sqlite3.DONE, 'Visit refused: ' .. GuestBook:errmsg())
  ao.send({ Target = msg.From, Action = 'Visited', Data = 'visit ' .. tostring(GuestBook:last_insert_rowid()) })
end)

Handlers.add('holoscope-visits', Handlers.utils.hasMatchingTag('Action', 'Visits'), function(msg)
  local rows = {}
  for row in GuestBook:nrows('SELECT who, COUNT(*) AS visits FROM visits GROUP BY who ORDER BY who') do
    rows[#rows + 1] = { who = row.who, visits = row.visits }
  end
  ao.send({ Target = msg.From, Action = 'Visits', Data = json.encode(rows) })
end)

return 'Guest book ready'
