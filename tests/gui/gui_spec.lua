-- gui_spec.lua: the GTK window, driven from a task: buffers, dialogs answered by real keys
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh under Xvfb: smelt --test-script gui_spec.lua
local t = require("testlib")
-- a hang guard only: real keys and clicks under AddressSanitizer on a
-- shared 2-core machine can take seconds
t.default_timeout = 30000
local process = smelt.process

local gui = require("guitest")
local xdotool, type_into, wait_for, buffer_of = gui.xdotool, gui.type_into, gui.wait_for, gui.buffer_of

-- The changed-on-disk question in b's bar, waited for (up to 20 s).
local function reload_question(b)
  pcall(wait_for, function() return smelt_test.reload_question(b) ~= nil end, "", 20)
  return smelt_test.reload_question(b)
end

-- Clicks the bar's Reload (or Keep my version) with the real pointer.
local function click_reload_bar(b, reload)
  -- on a loaded machine a click can land before the pointer's move has
  -- reached the window: a few tries, each from a fresh point
  for _ = 1, 3 do
    local x, y
    for _ = 1, 40 do
      x, y = smelt_test.reload_button_point(b, reload)
      if x then break end
      smelt.sleep(100)
    end
    assert(x, "the bar's button on the screen")
    xdotool("mousemove", tostring(x), tostring(y))
    smelt.sleep(200)
    xdotool("click", "1")
    if pcall(wait_for, function() return smelt_test.reload_question(b) == nil end, "", 5) then return end
  end
  error("the bar was not answered by three clicks", 2)
end

local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p " .. dir)
local path = dir .. "/notes.txt"
assert(smelt.fs.write(path, "first line\nsecond line\n"))

t.test("smelt.has_ui is true and the UI tier exists", function()
  t.truthy(smelt.has_ui())
  t.eq(type(smelt.ui.input), "function")
end)

t.test("at startup the buffer has the keyboard: typed text goes into it; the title names it", function()
  local b = smelt.buf.current()
  local win = gui.find_window("smelt")
  t.eq(xdotool("getwindowname", win), "untitled — smelt\n")
  type_into("smelt", "typed", nil)   -- the X11 focus only: no click into the text
  wait_for(function() return b:text() == "typed" end, "the text typed at startup")
  wait_for(function() return xdotool("getwindowname", win) == "• untitled — smelt\n" end,
    "the title marked modified")
  b:set_text("")
  t.eq(b:text(), "")
end)

