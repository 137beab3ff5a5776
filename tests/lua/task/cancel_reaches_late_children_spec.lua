-- cancel_reaches_late_children_spec.lua: a task spawned by an already-cancelled task is cancelled too
-- (issue 10: one spawned from a pcall or <close> handler while its parent unwound ran on, and one
-- parked on an id nobody resumes kept a headless smelt alive for good)
local t = require("testlib")
local task = smelt.task

t.test("spawned from the pcall handler of a cancelled task", function()
  local ran, late = false, nil
  local h = smelt.spawn(function()
    local ok, err = pcall(smelt.sleep, 1000)
    late = smelt.spawn(function() ran = true; task.wait(task.alloc()) end)
    error(err, 0)
  end)
  smelt.sleep(1)
  h:cancel()
  t.eq(select(2, pcall(h.wait, h)), "cancelled")
  t.eq(select(2, pcall(late.wait, late)), "cancelled")
  t.eq(late:status(), "cancelled")
  t.falsy(ran, "a task cancelled before it first ran never runs")
end)

t.test("spawned from a <close> handler of a cancelled task", function()
  local ran, late = false, nil
  local h = smelt.spawn(function()
    local c <close> = setmetatable({}, { __close = function()
      late = smelt.spawn(function() ran = true; task.wait(task.alloc()) end)
    end })
    smelt.sleep(1000)
  end)
  smelt.sleep(1)
  h:cancel()
  pcall(h.wait, h)
  t.eq(select(2, pcall(late.wait, late)), "cancelled")
  t.falsy(ran)
end)

t.test("spawned by a cancelled task that caught the cancel and returns", function()
  local late
  local h = smelt.spawn(function()
    pcall(smelt.sleep, 1000)
    late = smelt.spawn(function() smelt.sleep(1000) end)
    return "caught"
  end)
  smelt.sleep(1)
  h:cancel()
  pcall(h.wait, h)
  t.eq(late:status(), "cancelled")
end)

t.test("a grandchild spawned in the unwinding of a cancelled child", function()
  local late
  local parent = smelt.spawn(function()
    smelt.spawn(function()
      local c <close> = setmetatable({}, { __close = function()
        late = smelt.spawn(function() task.wait(task.alloc()) end)
      end })
      smelt.sleep(1000)
    end)
    smelt.sleep(1000)
  end)
  smelt.sleep(1)
  parent:cancel()
  pcall(parent.wait, parent)
  smelt.sleep(1)
  t.eq(select(2, pcall(late.wait, late)), "cancelled")
end)

t.run()
