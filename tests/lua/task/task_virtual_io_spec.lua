-- task_virtual_io_spec.lua: with --virtual-time the clock jumps only while nothing real is pending
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run with --virtual-time (tests/lua/task/meson.build).
local t = require("testlib")
local task = smelt.task

-- real seconds, whatever the scheduler's clock says
local function real_s()
  local f = assert(io.open("/proc/uptime"))
  local up = f:read("n")
  f:close()
  return up
end

t.test("smelt.task.virtual_time() says the clock is virtual", function()
  t.eq(task.virtual_time(), true)
end)

t.test("a timeout around a real process waits for it, as without virtual time", function()
  local t0 = smelt.now()
  local r, why = task.timeout(5000, function() return smelt.process.run("sleep", { "0.3" }) end)
  t.eq(why, nil, "not timed out: the clock followed real time while the process ran")
  t.eq(r.code, 0)
  local took = smelt.now() - t0
  t.truthy(took >= 250 and took < 5000, ("the clock moved by the real time (%.0f ms)"):format(took))
end)

t.test("a real process that outlasts its timeout still times out", function()
  local _, why = task.timeout(200, function() return smelt.process.run("sleep", { "5" }) end)
  t.eq(why, "timeout")
end, { timeout = 20000 })

t.test("with nothing real pending, sleeps take no real time again", function()
  local r0 = real_s()
  local v0 = smelt.now()
  smelt.sleep(8000)   -- under the case's (virtual) 10 s
  t.truthy(smelt.now() - v0 >= 8000)
  t.truthy(real_s() - r0 < 2, "8 s of sleep in well under 2 real seconds")
end)

t.run()
