-- messages_spec.lua: the message area never hides an error's reason: a long message is cut with a sign, a click shows it whole, :Messages lists it
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh under Xvfb: smelt --test-script messages_spec.lua
local t = require("testlib")
-- a hang guard only: real keys and clicks under AddressSanitizer on a shared 2-core machine
t.default_timeout = 40000

local gui = require("guitest")
local xdotool, wait_for = gui.xdotool, gui.wait_for

local function keyboard_in_text(b)
  smelt.buf.set_current(b)
  wait_for(function() return smelt_test.focus_widget() == "GtkSourceView" end, "the text to have the keyboard")
end

--- Clicks the message area's line with the real pointer until its popover
--- shows (a click that lands while the window is still laid out misses);
--- returns the whole message it shows.
local function click_message()
  for _ = 1, 3 do
    local x, y
    wait_for(function() x, y = smelt_test.message_point(); return x ~= nil end, "the message area on the screen")
    xdotool("mousemove", tostring(x), tostring(y))
    smelt.sleep(100)
    xdotool("click", "1")
    if pcall(wait_for, function() return smelt_test.message_whole() ~= nil end, "", 5) then
      return smelt_test.message_whole()
    end
  end
  error("three clicks on the message area opened no popover (it says " .. smelt_test.message() .. ")", 2)
end

local function close_popover()
  xdotool("key", "Escape")
  wait_for(function() return smelt_test.message_whole() == nil end, "the popover to close")
end

-- many lines, and a first line far wider than the window
local REASON = "the reason, which is long: " .. ("every word of it matters "):rep(30)
  .. "\nits second line\nand its third, the last"

t.test("a key map's long error: its line cut with a sign, a click shows it whole with the traceback, "
  .. ":Messages lists it", function()
  local b = smelt.buf.create({ name = "typing" })
  local function explain() error(REASON) end
  local map = smelt.keymap.set("<C-x>e", function() explain() end)
  keyboard_in_text(b)
  gui.focus(gui.find_window("smelt"))
  xdotool("key", "--delay", "15", "ctrl+x", "e")
  wait_for(function() return smelt_test.message():find("the reason", 1, true) end, "the error in the message area")
  local line = smelt_test.message()
  t.contains(line, "[error] key map <C-x>e: ", "names the map: " .. line)
  t.falsy(line:find("its second line", 1, true), "one line only")
  t.truthy(line:find("%(%+%d+ lines%)$"), "says there is more: " .. line)
  t.truthy(smelt_test.message_truncated())

  local whole = click_message()
  t.contains(whole, REASON, "the whole reason, every line")
  t.contains(whole, "stack traceback:", "and the traceback")
  t.contains(whole, "in upvalue 'explain'", "down to the function that raised")
  smelt.sleep(300)
  local shots = assert(os.getenv("SMELT_SHOTS"), "SMELT_SHOTS: where message-whole.png goes (tests/gui/meson.build)")
  smelt.process.run("import", { "-window", "root", shots .. "/message-whole.png" })
  close_popover()

  gui.command_line("Messages")
  wait_for(function() return smelt.buf.current():name() == "Messages" end, ":Messages to show its buffer")
  local listed = smelt.buf.current():text()
  t.contains(listed, REASON, "the whole reason")
  t.contains(listed, "stack traceback:", "and the traceback")
  t.truthy(listed:find("%d%d:%d%d:%d%d %[error%] key map <C%-x>e: "), "with its time and level")
  t.eq(smelt.buf.current():cursor(), smelt.buf.current():line_count(), "at the newest")
  map:remove()
  smelt.buf.current():close({ force = true })
  b:close({ force = true })
end)

t.test("a line wider than the window is cut too, and a short one is not", function()
  smelt.notify("short and whole", "info")
  wait_for(function() return smelt_test.message() == "[info] short and whole" end, "the short message")
  smelt.sleep(100)   -- laid out
  t.falsy(smelt_test.message_truncated(), "nothing to show on a click")
  local wide = "one line " .. ("far wider than the window "):rep(40) .. "end"
  smelt.notify(wide, "warn")
  wait_for(function() return smelt_test.message() == "[warn] " .. wide end, "the wide message")
  wait_for(function() return smelt_test.message_truncated() end, "the wide line to be ellipsized")
  t.eq(click_message(), "[warn] " .. wide)
  close_popover()
end)

t.test("errors of event handlers and commands reach the message area with their traceback", function()
  local h = smelt.on("messages-spec", function() error("an event handler's reason") end)
  smelt.emit("messages-spec", {})
  wait_for(function() return smelt_test.message():find("an event handler's reason", 1, true) end, "the handler's error")
  t.contains(click_message(), "stack traceback:")
  close_popover()
  h:remove()
  smelt.cmd.create("SpecFails", function() error("a command's reason") end)
  gui.command_line("SpecFails")
  wait_for(function() return smelt_test.message():find("a command's reason", 1, true) end, "the command's error")
  t.contains(click_message(), "stack traceback:")
  close_popover()
  smelt.cmd.del("SpecFails")
end)

t.run()
