-- task_sleep_spec.lua: smelt.sleep parks the calling task on the scheduler's clock
local t = require("testlib")

t.test("sleep(ms) resumes sleepers in deadline order", function()
  local order = {}
  local hs = {}
  for _, ms in ipairs({ 30, 10, 20, 10 }) do
    hs[#hs + 1] = smelt.spawn(function() smelt.sleep(ms); order[#order + 1] = ms end)
  end
  for _, h in ipairs(hs) do h:wait() end
  t.same(order, { 10, 10, 20, 30 })
end)

t.test("sleep(0) yields to the loop once so other tasks run", function()
  local trace = {}
  local a = smelt.spawn(function()
    for i = 1, 3 do trace[#trace + 1] = "a" .. i; smelt.sleep(0) end
  end)
  local b = smelt.spawn(function()
    for i = 1, 3 do trace[#trace + 1] = "b" .. i; smelt.sleep(0) end
  end)
  a:wait(); b:wait()
  t.same(trace, { "a1", "b1", "a2", "b2", "a3", "b3" })
end)

t.test("smelt.now advances by the time slept", function()
  local before = smelt.now()
  smelt.sleep(250)
  local slept = smelt.now() - before
  t.truthy(slept >= 250 and slept < 260, "slept " .. slept .. " ms on the virtual clock")
end)

t.test("sleep returns nothing", function()
  t.eq(select("#", smelt.sleep(1)), 0)
end)

t.test("a bare coroutine.yield at task level acts like sleep(0)", function()
  local trace = {}
  local a = smelt.spawn(function() trace[#trace + 1] = "a1"; coroutine.yield("junk"); trace[#trace + 1] = "a2" end)
  local b = smelt.spawn(function() trace[#trace + 1] = "b1" end)
  a:wait(); b:wait()
  t.same(trace, { "a1", "b1", "a2" })
end)

t.test("cancelled while sleeping raises exactly 'cancelled'", function()
  local err
  local h = smelt.spawn(function()
    local ok, e = pcall(smelt.sleep, 100000)
    err = e
  end)
  smelt.sleep(1)
  h:cancel()
  pcall(h.wait, h)
  t.eq(err, "cancelled")
  t.eq(h:status(), "cancelled")
end)

t.test("bad milliseconds name the function and the argument", function()
  t.raises("bad argument #1 to 'smelt.sleep' (milliseconds must not be negative", smelt.sleep, -1)
  t.raises("bad argument #1 to 'smelt.sleep' (milliseconds must be a number, got NaN)", smelt.sleep, 0 / 0)
  t.raises("bad argument #1 to 'smelt.sleep' (milliseconds expected, got string)", smelt.sleep, "10")
  t.raises("bad argument #1 to 'smelt.sleep' (milliseconds expected, got no value)", smelt.sleep)
  t.raises("bad argument #1 to 'smelt.sleep' (milliseconds too large", smelt.sleep, math.huge)
end)

t.test("a minute of sleep takes no real time on the virtual clock", function()
  local c = os.clock()
  smelt.sleep(60000)
  t.truthy(os.clock() - c < 5, "virtual time did not jump")
end, { timeout = 120000 })

t.run()
