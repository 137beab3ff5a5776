-- quit_wq_spec.lua: :wq writes the buffer shown and quits, asking first when another buffer is unsaved
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh. The last checks run in a quit-pre
-- handler, so the plan is printed first; a fallback timer exits 1 if the
-- second :wq never quits.
local process = smelt.process
local gui = require("guitest")
print("1..4")

local function report(n, ok, what)
  print(("%s %d - %s"):format(ok and "ok" or "not ok", n, what))
  io.stdout:flush()
end

local dir = os.tmpname()
os.remove(dir)
assert(smelt.fs.mkdir(dir))
local pa, pb = dir .. "/a.txt", dir .. "/b.txt"
assert(smelt.fs.write(pa, "a on disk\n"))
assert(smelt.fs.write(pb, "b on disk\n"))
local b = smelt.buf.open(pb)
b:set_text("b unsaved\n")
local a = smelt.buf.open(pa)   -- the one shown
a:set_text("a edited\n")

local stage = 1
smelt.on("quit-pre", function()
  if stage == 1 then
    report(1, false, ":wq quit with another buffer unsaved, without asking")
    report(2, false, "(not reached)")
    report(3, false, "(not reached)")
    report(4, false, "(not reached)")
  elseif stage == 2 then
    local r = process.run("xdotool", { "search", "--onlyvisible", "--name", "^Confirm$" })
    report(3, smelt.fs.read(pa) == "a final\n" and r and r.stdout == "",
      ":wq with nothing else unsaved writes the buffer and quits, asking nothing")
    report(4, smelt.fs.read(pb) == "b on disk\n", "the closed buffer's text was never written")
  end
end)
smelt.timer.set(20000, function()
  stage = 3
  report(3, false, "the second :wq did not quit within 20 s")
  report(4, false, "(skipped)")
  smelt.quit(1)
end)

-- 1, 2: b is unsaved: :wq writes a, then asks; Escape ("Keep editing") stays
gui.command_line("wq")
local written = pcall(gui.wait_for, function() return smelt.fs.read(pa) == "a edited\n" end, "", 10)
local asked = gui.find_window("Confirm") ~= nil
if asked then gui.type_into("Confirm", nil, "Escape") end
smelt.sleep(500)
report(1, asked, ":wq with another buffer unsaved asks before quitting")
report(2, written and not a:modified() and b:modified() and b:text() == "b unsaved\n",
  "the shown buffer was written; the other is kept, unsaved")

-- 3, 4: with b's changes dropped, :wq writes a and quits
stage = 2
b:close({ force = true })
a:set_text("a final\n")
gui.command_line("wq")
