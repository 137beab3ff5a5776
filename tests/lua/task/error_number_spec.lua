-- error_number_spec.lua: an uncaught error whose value is a number keeps its value and is reported once
-- (issue 10: the report ran lua_tostring on the value in place)
local t = require("testlib")

--- the history lines that report an uncaught error of the task named `name`
local function reports(name)
  local lines = {}
  for _, m in ipairs(smelt.messages()) do
    if m.level == "error" and m.message:sub(1, #name + 2) == name .. ": " then
      lines[#lines + 1] = m.message
    end
  end
  return lines
end

t.test("a later wait raises the number, not its string", function()
  local h = smelt.spawn(function() smelt.task.name("num-later"); smelt.sleep(1); error(7) end)
  smelt.sleep(5)
  local ok, err = pcall(h.wait, h)
  t.falsy(ok)
  t.eq(math.type(err), "integer")
  t.eq(err, 7)
  t.eq(h:status(), "failed")
end)

t.test("a float error keeps its value", function()
  local h = smelt.spawn(function() smelt.task.name("num-float"); error(2.5) end)
  smelt.sleep(1)
  local _, err = pcall(h.wait, h)
  t.eq(err, 2.5)
end)

t.test("the report is printed once, with the number", function()
  smelt.spawn(function() smelt.task.name("num-once"); error(42) end)
  smelt.sleep(1)
  t.same(reports("num-once"), { "num-once: 42" })
end)

t.test("a number raised by a <close> handler of a failing task is reported once as well", function()
  smelt.spawn(function()
    smelt.task.name("num-close")
    local c <close> = setmetatable({}, { __close = function() error(9) end })
    error(8)
  end)
  smelt.sleep(1)
  t.same(reports("num-close"), { "num-close: 8", "num-close: 9" })
end)

t.run()
