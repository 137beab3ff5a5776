-- drafts_spec.lua: unsaved text survives a SIGKILL: kept in a draft, restored at the next start
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh; each case runs second smelts (SMELT_EXE) with
-- tests/gui/drafts_child.lua on this display, sharing a state folder of their own: one types
-- with real keys and is killed with SIGKILL once its draft is on disk, the next reports.
local t = require("testlib")
-- a hang guard only: each case starts two smelts, slow under AddressSanitizer
t.default_timeout = 180000

local smelt_exe = assert(os.getenv("SMELT_EXE"), "SMELT_EXE: the smelt binary")
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")
local dir = os.tmpname()
os.remove(dir)
local state = dir .. "/state"
local drafts = state .. "/smelt/drafts"
os.execute("mkdir -p " .. state)
local a = dir .. "/a.txt"

local function env_of(step, extra)
  local e = { DRAFTS_STEP = step, DRAFTS_DIR = dir, XDG_STATE_HOME = state }
  for k, v in pairs(extra or {}) do e[k] = v end
  return e
end

local function args_of(files)
  local args = { "--test-script", here .. "/drafts_child.lua" }
  for _i, f in ipairs(files or {}) do args[#args + 1] = f end
  return args
end

-- the drafts on disk: name -> contents
local function drafts_on_disk()
  local found = {}
  for _i, e in ipairs(smelt.fs.list(drafts) or {}) do
    if e.name:match("%.draft$") and e.name:sub(1, 1) ~= "." then found[e.name] = smelt.fs.read(drafts .. "/" .. e.name) end
  end
  return found
end

local function wait_for(pred, what, seconds)
  local deadline = smelt.now() + seconds * 1000
  while not pred() do
    assert(smelt.now() < deadline, "timed out waiting for " .. what)
    smelt.sleep(50)
  end
end

--- Starts a smelt that types `text` into the buffer of file (the untitled one without) and
--- waits for a draft with the text; returns the smelt, still running.
local function type_and_wait(text, file)
  os.remove(dir .. "/typed")
  local p = assert(smelt.process.spawn(smelt_exe, args_of({ file }),
    { env = env_of("type", { DRAFTS_TEXT = text, DRAFTS_FILE = file }), stderr = "inherit" }))
  wait_for(function() return smelt.fs.stat(dir .. "/typed") end, "the child to type (" .. dir .. "/typed)", 60)
  -- the draft is due 2 s after the edit; the rest is a hang guard for a loaded machine
  local typed_at = smelt.now()
  wait_for(function()
    for _name, data in pairs(drafts_on_disk()) do
      if data:find(text, 1, true) then return true end
    end
  end, "a draft with the typed text", 2 + 10)
  print(("# the draft was on disk %.0f ms after the typing ended"):format(smelt.now() - typed_at))
  return p
end

local function kill(p)
  p:kill(9)
  local code, sig = p:wait()
  t.eq(sig, 9, "killed by SIGKILL (code " .. tostring(code) .. ")")
end

--- type_and_wait, then SIGKILL.
local function type_then_kill(text, file)
  kill(type_and_wait(text, file))
end

local function report(extra, files)
  os.remove(dir .. "/report")
  local r, why = smelt.task.timeout(90000, function()
    return smelt.process.run(smelt_exe, args_of(files), { env = env_of("report", extra) })
  end)
  assert(why ~= "timeout", "the reporting smelt did not end in 90 s")
  t.eq(r and r.code, 0, "the reporting smelt's exit status (" .. tostring(r and r.stderr) .. ")")
  return smelt.fs.read(dir .. "/report") or ""
end

t.test("typed text reaches a draft; after SIGKILL the next start has it, modified, with a notice; saving removes it", function()
  assert(smelt.fs.write(a, "alpha\n"))
  type_then_kill("typed by keys ", a)
  t.eq(smelt.fs.read(a), "alpha\n", "the file itself untouched")
  local out = report({ DRAFTS_SAVE = a })
  t.contains(out, a .. "|true|typed by keys alpha\n", "the buffer has the typed text, modified")
  t.contains(out, "message: [info] Recovered unsaved changes", "a notice")
  t.contains(out, "a.txt", "the notice names the file")
  t.contains(out, "drafts: 1\n", "the restored buffer has a draft of this smelt's")
  t.contains(out, "drafts after save: 0\n", "saving removed it")
  t.eq(smelt.fs.read(a), "typed by keys alpha\n", "Ctrl+S wrote the restored text")
  t.eq(next(drafts_on_disk()), nil, "no draft left on disk")
end)

t.test("an untitled buffer's typed text comes back in a new untitled buffer, modified, with a notice", function()
  os.remove(state .. "/smelt/session")   -- the last smelt's a.txt would be reopened and typed into
  type_then_kill("scratch words", nil)
  local out = report()
  t.contains(out, "untitled:untitled|true|scratch words\n", "a new untitled buffer with the text, modified")
  t.contains(out, "message: [info] Recovered unsaved changes", "a notice")
  t.contains(out, "drafts: 1\n", "it has a draft of this smelt's")
end)

t.test("a file changed on disk meanwhile gets the draft with a warning; the file is left as it is", function()
  assert(smelt.fs.write(a, "alpha\n"))
  type_then_kill("more keys ", a)
  smelt.sleep(50)   -- a different mtime
  assert(smelt.fs.write(a, "changed on disk\n"))
  local out = report({ DRAFTS_UNDO = a })
  t.contains(out, a .. "|true|more keys alpha\n", "the buffer has the draft's text, modified")
  t.contains(out, "message: [warn] Recovered unsaved changes", "a warning")
  t.contains(out, "Changed on disk since: a.txt", "it says the file changed")
  t.contains(out, "after Ctrl+Z: false|changed on disk\n", "the restore is an edit: Ctrl+Z gives the file's text back")
  t.eq(smelt.fs.read(a), "changed on disk\n", "the file on disk untouched")
  t.eq(next(drafts_on_disk()), nil, "the quit removed the drafts")
end)

t.test("closing a modified buffer with \"Close without saving\" removes its draft", function()
  assert(smelt.fs.write(a, "alpha\n"))
  os.remove(dir .. "/report")
  local r, why = smelt.task.timeout(90000, function()
    return smelt.process.run(smelt_exe, args_of({ a }), { env = env_of("close", { DRAFTS_TEXT = "closing ", DRAFTS_FILE = a }) })
  end)
  assert(why ~= "timeout", "the closing smelt did not end in 90 s")
  t.eq(r and r.code, 0, "the closing smelt's exit status (" .. tostring(r and r.stderr) .. ")")
  t.eq(smelt.fs.read(dir .. "/report"), "drafts after close: 0\n")
  t.eq(smelt.fs.read(a), "alpha\n")
end)

t.test("a draft that cannot be written is reported once, in the message area", function()
  assert(smelt.fs.write(a, "alpha\n"))
  os.execute("rm -rf " .. drafts .. " && mkdir -p " .. state .. "/smelt")
  assert(smelt.fs.write(drafts, "a file where the folder should be\n"))
  os.remove(dir .. "/report")
  local r, why = smelt.task.timeout(90000, function()
    return smelt.process.run(smelt_exe, args_of({ a }), { env = env_of("fail", { DRAFTS_TEXT = "lost ", DRAFTS_FILE = a }) })
  end)
  os.remove(drafts)
  assert(why ~= "timeout", "the smelt did not end in 90 s")
  t.eq(r and r.code, 0, "its exit status (" .. tostring(r and r.stderr) .. ")")
  t.contains(smelt.fs.read(dir .. "/report") or "", "message: [warn] unsaved changes could not be kept as a draft: ")
  t.contains(smelt.fs.read(dir .. "/report") or "", drafts)
end)

t.test("with --clean nothing is written or restored", function()
  assert(smelt.fs.write(a, "alpha\n"))
  type_then_kill("kept ", a)
  local r = smelt.task.timeout(90000, function()
    return smelt.process.run(smelt_exe, { "--clean", "--test-script", here .. "/drafts_child.lua" }, { env = env_of("report") })
  end)
  t.eq(r and r.code, 0, tostring(r and r.stderr))
  t.contains(smelt.fs.read(dir .. "/report") or "", "untitled:untitled|false|\n", "nothing restored")
  t.truthy(next(drafts_on_disk()), "the draft left for a smelt without --clean")
  local out = report()
  t.contains(out, a .. "|true|kept alpha\n", "restored by the next smelt without --clean")
end)

t.test("a second smelt leaves a running one's drafts alone; once that one is killed, the next restores them", function()
  assert(smelt.fs.write(a, "alpha\n"))
  local first = type_and_wait("first's ", a)
  local out = report()
  t.contains(out, "message: \n", "no notice: nothing restored")
  t.falsy(out:find("first's", 1, true), "the running smelt's text not taken")
  local left = 0
  for _name, data in pairs(drafts_on_disk()) do
    if data:find("first's", 1, true) then left = left + 1 end
  end
  t.eq(left, 1, "its draft still there")
  kill(first)
  t.contains(report(), a .. "|true|first's alpha\n", "restored once its smelt is gone")
end)

t.test(":e! on a modified buffer keeps the discarded text in drafts/discarded and says where", function()
  local gui = require("guitest")
  local path = dir .. "/reload.txt"
  assert(smelt.fs.write(path, "on disk\n"))
  local buf = smelt.buf.open(path)
  smelt.buf.set_current(buf)
  gui.type_into("smelt", "unsaved ")
  pcall(gui.wait_for, function() return buf:text() == "unsaved on disk\n" end, "the typed text", 10)
  t.eq(buf:text(), "unsaved on disk\n", "typed")
  gui.command_line("e!")
  gui.wait_for(function() return not buf:modified() end, "the reload", 20)
  t.eq(buf:text(), "on disk\n")
  local kept = smelt_test.message():match("kept in (%S+) ")
  t.truthy(kept, "the message names the file: " .. smelt_test.message())
  t.eq(kept and kept:sub(1, #smelt.stdpath("state")), smelt.stdpath("state"), "in the state folder")
  t.eq(kept and smelt.fs.read(kept), "unsaved on disk\n", "the discarded text")
  t.eq(smelt.fs.read(path), "on disk\n", "the file untouched")
  buf:close({ force = true })
end)

t.test(":e! when the discarded text cannot be written says so, and reads the file anyway", function()
  local gui = require("guitest")
  local path = dir .. "/reload2.txt"
  assert(smelt.fs.write(path, "on disk\n"))
  -- the files the next seconds would name are folders: the write fails
  local discarded = smelt.stdpath("state") .. "/drafts/discarded"
  for s = 0, 30 do
    assert(smelt.fs.mkdir(("%s/reload2.txt-%s.txt"):format(discarded, os.date("%Y%m%d-%H%M%S", os.time() + s))))
  end
  local buf = smelt.buf.open(path)
  smelt.buf.set_current(buf)
  gui.type_into("smelt", "unsaved ")
  gui.wait_for(function() return buf:text() == "unsaved on disk\n" end, "the typed text", 20)
  gui.command_line("e!")
  gui.wait_for(function() return not buf:modified() end, "the reload", 20)
  t.contains(smelt_test.message(), "the unsaved text of reload2.txt could not be kept: buffer:write_copy: "
    .. discarded .. "/reload2.txt-")
  t.eq(buf:text(), "on disk\n")
  buf:close({ force = true })
end)

t.test("cleanup", function()
  smelt.process.run("rm", { "-rf", dir })
end)

t.run()
