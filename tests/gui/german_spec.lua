-- german_spec.lua: with LANGUAGE=de the window speaks German: dialogs from C and from the bundled Lua, a bundled plugin
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh under Xvfb with LANGUAGE=de: smelt --test-script german_spec.lua
local t = require("testlib")

local gui = require("guitest")

local function press(win, key)
  gui.focus(win)
  smelt.sleep(50)
  gui.xdotool("key", key)
end

t.test("smelt.ui.confirm's dialog is titled in German (a string of the C code)", function()
  local h = smelt.spawn(function() return smelt.ui.confirm("Wirklich?") end)
  local win = gui.find_window("Bestätigen")
  t.truthy(win, "a window titled Bestätigen")
  press(win, "Escape")
  t.eq(h:wait(), false)
end)

t.test("smelt.ui.input's default prompt is German (a string of the bundled Lua)", function()
  local h = smelt.spawn(function() return smelt.ui.input({}) end)
  local win = gui.find_window("Eingabe")
  t.truthy(win, "a window titled Eingabe")
  press(win, "Escape")
  t.eq(h:wait(), nil)
end)

t.test("the bundled word count's statusline is German (strings of a bundled plugin)", function()
  local dir = os.tmpname()
  os.remove(dir)
  os.execute("mkdir -p " .. dir)
  local b = smelt.buf.open(dir .. "/zaehlen.txt")
  b:set_text("drei kurze Wörter\n")
  gui.wait_for(function() return smelt_test.statusline():find("3 Wörter", 1, true) end,
    "the count (the statusline says " .. smelt_test.statusline() .. ")")
  t.eq(smelt_test.statusline(), "• zaehlen.txt    Z. 2, Sp. 1    3 Wörter")
  b:set_text("eins\n")
  gui.wait_for(function() return smelt_test.statusline():find("1 Wort$") end,
    "the singular (the statusline says " .. smelt_test.statusline() .. ")")
  b:close({ force = true })
  os.execute("rm -rf " .. dir)
end)

t.run()
