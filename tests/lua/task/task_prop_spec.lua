-- task_prop_spec.lua: random task programs against the documented semantics (tasks.txt)
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Each case generates a random program of spawn, sleep, coroutine.yield,
-- cancel, h:wait, all, race, timeout, alloc/resume/wait, external, pcall,
-- <close> handlers, task.list and full collections, runs it (with
-- --virtual-time: deterministic, and sleeps cost nothing), and checks what
-- it saw against a model kept in step with it: the task tree and who was cancelled, the state of every
-- external id, what each task returned or raised.  Invariants checked:
--   - spawn delivers every argument;
--   - a park returns normally only if its task was not cancelled; a park
--     of a cancelled task raises exactly "cancelled";
--   - h:wait returns the task's first result (the same value) or raises
--     its error (the same value, a number stays a number) or "cancelled";
--   - task.wait gets the value resumed, a resolved id's value at once, and
--     "not pending" / "already waited on" errors exactly when the model says;
--   - all returns every branch's result (r.n counted); race and timeout
--     return only after the losers unwound;
--   - a task's final status follows from how it ended and whether it was
--     cancelled; a task cancelled before it first ran never runs;
--   - every uncaught error is reported exactly once, and an error a
--     waiter took is not reported;
--   - smelt.task.list() shows the tasks that run, under their parents,
--     and none whose body ended;
--   - after the program's root is cancelled, every task of it ends.
-- Any crash fails the test outright (the ASan build runs it too).
--
-- SMELT_PROP_SEED=n    the first case's seed (case i uses n + i - 1); a
--                      failure prints the seed that replays it
-- SMELT_PROP_CASES=n   how many cases (default 150; meson sets the budget)
-- SMELT_PROP_PRINT=1   print each program before running it (for a crash)
-- SMELT_PROP_SHRINK=0  do not minimise a failing program
-- SMELT_PROP_SIZE=n    at most n ops at a program's top level (default 10)
-- SMELT_PROP_WALL_S=n  stop early after n seconds of wall-clock time (50)

local t = require("testlib")
local task = smelt.task

local SEED = tonumber(os.getenv("SMELT_PROP_SEED") or "") or 1
local CASES = tonumber(os.getenv("SMELT_PROP_CASES") or "") or 150
local PRINT = os.getenv("SMELT_PROP_PRINT") == "1"
local SHRINK = os.getenv("SMELT_PROP_SHRINK") ~= "0"
local WALL_CAP_S = tonumber(os.getenv("SMELT_PROP_WALL_S") or "") or 50
local SIZE = tonumber(os.getenv("SMELT_PROP_SIZE") or "") or 10

-- ------------------------------------------------------------ generator

local rnd   -- math.random, reseeded per case

