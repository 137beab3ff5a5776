-- editorconfig.lua: a file's .editorconfig applied: indentation when it opens, a final newline when saved
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- On "buf-open", indent_style, indent_size and tab_width become the
-- buffer's indentation (buf:set_indent), over the user's settings: what
-- Tab inserts and how wide a tab is. On "buf-write-pre",
-- insert_final_newline = true adds a newline to a file that does not end
-- in one; false (or no .editorconfig) leaves the end as it is; end_of_line
-- (lf, crlf, cr) is the line ending the save writes, and charset (utf-8,
-- latin1, utf-16be, utf-16le) its encoding, as GNOME Text Editor does.
-- utf-8-bom is written as UTF-8 (no byte order mark: not yet).
-- trim_trailing_whitespace is the trim plugin's (trim_whitespace.lua).
-- Turn it all off with
--   smelt.editorconfig.enabled = false   (in init.lua)

local function width(value)
  local n = math.tointeger(tonumber(value))
  if n and n >= 1 and n <= 32 then return n end
  return nil
end

smelt.on("buf-open", function(ev)
  local buf = ev.buf
  local path = smelt.editorconfig.enabled and buf:valid() and buf:path()
  if not path then return end
  local props = smelt.editorconfig.get(path)
  if not buf:valid() then return end
  local indent = {}
  if props.indent_style == "tab" or props.indent_style == "space" then
    indent.style = props.indent_style
  end
  indent.tab_width = width(props.tab_width)
  indent.size = width(props.indent_size)   -- "tab": the tab width
  if next(indent) ~= nil then
    buf:set_indent(indent)
  end
end)

local CHARSET = { ["utf-8"] = "UTF-8", ["utf-8-bom"] = "UTF-8", latin1 = "ISO-8859-1",
                  ["utf-16be"] = "UTF-16BE", ["utf-16le"] = "UTF-16LE" }
local NEWLINE = { lf = "lf", crlf = "crlf", cr = "cr" }

smelt.on("buf-write-pre", function(ev)
  local buf = ev.buf
  local path = smelt.editorconfig.enabled and buf:path()
  if not path then return end
  local props = smelt.editorconfig.get(path)
  if not buf:valid() then return end
  if NEWLINE[props.end_of_line] then buf:set_newline(NEWLINE[props.end_of_line]) end
  if CHARSET[props.charset] and buf:encoding() ~= CHARSET[props.charset] then
    buf:set_encoding(CHARSET[props.charset])
  end
  if props.insert_final_newline ~= "true" then return end
  local n = buf:line_count()
  local last = buf:lines(n, n)[1]
  if last ~= "" then
    buf:insert(n, #last + 1, "\n")
  end
end)
