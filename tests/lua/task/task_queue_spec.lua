-- task_queue_spec.lua: smelt.task.queue in every waiting state: a put or get either happens or raises cancelled
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local task = smelt.task

local function waiting_on(h)
  for _, info in ipairs(task.list()) do
    if info.id == h.id then return info.waiting_on end
  end
end

t.test("a put cancelled while the queue is full leaves no item", function()
  local q = task.queue(1)
  q:put("first")
  local p = smelt.spawn(function() q:put("never") end)
  smelt.sleep(1)
  t.eq(waiting_on(p), "queue put")
  p:cancel()
  t.raises("cancelled", p.wait, p)
  t.eq(q:get(), "first")
  t.eq(q:size(), 0, "the cancelled put's item never went in")
end)

t.test("a put whose item went in before the cancel returns; the cancel comes at its next park", function()
  local q = task.queue(1)
  q:put("first")
  local returned = false
  local p = smelt.spawn(function()
    q:put("second")
    returned = true
    smelt.sleep(0)
  end)
  smelt.sleep(1)
  t.eq(q:get(), "first")   -- "second" moves in, p is woken ...
  p:cancel()               -- ... and cancelled before it runs
  t.raises("cancelled", p.wait, p)
  t.eq(returned, true, "put returned: its item is in the queue")
  t.eq(q:get(), "second")
end)

t.test("a get cancelled while the queue is empty takes nothing", function()
  local q = task.queue()
  local g = smelt.spawn(function() return q:get() end)
  smelt.sleep(1)
  t.eq(waiting_on(g), "queue get")
  g:cancel()
  t.raises("cancelled", g.wait, g)
  q:put("x")
  t.eq(q:get(), "x")
end)

t.test("get on a closed queue whose items are promised to woken getters returns nil", function()
  local q = task.queue()
  local g = smelt.spawn(function() return q:get() end)
  smelt.sleep(1)
  q:put("x")    -- promised to g, which has not run yet
  t.eq(q:is_closed(), false)
  q:close()
  t.eq(q:is_closed(), true)
  t.eq(q:get(), nil, "not parked forever")
  t.eq(g:wait(), "x")
end)

t.test("getters and putters are served first come, first served", function()
  local q = task.queue(1)
  local got = {}
  local gs = {}
  for i = 1, 3 do gs[i] = smelt.spawn(function() local v = q:get(); got[#got + 1] = i .. ":" .. v end) end
  smelt.sleep(1)
  for _, v in ipairs({ "a", "b", "c" }) do q:put(v) end
  for _, g in ipairs(gs) do g:wait() end
  t.same(got, { "1:a", "2:b", "3:c" })
  q:put(0)
  local ps = {}
  for i = 1, 3 do ps[i] = smelt.spawn(function() q:put(i) end) end
  smelt.sleep(1)
  local out = {}
  for _ = 1, 4 do out[#out + 1] = q:get() end
  t.same(out, { 0, 1, 2, 3 })
end)

t.test("a get that comes while an earlier getter is woken but has not run gets the later item", function()
  local q = task.queue()
  local first
  local g = smelt.spawn(function() first = q:get() end)
  smelt.sleep(1)
  q:put("a")   -- g is woken for it, and has not run yet
  q:put("b")
  local second = q:get()
  g:wait()
  t.eq(first, "a", "the first getter, the first item")
  t.eq(second, "b")
end)

t.test("a promised getter cancelled passes its item on: the gets still take the items in order", function()
  local q = task.queue()
  local g1 = smelt.spawn(function() return q:get() end)
  local g2 = smelt.spawn(function() return q:get() end)
  smelt.sleep(1)
  q:put("a"); q:put("b"); q:put("c")   -- a and b promised to g1 and g2
  g1:cancel()                          -- before it ran
  local first = q:get()                -- comes after g2
  local second = q:get()
  t.raises("cancelled", g1.wait, g1)
  t.eq(g2:wait(), "a")
  t.eq(first, "b")
  t.eq(second, "c")
end)

t.test("the queue's methods name themselves in errors", function()
  local q = task.queue(2)
  t.raises("bad self", q.get, {})
  t.raises("a positive integer expected, got 0", task.queue, 0)
  t.raises("a value expected, got nil", q.put, q, nil)
  local ok, err
  smelt.timer.set(0, function() ok, err = pcall(q.get, q) end)
  smelt.sleep(5)
  t.eq(ok, false)
  t.contains(err, "queue:get: must be called from inside a task")
  q:put(1)
  t.eq(q:size(), 1)
end)

t.run()
