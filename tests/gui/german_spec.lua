-- german_spec.lua: with LANGUAGE=de the window speaks German: dialogs from C and from the bundled Lua
-- Run by tests/gui/run-gui-test.sh under Xvfb with LANGUAGE=de: smelt --test-script german_spec.lua
local t = require("testlib")

-- The X11 window titled exactly `title` (no window manager under Xvfb), or nil.
local function find_window(title)
  for _ = 1, 50 do
    local r = smelt.process.run("xdotool", { "search", "--onlyvisible", "--name", "^" .. title .. "$" })
    if r and r.code == 0 and r.stdout ~= "" then
      local win
      for id in r.stdout:gmatch("%d+") do win = id end
      return win
    end
    smelt.sleep(100)
  end
end

local function press(win, key)
  assert(smelt.process.run("xdotool", { "windowfocus", "--sync", win }).code == 0)
  smelt.sleep(50)
  assert(smelt.process.run("xdotool", { "key", key }).code == 0)
end

t.test("smelt.ui.confirm's dialog is titled in German (a string of the C code)", function()
  local h = smelt.spawn(function() return smelt.ui.confirm("Wirklich?") end)
  local win = find_window("Bestätigen")
  t.truthy(win, "a window titled Bestätigen")
  press(win, "Escape")
  t.eq(h:wait(), false)
end)

t.test("smelt.ui.input's default prompt is German (a string of the bundled Lua)", function()
  local h = smelt.spawn(function() return smelt.ui.input({}) end)
  local win = find_window("Eingabe")
  t.truthy(win, "a window titled Eingabe")
  press(win, "Escape")
  t.eq(h:wait(), nil)
end)

t.run()
