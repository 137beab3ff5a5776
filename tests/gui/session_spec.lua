-- session_spec.lua: the files open when smelt quits open again at its next start without files
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh; each case runs a second smelt (SMELT_EXE) with
-- tests/gui/session_child.lua on this display, sharing a state folder of its own.
local t = require("testlib")
-- a hang guard only: each case starts a second smelt, slow under AddressSanitizer
t.default_timeout = 120000

local smelt_exe = assert(os.getenv("SMELT_EXE"), "SMELT_EXE: the smelt binary")
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")
local dir = os.tmpname()
os.remove(dir)
local state = dir .. "/state"
os.execute("mkdir -p " .. state)
local a, b, c = dir .. "/a.txt", dir .. "/b.txt", dir .. "/c.txt"
local function fresh_files()
  assert(smelt.fs.write(a, "alpha\nbeta gamma\n"))
  assert(smelt.fs.write(b, "1\n2\n3\n4\n"))
  assert(smelt.fs.write(c, "c\n"))
end

--- Runs the second smelt for step; extra env on top; its files as arguments.
local function child(step, env, files, flags)
  local e = { SESSION_STEP = step, SESSION_DIR = dir, XDG_STATE_HOME = state }
  for k, v in pairs(env or {}) do e[k] = v end
  local args = { "--test-script", here .. "/session_child.lua" }
  for _i, f in ipairs(flags or {}) do args[#args + 1] = f end
  for _i, f in ipairs(files or {}) do args[#args + 1] = f end
  local r, why = smelt.task.timeout(60000, function() return smelt.process.run(smelt_exe, args, { env = e }) end)
  assert(why ~= "timeout", "the second smelt did not end in 60 s")
  return r
end

local function report()
  os.remove(dir .. "/report")
  local r = child("report")
  t.eq(r and r.code, 0, "the reporting smelt's exit status (" .. tostring(r and r.stderr) .. ")")
  return smelt.fs.read(dir .. "/report") or ""
end

t.test("quitting saves the session: tab order, cursors, the buffer shown", function()
  fresh_files()
  local r = child("save")
  t.eq(r and r.code, 0, "Ctrl+Q ended the first smelt (" .. tostring(r and r.stderr) .. ")")
  local text = smelt.fs.read(state .. "/smelt/session")
  t.truthy(text, "the session file in XDG_STATE_HOME/smelt")
  t.contains(text or "", ("*\t2\t3\t%s\n-\t3\t1\t%s\n-\t1\t1\t%s\n"):format(a, b, c))
end)

t.test("started without files, smelt opens them again, cursors where they were, the shown one shown", function()
  t.eq(report(), ("- untitled 1 1\n* %s 2 3\n- %s 3 1\n- %s 1 1\n"):format(a, b, c))
end)

t.test("a file gone since is left out; one that shrank gets the nearest cursor", function()
  os.remove(c)
  assert(smelt.fs.write(b, "1\n"))   -- line 3 is gone
  t.eq(report(), ("- untitled 1 1\n* %s 2 3\n- %s 2 1\n"):format(a, b))
end)

t.test("started with files, smelt opens those only", function()
  local r = child("report", nil, { c })
  t.eq(r and r.code, 0, tostring(r and r.stderr))
  t.eq(smelt.fs.read(dir .. "/report"), ("* %s 1 1\n"):format(c))
end)

t.test("with restore-session off, nothing is reopened", function()
  -- the reporting smelt quit last with c.txt alone: save a.txt, b.txt again first
  fresh_files()
  local saved = child("save")
  t.eq(saved and saved.code, 0, tostring(saved and saved.stderr))
  local config = dir .. "/config"
  os.execute("mkdir -p " .. config .. "/glib-2.0/settings")
  assert(smelt.fs.write(config .. "/glib-2.0/settings/keyfile", "[dev/smelt/Editor]\nrestore-session=false\n"))
  local r = child("report", { GSETTINGS_BACKEND = "keyfile", XDG_CONFIG_HOME = config })
  t.eq(r and r.code, 0, tostring(r and r.stderr))
  t.eq(smelt.fs.read(dir .. "/report"), "* untitled 1 1\n")
end)

t.test("with --clean, nothing is reopened, and the session is left as it was", function()
  fresh_files()
  local saved = child("save")
  t.eq(saved and saved.code, 0, tostring(saved and saved.stderr))
  local before = smelt.fs.read(state .. "/smelt/session")
  t.contains(before or "", a, "a session of a.txt, b.txt and c.txt to leave alone")
  local r = child("report", nil, nil, { "--clean" })
  t.eq(r and r.code, 0, tostring(r and r.stderr))
  t.eq(smelt.fs.read(dir .. "/report"), "* untitled 1 1\n", "nothing reopened")
  r = child("report", nil, { c }, { "--clean" })   -- it quits with c.txt alone open
  t.eq(r and r.code, 0, tostring(r and r.stderr))
  t.eq(smelt.fs.read(state .. "/smelt/session"), before, "not written over")
end)

t.test("a --test-script that raises ends smelt with status 1 (no hang until the test's timeout)", function()
  assert(smelt.fs.write(dir .. "/raises.lua", 'error("deliberate")\n'))
  local r, why = smelt.task.timeout(60000, function()
    return smelt.process.run(smelt_exe, { "--test-script", dir .. "/raises.lua" }, { env = { XDG_STATE_HOME = state } })
  end)
  t.falsy(why, "it ended")
  t.eq(r and r.code, 1)
  t.contains(r and r.stderr or "", "deliberate")
end)

t.test("cleanup", function()
  smelt.process.run("rm", { "-rf", dir })
end)

t.run()
