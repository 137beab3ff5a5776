-- runaway_spec.lua: a statusline renderer or a completion function that never returns is interrupted and reported; the editor goes on
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh with --watchdog-ms 500 (tests/gui/meson.build).
local t = require("testlib")
-- a hang guard only: without the watchdog these freeze the window for good
t.default_timeout = 30000
local gui = require("guitest")
local wait_for, type_into = gui.wait_for, gui.type_into

local here = debug.getinfo(1, "S").short_src
local spin_line = debug.getinfo(1, "l").currentline + 1
local function spin() while true do end end
local where = ("without yielding (%s:%d)"):format(here, spin_line)

-- a 16 ms timer: the main loop turning
local ticks = 0
local ticker = smelt.timer.every(16, function() ticks = ticks + 1 end)

local function message_has(text)
  return smelt_test.message():find(text, 1, true) ~= nil
end

-- the editor answers: typed keys reach the buffer and the timer ticks on
local function still_responsive(b, text)
  local before = ticks
  type_into("smelt", text)
  wait_for(function() return b:text():find(text, 1, true) ~= nil end, "the typed text " .. text)
  wait_for(function() return ticks >= before + 10 end, "the 16 ms timer to tick on")
end

t.test("a statusline renderer that never returns is interrupted, reported with its line, and dropped", function()
  local b = smelt.buf.current()
  b:set_text("")
  smelt.statusline.set(spin)
  wait_for(function() return message_has("[error] statusline: smelt: plugin code ran 500 ms " .. where) end,
    "the report (the message area says " .. smelt_test.message() .. ")", 20)
  t.eq(smelt.statusline.get(), nil, "the runaway renderer is dropped")
  still_responsive(b, "abc")
  wait_for(function() return smelt_test.statusline():match("Ln 1, Col 4$") end,
    "the window's own statusline (it says " .. smelt_test.statusline() .. ")")
  -- a later good renderer works again
  smelt.statusline.set(function(buf) return ("good %d:%d"):format(buf:cursor()) end)
  wait_for(function() return smelt_test.statusline() == "good 1:4" end,
    "the good renderer (the statusline says " .. smelt_test.statusline() .. ")")
  smelt.statusline.set(nil)
  b:set_text("")
end)

t.test("a renderer that raises is reported with its file:line; the window's own shows", function()
  local line = debug.getinfo(1, "l").currentline + 1
  smelt.statusline.set(function() error("broken renderer") end)
  wait_for(function() return message_has(("[error] statusline: %s:%d: broken renderer"):format(here, line)) end,
    "the report (the message area says " .. smelt_test.message() .. ")")
  wait_for(function() return smelt_test.statusline():match("Ln %d+, Col %d+$") end,
    "the window's own statusline (it says " .. smelt_test.statusline() .. ")")
  t.eq(smelt.statusline.get(), nil)
end)

t.test("a command's complete function that never returns: Tab is interrupted, reported, offers nothing", function()
  local b = smelt.buf.current()
  smelt.cmd.create("Spin", function() end, { nargs = 1, complete = spin, force = true })
  smelt.cmd.create("Good", function() end, { nargs = 1, complete = function() return { "alpha" } end, force = true })
  type_into("smelt", nil, "ctrl+semicolon")
  wait_for(function() return smelt_test.command_line() == ":" end, "the command line to open")
  type_into("smelt", "Spin x")
  wait_for(function() return smelt_test.command_line() == ":Spin x" end, "the typed command line")
  gui.xdotool("key", "Tab")
  wait_for(function() return message_has("[error] completion: smelt: plugin code ran 500 ms " .. where) end,
    "the report (the message area says " .. smelt_test.message() .. ")", 20)
  t.eq(smelt_test.command_line(), ":Spin x", "nothing offered")
  -- the command line still takes keys, and a good complete function works
  local before = ticks
  gui.xdotool("key", "BackSpace", "BackSpace", "BackSpace", "BackSpace", "BackSpace", "BackSpace")
  wait_for(function() return smelt_test.command_line() == ":" end, "the command line emptied")
  type_into("smelt", "Good a")
  gui.xdotool("key", "Tab")
  wait_for(function() return smelt_test.command_line() == ":Good alpha " end,
    "the good completion (the command line says " .. tostring(smelt_test.command_line()) .. ")")
  wait_for(function() return ticks >= before + 10 end, "the 16 ms timer to tick on")
  gui.xdotool("key", "Escape")
  wait_for(function() return smelt_test.command_line() == nil end, "the command line to close")
  still_responsive(b, "after")
  b:set_text("")
end)

t.test("cleanup", function()
  ticker:remove()
end)

t.run()
