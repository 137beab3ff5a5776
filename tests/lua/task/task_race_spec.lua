-- task_race_spec.lua: smelt.task.race: the first branch to finish wins
local t = require("testlib")
local task = smelt.task

t.test("returns the winner's index and result", function()
  local i, v = task.race(
    function() smelt.sleep(30); return "slow" end,
    function() smelt.sleep(10); return "fast" end)
  t.eq(i, 2); t.eq(v, "fast")
end)

t.test("losers are cancelled and have unwound before race returns", function()
  local closed, handled = false, false
  task.race(
    function() smelt.sleep(5) end,
    function()
      local guard <close> = setmetatable({}, { __close = function() closed = true end })
      local ok, err = pcall(smelt.sleep, 1000)
      handled = (err == "cancelled")
      error(err, 0)
    end)
  t.truthy(closed, "to-be-closed variable closed")
  t.truthy(handled, "pcall saw 'cancelled'")
end)

t.test("a loser's later side effects never happen", function()
  local flag = false
  task.race(function() return 1 end, function() smelt.sleep(10); flag = true end)
  smelt.sleep(50)
  t.falsy(flag)
end)

t.test("if the first to finish raises, losers are cancelled first, then the error propagates", function()
  local loser_status
  local e = { code = "E" }
  local loser
  local ok, err = pcall(task.race,
    function() smelt.sleep(5); error(e) end,
    function()
      local ok2, why = pcall(smelt.sleep, 1000)
      loser_status = why
      error(why, 0)
    end)
  t.falsy(ok)
  t.eq(err, e)
  t.eq(loser_status, "cancelled")
end)

t.test("race() with no functions raises", function()
  t.raises("smelt.task.race: needs at least one function", task.race)
end)

t.test("non-function branches are rejected", function()
  t.raises("bad argument #1 to 'smelt.task.race' (function expected, got string)", task.race, "x")
end)

t.run()
