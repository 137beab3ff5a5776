-- l2-lsp-complete-key.lua: a key typed in the window to clangd's rows in the completion popup; prints "key_to_rows_ms worst_gap_ms"
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/bench/run.sh under Xvfb (LUA_PATH with tests/gui for guitest,
-- tests/bench for gap_probe and clangd_project). The file is smelt's
-- scheduler in a folder of its own. Once clangd has parsed it, five times:
-- a letter pressed with xdotool at the start of a word on a new line in a
-- function body ("  g", "  l", ...), from just before xdotool runs (its own
-- start, a few ms, included) to the popup's first rows, polled every turn of
-- the loop, with a request to clangd on the way (counted). The window asks
-- on the word's first letter and filters its rows on the letters typed after
-- it without asking again, so that letter is the one that waits for clangd.
-- Prints the median of the five and the longest gap of a 16 ms timer while
-- they ran, then "rss SMELT_KB CLANGD_KB", the two peak RSS.
local gui = require("guitest")
local project = require("clangd_project").make()

smelt.lsp.enable("clangd")
local buf = smelt.buf.open(project.path)
gui.wait_for(function()
  local c = smelt.lsp.get_clients({ buf = buf })[1]
  return c and c.state == "running"
end, "clangd running", 120)
local at = require("clangd_project").body_line(buf)
buf:set_text(at, 1, at, 1, "  \n")
-- parsed: one completion answered (the first waits for GLib's headers)
assert(#smelt.lsp.buf.completion({ buf = buf, line = at, col = 3 }) > 0, "clangd completes nothing")
gui.focus(gui.find_window("smelt"))

local asked = 0
local completion = smelt.lsp.buf.completion
smelt.lsp.buf.completion = function(...) asked = asked + 1; return completion(...) end

local times, worst = {}, 0
for _, letter in ipairs({ "g", "l", "s", "m", "o" }) do
  buf:set_cursor(at, 3)
  smelt.sleep(200)
  local before = asked
  local stop = require("gap_probe").start()
  local t0 = smelt.now()
  gui.xdotool("key", letter)
  while not (asked > before and (smelt_test.completion_rows()[1] or "") ~= "") do
    assert(smelt.now() - t0 < 30000, ("no rows for %s (asked %d, rows %s, line %q)")
      :format(letter, asked - before, table.concat(smelt_test.completion_rows(), ","), buf:lines(at, at)[1]))
    smelt.sleep(0)
  end
  times[#times + 1] = smelt.now() - t0
  worst = math.max(worst, stop())
  gui.xdotool("key", "Escape")
  gui.wait_for(function() return #smelt_test.completion_rows() == 0 end, "the popup closed")
  buf:set_text(at, 3, at, 4, "")
end
table.sort(times)
io.stdout:write(("%.0f %.0f\n"):format(times[3], worst))
io.stdout:write(require("clangd_project").peaks(buf) .. "\n")
io.stderr:write(("l2: %s ms\n"):format(table.concat(times, " ")))
buf:close({ force = true })
project.remove()
smelt.quit(0)
