-- trim_whitespace.lua: removes trailing white space from the lines edited since the last save
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A bundled example: an event handler that edits the buffer in
-- "buf-write-pre", which saving waits for. Turn it off with
--   smelt.trim_whitespace = false   (in init.lua)
-- or for a project with trim_trailing_whitespace = false in its
-- .editorconfig (smelt.editorconfig).
--
-- Only the lines the user edited since the last save are touched
-- (buf:edited_lines()): white space that ends a line nobody edited is
-- content (a TSV field, a Markdown hard break, a diff's context line) and
-- stays. A file saved right after it loaded has nothing to trim, however
-- big. A big edited range (a whole 50 MB text pasted) is read a chunk at a
-- time with a yield between chunks (smelt.sleep(0)), so the window keeps
-- drawing; after each yield the edited lines are asked for again, so a
-- line the user typed meanwhile is never mistaken for another.

local CHUNK = 10000   -- lines read and rewritten between two yields

local function trimmed(line)
  return (line:gsub("[ \t]+$", ""))
end

-- Trims the lines a..b (all edited), as one edit for the lines that change.
local function trim_span(buf, a, b)
  local lines = buf:lines(a, b)
  local lo, hi
  for i, line in ipairs(lines) do
    local t = trimmed(line)
    if t ~= line then
      lines[i] = t
      lo = lo or i
      hi = i
    end
  end
  if lo then
    buf:set_lines(a + lo - 1, a + hi - 1, table.move(lines, lo, hi, 1, {}))
  end
end

smelt.on("buf-write-pre", function(ev)
  if smelt.trim_whitespace == false then
    return
  end
  local buf = ev.buf
  if #buf:edited_lines() == 0 then
    return
  end
  local path = buf:path()
  if path and smelt.editorconfig.enabled then
    local props = smelt.editorconfig.get(path)
    if props.trim_trailing_whitespace == "false" or not buf:valid() then
      return
    end
  end
  local ranges = buf:edited_lines()
  local next_line, budget, i = 1, CHUNK, 1
  while i <= #ranges do
    local first, last = math.max(ranges[i][1], next_line), math.min(ranges[i][2], buf:line_count())
    if first > last then
      i = i + 1
    else
      local b = math.min(last, first + budget - 1)
      trim_span(buf, first, b)
      next_line = b + 1
      budget = budget - (b - first + 1)
      if budget <= 0 then
        smelt.sleep(0)   -- the window draws; the user may type meanwhile
        if not buf:valid() then return end
        ranges, i, budget = buf:edited_lines(), 1, CHUNK
      end
    end
  end
end)
