-- chooser_spec.lua: the file choosers of Ctrl+O and of Ctrl+S on an untitled buffer
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh under Xvfb. A spec of its own: GTK 4.8's
-- file chooser leaks a few strings while it loads and sorts a folder (in
-- GTK, from GIO callbacks, with no smelt frame), so under LeakSanitizer this
-- spec alone also suppresses leaks inside libgtk-4 (tests/lsan-file-chooser.supp);
-- every other GUI spec runs with the strict suppressions.
local t = require("testlib")
t.default_timeout = 30000
local gui = require("guitest")
local type_into, wait_for = gui.type_into, gui.wait_for

local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p " .. dir)

t.test("Ctrl+O opens a file chosen in the file chooser, which starts in the shown buffer's folder", function()
  local p = dir .. "/chosen.txt"
  assert(smelt.fs.write(p, "chosen\n"))
  local here = smelt.buf.open(dir .. "/here.txt")
  t.eq(smelt.buf.current():path(), here:path())
  type_into("smelt", nil, "ctrl+o")
  type_into("Open Files", nil, "ctrl+l")             -- the location entry
  type_into("Open Files", "chosen.txt", "Return")   -- a bare name: in that folder
  wait_for(function()
    local cur = smelt.buf.current()
    return cur and cur:path() == p and cur:text() == "chosen\n"
  end, "the chosen file to open")
end)

t.test("Ctrl+S on an untitled buffer asks where, then saves there", function()
  local p = dir .. "/saved-as.txt"
  type_into("smelt", nil, "ctrl+n")
  local b
  wait_for(function() b = smelt.buf.current(); return b:path() == nil end, "a new buffer")
  b:set_text("saved as\n")
  type_into("smelt", nil, "ctrl+s")
  type_into("Save File", nil, "ctrl+a")
  -- a bare name: it starts in the folder of the nearest tab with a file
  type_into("Save File", "saved-as.txt", "Return")
  wait_for(function() return smelt.fs.read(p) == "saved as\n" end, "the file to be written")
  t.eq(b:path(), p)
  t.falsy(b:modified())
end)

t.test("cleanup", function()
  smelt.process.run("rm", { "-rf", dir })
end)

t.run()
