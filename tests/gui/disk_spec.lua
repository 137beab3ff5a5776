-- disk_spec.lua: saving against the disk with real keys: another program's change, encodings, Ctrl+S while loading
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh with tests/gui/slow-read.c preloaded (tests/gui/meson.build):
-- reads of a *.slow file past its first 256 KiB wait while $SMELT_TEST_SLOW_GATE exists.
local t = require("testlib")
t.default_timeout = 60000   -- a hang guard only: real keys under ASan on a shared machine
local gui = require("guitest")
local type_into, wait_for, buffer_of = gui.type_into, gui.wait_for, gui.buffer_of

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

local function sh(cmd)
  local r = smelt.process.run("sh", { "-c", cmd })
  assert(r.code == 0, cmd .. ": " .. r.stderr)
  return r.stdout
end

-- the questions the window asks (smelt.ui.confirm), in order: what they say
local questions = {}
local real_confirm = smelt.ui.confirm
smelt.ui.confirm = function(message, opts)
  questions[#questions + 1] = message
  return real_confirm(message, opts)
end

local function asked(n, what)
  wait_for(function() return #questions >= n and gui.find_window("Confirm") end, what, 20)
  return questions[n]
end

local function message()
  return smelt_test.message() or ""
end

-- the files loaded in full so far ("buf-open" comes once the load is done)
local loaded = {}
smelt.on("buf-open", function(ev) loaded[ev.buf:path() or ""] = true end)

local function wait_loaded(path)
  wait_for(function() return loaded[path] end, "the buffer of " .. path, 30)
  return buffer_of(path)
end

-- opens path with :e typed, and waits until its buffer has text
local function edit(path)
  gui.command_line("e " .. path)
  wait_for(function() local b = buffer_of(path); return b and b:char_count() > 0 end, "the buffer of " .. path, 20)
  return buffer_of(path)
end

t.test("Ctrl+S over another program's change asks: Cancel leaves their text, Overwrite writes ours", function()
  local p = dir .. "/shared.txt"
  assert(smelt.fs.write(p, "ours\n"))
  gui.command_line("e " .. p)
  local b = wait_loaded(p)
  type_into("smelt", "typed ", nil)
  wait_for(function() return b:text() == "typed ours\n" end, "the typing")
  -- another program writes the file (and its time is surely not the one smelt saw)
  sh(("printf 'theirs\\n' > %s && touch -d @1000000000 %s"):format(p, p))
  local n = #questions
  type_into("smelt", nil, "ctrl+s")
  local q = asked(n + 1, "the overwrite question")
  t.eq(q, p .. " changed on disk since it was read. Overwrite it?")
  type_into("Confirm", nil, "Escape")   -- Cancel
  wait_for(function() return message():find("not written", 1, true) end, "the message that it was not written")
  t.eq(smelt.fs.read(p), "theirs\n", "their text is still there")
  t.truthy(b:modified(), "the buffer still has unsaved changes")

  type_into("smelt", nil, "ctrl+s")
  t.eq(asked(n + 2, "the question again"), q)
  type_into("Confirm", nil, "Return")   -- Overwrite
  wait_for(function() return message():find("written " .. p, 1, true) end, "the save")
  t.eq(smelt.fs.read(p), "typed ours\n")
  t.falsy(b:modified())

  -- its own save is no change: the next Ctrl+S asks nothing
  type_into("smelt", "again ", "ctrl+s")
  local saved = pcall(wait_for, function() return smelt.fs.read(p) == "typed again ours\n" end, "", 10)
  t.truthy(saved, ("the second save (the buffer has %q, the file %q, the message says %q, questions: %s)")
    :format(b:text(), smelt.fs.read(p), message(), table.concat(questions, " | ")))
  t.eq(#questions, n + 2, "no question for smelt's own write")
  b:close({ force = true })
end)

t.test("a Latin-1 file: the window offers to read it as Latin-1, and a save keeps it", function()
  local p = dir .. "/latin1.txt"
  assert(smelt.fs.write(p, "hello\nGr\xfc\xdf \xa4\n"))
  local n = #questions
  gui.command_line("e " .. p)
  t.contains(asked(n + 1, "the Latin-1 offer"), "Open it as Latin-1")
  t.contains(message(), "could not open " .. p)
  type_into("Confirm", nil, "Return")
  local b = wait_loaded(p)
  t.eq(b:text(), "hello\nGrüß ¤\n")
  t.eq(b:encoding(), "ISO-8859-1")
  type_into("smelt", "x", "ctrl+s")
  wait_for(function() return message():find("written " .. p, 1, true) end, "the save")
  t.eq(smelt.fs.read(p), "xhello\nGr\xfc\xdf \xa4\n", "Latin-1 bytes")
  b:close({ force = true })
end)

t.test("Ctrl+S of a character the file's encoding cannot hold offers UTF-8: Cancel writes nothing", function()
  local p = dir .. "/snow.txt"
  assert(smelt.fs.write(p, "cold\ncaf\xe9\n"))
  gui.command_line("e ++enc=latin1 " .. p)
  local b = wait_loaded(p)
  t.eq(b:text(), "cold\ncafé\n")
  t.eq(b:encoding(), "ISO-8859-1")
  -- the character through the API: xdotool cannot type every character
  b:insert(2, 1, "\u{2603} ")
  local n = #questions
  type_into("smelt", nil, "ctrl+s")
  local q = asked(n + 1, "the UTF-8 offer")
  t.contains(q, p .. ": line 2 has “\u{2603}” (U+2603), which ISO-8859-1 cannot hold")
  t.contains(q, "Save it as UTF-8?")
  type_into("Confirm", nil, "Escape")
  wait_for(function() return message():find("not written", 1, true) end, "the message that it was not written")
  t.eq(smelt.fs.read(p), "cold\ncaf\xe9\n", "nothing written")
  t.eq(b:encoding(), "ISO-8859-1")

  type_into("smelt", nil, "ctrl+s")
  asked(n + 2, "the offer again")
  type_into("Confirm", nil, "Return")   -- Save as UTF-8
  wait_for(function() return message():find("written " .. p, 1, true) end, "the save")
  t.eq(smelt.fs.read(p), "cold\n\u{2603} café\n")
  t.eq(b:encoding(), "UTF-8")
  b:close({ force = true })
end)

t.test("Ctrl+S while a big file loads from a slow disk is refused: the file is whole, nothing is saved", function()
  local gate = assert(os.getenv("SMELT_TEST_SLOW_GATE"), "run with tests/gui/slow-read.c preloaded")
  local p = dir .. "/big.slow"
  sh(("yes 'a line of a big file on a slow disk, read while Ctrl+S is pressed' | head -c 12000000 > %s"):format(p))
  local sum = sh("md5sum < " .. p)
  local before = smelt.fs.stat(p)
  local saves = 0
  smelt.on("buf-write-post", function() saves = saves + 1 end)
  sh("touch " .. gate)   -- from here the file's reads past 256 KiB wait
  local ok, err = pcall(function()
    local b = edit(p)
    t.truthy(b:char_count() < before.size, "the load waits on the disk")
    type_into("smelt", nil, "ctrl+s")
    wait_for(function() return message():find("still loading", 1, true) end, "the refusal", 20)
    t.contains(message(), "buffer:save: " .. p .. " is still loading: save it once it has loaded")
    local now = smelt.fs.stat(p)
    t.eq(now.size, before.size, "the file's size")
    t.eq(now.mtime, before.mtime, "the file was not written")
    t.truthy(b:char_count() < before.size, "it was still loading")
    os.remove(gate)
    -- the last chunk is in before the loader ends (and marks it unmodified)
    wait_for(function() return b:loaded() end, "the load to end", 120)
    t.eq(b:char_count(), before.size, "the whole file in")
    t.falsy(b:modified())
    t.eq(saves, 0, "no save ran")
    t.falsy(message():find("written", 1, true), "nothing said written")
    t.eq(sh("md5sum < " .. p), sum, "the file is whole")
    b:close({ force = true })
  end)
  os.remove(gate)
  if not ok then error(err, 0) end
end, { timeout = 300000 })

t.test("cleanup", function()
  os.execute("rm -rf " .. dir)
end)

t.run()
