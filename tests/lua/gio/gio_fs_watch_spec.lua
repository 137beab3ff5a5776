-- gio_fs_watch_spec.lua: a recursive smelt.fs.watch walks its tree off the caller's back, completely, and stops cleanly
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local fs = smelt.fs

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

-- a shell command through smelt.process, so the loop (and the walk) runs meanwhile
local function sh(cmd)
  local r = assert(smelt.process.run("sh", { "-c", cmd }))
  if r.code ~= 0 then
    error(("`%s` failed (%s): %s"):format(cmd, tostring(r.code), r.stderr), 2)
  end
  return r.stdout
end

-- a fresh folder holding top x sub folders
local function tree(name, top, sub)
  local d = dir .. "/" .. name
  sh(("rm -rf %s && mkdir -p %s && cd %s && for i in $(seq %d); do for j in $(seq %d); do echo t$i/s$j; done; done | xargs mkdir -p")
    :format(d, d, d, top, sub))
  return d
end

-- polls cond every 20 ms until it holds; fails after ms
local function wait_until(cond, what, ms)
  local deadline = smelt.now() + (ms or 5000)
  while not cond() do
    if smelt.now() > deadline then
      error("timed out waiting for " .. what, 2)
    end
    smelt.sleep(20)
  end
end

-- a wait_until condition: makes a new file in folder and holds once its
-- "created" event is in created (the folder may not be watched yet at the
-- first tries; each try's file is new, so it is created, not changed)
local function probe(created, folder)
  local n = 0
  return function()
    for i = 1, n do
      if created[("%s/probe%d"):format(folder, i)] then return true end
    end
    n = n + 1
    sh(("touch %s/probe%d"):format(folder, n))
    return false
  end
end

-- the inotify watches this process holds (GLib's monitors are inotify watches here)
local function inotify_watches()
  local n = 0
  for _, e in ipairs(assert(fs.list("/proc/self/fd"))) do
    for _ in (fs.read("/proc/self/fdinfo/" .. e.name) or ""):gmatch("inotify wd:") do n = n + 1 end
  end
  return n
end

-- the folders under d (d included), from find
local function folders(d)
  local list = {}
  for line in sh("find " .. d .. " -type d"):gmatch("[^\n]+") do list[#list + 1] = line end
  return list
end

t.test("a recursive watch returns before its walk ends and watches every folder, made before or during the walk", function()
  local d = tree("complete", 20, 25)   -- 521 folders
  local base = inotify_watches()
  local created = {}
  local w = fs.watch(d, function(ev)
    if ev.kind == "created" then created[ev.path] = (created[ev.path] or 0) + 1 end
  end, { recursive = true })
  t.eq(w:status(), "walking", "the call returned with the walk under way")
  -- made while the walk runs: in folders walked already, and in folders not walked yet
  sh(("mkdir -p %s/late/a/b %s/t1/late %s/t20/s25/late"):format(d, d, d))
  t.eq(w:ready(), true)
  t.eq(w:status(), "watching")
  t.eq(w:ready(), true, "ready again: at once")

  -- a folder made now is walked as it comes
  sh(("mkdir -p %s/after/x/y"):format(d))
  wait_until(probe(created, d .. "/after/x/y"), "after/x/y to be watched")

  -- a file in every folder: each seen created exactly once (one monitor per folder)
  local all = folders(d)
  t.eq(#all, 521 + 5 + 3)
  t.eq(inotify_watches() - base, #all, "one inotify watch per folder")
  sh(("find %s -type d -exec touch {}/f ';'"):format(d))
  local function seen()
    local n = 0
    for _, f in ipairs(all) do if created[f .. "/f"] then n = n + 1 end end
    return n
  end
  wait_until(function() return seen() == #all end, "a created event from each of " .. #all .. " folders", 10000)
  for _, f in ipairs(all) do
    t.eq(created[f .. "/f"], 1, f .. "/f reported once")
  end
  w:remove()
  t.eq(w:status(), "removed")
  t.eq(inotify_watches(), base, "every watch dropped")
  sh("rm -rf " .. d)
end, { timeout = 60000 })

t.test("removing a watch mid-walk stops the walk: a waiting ready() gets cancelled, no event comes after", function()
  local d = tree("removed", 40, 50)   -- 2,041 folders
  local base = inotify_watches()
  local events = 0
  local w = fs.watch(d, function() events = events + 1 end, { recursive = true })
  t.eq(w:status(), "walking")
  local waiter = smelt.spawn(function() return { w:ready() } end)
  smelt.sleep(0)                 -- the waiter parks; the walk has made a start
  w:remove()
  t.eq(w:status(), "removed")
  local r = waiter:wait()
  t.eq(r[1], nil); t.eq(r[3], "cancelled")
  t.contains(r[2], "smelt.fs.watch: " .. d .. ": ")
  t.eq(select(3, w:ready()), "cancelled", "ready() on a removed watch")
  sh(("touch %s/f %s/t1/f %s/t40/s50/f"):format(d, d, d))
  smelt.sleep(300)               -- nothing may come: there is no event to wait for
  t.eq(events, 0)
  t.eq(inotify_watches(), base, "every watch dropped")
  w:remove()                     -- twice is harmless
  sh("rm -rf " .. d)
end, { timeout = 60000 })

t.test("a watch dropped mid-walk is collected; the walk stops with it", function()
  local d = tree("collected", 40, 50)
  local base = inotify_watches()
  local events = 0
  local w = fs.watch(d, function() events = events + 1 end, { recursive = true })
  t.eq(w:status(), "walking")
  w = nil
  collectgarbage(); collectgarbage()
  smelt.sleep(50)                -- the walk's pending callback arrives and finds it stopped
  sh(("touch %s/f %s/t40/s50/f"):format(d, d))
  smelt.sleep(300)
  t.eq(events, 0)
  t.eq(inotify_watches(), base, "every watch dropped")
  sh("rm -rf " .. d)
end, { timeout = 60000 })

t.test("a folder deleted and made again is watched again; a renamed one under its new name", function()
  local d = tree("again", 2, 2)
  local created = {}
  local w = fs.watch(d, function(ev) if ev.kind == "created" then created[ev.path] = true end end, { recursive = true })
  t.eq(w:ready(), true)
  sh(("rm -rf %s/t1 && mkdir -p %s/t1/s1"):format(d, d))
  wait_until(probe(created, d .. "/t1/s1"), "the new t1/s1 to be watched")
  sh(("mv %s/t2 %s/moved"):format(d, d))
  wait_until(probe(created, d .. "/moved/s2"), "moved/s2 to be watched under its new name")
  w:remove()
end, { timeout = 30000 })

t.test("a plain watch is ready at once; a file can be watched; a missing folder is an error naming it", function()
  local d = tree("plain", 1, 1)
  local w = fs.watch(d, function() end)
  t.eq(w:status(), "watching")
  t.eq(w:ready(), true)
  w:remove()
  sh(("printf old > %s/file"):format(d))
  local kinds = {}
  w = fs.watch(d .. "/file", function(ev) kinds[#kinds + 1] = ev.kind end, { recursive = true })
  t.eq(w:ready(), true)
  wait_until(function()
    sh(("printf more >> %s/file"):format(d))
    return #kinds > 0
  end, "an event from the watched file")
  w:remove()
  local ok, err = pcall(fs.watch, d .. "/missing", function() end, { recursive = true })
  t.falsy(ok); t.contains(err, "smelt.fs.watch: " .. d .. "/missing: ")
end)

t.test("cleanup", function()
  smelt.process.run("rm", { "-rf", dir })
end, { timeout = 60000 })   -- thousands of folders on a busy disk

t.run()