t.test("open a file, edit it through the buffer API, save it, read it back", function()
  local b = smelt.buf.open(path)
  t.eq(b:path(), path)
  t.same(b:lines(1, 2), { "first line", "second line" })
  b:set_lines(1, 1, { "changed line" })
  b:insert(2, 1, ">> ")
  b:set_cursor(2, 4)
  local line, col = b:cursor()
  t.eq(line, 2); t.eq(col, 4)
  t.truthy(b:modified())
  local inode = process.run("stat", { "-c", "%i", path }).stdout
  t.eq(b:save(), true)
  -- atomic: a new file renamed over the old one (a new inode), never the old one rewritten in place
  t.truthy(process.run("stat", { "-c", "%i", path }).stdout ~= inode, "the file was replaced, not rewritten")
  t.falsy(b:modified())
  t.eq(smelt.fs.read(path), "changed line\n>> second line\n")
  t.eq(b:line_count(), 3)            -- the last line is the empty one after "\n"
  t.eq(b:char_count(), #"changed line\n>> second line\n")
  t.eq(smelt.buf.current(), b)
  t.truthy(#smelt.buf.list() >= 1)
  b:set_text(b:text())
  t.truthy(b:modified(), "set_text is an edit: the buffer is modified")
end)

t.test("a file opened or saved is a recent document (GTK's recently-used.xbel)", function()
  local xbel = os.getenv("XDG_DATA_HOME") .. "/recently-used.xbel"
  local opened, saved = dir .. "/recent-opened.txt", dir .. "/recent-saved.txt"
  assert(smelt.fs.write(opened, "x\n"))
  local a = smelt.buf.open(opened)
  local b = smelt.buf.open(saved)   -- not on disk yet: recent once written
  b:set_text("y\n")
  b:save()
  local function listed(p) return (smelt.fs.read(xbel) or ""):find('href="file://' .. p .. '"', 1, true) end
  wait_for(function() return listed(opened) and listed(saved) end, "both in " .. xbel, 15)
  a:close(); b:close()
end)

t.test("bad arguments to the buffer API: errors name the method and the argument", function()
  local b = smelt.buf.open(dir .. "/args.txt")
  b:set_text("one\ntwo\n")
  t.raises("bad argument #1 to 'buffer:lines' (line 0 out of range (the buffer has 3 lines))", b.lines, b, 0)
  t.raises("bad argument #1 to 'buffer:lines' (integer expected, got string)", b.lines, b, "x")
  t.raises("bad argument #2 to 'buffer:insert' (column 99 out of range (the line has 3 bytes))", b.insert, b, 1, 99, "x")
  t.raises("bad argument #3 to 'buffer:insert' (string expected, got no value)", b.insert, b, 1, 1)
  t.raises("bad argument #3 to 'buffer:set_lines' (table expected, got string)", b.set_lines, b, 1, 1, "x")
  t.raises("bad argument #1 to 'buffer:set_text' (text must be UTF-8)", b.set_text, b, "\255")
  t.raises("calling 'buffer:text' on bad self (buffer expected, got table)", b.text, {})
  t.raises("bad argument #1 to 'smelt.buf.open' (path expected, got number)", smelt.buf.open, 42)
  t.raises("bad argument #1 to 'smelt.ui.select' (table expected, got string)", smelt.ui.select, "x")
  t.eq(b:text(), "one\ntwo\n", "nothing changed by the failed calls")
  b:close({ force = true })
end)

t.test("every Buffer method is annotated in lua/meta", function()
  local f = assert(io.open(smelt.runtimepath()[#smelt.runtimepath()] .. "/meta/smelt.lua"))
  local meta = f:read("a")
  f:close()
  local missing = {}
  for name, fn in pairs(getmetatable(smelt.buf.current()).__methods) do
    if type(fn) == "function" and not meta:find("\nfunction Buffer:" .. name .. "%(") then
      missing[#missing + 1] = name
    end
  end
  table.sort(missing)
  t.eq(table.concat(missing, ", "), "", "Buffer methods with no annotation")
end)

t.test("highlighting follows the file type", function()
  assert(smelt.fs.write(dir .. "/hl.lua", "local x = 1\n"))
  assert(smelt.fs.write(dir .. "/hl.c", "int x;\n"))
  t.eq(smelt.buf.open(dir .. "/hl.lua"):filetype(), "lua")
  t.eq(smelt.buf.open(dir .. "/hl.c"):filetype(), "c")
  t.eq(smelt.buf.open(dir .. "/plain-no-extension"):filetype(), nil)
end)

t.test("typed text, then Ctrl+Z undoes it and Ctrl+Shift+Z redoes it", function()
  local b = smelt.buf.open(dir .. "/undo.txt")
  local function wait_text(want, key)
    for i = 1, 40 do
      if b:text() == want then return true end
      if key and i % 10 == 0 then type_into("smelt", nil, key) end   -- a step per merged action
      smelt.sleep(50)
    end
    return b:text() == want
  end
  local win = gui.find_window("smelt")
  gui.focus(win)
  xdotool("mousemove", "--window", win, "300", "200")
  xdotool("click", "1")     -- into the text: the editor takes the focus
  type_into("smelt", "hello world", nil)
  t.truthy(wait_text("hello world"), "typed: " .. b:text())
  type_into("smelt", nil, "ctrl+z")
  t.truthy(wait_text("", "ctrl+z"), "undone: " .. b:text())
  type_into("smelt", nil, "ctrl+shift+z")
  t.truthy(wait_text("hello world", "ctrl+shift+z"), "redone: " .. b:text())
end)

t.test("Ctrl+N opens an untitled buffer, Ctrl+W closes it (unmodified: no question)", function()
  local before = #smelt.buf.list()
  type_into("smelt", nil, "ctrl+n")
  wait_for(function() return #smelt.buf.list() == before + 1 end, "a new buffer")
  local b = smelt.buf.current()
  t.eq(b:path(), nil)
  t.eq(b:valid(), true)
  type_into("smelt", nil, "ctrl+w")
  wait_for(function() return #smelt.buf.list() == before end, "the buffer to close")
  t.raises("the buffer was closed", b.text, b)
  t.eq(b:valid(), false)
end)

t.test("a new buffer takes the keyboard: Ctrl+N, then typed text goes into it", function()
  local before = #smelt.buf.list()
  type_into("smelt", nil, "ctrl+n")
  wait_for(function() return #smelt.buf.list() == before + 1 end, "a new buffer")
  local b = smelt.buf.current()
  type_into("smelt", "fresh", nil)
  wait_for(function() return b:text() == "fresh" end, "the text typed into the new buffer")
  b:close({ force = true })
  wait_for(function() return #smelt.buf.list() == before end, "the buffer to close")
end)

t.test("Ctrl+W on a modified buffer asks: Escape keeps it, Return discards it", function()
  local before = #smelt.buf.list()
  type_into("smelt", nil, "ctrl+n")
  wait_for(function() return #smelt.buf.list() == before + 1 end, "a new buffer")
  local b = smelt.buf.current()
  b:set_text("precious\n")
  type_into("smelt", nil, "ctrl+w")
  type_into("Confirm", nil, "Escape")
  smelt.sleep(300)
  t.eq(#smelt.buf.list(), before + 1, "kept")
  t.eq(b:text(), "precious\n")
  type_into("smelt", nil, "ctrl+w")
  type_into("Confirm", nil, "Return")
  wait_for(function() return #smelt.buf.list() == before end, "the buffer to close")
end)

t.test(":bd! closes a modified buffer without asking; buf:close() refuses one; buf-close fires", function()
  local closed = {}
  local h = smelt.on("buf-close", function(ev) closed[#closed + 1] = ev.path end)
  local p = dir .. "/closing.txt"
  local b = smelt.buf.open(p)
  b:set_text("changed\n")
  t.raises("unsaved changes", b.close, b)
  t.raises("bad argument #1 to 'buffer:close'", b.close, b, 42)
  gui.command_line("bd!")
  wait_for(function() return not pcall(b.text, b) end, ":bd! to close the buffer")
  smelt.sleep(100)
  h:remove()
  t.same(closed, { p })
end)

t.test("Ctrl+F finds: typing selects the first match, Return the next (wrapping), Escape closes", function()
  local p = dir .. "/find.txt"
  assert(smelt.fs.write(p, "alpha needle\nbeta\nneedle gamma\n"))
  local b = smelt.buf.open(p)
  b:set_cursor(1, 1)
  type_into("smelt", nil, "ctrl+f")
  type_into("smelt", "needle", nil)
  -- the match is selected, the cursor at its start
  wait_for(function() return select(2, b:cursor()) == 7 end, "the first match selected")
  t.same({ b:cursor() }, { 1, 7 })
  type_into("smelt", nil, "Return")
  wait_for(function() return b:cursor() == 3 end, "the second match")
  t.same({ b:cursor() }, { 3, 1 })
  type_into("smelt", nil, "Return")
  wait_for(function() return b:cursor() == 1 end, "wrapping around to the first")
  t.same({ b:cursor() }, { 1, 7 })
  type_into("smelt", nil, "Escape")
  smelt.sleep(200)
  type_into("smelt", "x", nil)   -- the editor has the keyboard again: typing replaces the match
  wait_for(function() return b:lines(1, 1)[1] == "alpha x" end, "typing into the text")
  t.eq(b:text(), "alpha x\nbeta\nneedle gamma\n")
end)

t.test("Ctrl+H replaces: Return replaces the match and goes on, Replace All the rest in one undo step", function()
  local p = dir .. "/replace.txt"
  assert(smelt.fs.write(p, "foo one foo two foo three foo\n"))
  local b = smelt.buf.open(p)
  b:set_cursor(1, 1)
  type_into("smelt", nil, "ctrl+h")
  type_into("smelt", "foo", nil)
  wait_for(function() return smelt_test.focus_widget() == "GtkText" and select(2, b:cursor()) == 1 end,
    "the first match selected")
  type_into("smelt", nil, "Tab")                 -- the find entry, then the replace entry
  type_into("smelt", "bar", "Return")
  wait_for(function() return b:text() == "bar one foo two foo three foo\n" end,
    "the first match replaced (it is " .. ("%q"):format(b:text()) .. ")")
  wait_for(function() return select(2, b:cursor()) == 9 end, "the next match selected")
  type_into("smelt", nil, "Return")
  wait_for(function() return b:text() == "bar one bar two foo three foo\n" end, "the second replaced (it is " .. ("%q"):format(b:text()) .. ")")
  type_into("smelt", nil, "alt+a")               -- Replace _All
  wait_for(function() return b:text() == "bar one bar two bar three bar\n" end, "the rest replaced")
  type_into("smelt", nil, "Escape")
  smelt.sleep(200)
  type_into("smelt", nil, "ctrl+z")              -- Replace All is one edit
  wait_for(function() return b:text() == "bar one bar two foo three foo\n" end,
    "Replace All undone in one step (it is " .. ("%q"):format(b:text()) .. ")")
  b:close({ force = true })
end)

t.test("Ctrl+F after Ctrl+H finds only: no replace entry", function()
  local b = smelt.buf.open(dir .. "/replace.txt")
  b:set_text("foo\n")
  type_into("smelt", nil, "ctrl+f")
  type_into("smelt", "foo", nil)
  wait_for(function() return smelt_test.focus_widget() == "GtkText" end, "the find entry")
  type_into("smelt", nil, "Tab")
  smelt.sleep(200)
  t.truthy(smelt_test.focus_widget() ~= "GtkText", "Tab leaves the entries: " .. tostring(smelt_test.focus_widget()))
  type_into("smelt", "x", nil)
  smelt.sleep(200)
  t.eq(b:text(), "foo\n", "nothing replaced, nothing typed into the text")
  type_into("smelt", nil, "Escape")
  b:close({ force = true })
end)

t.test("the search bar over a source file", function()
  local b = smelt.buf.open(smelt.runtimepath()[#smelt.runtimepath()] .. "/plugin/word_count.lua")
  type_into("smelt", nil, "ctrl+f")
  type_into("smelt", "count", "Return")
  wait_for(function() return b:cursor() > 1 or select(2, b:cursor()) > 1 end, "a match selected")
  type_into("smelt", nil, "Escape")
end)

t.test("the style scheme follows GSettings live, in open buffers too", function()
  local b = smelt.buf.open(dir .. "/scheme.txt")
  t.eq(smelt_test.style_scheme(), "classic", "the default scheme")
  smelt_test.set_setting("style-scheme", "oblivion")
  t.eq(smelt_test.style_scheme(), "oblivion")
  smelt_test.set_setting("style-scheme", "no-such-scheme")
  t.eq(smelt_test.style_scheme(), "oblivion", "an unknown id keeps the scheme")
  smelt_test.set_setting("style-scheme", "classic")
  t.eq(smelt_test.style_scheme(), "classic")
  b:close()
end)

t.test("Ctrl+plus and Ctrl+minus zoom the text, Ctrl+0 resets it", function()
  local b = smelt.buf.open(dir .. "/zoom.txt")
  b:set_text("zoom\n")
  local function height() return smelt_test.line_height() or 0 end
  wait_for(function() return height() > 0 end, "the line laid out")
  local normal = height()
  for _ = 1, 3 do type_into("smelt", nil, "ctrl+plus") end
  wait_for(function() return height() > normal end, "a taller line (" .. normal .. " px before)")
  type_into("smelt", nil, "ctrl+0")
  wait_for(function() return height() == normal end, "the line back to " .. normal .. " px")
  for _ = 1, 3 do type_into("smelt", nil, "ctrl+minus") end
  wait_for(function() return height() < normal end, "a shorter line")
  type_into("smelt", nil, "ctrl+0")
  wait_for(function() return height() == normal end, "the line back to " .. normal .. " px")
  b:close({ force = true })
end)

t.test("insert-spaces makes Tab type spaces (tab-width of them); wrap-text wraps, live", function()
  local b = smelt.buf.open(dir .. "/indent.txt")
  local win = gui.find_window("smelt")
  gui.focus(win)
  xdotool("mousemove", "--window", win, "300", "200")
  xdotool("click", "1")     -- into the text
  type_into("smelt", nil, "Tab")
  wait_for(function() return b:text() == "\t" end, "a tab character by default (it is " .. ("%q"):format(b:text()) .. ")")
  smelt_test.set_setting("insert-spaces", true)
  smelt_test.set_setting("tab-width", 2)
  type_into("smelt", nil, "Tab")
  wait_for(function() return b:text() == "\t  " end, "two spaces (it is " .. ("%q"):format(b:text()) .. ")")
  smelt_test.set_setting("insert-spaces", false)
  smelt_test.set_setting("tab-width", 4)
  t.eq(smelt_test.wraps(), false, "no wrapping by default")
  smelt_test.set_setting("wrap-text", true)
  t.eq(smelt_test.wraps(), true)
  smelt_test.set_setting("wrap-text", false)
  t.eq(smelt_test.wraps(), false)
  b:close({ force = true })
end)

t.test("ui.input answered by typing real keys", function()
  local h = smelt.spawn(function() return smelt.ui.input({ prompt = "Rename to", default = "" }) end)
  type_into("Rename to", "renamed.txt", "Return")
  t.eq(h:wait(), "renamed.txt")
end)

t.test("ui.input dismissed with Escape gives nil", function()
  local h = smelt.spawn(function() return smelt.ui.input({ prompt = "Dismiss me" }) end)
  type_into("Dismiss me", nil, "Escape")
  t.eq(h:wait(), nil)
end)

t.test("a task cancelled while its dialog is open: the dialog closes", function()
  local v, err = smelt.task.timeout(300, function() return smelt.ui.confirm("Wait for me?") end)
  t.eq(err, "timeout")
  smelt.sleep(200)
  local r = process.run("xdotool", { "search", "--onlyvisible", "--name", "^Confirm$" })
  t.eq(r.stdout, "", "no Confirm window is left")
end)

t.test("a dialog closed as by the window manager gives the task nil (false for confirm)", function()
  local h = smelt.spawn(function() return smelt.ui.input({ prompt = "Close me" }) end)
  wait_for(function() return smelt_test.close_window("Close me") end, "the input dialog")
  t.eq(h:wait(), nil)
  local c = smelt.spawn(function() return smelt.ui.confirm("Close me too?") end)
  wait_for(function() return smelt_test.close_window("Confirm") end, "the confirm dialog")
  t.eq(c:wait(), false)
  local sel = smelt.spawn(function() return smelt.ui.select({ "a", "b" }, { prompt = "Close the list" }) end)
  wait_for(function() return smelt_test.close_window("Close the list") end, "the select dialog")
  t.eq(sel:wait(), nil)
end)

t.test("a long task shows in the statusline as a spinner with its name, gone when it ends", function()
  -- (the harness's own long-lived task may show before and after)
  local long = smelt.spawn(function() smelt.task.name("reindexing"); smelt.sleep(60000) end)
  wait_for(function() return smelt_test.busy() == "reindexing" end, "the spinner with the task's name")
  long:cancel()
  pcall(long.wait, long)
  wait_for(function() return smelt_test.busy() ~= "reindexing" end, "its name to go from the statusline")
end)

t.test("a background task stays out of the spinner, and is listed as one", function()
  local bg = smelt.spawn(function()
    smelt.task.name("serving")
    smelt.task.background()
    smelt.sleep(60000)
  end)
  local fg = smelt.spawn(function() smelt.task.name("foreground"); smelt.sleep(60000) end)
  wait_for(function() return smelt_test.busy() == "foreground" end, "the spinner for an ordinary task")
  fg:cancel()
  pcall(fg.wait, fg)
  smelt.sleep(1000)   -- four refreshes of the spinner, the background task well past 500 ms
  t.truthy(smelt_test.busy() ~= "serving", "the spinner names " .. tostring(smelt_test.busy()))
  local listed
  for _, x in ipairs(smelt.task.list()) do
    if x.id == bg.id then listed = x end
  end
  t.eq(listed and listed.background, true)
  bg:cancel()
  pcall(bg.wait, bg)
end)

t.test("the spinner names a task that waits under smelt.task.timeout, not the timeout's branches", function()
  local long = smelt.spawn(function()
    smelt.task.name("formatting")
    smelt.task.timeout(60000, function() smelt.sleep(60000) end)
  end)
  wait_for(function() return smelt_test.busy() == "formatting" end,
    "the spinner with the waiting task's name (it shows " .. tostring(smelt_test.busy()) .. ")")
  smelt.sleep(600)   -- its branches are as old by now, and newer
  t.eq(smelt_test.busy(), "formatting")
  long:cancel()
  pcall(long.wait, long)
end)

t.test("while a plugin's dialog is open the window stays usable: typing goes into the text", function()
  local b = smelt.buf.open(dir .. "/usable.txt")
  local h = smelt.spawn(function() return smelt.ui.input({ prompt = "Waiting" }) end)
  t.truthy(gui.find_window("Waiting"), "the dialog")
  local win = gui.find_window("smelt")
  gui.focus(win)
  xdotool("mousemove", "--window", win, "300", "200")
  xdotool("click", "1")     -- into the text
  type_into("smelt", "still here", nil)
  local typed = pcall(wait_for, function() return b:text() == "still here" end, "")
  local text = b:text()
  h:cancel()   -- the dialog goes, whatever happened
  pcall(h.wait, h)
  b:close({ force = true })
  t.truthy(typed, ("the text typed with the dialog open (the buffer has %q)"):format(text))
end)

t.test("Ctrl+Q twice while its question is open asks once", function()
  local b = smelt.buf.open(dir .. "/twice.txt")
  b:set_text("unsaved\n")
  local function questions()
    local n = 0
    for _, w in ipairs(smelt_test.toplevels()) do
      if w:find("^Confirm %(visible") then n = n + 1 end
    end
    return n
  end
  type_into("smelt", nil, "ctrl+q")
  wait_for(function() return questions() == 1 end, "the quit question")
  type_into("smelt", nil, "ctrl+q")   -- the window is usable: it gets this one too
  smelt.sleep(500)
  t.eq(questions(), 1, "still one question: " .. table.concat(smelt_test.toplevels(), ", "))
  type_into("Confirm", nil, "Escape")   -- Keep editing
  wait_for(function() return questions() == 0 end, "the question to go")
  t.truthy(b:valid(), "nothing quit or closed")
  b:close({ force = true })
end)

t.test("ui.select picks with the keyboard", function()
  local h = smelt.spawn(function()
    return table.pack(smelt.ui.select({ "alpha", "beta", "gamma" }, { prompt = "Pick one" }))
  end)
  type_into("Pick one", nil, "Down")
  type_into("Pick one", nil, "Return")
  local r = h:wait()
  t.eq(r[1], "beta"); t.eq(r[2], 2)
end)

t.test("a plugin command runs from the command line", function()
  smelt.cmd.create("Shout", function(ctx) SHOUTED = ctx.args:upper() end, { nargs = "+" })
  gui.command_line("Shout hello")
  for _ = 1, 50 do
    if SHOUTED then break end
    smelt.sleep(50)
  end
  t.eq(SHOUTED, "HELLO")
end)

t.test(": is a colon in the text it types into, and opens the command line elsewhere", function()
  local b = smelt.buf.open(dir .. "/colon.txt")
  local win = gui.find_window("smelt")
  gui.focus(win)
  xdotool("mousemove", "--window", win, "300", "250")
  xdotool("click", "1")      -- the text has the keyboard
  type_into("smelt", ":", nil)
  wait_for(function() return b:text() == ":" end, "a colon typed into the text")
  type_into("smelt", nil, "ctrl+Tab")   -- the keyboard leaves the text
  SHOUTED = nil
  type_into("smelt", ":", nil)
  type_into("smelt", "Shout colon", "Return")
  wait_for(function() return SHOUTED == "COLON" end, "the command run from the command line : opened")
  t.eq(b:text(), ":", "the second colon opened the command line, it was not typed")
end)

t.test("Tab completes a command name, then its argument, from real keys", function()
  smelt.cmd.create("Zebrafish", function(ctx) ZEBRA = ctx.args end,
    { nargs = 1, complete = { "anemone", "angelfish", "barracuda" } })
  type_into("smelt", nil, "ctrl+semicolon")
  wait_for(function() return smelt_test.command_line() == ":" end, "Ctrl+; to open the command line")
  -- "Zebraf" is unique: the name and a space; "an" has two candidates: their
  -- common prefix "an", then "g" makes "angelfish" unique
  type_into("smelt", "Zebraf", "Tab")
  type_into("smelt", "an", "Tab")
  type_into("smelt", "g", "Tab")
  type_into("smelt", nil, "Return")
  for _ = 1, 50 do
    if ZEBRA then break end
    smelt.sleep(50)
  end
  t.eq(ZEBRA, "angelfish")
  smelt.cmd.del("Zebrafish")
end)

t.test("a file that cannot be read opens no buffer: a directory, a binary file", function()
  local before = #smelt.buf.list()
  local ok, err = pcall(smelt.buf.open, dir)
  t.falsy(ok)
  t.eq(err, "smelt.buf.open: could not open " .. dir .. ": it is a directory")
  local bin = dir .. "/binary.bin"
  local bytes = {}
  for i = 0, 255 do bytes[#bytes + 1] = string.char(i, 255 - i, 0xC0) end
  assert(smelt.fs.write(bin, table.concat(bytes)))
  ok, err = pcall(smelt.buf.open, bin)
  t.falsy(ok)
  t.contains(err, "smelt.buf.open: could not open " .. bin .. ": it is not text in a known encoding (UTF-8")
  t.contains(err, "; to read it in another one: :e ++enc=latin1 " .. bin)
  t.eq(#smelt.buf.list(), before, "no buffer left behind")
  t.eq(buffer_of(bin), nil)
  gui.command_line("e " .. dir)
  wait_for(function() return smelt_test.message():find("could not open", 1, true) end, "the error in the message area")
  t.eq(smelt_test.message(), "[error] could not open " .. dir .. ": it is a directory")
  local last = smelt.messages()[#smelt.messages()]
  t.eq(last.level, "error")
  t.eq(last.message, "could not open " .. dir .. ": it is a directory", "kept for :Messages")
  gui.command_line("Nonexistent")
  wait_for(function() return smelt_test.message():find("Nonexistent", 1, true) end, "the unknown command's error")
  t.contains(smelt.messages()[#smelt.messages()].message, "Nonexistent", "kept for :Messages too")
  t.eq(#smelt.buf.list(), before, ":e left no buffer behind")
  t.eq(#smelt.fs.read(bin), 3 * 256, "the file is untouched")
end)

t.test("a file already open is shown, not opened twice: smelt.buf.open, :e; set_current shows a buffer", function()
  local p, q = dir .. "/once.txt", dir .. "/twice.txt"
  assert(smelt.fs.write(p, "on disk\n"))
  local b = smelt.buf.open(p)
  b:set_text("edited, not saved\n")
  local other = smelt.buf.open(q)
  t.eq(smelt.buf.current(), other)
  local n = #smelt.buf.list()
  local again = smelt.buf.open(p)
  t.eq(again, b, "the same buffer")
  t.eq(smelt.buf.current(), b, "shown")
  t.eq(b:text(), "edited, not saved\n", "its changes kept, not read again")
  t.eq(#smelt.buf.list(), n, "no second tab")
  smelt.buf.set_current(other)
  t.eq(smelt.buf.current(), other, "set_current shows it")
  gui.command_line("e " .. p)
  wait_for(function() return smelt.buf.current() == b end, ":e PATH to show the open buffer")
  t.eq(#smelt.buf.list(), n, "still no second tab")
  t.eq(smelt_test.focus_widget(), "GtkSourceView", "the keyboard in its text")
  t.raises("bad argument #1 to 'smelt.buf.set_current' (buffer expected, got string)", smelt.buf.set_current, p)
  b:close({ force = true }); other:close()
  t.raises("smelt.buf.set_current: the buffer was closed", smelt.buf.set_current, b)
end)

t.test("Tab offers the editor's own commands, and paths for :e and :w", function()
  t.same(smelt_test.complete("w"), { "w", "wa", "wq" })
  t.same(smelt_test.complete("b"), { "bd" })
  local names = smelt_test.complete("")
  t.truthy(#names >= 7, "every command")
  t.contains(table.concat(names, " "), "Tasks")
  local tree = dir .. "/tree"
  os.execute("mkdir -p " .. tree .. "/sub")
  for _, f in ipairs({ "alpha.txt", "alps.txt", "beta.txt", ".hidden" }) do
    assert(smelt.fs.write(tree .. "/" .. f, ""))
  end
  t.same(smelt_test.complete("e " .. tree .. "/al"), { tree .. "/alpha.txt", tree .. "/alps.txt" })
  t.same(smelt_test.complete("e " .. tree .. "/"),
    { tree .. "/alpha.txt", tree .. "/alps.txt", tree .. "/beta.txt", tree .. "/sub/" },
    "a directory's entries, sub-directories with a /, no dot files")
  t.same(smelt_test.complete("w " .. tree .. "/.h"), { tree .. "/.hidden" }, "dot files for a word that starts with .")
  t.same(smelt_test.complete("e " .. tree .. "/nothing"), {})
  t.same(smelt_test.complete("e /no/such/dir/x"), {})
  local home = os.getenv("HOME")
  if home then
    local here = smelt_test.complete("e ~/")
    for _, c in ipairs(here) do t.eq(c:sub(1, 2), "~/", "a ~/ word keeps its ~/") end
  end
end)

t.test(":e PATH completed with Tab from real keys opens the file", function()
  local tree = dir .. "/keys"
  os.execute("mkdir -p " .. tree)
  assert(smelt.fs.write(tree .. "/unique-name.txt", "completed\n"))
  assert(smelt.fs.write(tree .. "/unique-other.txt", ""))
  type_into("smelt", nil, "ctrl+semicolon")
  wait_for(function() return smelt_test.command_line() == ":" end, "Ctrl+; to open the command line")
  type_into("smelt", "e " .. tree .. "/uni", "Tab")
  wait_for(function() return smelt_test.command_line() == ":e " .. tree .. "/unique-" end,
    "the common prefix filled in")
  t.eq(smelt_test.message(), "[info] unique-name.txt  unique-other.txt", "the candidates listed by name")
  type_into("smelt", "n", "Tab")
  wait_for(function() return smelt_test.command_line() == ":e " .. tree .. "/unique-name.txt " end,
    "the path completed (it says " .. tostring(smelt_test.command_line()) .. ")")
  type_into("smelt", nil, "Return")
  wait_for(function() return buffer_of(tree .. "/unique-name.txt") end, "the completed file to open")
  local b = buffer_of(tree .. "/unique-name.txt")
  wait_for(function() return b:text() == "completed\n" end, "its text")
  b:close({ force = true })
end)

t.test("the command line's history: Up brings back the last line, Down goes past it", function()
  HISTORY = 0
  smelt.cmd.create("Recall", function() HISTORY = HISTORY + 1 end)
  gui.command_line("Recall")
  wait_for(function() return HISTORY == 1 end, "the command to run")
  type_into("smelt", nil, "ctrl+semicolon")
  wait_for(function() return smelt_test.command_line() == ":" end, "Ctrl+; to open the command line")
  type_into("smelt", nil, "Up")
  wait_for(function() return smelt_test.command_line() == ":Recall" end, "Up to bring the line back")
  type_into("smelt", nil, "Down")
  wait_for(function() return smelt_test.command_line() == ":" end, "Down to go past the newest line")
  type_into("smelt", nil, "Up")
  wait_for(function() return smelt_test.command_line() == ":Recall" end, "Up again")
  type_into("smelt", nil, "Return")
  wait_for(function() return HISTORY == 2 end, "the recalled line to run")
  smelt.cmd.del("Recall")
end)

t.test(":e reads the file again (refusing over unsaved changes), :e! discards them, :wa saves all", function()
  local p, q = dir .. "/again.txt", dir .. "/other.txt"
  assert(smelt.fs.write(p, "one\n"))
  assert(smelt.fs.write(q, "two\n"))
  local other = smelt.buf.open(q)
  local b = smelt.buf.open(p)
  local reloads = 0
  local h = smelt.on("buf-reload", function(ev) if ev.buf == b then reloads = reloads + 1 end end)
  -- changed by another program: the question comes; "Keep my version" now, :e later
  smelt.sleep(1100)   -- a different mtime second
  assert(smelt.fs.write(p, "one, changed\n"))
  t.truthy(reload_question(b), "the changed-on-disk question")
  click_reload_bar(b, false)
  smelt.sleep(300)
  t.eq(b:text(), "one\n", "kept, for now")
  gui.command_line("e")
  wait_for(function() return b:text() == "one, changed\n" and not b:modified() end, ":e to read it again")
  b:set_text("mine\n")
  smelt.notify("editing", "info")
  gui.command_line("e")
  wait_for(function() return smelt_test.message():find("unsaved changes", 1, true) end, ":e to refuse")
  t.eq(b:text(), "mine\n", "kept")
  gui.command_line("e!")
  wait_for(function() return b:text() == "one, changed\n" and not b:modified() end, ":e! to discard the changes")
  wait_for(function() return reloads == 2 end, "buf-reload twice (it came " .. reloads .. " times)")
  smelt.sleep(1000)
  local r = process.run("xdotool", { "search", "--onlyvisible", "--name", "^Confirm$" })
  t.eq(r and r.stdout, "", "no question after reading the file again")
  b:set_text("all 1\n"); other:set_text("all 2\n")
  gui.command_line("wa")
  wait_for(function() return smelt.fs.read(p) == "all 1\n" and smelt.fs.read(q) == "all 2\n" end, ":wa to save both")
  wait_for(function() return not b:modified() and not other:modified() end, "both saved")
  h:remove()
  b:close(); other:close()
end, { timeout = 40000 })

t.test("one view per open buffer: the views a load shows meanwhile are freed, and a closed buffer's", function()
  local function views() return smelt_test.view_count() end
  local function one_each(what)
    -- a widget may go at the next idle, not at once
    local ok = pcall(wait_for, function() return views() == #smelt.buf.list() end, "", 5)
    t.truthy(ok, ("%s: %d views for %d buffers"):format(what, views(), #smelt.buf.list()))
  end
  one_each("before")
  local p = dir .. "/views.txt"
  assert(smelt.fs.write(p, "some text\n"))
  local b = smelt.buf.open(p)
  one_each("a file opened")
  b:reload()
  one_each("read again")
  b:close()
  one_each("closed")
end)

t.test(":N goes to line N, and past the end to the end", function()
  local p = dir .. "/lines.txt"
  local lines = {}
  for i = 1, 300 do lines[i] = "line " .. i end
  assert(smelt.fs.write(p, table.concat(lines, "\n") .. "\n"))
  local b = smelt.buf.open(p)
  gui.command_line("250")
  wait_for(function() return (b:cursor()) == 250 end, "the cursor on line 250")
  t.same({ b:cursor() }, { 250, 1 })
  gui.command_line("9999")
  wait_for(function() return (b:cursor()) == 301 end, "the cursor at the end")
  b:close({ force = true })
end)

t.test("a 50 MB file loads while a 16 ms timer keeps firing", function()
  local big = dir .. "/big.txt"
  t.eq(process.run("sh", { "-c", "yes 'the quick brown fox jumps over the lazy dog, again' | head -c 52428800 > " .. big }).code, 0)
  local ticks, worst, last = 0, 0, smelt.now()
  local timer = smelt.timer.every(16, function()
    local now = smelt.now()
    worst = math.max(worst, now - last)
    last = now
    ticks = ticks + 1
  end)
  local started = smelt.now()
  local b = smelt.buf.open(big)
  local loaded = smelt.now() - started
  -- the view lays the text out after the load: it must not freeze either,
  -- and the statusline keeps up with the cursor meanwhile
  local rendered, word_count = {}, smelt.statusline.get()
  smelt.statusline.set(function(buf) local line = buf:cursor(); rendered[line] = true; return "line " .. line end)
  for line = 2, 11 do
    b:set_cursor(line, 1)
    smelt.sleep(300)
  end
  smelt.statusline.set(word_count)
  timer:remove()
  local seen = 0
  for line = 2, 11 do if rendered[line] then seen = seen + 1 end end
  t.truthy(seen >= 5, ("the statusline showed %d of 10 cursor lines while the text was laid out"):format(seen))
  local elapsed = smelt.now() - started
  t.eq(b:path(), big)
  -- liveness, not speed: the timer kept firing through the load, with no
  -- freeze (a gap of seconds) at any point
  t.truthy(ticks >= elapsed / 16 / 4, ("%d ticks in %.0f ms"):format(ticks, elapsed))
  t.truthy(worst < 5000, ("the longest gap between ticks was %.0f ms"):format(worst))
  print(("# 50 MB: loaded in %.0f ms; over %.0f ms with the layout after it, %d ticks, longest gap %.0f ms")
    :format(loaded, elapsed, ticks, worst))
end, { timeout = 120000 })

t.test("closing a buffer while it loads stops the load: buf.open raises, no buf-open", function()
  local big = dir .. "/big.txt"   -- made by the 50 MB test
  local opened = 0
  local on_open = smelt.on("buf-open", function(ev) if ev.buf:path() == big then opened = opened + 1 end end)
  local before = gui.buffer_of(big)   -- the 50 MB test's: gone, or this open would show it
  if before then before:close({ force = true }) end
  local h = smelt.spawn(function() return smelt.buf.open(big) end)
  wait_for(function()
    local cur = smelt.buf.current()
    return cur and cur ~= before and cur:path() == big
  end, "the loading buffer's tab")
  local loading = smelt.buf.current()
  loading:close({ force = true })
  local ok, err = pcall(h.wait, h)
  smelt.sleep(300)
  on_open:remove()
  t.falsy(ok, "buf.open returned although its tab was closed")
  t.contains(tostring(err), "smelt.buf.open: the buffer was closed while loading")
  t.eq(opened, 0, "no buf-open for a closed buffer")
  t.raises("the buffer was closed", loading.text, loading)
end)

t.test("the window keeps painting while a plugin awaits a slow process", function()
  local ticks = 0
  local timer = smelt.timer.every(16, function() ticks = ticks + 1 end)
  smelt_test.frames_start()   -- GTK's frame clock on the editor window
  local r = process.run("sleep", { "1" })
  local frames, longest = smelt_test.frames_stop()
  timer:remove()
  t.eq(r.code, 0)
  -- liveness, not speed: a loop blocked on the process would give ~0 of each
  t.truthy(ticks >= 15, "a 16 ms timer fired " .. ticks .. " times in 1 s")
  t.truthy(frames >= 15, "GTK's frame clock began " .. frames .. " frames in 1 s")
  t.truthy(longest < 500, ("the longest gap between two frames was %.0f ms"):format(longest))
  print(("# 1 s awaiting a process: %d timer ticks, %d frames, longest gap between frames %.0f ms")
    :format(ticks, frames, longest))
end)

t.test("ui-ready was emitted once the window was up", function()
  t.eq(UI_READY, true)
end)

t.test("a key map in Neovim notation runs its handler as a task", function()
  local hits = 0
  local map = smelt.keymap.set("<C-k>", function() smelt.sleep(1); hits = hits + 1 end)
  local seq = smelt.keymap.set("<leader>x", function() hits = hits + 10 end)
  type_into("smelt", nil, "ctrl+k")
  type_into("smelt", nil, "backslash")
  type_into("smelt", nil, "x")
  for _ = 1, 50 do
    if hits == 11 then break end
    smelt.sleep(50)
  end
  t.eq(hits, 11)
  map:remove(); seq:remove()
  type_into("smelt", nil, "ctrl+k")
  smelt.sleep(200)
  t.eq(hits, 11, "a removed map no longer runs")
end)

t.test("a key map comes before the window's own keys: <C-s> mapped does not save", function()
  local p = dir .. "/mapped.txt"
  assert(smelt.fs.write(p, "on disk\n"))
  local b = smelt.buf.open(p)
  b:set_text("edited\n")
  local hit = false
  local map = smelt.keymap.set("<C-s>", function() hit = true end)
  type_into("smelt", nil, "ctrl+s")
  wait_for(function() return hit end, "the <C-s> map to run")
  smelt.sleep(300)
  map:remove()
  t.truthy(b:modified(), "not saved")
  t.eq(smelt.fs.read(p), "on disk\n")
  type_into("smelt", nil, "ctrl+s")   -- unmapped: Ctrl+S saves again
  wait_for(function() return smelt.fs.read(p) == "edited\n" end, "Ctrl+S to save")
end)

t.test("buf-write-pre edits the buffer before it is written; buf-write-post follows", function()
  local b = buffer_of(path)
  local post = false
  local pre = smelt.on("buf-write-pre", function(ev) ev.buf:set_lines(1, 1, { "FORMATTED" }) end)
  local after = smelt.on("buf-write-post", function() post = true end)
  b:set_lines(1, 1, { "messy" })
  b:save()
  pre:remove(); after:remove()
  t.eq(smelt.fs.read(path):match("^[^\n]*"), "FORMATTED")
  smelt.sleep(50)
  t.truthy(post)
end)

t.test("text-changed (debounced) and cursor-moved fire", function()
  local changed, moved = 0, nil
  local a = smelt.on("text-changed", function() changed = changed + 1 end)
  local c = smelt.on("cursor-moved", function(ev) moved = { ev.line, ev.col } end)
  local b = buffer_of(path)
  b:insert(1, 1, "a"); b:insert(1, 1, "b"); b:insert(1, 1, "c")
  b:set_cursor(2, 2)
  wait_for(function() return changed >= 1 and moved ~= nil end, "text-changed and cursor-moved")
  smelt.sleep(400)   -- no second text-changed comes
  a:remove(); c:remove()
  t.eq(changed, 1, "three quick edits, one debounced event")
  t.same(moved, { 2, 2 })
end)

t.test("text-changed names the buffer that changed, shown or not", function()
  local hidden = smelt.buf.open(dir .. "/hidden.txt")
  local shown = smelt.buf.open(dir .. "/shown.txt")   -- the current buffer now
  t.eq(smelt.buf.current():path(), shown:path())
  local seen = {}
  local a = smelt.on("text-changed", function(ev) seen[#seen + 1] = ev.buf:path() end)
  hidden:insert(1, 1, "x")
  wait_for(function() return #seen >= 1 end, "text-changed")
  smelt.sleep(400)   -- no second one comes
  t.same(seen, { hidden:path() }, "one event, for the buffer edited")
  seen = {}
  hidden:insert(1, 1, "y"); shown:insert(1, 1, "z")
  wait_for(function() return #seen >= 2 end, "text-changed for both")
  smelt.sleep(400)
  a:remove()
  table.sort(seen)
  t.same(seen, { hidden:path(), shown:path() }, "one event for each buffer edited")
  hidden:close({ force = true }); shown:close({ force = true })
end)

t.test("text-changed comes while edits go on without a pause (a log every 100 ms), not only after", function()
  local log = smelt.buf.open(dir .. "/log.txt")
  local seen = 0
  local a = smelt.on("text-changed", function(ev) if ev.buf == log then seen = seen + 1 end end)
  local writing = true
  local writer = smelt.spawn(function()
    while writing do
      log:insert(1, 1, "line\n")
      smelt.sleep(100)
    end
  end)
  local ok = pcall(wait_for, function() return seen >= 1 end, "", 5)
  writing = false
  writer:wait()
  a:remove()
  log:close({ force = true })
  t.truthy(ok, "text-changed while the edits go on")
end)

t.test("smelt.notify and uncaught task errors show in the message area, with file and line", function()
  smelt.notify("hello from a plugin", "warn")
  t.eq(smelt_test.message(), "[warn] hello from a plugin")
  smelt.spawn(function() error("boom in a plugin") end)   -- nobody waits: uncaught
  for _ = 1, 40 do
    if smelt_test.message():find("boom", 1, true) then break end
    smelt.sleep(50)
  end
  local shown = smelt_test.message()
  t.contains(shown, "[error]")
  t.contains(shown, "gui_spec.lua:")
  t.contains(shown, "boom in a plugin")
end)

t.test("a buf-write-pre handler that hangs is cancelled after 5 s and the save goes on", function()
  local p = dir .. "/hang.txt"
  local b = smelt.buf.open(p)
  b:set_text("saved despite a hung handler\n")
  local late_edit = false
  local pre = smelt.on("buf-write-pre", function()
    smelt.sleep(60000)
    late_edit = true
  end)
  -- a question of another plugin's, open all along: it does not hold the bound back
  local other = smelt.spawn(function() return smelt.ui.input({ prompt = "Unrelated" }) end)
  local ok, err = pcall(b.save, b)
  other:cancel()
  pre:remove()
  t.truthy(ok, tostring(err))
  t.eq(smelt.fs.read(p), "saved despite a hung handler\n")
  t.contains(smelt_test.message(), "was cancelled; saving anyway")
  t.falsy(late_edit)
  for _, info in ipairs(smelt.task.list()) do
    t.truthy(info.waiting_on ~= "sleep 60000 ms", "the hung handler is gone, not parked (task " .. info.id .. ")")
  end
end, { timeout = 20000 })

t.test("a buf-write-pre handler waiting on the user past 5 s is not cut off: its answer counts", function()
  local p = dir .. "/asking.txt"
  assert(smelt.fs.write(p, "on disk\n"))
  local b = smelt.buf.open(p)
  b:set_text("unsure\n")
  local pre = smelt.on("buf-write-pre", function(ev)
    if not smelt.ui.confirm("Really save?", { ok = "Save", cancel = "Don't save" }) then ev.cancel = true end
  end)
  smelt.notify("saving asking.txt", "info")   -- what the message area shows unless a handler is cut off
  local h = smelt.spawn(function() return { b:save() } end)
  t.truthy(gui.find_window("Confirm"), "the question")
  smelt.sleep(6500)   -- the user reads it for longer than the bound
  t.eq(h:status(), "parked", "the save still waits for the answer")
  type_into("Confirm", nil, "Escape")   -- "Don't save"
  local r = h:wait()
  pre:remove()
  t.eq(r[1], nil, "the save was cancelled by the answer")
  t.contains(tostring(r[2]), "cancelled by a buf-write-pre handler")
  t.eq(r[3], "cancelled")
  t.eq(smelt.fs.read(p), "on disk\n", "nothing written")
  t.falsy(smelt_test.message():find("took over", 1, true), "no handler was cut off: " .. smelt_test.message())
  b:close({ force = true })
end, { timeout = 40000 })

t.test(":w PATH saves as PATH, through the buf-write-pre handlers (trailing space trimmed)", function()
  local copy = dir .. "/copy.txt"
  local b = smelt.buf.open(dir .. "/orig.txt")
  b:set_text("spaced   \n")
  gui.command_line("w " .. copy)
  local written = pcall(wait_for, function() return smelt.fs.read(copy) == "spaced\n" end, "copy.txt", 20)
  t.truthy(written, ("copy.txt: %q on disk; the buffer is %s with %q; the message area says %q")
    :format(tostring(smelt.fs.read(copy)), tostring(b:path()), b:text(), smelt_test.message()))
  t.eq(b:path(), copy)
  t.falsy(b:modified())
end, { timeout = 40000 })

t.test(":w PATH onto another file that exists refuses (E13); :w! PATH writes over it", function()
  local other = dir .. "/someone-elses.txt"
  assert(smelt.fs.write(other, "not yours\n"))
  local own = dir .. "/mine.txt"
  local b = smelt.buf.open(own)
  b:set_text("mine\n")
  gui.command_line("w " .. other)
  wait_for(function() return smelt_test.message():find("E13", 1, true) end,
    "the refusal in the message area (it says " .. smelt_test.message() .. ")", 20)
  t.contains(smelt_test.message(), "someone-elses.txt")
  t.eq(smelt.fs.read(other), "not yours\n", "the other file is untouched")
  t.eq(b:path(), own, "the buffer keeps its own file")
  t.truthy(b:modified())
  gui.command_line("w! " .. other)
  wait_for(function() return smelt.fs.read(other) == "mine\n" end, "the file written over", 20)
  t.eq(b:path(), other)
  -- its own file again: no question, it is the buffer's
  b:set_text("mine, again\n")
  gui.command_line("w " .. other)
  wait_for(function() return smelt.fs.read(other) == "mine, again\n" end, "its own file written", 20)
  b:close()
end, { timeout = 60000 })

t.test(":w PATH that cannot be written keeps the buffer's own file, text and modified mark", function()
  local own = dir .. "/own.txt"
  local b = smelt.buf.open(own)
  b:set_text("precious\n")
  gui.command_line("w " .. dir .. "/no/such/dir/x.txt")
  wait_for(function() return smelt_test.message():find("buffer:save", 1, true) end,
    "the error in the message area (it says " .. smelt_test.message() .. ")", 20)
  t.contains(smelt_test.message(), "[error]")
  t.eq(b:path(), own, "still its own file")
  t.eq(b:text(), "precious\n")
  t.truthy(b:modified(), "still modified")
  b:save()
  t.eq(smelt.fs.read(own), "precious\n", "and saving goes where it did")
  b:close()
end, { timeout = 40000 })

t.test("text typed while a save runs is saved, or leaves the buffer modified: closing it asks", function()
  local sub = dir .. "/saving"
  assert(smelt.fs.mkdir(sub))
  local p = sub .. "/edited-while-saving.txt"
  assert(process.run("sh", { "-c", "yes 'a line of text to save' | head -c 5000000 > " .. p }).code == 0)
  local b = smelt.buf.open(p)
  b:insert(1, 1, "A")
  local h = smelt.spawn(function() return b:save() end)
  -- the save is under way once the task waits on it (after the buf-write-pre handlers)
  t.truthy(gui.wait_until_parked_on(h, "buffer:save " .. p),
    "the task waits on the save (it waits on " .. tostring(gui.waiting_on(h)) .. ")")
  b:insert(1, 1, "B")   -- typed meanwhile
  t.eq(h:wait(), true)
  t.eq(b:text():sub(1, 3), "BAa")
  -- B is in the file (typed while the text was being copied: the copy
  -- starts again) or not (typed later): the buffer is unsaved exactly when not
  local saved = smelt.fs.read(p):sub(1, 3)
  if saved == "BAa" then
    t.falsy(b:modified(), "B was saved: nothing is unsaved")
  else
    t.eq(saved:sub(1, 2), "Aa", "the file begins with A")
    t.truthy(b:modified(), "edited during the save: the buffer is still modified")
    t.raises("unsaved changes", b.close, b)
  end
  b:close({ force = true })
end, { timeout = 60000 })

t.test("bundled: trailing white space is trimmed on save", function()
  local b = smelt.buf.open(dir .. "/trim.txt")
  b:set_text("keep  \nthis\t\n")
  b:save()
  t.eq(smelt.fs.read(dir .. "/trim.txt"), "keep\nthis\n")
end)

t.test("bundled: trim on save rewrites only edited lines that end in white space, as one undo step", function()
  local p = dir .. "/trim-undo.txt"
  assert(smelt.fs.write(p, "one\ntwo  \nthree\nfour\t\nfive  \n"))
  local b = smelt.buf.open(p)
  b:set_cursor(5, 1)
  -- lines 2 to 4 edited (one range), line 5 not: its spaces are content
  b:insert(3, 1, "3 ")
  b:insert(2, 1, "2 ")
  b:insert(4, 1, "4 ")
  b:save()
  t.eq(smelt.fs.read(p), "one\n2 two\n3 three\n4 four\nfive  \n")
  -- one Ctrl+Z takes the whole trim back (a second would find nothing
  -- before the insert's own step: a lost key is pressed again)
  type_into("smelt", nil, "ctrl+z")
  local undone = "one\n2 two  \n3 three\n4 four\t\nfive  \n"
  if not pcall(wait_for, function() return b:text() == undone end, "", 5) and b:text() == "one\n2 two\n3 three\n4 four\nfive  \n" then
    type_into("smelt", nil, "ctrl+z")
  end
  wait_for(function() return b:text() == undone end, "one Ctrl+Z to undo the trim (the text is " .. ("%q"):format(b:text()) .. ")")
  b:close({ force = true })
end)

t.test("bundled: trim on save over a long file: far-apart edited lines are trimmed, the rest untouched", function()
  local p = dir .. "/trim-long.txt"
  local lines = {}
  for i = 1, 30000 do lines[i] = "line " .. i end
  lines[2], lines[3], lines[29999] = "near the top  ", "not edited  ", "near the end\t"
  assert(smelt.fs.write(p, table.concat(lines, "\n") .. "\n"))
  local b = smelt.buf.open(p)
  b:insert(2, 1, "#")
  b:insert(29999, 1, "#")
  b:save()
  lines[2], lines[29999] = "#near the top", "#near the end"
  t.truthy(smelt.fs.read(p) == table.concat(lines, "\n") .. "\n", "the file as expected")
  b:close({ force = true })
end, { timeout = 60000 })

t.test("bundled: format on save with a formatter that succeeds, fails, and hangs", function()
  local b = smelt.buf.open(dir .. "/fmt.fmt")
  smelt.format_on_save = { fmt = { "tr", "a-z", "A-Z" }, timeout_ms = 300 }
  b:set_text("shout\n")
  b:save()
  t.eq(smelt.fs.read(dir .. "/fmt.fmt"), "SHOUT\n")

  -- fails: the dialog asks; "Don't save" (Escape) keeps the file as it was
  smelt.format_on_save.fmt = { "sh", "-c", "echo broken >&2; exit 3" }
  b:set_text("changed\n")
  local h = smelt.spawn(function() return { b:save() } end)
  type_into("Confirm", nil, "Escape")
  local ok, err = table.unpack(h:wait())
  t.falsy(ok); t.contains(err, "cancelled")
  t.eq(smelt.fs.read(dir .. "/fmt.fmt"), "SHOUT\n")

  -- hangs: the timeout fires, the dialog asks; "Save anyway" (Return) saves
  smelt.format_on_save.fmt = { "sleep", "60" }
  local h2 = smelt.spawn(function() return b:save() end)
  type_into("Confirm", nil, "Return")
  t.eq(h2:wait(), true)
  t.eq(smelt.fs.read(dir .. "/fmt.fmt"), "changed\n")
  smelt.format_on_save = nil
end, { timeout = 30000 })

t.test("bundled: the statusline counts the words of the buffer shown, with its name, line and column", function()
  local b = smelt.buf.open(dir .. "/counted.txt")
  b:set_text("three short words\n")
  local counted = pcall(wait_for, function() return smelt_test.statusline():find("3 words", 1, true) end, "", 10)
  if not counted then   -- what was running instead
    for _i, e in ipairs(smelt.task.list()) do
      io.stderr:write(("gui_spec: task %d %s %s %s\n"):format(e.id, tostring(e.name), tostring(e.status), tostring(e.waiting_on)))
    end
  end
  t.truthy(counted, "the count (the statusline says " .. smelt_test.statusline() .. ")")
  t.eq(smelt_test.statusline(), "• counted.txt    Ln 2, Col 1    3 words")
  b:set_text("one\n")
  b:set_cursor(1, 4)
  wait_for(function() return smelt_test.statusline() == "• counted.txt    Ln 1, Col 4    1 word" end,
    "one word, in the singular (the statusline says " .. smelt_test.statusline() .. ")")
  b:close({ force = true })
end)

t.test("statusline.set renders the statusline; set(nil) brings back the window's own", function()
  local b = smelt.buf.open(dir .. "/rendered.txt")
  b:set_text("12345")
  local before = smelt.statusline.get()   -- the bundled word count's
  t.eq(type(before), "function")
  local custom = function(buf) return "custom: " .. #buf:text() .. " bytes" end
  smelt.statusline.set(custom)
  t.eq(smelt.statusline.get(), custom)
  b:insert(1, 1, "x")
  wait_for(function() return smelt_test.statusline() == "custom: 6 bytes" end,
    "the renderer's text (the statusline says " .. smelt_test.statusline() .. ")")
  smelt.statusline.set(function() error("broken renderer") end)
  -- reported (runaway_spec checks the report's file:line) and dropped
  wait_for(function() return smelt_test.message():find("statusline: .*broken renderer") end,
    "a broken renderer's error reported (the message area says " .. smelt_test.message() .. ")")
  t.eq(smelt.statusline.get(), nil)
  smelt.statusline.set(nil)
  b:insert(1, 1, "z")
  wait_for(function() return smelt_test.statusline():match("^• rendered.txt    Ln %d+, Col %d+$") end,
    "the window's own (the statusline says " .. smelt_test.statusline() .. ")")
  t.eq(smelt.statusline.get(), nil)
  smelt.statusline.set(before)
  b:close({ force = true })
end)

t.test("the Tasks panel shows parked tasks, a Cancel button cancels its task", function()
  local shown = smelt.spawn(function() smelt.task.name("indexing project"); smelt.sleep(60000) end)
  local target = smelt.spawn(function() smelt.task.name("fetching plugins"); smelt.sleep(60000) end)
  -- a highlighted source file, the window filling the screen
  smelt.buf.open(smelt.runtimepath()[#smelt.runtimepath()] .. "/plugin/word_count.lua")
  xdotool("windowsize", gui.find_window("smelt"), "1024", "700")
  smelt.sleep(600)
  -- target's own Cancel button, clicked with the real pointer. Up to three
  -- real clicks: on a loaded machine the popover may still be settling when
  -- the first lands, and a click that misses it closes it (it hides on a
  -- click outside), so each try opens the panel again (open, it stays as
  -- it is).
  local found = false
  for _ = 1, 3 do
    smelt.cmd.run("Tasks"):wait()
    local x, y
    for _ = 1, 40 do
      x, y = smelt_test.task_cancel_point(target.id)
      if x then break end
      smelt.sleep(100)
    end
    if x then
      found = true
      xdotool("mousemove", tostring(x), tostring(y))
      smelt.sleep(300)   -- across at least one refresh of the panel
      xdotool("click", "1")
      for _ = 1, 50 do
        if target:status() == "cancelled" then break end
        smelt.sleep(50)
      end
      if target:status() == "cancelled" then break end
      local nx, ny = smelt_test.task_cancel_point(target.id)
      io.stderr:write(("gui_spec: a click at %d,%d did not cancel task %d; the button is now at %s,%s; %s\n")
        :format(x, y, target.id, tostring(nx), tostring(ny), (xdotool("getmouselocation"):gsub("\n", ""))))
    end
  end
  local clicked = target:status()
  if clicked ~= "cancelled" then target:cancel() end   -- do not leave it behind
  pcall(target.wait, target)
  t.truthy(found, "the parked task has a row with a Cancel button")
  t.eq(clicked, "cancelled", "the click cancelled the task")
  t.eq(shown:status(), "parked", "and no other task")
  t.eq(smelt_test.message(), ("[info] cancelled task #%d (fetching plugins)"):format(target.id),
    "the message area says which")
  t.truthy(pcall(wait_for, function() return smelt_test.task_cancel_point(target.id) == nil end, ""),
    "its row is gone")
  t.truthy(smelt_test.task_cancel_point(shown.id), "the other task's row stays")
  shown:cancel()
  pcall(shown.wait, shown)
  type_into("smelt", nil, "Escape")
end, { timeout = 60000 })   -- a hang guard: three tries take long on a loaded machine

t.test("a file changed by another program is offered for reload in a bar; a click on Reload reads it", function()
  local p = dir .. "/external.txt"
  assert(smelt.fs.write(p, "mine\n"))
  local b = smelt.buf.open(p)
  smelt.sleep(1100)   -- a different mtime second
  local f = assert(io.open(p, "w")); f:write("theirs\n"); f:close()
  local q = reload_question(b)
  t.truthy(q, "the changed-on-disk question")
  t.contains(q, "external.txt changed on disk")
  t.eq(smelt_test.focus_widget(), "GtkSourceView", "the keyboard stays in the text")
  click_reload_bar(b, true)
  wait_for(function() return b:text() == "theirs\n" and not b:modified() end, "reloaded", 15)
  t.eq(smelt_test.focus_widget(), "GtkSourceView", "and after the click too")
end, { timeout = 40000 })

t.test("the changed-on-disk bar never takes the keyboard: Return and space typed go into the text", function()
  local p = dir .. "/typing.txt"
  assert(smelt.fs.write(p, "mine\n"))
  local b = smelt.buf.open(p)
  b:set_cursor(1, 5)
  smelt.sleep(1100)   -- a different mtime second
  local f = assert(io.open(p, "w")); f:write("theirs\n"); f:close()
  t.truthy(reload_question(b), "the question")
  type_into("smelt", " and more", "Return")
  wait_for(function() return b:text() == "mine and more\n\n" end,
    "the typing in the text (it is " .. ("%q"):format(b:text()) .. ")")
  smelt.sleep(300)
  t.eq(b:text(), "mine and more\n\n", "nothing reloaded: the work is there")
  t.truthy(smelt_test.reload_question(b), "the question still waits for a click")
  click_reload_bar(b, false)
  t.eq(b:text(), "mine and more\n\n")
  b:close({ force = true })
end, { timeout = 40000 })

t.test("with unsaved changes, the reload question says they would be lost; Keep my version keeps them", function()
  local p = dir .. "/external2.txt"
  assert(smelt.fs.write(p, "mine\n"))
  local b = smelt.buf.open(p)
  b:set_text("my edit\n")
  smelt.sleep(1100)   -- a different mtime second
  local f = assert(io.open(p, "w")); f:write("theirs\n"); f:close()
  local q = reload_question(b)
  t.truthy(q, "asked")
  t.contains(q or "", "unsaved changes")
  click_reload_bar(b, false)
  smelt.sleep(500)
  t.eq(b:text(), "my edit\n", "kept")
  t.truthy(b:modified())
  b:close({ force = true })
end, { timeout = 40000 })

t.test("a file opened through a symlink is watched at its target", function()
  local real_dir, link_dir = dir .. "/real", dir .. "/links"
  assert(smelt.fs.mkdir(real_dir))
  assert(smelt.fs.mkdir(link_dir))
  assert(smelt.fs.write(real_dir .. "/target.txt", "mine\n"))
  assert(process.run("ln", { "-s", real_dir .. "/target.txt", link_dir .. "/link.txt" }).code == 0)
  local b = smelt.buf.open(link_dir .. "/link.txt")
  smelt.sleep(1100)   -- tracked; and a different mtime second
  local f = assert(io.open(real_dir .. "/target.txt", "w")); f:write("theirs\n"); f:close()
  local q = reload_question(b)
  t.truthy(q, "the changed-on-disk question for a change at the target")
  t.contains(q or "", "link.txt changed on disk")
  click_reload_bar(b, true)
  -- the load's end, not its last chunk: a save refuses a loading buffer
  wait_for(function() return b:loaded() and b:text() == "theirs\n" end, "reloaded")
  -- saving through the link is smelt's own change: no question
  b:set_text("mine again\n")
  local ok, why = b:save()
  t.truthy(ok, why)
  smelt.sleep(1000)
  t.eq(smelt_test.reload_question(b), nil, "no question after our own save")
  t.eq(smelt.fs.read(real_dir .. "/target.txt"), "mine again\n")
  b:close()
end, { timeout = 40000 })

t.test("a file deleted on disk leaves its buffer unsaved, and says so", function()
  local p = dir .. "/doomed.txt"
  assert(smelt.fs.write(p, "last copy\n"))
  local b = smelt.buf.open(p)
  t.falsy(b:modified())
  smelt.sleep(500)   -- the buf-open handlers: the file is tracked, its folder watched
  os.remove(p)
  wait_for(function() return b:modified() end, "the buffer marked unsaved", 20)
  wait_for(function() return smelt_test.message():find("doomed.txt was deleted", 1, true) end,
    "the message (it says " .. smelt_test.message() .. ")")
  t.eq(b:text(), "last copy\n", "the text is kept")
  b:save()
  t.eq(smelt.fs.read(p), "last copy\n", ":w writes it again")
  t.falsy(b:modified())
  smelt.sleep(300)
  t.eq(smelt_test.reload_question(b), nil, "writing it again is no change on disk")
  b:close()
end, { timeout = 40000 })

t.test("saving again and again brings no changed-on-disk question: the changes are smelt's own", function()
  local p = dir .. "/again-and-again.txt"
  assert(smelt.fs.write(p, "0\n"))
  local b = smelt.buf.open(p)
  local asked
  for i = 1, 8 do
    b:set_text(i .. "\n")
    b:save()
    asked = asked or smelt_test.reload_question(b)
  end
  for _ = 1, 10 do   -- the watcher's events for the last save, and its 100 ms
    smelt.sleep(100)
    asked = asked or smelt_test.reload_question(b)
  end
  t.eq(asked, nil, "no question")
  t.eq(smelt.fs.read(p), "8\n")
  b:close()
end)

t.test("after :w into another folder, a change there by another program is offered for reload", function()
  local other = dir .. "/elsewhere"
  os.execute("mkdir -p " .. other)
  local b = smelt.buf.open(dir .. "/moving.txt")
  b:set_text("moved\n")
  gui.command_line("w " .. other .. "/moved.txt")
  wait_for(function() return smelt.fs.read(other .. "/moved.txt") == "moved\n" and not b:modified() end, "the save")
  smelt.sleep(1100)   -- a different mtime second
  assert(smelt.fs.write(other .. "/moved.txt", "changed there\n"))
  t.truthy(reload_question(b), "the changed-on-disk question")
  click_reload_bar(b, true)
  wait_for(function() return b:text() == "changed there\n" and not b:modified() end, "the reload")
  b:close()
end, { timeout = 40000 })

t.test("cleanup", function()
  process.run("rm", { "-rf", dir })
end)

t.run()
