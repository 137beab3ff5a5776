-- rt_meta_spec.lua: with --no-ui, lua/meta/ and the live smelt namespace agree, in both directions
-- SPDX-License-Identifier: LGPL-2.1-or-later
-- (tests/gui/meta_spec.lua checks the same in the GUI, where GUI-only functions are real)
local t = require("testlib")
local metacheck = require("metacheck")

local runtime = smelt.runtimepath()[#smelt.runtimepath()]
local text = metacheck.read_meta(runtime)
local annotations = metacheck.parse(text)

local function listed(problems)
  return table.concat(problems, "\n")
end

t.test("every annotated name is live; each GUI-only function is a stub raising \"requires the GUI\"", function()
  local problems = {}
  for _, p in ipairs(metacheck.check(annotations, smelt, false)) do
    if p:match(": annotated") or p:match("GUI only, but") or p:match("not marked") then
      problems[#problems + 1] = p
    end
  end
  t.eq(listed(problems), "", "annotated in lua/meta, but not as annotated live")
end)

t.test("every live public name is annotated in lua/meta", function()
  local problems = {}
  for _, p in ipairs(metacheck.check(annotations, smelt, false)) do
    if p:match(": live") or p:match(": a live") then
      problems[#problems + 1] = p
    end
  end
  t.eq(listed(problems), "", "live, but not annotated in lua/meta")
end)

t.test("the stubs are exactly the functions marked (GUI only), and each names itself", function()
  local gui_only = {}
  for name, f in pairs(annotations.functions) do
    if f.gui_only then
      gui_only[#gui_only + 1] = name
    end
  end
  table.sort(gui_only)
  t.truthy(#gui_only >= 7, "the UI tier's functions are marked (GUI only)")
  for _, name in ipairs(gui_only) do
    local ns, fn = name:match("^smelt%.(%w+)%.([%w_]+)$")
    t.raises(name .. ": requires the GUI (running with --no-ui)", smelt[ns][fn])
  end
end)

t.test("the methods of events, semaphores and queues are annotated both ways", function()
  local problems = {}
  for class, obj in pairs({ ["smelt.Event"] = smelt.task.event(), ["smelt.Semaphore"] = smelt.task.semaphore(1),
                            ["smelt.Queue"] = smelt.task.queue() }) do
    for _, problem in ipairs(metacheck.check_methods(annotations, class, obj)) do
      problems[#problems + 1] = problem
    end
  end
  table.sort(problems)
  t.eq(listed(problems), "", "methods that differ from lua/meta")
end)

t.test("the methods of spawned processes, streams, tasks, timers, handlers and locks are annotated both ways", function()
  local p = assert(smelt.process.spawn("true"))
  local lock_path = os.tmpname()
  local lock = assert(smelt.fs.lock(lock_path))
  local task = smelt.spawn(function() end)
  local timer = smelt.timer.set(60000, function() end)
  local handle = smelt.on("rt-meta-spec", function() end)
  local problems = {}
  for class, obj in pairs({ ["smelt.Process"] = p, ["smelt.Stream"] = p.stdout, ["smelt.TaskHandle"] = task,
                            ["smelt.Timer"] = timer, ["smelt.Handle"] = handle, ["smelt.fs.Lock"] = lock }) do
    for _, problem in ipairs(metacheck.check_methods(annotations, class, obj)) do
      problems[#problems + 1] = problem
    end
  end
  timer:remove()
  handle:remove()
  lock:release(true)
  os.remove(lock_path)
  table.sort(problems)
  t.eq(listed(problems), "", "methods that differ from lua/meta")
end)

-- the checker itself: each kind of mismatch is found (a check that cannot fail is no check)
t.test("the checker reports each kind of mismatch", function()
  local fake = metacheck.parse(table.concat({
    "---@class smelt",
    "smelt = {}",
    "---@type string",
    "smelt.version = \"\"",
    "---@class smelt.ns",
    "---@field levels table",
    "smelt.ns = {}",
    "--- Here in both.",
    "function smelt.ns.both() end",
    "--- Annotated only.",
    "function smelt.ns.gone() end",
    "--- Not GUI only.",
    "function smelt.ns.unmarked() end",
    "---@class smelt.ui",
    "smelt.ui = {}",
    "--- A GUI function.",
    "--- (GUI only)",
    "function smelt.ui.input() end",
    "--- (GUI only) a GUI function with another's stub.",
    "function smelt.ui.select() end",
    "--- A GUI function with no stub.",
    "--- (GUI only)",
    "function smelt.ui.nostub() end",
    "---@class smelt.Thing",
    "local Thing = {}",
    "function Thing:kept() end",
    "function Thing:dropped() end",
  }, "\n"))
  t.truthy(fake.functions["smelt.ui.input"].gui_only)
  t.truthy(fake.functions["smelt.ui.select"].gui_only)
  t.falsy(fake.functions["smelt.ns.both"].gui_only)
  -- tier.lua's stubs, made into a namespace of their own
  local stubs = {}
  assert(loadfile(runtime .. "/smelt/tier.lua"))(stubs, {})
  local live = {
    version = "1",
    ns = { both = function() end, extra = function() end, levels = {}, unmarked = stubs.ui.input },
    ui = { input = stubs.ui.input, select = stubs.ui.confirm },
    other = {},
  }
  t.eq(listed(metacheck.check(fake, live, false)), listed({
    "smelt.ns.extra: live, but not annotated in lua/meta",
    "smelt.ns.gone: annotated, but nil live",
    "smelt.ns.unmarked: a \"requires the GUI\" stub, but not marked (GUI only) in lua/meta",
    "smelt.other: a live table, but no ---@class namespace in lua/meta",
    "smelt.ui.nostub: annotated, but nil live (a GUI-only function must be a stub raising \"requires the GUI\")",
    "smelt.ui.select: GUI only, but headless it does not raise \"smelt.ui.select: requires the GUI (running with --no-ui)\""
      .. " (smelt.ui.confirm: requires the GUI (running with --no-ui))",
  }))
  -- in the GUI a stub is a mismatch too
  t.contains(listed(metacheck.check(fake, live, true)), "smelt.ui.input: a \"requires the GUI\" stub in the GUI")
  local obj = setmetatable({}, { __index = { kept = function() end, added = function() end } })
  t.eq(listed(metacheck.check_methods(fake, "smelt.Thing", obj)), listed({
    "smelt.Thing:added: live, but not annotated in lua/meta",
    "smelt.Thing:dropped: annotated, but nil live",
  }))
end)

t.test("the meta files declare themselves ---@meta", function()
  t.contains(text, "---@meta")
end)

t.run()
