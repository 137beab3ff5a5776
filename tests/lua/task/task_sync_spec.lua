-- task_sync_spec.lua: events, semaphores, queues and completion order, in every waiting state, cancelled too
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local task = smelt.task

local function waiting_on(h)
  for _, info in ipairs(task.list()) do
    if info.id == h.id then return info.waiting_on end
  end
end

t.test("event: waiters park until set, any number; wait returns at once while set", function()
  local e = task.event()
  t.eq(e:is_set(), false)
  local woke = {}
  local hs = {}
  for i = 1, 3 do hs[i] = smelt.spawn(function() e:wait(); woke[#woke + 1] = i end) end
  smelt.sleep(10)
  t.eq(#woke, 0)
  t.eq(waiting_on(hs[1]), "event")
  e:set()
  for _, h in ipairs(hs) do h:wait() end
  t.same(woke, { 1, 2, 3 })
  e:wait()   -- set: at once
  e:clear()
  t.eq(e:is_set(), false)
  local h = smelt.spawn(function() e:wait() end)
  smelt.sleep(5)
  t.eq(h:status(), "parked")
  h:cancel()
  t.raises("cancelled", h.wait, h)
  t.eq(#e.waiters, 0, "a cancelled waiter leaves")
  e:set()
end)

t.test("semaphore: n at a time, FIFO; a waiter cancelled in line leaves it; with releases on error", function()
  local s = task.semaphore(2)
  local running, most, order = 0, 0, {}
  local function worker(i)
    return smelt.spawn(function()
      s:with(function()
        running = running + 1
        most = math.max(most, running)
        order[#order + 1] = i
        smelt.sleep(10)
        running = running - 1
      end)
    end)
  end
  local hs = {}
  for i = 1, 5 do hs[i] = worker(i) end
  smelt.sleep(1)
  t.eq(waiting_on(hs[3]), "semaphore 2/2")
  hs[4]:cancel()   -- in line: it leaves, the others keep their turns
  for i, h in ipairs(hs) do if i ~= 4 then h:wait() end end
  t.eq(most, 2, "never more than 2 at once")
  t.same(order, { 1, 2, 3, 5 }, "first come, first served")
  t.raises("boom", s.with, s, function() error("boom") end)
  s:acquire(); s:acquire()   -- both permits are back
  s:release(); s:release()
  t.raises("released more than acquired", s.release, s)
  t.raises("a positive integer expected, got 0", task.semaphore, 0)
end)

t.test("semaphore: a waiter cancelled after it was handed the permit passes it on", function()
  local s = task.semaphore(1)
  s:acquire()
  local a = smelt.spawn(function() s:acquire(); return "a" end)
  local b = smelt.spawn(function() s:acquire(); return "b" end)
  smelt.sleep(1)
  s:release()   -- a is handed the permit ...
  a:cancel()    -- ... and cancelled before it runs
  t.raises("cancelled", a.wait, a)
  t.eq(b:wait(), "b", "the permit went on to b")
end)

t.test("queue: FIFO, put parks while full, get while empty, close ends the iteration", function()
  local q = task.queue(2)
  q:put(1); q:put(2)
  local third = smelt.spawn(function() q:put(3) end)
  smelt.sleep(1)
  t.eq(waiting_on(third), "queue put")
  t.eq(q:get(), 1)
  third:wait()
  t.eq(q:size(), 2)
  local got = {}
  local consumer = smelt.spawn(function()
    for v in q:iter() do got[#got + 1] = v end
    return "ended"
  end)
  smelt.sleep(1)
  t.eq(waiting_on(consumer), "queue get")
  q:put(4)
  q:close()
  t.eq(consumer:wait(), "ended")
  t.same(got, { 2, 3, 4 })
  t.eq(q:get(), nil, "closed and empty")
  t.raises("the queue is closed", q.put, q, 5)
  t.raises("a value expected, got nil", q.put, task.queue(), nil)
end)

t.test("queue: a getter cancelled after it was handed an item gives it back; producers keep their order", function()
  local q = task.queue()
  local g = smelt.spawn(function() return q:get() end)
  smelt.sleep(1)
  q:put("x")     -- handed to g ...
  g:cancel()     -- ... which is cancelled before it runs
  t.raises("cancelled", g.wait, g)
  t.eq(q:get(), "x", "the item is not lost")
  local full = task.queue(1)
  full:put(0)
  local ps = {}
  for i = 1, 3 do ps[i] = smelt.spawn(function() full:put(i) end) end
  smelt.sleep(1)
  ps[2]:cancel()
  t.raises("cancelled", ps[2].wait, ps[2])
  local out = {}
  for _ = 1, 3 do out[#out + 1] = full:get() end
  t.same(out, { 0, 1, 3 }, "FIFO among producers; the cancelled one's item never went in")
  -- a putter waiting when the queue closes raises
  local p = smelt.spawn(function() full:put(9); full:put(10) end)
  smelt.sleep(1)
  full:close()
  t.raises("the queue was closed", p.wait, p)
end)

t.test("as_completed yields the handles in the order they finish, failures too", function()
  local a = smelt.spawn(function() smelt.sleep(30); return "a" end)
  local b = smelt.spawn(function() smelt.sleep(10); error("b failed", 0) end)
  local c = smelt.spawn(function() smelt.sleep(20); return "c" end)
  local order = {}
  for h in task.as_completed({ a, b, c }) do
    local ok, v = pcall(h.wait, h)
    order[#order + 1] = (ok and "" or "!") .. tostring(v)
  end
  t.same(order, { "!b failed", "c", "a" })
end)

t.test("shield: fn runs to its end when the task is cancelled meanwhile; the cancel comes after", function()
  local steps = {}
  local h = smelt.spawn(function()
    local r = task.shield(function()
      steps[#steps + 1] = "start"
      smelt.sleep(50)          -- the cancel comes here: it waits
      steps[#steps + 1] = "slept"
      local child = smelt.spawn(function() smelt.sleep(20); steps[#steps + 1] = "child" end)
      child:wait()
      return "saved"
    end)
    steps[#steps + 1] = "after " .. tostring(r)   -- never: the cancel is raised first
  end)
  smelt.sleep(10)
  h:cancel()
  t.eq(h:status(), "parked", "still at its work")
  t.raises("cancelled", h.wait, h)
  t.same(steps, { "start", "slept", "child" })
  -- nested shields: the cancel waits for the outer one
  local inner_done = false
  local h2 = smelt.spawn(function()
    task.shield(function()
      task.shield(function() smelt.sleep(10) end)
      smelt.sleep(10)
      inner_done = true
    end)
  end)
  smelt.sleep(1)
  h2:cancel()
  t.raises("cancelled", h2.wait, h2)
  t.truthy(inner_done)
  -- an error in fn is raised as it is
  t.raises("shielded boom", task.shield, function() error("shielded boom") end)
  t.eq(task.shield(function(a, b) return a + b end, 2, 3), 5)
  t.raises("must be called from inside a task", function()
    local ok, err
    smelt.timer.set(0, function() ok, err = pcall(task.shield, function() end) end)
    smelt.sleep(5)
    error(err, 0)
  end)
end)

t.test("scope: returns fn's results once every task it spawned has finished", function()
  local done = {}
  local function helper(i) smelt.spawn(function() smelt.sleep(10 * i); done[#done + 1] = i end) end
  local a, b = task.scope(function(x)
    for i = 3, 1, -1 do helper(i) end   -- spawned by a function fn calls
    return x, "two"
  end, "one")
  t.eq(a, "one"); t.eq(b, "two")
  t.same(done, { 1, 2, 3 }, "all finished before scope returned")
end)

t.test("scope: the first failure cancels fn and the rest, and is raised unchanged, not reported", function()
  local err_value = setmetatable({ why = "broken" }, { __tostring = function() return "scope-broken" end })
  local cancelled = {}
  local ok, err = pcall(task.scope, function()
    smelt.spawn(function()
      local ok2, e = pcall(smelt.sleep, 1000)
      cancelled.sibling = not ok2 and task.is_cancelled(e)
      if not ok2 then error(e, 0) end
    end)
    smelt.spawn(function() smelt.task.name("scope-failing"); smelt.sleep(5); error(err_value, 0) end)
    local ok3, e = pcall(smelt.sleep, 1000)
    cancelled.body = not ok3 and task.is_cancelled(e)
    if not ok3 then error(e, 0) end
  end)
  t.eq(ok, false)
  t.truthy(err == err_value, "the same table")
  t.eq(cancelled.sibling, true)
  t.eq(cancelled.body, true)
  for _, m in ipairs(smelt.messages()) do
    t.falsy(m.message:find("scope-failing", 1, true), "not reported as uncaught: " .. m.message)
  end
end)

t.test("scope: cancelling its caller cancels them all; detach takes one out", function()
  local detached_ran, other_cancelled = false, nil
  local outer = smelt.spawn(function()
    task.scope(function()
      smelt.spawn(function()
        smelt.task.name("scope-detached")
        smelt.sleep(30)
        detached_ran = true
        error("detached failure", 0)
      end):detach()
      smelt.spawn(function()
        local ok = pcall(smelt.sleep, 1000)
        other_cancelled = not ok
      end)
      smelt.sleep(1000)
    end)
  end)
  smelt.sleep(5)
  for _, info in ipairs(task.list()) do
    if info.id == outer.id then t.eq(info.waiting_on, "scope") end
  end
  outer:cancel()
  t.raises("cancelled", outer.wait, outer)
  smelt.sleep(50)
  t.eq(other_cancelled, true)
  t.eq(detached_ran, true, "the detached task ran on")
  local reported = false
  for _, m in ipairs(smelt.messages()) do
    reported = reported or m.message == "scope-detached: detached failure"
  end
  t.truthy(reported, "its failure reported as any task's")
end)

t.test("1,000,000 items through a queue(1) between two tasks arrive in order", function()
  local q = task.queue(1)
  local n = 1000000
  local producer = smelt.spawn(function()
    for i = 1, n do q:put(i) end
    q:close()
  end)
  local expect, bad = 1, nil
  for v in q:iter() do
    if v ~= expect and not bad then bad = ("got %d, expected %d"):format(v, expect) end
    expect = expect + 1
  end
  producer:wait()
  t.eq(bad, nil)
  t.eq(expect, n + 1)
end, { timeout = 120000 })

t.run()
