-- workspace_spec.lua: the window is a view of the documents: a buffer a plugin creates, closes or makes current shows as a tab
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local gui = require("guitest")
local wait_for = gui.wait_for

local function title()
  for _, line in ipairs(smelt_test.toplevels()) do
    local name = line:match("^(.-— smelt)")
    if name then return name end
  end
end

t.test("smelt.buf.create opens a tab for it, shown and typed into with real keys", function()
  local n = #smelt.buf.list()
  local b = smelt.buf.create({ name = "notes", text = "first line\n" })
  t.eq(#smelt.buf.list(), n + 1, "listed")
  t.truthy(smelt.buf.current() == b, "current")
  wait_for(function() return title() == "notes — smelt" end, "the window titled after it (" .. tostring(title()) .. ")")
  t.contains(smelt_test.statusline(), "notes")
  gui.type_into("smelt", "typed ")
  wait_for(function() return b:text():find("typed ", 1, true) end, "the keys in its text")
  t.eq(b:text(), "typed first line\n")
  t.truthy(b:modified())
  b:close({ force = true })
  wait_for(function() return title() ~= "• notes — smelt" and title() ~= "notes — smelt" end, "its tab gone")
  t.eq(#smelt.buf.list(), n)
end)

t.test("smelt.buf.set_current shows the buffer's tab; a tab clicked away from is current no more", function()
  local a = smelt.buf.create({ name = "alpha" })
  local b = smelt.buf.create({ name = "beta" })
  wait_for(function() return title() == "beta — smelt" end, "beta shown")
  smelt.buf.set_current(a)
  wait_for(function() return title() == "alpha — smelt" end, "alpha shown")
  t.eq(smelt_test.focus_widget(), "GtkSourceView", "the keyboard in its text")
  -- a real click on beta's tab
  local x, y
  wait_for(function() x, y = smelt_test.tab_point(b); return x ~= nil end, "beta's tab on the screen")
  gui.xdotool("mousemove", tostring(x), tostring(y), "click", "1")
  wait_for(function() return smelt.buf.current() == b end, "the click to make beta current")
  wait_for(function() return title() == "beta — smelt" end, "beta shown")
  a:close(); b:close()
end)

t.test("a scratch buffer closes with Ctrl+W without asking, edits and all", function()
  local s = smelt.buf.create({ name = "scratchpad", scratch = true })
  wait_for(function() return title() == "scratchpad — smelt" end, "scratchpad shown")
  gui.type_into("smelt", "throwaway")
  wait_for(function() return s:modified() end, "typed into")
  gui.type_into("smelt", nil, "ctrl+w")
  wait_for(function() return not s:valid() end, "Ctrl+W to close it with no question")
  for _, line in ipairs(smelt_test.toplevels()) do
    t.falsy(line:find("Confirm", 1, true), "no dialog: " .. line)
  end
end, { timeout = 30000 })

t.test("set_cursor to a line off screen brings it to the middle of the view", function()
  local lines = {}
  for i = 1, 400 do lines[i] = "line " .. i end
  local b = smelt.buf.create({ name = "long", text = table.concat(lines, "\n") })
  wait_for(function() return title() == "long — smelt" end, "long shown")
  wait_for(function() return smelt_test.top_line() == 1 end, "the view at the top")
  b:set_cursor(200, 1)
  local top, before
  -- the view lays the lines out over a few frames: until the top line stays put
  local same = 0
  local ok, err = pcall(wait_for, function()
    before, top = top, smelt_test.top_line()
    same = top == before and same + 1 or 0
    smelt.sleep(100)
    return top > 150 and same >= 5
  end, "the view scrolled to line 200", 30)
  t.truthy(ok, tostring(err) .. ": its top line is " .. tostring(smelt_test.top_line()) .. ", the cursor on line " .. b:cursor())
  t.truthy(top < 200, "line 200 below the top line (" .. top .. "): lines above it show too")
  -- a line already on screen: no jump
  b:set_cursor(top + 2, 1)
  smelt.sleep(200)
  t.eq(smelt_test.top_line(), top, "the view stays")
  b:close()
end, { timeout = 60000 })

t.test("a mark's highlight shows in the window and stays on its text while lines are typed above it", function()
  local ns = smelt.ns("shown")
  local b = smelt.buf.create({ name = "marked", text = "first\nan error here\nlast\n" })
  wait_for(function() return title() == "marked — smelt" end, "marked shown")
  smelt.hl.define("SmeltTestWavy", { underline = "error", fg = "#aa0000" })
  b:set_mark(ns, 2, 4, { end_line = 2, end_col = 9, hl = "def:error" })
  b:set_mark(ns, 2, 10, { end_line = 2, end_col = 14, hl = "SmeltTestWavy" })
  b:set_cursor(1, 1)
  gui.type_into("smelt", "typed above", "Return")
  local ok = pcall(wait_for, function() return b:lines(1, 1)[1] == "typed above" end, "the typed line")
  t.truthy(ok, ("the typed line (the text is %q, the keyboard in %s)"):format(b:text(), smelt_test.focus_widget()))
  local m = b:get_marks(ns)
  t.eq(b:get_text(m[1].line, m[1].col, m[1].end_line, m[1].end_col), "error")
  t.eq(m[1].line, 3, "moved down a line")
  t.eq(b:get_text(m[2].line, m[2].col, m[2].end_line, m[2].end_col), "here")
  -- a picture to look at (the red background of def:error, the wavy line)
  local shot = assert(os.getenv("SMELT_SHOTS"), "SMELT_SHOTS: where marks.png goes (tests/gui/meson.build)")
  smelt.sleep(300)
  smelt.process.run("import", { "-window", "root", shot .. "/marks.png" })
  b:close({ force = true })
end)

t.test("a mark's sign shows in the gutter and its message when the pointer rests on its text", function()
  local ns = smelt.ns("signs")
  local b = smelt.buf.create({ name = "signed", text = "local ok = 1\nprint(undefined_name)\nreturn ok\n" })
  wait_for(function() return title() == "signed — smelt" end, "signed shown")
  smelt.hl.define("SmeltTestWavy", { underline = "error", fg = "#aa0000" })
  b:set_mark(ns, 2, 7, { end_line = 2, end_col = 21, hl = "SmeltTestWavy", sign = "E", sign_hl = "def:error",
                         message = "undefined global 'undefined_name'", priority = 10 })
  b:set_mark(ns, 2, 1, { sign = "W", priority = 1 })   -- a lower one on the same line: not shown
  local x, y
  wait_for(function() x, y = smelt_test.text_point(b, 2, 10); return x ~= nil end, "the text on the screen")
  gui.xdotool("mousemove", tostring(x - 40), tostring(y))   -- beside, then onto it: a motion GTK sees
  smelt.sleep(100)
  gui.xdotool("mousemove", tostring(x), tostring(y))
  wait_for(function() return smelt_test.hover_text() ~= nil end, "the hover popover", 15)
  t.eq(smelt_test.hover_text(), "undefined global 'undefined_name'")
  smelt.sleep(300)
  local shot = assert(os.getenv("SMELT_SHOTS"), "SMELT_SHOTS: where signs.png goes (tests/gui/meson.build)")
  smelt.process.run("import", { "-window", "root", shot .. "/signs.png" })
  gui.xdotool("mousemove", "5", "5")
  b:close({ force = true })
end, { timeout = 40000 })

t.test("diagnostics: underlined and signed, F8 goes to the next with real keys, they stay on their text", function()
  local ns = smelt.ns("gui-lint")
  local lines = { "local a = 1" }
  for i = 2, 60 do lines[i] = "print(a + " .. i .. ")" end
  lines[45] = "print(undefined)"
  local b = smelt.buf.create({ name = "linted", text = table.concat(lines, "\n") .. "\n" })
  wait_for(function() return title() == "linted — smelt" end, "linted shown")
  smelt.diagnostic.set(ns, b, {
    { line = 45, col = 7, end_line = 45, end_col = 16, severity = "error", message = "undefined global", source = "luacheck" },
    { line = 1, col = 7, end_line = 1, end_col = 8, severity = "warning", message = "unused a" },
  })
  wait_for(function() return smelt_test.statusline():find("E1 W1", 1, true) end,
    "the counts in the statusline (it says " .. smelt_test.statusline() .. ")")
  b:set_cursor(2, 1)
  gui.type_into("smelt", nil, "F8")
  wait_for(function() return b:cursor() == 45 end, "F8 to go to the error on line 45")
  t.contains(smelt_test.message(), "undefined global")
  gui.type_into("smelt", nil, "shift+F8")
  wait_for(function() return b:cursor() == 1 end, "Shift+F8 back to the warning")
  b:set_cursor(1, 1)
  gui.type_into("smelt", "new first line", "Return")
  wait_for(function() return smelt.diagnostic.get(b)[2].line == 46 end, "the error moved down with its text")
  b:set_cursor(46, 1)
  local x, y, px, py
  -- where the error is once the view has stopped scrolling to it
  wait_for(function()
    px, py = x, y
    x, y = smelt_test.text_point(b, 46, 10)
    smelt.sleep(200)
    return x ~= nil and x == px and y == py
  end, "the error on the screen, still", 15)
  gui.xdotool("mousemove", tostring(x - 40), tostring(y))
  smelt.sleep(100)
  gui.xdotool("mousemove", tostring(x), tostring(y))
  wait_for(function() return smelt_test.hover_text() ~= nil end, "the hover popover", 15)
  t.eq(smelt_test.hover_text(), "undefined global [luacheck]")
  -- the picker lists them; Return goes to the one picked (the first)
  gui.xdotool("mousemove", "5", "5")
  gui.command_line("Diagnostics")
  local ok, err = pcall(function()
    gui.type_into("Diagnostics in linted", nil, "Return")
    wait_for(function() return b:cursor() == 2 end, ":Diagnostics and Return to go to the first (the warning, on line 2 now)")
  end)
  t.truthy(ok, tostring(err) .. "; cursor " .. table.concat({ b:cursor() }, ",") .. "; toplevels: " .. table.concat(smelt_test.toplevels(), ", ") .. "; message: " .. smelt_test.message())
  b:set_cursor(46, 1)
  smelt.sleep(300)
  local shot = assert(os.getenv("SMELT_SHOTS"), "SMELT_SHOTS: where diagnostics.png goes")
  smelt.process.run("import", { "-window", "root", shot .. "/diagnostics.png" })
  gui.xdotool("mousemove", "5", "5")
  b:close({ force = true })
end, { timeout = 40000 })

t.test("a mark's highlight follows the style scheme when it changes", function()
  local ns = smelt.ns("scheme")
  local b = smelt.buf.create({ name = "schemed", text = "warn me\n" })
  wait_for(function() return title() == "schemed — smelt" end, "schemed shown")
  b:set_mark(ns, 1, 1, { end_line = 1, end_col = 5, hl = "def:warning" })
  local classic = smelt_test.hl_background(b, "def:warning")
  t.truthy(classic, "classic's def:warning has a background")
  smelt_test.set_setting("style-scheme", "oblivion")
  wait_for(function() return smelt_test.style_scheme() == "oblivion" end, "the scheme changed")
  wait_for(function() return smelt_test.hl_background(b, "def:warning") ~= classic end,
    "the highlight's new look (it is still " .. tostring(classic) .. ")")
  smelt_test.set_setting("style-scheme", "classic")
  wait_for(function() return smelt_test.hl_background(b, "def:warning") == classic end, "back to classic's")
  b:close()
end)

t.test("closing the last buffer leaves an empty, untitled one", function()
  for _, b in ipairs(smelt.buf.list()) do b:close({ force = true }) end
  wait_for(function() return #smelt.buf.list() == 1 end, "one buffer left")
  local only = smelt.buf.list()[1]
  t.eq(only:text(), "")
  t.eq(only:path(), nil)
  t.truthy(smelt.buf.current() == only)
end)

t.run()
