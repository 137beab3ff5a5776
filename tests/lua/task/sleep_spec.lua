-- sleep_spec.lua: smelt.sleep parks the calling task on the scheduler's clock
local t = require("testlib")

t.test("sleep(ms) resumes after the deadline, in deadline order", function()
  local order = {}
  local a = smelt.spawn(function() smelt.sleep(30); order[#order + 1] = "30" end)
  local b = smelt.spawn(function() smelt.sleep(10); order[#order + 1] = "10" end)
  local c = smelt.spawn(function() smelt.sleep(20); order[#order + 1] = "20" end)
  a:wait(); b:wait(); c:wait()
  t.same(order, { "10", "20", "30" })
end)

t.run()
