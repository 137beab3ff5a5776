-- trim_whitespace.lua: removes trailing white space from every line before a buffer is saved
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A bundled example: an event handler that edits the buffer in
-- "buf-write-pre", which saving waits for. Turn it off with
--   vim-style: smelt.trim_whitespace = false   (in init.lua)

smelt.on("buf-write-pre", function(ev)
  if smelt.trim_whitespace == false then
    return
  end
  local lines = ev.buf:lines()
  local changed = false
  for i, line in ipairs(lines) do
    local trimmed = line:gsub("[ \t]+$", "")
    if trimmed ~= line then
      lines[i] = trimmed
      changed = true
    end
  end
  if changed then
    ev.buf:set_lines(1, #lines, lines)
  end
end)
