-- buf_edited_spec.lua: buf:edited_lines, trim on save of edited lines only, .editorconfig on open and save (--no-ui)
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir .. "/keep " .. dir .. "/final " .. dir .. "/indent " .. dir .. "/ends"))

local function write(name, text)
  local path = dir .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- the temp folder is the root: no .editorconfig above it counts
write(".editorconfig", "root = true\n")
write("keep/.editorconfig", "[*]\ntrim_trailing_whitespace = false\n")
write("final/.editorconfig", "[yes.txt]\ninsert_final_newline = true\n[no.txt]\ninsert_final_newline = false\n")
write("indent/.editorconfig", "[*.py]\nindent_style = space\nindent_size = 4\n[*.go]\nindent_style = tab\n")
write("ends/.editorconfig", "[*.bat]\nend_of_line = crlf\n[*.lat]\ncharset = latin1\n")

-- the buf-open handlers (the .editorconfig plugin) have run
local function open(path)
  local b = smelt.buf.open(path)
  smelt.sleep(100)
  return b
end

t.test("edited_lines: nothing after a load; edits as 1-based ranges; a save clears them", function()
  local b = open(write("ranges.txt", "a\nb\nc\nd\ne\n"))
  t.same(b:edited_lines(), {})
  b:insert(2, 1, "x")
  b:insert(4, 2, "y")
  t.same(b:edited_lines(), { { 2, 2 }, { 4, 4 } })
  b:insert(3, 1, "z")
  t.same(b:edited_lines(), { { 2, 4 } })
  b:set_lines(1, 0, { "new first" })   -- a line put in before line 1
  t.same(b:edited_lines(), { { 1, 1 }, { 3, 5 } })
  t.eq(b:save(), true)
  t.same(b:edited_lines(), {})
  b:set_text("all\nnew\n")
  t.same(b:edited_lines(), { { 1, 2 } })
  b:close({ force = true })
end)

t.test("a failed save keeps the edited lines; a reload forgets them", function()
  local p = write("failing.txt", "one\ntwo\n")
  local b = open(p)
  b:insert(2, 1, "2")
  local ok, _, code = b:save({ path = dir .. "/no/such/folder/x.txt" })
  t.eq(ok, nil)
  t.eq(code, "not-found")
  t.same(b:edited_lines(), { { 2, 2 } })
  b:reload()
  t.same(b:edited_lines(), {})
  b:close({ force = true })
end)

t.test("trim on save: only edited lines lose their trailing white space", function()
  local p = write("data.tsv", "id\tnote\t\n1\t \nhard break  \nlast\n")
  local b = open(p)
  b:insert(4, 5, " \t ")
  b:insert(2, 1, "0")
  t.eq(b:save(), true)
  t.eq(read(p), "id\tnote\t\n01\nhard break  \nlast\n")
  b:close()
end)

t.test("trim on save: one undo step over separate ranges; the cursor stays where it was", function()
  local p = write("undo.txt", "one\ntwo\nthree\nfour\n")
  local b = open(p)
  b:insert(1, 4, "  ")
  b:insert(3, 6, "\t")
  b:set_cursor(3, 3)
  t.eq(b:save(), true)
  t.eq(read(p), "one\ntwo\nthree\nfour\n")
  t.same({ b:cursor() }, { 3, 3 })
  t.eq(b:undo(), true)
  t.eq(b:text(), "one  \ntwo\nthree\t\nfour\n", "one Ctrl+Z puts back all the trim took")
  b:close({ force = true })
end)

t.test("trim_trailing_whitespace = false: even edited lines keep it", function()
  local p = write("keep/kept.txt", "x\n")
  local b = open(p)
  b:insert(1, 2, "  ")
  t.eq(b:save(), true)
  t.eq(read(p), "x  \n")
  b:close()
end)

t.test("insert_final_newline = true adds a missing one; false and none leave the end", function()
  for name, want in pairs({ ["final/yes.txt"] = "edited end\n", ["final/no.txt"] = "edited end",
                            ["none.txt"] = "edited end" }) do
    local p = write(name, "end")
    local b = open(p)
    b:insert(1, 1, "edited ")
    t.eq(b:save(), true)
    t.eq(read(p), want, name)
    b:close()
  end
end)

t.test("indent_style and indent_size set the buffer's indentation when it opens", function()
  local py = open(write("indent/a.py", "pass\n"))
  t.same(py:indent(), { style = "space", size = 4, tab_width = 4 })
  local go = open(write("indent/a.go", "package a\n"))
  t.same(go:indent(), { style = "tab" })
  local txt = open(write("indent/a.txt", "text\n"))
  t.same(txt:indent(), {})
  py:close(); go:close(); txt:close()
end)

t.test("end_of_line and charset: what the save writes", function()
  local bat = write("ends/run.bat", "echo a\necho b\n")
  local b = open(bat)
  b:insert(1, 1, "@")
  t.eq(b:save(), true)
  t.eq(read(bat), "@echo a\r\necho b\r\n", "CR-LF, as end_of_line = crlf says")
  t.eq(b:newline(), "crlf")
  b:close()
  local lat = write("ends/notes.lat", "plain\n")
  local l = open(lat)
  l:set_text("caf\u{e9}\n")
  t.eq(l:save(), true)
  t.eq(read(lat), "caf\xe9\n", "é as one Latin-1 byte, as charset = latin1 says")
  l:close()
end)

t.test("cleanup", function()
  os.execute("rm -rf " .. dir)
end)

t.run()
