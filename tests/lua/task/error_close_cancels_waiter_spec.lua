-- error_close_cancels_waiter_spec.lua: an error is reported when a <close> handler of the dying
-- task cancels the only task waiting on it (issue 10: the error was neither delivered nor reported)
local t = require("testlib")

local function reports(name)
  local lines = {}
  for _, m in ipairs(smelt.messages()) do
    if m.level == "error" and m.message:sub(1, #name + 2) == name .. ": " then
      lines[#lines + 1] = m.message
    end
  end
  return lines
end

t.test("the waiter is cancelled by the dying task's <close>: the error is reported", function()
  local waiter
  local failing = smelt.spawn(function()
    smelt.task.name("close-cancels-waiter")
    local c <close> = setmetatable({}, { __close = function() waiter:cancel() end })
    smelt.sleep(5)
    error("lost error", 0)
  end)
  waiter = smelt.spawn(function() return failing:wait() end)
  local ok, err = pcall(waiter.wait, waiter)
  t.falsy(ok)
  t.eq(err, "cancelled")
  t.eq(waiter:status(), "cancelled")
  t.eq(failing:status(), "failed")
  t.same(reports("close-cancels-waiter"), { "close-cancels-waiter: lost error" })
end)

t.test("a waiter that stays gets the error, and it is not reported", function()
  local failing = smelt.spawn(function()
    smelt.task.name("close-keeps-waiter")
    local c <close> = setmetatable({}, { __close = function() end })
    smelt.sleep(5)
    error("delivered", 0)
  end)
  local waiter = smelt.spawn(function() return failing:wait() end)
  local ok, err = pcall(waiter.wait, waiter)
  t.falsy(ok)
  t.eq(err, "delivered")
  t.same(reports("close-keeps-waiter"), {})
end)

t.test("the report's traceback still names the line that raised", function()
  local waiter
  local failing = smelt.spawn(function()
    smelt.task.name("close-cancels-traceback")
    local c <close> = setmetatable({}, { __close = function() waiter:cancel() end })
    smelt.sleep(5)
    error("with a line")
  end)
  waiter = smelt.spawn(function() return failing:wait() end)
  pcall(waiter.wait, waiter)
  local got = reports("close-cancels-traceback")
  t.eq(#got, 1)
  t.contains(got[1], "error_close_cancels_waiter_spec.lua:52: with a line")
end)

t.run()
