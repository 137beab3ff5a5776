-- gio_process_virtual_time_spec.lua: with --virtual-time a running process holds the clock back
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run with --virtual-time (tests/lua/gio/meson.build): a spawned process is
-- real work while it runs, even when no task waits on it.
local t = require("testlib")
local task = smelt.task

t.test("the clock is virtual here", function()
  t.eq(task.virtual_time(), true)
end)

t.test("a process writing after 0.3 s, nobody waiting on it: its output comes before a 5 s timeout", function()
  local dir = t.tmpdir()
  local file = dir .. "/out"
  local p = assert(smelt.process.spawn("sh", { "-c", "sleep 0.3; echo out > " .. file .. ".part; mv " ..
    file .. ".part " .. file }))
  -- only sleeps: no task parks on the process or its pipes
  local got, why = task.timeout(5000, function()
    while true do
      local text = t.read(file)
      if text then return text end
      smelt.sleep(50)
    end
  end)
  t.eq(why, nil, "not timed out: the clock followed real time while the process ran")
  t.eq(got, "out\n")
  t.eq(p:wait(), 0)
end, { timeout = 20000 })

t.test("once the process has exited and is reaped, sleeps jump again", function()
  local p = assert(smelt.process.spawn("true"))
  t.eq(p:wait(), 0)
  smelt.sleep(100)   -- the exit's reaping reaches the scheduler
  local f = assert(io.open("/proc/uptime")); local r0 = f:read("n"); f:close()
  smelt.sleep(8000)
  f = assert(io.open("/proc/uptime")); local r1 = f:read("n"); f:close()
  t.truthy(r1 - r0 < 2, "8 s of sleep in well under 2 real seconds")
end)

t.run()
