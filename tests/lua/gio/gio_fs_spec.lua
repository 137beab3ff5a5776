-- gio_fs_spec.lua: smelt.fs parks the task on GIO and reports errors by code
local t = require("testlib")
local fs = smelt.fs

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

local function sh(cmd)
  assert(os.execute(cmd))
end

t.test("write then read round-trips bytes exactly, NUL bytes included", function()
  local data = "a\0b\0\255\n" .. string.rep("\0", 1000)
  t.eq(fs.write(dir .. "/bin", data), true)
  t.eq(fs.read(dir .. "/bin"), data)
end)

t.test("a 50 MB file round-trips", function()
  local big = string.rep("0123456789abcdef", 50 * 1024 * 1024 // 16)
  t.eq(fs.write(dir .. "/big", big), true)
  local back = fs.read(dir .. "/big")
  t.eq(#back, #big)
  t.truthy(back == big)
  os.remove(dir .. "/big")
end)

t.test("errors come back as nil, message, code", function()
  local v, msg, code = fs.read(dir .. "/missing")
  t.eq(v, nil); t.contains(msg, "missing"); t.eq(code, "not-found")
  t.eq(select(3, fs.read(dir)), "is-directory")
  fs.write(dir .. "/plain", "x")
  t.eq(select(3, fs.read(dir .. "/plain/child")), "not-directory")
  t.eq(select(3, fs.write(dir .. "/no/such/dir/file", "x")), "not-found")
  t.eq(select(3, fs.stat(dir .. "/missing")), "not-found")
  t.eq(select(3, fs.list(dir .. "/missing")), "not-found")
  t.eq(select(3, fs.list(dir .. "/plain")), "not-directory")
end)

t.test("reading a character device or a FIFO is refused with the path, nothing aborts or hangs", function()
  local v, msg, code = fs.read("/dev/zero")
  t.eq(v, nil)
  t.contains(msg, "smelt.fs.read: /dev/zero: ")
  t.eq(code, "not-regular-file")
  local fifo = dir .. "/fifo"
  sh("mkfifo " .. fifo)
  v, msg, code = fs.read(fifo)   -- no writer: opening it would block for good
  t.eq(v, nil)
  t.contains(msg, "smelt.fs.read: " .. fifo .. ": ")
  t.eq(code, "not-regular-file")
  os.remove(fifo)
end)

t.test("read errors name the function and the path", function()
  local _, msg = fs.read(dir .. "/missing")
  t.contains(msg, "smelt.fs.read: " .. dir .. "/missing: ")
end)

t.test("permission-denied is reported (unless running as root)", function()
  fs.write(dir .. "/locked", "secret")
  sh("chmod 000 " .. dir .. "/locked")
  local v, msg, code = fs.read(dir .. "/locked")
  local root = io.popen("id -u"):read("l") == "0"
  if root then
    t.eq(v, "secret", "root reads through mode 000")
  else
    t.eq(code, "permission-denied")
  end
  local _, _, pcode = fs.write("/proc/version", "x")
  t.eq(type(pcode), "string", "writing into /proc fails with a code")
end)

t.test("write replaces atomically: a cancelled write leaves the old file whole", function()
  local path = dir .. "/atomic"
  fs.write(path, "old contents")
  local big = string.rep("n", 64 * 1024 * 1024)
  local v, err = smelt.task.timeout(1, function() return fs.write(path, big) end)
  t.eq(err, "timeout")
  smelt.sleep(100)
  t.eq(fs.read(path), "old contents")
  for _, e in ipairs(fs.list(dir)) do
    t.falsy(e.name:find("goutputstream", 1, true), "no temporary file left: " .. e.name)
  end
end)

t.test("write keeps the file's mode; backup keeps path~", function()
  local path = dir .. "/mode"
  fs.write(path, "one")
  sh("chmod 0640 " .. path)
  fs.write(path, "two", { backup = true })
  t.eq(fs.stat(path).mode, tonumber("640", 8))
  t.eq(fs.read(path), "two")
  t.eq(fs.read(path .. "~"), "one")
end)

t.test("stat gives type, size, mtime and mode", function()
  fs.write(dir .. "/s", "12345")
  local st = fs.stat(dir .. "/s")
  t.eq(st.type, "file"); t.eq(st.size, 5)
  t.truthy(math.abs(st.mtime - os.time()) < 60)
  t.eq(fs.stat(dir).type, "directory")
end)

t.test("list reads a 20,000-entry directory in batches without blocking the loop", function()
  local big = dir .. "/many"
  -- made by a process, not os.execute: blocking the loop would (rightly) trip the watchdog
  t.eq(smelt.process.run("sh", { "-c", "mkdir " .. big .. " && cd " .. big .. " && seq 1 20000 | xargs touch" }).code, 0)
  local ticks = 0
  local ticker = smelt.spawn(function() while true do ticks = ticks + 1; smelt.sleep(0) end end)
  local entries = fs.list(big)
  ticker:cancel()
  t.eq(#entries, 20000)
  t.truthy(ticks > 5, "other tasks ran while listing (" .. ticks .. " ticks)")
  local e = entries[1]
  t.eq(e.type, "file"); t.eq(e.size, 0); t.eq(type(e.name), "string"); t.eq(type(e.mtime), "number")
end, { timeout = 90000 })

t.test("watch reports created, changed and deleted files, recursively if asked", function()
  local wdir = dir .. "/watched"
  sh("mkdir -p " .. wdir .. "/sub")
  local events = {}
  local w = fs.watch(wdir, function(ev) events[#events + 1] = ev.kind .. ":" .. ev.path:match("[^/]+$") end,
    { recursive = true })
  local renames = {}
  local w2 = fs.watch(wdir, function(ev) if ev.kind == "renamed" then renames[#renames + 1] = ev.other_path end end)
  smelt.sleep(100)
  local function touch(p, text) local f = assert(io.open(p, "w")); f:write(text); f:close() end
  touch(wdir .. "/new.txt", "x")                  -- another program writes in place
  touch(wdir .. "/sub/deep.txt", "y")
  smelt.sleep(300)
  fs.write(wdir .. "/saved.txt", "z")             -- smelt's atomic write: a rename
  smelt.sleep(300)
  os.remove(wdir .. "/new.txt")
  smelt.sleep(300)
  w:remove(); w2:remove()
  touch(wdir .. "/after.txt", "z")
  smelt.sleep(300)
  local seen = table.concat(events, " ")
  t.contains(seen, "created:new.txt")
  t.contains(seen, "created:deep.txt")
  t.contains(seen, "deleted:new.txt")
  t.truthy(#renames >= 1 and renames[#renames]:match("saved%.txt$"), "atomic save seen as a rename to saved.txt")
  t.falsy(seen:find("after.txt", 1, true), "no events after remove: " .. seen)
end, { timeout = 20000 })

t.test("mkdir makes a folder and its parents; one that exists is fine; a file in the way is not", function()
  t.eq(fs.mkdir(dir .. "/m/a/b/c"), true)
  t.eq(fs.stat(dir .. "/m/a/b/c").type, "directory")
  t.eq(fs.mkdir(dir .. "/m/a/b/c"), true, "again: it exists")
  t.eq(fs.mkdir(dir .. "/m/a"), true, "a parent that exists")
  fs.write(dir .. "/m/file", "x")
  local ok, msg, code = fs.mkdir(dir .. "/m/file")
  t.eq(ok, nil, "a file of that name"); t.contains(msg, "file"); t.eq(code, "exists")
  t.eq(select(3, fs.mkdir(dir .. "/m/file/below")), "not-directory")
  t.raises("bad argument #1 to 'smelt.fs.mkdir' (path expected, got nil)", fs.mkdir)
end)

t.test("expand expands a leading ~ only", function()
  local home = os.getenv("HOME")
  t.eq(fs.expand("~"), home)
  t.eq(fs.expand("~/x/y"), home .. "/x/y")
  t.eq(fs.expand("/a/~/b"), "/a/~/b")
  t.eq(fs.expand("~other/x"), "~other/x")
end)

t.test("bad arguments and calls outside a task raise clear errors", function()
  t.raises("bad argument #1 to 'smelt.fs.read' (path expected, got nil)", fs.read)
  t.raises("bad argument #2 to 'smelt.fs.write' (string expected, got number)", fs.write, dir .. "/x", 5)
  t.raises("bad argument #2 to 'smelt.fs.watch' (function expected, got nil)", fs.watch, dir)
  local ok, err = pcall(table.sort, { 2, 1 }, function(a, b) fs.read(dir .. "/bin"); return a < b end)
  t.contains(err, "smelt.fs.read: must be called from inside a task (smelt.spawn)")
end)

t.test("a read cancelled by a race is cancelled; the winner's result stands", function()
  fs.write(dir .. "/r", string.rep("r", 1 << 20))
  local i, v = smelt.task.race(function() return fs.read(dir .. "/r") end, function() return "instant" end)
  t.eq(i, 2); t.eq(v, "instant")
  local r = smelt.task.all(function() return fs.read(dir .. "/bin") end, function() return fs.stat(dir .. "/r").size end)
  t.eq(r[2], 1 << 20)
  t.eq(#r[1], 1006)
end)

t.test("cleanup", function()
  smelt.process.run("rm", { "-rf", dir })
end)

t.run()
