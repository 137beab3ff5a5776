-- g2-complete-big-folder.lua: Tab completes ":e FOLDER/f1999" over a folder of 200,000 files; prints "complete_ms worst_gap_ms"
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/bench/run.sh under Xvfb: smelt --test-script g2-complete-big-folder.lua
-- (LUA_PATH with tests/gui for guitest, tests/bench for gap_probe). The keys are real (xdotool). A 16 ms timer
-- runs from the Tab until the completion is in the command line; the worst gap
-- between its ticks is how long the window froze while the folder was read.
local gui = require("guitest")
local dir = os.tmpname()
os.remove(dir)
assert(smelt.process.run("sh", { "-c", ("mkdir -p %s && cd %s && seq -f f%%.0f 200000 | xargs touch"):format(dir, dir) }).code == 0)

gui.type_into("smelt", nil, "ctrl+semicolon")
gui.wait_for(function() return smelt_test.command_line() == ":" end, "the command line")
local line = "e " .. dir .. "/f1999"
gui.type_into("smelt", line)
gui.wait_for(function() return smelt_test.command_line() == ":" .. line end, "the typed line")

local stop = require("gap_probe").start()
local started = smelt.now()
gui.xdotool("key", "Tab")
-- f1999 and f19990 .. f19999: eleven candidates, the common prefix is the text itself; the list shows
gui.wait_for(function() return smelt_test.message():find("f19999", 1, true) end, "the candidates", 60)
local complete_ms = smelt.now() - started
local worst = stop()
smelt.process.run("rm", { "-rf", dir })
io.stdout:write(("%.0f %.0f\n"):format(complete_ms, worst))
smelt.quit(0)
