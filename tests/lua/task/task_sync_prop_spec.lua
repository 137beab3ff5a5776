-- task_sync_prop_spec.lua: random programs of queues, semaphores, events, scopes and shields, with random cancels, against their invariants
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Each case starts, on one bounded queue, one semaphore and one event,
-- random producers and consumers, workers, waiters, scopes (whose tasks
-- sleep, fail, fail once cancelled, run shielded, or are detached) and
-- shielded tasks, each sleeping random (virtual) times, and cancels random
-- tasks at random moments. A global counter orders what they see. Checked:
--   - a semaphore never lets more than n holders in at once, lets them in
--     in the order they came (FIFO), and every permit comes back;
--   - every item whose put() returned is got exactly once, and one whose
--     put raised never; the gets, in the order they came, take the items
--     in the order they went in (FIFO among producers and among consumers:
--     an item whose put returned before another's was called goes to an
--     earlier get);
--   - every waiter on the event that was not cancelled wakes once it is set;
--   - a scope returns or raises only after all its (not detached) tasks
--     have ended; it returns fn's results only if nothing failed; else it
--     raises the first failure (fn's or a task's), the same value, even
--     when later ones come while the rest unwind; "cancelled" (or that
--     failure) when its caller was cancelled;
--   - a shielded fn that started runs to its end, and a cancel that came
--     meanwhile is raised when it returns;
--   - after everything is cancelled or ends, no task of the case is left
--     running or parked.
--
-- It runs the fixed seeds 1..CASES (what CI runs), then, when
-- SMELT_PROP_SEED is set, CASES more from that seed ("random": from the
-- clock). A failure prints the seed and how to replay it.
-- SMELT_PROP_CASES=n   cases per batch (default 2000)
-- SMELT_PROP_WALL_S=n  stop early after n seconds of wall-clock time (30)

local t = require("testlib")
local task = smelt.task

local CASES = tonumber(os.getenv("SMELT_PROP_CASES") or "") or 2000
local WALL_CAP_S = tonumber(os.getenv("SMELT_PROP_WALL_S") or "") or 30
local env_seed = os.getenv("SMELT_PROP_SEED")
if env_seed == "random" then env_seed = tostring(os.time()) end
env_seed = tonumber(env_seed or "")

local function live(h)
  local s = h:status()
  return s == "running" or s == "parked"
end

