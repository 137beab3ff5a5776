-- task_external_spec.lua: task.alloc, task.resume, task.wait and task.external
local t = require("testlib")
local task = smelt.task

t.test("resume delivers nil, false and a table by identity", function()
  for _, v in ipairs({ false, "s", 0 }) do
    local id = task.alloc()
    smelt.spawn(function() smelt.sleep(1); task.resume(id, v) end)
    t.eq(task.wait(id), v)
  end
  local tbl = {}
  local id = task.alloc()
  smelt.spawn(function() task.resume(id, tbl) end)
  t.eq(task.wait(id), tbl)
  id = task.alloc()
  smelt.spawn(function() task.resume(id, nil) end)
  local n = select("#", task.wait(id))
  t.eq(n, 1)
end)

t.test("a resume before the wait is kept for it", function()
  local id = task.alloc()
  task.resume(id, "early")
  t.eq(task.wait(id), "early")
  local id2 = task.alloc()
  task.resume(id2, nil)
  t.eq(task.wait(id2), nil)
end)

t.test("the waiter resumes from the loop, never inside resume", function()
  local id = task.alloc()
  local after = false
  local seen
  local w = smelt.spawn(function() task.wait(id); seen = after end)
  smelt.sleep(0)
  task.resume(id, 1)
  after = true
  w:wait()
  t.eq(seen, true)
end)

t.test("second resumes, unknown ids and ids of cancelled waiters are ignored", function()
  local id = task.alloc()
  task.resume(id, 1)
  task.resume(id, 2)               -- ignored: already resolved
  t.eq(task.wait(id), 1)
  task.resume(id, 3)               -- ignored: consumed
  task.resume(10 ^ 12, "x")        -- ignored: never allocated
  local id2 = task.alloc()
  local h = smelt.spawn(function() task.wait(id2) end)
  smelt.sleep(0)
  h:cancel()
  pcall(h.wait, h)
  task.resume(id2, "late")         -- ignored: its waiter was cancelled
  t.eq(h:status(), "cancelled")
end)

t.test("wait on an id another task waits on raises", function()
  local id = task.alloc()
  local first = smelt.spawn(function() return task.wait(id) end)
  smelt.sleep(0)
  t.raises("smelt.task.wait: id " .. id .. " is already waited on by task " .. first.id, task.wait, id)
  task.resume(id, "v")
  t.eq(first:wait(), "v")
end)

t.test("wait on an id that is not pending raises", function()
  local id = task.alloc()
  task.resume(id, 1)
  task.wait(id)
  t.raises("is not pending", task.wait, id)
end)

t.test("bad ids name the function and the argument", function()
  t.raises("bad argument #1 to 'smelt.task.wait' (task id must be a positive integer, got 0)", task.wait, 0)
  t.raises("bad argument #1 to 'smelt.task.wait' (task id must be a positive integer, got -3)", task.wait, -3)
  t.raises("bad argument #1 to 'smelt.task.wait' (task id must be a positive integer, got a fraction)", task.wait, 1.5)
  t.raises("bad argument #1 to 'smelt.task.resume' (task id must be a positive integer, got string)", task.resume, "1")
  t.raises("bad argument #1 to 'smelt.task.resume' (task id must be a positive integer, got nil)", task.resume, nil, 1)
end)

t.test("external runs start(id) before parking and returns the resolution", function()
  local started_with
  local v = task.external(function(id)
    started_with = id
    smelt.spawn(function() smelt.sleep(5); task.resume(id, "done") end)
  end)
  t.eq(v, "done")
  t.eq(math.type(started_with), "integer")
end)

t.test("external may resolve synchronously inside start", function()
  t.eq(task.external(function(id) task.resume(id, "sync") end), "sync")
end)

t.test("external: if start raises, the error propagates and nothing is left parked", function()
  local e = { why = "start failed" }
  local captured
  local ok, got = pcall(task.external, function(id) captured = id; error(e) end)
  t.falsy(ok)
  t.eq(got, e)
  t.raises("is not pending", task.wait, captured)
end)

t.test("external needs a function", function()
  t.raises("bad argument #1 to 'smelt.task.external' (function expected, got no value)", task.external)
end)

t.test("cancelled while in external raises 'cancelled'", function()
  local err
  local h = smelt.spawn(function() err = select(2, pcall(task.external, function() end)) end)
  smelt.sleep(1)
  h:cancel()
  pcall(h.wait, h)
  t.eq(err, "cancelled")
end)

t.run()
