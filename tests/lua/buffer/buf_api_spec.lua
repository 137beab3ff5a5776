-- buf_api_spec.lua: smelt.buf with --no-ui: open, create, ids, the same value for the same buffer, current, list, close
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")

local dir = t.tmpdir()

local function write(name, text)
  return t.write(dir, name, text)
end
local read = t.read

-- closes every buffer a case left open
local function close_all()
  for _, b in ipairs(smelt.buf.list()) do b:close({ force = true }) end
end

t.test("smelt.buf.open inside a task parks until the text is in", function()
  close_all()
  local p = write("a.txt", "one\ntwo\n")
  local b = smelt.buf.open(p)
  t.truthy(b:loaded())
  t.eq(b:text(), "one\ntwo\n")
  t.eq(b:path(), p)
  t.eq(b:name(), "a.txt")
  t.eq(b:modified(), false)
  t.eq(b:filetype(), nil)
  close_all()
end)

t.test("outside a task smelt.buf.open returns at once; buf:loaded() says when the text is in", function()
  close_all()
  local p = write("big.txt", string.rep("a line of text\n", 200000))
  local b
  smelt.timer.set(0, function() b = smelt.buf.open(p) end)   -- a timer callback is not a task
  while b == nil do smelt.sleep(1) end
  t.eq(b:loaded(), false, "not in yet")
  local waited = 0
  while not b:loaded() and waited < 20000 do smelt.sleep(10); waited = waited + 10 end
  t.truthy(b:loaded())
  t.eq(b:line_count(), 200001)
  close_all()
end)

t.test("buf-open fires once the text is in, with the buffer", function()
  close_all()
  local p = write("ev.lua", "return 1\n")
  local seen = {}
  local h = smelt.on("buf-open", function(ev) seen[#seen + 1] = { ev.buf, ev.buf:text() } end)
  local b = smelt.buf.open(p)
  smelt.sleep(0)
  h:remove()
  t.eq(#seen, 1)
  t.truthy(seen[1][1] == b, "the same buffer value")
  t.eq(seen[1][2], "return 1\n")
  t.eq(b:filetype(), "lua", "highlighting language from the name, with no window")
  close_all()
end)

t.test("a file already open is not opened twice", function()
  close_all()
  local p = write("twice.txt", "x\n")
  local a = smelt.buf.open(p)
  local b = smelt.buf.open(p)
  t.truthy(a == b)
  t.eq(rawequal(a, b), true, "the very same userdata")
  t.eq(#smelt.buf.list(), 1)
  close_all()
end)

t.test("a file that does not exist opens as an empty buffer for it; a folder raises naming it", function()
  close_all()
  local b = smelt.buf.open(dir .. "/new.txt")
  t.eq(b:text(), "")
  t.eq(b:path(), dir .. "/new.txt")
  local ok, err = pcall(smelt.buf.open, dir)
  t.eq(ok, false)
  t.contains(tostring(err), "smelt.buf.open")
  t.contains(tostring(err), dir)
  t.eq(#smelt.buf.list(), 1, "the folder left no buffer behind")
  close_all()
end)

t.test("smelt.buf.create: a name, a text, unmodified; scratch never asks to be saved", function()
  close_all()
  local b = smelt.buf.create({ name = "notes", text = "hello\n" })
  t.eq(b:name(), "notes")
  t.eq(b:text(), "hello\n")
  t.eq(b:modified(), false)
  t.eq(b:path(), nil)
  b:insert(1, 1, "x")
  t.raises("unsaved changes", b.close, b)
  local s = smelt.buf.create({ scratch = true })
  s:set_text("scratch text")
  s:close()   -- no force needed
  t.eq(s:valid(), false)
  t.raises("bad argument #1 to 'smelt.buf.create' (text: string expected, got number)", smelt.buf.create, { text = 1 })
  t.raises("table expected", smelt.buf.create, "x")
  close_all()
end)

t.test("buf.id is stable, smelt.buf.get finds the buffer, buffers work as table keys", function()
  close_all()
  local a = smelt.buf.create({ text = "a" })
  local b = smelt.buf.create({ text = "b" })
  t.truthy(a.id ~= b.id)
  t.eq(math.type(a.id), "integer")
  t.truthy(smelt.buf.get(a.id) == a)
  local marks = { [a] = "A", [b] = "B" }
  t.eq(marks[smelt.buf.get(b.id)], "B")
  for _, buf in ipairs(smelt.buf.list()) do t.truthy(marks[buf] ~= nil, "listed buffers are the same keys") end
  local id = a.id
  a:close({ force = true })
  t.eq(a.id, id, "a closed buffer keeps its id")
  t.eq(smelt.buf.get(id), nil)
  t.eq(smelt.buf.get(123456), nil)
  t.raises("bad argument #1 to 'smelt.buf.get' (buffer id expected, got string)", smelt.buf.get, "1")
  t.raises("the buffer was closed", a.text, a)
  close_all()
end)

t.test("current is the buffer opened, created or set last; list holds them all", function()
  close_all()
  local p = write("cur.txt", "c\n")
  t.eq(smelt.buf.current(), nil, "no buffer yet")
  local a = smelt.buf.create({ name = "first" })
  t.truthy(smelt.buf.current() == a)
  local b = smelt.buf.open(p)
  t.truthy(smelt.buf.current() == b)
  smelt.buf.set_current(a)
  t.truthy(smelt.buf.current() == a)
  t.eq(#smelt.buf.list(), 2)
  a:close()
  t.truthy(smelt.buf.current() == b, "closing the current one makes another current")
  close_all()
  t.eq(smelt.buf.current(), nil)
end)

t.test("buf:close emits buf-close with the path; a closed buffer is not valid", function()
  close_all()
  local p = write("closing.txt", "z\n")
  local b = smelt.buf.open(p)
  local seen
  local h = smelt.on("buf-close", function(ev) seen = ev.path end)
  b:close()
  smelt.sleep(0)
  h:remove()
  t.eq(seen, p)
  t.eq(b:valid(), false)
  t.raises("buffer:close: the buffer was closed", b.close, b)
end)

t.test("edits and a save with no window: the file holds the new text", function()
  close_all()
  local p = write("edit.txt", "alpha\nbeta\n")
  local b = smelt.buf.open(p)
  b:set_lines(2, 2, { "BETA" })
  t.truthy(b:modified())
  t.eq(b:save(), true)
  t.eq(b:modified(), false)
  t.eq(read(p), "alpha\nBETA\n")
  close_all()
end)

t.run()
