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
-- line the user typed meanwhile is never mistaken for another. Each chunk
-- is one undo step (buf:undo_group): a save's trim is one Ctrl+Z.

local CHUNK = 10000   -- lines read and trimmed between two yields

-- Trims the edited lines from next_line on, at most CHUNK of them, as one
-- undo step; returns the line to go on from, or nil when none is left.
local function trim_chunk(buf, ranges, next_line)
  local budget = CHUNK
  buf:undo_group(function()
    for _, r in ipairs(ranges) do
      local first, last = math.max(r[1], next_line), math.min(r[2], buf:line_count())
      if first <= last then
        last = math.min(last, first + budget - 1)
        for i, line in ipairs(buf:lines(first, last)) do
          local keep = line:find("[ \t]+$")
          if keep then
            -- only the white space goes: the cursor and marks on the line stay
            buf:set_text(first + i - 1, keep, first + i - 1, #line + 1, "")
          end
        end
        budget = budget - (last - first + 1)
        next_line = last + 1
        if budget <= 0 then return end
      end
    end
    next_line = nil
  end)
  return next_line
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
  -- a chunk at a time; the edited lines are asked for again after each
  -- yield, so a line the user typed meanwhile is never taken for another
  local next_line = trim_chunk(buf, buf:edited_lines(), 1)
  while next_line do
    smelt.sleep(0)   -- the window draws; the user may type meanwhile
    if not buf:valid() then return end
    next_line = trim_chunk(buf, buf:edited_lines(), next_line)
  end
end)
