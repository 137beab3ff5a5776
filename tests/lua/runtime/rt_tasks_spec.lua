-- rt_tasks_spec.lua: task names and smelt.task.list
local t = require("testlib")
local task = smelt.task

local function find(id)
  for _, e in ipairs(task.list()) do
    if e.id == id then return e end
  end
end

t.test("a task is named after its function's source location by default", function()
  local fn = function() smelt.sleep(100) end
  local h = smelt.spawn(fn)
  t.eq(find(h.id).name, "rt_tasks_spec.lua:" .. debug.getinfo(fn, "S").linedefined)
  h:cancel()
end)

t.test("the default name stays the task's own function after a tail call", function()
  local function helper() smelt.sleep(100) end
  local fn = function() return helper() end   -- its frame is gone once helper runs
  local h = smelt.spawn(fn)
  smelt.sleep(10)
  local want = "rt_tasks_spec.lua:" .. debug.getinfo(fn, "S").linedefined
  t.eq(find(h.id).name, want)
  h:cancel()
end)

t.test("smelt.task.name renames the running task", function()
  local h = smelt.spawn(function() task.name("indexer"); smelt.sleep(100) end)
  smelt.sleep(1)
  t.eq(find(h.id).name, "indexer")
  h:cancel()
  t.raises("bad argument #1 to 'smelt.task.name' (string expected, got number)", task.name, 5)
end)

t.test("list says what each task waits on, its parent and age", function()
  local id = task.alloc()
  local me = task.list()
  local sleeper = smelt.spawn(function() smelt.sleep(500) end)
  local waiter = smelt.spawn(function() task.wait(id) end)
  local joiner = smelt.spawn(function() sleeper:wait() end)
  local combo = smelt.spawn(function()
    task.all(function() smelt.sleep(10) end, function() smelt.sleep(300) end, function() smelt.sleep(400) end)
  end)
  smelt.sleep(50)
  t.eq(find(sleeper.id).waiting_on, "sleep 500 ms")
  t.eq(find(sleeper.id).status, "parked")
  t.eq(find(waiter.id).waiting_on, "external " .. id)
  t.eq(find(joiner.id).waiting_on, "task " .. sleeper.id)
  t.eq(find(combo.id).waiting_on, "all 1/3")
  local e = find(sleeper.id)
  t.eq(math.type(e.parent), "integer")
  t.truthy(e.age_ms >= 50 and e.age_ms < 60, "age " .. e.age_ms)
  for _, h in ipairs({ sleeper, waiter, joiner, combo }) do h:cancel() end
  smelt.sleep(1)
  t.eq(find(sleeper.id), nil, "finished tasks leave the list")
end)

t.test("a combinator's branches are named after the plugin's functions; timeout's deadline for what it is", function()
  local fn = function() smelt.sleep(200) end
  local line = debug.getinfo(fn, "S").linedefined
  local outer = smelt.spawn(function() task.timeout(100, fn) end)
  smelt.sleep(10)
  local names = {}
  for _, e in ipairs(task.list()) do
    if e.parent == outer.id then names[#names + 1] = e.name .. " | " .. tostring(e.waiting_on) end
  end
  table.sort(names)
  t.same(names, { "rt_tasks_spec.lua:" .. line .. " | sleep 200 ms",
                  "timeout 100 ms (deadline) | sleep 100 ms" })
  outer:cancel()
end)

t.run()
