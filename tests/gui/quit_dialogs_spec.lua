-- quit_dialogs_spec.lua: the window closes while plugin dialogs ask: each task gets nil (false for confirm)
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh. Closing ends the process, so the checks
-- run in a quit-pre handler (the tasks resumed by the closing window run on
-- meanwhile) and the plan is printed first; a fallback timer exits 1 if
-- Ctrl+Q never quits.
local process = smelt.process
local gui = require("guitest")
print("1..3")

local answers = {}   -- what each parked task got, once it ran on
smelt.spawn(function()
  local v = smelt.ui.input({ prompt = "Name the thing" })
  answers.input = v == nil and "nil" or ("%q"):format(v)
end)
smelt.spawn(function()
  local v = smelt.ui.confirm("Really?")
  answers.confirm = tostring(v)
end)

smelt.on("quit-pre", function()
  for _ = 1, 60 do   -- a hang guard: the tasks are resumed as the window closes
    if answers.input and answers.confirm then break end
    smelt.sleep(50)
  end
  print((answers.input == "nil" and "ok" or "not ok") .. " 1 - ui.input open when the window closed gave nil (got "
    .. tostring(answers.input) .. ")")
  print((answers.confirm == "false" and "ok" or "not ok")
    .. " 2 - ui.confirm open when the window closed gave false (got " .. tostring(answers.confirm) .. ")")
  local r = process.run("xdotool", { "search", "--onlyvisible", "--name", "^(Name the thing|Confirm)$" })
  print(((r and r.stdout == "") and "ok" or "not ok") .. " 3 - both dialogs are gone")
  io.stdout:flush()
end)
smelt.timer.set(20000, function()
  print("not ok 1 - Ctrl+Q did not quit within 20 s")
  print("not ok 2 - (skipped)")
  print("not ok 3 - (skipped)")
  io.stdout:flush()
  smelt.quit(1)
end)

-- both dialogs up, then the window is closed (nothing unsaved: no question)
assert(gui.find_window("Name the thing"), "the input dialog")
assert(gui.find_window("Confirm"), "the confirm dialog")
gui.type_into("smelt", nil, "ctrl+q")
