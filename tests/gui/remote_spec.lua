-- remote_spec.lua: a second `smelt FILE...` opens its files in the running instance
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh with SMELT_TEST_SESSION_BUS=1: on a private
-- session bus, this instance is the unique one (smelt --test-unique).
local t = require("testlib")

local smelt_exe = assert(os.getenv("SMELT_EXE"), "SMELT_EXE: the smelt binary")
local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p " .. dir .. "/sub")
assert(smelt.fs.write(dir .. "/sub/relative.txt", "relative\n"))
assert(smelt.fs.write(dir .. "/one.txt", "one\n"))
assert(smelt.fs.write(dir .. "/two.txt", "two\n"))

local gui = require("guitest")
local buffer_of = gui.buffer_of

local function wait_for_buffer(p)
  for _ = 1, 100 do
    local b = buffer_of(p)
    if b and b:text() ~= "" then return b end
    smelt.sleep(50)
  end
end

t.test("a second smelt FILE opens it here, and exits 0 at once", function()
  local started = smelt.now()
  local r = smelt.process.run(smelt_exe, { dir .. "/one.txt" })
  t.eq(r and r.code, 0, "the second smelt's exit status: " .. tostring(r and r.stderr))
  t.truthy(smelt.now() - started < 10000, "the second smelt returned (it did not open a window of its own)")
  local b = wait_for_buffer(dir .. "/one.txt")
  t.truthy(b, "one.txt is open in this instance")
  t.eq(b:text(), "one\n")
end)

t.test("a relative path is resolved in the second smelt's directory", function()
  local r = smelt.process.run(smelt_exe, { "relative.txt" }, { cwd = dir .. "/sub" })
  t.eq(r and r.code, 0)
  local b = wait_for_buffer(dir .. "/sub/relative.txt")
  t.truthy(b, "sub/relative.txt is open in this instance")
end)

t.test("several files at once", function()
  local before = #smelt.buf.list()
  local r = smelt.process.run(smelt_exe, { dir .. "/two.txt", dir .. "/one-more.txt" })
  t.eq(r and r.code, 0)
  t.truthy(wait_for_buffer(dir .. "/two.txt"), "two.txt is open")
  for _ = 1, 100 do
    if buffer_of(dir .. "/one-more.txt") then break end
    smelt.sleep(50)
  end
  t.truthy(buffer_of(dir .. "/one-more.txt"), "a new file opens as an empty buffer for it")
  t.eq(#smelt.buf.list(), before + 2)
end)

t.test("cleanup", function()
  smelt.process.run("rm", { "-rf", dir })
end)

t.run()
