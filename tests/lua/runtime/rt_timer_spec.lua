-- rt_timer_spec.lua: smelt.timer.set/every: plain callbacks on the scheduler's (virtual) clock
local t = require("testlib")

t.test("set fires once after ms; every repeats until removed", function()
  local fired_at, ticks = nil, 0
  local start = smelt.now()
  smelt.timer.set(100, function() fired_at = smelt.now() - start end)
  local every = smelt.timer.every(30, function() ticks = ticks + 1 end)
  smelt.sleep(100)
  smelt.sleep(1)
  t.truthy(fired_at and fired_at >= 100 and fired_at < 105, "fired at " .. tostring(fired_at))
  t.eq(ticks, 3)
  every:remove()
  smelt.sleep(100)
  t.eq(ticks, 3)
  t.falsy(every:pending())
end)

t.test("a removed timer never fires", function()
  local fired = false
  local tm = smelt.timer.set(10, function() fired = true end)
  tm:remove()
  smelt.sleep(50)
  t.falsy(fired)
end)

t.test("callbacks are plain: parking raises the must-be-in-a-task error", function()
  local err
  smelt.timer.set(1, function() err = select(2, pcall(smelt.sleep, 1)) end)
  smelt.sleep(5)
  t.contains(err, "smelt.sleep: must be called from inside a task (smelt.spawn)")
end)

t.test("a repeating timer whose callback fails keeps its schedule", function()
  local n = 0
  local tm = smelt.timer.every(10, function()
    n = n + 1
    if n == 2 then error("tick failed") end
  end)
  smelt.sleep(45)
  tm:remove()
  t.eq(n, 4)
  local found = false
  for _, m in ipairs(smelt.messages()) do
    if m.level == "error" and m.message:find("tick failed", 1, true) then found = true end
  end
  t.truthy(found, "the error was reported")
end)

t.test("bad arguments name the function", function()
  t.raises("bad argument #1 to 'smelt.timer.set' (milliseconds must not be negative", smelt.timer.set, -1, function() end)
  t.raises("bad argument #2 to 'smelt.timer.every' (function expected, got no value)", smelt.timer.every, 5)
  t.raises("bad argument #1 to 'smelt.timer.every' (a repeating timer needs a period above 0 ms)", smelt.timer.every, 0, function() end)
end)

t.run()
