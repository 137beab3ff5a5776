-- help_spec.lua: :help opens the documentation in read-only buffers, on the topic's tag; Tab completes topics
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh under Xvfb: smelt --test-script help_spec.lua
local t = require("testlib")
t.default_timeout = 30000   -- a hang guard: real keys on a loaded machine

local gui = require("guitest")
local wait_for, type_into = gui.wait_for, gui.type_into

local doc = os.getenv("SMELT_RUNTIME_DIR") .. "/doc"

-- the help buffer shown, once the current buffer is one titled name
local function help_buffer(name)
  local want = name .. " [help] — smelt\n"
  local win = gui.find_window("smelt")
  wait_for(function() return gui.xdotool("getwindowname", win) == want end, "the window titled " .. want)
  return smelt.buf.current()
end

local function cursor_line(b)
  local line = b:cursor()
  return b:lines(line, line)[1]
end

t.test(":help smelt.task.race typed: the entry in a read-only buffer, the cursor and view on its tag", function()
  local before = #smelt.buf.list()
  gui.command_line("help smelt.task.race")
  local b = help_buffer("tasks.txt")
  t.eq(b:text(), (smelt.fs.read(doc .. "/tasks.txt")), "the help file's text")
  t.eq(b:path(), nil, "no file: nothing to save to")
  t.eq(b:filetype(), "smelt-help", "highlighted as a help file (doc/smelt-help.lang)")
  t.eq(b:name(), "tasks.txt [help]")
  wait_for(function() return smelt_test.statusline():find("tasks.txt [help]", 1, true) end,
    "the statusline names it (it says " .. smelt_test.statusline() .. ")")
  t.eq(#smelt.buf.list(), before + 1, "one new tab")
  t.contains(cursor_line(b), "*smelt.task.race()*", "the cursor on the tag's line")
  local line, col = b:cursor()
  t.eq(b:lines(line, line)[1]:sub(col, col), "*", "at the tag")
  wait_for(function() return smelt_test.top_line() == line end,
    ("the tag's line %d at the top of the view (it shows %s)"):format(line, tostring(smelt_test.top_line())))
  -- typing changes nothing: the keys reach the view, which takes none
  t.eq(smelt_test.focus_widget(), "GtkSourceView", "the keyboard in the help text")
  type_into("smelt", "typed into help", "Return")
  type_into("smelt", nil, "BackSpace")
  type_into("smelt", nil, "ctrl+z")
  smelt.sleep(300)
  t.eq(b:text(), (smelt.fs.read(doc .. "/tasks.txt")), "typing, Backspace and Ctrl+Z changed nothing")
  t.falsy(b:modified(), "never modified")
  t.raises("buffer:set_text: the buffer is read-only", b.set_text, b, "x")
  t.raises("buffer:set_lines: the buffer is read-only", b.set_lines, b, 1, 1, { "x" })
  t.raises("buffer:insert: the buffer is read-only", b.insert, b, 1, 1, "x")
  t.raises("buffer:save: the buffer is read-only", b.save, b)
  -- Ctrl+S: no file chooser, a message
  type_into("smelt", nil, "ctrl+s")
  wait_for(function() return smelt_test.message():find("read-only", 1, true) end, "Ctrl+S's message")
  t.eq(smelt_test.message(), "[error] tasks.txt [help] is read-only: it cannot be written")
  for _, top in ipairs(smelt_test.toplevels()) do
    t.falsy(top:find("Save File", 1, true), "no file chooser: " .. top)
  end
end)

t.test("another topic of the same file shows the same buffer; :help alone opens the index", function()
  gui.command_line("help smelt.sleep")
  local b = help_buffer("tasks.txt")
  local n = #smelt.buf.list()
  t.contains(cursor_line(b), "*smelt.sleep()*")
  gui.command_line("help smelt.task.timeout")
  wait_for(function() return cursor_line(b):find("*smelt.task.timeout()*", 1, true) end, "the cursor on the new tag")
  t.eq(smelt.buf.current(), b, "the same buffer")
  t.eq(#smelt.buf.list(), n, "no new tab")
  gui.command_line("help")
  local index = help_buffer("smelt.txt")
  t.eq(select(1, index:cursor()), 1, "the index, at its top")
  t.eq(index:lines(1, 1)[1]:sub(1, 11), "*smelt.txt*")
  gui.command_line("h :w")
  local editor = help_buffer("editor.txt")
  t.contains(cursor_line(editor), "*:w*", ":h, and an editor command's tag")
end)

t.test("Ctrl+] on a |link| opens the entry it names; on a plain word, that word's", function()
  gui.command_line("help smelt.task.name")
  local b = help_buffer("tasks.txt")
  local line = b:cursor() + 1   -- "    Renames the running task (see |smelt-task-debug|)."
  local text = b:lines(line, line)[1]
  local col = text:find("|smelt-task-debug|", 1, true)
  t.truthy(col, "the entry's link: " .. text)
  b:set_cursor(line, col + 3)
  type_into("smelt", nil, "ctrl+bracketright")
  wait_for(function() return cursor_line(b):find("*smelt-task-debug*", 1, true) end,
    "the cursor on the link's tag (it is on: " .. cursor_line(b) .. ")")
  t.eq(smelt.buf.current(), b, "the same file, the same buffer")
  -- a word with no bars: the entry of smelt.sleep, named in its own text
  gui.command_line("help smelt.sleep")
  wait_for(function() return cursor_line(b):find("*smelt.sleep()*", 1, true) end, "smelt.sleep's entry")
  local tag_line = b:cursor()
  line = tag_line + 2   -- "    `smelt.sleep(0)` yields to the main loop once. ..."
  col = b:lines(line, line)[1]:find("smelt.sleep(0)", 1, true)
  t.truthy(col, "the name in the text")
  b:set_cursor(line, col + 7)   -- on "sleep"
  type_into("smelt", nil, "ctrl+bracketright")
  wait_for(function() return b:cursor() == tag_line end, "the cursor back on *smelt.sleep()*")
end)

t.test("an unknown topic says E149 in the message area and opens nothing", function()
  local n = #smelt.buf.list()
  gui.command_line("help no-such-topic-anywhere")
  wait_for(function() return smelt_test.message():find("E149", 1, true) end, "the E149 message")
  t.eq(smelt_test.message(), "[error] E149: no help for no-such-topic-anywhere")
  t.eq(#smelt.buf.list(), n)
end)

t.test("Tab completes :help smelt.task.ra to the tag, and Return opens it", function()
  t.same(smelt_test.complete("help smelt.task.ra"), { "smelt.task.race()" })
  type_into("smelt", nil, "ctrl+semicolon")
  wait_for(function() return smelt_test.command_line() == ":" end, "Ctrl+; to open the command line")
  type_into("smelt", "help smelt.task.ra", nil)
  wait_for(function() return smelt_test.command_line() == ":help smelt.task.ra" end, "the topic typed")
  type_into("smelt", nil, "Tab")
  wait_for(function() return smelt_test.command_line() == ":help smelt.task.race() " end,
    "the completed topic (the command line says " .. tostring(smelt_test.command_line()) .. ")")
  type_into("smelt", nil, "Return")
  local b = help_buffer("tasks.txt")
  wait_for(function() return cursor_line(b):find("*smelt.task.race()*", 1, true) end, "the cursor on the tag")
end)

t.test("a help buffer closes with Ctrl+W without asking, and is read again by the next :help", function()
  gui.command_line("help smelt.spawn")
  local b = help_buffer("tasks.txt")
  type_into("smelt", nil, "ctrl+w")
  wait_for(function() return not b:valid() end, "the help buffer closed, nothing asked")
  for _, top in ipairs(smelt_test.toplevels()) do
    t.falsy(top:find("Confirm", 1, true), "no question: " .. top)
  end
  gui.command_line("help smelt.spawn")
  local again = help_buffer("tasks.txt")
  t.truthy(again:valid() and again ~= b, "a new buffer")
  t.contains(cursor_line(again), "*smelt.spawn()*")
end)

t.run()
