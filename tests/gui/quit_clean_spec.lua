-- quit_clean_spec.lua: with nothing unsaved, :q quits at once, with no question
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh. The check is the process itself: quit-pre
-- runs and it exits 0 (a fallback timer exits 1 otherwise).
local process = smelt.process
print("1..2")

local path = os.tmpname()
assert(smelt.fs.write(path, "saved\n"))
smelt.buf.open(path)   -- opened, not modified

local started
smelt.on("quit-pre", function()
  local r = process.run("xdotool", { "search", "--onlyvisible", "--name", "^Confirm$" })
  print(((r and r.stdout == "") and "ok" or "not ok") .. " 1 - no Confirm dialog was shown")
  -- no question and no write: what it quit from is as it was
  print((started and smelt.fs.read(path) == "saved\n" and "ok" or "not ok") .. " 2 - :q quit, the file as it was")
  io.stdout:flush()
end)
smelt.timer.set(15000, function()
  print("not ok 1 - :q did not quit within 15 s")
  print("not ok 2 - (skipped)")
  smelt.quit(1)
end)
local gui = require("guitest")
gui.type_into("smelt", nil, "ctrl+semicolon")
gui.wait_for(function() return smelt_test.command_line() == ":" end, "Ctrl+; to open the command line")
started = true
gui.type_into("smelt", "q", "Return")
