-- g1-open-50mb.lua: opens a 50 MB file in the window; prints "load_ms worst_gap_ms"
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/bench/run.sh under Xvfb: smelt --test-script g1-open-50mb.lua
-- A 16 ms timer runs throughout; the worst gap between its ticks, over the
-- load and 3 s of the layout after it, is how long the window froze.
local path = os.tmpname()
assert(smelt.process.run("sh", { "-c",
  "yes 'the quick brown fox jumps over the lazy dog, again' | head -c 52428800 > " .. path }).code == 0)
local stop = require("gap_probe").start()
local started = smelt.now()
smelt.buf.open(path)
local load_ms = smelt.now() - started
smelt.sleep(3000)
local worst = stop()
os.remove(path)
io.stdout:write(("%.0f %.0f\n"):format(load_ms, worst))
smelt.quit(0)
