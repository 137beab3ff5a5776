-- tasks-demo.lua: a tour of smelt.task; run it with: smelt --no-ui lua/examples/tasks-demo.lua
-- SPDX-License-Identifier: LGPL-2.1-or-later
local task = smelt.task

local t0 = smelt.now()

local function say(fmt, ...)
  print(("[%5.0f ms] " .. fmt):format(smelt.now() - t0, ...))
end

-- A fake asynchronous service: answers after `ms` through an external id,
-- the way a GTK callback or a GIO operation would.
local function ask(question, ms)
  return task.external(function(id)
    smelt.spawn(function()
      smelt.sleep(ms)
      task.resume(id, question:upper())
    end)
  end)
end

say("main chunk runs as a task: it may sleep at top level")
smelt.sleep(10)

local r = task.all(
  function() return ask("first", 30) end,
  function() return ask("second", 10) end)
say("all: %s, %s (in argument order, n = %d)", r[1], r[2], r.n)

local i, v = task.race(
  function() return ask("slow", 50) end,
  function() return ask("fast", 5) end)
say("race: branch %d won with %s; the other was cancelled", i, v)

local value, err = task.timeout(20, function() return ask("too slow", 1000) end)
say("timeout: %s, %s", tostring(value), err)

local worker = smelt.spawn(function()
  local guard <close> = setmetatable({}, { __close = function() say("worker cleaned up") end })
  smelt.sleep(60000)
end)
smelt.sleep(1)
worker:cancel()
say("worker status after cancel: %s", (pcall(worker.wait, worker)) and "?" or worker:status())
