-- smelt/task.lua: the task combinators all, race and timeout, built on spawn and join
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Each branch runs as a child task of the caller, so cancelling the caller
-- cancels every branch (structured cancellation). Branches are "joined": a
-- branch's error belongs to the combinator, which re-raises it unchanged (a
-- table stays the same table), so it is never reported as uncaught on top.

local smelt, internal = ...

local task = smelt.task
local spawn_joined = internal.spawn_joined
local join = internal.join
local check_park = internal.check_park
local set_waiting = internal.set_waiting
local alloc, resume, wait = task.alloc, task.resume, task.wait
local sleep = smelt.sleep
local select, type, pcall, error = select, type, pcall, error

---@param fname string
---@param n integer
local function check_branches(fname, n, ...)
  for i = 1, n do
    local fn = select(i, ...)
    if type(fn) ~= "function" then
      error(("bad argument #%d to '%s' (function expected, got %s)"):format(i, fname, type(fn)), 3)
    end
  end
end

---@param fname string
---@param ms any
local function check_ms(fname, ms)
  local why
  if type(ms) ~= "number" then
    why = "milliseconds expected, got " .. type(ms)
  elseif ms ~= ms then
    why = "milliseconds must be a number, got NaN"
  elseif ms < 0 then
    why = "milliseconds must not be negative, got " .. ms
  end
  if why then
    error(("bad argument #1 to '%s' (%s)"):format(fname, why), 3)
  end
end

--- Run every function as a child task, concurrently, and wait for them all.
--- Branches start in argument order. Returns their first results in argument
--- order, with `n` set to the number of branches so nil results count. If a
--- branch raises, the others still run to the end, then the first error
--- raised is raised again, unchanged.
---@param ... fun(): any
---@return { n: integer, [integer]: any }
function task.all(...)
  local n = select("#", ...)
  check_park("smelt.task.all")
  check_branches("smelt.task.all", n, ...)
  local results = { n = n }
  if n == 0 then
    return results
  end
  local failed, first_err = false, nil
  local done = 0
  local me = internal.self()
  local branches = {}
  for i = 1, n do
    local fn = select(i, ...)
    branches[i] = spawn_joined(function()
      local ok, v = pcall(fn)
      done = done + 1
      set_waiting(("all %d/%d"):format(done, n), me)
      if ok then
        results[i] = v
      elseif not failed then
        failed, first_err = true, v
      end
    end, fn)
  end
  for i = 1, n do
    set_waiting(("all %d/%d"):format(done, n))
    join(branches[i])
  end
  if failed then
    error(first_err, 0)
  end
  return results
end

---@param desc string what the caller waits on ("race of 3", "timeout 500 ms")
---@param n integer
---@param names? string[] a branch's name, where the runtime wrote its function
---@return integer winner
---@return any value
local function race(desc, n, names, ...)
  local id = alloc()
  local winner, won_ok, won_value
  local branches = {}
  for i = 1, n do
    local fn = select(i, ...)
    branches[i] = spawn_joined(function()
      local ok, v = pcall(fn)
      if winner == nil then
        winner, won_ok, won_value = i, ok, v
        resume(id, true)
      end
    end, names and names[i] or fn)
  end
  -- If we are cancelled here, the branches are our children: they are
  -- cancelled with us.
  set_waiting(desc)
  wait(id)
  for i = 1, n do
    if i ~= winner then
      branches[i]:cancel()
    end
  end
  -- Losers unwind (to-be-closed variables, pcall handlers) before we return.
  for i = 1, n do
    if i ~= winner then
      set_waiting(desc .. ": cancelling the others")
      join(branches[i])
    end
  end
  if not won_ok then
    error(won_value, 0)
  end
  return winner, won_value
end

--- Run every function as a child task, concurrently; the first to finish
--- wins. Returns the winner's index and first result. Every other branch is
--- cancelled, and has unwound, before this returns. If the first branch to
--- finish raised, the others are cancelled first, then its error is raised.
---@param ... fun(): any
---@return integer index
---@return any result
function task.race(...)
  local n = select("#", ...)
  check_park("smelt.task.race")
  if n == 0 then
    error("smelt.task.race: needs at least one function", 2)
  end
  check_branches("smelt.task.race", n, ...)
  return race(("race of %d"):format(n), n, nil, ...)
end

local TIMED_OUT = setmetatable({}, { __name = "smelt.task.timeout sentinel" })

--- Run fn with a deadline of ms milliseconds. Returns `fn()`'s first result
--- and nil if it finishes in time; nil and "timeout" if the deadline comes
--- first, and then fn's task (and all it spawned) is cancelled. An error
--- raised by fn before the deadline is raised again, unchanged.
---@param ms number
---@param fn fun(): any
---@return any result
---@return "timeout"|nil err
function task.timeout(ms, fn)
  check_park("smelt.task.timeout")
  check_ms("smelt.task.timeout", ms)
  if type(fn) ~= "function" then
    error(("bad argument #2 to 'smelt.task.timeout' (function expected, got %s)"):format(type(fn)), 2)
  end
  local desc = ("timeout %s ms"):format(ms)
  -- the deadline branch is named for what it is, not for this file's line
  local i, v = race(desc, 2, { [2] = desc .. " (deadline)" }, fn, function()
    sleep(ms)
    return TIMED_OUT
  end)
  if i == 2 then
    return nil, "timeout"
  end
  return v, nil
end
