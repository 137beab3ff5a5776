-- task_timeout_spec.lua: smelt.task.timeout gives fn a deadline
local t = require("testlib")
local task = smelt.task

t.test("returns (result, nil) when fn finishes in time", function()
  local v, err = task.timeout(100, function() smelt.sleep(10); return "ok" end)
  t.eq(v, "ok"); t.eq(err, nil)
end)

t.test("returns (nil, 'timeout') and cancels fn when the deadline comes first", function()
  local reached, cancelled = false, nil
  local v, err = task.timeout(10, function()
    local ok, e = pcall(smelt.sleep, 1000)
    cancelled = e
    if ok then reached = true end
  end)
  t.eq(v, nil); t.eq(err, "timeout")
  t.eq(cancelled, "cancelled")
  smelt.sleep(2000)
  t.falsy(reached)
end)

t.test("an error before the deadline propagates, not as a return value", function()
  local e = {}
  local ok, err = pcall(task.timeout, 100, function() error(e) end)
  t.falsy(ok); t.eq(err, e)
end)

t.test("structured: timeout around all cancels the branch, FLAG stays nil", function()
  FLAG = nil
  local v, err = task.timeout(20, function()
    return task.all(function() smelt.sleep(500); FLAG = true end)
  end)
  t.eq(v, nil); t.eq(err, "timeout")
  smelt.sleep(1000)
  t.eq(FLAG, nil)
end)

t.test("bad arguments name the function", function()
  t.raises("bad argument #1 to 'smelt.task.timeout' (milliseconds must not be negative", task.timeout, -5, function() end)
  t.raises("bad argument #1 to 'smelt.task.timeout' (milliseconds must be a number, got NaN)", task.timeout, 0 / 0, function() end)
  t.raises("bad argument #1 to 'smelt.task.timeout' (milliseconds expected, got nil)", task.timeout, nil, function() end)
  t.raises("bad argument #2 to 'smelt.task.timeout' (function expected, got nil)", task.timeout, 5)
end)

t.run()
