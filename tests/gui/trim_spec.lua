-- trim_spec.lua: trim on save touches only the lines typed since the last save, and follows .editorconfig
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh under Xvfb: smelt --test-script trim_spec.lua
local t = require("testlib")
t.default_timeout = 40000   -- a hang guard: real keys under AddressSanitizer on a shared machine

local gui = require("guitest")
local xdotool, type_into, wait_for = gui.xdotool, gui.type_into, gui.wait_for

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p '" .. dir .. "/keep' '" .. dir .. "/final' '" .. dir .. "/indent'"))

-- the folders' .editorconfig files (the temp folder is the root: nothing above counts)
assert(smelt.fs.write(dir .. "/.editorconfig", "root = true\n"))
assert(smelt.fs.write(dir .. "/keep/.editorconfig", "[*]\ntrim_trailing_whitespace = false\n"))
assert(smelt.fs.write(dir .. "/final/.editorconfig",
  "[yes.txt]\ninsert_final_newline = true\n[no.txt]\ninsert_final_newline = false\n"))
assert(smelt.fs.write(dir .. "/indent/.editorconfig",
  "[*.c]\nindent_style = tab\ntab_width = 8\n[*.py]\nindent_style = space\nindent_size = 2\n"))

-- Opens path and gives its text the keyboard, the cursor at line, col.
local function open_at(path, line, col)
  local b = smelt.buf.open(path)
  local win = gui.find_window("smelt")
  gui.focus(win)
  xdotool("mousemove", "--window", win, "300", "200")
  xdotool("click", "1")   -- into the text: the editor takes the focus
  smelt.sleep(100)
  b:set_cursor(line, col)
  return b
end

-- Types text with real keys, then saves with Ctrl+S; waits until the file
-- says want (a lost Ctrl+S is pressed again).
local function type_and_save(b, path, text, want)
  type_into("smelt", text, nil)
  wait_for(function() return b:modified() end, "the typed text in the buffer")
  for _ = 1, 3 do
    type_into("smelt", nil, "ctrl+s")
    if pcall(wait_for, function() return not b:modified() end, "", 10) then break end
  end
  local ok = pcall(wait_for, function() return smelt.fs.read(path) == want end, "", 10)
  t.truthy(ok, ("%s on disk: %q, not %q (the buffer: %q)"):format(path, tostring(smelt.fs.read(path)), want, b:text()))
end

t.test("a Markdown hard break on a line not typed on stays; the typed line is trimmed", function()
  local p = dir .. "/notes.md"
  assert(smelt.fs.write(p, "# Notes\nends in a hard break  \nso this is a new line\n\nlast\n"))
  local b = open_at(p, 5, 5)   -- the end of "last"
  type_and_save(b, p, " word   ", "# Notes\nends in a hard break  \nso this is a new line\n\nlast word\n")
  t.same(b:edited_lines(), {}, "saved: nothing edited since")
  b:close()
end)

t.test("a TSV line ending in an empty field stays; a line typed in another is trimmed", function()
  local p = dir .. "/table.tsv"
  assert(smelt.fs.write(p, "id\tname\tnote\n1\tone\t \n2\ttwo\t\n3\tthree\tx\n"))
  local b = open_at(p, 4, 10)   -- the end of "3\tthree\tx"
  type_and_save(b, p, "yz\t", "id\tname\tnote\n1\tone\t \n2\ttwo\t\n3\tthree\txyz\n")
  b:close()
end)

t.test("Enter after a hard break, then a new line typed: the hard break stays", function()
  local p = dir .. "/break.md"
  assert(smelt.fs.write(p, "line one  \n"))
  local b = open_at(p, 1, 11)   -- after the two spaces
  type_into("smelt", nil, "Return")
  type_and_save(b, p, "line two  ", "line one  \nline two\n")
  b:close()
end)

t.test("trim_trailing_whitespace = false in .editorconfig: even the typed line keeps its spaces", function()
  local p = dir .. "/keep/kept.txt"
  assert(smelt.fs.write(p, "untouched  \nedit me\n"))
  local b = open_at(p, 2, 8)
  type_and_save(b, p, " here  ", "untouched  \nedit me here  \n")
  b:close()
end)

t.test("insert_final_newline: true adds the missing newline; false and none leave the end", function()
  local yes, no, none = dir .. "/final/yes.txt", dir .. "/final/no.txt", dir .. "/none.txt"
  for _, p in ipairs({ yes, no, none }) do assert(smelt.fs.write(p, "no newline at the end")) end
  local b = open_at(yes, 1, 1)
  type_and_save(b, yes, "A ", "A no newline at the end\n")
  b:close()
  b = open_at(no, 1, 1)
  type_and_save(b, no, "B ", "B no newline at the end")
  b:close()
  b = open_at(none, 1, 1)
  type_and_save(b, none, "C ", "C no newline at the end")
  b:close()
end)

t.test("indent_style = tab or space (indent_size 2): what the Tab key types", function()
  local c, py = dir .. "/indent/tabs.c", dir .. "/indent/spaces.py"
  assert(smelt.fs.write(c, "x\n"))
  assert(smelt.fs.write(py, "x\n"))
  local b = open_at(c, 1, 1)
  wait_for(function() return b:indent().style == "tab" end, "the .editorconfig's indentation on the buffer")
  t.same(b:indent(), { style = "tab", size = 8, tab_width = 8 })
  type_into("smelt", nil, "Tab")
  wait_for(function() return b:text() == "\tx\n" end, "Tab to insert a tab (the text is " .. ("%q"):format(b:text()) .. ")")
  b:close({ force = true })
  b = open_at(py, 1, 1)
  wait_for(function() return b:indent().style == "space" end, "the .editorconfig's indentation on the buffer")
  t.same(b:indent(), { style = "space", size = 2, tab_width = 2 })
  type_into("smelt", nil, "Tab")
  wait_for(function() return b:text() == "  x\n" end, "Tab to insert two spaces (the text is " .. ("%q"):format(b:text()) .. ")")
  b:close({ force = true })
end)

t.test("buf:set_indent: fields kept when left out, given back to the settings with false; bad ones raise", function()
  local b = smelt.buf.current()
  b:set_indent({ style = "space", size = 3 })
  b:set_indent({ tab_width = 5 })
  t.same(b:indent(), { style = "space", size = 3, tab_width = 5 })
  b:set_indent({ style = false, size = false, tab_width = false })
  t.same(b:indent(), {})
  t.raises("size must be an integer from 1 to 32", b.set_indent, b, { size = 0 })
  t.raises([[style must be "tab", "space" or "unset", got "wide"]], b.set_indent, b, { style = "wide" })
  t.raises("table expected, got no value", b.set_indent, b)
end)

t.test("cleanup", function()
  smelt.process.run("rm", { "-rf", dir })
end)

t.run()
