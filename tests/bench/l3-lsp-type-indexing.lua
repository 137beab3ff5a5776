-- l3-lsp-type-indexing.lua: typing at 20 keys a second while clangd indexes; prints "typing_ms worst_gap_ms"
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/bench/run.sh under Xvfb (LUA_PATH with tests/gui for guitest,
-- tests/bench for gap_probe and clangd_project). clangd runs with
-- --background-index on smelt's scheduler in a folder of its own, with a
-- compilation database naming it and plugin-host's 30-odd other files (what
-- the background index works through, on both cores); as soon as
-- it runs, 100 keys are typed with xdotool, 50 ms apart, into a new line of
-- a function body: while clangd parses GLib's headers and indexes, and the
-- completion popup asks it at each word. Prints how long the typing took
-- (5,000 ms if no key waited) and the longest gap of a 16 ms timer
-- meanwhile, then "rss SMELT_KB CLANGD_KB", the two peak RSS.
local gui = require("guitest")
local project = require("clangd_project").make({ index = true })
-- a line of 100 keys: words the popup completes, no Return or Tab to take a row
local TEXT = ("g_ptr = s->tasks; n = g_list_length (l); "):rep(3):sub(1, 100)
assert(#TEXT == 100)

smelt.lsp.config("clangd", { cmd = { "clangd", "--background-index" } })
smelt.lsp.enable("clangd")
local buf = smelt.buf.open(project.path)
gui.wait_for(function()
  local c = smelt.lsp.get_clients({ buf = buf })[1]
  return c and c.state == "running"
end, "clangd running", 120)
local at = require("clangd_project").body_line(buf)
buf:set_text(at, 1, at, 1, "  \n")
buf:set_cursor(at, 3)
gui.focus(gui.find_window("smelt"))
smelt.sleep(100)

local stop = require("gap_probe").start()
local started = smelt.now()
-- xdotool waits half its delay after a key goes down, half after it comes up
gui.xdotool("type", "--delay", "100", TEXT)
gui.wait_for(function() return buf:lines(at, at)[1] == "  " .. TEXT end,
  "every key in (" .. buf:lines(at, at)[1] .. ")", 30)
local typing_ms = smelt.now() - started
local worst = stop()
io.stdout:write(("%.0f %.0f\n"):format(typing_ms, worst))
io.stdout:write(require("clangd_project").peaks(buf) .. "\n")
buf:close({ force = true })
project.remove()
smelt.quit(0)
