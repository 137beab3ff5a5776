-- task_sync_combinators_spec.lua: events, semaphores, queues, scopes and shields inside all, race, timeout, and <close>
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local task = smelt.task

t.test("semaphore:with under timeout: the deadline cancels the holder, and the permit comes back", function()
  local s = task.semaphore(1)
  local v, err = task.timeout(5, function()
    return s:with(function() smelt.sleep(1000) end)
  end)
  t.eq(v, nil); t.eq(err, "timeout")
  local got = task.timeout(5, function() s:acquire(); return "acquired" end)
  t.eq(got, "acquired", "the permit is free again")
  s:release()
end)

t.test("in all, a failing branch does not cancel a semaphore waiter: it gets its permit, then all raises", function()
  local s = task.semaphore(1)
  s:acquire()
  smelt.spawn(function() smelt.sleep(10); s:release() end)
  local got = false
  t.raises("sibling failed", task.all,
    function() s:acquire(); got = true; s:release() end,
    function() smelt.sleep(1); error("sibling failed", 0) end)
  t.eq(got, true)
end)

t.test("in a scope, a failing task cancels a semaphore waiter, which leaves the line", function()
  local s = task.semaphore(1)
  s:acquire()
  local got = false
  t.raises("sibling failed", task.scope, function()
    smelt.spawn(function() s:acquire(); got = true end)
    smelt.spawn(function() smelt.sleep(1); error("sibling failed", 0) end)
  end)
  s:release()
  local r = task.timeout(5, function() s:acquire(); return "acquired" end)
  t.eq(r, "acquired", "the permit did not go to the cancelled waiter")
  t.eq(got, false)
  s:release()
end)

t.test("event wait in race: the loser leaves the line; a set event wins at once", function()
  local ev = task.event()
  local i, v = task.race(function() ev:wait(); return "set" end, function() smelt.sleep(5); return "slept" end)
  t.eq(i, 2); t.eq(v, "slept")
  ev:set()
  i, v = task.race(function() ev:wait(); return "set" end, function() smelt.sleep(5); return "slept" end)
  t.eq(i, 1); t.eq(v, "set")
end)

t.test("queue get under timeout takes nothing; the item goes to the next get", function()
  local q = task.queue()
  local v, err = task.timeout(5, function() return q:get() end)
  t.eq(v, nil); t.eq(err, "timeout")
  q:put("x")
  t.eq(q:get(), "x")
end)

t.test("queue put under timeout while full leaves no item", function()
  local q = task.queue(1)
  q:put("first")
  local _, err = task.timeout(5, function() q:put("late") end)
  t.eq(err, "timeout")
  t.eq(q:get(), "first")
  t.eq(q:size(), 0)
end)

t.test("queues in all: a getter and a putter meet", function()
  local q = task.queue(1)
  local r = task.all(function() return q:get() + q:get() end, function() q:put(2); q:put(3) end)
  t.eq(r[1], 5)
end)

t.test("shield under timeout: the shielded work ends before timeout returns timeout", function()
  local finished = false
  local v, err = task.timeout(5, function()
    task.shield(function() smelt.sleep(20); finished = true end)
    return "after the shield"
  end)
  t.eq(v, nil); t.eq(err, "timeout")
  t.eq(finished, true)
end)

t.test("a scope that loses a race: its tasks have unwound when race returns", function()
  local unwound = false
  local i = task.race(function()
    return task.scope(function()
      smelt.spawn(function()
        local ok, e = pcall(smelt.sleep, 1000)
        unwound = true
        if not ok then error(e, 0) end
      end)
      smelt.sleep(1000)
    end)
  end, function() smelt.sleep(5); return "won" end)
  t.eq(i, 2)
  t.eq(unwound, true)
end)

t.test("<close> on a queue closes it when the block is left, by an error too", function()
  local q = task.queue()
  local got = {}
  local consumer = smelt.spawn(function() for v in q:iter() do got[#got + 1] = v end; return "ended" end)
  pcall(function()
    local producer <close> = q
    q:put(1); q:put(2)
    error("producer failed")
  end)
  t.eq(q:is_closed(), true)
  t.eq(consumer:wait(), "ended")
  t.same(got, { 1, 2 })
end)

t.test("cancelling the task in race: race raises at once, its branches unwind after", function()
  local unwound = false
  local outer = smelt.spawn(function()
    task.race(function()
      pcall(task.shield, function() smelt.sleep(20) end)
      unwound = true
    end, function() smelt.sleep(1000) end)
  end)
  smelt.sleep(1)
  outer:cancel()
  t.raises("cancelled", outer.wait, outer)
  t.eq(unwound, false, "still in its shield")
  smelt.sleep(30)
  t.eq(unwound, true)
end)

t.run()
