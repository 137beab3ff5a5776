-- rt_events_spec.lua: smelt.on/once/emit: handlers run as tasks, in registration order
local t = require("testlib")

t.test("handlers run as tasks in registration order with the data", function()
  local order = {}
  local a = smelt.on("ev", function(d) order[#order + 1] = "a" .. d.n end)
  local b = smelt.on("ev", function(d) smelt.sleep(1); order[#order + 1] = "b" .. d.n end)
  local c = smelt.on("ev", function(d) order[#order + 1] = "c" .. d.n end)
  for _, h in ipairs(smelt.emit("ev", { n = 1 })) do h:wait() end
  t.same(order, { "a1", "c1", "b1" }, "b slept, so c finished first; all started in order")
  a:remove(); b:remove(); c:remove()
end)

t.test("remove stops a handler; once fires once", function()
  local n, m = 0, 0
  local h = smelt.on("tick", function() n = n + 1 end)
  smelt.once("tick", function() m = m + 1 end)
  for _, x in ipairs(smelt.emit("tick")) do x:wait() end
  h:remove()
  h:remove()
  for _, x in ipairs(smelt.emit("tick")) do x:wait() end
  t.eq(n, 1); t.eq(m, 1)
  local o = 0
  smelt.on("tock", function() o = o + 1 end, { once = true })
  smelt.emit("tock"); smelt.emit("tock")
  smelt.sleep(1)
  t.eq(o, 1)
end)

t.test("emit with no handlers returns an empty list", function()
  t.eq(#smelt.emit("nobody-listens"), 0)
end)

t.test("a handler's error is reported and does not stop the others", function()
  local ran = false
  local bad = smelt.on("mixed", function() error("handler failed") end)
  local good = smelt.on("mixed", function() ran = true end)
  local hs = smelt.emit("mixed")
  t.falsy(pcall(hs[1].wait, hs[1]))
  hs[2]:wait()
  t.truthy(ran)
  bad:remove(); good:remove()
end)

t.test("bad arguments name the function", function()
  t.raises("bad argument #1 to 'smelt.on' (event name expected, got number)", smelt.on, 1, function() end)
  t.raises("bad argument #2 to 'smelt.on' (function expected, got nil)", smelt.on, "x")
  t.raises("bad argument #1 to 'smelt.emit' (event name expected, got nil)", smelt.emit)
end)

t.run()
