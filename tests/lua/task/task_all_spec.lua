-- task_all_spec.lua: smelt.task.all runs branches concurrently and waits for all
local t = require("testlib")
local task = smelt.task

t.test("results come back in input order with n, nils counted", function()
  local r = task.all(
    function() smelt.sleep(30); return "a" end,
    function() return nil end,
    function() smelt.sleep(10); return "c", "ignored" end)
  t.eq(r.n, 3)
  t.eq(r[1], "a"); t.eq(r[2], nil); t.eq(r[3], "c")
end)

t.test("branches start in argument order and run concurrently", function()
  local started = {}
  local start = os.clock()
  task.all(
    function() started[#started + 1] = 1; smelt.sleep(100) end,
    function() started[#started + 1] = 2; smelt.sleep(100) end,
    function() started[#started + 1] = 3; smelt.sleep(100) end)
  t.same(started, { 1, 2, 3 })
end)

t.test("all() with no functions returns an empty table at once", function()
  local r = task.all()
  t.eq(r.n, 0)
  t.eq(#r, 0)
end)

t.test("a raising branch: the others still complete, then the first error is raised", function()
  local finished = {}
  local e1, e2 = { first = true }, { second = true }
  local ok, err = pcall(task.all,
    function() smelt.sleep(50); finished.slow = true end,
    function() smelt.sleep(20); error(e2) end,
    function() smelt.sleep(10); error(e1) end)
  t.falsy(ok)
  t.eq(err, e1, "the first error in time, the same table")
  t.truthy(finished.slow, "the other branch completed")
end)

t.test("a string error keeps its message", function()
  local ok, err = pcall(task.all, function() error("boom") end)
  t.falsy(ok)
  t.contains(err, "task_all_spec.lua:")
  t.contains(err, ": boom")
end)

t.test("non-function branches are rejected with their position", function()
  t.raises("bad argument #2 to 'smelt.task.all' (function expected, got number)",
    task.all, function() end, 5)
end)

t.test("a branch's error is not also reported as uncaught", function()
  -- checked by the CLI test (exit status 0 after a caught all error);
  -- here: the error reaches the caller exactly once.
  local ok, err = pcall(task.all, function() error({}) end, function() error({}) end)
  t.falsy(ok)
  t.eq(type(err), "table")
end)

t.run()