local function run_case(seed)
  math.randomseed(seed)
  local rnd = math.random
  local clock = 0
  local function tick() clock = clock + 1; return clock end
  local problems = {}
  local function problem(fmt, ...) problems[#problems + 1] = fmt:format(...) end
  local handles = {}
  local function spawn(fn)
    local h = smelt.spawn(fn)
    handles[#handles + 1] = h
    return h
  end

  local q = task.queue(rnd(1, 3))
  local sem_n = rnd(1, 3)
  local sem = task.semaphore(sem_n)
  local ev = task.event()

  -- queue: producers and consumers -----------------------------------------
  local put_call, put_ret, got_at = {}, {}, {}   -- key -> tick
  local gets = {}                                -- { call = tick, key = key }
  for p = 1, rnd(1, 3) do
    spawn(function()
      for i = 1, rnd(1, 6) do
        if rnd(3) == 1 then smelt.sleep(rnd(0, 3)) end
        local key = p .. "." .. i
        put_call[key] = tick()
        local ok, err = pcall(q.put, q, { p = p, i = i, key = key })
        if not ok then
          if tostring(err):find("closed", 1, true) then return end
          error(err, 0)
        end
        put_ret[key] = tick()
      end
    end)
  end
  for _ = 1, rnd(1, 3) do
    spawn(function()
      while true do
        local call = tick()
        local item = q:get()
        if item == nil then return end
        if got_at[item.key] then problem("item %s got twice", item.key) end
        got_at[item.key] = tick()
        gets[#gets + 1] = { call = call, item = item }
        if rnd(3) == 1 then smelt.sleep(rnd(0, 2)) end
      end
    end)
  end

  -- semaphore: workers ------------------------------------------------------
  local holders, most = 0, 0
  local let_in = {}   -- the arrival ticks of the workers let in, in the order let in
  for _ = 1, rnd(1, 4) do
    spawn(function()
      local came = tick()
      sem:with(function()
        let_in[#let_in + 1] = came
        holders = holders + 1
        most = math.max(most, holders)
        local ok, err = pcall(smelt.sleep, rnd(0, 3))
        holders = holders - 1
        if not ok then error(err, 0) end
      end)
    end)
  end

  -- event: waiters ----------------------------------------------------------
  local woke, ev_waiters = {}, {}
  for w = 1, rnd(0, 3) do
    ev_waiters[w] = spawn(function()
      ev:wait()
      woke[w] = true
    end)
  end

  -- scopes ------------------------------------------------------------------
  local scopes = {}
  for s = 1, rnd(0, 2) do
    local rec = { kids = {}, fails = {} }
    scopes[s] = rec
    local function fail(tag)
      local v = { tag = tag }
      rec.fails[#rec.fails + 1] = v
      error(v, 0)
    end
    rec.runner = spawn(function()
      local ok, err = pcall(task.scope, function()
        for k = 1, rnd(0, 3) do
          local mode = rnd(1, 5)
          local h = smelt.spawn(function()
            if mode == 4 then
              -- shielded: a cancel meanwhile waits for it
              task.shield(function() smelt.sleep(rnd(0, 4)) end)
              return
            end
            local ok2, e = pcall(smelt.sleep, rnd(0, 6))
            if not ok2 then
              if mode == 3 then fail("kid " .. k .. " cancelled") end   -- a failure while unwinding
              error(e, 0)
            end
            if mode == 2 then fail("kid " .. k) end
          end)
          if mode == 5 then
            h:detach()
            handles[#handles + 1] = h
          else
            rec.kids[#rec.kids + 1] = h
            handles[#handles + 1] = h
          end
        end
        local ok3, e = pcall(smelt.sleep, rnd(0, 6))
        if not ok3 then error(e, 0) end
        if rnd(4) == 1 then fail("body") end
        return "result"
      end)
      rec.ended = tick()
      rec.ok, rec.err = ok, err
      for _, h in ipairs(rec.kids) do
        if live(h) then rec.kid_live = (rec.kid_live or 0) + 1 end
      end
    end)
  end

  -- shields -----------------------------------------------------------------
  local shields = {}
  for s = 1, rnd(0, 2) do
    local rec = { steps = rnd(1, 3), done = 0 }
    shields[s] = rec
    rec.h = spawn(function()
      if rnd(2) == 1 then smelt.sleep(rnd(0, 2)) end
      local ok, err = pcall(task.shield, function()
        rec.started = tick()
        for i = 1, rec.steps do
          smelt.sleep(rnd(0, 3))
          rec.done = i
        end
        rec.finished = tick()
      end)
      rec.ok, rec.err = ok, err
      if not ok then error(err, 0) end
      smelt.sleep(rnd(0, 3))
    end)
  end

  -- random cancels at random moments, then the event, then close -------------
  local cancelled = {}   -- handle -> tick of its first cancel
  for _ = 1, rnd(0, 5) do
    smelt.sleep(rnd(0, 3))
    local h = handles[rnd(#handles)]
    h:cancel()
    cancelled[h] = cancelled[h] or tick()
  end
  smelt.sleep(rnd(0, 5))
  ev:set()
  smelt.sleep(20)   -- virtual: everything still able to run runs
  q:close()
  for _ = 1, 3 do
    for _, h in ipairs(handles) do pcall(h.wait, h) end   -- the list grows while scopes run
  end

  -- semaphore
  if most > sem_n then problem("%d holders at once on a semaphore of %d", most, sem_n) end
  for i = 2, #let_in do
    if let_in[i] < let_in[i - 1] then problem("semaphore not FIFO: let in %s", table.concat(let_in, ",")) end
  end
  local _, timed_out = task.timeout(1, function() for _ = 1, sem_n do sem:acquire() end end)
  if timed_out then
    problem("a permit was lost")
  else
    for _ = 1, sem_n do sem:release() end
  end

  -- queue
  while q:size() > 0 do   -- what no consumer took (all cancelled) counts as delivered
    local call = tick()
    local item = q:get()
    got_at[item.key] = tick()
    gets[#gets + 1] = { call = call, item = item }
  end
  for key in pairs(put_ret) do
    if not got_at[key] then problem("item %s put but never got", key) end
  end
  for key in pairs(got_at) do
    if not put_ret[key] then problem("item %s got but its put raised", key) end
  end
  -- Both sides are FIFO, so the gets, in the order they were called, take
  -- the items in the order they went in: no get takes an item known to
  -- have gone in after the item of a get called later. a is known before
  -- b when b's put was called after a's returned, or b comes later from
  -- the same producer.
  local function known_before(a, b)
    return (put_ret[a.key] and put_call[b.key] and put_ret[a.key] < put_call[b.key])
      or (a.p == b.p and a.i < b.i)
  end
  for x = 1, #gets do
    for y = 1, #gets do
      local gx, gy = gets[x], gets[y]
      if gx.call < gy.call and known_before(gy.item, gx.item) then
        problem("a later get took the earlier item: %s before %s", gy.item.key, gx.item.key)
      end
    end
  end

  -- event
  for w, h in pairs(ev_waiters) do
    if not cancelled[h] and not woke[w] then problem("event waiter %d never woke", w) end
  end

  -- scopes
  for s, rec in ipairs(scopes) do
    if rec.ended then
      if rec.kid_live then problem("scope %d ended with %d of its tasks live", s, rec.kid_live) end
      local runner_cancelled = cancelled[rec.runner] ~= nil and cancelled[rec.runner] < rec.ended
      local first = rec.fails[1]
      if runner_cancelled then
        if rec.ok or not (rec.err == "cancelled" or (first and rawequal(rec.err, first))) then
          problem("scope %d of a cancelled caller: %s %s", s, tostring(rec.ok), tostring(rec.err))
        end
      elseif first then
        if rec.ok or not rawequal(rec.err, first) then
          problem("scope %d raised %s, not its first failure %s", s,
            type(rec.err) == "table" and tostring(rec.err.tag) or tostring(rec.err), first.tag)
        end
      elseif not rec.ok or rec.err ~= "result" then
        problem("scope %d with no failure: %s %s", s, tostring(rec.ok), tostring(rec.err))
      end
    elseif not cancelled[rec.runner] then
      problem("scope %d never ended", s)
    end
  end

  -- shields
  for s, rec in ipairs(shields) do
    if rec.started then
      if rec.done ~= rec.steps then problem("shield %d stopped at step %d of %d", s, rec.done, rec.steps) end
      local c = cancelled[rec.h]
      if c and c > rec.started and c < rec.finished and rec.ok then
        problem("shield %d: a cancel during it was not raised after it", s)
      end
    end
  end

  for _, h in ipairs(handles) do
    if live(h) then problem("task %d still %s", h.id, h:status()) end
  end
  return problems
end

local started = os.time()

local function run_batch(first_seed)
  for i = 1, CASES do
    local seed = first_seed + i - 1
    local problems = run_case(seed)
    if #problems > 0 then
      error(("seed %d (SMELT_PROP_SEED=%d SMELT_PROP_CASES=1 replays it after seed 1): %s")
        :format(seed, seed, table.concat(problems, "; ")), 0)
    end
    if os.time() - started > WALL_CAP_S then
      print(("# stopped after %d s of wall-clock time, at seed %d"):format(WALL_CAP_S, seed))
      return
    end
  end
end

t.test(("%d random programs of queues, semaphores, events, scopes and shields keep their invariants")
  :format(CASES), function()
  run_batch(1)
  if env_seed then
    print(("# and %d from SMELT_PROP_SEED=%d"):format(CASES, env_seed))
    run_batch(env_seed)
  end
end, { timeout = 200 * 2 * CASES + 60000 })   -- virtual ms: a case sleeps 20 to 60 of them

t.run()
