-- pending_spec.lua: a task waiting on buffer I/O or a dialog: cancelling it cancels the operation; a big answer at the heap cap is a memory error
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh with --lua-memory-mb 16 (tests/gui/meson.build).
local t = require("testlib")
local gui = require("guitest")
local wait_for = gui.wait_for

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

local function ls(path)
  local r = smelt.process.run("ls", { "-A", path })
  return r.stdout
end

local function sh(cmd)
  local r = smelt.process.run("sh", { "-c", cmd })
  assert(r.code == 0, cmd .. ": " .. r.stderr)
  return r.stdout
end

t.test("cancelling a task that waits on buf:save() cancels the write: the file keeps its text", function()
  local p = dir .. "/big.txt"
  -- 40 MB of short lines, made outside Lua (the heap is capped): the saver
  -- takes many main-loop turns over it
  sh(("{ echo 'the old text'; yes 'a line of text to be saved, with nothing else in it at all' | head -c 40000000; } > %s"):format(p))
  local b = smelt.buf.open(p)
  -- how long a whole save takes on this machine now
  b:insert(1, 1, "x")
  local t0 = smelt.now()
  t.truthy(b:save())
  local whole = smelt.now() - t0
  b:set_lines(1, 1, { "the old text" })
  t.truthy(b:save())
  local size = sh("stat -c %s " .. p)
  b:insert(1, 1, "new ")
  local h = smelt.spawn(function() return b:save() end)
  -- the save is under way once the task waits on it (not on the buf-write-pre handlers)
  t.truthy(gui.wait_until_parked_on(h, "buffer:save " .. p, 60),
    "the task waits on the save (it waits on " .. tostring(gui.waiting_on(h)) .. ")")
  h:cancel()
  local ok, err = pcall(h.wait, h)
  t.eq(ok, false)
  t.contains(tostring(err), "cancelled")
  -- three times as long as a whole save: an uncancelled one has ended
  smelt.sleep(math.max(3 * whole, 500))
  t.eq(sh("head -c 13 " .. p), "the old text\n", "the file is as it was")
  t.eq(sh("stat -c %s " .. p), size)
  t.eq(ls(dir), "big.txt\n", "no temporary file is left")
  t.truthy(b:modified(), "the buffer still has unsaved changes")
  -- a save that is not cancelled writes it
  t.truthy(b:save())
  t.eq(sh("head -c 17 " .. p), "new the old text\n")
  b:close({ force = true })
end, { timeout = 400000 })   -- a hang guard: under ASan a 40 MB load and 3 saves take minutes

-- Fills the heap until an allocation fails, then frees about `headroom`
-- bytes; returns the filler, which must stay alive.
local function fill_heap(headroom)
  -- objects with finalizers (buffers, processes) go only in a full cycle
  -- after theirs ran, and an emergency collection runs none: the heap must
  -- hold none of them, or the collection the delivery makes frees room
  collectgarbage()
  collectgarbage()
  -- the table has its slots before the heap fills: one it had to grow
  -- then would fail with room left (up to a doubling of its array), and
  -- neither the smaller strings nor the room freed below would be as meant
  local filler, n = {}, 0
  for i = 1, 16384 do filler[i] = false end
  for _, size in ipairs({ 65536, 4096, 256 }) do
    pcall(function()
      while true do
        -- long strings only: a number made a string is short, and interned;
        -- the string table's growth (a 32-64 KB allocation) then failed
        -- before the heap was full, by how many strings the runtime holds
        filler[n + 1] = ("y"):rep(size - 32)
        n = n + 1
      end
    end)
  end
  local freed = 0
  while freed < headroom do
    freed = freed + #filler[n]
    filler[n] = false
    n = n - 1
  end
  collectgarbage()
  return filler
end

t.test("a big dialog answer with the heap at its cap is a memory error in the task; smelt goes on", function()
  -- 60 KB: an entry holds up to 65535 characters
  local answer = ("é"):rep(30000)
  local h = smelt.spawn(function()
    local ok, err = pcall(smelt.ui.input, { prompt = "Big answer", default = answer })
    return { ok = ok, err = tostring(err) }
  end)
  local win = assert(gui.find_window("Big answer"), "the dialog")
  gui.focus(win)
  smelt.sleep(50)
  -- the heap filled first; then the key, from a process started with
  -- the room left (its own garbage goes in the collection the delivery
  -- makes before it measures). The default stays referenced: once the
  -- dialog has it, nothing else may hold it (smelt.ui.input tail-calls
  -- into C), and the delivery's collection freeing it would make just the
  -- room the answer, as big, needs.
  local filler = fill_heap(32 * 1024)
  smelt.process.spawn("xdotool", { "key", "Return" })
  local r = h:wait()
  filler = nil
  collectgarbage()
  t.eq(#answer, 60000)
  t.eq(r.ok, false, "the task's pcall caught an error (it got " .. r.err:sub(1, 40) .. ")")
  t.contains(r.err, "not enough memory")
  -- the editor goes on: another dialog answers normally
  local h2 = smelt.spawn(function() return smelt.ui.input({ prompt = "Small answer", default = "" }) end)
  gui.type_into("Small answer", "fine", "Return")
  t.eq(h2:wait(), "fine")
end)

t.test("cleanup", function()
  smelt.process.run("rm", { "-rf", dir })
end)

t.run()
