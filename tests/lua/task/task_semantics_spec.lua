-- task_semantics_spec.lua: the corner cases tasks.txt writes down (|smelt-task-corners|)
local t = require("testlib")
local task = smelt.task

t.test("a task cancelled before it first ran never runs; wait raises cancelled", function()
  local ran = false
  local h = smelt.spawn(function() ran = true end)
  h:cancel()
  t.eq(h:status(), "running", "still queued: cancel runs nothing synchronously")
  t.eq(select(2, pcall(h.wait, h)), "cancelled")
  t.eq(h:status(), "cancelled")
  t.falsy(ran)
end)

t.test("a task that catches its cancel and returns still counts as cancelled", function()
  local caught
  local h = smelt.spawn(function()
    local ok, err = pcall(smelt.sleep, 1000)
    caught = err
    return "finished anyway"
  end)
  smelt.sleep(1)
  h:cancel()
  local ok, err = pcall(h.wait, h)
  t.eq(caught, "cancelled")
  t.falsy(ok)
  t.eq(err, "cancelled")
  t.eq(h:status(), "cancelled")
end)

t.test("a parking call of a cancelled task raises cancelled even when its value is ready", function()
  local id = task.alloc()
  task.resume(id, "ready")
  local done = smelt.spawn(function() return "done" end)
  done:wait()
  local got = {}
  local h = smelt.spawn(function()
    pcall(smelt.sleep, 1000)                       -- the cancel arrives here
    got.wait = select(2, pcall(task.wait, id))
    got.join = select(2, pcall(done.wait, done))
    got.sleep0 = select(2, pcall(smelt.sleep, 0))
    got.all = select(2, pcall(task.all, function() return 1 end))
  end)
  smelt.sleep(1)
  h:cancel()
  pcall(h.wait, h)
  t.same(got, { wait = "cancelled", join = "cancelled", sleep0 = "cancelled", all = "cancelled" })
  t.eq(task.wait(id), "ready", "the value stays for a later wait")
end)

t.test("waiting again on an id after a timed-out wait raises 'not pending'", function()
  local id = task.alloc()
  local res, why = task.timeout(5, function() return task.wait(id) end)
  t.eq(res, nil); t.eq(why, "timeout")
  task.resume(id, "late")                          -- ignored: the id died with its waiter
  local err = t.raises("is not pending", task.wait, id)
  t.contains(err, ("smelt.task.wait: id %d is not pending"):format(id))
end)

t.run()
