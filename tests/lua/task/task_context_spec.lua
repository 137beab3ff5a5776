-- task_context_spec.lua: parking functions outside a task's own coroutine raise clear errors
local t = require("testlib")
local task = smelt.task

local parkers = {
  ["smelt.sleep"] = function() smelt.sleep(1) end,
  ["smelt.task.wait"] = function() task.wait(task.alloc()) end,
  ["smelt.task.external"] = function() task.external(function() end) end,
  ["smelt.task.all"] = function() task.all(function() end) end,
  ["smelt.task.race"] = function() task.race(function() end) end,
  ["smelt.task.timeout"] = function() task.timeout(1, function() end) end,
}

t.test("across a C boundary (a table.sort comparator) they raise naming the function", function()
  for name, park in pairs(parkers) do
    local ok, err = pcall(table.sort, { 3, 2, 1 }, function(a, b) park(); return a < b end)
    t.falsy(ok, name)
    t.contains(err, name .. ": must be called from inside a task (smelt.spawn)")
  end
end)

t.test("inside a plain coroutine made within a task they raise; the internal yield never leaks", function()
  for name, park in pairs(parkers) do
    local co = coroutine.create(park)
    local ok, err = coroutine.resume(co)
    t.falsy(ok, name .. " must not hand a value to the plain coroutine")
    t.contains(err, name .. ": must be called from inside a task (smelt.spawn)")
  end
  local wrapped = coroutine.wrap(function() smelt.sleep(1) end)
  t.raises("not from a coroutine created inside one", wrapped)
end)

t.test("plain coroutines still work inside tasks", function()
  local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
  t.eq(co(1), 2)
  smelt.sleep(1)
  t.eq(co(5), 10)
end)

t.test("the UI tier raises 'requires the GUI' with --no-ui", function()
  t.falsy(smelt.has_ui())
  t.raises("smelt.ui.input: requires the GUI (running with --no-ui)", smelt.ui.input, { prompt = "x" })
  t.raises("smelt.statusline.get: requires the GUI (running with --no-ui)", smelt.statusline.get)
  t.raises("smelt.keymap.timeoutlen: requires the GUI (running with --no-ui)", smelt.keymap.timeoutlen, 100)
end)

t.run()