local function pick(list) return list[rnd(#list)] end

local gen_body

local NOPARK_OPS = { "cancel", "cancel", "spawn", "resume", "alloc" }

local function gen_noparks(depth)
  local ops = {}
  for _ = 1, rnd(0, 2) do
    local kind = pick(NOPARK_OPS)
    if kind == "spawn" then
      ops[#ops + 1] = { op = "spawn", body = gen_body(depth + 1, 3), nargs = rnd(0, 3) }
    elseif kind == "cancel" then
      ops[#ops + 1] = { op = "cancel", k = rnd(1, 8) }
    elseif kind == "resume" then
      ops[#ops + 1] = { op = "resume", k = rnd(1, 6), value = rnd(1, 6) }
    else
      ops[#ops + 1] = { op = "alloc" }
    end
  end
  return ops
end

local function gen_branches(depth, n)
  local bodies = {}
  for i = 1, n do bodies[i] = gen_body(depth + 1, 4) end
  return bodies
end

local SLEEPS = { 0, 0, 1, 1, 2, 3, 5, 10 }

--- A list of ops for one function body.
function gen_body(depth, max_len)
  local ops = {}
  local len = rnd(0, max_len)
  for _ = 1, len do
    local r = rnd(100)
    local deep = depth < 3
    if r <= 14 then
      ops[#ops + 1] = { op = "sleep", ms = pick(SLEEPS) }
    elseif r <= 17 then
      ops[#ops + 1] = { op = "yield" }
    elseif r <= 18 then
      ops[#ops + 1] = { op = rnd(2) == 1 and "gc" or "list" }
    elseif r <= 32 and deep then
      local nargs = rnd(100) <= 15 and rnd(30, 60) or rnd(0, 4)
      -- a dropped handle: nobody can wait for the task; its handle is garbage
      ops[#ops + 1] = { op = "spawn", body = gen_body(depth + 1, 5), nargs = nargs,
                        drop = rnd(100) <= 20 or nil }
    elseif r <= 42 then
      ops[#ops + 1] = { op = "cancel", k = rnd(1, 8) }
    elseif r <= 52 then
      ops[#ops + 1] = { op = "wait", k = rnd(1, 8) }
    elseif r <= 56 then
      ops[#ops + 1] = { op = "alloc" }
    elseif r <= 61 then
      ops[#ops + 1] = { op = "resume", k = rnd(1, 6), value = rnd(1, 6) }
    elseif r <= 66 then
      ops[#ops + 1] = { op = "wait_id", k = rnd(1, 6) }
    elseif r <= 70 then
      ops[#ops + 1] = { op = "external", how = pick({ "now", "later", "share" }),
                        ms = pick(SLEEPS), value = rnd(1, 6),
                        -- what start(id) does besides: it may cancel, or raise
                        ops = rnd(100) <= 30 and gen_noparks(depth) or nil,
                        raise = rnd(100) <= 10 and rnd(1, 8) or nil }
    elseif r <= 74 and deep then
      ops[#ops + 1] = { op = "all", bodies = gen_branches(depth, rnd(0, 3)) }
    elseif r <= 78 and deep then
      ops[#ops + 1] = { op = "race", bodies = gen_branches(depth, rnd(1, 3)) }
    elseif r <= 82 and deep then
      ops[#ops + 1] = { op = "timeout", ms = pick(SLEEPS), body = gen_body(depth + 1, 4) }
    elseif r <= 87 and deep then
      ops[#ops + 1] = { op = "pcall", body = gen_body(depth + 1, 4) }
    elseif r <= 92 then
      ops[#ops + 1] = { op = "close", ops = gen_noparks(depth),
                        raise = rnd(100) <= 20 and rnd(1, 8) or nil }
    elseif r <= 96 then
      ops[#ops + 1] = { op = "error", value = rnd(1, 8) }
    else
      ops[#ops + 1] = { op = "return", value = rnd(1, 6) }
    end
  end
  return ops
end

--- The program as text: what a failure prints, for a regression spec.
local function show(ops, indent, out)
  indent = indent or ""
  out = out or {}
  for _, o in ipairs(ops) do
    local fields = {}
    for k, v in pairs(o) do
      if type(v) ~= "table" and k ~= "op" then fields[#fields + 1] = k .. "=" .. tostring(v) end
    end
    table.sort(fields)
    out[#out + 1] = indent .. o.op .. (#fields > 0 and (" " .. table.concat(fields, " ")) or "")
    if o.body then show(o.body, indent .. "  ", out) end
    if o.ops then show(o.ops, indent .. "  | ", out) end
    if o.bodies then
      for i, b in ipairs(o.bodies) do
        out[#out + 1] = indent .. "  branch " .. i
        show(b, indent .. "    ", out)
      end
    end
  end
  return out
end

-- ---------------------------------------------------------------- model

-- One run's world: the model of every task the program made, and of
-- every external id.  Task names are p<run>.<n>: unique, as the reports
-- are counted by name in smelt.messages().
local W
local RUNS = 0

local function violation(fmt, ...)
  local msg = fmt:format(...)
  W.violations[#W.violations + 1] = msg
end

local function new_record(parent, kind)
  W.n_tasks = W.n_tasks + 1
  local rec = {
    name = ("p%d.%d"):format(W.case, W.n_tasks),
    parent = parent,
    children = {},
    kind = kind,                                    -- "root", "spawn", "branch"
    -- a race or timeout branch is cancelled by the runtime, which the
    -- model does not see: its tree may end cancelled without a model cancel
    under_race = kind == "race" or (parent ~= nil and parent.under_race) or false,
    cancel_req = parent ~= nil and parent.cancel_req or false,
    started = false, ended = false,
    delivered = 0, live_delivered = 0, pcall_depth = 0,
  }
  if parent then parent.children[#parent.children + 1] = rec end
  return rec
end

--- h:cancel() in the model: the task and every descendant not yet ended.
local function model_cancel(rec)
  local todo = { rec }
  while #todo > 0 do
    local r = table.remove(todo)
    if not r.ended then
      r.cancel_req = true
      -- a cancelled waiter's id dies with its wait
      if r.parked_on_id then
        r.parked_on_id.state = "dead"
        r.parked_on_id = nil
      end
    end
    for _, c in ipairs(r.children) do todo[#todo + 1] = c end
  end
end

local function fresh_value(kind)
  W.n_values = W.n_values + 1
  local n = W.n_values
  if kind == 1 then return n
  elseif kind == 2 then return n + 0.5
  elseif kind == 3 then return "v" .. n
  elseif kind == 4 then return { v = n }
  elseif kind == 5 then return false
  elseif kind == 6 then return nil
  elseif kind == 7 then return "cancelled"                -- an error that looks like a cancel
  else return setmetatable({ e = n }, { __tostring = function(e) return "E" .. e.e end })
  end
end

local function is_cancel(v) return v == "cancelled" end

-- ----------------------------------------------------------- interpreter

local exec
local note_close

local function handle_at(k)
  local n = #W.handles
  if n == 0 then return nil end
  return W.handles[(k - 1) % n + 1]
end

local function id_at(k)
  local n = #W.ids
  if n == 0 then return nil end
  return W.ids[(k - 1) % n + 1]
end

--- After a park of `me` returned (ok) or raised (err): the park rules.
local function check_park(me, what, ok, err)
  if ok and me.cancel_req then
    violation("%s: %s returned normally although the task was cancelled", me.name, what)
  elseif not ok and is_cancel(err) and not me.cancel_req and not me.under_race then
    violation("%s: %s raised cancelled although nothing cancelled the task", me.name, what)
  end
end

--- A <close> handler of rec runs with err.  The first to run where
--- nothing can yield, outside any pcall, is lua_resetthread's closing of a
--- dead task: its err is the error the task died with, the one waiters
--- get (a later handler may raise a new one, reported on its own).
function note_close(rec, in_pcall, err)
  if not in_pcall and not coroutine.isyieldable() and rec.death == nil then
    rec.death = { err }
  end
end

local function run_task_body(rec, body, nargs, ...)
  rec.started = true
  if rec.cancel_req then
    -- cancelled before it first ran: it must never run
    violation("%s ran although it was cancelled before it first ran", rec.name)
  end
  local got = select("#", ...)
  if got ~= nargs then
    violation("%s: spawned with %d arguments, got %d", rec.name, nargs, got)
  else
    for i = 1, nargs do
      if select(i, ...) ~= i then
        violation("%s: argument %d is %s", rec.name, i, tostring((select(i, ...))))
        break
      end
    end
  end
  task.name(rec.name)
  local fin <close> = setmetatable({}, { __close = function(_, err)
    note_close(rec, false, err)
    rec.ended = true
    if rec.outcome == nil then
      rec.outcome, rec.last_err = "raised", err
      if rec.death then rec.err = rec.death[1] else rec.err = err end
    end
  end })
  local v = exec(body, rec)
  rec.outcome, rec.ret = "returned", v
  return v
end

local function spawn_record(parent, body, nargs, drop)
  local rec = new_record(parent, "spawn")
  local args = {}
  for i = 1, nargs do args[i] = i end
  local h = smelt.spawn(run_task_body, rec, body, nargs, table.unpack(args, 1, nargs))
  rec.id = h.id
  W.by_id[h.id] = rec
  if drop then
    rec.dropped = true
  else
    rec.handle = h
    W.handles[#W.handles + 1] = rec
  end
  return rec
end

local function new_id()
  local id = { id = task.alloc(), state = "allocated" }
  W.ids[#W.ids + 1] = id
  return id
end

local function model_resume(id, v)
  if id.state == "allocated" then
    id.state, id.value = "resolved", v
  elseif id.state == "waiting" then
    id.waiter.parked_on_id = nil
    id.waiter.delivery = { v }
    id.state = "dead"
  end
  task.resume(id.id, v)
end

--- task.wait(id) by me, checked against the model.
local function wait_id(me, id, fname)
  fname = fname or "smelt.task.wait"
  if me.cancel_req then
    local ok, err = pcall(task.wait, id.id)
    if ok or not is_cancel(err) then
      violation("%s: %s by a cancelled task did not raise cancelled (%s)", me.name, fname, tostring(err))
    end
    error(err, 0)
  end
  local state = id.state
  if state == "unknown" then
    local ok, v = pcall(task.wait, id.id)
    check_park(me, fname, ok, nil)
    if ok then return v end
    error(v, 0)
  elseif state == "resolved" then
    local ok, v = pcall(task.wait, id.id)
    if not ok and is_cancel(v) and me.under_race then error(v, 0) end   -- the runtime cancelled it
    id.state = "dead"
    if not ok or not rawequal(v, id.value) then
      violation("%s: wait on a resolved id gave %s, %s", me.name, tostring(ok), tostring(v))
    end
    if not ok then error(v, 0) end
    return v
  elseif state == "dead" or state == "waiting" then
    local ok, err = pcall(task.wait, id.id)
    if not ok and is_cancel(err) and me.under_race then error(err, 0) end
    local want = state == "dead" and "is not pending" or "is already waited on"
    if ok or type(err) ~= "string" or not err:find(want, 1, true) then
      if not (state == "waiting" and id.waiter.under_race and type(err) == "string"
              and err:find("is not pending", 1, true)) then
        violation("%s: wait on a %s id: expected an error with %q, got %s, %s", me.name, state, want,
                  tostring(ok), tostring(err))
      end
    end
    if ok then return err end
    error(err, 0)
  end
  -- allocated: parks
  id.state, id.waiter = "waiting", me
  me.parked_on_id, me.delivery = id, nil
  local res = table.pack(pcall(task.wait, id.id))
  me.parked_on_id = nil
  check_park(me, fname, res[1], res[2])
  if res[1] then
    if me.delivery == nil then
      violation("%s: %s returned %s, but nothing was resumed", me.name, fname, tostring(res[2]))
    elseif not rawequal(res[2], me.delivery[1]) then
      violation("%s: %s returned %s, resumed with %s", me.name, fname, tostring(res[2]),
                tostring(me.delivery[1]))
    end
    return res[2]
  end
  if id.state == "waiting" and id.waiter == me then
    -- a cancel the model saw made it dead already; the runtime's cancel of
    -- a race branch may have come before the wait (the id stays pending)
    -- or during it (the id died): the model cannot tell
    id.state = "unknown"
  end
  error(res[2], 0)
end

--- h:wait() by me on the task of record target, checked.
local function wait_handle(me, target)
  if target == me then
    local ok, err = pcall(target.handle.wait, target.handle)
    local want = me.cancel_req and "cancelled" or "cannot wait for itself"
    if ok or type(err) ~= "string" or not (err:find(want, 1, true) or (me.under_race and is_cancel(err))) then
      violation("%s: waiting for itself: %s", me.name, tostring(err))
    end
    error(err, 0)
  end
  local was_live = not target.ended and target.handle:status() ~= "cancelled"
  local was_cancelled = me.cancel_req
  local res = table.pack(pcall(target.handle.wait, target.handle))
  -- (it raises "cancelled" for a cancelled target too: checked below)
  check_park(me, "h:wait", res[1], nil)
  local status = target.handle:status()
  if res[1] then
    if status ~= "done" then
      violation("%s: h:wait on %s returned, but its status is %s", me.name, target.name, status)
    elseif not rawequal(res[2], target.ret) then
      violation("%s: h:wait on %s returned %s, it returned %s", me.name, target.name,
                tostring(res[2]), tostring(target.ret))
    end
    return res[2]
  end
  local err = res[2]
  if is_cancel(err) and (was_cancelled or me.cancel_req or me.under_race) then
    -- the waiter's own cancel
  elseif status == "failed" then
    if not rawequal(err, target.err) then
      violation("%s: h:wait on failed %s raised %s (%s), it raised %s (%s)", me.name, target.name,
                tostring(err), math.type(err) or type(err), tostring(target.err),
                math.type(target.err) or type(target.err))
    else
      target.delivered = target.delivered + 1
      if was_live then target.live_delivered = target.live_delivered + 1 end
    end
  elseif status == "cancelled" then
    if not is_cancel(err) then
      violation("%s: h:wait on cancelled %s raised %s", me.name, target.name, tostring(err))
    end
  else
    violation("%s: h:wait on %s raised %s with the task %s", me.name, target.name, tostring(err), status)
  end
  error(err, 0)
end

--- The body of a branch of all/race/timeout: its own record, a child of me.
local function branch_fn(me, body, kind, list, i)
  return function()
    local rec = new_record(me, kind)
    list[i] = rec
    rec.started = true
    task.name(rec.name)
    local fin <close> = setmetatable({}, { __close = function(_, err)
      rec.ended = true
      if rec.outcome == nil then rec.outcome, rec.err = "raised", err end
    end })
    local v = exec(body, rec)
    rec.outcome, rec.ret = "returned", v
    return v
  end
end

local function check_raised_by_branch(me, what, err, recs)
  if is_cancel(err) then return end       -- the caller's cancel, or a branch's "cancelled"
  for _, r in pairs(recs) do
    if r.outcome == "raised" and rawequal(r.err, err) then return end
  end
  violation("%s: %s raised %s, which no branch raised", me.name, what, tostring(err))
end

local function run_all(me, o)
  local recs, fns = {}, {}
  for i, b in ipairs(o.bodies) do fns[i] = branch_fn(me, b, "all", recs, i) end
  local res = table.pack(pcall(task.all, table.unpack(fns)))
  check_park(me, "task.all", res[1], nil)   -- a branch may raise "cancelled" too
  if res[1] then
    local r = res[2]
    if r.n ~= #o.bodies then violation("%s: task.all: r.n is %s, want %d", me.name, tostring(r.n), #o.bodies) end
    for i = 1, #o.bodies do
      local rec = recs[i]
      if rec == nil or not rec.ended then
        violation("%s: task.all returned before branch %d ended", me.name, i)
      elseif rec.outcome == "returned" and not rawequal(r[i], rec.ret) then
        violation("%s: task.all: r[%d] is %s, the branch returned %s", me.name, i, tostring(r[i]), tostring(rec.ret))
      elseif rec.outcome == "raised" then
        violation("%s: task.all returned although branch %d raised %s", me.name, i, tostring(rec.err))
      end
    end
    return r
  end
  check_raised_by_branch(me, "task.all", res[2], recs)
  error(res[2], 0)
end

local function check_unwound(me, what, recs, winner)
  for i, rec in pairs(recs) do
    if i ~= winner and not rec.ended then
      violation("%s: %s returned before branch %d unwound", me.name, what, i)
    end
  end
end

local function run_race(me, o)
  local recs, fns = {}, {}
  for i, b in ipairs(o.bodies) do fns[i] = branch_fn(me, b, "race", recs, i) end
  local res = table.pack(pcall(task.race, table.unpack(fns)))
  check_park(me, "task.race", res[1], nil)   -- a branch may raise "cancelled" too
  if res[1] then
    local i, v = res[2], res[3]
    local rec = recs[i]
    if rec == nil or rec.outcome ~= "returned" or not rawequal(rec.ret, v) then
      violation("%s: task.race returned %s, %s, not what branch %s returned", me.name, tostring(i), tostring(v), tostring(i))
    end
    check_unwound(me, "task.race", recs, i)
    return v
  end
  -- a winner's error is raised after the losers unwound; the caller's own
  -- cancel leaves them unwinding alongside it
  if not is_cancel(res[2]) then check_unwound(me, "task.race (raising)", recs, nil) end
  check_raised_by_branch(me, "task.race", res[2], recs)
  error(res[2], 0)
end

local function run_timeout(me, o)
  local recs = {}
  local fn = branch_fn(me, o.body, "race", recs, 1)
  local res = table.pack(pcall(task.timeout, o.ms, fn))
  check_park(me, "task.timeout", res[1], nil)   -- a branch may raise "cancelled" too
  if res[1] then
    local v, why = res[2], res[3]
    local rec = recs[1]
    if why == "timeout" then
      if v ~= nil then violation("%s: task.timeout gave %s with timeout", me.name, tostring(v)) end
      if rec and not rec.ended then violation("%s: task.timeout returned before fn unwound", me.name) end
    elseif why ~= nil then
      violation("%s: task.timeout's second result is %s", me.name, tostring(why))
    elseif rec == nil or rec.outcome ~= "returned" or not rawequal(rec.ret, v) then
      violation("%s: task.timeout returned %s, not fn's result", me.name, tostring(v))
    end
    return v
  end
  check_raised_by_branch(me, "task.timeout", res[2], recs)
  error(res[2], 0)
end

local function run_external_checked(me, o)
  local id
  local function start(raw)
    id = { id = raw, state = "allocated" }
    W.ids[#W.ids + 1] = id
    if o.how == "now" then
      model_resume(id, o.value)
    elseif o.how == "later" then
      spawn_record(me, { { op = "sleep", ms = o.ms }, { op = "resume_id", id = id, value = o.value } }, 0)
    end
  end
  local was_cancelled = me.cancel_req
  local cell = {}
  local start_raised, start_cancelled
  local res = table.pack(pcall(task.external, function(raw)
    start(raw)
    for _, n in ipairs(o.ops or {}) do run_op(n, me) end
    if o.raise then
      -- the id dies with start's error, which external raises
      start_raised = { fresh_value(o.raise) }
      id.state = "dead"
      error(start_raised[1], 0)
    end
    if me.cancel_req then
      -- cancelled by start itself: the id is discarded, external raises
      start_cancelled = true
      id.state = "dead"
      return
    end
    if id.state == "allocated" then
      id.state, id.waiter = "waiting", me
      me.parked_on_id, me.delivery = id, nil
    end
    cell.resolved = id.state == "resolved" and { id.value } or nil
  end))
  me.parked_on_id = nil
  if was_cancelled then
    if res[1] or not is_cancel(res[2]) then
      violation("%s: task.external by a cancelled task gave %s, %s", me.name, tostring(res[1]), tostring(res[2]))
    end
    if id then id.state = "dead" end
    error(res[2], 0)
  end
  if start_raised then
    if res[1] or not rawequal(res[2], start_raised[1]) then
      violation("%s: task.external whose start raised %s gave %s, %s", me.name,
                tostring(start_raised[1]), tostring(res[1]), tostring(res[2]))
    end
    error(res[2], 0)
  elseif start_cancelled then
    if res[1] or not is_cancel(res[2]) then
      violation("%s: task.external whose start cancelled its task gave %s, %s", me.name,
                tostring(res[1]), tostring(res[2]))
    end
    error(res[2], 0)
  end
  check_park(me, "task.external", res[1], res[2])
  if res[1] then
    local want = cell.resolved or me.delivery
    if want == nil or not rawequal(want[1], res[2]) then
      violation("%s: task.external returned %s, resumed with %s", me.name, tostring(res[2]),
                want and tostring(want[1]) or "nothing")
    end
    if id then id.state = "dead" end
    return res[2]
  end
  if id and (id.state == "waiting" or id.state == "resolved" or id.state == "allocated") then id.state = "dead" end
  error(res[2], 0)
end

--- smelt.task.list() against the model: a task whose body ended is gone,
--- one that runs is there, under its parent.
local function check_list(me)
  local listed = {}
  for _, info in ipairs(smelt.task.list()) do
    listed[info.id] = info
    local rec = W.by_id[info.id]
    if rec then
      if rec.ended then
        violation("%s: task.list shows %s, which ended", me.name, rec.name)
      end
      local parent = rec.parent and rec.parent.id
      if parent and info.parent ~= parent then
        violation("%s: task.list gives %s the parent %s, not %d", me.name, rec.name,
                  tostring(info.parent), parent)
      end
    end
  end
  for id, rec in pairs(W.by_id) do
    if rec.started and not rec.ended and not listed[id] then
      violation("%s: task.list misses %s, which runs", me.name, rec.name)
    end
  end
end

local function run_op(o, me)
  local op = o.op
  if op == "sleep" then
    local ok, err = pcall(smelt.sleep, o.ms)
    check_park(me, "smelt.sleep(" .. o.ms .. ")", ok, err)
    if not ok then error(err, 0) end
  elseif op == "yield" then
    -- documented to act as smelt.sleep(0)
    local ok, err = pcall(coroutine.yield)
    check_park(me, "coroutine.yield()", ok, err)
    if not ok then error(err, 0) end
  elseif op == "spawn" then
    spawn_record(me, o.body, o.nargs, o.drop)
  elseif op == "gc" then
    collectgarbage()
  elseif op == "list" then
    check_list(me)
  elseif op == "cancel" then
    local rec = handle_at(o.k)
    if rec then
      model_cancel(rec)
      rec.handle:cancel()
    end
  elseif op == "wait" then
    local rec = handle_at(o.k)
    if rec then return nil, wait_handle(me, rec) end
  elseif op == "alloc" then
    new_id()
  elseif op == "resume" then
    local id = id_at(o.k)
    if id then model_resume(id, fresh_value(o.value)) end
  elseif op == "resume_id" then
    model_resume(o.id, fresh_value(o.value))
  elseif op == "wait_id" then
    local id = id_at(o.k)
    if id then wait_id(me, id) end
  elseif op == "external" then
    run_external_checked(me, o)
  elseif op == "all" then
    run_all(me, o)
  elseif op == "race" then
    run_race(me, o)
  elseif op == "timeout" then
    run_timeout(me, o)
  elseif op == "pcall" then
    me.pcall_depth = me.pcall_depth + 1
    pcall(exec, o.body, me)
    me.pcall_depth = me.pcall_depth - 1
  elseif op == "error" then
    error(fresh_value(o.value), 0)
  end
end

--- Runs ops[i..] as me; returns what a "return" op returns.
function exec(ops, me, i)
  i = i or 1
  while i <= #ops do
    local o = ops[i]
    if o.op == "return" then
      return fresh_value(o.value)
    elseif o.op == "close" then
      local in_pcall = me.pcall_depth > 0
      local c <close> = setmetatable({}, { __close = function(_, err)
        -- no parking here: lua_resetthread runs these where nothing may yield
        note_close(me, in_pcall, err)
        for _, n in ipairs(o.ops) do run_op(n, me) end
        if o.raise then error(fresh_value(o.raise), 0) end
      end })
      return exec(ops, me, i + 1)
    end
    run_op(o, me)
    i = i + 1
  end
  return nil
end

-- --------------------------------------------------------------- checks

local function reports_by_name()
  local counts = {}
  for _, m in ipairs(smelt.messages()) do
    local name = m.level == "error" and m.message:match("^(p%d+%.%d+): ")
    if name then counts[name] = (counts[name] or 0) + 1 end
  end
  return counts
end

local function expected_status(rec)
  if not rec.started then return { cancelled = true } end
  if rec.outcome == "raised" then
    if is_cancel(rec.err) then return { cancelled = true } end
    return { failed = true }
  end
  if rec.cancel_req then return { cancelled = true } end
  if rec.under_race then return { done = true, cancelled = true } end
  return { done = true }
end

local function check_end(all_recs)
  local reports = reports_by_name()
  for _, rec in ipairs(all_recs) do
    local n = reports[rec.name] or 0
    if rec.handle then
      local status = rec.handle:status()
      if status == "running" or status == "parked" then
        violation("%s still %s after its program's root was cancelled", rec.name, status)
      elseif not expected_status(rec)[status] then
        violation("%s ended %s; it %s%s%s", rec.name, status,
                  rec.started and (rec.outcome or "?") or "never ran",
                  rec.outcome == "raised" and (" " .. tostring(rec.err)) or "",
                  rec.cancel_req and ", cancelled" or "")
      end
      -- a <close> handler's new error is reported on its own
      if rec.outcome == "raised" and not rawequal(rec.last_err, rec.err) and not is_cancel(rec.last_err) then
        n = n - 1
        if n < 0 then
          violation("%s: the error %s its <close> handler raised was not reported", rec.name, tostring(rec.last_err))
          n = 0
        end
      end
      if status == "failed" then
        if n > 1 then
          violation("%s: its error was reported %d times", rec.name, n)
        elseif rec.live_delivered > 0 and n > 0 then
          violation("%s: its error was taken by a waiter and reported too", rec.name)
        elseif rec.delivered == 0 and n == 0 then
          violation("%s: its error %s was neither taken by a waiter nor reported", rec.name, tostring(rec.err))
        end
      elseif n > 0 then
        violation("%s: reported %d times but %s", rec.name, n, status)
      end
    elseif rec.dropped then
      -- nobody can wait for it: an error of its own is reported once
      local want = 0
      if rec.outcome == "raised" then
        if not is_cancel(rec.err) then want = want + 1 end
        if not rawequal(rec.last_err, rec.err) and not is_cancel(rec.last_err) then want = want + 1 end
      end
      if n ~= want then
        violation("%s (handle dropped) %s: reported %d times, want %d", rec.name,
                  rec.started and (rec.outcome or "?") or "never ran", n, want)
      end
    else
      if n > 0 then violation("%s (a branch) was reported", rec.name) end
    end
    if rec.started and not rec.ended then
      violation("%s started and never ended", rec.name)
    end
  end
end

-- ------------------------------------------------------------------ run

--- Runs one program; returns its violations (empty when it passed).
local function run_program(case, body)
  RUNS = RUNS + 1
  W = { case = RUNS, handles = {}, ids = {}, violations = {}, n_tasks = 0, n_values = 0, by_id = {} }
  local root = new_record(nil, "root")
  root.handle = smelt.spawn(run_task_body, root, body, 0)
  root.id = root.handle.id
  W.by_id[root.id] = root
  local all_recs
  -- let it run: virtual time is free, a program parks at most a few seconds
  for _ = 1, 200 do
    if root.handle:status() ~= "running" and root.handle:status() ~= "parked" then break end
    smelt.sleep(50)
  end
  model_cancel(root)
  root.handle:cancel()
  local function recs()
    local out, todo = {}, { root }
    while #todo > 0 do
      local r = table.remove(todo, 1)
      out[#out + 1] = r
      for _, c in ipairs(r.children) do todo[#todo + 1] = c end
    end
    return out
  end
  for _ = 1, 100 do
    local live = false
    for _, r in ipairs(recs()) do
      local s = r.handle and r.handle:status()
      if s == "running" or s == "parked" or (r.started and not r.ended) then live = true; break end
    end
    if not live then break end
    smelt.sleep(50)
  end
  smelt.sleep(1)
  all_recs = recs()
  W.violations.n_tasks = #all_recs
  check_end(all_recs)
  return W.violations
end

local function generate(seed)
  math.randomseed(seed)
  rnd = math.random
  return gen_body(0, SIZE)
end

--- Every way to make the program one op smaller: drop an op, or replace a
--- nested op by its body.
local function shrinks(ops)
  local out = {}
  for i = 1, #ops do
    local without = {}
    for j = 1, #ops do if j ~= i then without[#without + 1] = ops[j] end end
    out[#out + 1] = without
  end
  for i, o in ipairs(ops) do
    local function with(field, value)
      local copy = {}
      for k, v in pairs(o) do copy[k] = v end
      copy[field] = value
      local list = {}
      for j = 1, #ops do list[j] = ops[j] end
      list[i] = copy
      out[#out + 1] = list
    end
    if o.body then for _, b in ipairs(shrinks(o.body)) do with("body", b) end end
    if o.ops then for _, b in ipairs(shrinks(o.ops)) do with("ops", b) end end
    if o.bodies then
      for bi = 1, #o.bodies do
        for _, b in ipairs(shrinks(o.bodies[bi])) do
          local bodies = {}
          for j = 1, #o.bodies do bodies[j] = o.bodies[j] end
          bodies[bi] = b
          with("bodies", bodies)
        end
      end
    end
    if o.nargs and o.nargs > 0 then with("nargs", 0) end
  end
  return out
end

local function minimise(case, body)
  local best, steps = body, 0
  local progress = true
  while progress and steps < 400 do
    progress = false
    for _, candidate in ipairs(shrinks(best)) do
      steps = steps + 1
      if #run_program(case, candidate) > 0 then
        best, progress = candidate, true
        break
      end
      if steps >= 400 then break end
    end
  end
  return best
end

t.test(("%d random task programs from seed %d"):format(CASES, SEED), function()
  local started = os.time()
  local tasks = 0
  for case = 1, CASES do
    local seed = SEED + case - 1
    local body = generate(seed)
    if PRINT then
      print(("# seed %d:"):format(seed))
      for _, line in ipairs(show(body)) do print("#   " .. line) end
    end
    local v = run_program(case, body)
    tasks = tasks + (v.n_tasks or 0)
    if #v > 0 then
      local lines = { ("seed %d failed (replay: SMELT_PROP_SEED=%d SMELT_PROP_CASES=1):"):format(seed, seed) }
      for _, msg in ipairs(v) do lines[#lines + 1] = "  " .. msg end
      local shown = body
      if SHRINK then
        shown = minimise(case, body)
        lines[#lines + 1] = "minimised program:"
        local again = run_program(case, shown)
        for _, msg in ipairs(again) do lines[#lines + 1] = "  " .. msg end
      else
        lines[#lines + 1] = "program:"
      end
      for _, line in ipairs(show(shown)) do lines[#lines + 1] = "    " .. line end
      error(table.concat(lines, "\n"), 0)
    end
    if os.time() - started > WALL_CAP_S then
      print(("# stopped after %d of %d cases: the %d s wall-clock cap"):format(case, CASES, WALL_CAP_S))
      break
    end
  end
  print(("# %d tasks in %d s"):format(tasks, os.time() - started))
end, { timeout = 1e11 })

t.run()
