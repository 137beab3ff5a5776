-- session_child.lua: the second smelt of session_spec.lua, under Xvfb, with the spec's state folder
-- SPDX-License-Identifier: GPL-3.0-or-later
-- SESSION_STEP=save: opens SESSION_DIR's a.txt, b.txt and c.txt (cursors set, a.txt shown),
-- then quits with real keys (Ctrl+Q), which saves the session. SESSION_STEP=report: waits
-- for the restore, writes what is open to SESSION_DIR/report, and quits.
local gui = require("guitest")
local step, dir = assert(os.getenv("SESSION_STEP")), assert(os.getenv("SESSION_DIR"))

local function restoring()
  for _i, e in ipairs(smelt.task.list()) do
    if e.name == "restore the session" then return true end
  end
  return false
end

if step == "save" then
  local a = smelt.buf.open(dir .. "/a.txt")
  a:set_cursor(2, 3)
  local b = smelt.buf.open(dir .. "/b.txt")
  b:set_cursor(3, 1)
  smelt.buf.open(dir .. "/c.txt")
  smelt.buf.set_current(a)
  gui.type_into("smelt", nil, "ctrl+q")   -- nothing unsaved: quits at once
  smelt.sleep(20000)   -- a hang guard: the quit ends the process before this
  io.stderr:write("session_child: Ctrl+Q did not quit\n")
  smelt.quit(3)
else
  smelt.sleep(300)
  gui.wait_for(function() return not restoring() end, "the restore", 20)
  local lines = {}
  local current = smelt.buf.current()
  for _i, buf in ipairs(smelt.buf.list()) do
    local line, col = buf:cursor()
    lines[#lines + 1] = ("%s %s %d %d"):format(buf == current and "*" or "-", buf:path() or "untitled", line, col)
  end
  assert(smelt.fs.write(dir .. "/report", table.concat(lines, "\n") .. "\n"))
  smelt.quit(0)
end
