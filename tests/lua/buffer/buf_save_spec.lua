-- buf_save_spec.lua: buf:save({ path, force }) returns true, or nil, a message naming the path, and a code
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")

local dir = t.tmpdir()

local function write(name, text)
  return t.write(dir, name, text)
end
local read = t.read

t.test("save to a new path writes there and keeps that path", function()
  local b = smelt.buf.create({ text = "untitled text\n" })
  local ok, msg, code = b:save()
  t.eq(ok, nil)
  t.eq(code, "no-file")
  t.contains(msg, "buffer:save")
  local p = dir .. "/saved-as.txt"
  t.eq(b:save({ path = p }), true)
  t.eq(read(p), "untitled text\n")
  t.eq(b:path(), p)
  t.eq(b:modified(), false)
  b:close()
end)

t.test("save onto another file that exists: 'exists', untouched; force writes", function()
  local other = write("other.txt", "keep me\n")
  local b = smelt.buf.create({ text = "mine\n" })
  local ok, msg, code = b:save({ path = other })
  t.eq(ok, nil)
  t.eq(code, "exists")
  t.contains(msg, other)
  t.eq(read(other), "keep me\n")
  t.eq(b:path(), nil, "the buffer keeps no path from a refused save")
  t.eq(b:save({ path = other, force = true }), true)
  t.eq(read(other), "mine\n")
  b:close()
end)

t.test("a folder that does not exist: 'not-found', the message names the path, the old path stays", function()
  local p = write("stay.txt", "s\n")
  local b = smelt.buf.open(p)
  b:insert(1, 1, "x")
  local target = dir .. "/no/such/dir/f.txt"
  local ok, msg, code = b:save({ path = target })
  t.eq(ok, nil)
  t.eq(code, "not-found")
  t.contains(msg, "buffer:save: " .. target)
  t.eq(b:path(), p)
  t.truthy(b:modified(), "a failed save leaves the buffer modified")
  b:close({ force = true })
end)

t.test("no permission: 'permission-denied'", function()
  if read("/proc/self/status"):match("Uid:%s+0%s") then
    -- root writes anywhere: a read-only file is refused for it too (read-only), not by permission
    local p = write("ro.txt", "ro\n")
    assert(os.execute("chmod 444 " .. p))
    local b = smelt.buf.open(p)
    b:insert(1, 1, "x")
    local ok, msg, code = b:save()
    t.eq(ok, nil)
    t.eq(code, "read-only")
    t.contains(msg, p)
    t.eq(read(p), "ro\n")
    b:close({ force = true })
    return
  end
  local d = dir .. "/locked"
  assert(os.execute("mkdir -p " .. d .. " && chmod 555 " .. d))
  local b = smelt.buf.create({ text = "x\n" })
  local ok, msg, code = b:save({ path = d .. "/f.txt" })
  t.eq(ok, nil)
  t.eq(code, "permission-denied")
  t.contains(msg, d .. "/f.txt")
  b:close({ force = true })
end)

t.test("a save while the text is still loading: 'loading', nothing written", function()
  local p = write("loading.txt", string.rep("line of text that loads\n", 300000))
  local before = read(p)
  local b
  smelt.timer.set(0, function() b = smelt.buf.open(p) end)   -- not a task: returns at once
  while b == nil do smelt.sleep(1) end
  t.eq(b:loaded(), false)
  local ok, msg, code = b:save()
  t.eq(ok, nil)
  t.eq(code, "loading")
  t.contains(msg, p)
  while not b:loaded() do smelt.sleep(10) end
  t.eq(read(p), before, "the file is whole")
  b:close({ force = true })
end)

t.test("a buf-write-pre handler that cancels: 'cancelled'", function()
  local p = write("cancel.txt", "c\n")
  local b = smelt.buf.open(p)
  b:insert(1, 1, "x")
  local h = smelt.on("buf-write-pre", function(ev) ev.cancel = true end)
  local ok, _, code = b:save()
  h:remove()
  t.eq(ok, nil)
  t.eq(code, "cancelled")
  t.eq(read(p), "c\n")
  b:close({ force = true })
end)

t.test("bad options raise naming the argument", function()
  local b = smelt.buf.create()
  t.raises("bad argument #1 to 'buffer:save' (table expected, got string)", b.save, b, "x")
  t.raises("bad argument #1 to 'buffer:save' (path: string expected, got number)", b.save, b, { path = 3 })
  b:close()
end)

t.test("a full disk: 'no-space', the path named, the file intact, the buffer still modified", function()
  local d = dir .. "/full"
  assert(os.execute("mkdir -p " .. d))
  local m = smelt.process.run("mount", { "-t", "tmpfs", "-o", "size=64k", "tmpfs", d })
  if m.code ~= 0 then
    print("# SKIP: cannot mount a small tmpfs: " .. m.stderr:gsub("\n", " "))
    return
  end
  local ok_all, err = pcall(function()
    local p = t.write(d, "f.txt", "original\n")
    local b = smelt.buf.open(p)
    smelt.process.run("dd", { "if=/dev/zero", "of=" .. d .. "/fill", "bs=4096" })   -- ENOSPC ends it
    b:set_text(string.rep("a line of text that will not fit\n", 4000))
    local ok, msg, code = b:save()
    t.eq(ok, nil)
    t.eq(code, "no-space")
    t.contains(msg, "buffer:save: " .. p)
    t.eq(read(p), "original\n", "the file as it was")
    t.truthy(b:modified(), "the buffer still holds unsaved changes")
    b:close({ force = true })
  end)
  smelt.process.run("umount", { d })
  if not ok_all then error(err, 0) end
end)

t.test("batch edits: smelt --no-ui fix.lua a.txt b.txt edits and saves both", function()
  local a, c = write("batch-a.txt", "foo bar\n"), write("batch-b.txt", "bar foo\n")
  local script = write("fix.lua", [[
for _, path in ipairs({ ... }) do
  local b = smelt.buf.open(path)
  b:set_text((b:text():gsub("foo", "baz")))
  assert(b:save())
  b:close()
end
]])
  local exe = assert(os.getenv("SMELT_EXE"), "SMELT_EXE names the smelt under test (tests/lua/meson.build)")
  local r = smelt.process.run(exe, { "--no-ui", script, a, c })
  t.eq(r.code, 0, r.stderr)
  t.eq(read(a), "baz bar\n")
  t.eq(read(c), "bar baz\n")
end)

t.run()
