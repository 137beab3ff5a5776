-- task_sync_prop_spec.lua: random programs of queues, semaphores and events, with random cancels, against their invariants
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Each case starts random producers and consumers on a bounded queue,
-- workers on a semaphore and waiters on an event, each sleeping random
-- (virtual) times, and cancels random tasks at random moments. Checked:
--   - a semaphore never lets more than n holders in at once, and every
--     permit comes back (n are free at the end);
--   - every item whose put() returned normally is got exactly once, and
--     each producer's items arrive in the order it put them; an item whose
--     put raised is never got;
--   - a waiter cancelled in a line leaves it (the lines are empty at the end);
--   - every waiter on the event that was not cancelled wakes once it is set;
--   - after everything is cancelled or ends, no task of the case is left.
--
-- SMELT_PROP_SEED=n, SMELT_PROP_CASES=n as in task_prop_spec.lua.

local t = require("testlib")
local task = smelt.task

local SEED = tonumber(os.getenv("SMELT_PROP_SEED") or "") or 1
local CASES = tonumber(os.getenv("SMELT_PROP_CASES") or "") or 2000

local function run_case(seed)
  math.randomseed(seed)
  local rnd = math.random
  local q = task.queue(rnd(1, 3))
  local sem_n = rnd(1, 3)
  local sem = task.semaphore(sem_n)
  local ev = task.event()
  local holders, most = 0, 0
  local put_ok, got = {}, {}      -- "p.i" -> true
  local got_order = {}            -- producer -> last index got
  local problems = {}
  local handles = {}
  local woke, ev_waiters = {}, {}

  local function problem(fmt, ...) problems[#problems + 1] = fmt:format(...) end

  for p = 1, rnd(1, 3) do
    handles[#handles + 1] = smelt.spawn(function()
      for i = 1, rnd(1, 6) do
        if rnd(3) == 1 then smelt.sleep(rnd(0, 3)) end
        local ok, err = pcall(q.put, q, { p = p, i = i })
        if not ok then
          if tostring(err):find("closed", 1, true) then return end   -- closed while it waited
          error(err, 0)
        end
        put_ok[p .. "." .. i] = true
      end
    end)
  end
  for _ = 1, rnd(1, 3) do
    handles[#handles + 1] = smelt.spawn(function()
      while true do
        local item = q:get()
        if item == nil then return end
        local key = item.p .. "." .. item.i
        if got[key] then problem("item %s got twice", key) end
        got[key] = true
        local last = got_order[item.p] or 0
        if item.i <= last then problem("producer %d's item %d after its item %d", item.p, item.i, last) end
        got_order[item.p] = item.i
        if rnd(3) == 1 then smelt.sleep(rnd(0, 2)) end
      end
    end)
  end
  for _ = 1, rnd(1, 4) do
    handles[#handles + 1] = smelt.spawn(function()
      sem:with(function()
        holders = holders + 1
        most = math.max(most, holders)
        local ok, err = pcall(smelt.sleep, rnd(0, 3))
        holders = holders - 1
        if not ok then error(err, 0) end
      end)
    end)
  end
  for w = 1, rnd(0, 3) do
    ev_waiters[w] = smelt.spawn(function()
      ev:wait()
      woke[w] = true
    end)
    handles[#handles + 1] = ev_waiters[w]
  end

  -- random cancels at random moments, then the event, then close
  local cancelled = {}
  for _ = 1, rnd(0, 4) do
    smelt.sleep(rnd(0, 3))
    local i = rnd(#handles)
    handles[i]:cancel()
    cancelled[handles[i]] = true
  end
  smelt.sleep(rnd(0, 5))
  ev:set()
  smelt.sleep(10)   -- virtual: everything still able to run runs
  q:close()
  for _, h in ipairs(handles) do pcall(h.wait, h) end

  if most > sem_n then problem("%d holders at once on a semaphore of %d", most, sem_n) end
  if sem.free ~= sem_n then problem("%d of %d permits free at the end", sem.free, sem_n) end
  if #sem.waiters > 0 or #ev.waiters > 0 then
    problem("waiters left in a line: %d, %d", #sem.waiters, #ev.waiters)
  end
  -- every item put is got, unless every consumer was cancelled (then the
  -- queue may keep some) - what it keeps counts as delivered
  local kept = {}
  while q:size() > 0 do
    local item = q:get()
    kept[item.p .. "." .. item.i] = true
  end
  for key in pairs(put_ok) do
    if not got[key] and not kept[key] then problem("item %s put but never got", key) end
  end
  for key in pairs(got) do
    -- a put either happens or raises: one that raised never delivers
    if not put_ok[key] then problem("item %s got but its put raised", key) end
  end
  for w, h in pairs(ev_waiters) do
    if not cancelled[h] and not woke[w] then problem("event waiter %d never woke", w) end
  end
  for _, h in ipairs(handles) do
    local s = h:status()
    if s == "running" or s == "parked" then problem("task %d still %s", h.id, s) end
  end
  return problems
end

t.test(("%d random programs of queues, semaphores and events keep their invariants"):format(CASES), function()
  for i = 1, CASES do
    local seed = SEED + i - 1
    local problems = run_case(seed)
    if #problems > 0 then
      error(("seed %d (SMELT_PROP_SEED=%d SMELT_PROP_CASES=1 replays it): %s")
        :format(seed, seed, table.concat(problems, "; ")), 0)
    end
  end
end, { timeout = 600000 })

t.run()
