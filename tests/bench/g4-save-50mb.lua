-- g4-save-50mb.lua: saves an edited 50 MB file, the bundled trim on; prints "save_ms worst_gap_ms"
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/bench/run.sh under Xvfb: smelt --test-script g4-save-50mb.lua
-- The first line is edited and ends in spaces, so trim_whitespace has a
-- line to rewrite; the last line ends in a space nobody typed, which stays
-- (trim touches only edited lines: it scanned all 1M lines, 1.3 s, before).
-- A 16 ms timer runs through the save, and its worst gap is how long the
-- window froze (3.3 s when the plugin read and rewrote the whole buffer at
-- once and the scheduler let a task's long steps run 16 at a time).
local path = os.tmpname()
assert(smelt.process.run("sh", { "-c",
  "yes 'the quick brown fox jumps over the lazy dog, again' | head -c 52428790 > " .. path
  .. " && printf 'last line ' >> " .. path }).code == 0)
local b = smelt.buf.open(path)
smelt.sleep(2000)   -- the layout after the load
b:insert(1, 1, "x")
b:insert(1, #b:lines(1, 1)[1] + 1, "  ")
local stop = require("gap_probe").start()
local started = smelt.now()
b:save()
local save_ms = smelt.now() - started
smelt.sleep(500)
local worst = stop()
local text = smelt.fs.read(path)
os.remove(path)
assert(text:sub(-10) == "last line " and text:sub(1, 52) == "xthe quick brown fox jumps over the lazy dog, again\n",
  ("saved, line 1 trimmed, the last one not: %q ... %q"):format(text:sub(1, 60), text:sub(-12)))
io.stdout:write(("%.0f %.0f\n"):format(save_ms, worst))
smelt.quit(0)
