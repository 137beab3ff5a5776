-- quit_spec.lua: quitting with unsaved changes asks; "Keep editing" keeps everything, "Discard and quit" quits
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh. The last check is the process itself: it
-- must run its quit-pre handlers and exit 0 after the dialog's answer (a
-- fallback timer exits 1 otherwise), so the plan is printed first.
print("1..3")

local gui = require("guitest")
local type_into = gui.type_into

local function report(n, ok, what)
  print(("%s %d - %s"):format(ok and "ok" or "not ok", n, what))
  return ok
end

local path = os.tmpname()
assert(smelt.fs.write(path, "on disk\n"))
local b = smelt.buf.open(path)
b:set_text("unsaved work\n")

-- quit-pre runs when the process is about to quit: at stage 1 that is too
-- early (Ctrl+Q quit without asking); at stage 2 it is the expected end;
-- at stage 3 the fallback timer has already reported
local stage, asked = 1, false
smelt.on("quit-pre", function()
  if stage == 1 then
    report(1, false, "Ctrl+Q with unsaved changes quit without asking")
    report(2, false, "(not reached)")
    report(3, false, "(not reached)")
  elseif stage == 2 then
    report(2, asked, "the quit went through the question")
    report(3, smelt.fs.read(path) == "on disk\n", "the unsaved text was discarded, not written")
  end
  io.stdout:flush()
end)

-- 1: Ctrl+Q asks, Escape ("Keep editing") keeps the window and the text
type_into("smelt", nil, "ctrl+q")
asked = gui.find_window("Confirm") ~= nil
if asked then type_into("Confirm", nil, "Escape") end
smelt.sleep(500)
stage = 2
report(1, asked and b:text() == "unsaved work\n" and b:modified(),
  "Ctrl+Q with unsaved changes asks; Escape keeps the window and the buffer")

-- 2 and 3: :q asks again; Return ("Discard and quit") runs quit-pre and exits 0
asked = false
smelt.timer.set(15000, function()
  stage = 3
  print("not ok 2 - :q then Return did not quit within 15 s")
  print("not ok 3 - (skipped)")
  smelt.quit(1)
end)
gui.command_line("q")
-- the question must be on screen before it is answered
asked = gui.find_window("Confirm") ~= nil
if asked then type_into("Confirm", nil, "Return") end
