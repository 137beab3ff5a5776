-- task_cancel_spec.lua: structured cancellation and how a cancelled task unwinds
local t = require("testlib")
local task = smelt.task

t.test("cancelling a task cancels every live descendant", function()
  local statuses = {}
  local child, grandchild
  local parent = smelt.spawn(function()
    child = smelt.spawn(function()
      grandchild = smelt.spawn(function() smelt.sleep(1000) end)
      smelt.sleep(1000)
    end)
    smelt.sleep(1000)
  end)
  smelt.sleep(1)
  parent:cancel()
  for _, h in ipairs({ parent, child, grandchild }) do pcall(h.wait, h) end
  t.eq(parent:status(), "cancelled")
  t.eq(child:status(), "cancelled")
  t.eq(grandchild:status(), "cancelled")
end)

t.test("a child outlives its finished parent, and an ancestor still cancels it", function()
  local orphan
  local grandparent = smelt.spawn(function()
    local parent = smelt.spawn(function()
      orphan = smelt.spawn(function() smelt.sleep(1000) end)
      return "parent done"
    end)
    parent:wait()
    smelt.sleep(1000)
  end)
  smelt.sleep(5)
  t.eq(orphan:status(), "parked", "the child keeps running after its parent ended")
  grandparent:cancel()
  pcall(orphan.wait, orphan)
  t.eq(orphan:status(), "cancelled")
end)

t.test("to-be-closed variables and pcall handlers run while a cancelled task unwinds", function()
  local log = {}
  local h = smelt.spawn(function()
    local outer <close> = setmetatable({}, { __close = function(_, err) log[#log + 1] = "close:" .. tostring(err) end })
    local ok, err = pcall(function()
      local inner <close> = setmetatable({}, { __close = function() log[#log + 1] = "inner" end })
      smelt.sleep(1000)
    end)
    log[#log + 1] = "pcall:" .. tostring(err)
    error(err, 0)
  end)
  smelt.sleep(1)
  h:cancel()
  pcall(h.wait, h)
  t.same(log, { "inner", "pcall:cancelled", "close:cancelled" })
end)

t.test("a cancelled task that catches and parks again is cancelled again at once", function()
  local second
  local h = smelt.spawn(function()
    pcall(smelt.sleep, 1000)
    local ok, err = pcall(smelt.sleep, 1000)
    second = err
    local ok2, err2 = pcall(task.wait, task.alloc())
    second = second .. "," .. err2
  end)
  smelt.sleep(1)
  h:cancel()
  pcall(h.wait, h)
  t.eq(second, "cancelled,cancelled")
  t.eq(h:status(), "cancelled")
end)

t.test("is_cancelled recognises the cancellation error only", function()
  t.truthy(task.is_cancelled("cancelled"))
  t.falsy(task.is_cancelled("cancelled "))
  t.falsy(task.is_cancelled({}))
  t.falsy(task.is_cancelled(nil))
end)

t.test("cancelling a finished task is harmless", function()
  local h = smelt.spawn(function() return 1 end)
  h:wait()
  h:cancel()
  t.eq(h:status(), "done")
end)

t.test("cancelling the caller of all, race and timeout cancels their branches", function()
  local flags = {}
  local h = smelt.spawn(function()
    task.all(function() smelt.sleep(100); flags.all = true end)
  end)
  local r = smelt.spawn(function()
    task.race(function() smelt.sleep(100); flags.race = true end)
  end)
  local o = smelt.spawn(function()
    task.timeout(1000, function() smelt.sleep(100); flags.timeout = true end)
  end)
  smelt.sleep(1)
  h:cancel(); r:cancel(); o:cancel()
  smelt.sleep(500)
  t.same(flags, {})
end)

t.run()
