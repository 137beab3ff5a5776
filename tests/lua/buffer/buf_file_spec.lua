-- buf_file_spec.lua: a buffer's file with --no-ui: another program's change at save, encodings, line ends
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")

local dir = t.tmpdir()

local function write(name, text)
  return t.write(dir, name, text)
end
local read = t.read

-- another program writes path, with a modification time surely not smelt's
local function write_as_another_program(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  assert(os.execute(("touch -d @1000000000 '%s'"):format(path)))
end

t.test("a save over another program's change: nil, message, 'changed-on-disk'; force writes", function()
  local p = write("shared.txt", "ours\n")
  local b = smelt.buf.open(p)
  b:insert(1, 1, "typed ")
  write_as_another_program(p, "theirs\n")
  local ok, msg, code = b:save()
  t.eq(ok, nil)
  t.eq(code, "changed-on-disk")
  t.eq(msg, "buffer:save: " .. p .. " changed on disk since it was read; a forced save writes over it")
  t.eq(read(p), "theirs\n")
  t.truthy(b:modified())
  t.eq(b:save({ force = true }), true)
  t.eq(read(p), "typed ours\n")
  b:insert(1, 1, "again ")
  t.eq(b:save(), true, "smelt's own save is no change")
  b:close()
end)

t.test("smelt.buf.open(path, { encoding }) reads Latin-1; a save keeps it; buf:set_encoding", function()
  local bytes = "hello\nGr\xfc\xdf \xa4\n"
  local p = write("latin1.txt", bytes)
  local ok, err = pcall(smelt.buf.open, p)
  t.falsy(ok, "detected, it is not text")
  t.contains(err, "could not open " .. p .. ": it is not text in a known encoding")
  t.contains(err, ":e ++enc=latin1 " .. p)
  local b = smelt.buf.open(p, { encoding = "latin1" })
  t.eq(b:text(), "hello\nGrüß ¤\n")
  t.eq(b:encoding(), "ISO-8859-1")
  b:insert(1, 1, "à ")
  t.eq(b:save(), true)
  t.eq(read(p), "\xe0 " .. bytes, "Latin-1 bytes")
  b:insert(2, 1, "\u{2603} ")
  local saved, msg, code = b:save()
  t.eq(saved, nil)
  t.eq(code, "encoding")
  t.contains(msg, p .. ": line 2 has “\u{2603}” (U+2603), which ISO-8859-1 cannot hold")
  t.eq(read(p), "\xe0 " .. bytes, "nothing written")
  b:set_encoding("utf-8")
  t.eq(b:encoding(), "UTF-8")
  t.eq(b:save(), true)
  t.eq(read(p), "à hello\n\u{2603} Grüß ¤\n")
  t.eq(select(2, pcall(b.set_encoding, b, "klingon")), "bad argument #1 to 'buffer:set_encoding' (unknown encoding 'klingon')")
  t.contains(select(2, pcall(smelt.buf.open, p, { encoding = "klingon" })), "unknown encoding 'klingon'")
  b:close()
end)

t.test("line ends: a CR-LF file stays CR-LF; set_newline; a mixed file is announced and saved as one kind", function()
  local p = write("dos.txt", "one\r\ntwo\r\n")
  local b = smelt.buf.open(p)
  t.eq(select(1, b:newline()), "crlf")
  t.eq(select(2, b:newline()), false)
  b:set_lines(3, 2, { "three" })
  t.eq(b:save(), true)
  t.eq(read(p), "one\r\ntwo\r\nthree\r\n")
  b:set_newline("lf")
  t.eq(b:newline(), "lf")
  t.eq(b:save(), true)
  t.eq(read(p), "one\ntwo\nthree\n")
  t.contains(select(2, pcall(b.set_newline, b, "crcr")), "\"lf\", \"crlf\" or \"cr\" expected")
  b:close()

  local notices = {}
  local real_notify = smelt.notify
  smelt.notify = function(msg, level) notices[#notices + 1] = msg; return real_notify(msg, level) end
  local m = write("mixed.txt", "a\nb\r\nc\n")
  local ok, mb = pcall(smelt.buf.open, m)
  -- the buf-open handlers run as tasks: wait for them (a hang guard only)
  for _ = 1, 500 do
    if #notices > 0 then break end
    smelt.sleep(10)
  end
  smelt.notify = real_notify
  assert(ok, mb)
  t.eq(select(1, mb:newline()), "lf")
  t.eq(select(2, mb:newline()), true)
  t.contains(table.concat(notices, "\n"), "mixed.txt has mixed line endings; saving writes them all as LF")
  mb:insert(1, 1, "x")
  t.eq(mb:save(), true)
  t.eq(read(m), "xa\nb\nc\n")
  t.eq(select(2, mb:newline()), false)
  mb:close()
end)

t.test("cleanup", function()
  os.execute("rm -rf " .. dir)
end)

t.run()
