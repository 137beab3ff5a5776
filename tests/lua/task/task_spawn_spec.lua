-- task_spawn_spec.lua: smelt.spawn and the task handle
local t = require("testlib")

t.test("spawn passes its arguments and the handle has an id", function()
  local got
  local h = smelt.spawn(function(a, b, c) got = { a, b, c } end, 1, nil, "x")
  t.eq(math.type(h.id), "integer")
  t.truthy(h.id > 0)
  h:wait()
  t.same(got, { 1, nil, "x" })
end)

t.test("ids are positive, distinct and never reused", function()
  local seen = {}
  local last = 0
  for _ = 1, 200 do
    local h = smelt.spawn(function() end)
    local id = smelt.task.alloc()
    t.falsy(seen[h.id]); t.falsy(seen[id])
    seen[h.id] = true; seen[id] = true
    t.truthy(h.id > last and id > h.id)
    last = id
    h:wait()
  end
end)

t.test("status goes running, parked, done", function()
  local h = smelt.spawn(function() smelt.sleep(10) end)
  t.eq(h:status(), "running")
  smelt.sleep(1)
  t.eq(h:status(), "parked")
  h:wait()
  t.eq(h:status(), "done")
end)

t.test("wait returns the first result", function()
  local h = smelt.spawn(function() smelt.sleep(1); return "r1", "r2" end)
  t.eq(h:wait(), "r1")
  t.eq(h:wait(), "r1", "waiting again on a finished task")
end)

t.test("wait raises the task's error, keeping its value", function()
  local e = { code = 7 }
  local h = smelt.spawn(function() error(e) end)
  local ok, got = pcall(h.wait, h)
  t.falsy(ok)
  t.eq(got, e, "same table")
  t.eq(h:status(), "failed")
  local s = smelt.spawn(function() error("plain message", 0) end)
  t.eq(select(2, pcall(s.wait, s)), "plain message")
end)

t.test("wait on a cancelled task raises 'cancelled'", function()
  local h = smelt.spawn(function() smelt.sleep(1000) end)
  h:cancel()
  t.eq(select(2, pcall(h.wait, h)), "cancelled")
end)

t.test("remove is cancel's alias", function()
  local h = smelt.spawn(function() smelt.sleep(1000) end)
  smelt.sleep(0)
  h:remove()
  pcall(h.wait, h)
  t.eq(h:status(), "cancelled")
end)

t.test("a task cancelled before it starts never runs", function()
  local ran = false
  local h = smelt.spawn(function() ran = true end)
  h:cancel()
  pcall(h.wait, h)
  t.falsy(ran)
  t.eq(h:status(), "cancelled")
end)

t.test("a task cannot wait for itself", function()
  local me
  me = smelt.spawn(function()
    smelt.sleep(0)
    return select(2, pcall(me.wait, me))
  end)
  t.contains(me:wait(), "cannot wait for itself")
end)

t.test("handles print and compare", function()
  local h = smelt.spawn(function() end)
  t.contains(tostring(h), "smelt.task#" .. h.id)
  t.eq(h, h)
  h:wait()
end)

t.test("spawn needs a function", function()
  t.raises("bad argument #1 to 'smelt.spawn' (function expected, got number)", smelt.spawn, 42)
  t.raises("bad argument #1 to 'smelt.spawn' (function expected, got no value)", smelt.spawn)
end)

t.test("handle methods check their receiver", function()
  local h = smelt.spawn(function() end)
  t.raises("bad argument #1 to 'task:status' (task handle expected, got table)", h.status, {})
  h:wait()
end)

t.run()
