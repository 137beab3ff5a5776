-- smelt/task_sync.lua: tasks that wait on each other: events, semaphores, queues, completion order
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Built on smelt.task.alloc / wait / resume: a waiter parks on an id of its
-- own, kept in the primitive's FIFO list, and whoever wakes it resumes that
-- id. A waiter cancelled while it waits leaves the list before the
-- cancellation reaches it (nothing is ever handed to a task that is gone);
-- one cancelled after it was handed something gives it back (a semaphore's
-- permit, a queue's item), so nothing is lost. Each shows in
-- smelt.task.list() with what it waits on.

local smelt, internal = ...

local task = smelt.task
local alloc, resume, wait = task.alloc, task.resume, task.wait
local set_waiting, check_park = internal.set_waiting, internal.check_park
local isyieldable = coroutine.isyieldable

-- raises, naming fname, unless the caller may park; cheap when it may (a
-- queue checks at every put and get)
local function may_park(fname)
  if not isyieldable() then check_park(fname) end
end

local function remove(list, entry)
  for i, e in ipairs(list) do
    if e == entry then
      table.remove(list, i)
      return true
    end
  end
  return false
end

-- Parks on entry.id with desc; on an error (a cancel) runs undo(owner,
-- entry) first, then raises it again unchanged. (No closure per park: a
-- queue between two tasks parks once an item.)
local function park(entry, desc, undo, owner)
  set_waiting(desc)
  local ok, v = pcall(wait, entry.id)
  if not ok then
    undo(owner, entry)
    error(v, 0)
  end
  return v
end

local function method_check(fname, self, mt)
  if getmetatable(self) ~= mt then
    error(("calling '%s' on bad self (%s expected, got %s)"):format(fname, mt.__name, type(self)), 3)
  end
end

-- Events ------------------------------------------------------------------

local Event = { __name = "smelt.task.event" }
Event.__index = Event

--- A flag tasks wait on: wait() parks until set(); any number of waiters.
---@return table event
function task.event()
  return setmetatable({ flag = false, waiters = {} }, Event)
end

--- Set the flag: every waiter wakes, and wait() returns at once until clear().
function Event:set()
  method_check("event:set", self, Event)
  self.flag = true
  local waiters = self.waiters
  self.waiters = {}
  for _, w in ipairs(waiters) do
    w.woken = true
    resume(w.id, true)
  end
end

--- Clear the flag: wait() parks again.
function Event:clear()
  method_check("event:clear", self, Event)
  self.flag = false
end

---@return boolean
function Event:is_set()
  method_check("event:is_set", self, Event)
  return self.flag
end

-- a waiter cancelled: out of the list
local function event_unwait(self, e)
  remove(self.waiters, e)
end

--- Park until the flag is set (at once when it is).
function Event:wait()
  method_check("event:wait", self, Event)
  may_park("event:wait")
  if self.flag then return end
  local entry = { id = alloc() }
  self.waiters[#self.waiters + 1] = entry
  park(entry, "event", event_unwait, self)
end

-- Semaphores --------------------------------------------------------------

local Semaphore = { __name = "smelt.task.semaphore" }
Semaphore.__index = Semaphore

--- n permits: acquire() takes one, parking while there is none, in FIFO
--- order; release() gives one back.
---@param n integer
---@return table semaphore
function task.semaphore(n)
  if math.type(n) ~= "integer" or n < 1 then
    error(("bad argument #1 to 'smelt.task.semaphore' (a positive integer expected, got %s)")
      :format(math.type(n) and tostring(n) or type(n)), 2)
  end
  return setmetatable({ n = n, free = n, waiters = {} }, Semaphore)
end

-- a waiter cancelled: out of the line, or, handed the permit already, it
-- gives it on
local function semaphore_unwait(self, e)
  if not remove(self.waiters, e) and e.granted then self:release() end
end

--- Take a permit; parks while none is free (first come, first served).
function Semaphore:acquire()
  method_check("semaphore:acquire", self, Semaphore)
  may_park("semaphore:acquire")
  if self.free > 0 and #self.waiters == 0 then
    self.free = self.free - 1
    return
  end
  local entry = { id = alloc() }
  self.waiters[#self.waiters + 1] = entry
  park(entry, ("semaphore %d/%d"):format(self.n - self.free, self.n), semaphore_unwait, self)
end


--- Give a permit back: to the first waiter, else to the pool. Releasing
--- more than were taken raises.
function Semaphore:release()
  method_check("semaphore:release", self, Semaphore)
  local w = table.remove(self.waiters, 1)
  if w then
    w.granted = true
    resume(w.id, true)
    return
  end
  if self.free >= self.n then
    error(("semaphore:release: released more than acquired (it has %d permits)"):format(self.n), 2)
  end
  self.free = self.free + 1
end

--- acquire(), fn(...), release() even when fn raises or is cancelled;
--- returns fn's results.
---@param fn fun(...): any
function Semaphore:with(fn, ...)
  method_check("semaphore:with", self, Semaphore)
  if type(fn) ~= "function" then
    error(("bad argument #1 to 'semaphore:with' (function expected, got %s)"):format(type(fn)), 2)
  end
  self:acquire()
  local r = table.pack(pcall(fn, ...))
  self:release()
  if not r[1] then error(r[2], 0) end
  return table.unpack(r, 2, r.n)
end

-- Queues: smelt.task.queue is C (smelt-lua-queue.c): a queue between two
-- tasks parks once an item, and its put and get are the hot path.

-- Scopes --------------------------------------------------------------------

-- parks until the body of a scope and then each of its tasks has ended
local function join_scope(body, join)
  set_waiting("scope")
  join(body)
  -- the body has ended; its tasks may run on
  while true do
    local left = internal.scope_children(body)
    if #left == 0 then break end
    set_waiting(("scope %d left"):format(#left))
    join(left[1])
  end
end

--- Run fn(...) as a scope, as Trio's nursery and vim.async's tasks: every
--- task spawned while fn runs (by fn or by the functions it calls) belongs
--- to it. Returns fn's results once all of them have finished. The first
--- failure (fn's own or one of theirs) cancels fn and the rest, and once
--- they have unwound its error is raised from scope, unchanged (never
--- reported as uncaught). Cancelling the caller cancels them all; scope
--- raises "cancelled" once they have unwound. h:detach() takes a task out
--- of its scope: it runs on, and its failure is reported as any task's.
---@param fn fun(...): any
---@return any
function task.scope(fn, ...)
  if type(fn) ~= "function" then
    error(("bad argument #1 to 'smelt.task.scope' (function expected, got %s)"):format(type(fn)), 2)
  end
  check_park("smelt.task.scope")
  local args = table.pack(...)
  local results, body_err
  local body = internal.spawn_joined(function()
    local r = table.pack(pcall(fn, table.unpack(args, 1, args.n)))
    if not r[1] then
      body_err = r[2]
      error(r[2], 0)
    end
    results = r
  end, fn)
  internal.scope_own(body)
  -- join raises only when the caller is cancelled: then the body and its
  -- tasks, the caller's descendants, are cancelled with it, and they
  -- unwind before scope raises (the cancel waits meanwhile, as in a shield)
  local ok, cancel = pcall(join_scope, body, internal.join)
  if not ok then
    internal.shield_hold()
    join_scope(body, internal.join_unwinding)
    internal.shield_leave()
    error(cancel, 0)
  end
  local failed, err = internal.scope_failure(body)
  if failed then error(err, 0) end
  if not results then error(body_err, 0) end
  return table.unpack(results, 2, results.n)
end

-- Shields -------------------------------------------------------------------

--- Run fn(...) to its end even if the calling task is cancelled meanwhile
--- (a save, a cleanup that must finish): the cancel waits, and is raised
--- when fn returns. Tasks fn spawns are shielded with it. fn's results, or
--- its error.
---@param fn fun(...): any
---@return any
function task.shield(fn, ...)
  if type(fn) ~= "function" then
    error(("bad argument #1 to 'smelt.task.shield' (function expected, got %s)"):format(type(fn)), 2)
  end
  internal.shield_enter()   -- raises outside a task, and when cancelled already
  local r = table.pack(pcall(fn, ...))
  local cancelled = internal.shield_leave()
  if not r[1] then error(r[2], 0) end
  if cancelled then error("cancelled", 0) end
  return table.unpack(r, 2, r.n)
end

-- Completion order ----------------------------------------------------------

--- An iterator over handles in the order their tasks finish (failed ones
--- too: h:wait() then raises their error).
---   for h in smelt.task.as_completed({ h1, h2, h3 }) do local v = h:wait() end
---@param handles table[]
---@return fun(): table|nil
function task.as_completed(handles)
  if type(handles) ~= "table" then
    error(("bad argument #1 to 'smelt.task.as_completed' (a list of handles expected, got %s)"):format(type(handles)), 2)
  end
  check_park("smelt.task.as_completed")
  local q = task.queue()
  local left = #handles
  local watchers = {}
  for i, h in ipairs(handles) do
    if type(h) ~= "table" and type(h) ~= "userdata" or not h.status then
      error(("bad argument #1 to 'smelt.task.as_completed' (item %d is not a task handle)"):format(i), 2)
    end
    -- a watcher per handle: it waits (with the status, not the error:
    -- the error stays the caller's, from h:wait())
    watchers[i] = smelt.spawn(function()
      while h:status() == "running" or h:status() == "parked" do
        pcall(h.wait, h)
      end
      q:put(h)
    end)
  end
  return function()
    if left == 0 then
      return nil
    end
    left = left - 1
    local ok, h = pcall(q.get, q)
    if not ok then
      for _, w in ipairs(watchers) do w:cancel() end
      error(h, 0)
    end
    return h
  end
end
