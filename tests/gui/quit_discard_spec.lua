-- quit_discard_spec.lua: :q! quits with unsaved changes, asking nothing and writing nothing
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh. The check is the process itself: quit-pre
-- runs and it exits 0 (a fallback timer exits 1 otherwise).
local process = smelt.process
print("1..2")

local path = os.tmpname()
assert(smelt.fs.write(path, "on disk\n"))
local b = smelt.buf.open(path)
b:set_text("unsaved work\n")
assert(b:modified())

smelt.on("quit-pre", function()
  local r = process.run("xdotool", { "search", "--onlyvisible", "--name", "^Confirm$" })
  print(((r and r.stdout == "") and "ok" or "not ok") .. " 1 - no Confirm dialog was shown")
  print((smelt.fs.read(path) == "on disk\n" and "ok" or "not ok") .. " 2 - the unsaved text was not written")
  io.stdout:flush()
end)
smelt.timer.set(15000, function()
  print("not ok 1 - :q! did not quit within 15 s")
  print("not ok 2 - (skipped)")
  smelt.quit(1)
end)
require("guitest").command_line("q!")
