-- p1-picker-filter.lua: keys typed into smelt.ui.select's filter over 100,000 items; prints "worst_key_ms worst_gap_ms"
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/bench/run.sh under Xvfb: smelt --test-script p1-picker-filter.lua
-- (LUA_PATH with tests/gui for guitest, tests/bench for gap_probe). The
-- items stream in from a producer task; once all are in, keys are typed
-- with xdotool one at a time: "f" (every item matches: all 100,000
-- ranked), "i", "l", "e", "9", "9" (narrowing), then BackSpace twice
-- (widening: all of them scanned again). A key's time is the picker's own
-- figure: from the entry's change to the end of the first frame painted
-- after it, so the list on the screen shows the result. The worst key is
-- printed (each key's on stderr), and the longest freeze of a 16 ms timer
-- over the typing.
local gui = require("guitest")
local N = 100000

local h = smelt.spawn(function()
  return smelt.ui.select(function(push)
    for i = 1, N do
      push(("src/module%03d/file%05d.c"):format(i % 997, i))
    end
  end, { prompt = "P1" })
end)
gui.wait_for(function()
  local p = smelt_test.picker()
  return p and p.count == "100,000 / 100,000"
end, "the 100,000 items", 120)
local win = assert(gui.find_window("P1"), "the picker's window")
gui.focus(win)
smelt.sleep(200)

local stop = require("gap_probe").start()
local worst, query = 0, ""
for _, key in ipairs({ "f", "i", "l", "e", "9", "9", "BackSpace", "BackSpace" }) do
  query = key == "BackSpace" and query:sub(1, -2) or query .. key
  gui.xdotool("key", key)
  local ms
  gui.wait_for(function()
    local p = smelt_test.picker()
    ms = p.query == query and p.filter_ms
    return ms
  end, "the list filtered by " .. query, 30)
  io.stderr:write(("p1: %-10s %6.1f ms, %s\n"):format(query, ms, smelt_test.picker().count))
  worst = math.max(worst, ms)
end
local gap = stop()
gui.xdotool("key", "Escape")
h:wait()
io.stdout:write(("%.0f %.0f\n"):format(worst, gap))
smelt.quit(0)
