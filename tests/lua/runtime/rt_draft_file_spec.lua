-- rt_draft_file_spec.lua: the drafts folder's files: a draft's header and text, names, which are orphans
local t = require("testlib")

local runtime = smelt.runtimepath()[#smelt.runtimepath()]
local draft_file = assert(loadfile(runtime .. "/smelt/draft_file.lua", "t"))(smelt)

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

t.test("a header and a text round-trip, any path included", function()
  local h = { path = "/tmp/odd\nname 100%\r.txt", name = "odd name", mtime = 1764770000.123456, size = 42,
              line = 3, col = 7 }
  local text = "line one\n\nsmelt draft 1\npath=/not/a/header\n"
  local back, body = draft_file.decode(draft_file.encode(h) .. text)
  t.eq(body, text)
  t.eq(back.path, h.path)
  t.eq(back.name, h.name)
  t.eq(back.size, 42)
  t.eq(back.line, 3)
  t.eq(back.col, 7)
  t.truthy(math.abs(back.mtime - h.mtime) < 1e-6)
  t.eq(draft_file.encode(h):match("^[^\n]*\n[^\n]*\n"), "smelt draft 1\npath=/tmp/odd%0Aname 100%25%0D.txt\n",
    "one line a value")
end)

t.test("an untitled buffer's draft has no path; an empty text is a text", function()
  local h, text = draft_file.decode(draft_file.encode({ name = "untitled", line = 1, col = 1 }))
  t.eq(h.path, nil)
  t.eq(h.mtime, nil)
  t.eq(h.name, "untitled")
  t.eq(text, "")
end)

t.test("what is not a draft is refused", function()
  t.eq(select(2, draft_file.decode("hello\n")), "not a smelt draft")
  t.eq(select(2, draft_file.decode("smelt draft 1\npath=/a")), "the header does not end")
end)

t.test("changed on disk: a different size or mtime, a file gone or made since", function()
  local h = { path = "/a", mtime = 100.5, size = 10 }
  t.eq(draft_file.changed_on_disk(h, { type = "file", mtime = 100.5, size = 10 }), false)
  t.eq(draft_file.changed_on_disk(h, { type = "file", mtime = 100.5, size = 11 }), true)
  t.eq(draft_file.changed_on_disk(h, { type = "file", mtime = 101.5, size = 10 }), true)
  t.eq(draft_file.changed_on_disk(h, nil), true, "deleted since")
  t.eq(draft_file.changed_on_disk({ path = "/a" }, nil), false, "still not there")
  t.eq(draft_file.changed_on_disk({ path = "/a" }, { type = "file", mtime = 1, size = 0 }), true, "made since")
  t.eq(draft_file.changed_on_disk({ name = "untitled" }, nil), false)
end)

t.test("names: by instance and buffer; temporaries and locks belong to their instance", function()
  t.eq(draft_file.draft_name("0a1b2c3d", 4), "0a1b2c3d-4.draft")
  t.eq(draft_file.instance_of("0a1b2c3d-4.draft"), "0a1b2c3d")
  t.eq(draft_file.instance_of("0a1b2c3d.lock"), "0a1b2c3d")
  t.eq(draft_file.instance_of(".0a1b2c3d-4.draft.smelt-Ab12Cd"), "0a1b2c3d")
  t.eq(draft_file.instance_of("discarded"), nil)
  t.eq(draft_file.instance_of("notes.txt"), nil)
end)

t.test("orphans: the instances whose lock can be taken, not a live one's, not mine", function()
  local function touch(name) assert(smelt.fs.write(dir .. "/" .. name, "x")) end
  local mine, my_lock = draft_file.new_instance(dir)
  t.truthy(mine, my_lock)
  local live, live_lock = draft_file.new_instance(dir)   -- another smelt, running
  t.truthy(live ~= mine)
  touch(mine .. "-1.draft")
  touch(live .. "-1.draft")
  touch("0000dead-10.draft")   -- a smelt killed: its lock file is there, nobody holds it
  touch("0000dead-2.draft")
  touch("0000dead.lock")
  touch(".0000dead-3.draft.smelt-Xy12ab")
  touch("0000beef-1.draft")    -- no lock file at all
  local found = draft_file.orphans(dir, mine)
  table.sort(found, function(x, y) return x.instance < y.instance end)
  t.eq(#found, 2)
  t.eq(found[1].instance, "0000beef")
  t.same(found[1].drafts, { "0000beef-1.draft" })
  t.eq(found[2].instance, "0000dead")
  t.same(found[2].drafts, { "0000dead-2.draft", "0000dead-10.draft" }, "in the order they were made")
  table.sort(found[2].others)
  t.same(found[2].others, { ".0000dead-3.draft.smelt-Xy12ab", "0000dead.lock" })
  -- held while the caller restores: a third smelt finds no orphan there
  t.eq(#draft_file.orphans(dir, "ffffffff"), 0, "a third smelt finds none: each is held, by its smelt or by the restorer")
  for _i, o in ipairs(found) do o.lock:release(true) end
  live_lock:release()
  local now = draft_file.orphans(dir, mine)
  t.eq(#now, 3, "the two orphans again, and the smelt that quit")
  for _i, o in ipairs(now) do o.lock:release() end
  my_lock:release()
end)

t.test("cleanup", function()
  os.execute("rm -rf " .. dir)
end)

t.run()
