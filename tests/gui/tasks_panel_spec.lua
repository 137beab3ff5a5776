-- tasks_panel_spec.lua: the Tasks panel's rows say what each task waits on: a semaphore, a queue, an event, a scope
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local gui = require("guitest")
local task = smelt.task
local wait_for = gui.wait_for

t.test("the Tasks panel shows what each task waits on: semaphore, queue get and put, event, scope", function()
  local s = task.semaphore(2)
  local q, full = task.queue(), task.queue(1)
  full:put(0)
  local ev = task.event()
  local hs = {}
  local function spawn(name, fn)
    local h = smelt.spawn(function() task.name(name); fn() end)
    hs[#hs + 1] = h
    return h
  end
  s:acquire(); s:acquire()   -- both permits: this task's (it never parks for them)
  local expect = {
    { spawn("waits for a permit", function() s:acquire() end), "semaphore 2/2" },
    { spawn("reads the queue", function() q:get() end), "queue get" },
    { spawn("writes the full queue", function() full:put(1) end), "queue put" },
    { spawn("waits for the event", function() ev:wait() end), "event" },
    { spawn("runs a scope", function()
        task.scope(function() smelt.spawn(function() task.name("the scope's task"); smelt.sleep(60000) end) end)
      end), "scope 1 left" },
  }
  for _, e in ipairs(expect) do
    t.truthy(gui.wait_until_parked_on(e[1], e[2]), "parked on " .. e[2])
  end
  gui.xdotool("windowsize", gui.find_window("smelt"), "1024", "700")
  smelt.sleep(300)
  smelt.cmd.run("Tasks"):wait()
  for _, e in ipairs(expect) do
    local h, what = e[1], e[2]
    wait_for(function() return smelt_test.task_row_text(h.id) ~= nil end, "a row for task " .. h.id, 15)
    t.contains(smelt_test.task_row_text(h.id), "parked on " .. what)
  end
  t.eq(smelt_test.task_row_text(hs[1].id):match("#%d+  (.-)  —"), "waits for a permit", "the row names its task")
  -- a picture to look at: the panel shows 7 rows, the test's own 4 first,
  -- then the semaphore's and the queue's
  local shot = assert(os.getenv("SMELT_SHOTS"), "SMELT_SHOTS: where tasks-panel.png goes (tests/gui/meson.build)")
  smelt.sleep(300)
  smelt.process.run("import", { "-window", "root", shot .. "/tasks-panel.png" })
  for _, h in ipairs(hs) do h:cancel() end
  for _, h in ipairs(hs) do pcall(h.wait, h) end
  s:release(); s:release()
  gui.type_into("smelt", nil, "Escape")
end, { timeout = 60000 })   -- a hang guard for a loaded machine

t.run()
