-- screenshots_spec.lua: the README's two screenshots, taken in a clean session (ordinary files, no test tasks)
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh under Xvfb with the screenshot's path
-- (SMELT_SCREENSHOT=.../main-window.png; find-bar.png goes beside it).
-- Copy them to data/screenshots/ to update the README's.
--
-- Nothing of the test may show: the tabs hold files with ordinary names,
-- and no task of this script is alive when a picture is taken (the Tasks
-- panel lists every live task, the spinner names any that has run half a
-- second). So each picture is taken from a timer callback, which is no
-- task, by an `import` running in the background, after the script's own
-- task has ended. Not testlib, for the same reason: its cases are tasks.
local gui = require("guitest")

local out = assert(os.getenv("SMELT_SCREENSHOT"), "SMELT_SCREENSHOT: where main-window.png goes")
local find_out = out:gsub("[^/]*$", "find-bar.png")
local runtime = os.getenv("SMELT_RUNTIME_DIR")
local root = runtime:gsub("/lua/?$", "")
print("1..2")
io.stdout:flush()

local results = 0
local function report(ok, what)
  results = results + 1
  print(("%s %d - %s"):format(ok and "ok" or "not ok", results, what))
  io.stdout:flush()
  if not ok then smelt.quit(1) end
end

-- a hang guard: the pictures never came
smelt.timer.set(90000, function()
  report(false, "the screenshots were taken within 90 s")
end)

-- what would give the test away in a picture: a task named after a source
-- line (a spec's, testlib's), a tab of a temporary file, an untitled one
local function giveaway()
  for _, task in ipairs(smelt.task.list()) do
    if task.name:match("%.lua:%d+$") or task.name:find("spec", 1, true) then
      return "a task named " .. task.name
    end
  end
  for _, b in ipairs(smelt.buf.list()) do
    local name = (b:path() or "untitled"):match("[^/]*$")
    if name == "untitled" or name:match("^lua_") or name:match("^tmp") then
      return "a tab " .. name
    end
  end
end

-- import in the background, into a temporary file renamed when complete;
-- then(ok) runs from a timer once the picture is there (or after 20 s)
local function take(path, crop, then_)
  local bad = giveaway()
  if bad then
    report(false, path .. " would show " .. bad)
    return
  end
  os.remove(path)
  local tmp = path .. ".part.png"
  os.execute(("(import -window root %s %q && mv %q %q) >/dev/null 2>&1 &")
    :format(crop and ("-crop " .. crop) or "", tmp, tmp, path))
  local started = smelt.now()
  local poll
  poll = smelt.timer.every(100, function()
    local f = io.open(path, "rb")
    if f or smelt.now() - started > 20000 then
      if f then f:close() end
      poll:remove()
      then_(f ~= nil)
    end
  end)
end

-- the scene: a notes file with the TODOs the README's :Todo plugin counts,
-- the README, and two bundled plugins, word_count.lua shown
local dir = os.tmpname()
os.remove(dir)
assert(smelt.fs.mkdir(dir))
local notes = dir .. "/notes.txt"
assert(smelt.fs.write(notes, table.concat({
  "Release checklist",
  "",
  "- TODO: screenshots from a clean session",
  "- done: :help opens the reference",
  "- TODO: announce on the mailing list",
  "",
}, "\n")))
local startup = smelt.buf.current()
smelt.buf.open(root .. "/README.md")
smelt.buf.open(notes)
smelt.buf.open(runtime .. "/plugin/trim_whitespace.lua")
local shown = smelt.buf.open(runtime .. "/plugin/word_count.lua")
if startup and startup:valid() and not startup:path() then startup:close() end

-- the README's plugin, loaded as a user would, run on the notes
local readme = assert(io.open(root .. "/README.md")):read("a")
local code = readme:match("<!%-%- readme%-plugin %-%->%s*```lua\n(.-)```")
assert(load(assert(code, "the README's plugin"), "=todo.lua", "t"))()

-- 1. find: the search bar over word_count.lua
gui.type_into("smelt", nil, "ctrl+f")
gui.type_into("smelt", "count", "Return")
gui.wait_for(function() return shown:cursor() > 1 or select(2, shown:cursor()) > 1 end, "a match selected")

local function main_window()
  smelt.spawn(function()
    gui.type_into("smelt", nil, "Escape")
    gui.xdotool("windowsize", gui.find_window("smelt"), "1024", "700")
    smelt.cmd.run("Todo " .. notes):wait()   -- its message in the message area
    -- what plugins might be doing, each parked on something else
    local parked = {
      smelt.spawn(function()
        smelt.task.name("indexing project")
        while true do smelt.sleep(250) end
      end),
      smelt.spawn(function()
        smelt.task.name("fetching plugins")
        smelt.task.all(function()
          smelt.task.name("download git.lua")
          smelt.sleep(600000)
        end, function()
          smelt.task.name("download lsp.lua")
          smelt.process.run("sleep", { "600" })
        end)
      end),
      smelt.spawn(function()
        smelt.task.name("spell-checking notes.txt")
        smelt.task.wait(smelt.task.alloc())   -- as for a C extension's answer
      end),
    }
    smelt.cmd.run("Tasks"):wait()
    gui.wait_for(function()
      for _, h in ipairs(parked) do
        if not smelt_test.task_cancel_point(h.id) then return false end
      end
      return true
    end, "the Tasks panel with a row per task")
    -- from here no task of the script: the rows age past the spinner's
    -- half second and the panel refreshes (every 250 ms)
    smelt.timer.set(1500, function()
      take(out, nil, function(ok)
        report(ok, "the main window with the Tasks panel: " .. out)
        smelt.quit(ok and 0 or 1)
      end)
    end)
  end)
end

smelt.timer.set(700, function()
  take(find_out, "900x620+0+0", function(ok)
    report(ok, "the search bar: " .. find_out)
    main_window()
  end)
end)
