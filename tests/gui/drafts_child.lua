-- drafts_child.lua: the second smelt of drafts_spec.lua, under Xvfb, with the spec's state folder
-- SPDX-License-Identifier: GPL-3.0-or-later
-- DRAFTS_STEP=type: types DRAFTS_TEXT with real keys into the buffer shown (the file given,
-- once loaded, else the untitled one), writes DRAFTS_DIR/typed, and waits to be killed.
-- DRAFTS_STEP=close: the same, then waits for its draft, closes the buffer with Ctrl+W and
-- "Close without saving" (Return), and reports the drafts left. DRAFTS_STEP=fail: types,
-- then reports the message shown. DRAFTS_STEP=report: waits
-- for the restore, writes what is open (and the message shown) to DRAFTS_DIR/report; with
-- DRAFTS_UNDO set, presses Ctrl+Z in that file's buffer and reports its text; with
-- DRAFTS_SAVE set, then saves the restored file with Ctrl+S and reports the drafts left.
local gui = require("guitest")
local step, dir = assert(os.getenv("DRAFTS_STEP")), assert(os.getenv("DRAFTS_DIR"))
local drafts = smelt.stdpath("state") .. "/drafts"

local function n_drafts()
  local n = 0
  for _i, e in ipairs(smelt.fs.list(drafts) or {}) do
    if e.name:match("^%x+%-%d+%.draft$") then n = n + 1 end
  end
  return n
end

local function append(line)
  local old = smelt.fs.read(dir .. "/report") or ""
  assert(smelt.fs.write(dir .. "/report", old .. line .. "\n"))
end

local function restoring()
  for _i, e in ipairs(smelt.task.list()) do
    if e.name == "restore drafts" then return true end
  end
  return false
end

if step == "type" or step == "close" or step == "fail" then
  local file = os.getenv("DRAFTS_FILE")
  local buf
  gui.wait_for(function()
    buf = file and gui.buffer_of(file) or (not file and smelt.buf.current())
    return buf and buf:line_count() > (file and 1 or 0) or (buf and not file)
  end, "the buffer", 20)
  smelt.buf.set_current(buf)
  smelt.sleep(300)
  gui.type_into("smelt", assert(os.getenv("DRAFTS_TEXT")))
  gui.wait_for(function() return buf:text():find(os.getenv("DRAFTS_TEXT"), 1, true) end, "the typed text", 20)
  assert(smelt.fs.write(dir .. "/typed", "typed\n"))
  if step == "fail" then
    pcall(gui.wait_for, function() return smelt_test.message():find("draft", 1, true) end, "the warning", 10)
    append("message: " .. smelt_test.message())
    smelt.quit(0)
  end
  if step == "close" then
    gui.wait_for(function() return n_drafts() == 1 end, "the draft", 20)
    gui.type_into("smelt", nil, "ctrl+w")
    gui.wait_for(function() return gui.find_window("Confirm") end, "the question", 20)
    gui.type_into("Confirm", nil, "Return")   -- "Close without saving"
    gui.wait_for(function() return not buf:valid() end, "the buffer closed", 20)
    pcall(gui.wait_for, function() return n_drafts() == 0 end, "no draft left", 5)
    append("drafts after close: " .. n_drafts())
    smelt.quit(0)
  end
  smelt.sleep(60000)   -- a hang guard: the spec kills this smelt first
  io.stderr:write("drafts_child: not killed\n")
  smelt.quit(3)
else
  smelt.sleep(300)
  gui.wait_for(function() return not restoring() end, "the restore", 30)
  local message = smelt_test.message()
  for _i, buf in ipairs(smelt.buf.list()) do
    append(("%s|%s|%s"):format(buf:path() or "untitled:" .. buf:name(), tostring(buf:modified()), buf:text()))
  end
  append("message: " .. message)
  append("drafts: " .. n_drafts())
  local undo = os.getenv("DRAFTS_UNDO")
  if undo then
    local buf = assert(gui.buffer_of(undo), "the restored buffer")
    smelt.buf.set_current(buf)
    local before = buf:text()
    gui.type_into("smelt", nil, "ctrl+z")
    pcall(gui.wait_for, function() return buf:text() ~= before end, "the undo", 10)
    append(("after Ctrl+Z: %s|%s"):format(tostring(buf:modified()), buf:text()))
  end
  local file = os.getenv("DRAFTS_SAVE")
  if file then
    local buf = assert(gui.buffer_of(file), "the restored buffer")
    smelt.buf.set_current(buf)
    gui.type_into("smelt", nil, "ctrl+s")
    gui.wait_for(function() return not buf:modified() end, "the save", 20)
    pcall(gui.wait_for, function() return n_drafts() == 0 end, "no draft left", 5)
    append("drafts after save: " .. n_drafts())
  end
  smelt.quit(0)
end
