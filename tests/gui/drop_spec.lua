-- drop_spec.lua: files dragged from another program (as GNOME Files drags them) and dropped on the window open in tabs
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh. The drag source is tests/gui/drag-source.py (GTK 4
-- through PyGObject), a window of its own on this display; xdotool drags with real
-- pointer events, so the drop goes through X11's drag-and-drop protocol.
local t = require("testlib")
t.default_timeout = 60000   -- a hang guard: two programs and a drag under AddressSanitizer

local gui = require("guitest")
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")
local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p " .. dir)
local one, two = dir .. "/dropped one.txt", dir .. "/dropped-two.txt"
assert(smelt.fs.write(one, "first\n"))
assert(smelt.fs.write(two, "second\n"))

local function geometry(win)
  local out = gui.xdotool("getwindowgeometry", "--shell", win)
  return tonumber(out:match("X=(%-?%d+)")), tonumber(out:match("Y=(%-?%d+)")),
    tonumber(out:match("WIDTH=(%d+)")), tonumber(out:match("HEIGHT=(%d+)"))
end

--- Drags from the middle of window `from` to screen point (x, y), in steps.
local function drag(from, x, y)
  local fx, fy, fw, fh = geometry(from)
  local sx, sy = fx + fw // 2, fy + fh // 2
  gui.xdotool("mousemove", tostring(sx), tostring(sy))
  smelt.sleep(200)
  gui.xdotool("mousedown", "1")
  for i = 1, 10 do   -- past GTK's drag threshold, then across
    gui.xdotool("mousemove", tostring(sx + (x - sx) * i // 10), tostring(sy + (y - sy) * i // 10))
    smelt.sleep(60)
  end
  smelt.sleep(300)   -- the target answers XdndPosition
  gui.xdotool("mouseup", "1")
end

t.test("two files dropped on the text open in two tabs; the text they fell on is untouched", function()
  local before = smelt.buf.current()   -- not empty: an untouched empty buffer takes the first file
  before:set_text("the text the drop falls on\n")
  local text_before = before:text()
  local source = assert(smelt.process.spawn("/usr/bin/python3", { here .. "/drag-source.py", one, two }))
  local win = gui.find_window("drag source")
  t.truthy(win, "the drag source's window")
  gui.xdotool("windowmove", win, "780", "440")   -- no window manager: apart from smelt's text
  smelt.sleep(300)
  local opened = false
  for _ = 1, 3 do   -- a drag is a dance of X messages; on a loaded machine one may miss its step
    drag(win, 300, 300)
    opened = pcall(gui.wait_for, function() return gui.buffer_of(one) and gui.buffer_of(two) end, "", 10)
    if opened then break end
    io.stderr:write("drop_spec: the drop did not open the files; dragging again\n")
  end
  pcall(source.kill, source)
  t.truthy(opened, "both files open")
  if opened then
    gui.wait_for(function() return gui.buffer_of(two):text() == "second\n" end, "the second file's text")
    t.eq(gui.buffer_of(one):text(), "first\n")
    t.eq(smelt.buf.current(), gui.buffer_of(two), "the last one dropped is shown")
  end
  t.eq(before:text(), text_before, "no file name was typed into the text")
end)

t.test("cleanup", function()
  smelt.process.run("rm", { "-rf", dir })
end)

t.run()
