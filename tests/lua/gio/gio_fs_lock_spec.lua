-- gio_fs_lock_spec.lua: smelt.fs.lock holds a file while the process lives; a killed holder lets go
local t = require("testlib")
local fs = smelt.fs

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

local function wait_for(pred, what)
  local deadline = smelt.now() + 10000
  while not pred() do
    assert(smelt.now() < deadline, "timed out waiting for " .. what)
    smelt.sleep(20)
  end
end

t.test("a lock is made with this process's id in it, held until released; a second one is refused", function()
  local path = dir .. "/a.lock"
  local lock, msg = fs.lock(path)
  t.truthy(lock, msg)
  t.eq(lock:held(), true)
  t.truthy((fs.read(path) or ""):match("^%d+\n$"), "the pid in the file")
  local again, message, code = fs.lock(path)
  t.eq(again, nil)
  t.eq(code, "busy")
  t.eq(message, "smelt.fs.lock: " .. path .. ": locked by another process")
  lock:release()
  t.eq(lock:held(), false)
  lock:release()   -- harmless twice
  local later = fs.lock(path)
  t.truthy(later, "free again once released")
  later:release(true)
  t.eq(fs.stat(path), nil, "release(true) removes the file")
end)

t.test("held by another process, the lock is busy; once that process is killed it can be taken", function()
  local path = dir .. "/b.lock"
  assert(fs.write(path, ""))
  local holder = assert(smelt.process.spawn("flock", { "--exclusive", "--no-fork", path, "sleep", "60" }))
  wait_for(function()
    local probe = fs.lock(path)
    if probe then probe:release() return false end
    return true
  end, "flock to hold the file")
  local _l, _m, code = fs.lock(path)
  t.eq(code, "busy")
  holder:kill(9)
  holder:wait()
  local lock = fs.lock(path)
  t.truthy(lock, "taken after the holder was killed")
  lock:release()
end)

t.test("a lock that is collected lets go; errors name the path", function()
  local path = dir .. "/c.lock"
  do fs.lock(path) end
  collectgarbage()
  collectgarbage()
  local lock = fs.lock(path)
  t.truthy(lock, "free after collection")
  lock:release()
  local none, message, code = fs.lock(dir .. "/missing/x.lock")
  t.eq(none, nil)
  t.eq(code, "not-found")
  t.contains(message, "smelt.fs.lock: " .. dir .. "/missing/x.lock: ")
  t.raises("bad argument #1 to 'smelt.fs.lock' (path expected, got nil)", fs.lock)
end)

t.test("cleanup", function()
  os.execute("rm -rf " .. dir)
end)

t.run()
