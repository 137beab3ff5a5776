-- task_scope_spec.lua: smelt.task.scope: what it waits for, how failures and cancels travel, <close> and detach in it
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local task = smelt.task

-- a task busy `ms` in a shield (a cancel meanwhile waits for it), which
-- notes when the shield ended
local function slow_unwinder(log, name, ms)
  return smelt.spawn(function()
    local ok, err = pcall(task.shield, function() smelt.sleep(ms) end)
    log[#log + 1] = name .. " unwound"
    if not ok then error(err, 0) end
    smelt.sleep(10000)
  end)
end

t.test("fn's own failure cancels the scope's tasks, which unwind before it is raised", function()
  local log = {}
  local err_value = {}
  local ok, err = pcall(task.scope, function()
    slow_unwinder(log, "child", 20)
    smelt.sleep(5)
    error(err_value, 0)
  end)
  log[#log + 1] = "scope raised"
  t.eq(ok, false)
  t.truthy(err == err_value, "the same value")
  t.same(log, { "child unwound", "scope raised" })
end)

t.test("cancelling the caller: scope raises cancelled once its tasks have unwound", function()
  local log = {}
  local outer = smelt.spawn(function()
    local ok, err = pcall(task.scope, function()
      slow_unwinder(log, "child", 20)
      smelt.sleep(10000)
    end)
    log[#log + 1] = "scope raised " .. tostring(err)
    error(err, 0)
  end)
  smelt.sleep(5)
  outer:cancel()
  t.raises("cancelled", outer.wait, outer)
  t.same(log, { "child unwound", "scope raised cancelled" })
end)

t.test("cancelling the caller after fn returned: scope raises once its tasks have unwound", function()
  local log = {}
  local outer = smelt.spawn(function()
    local ok, err = pcall(task.scope, function()
      slow_unwinder(log, "child", 20)
    end)
    log[#log + 1] = "scope raised " .. tostring(err)
  end)
  smelt.sleep(5)   -- fn has returned; its task runs on
  outer:cancel()
  pcall(outer.wait, outer)
  t.same(log, { "child unwound", "scope raised cancelled" })
end)

t.test("a scope inside timeout: its tasks are cancelled and have unwound when timeout returns", function()
  local log = {}
  local v, err = task.timeout(10, function()
    return task.scope(function()
      slow_unwinder(log, "a", 5)
      slow_unwinder(log, "b", 15)
      smelt.sleep(10000)
    end)
  end)
  t.eq(v, nil); t.eq(err, "timeout")
  table.sort(log)
  t.same(log, { "a unwound", "b unwound" })
end)

t.test("a failure while the scope unwinds from the first does not replace it", function()
  local ok, err = pcall(task.scope, function()
    smelt.spawn(function()
      local ok2 = pcall(smelt.sleep, 10000)
      if not ok2 then error("second", 0) end
    end)
    smelt.spawn(function() smelt.sleep(5); error("first", 0) end)
    smelt.sleep(10000)
  end)
  t.eq(ok, false)
  t.eq(err, "first")
  for _, m in ipairs(smelt.messages()) do
    t.falsy(m.message:find("second", 1, true), "the later failure is not reported: " .. m.message)
  end
end)

t.test("a task's own children are not the scope's: cancelled with it, not waited for", function()
  local grandchild
  local r = task.scope(function()
    smelt.spawn(function()
      grandchild = smelt.spawn(function() smelt.sleep(50) end)
    end)
    return "returned"
  end)
  t.eq(r, "returned")
  local st = grandchild:status()
  t.truthy(st == "running" or st == "parked", "the scope did not wait for it: " .. st)
  grandchild:cancel()
  local ok = pcall(task.scope, function()
    smelt.spawn(function()
      grandchild = smelt.spawn(function() smelt.sleep(50) end)
      smelt.sleep(1000)
    end)
    smelt.sleep(1)
    error("fn failed", 0)
  end)
  t.eq(ok, false)
  smelt.sleep(1)
  t.eq(grandchild:status(), "cancelled", "cancelled with its parent")
end)

t.test("detaching an ended task, or twice, does nothing", function()
  local h = smelt.spawn(function() end)
  smelt.sleep(1)
  t.truthy(h:detach() == h)
  local h2 = smelt.spawn(function() smelt.sleep(5); return "ran" end)
  h2:detach(); h2:detach()
  t.eq(h2:wait(), "ran")
end)

t.test("<close> of a handle inside a scope cancels that task; the scope goes on", function()
  local log = {}
  local r = task.scope(function()
    do
      local h <close> = slow_unwinder(log, "closed", 5)
      smelt.sleep(1)
    end
    log[#log + 1] = "block left"
    smelt.sleep(20)
    return "scope went on"
  end)
  t.eq(r, "scope went on")
  t.same(log, { "block left", "closed unwound" })
  -- a handle of a task that ended: closing it does nothing
  do local done <close> = smelt.spawn(function() end); smelt.sleep(1) end
end)

t.test("a detached task outlives its scope and its cancel", function()
  local ran = false
  local outer = smelt.spawn(function()
    task.scope(function()
      smelt.spawn(function() smelt.sleep(30); ran = true end):detach()
      smelt.sleep(10000)
    end)
  end)
  smelt.sleep(5)
  outer:cancel()
  t.raises("cancelled", outer.wait, outer)
  t.eq(ran, false)
  smelt.sleep(50)
  t.eq(ran, true)
end)

t.run()
