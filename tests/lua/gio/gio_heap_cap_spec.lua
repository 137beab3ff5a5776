-- gio_heap_cap_spec.lua: with the Lua heap at its cap, a big result delivered by the host is a memory error in the waiting task, never an abort
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run with --lua-memory-mb 8 (tests/lua/meson.build).
local t = require("testlib")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local big = dir .. "/three-mb.txt"
local CAP_KB = 8 * 1024   -- --lua-memory-mb 8
assert(os.execute("head -c 3000000 /dev/zero | tr '\\0' x > " .. big))

-- Fills the heap with 64 KB strings until an allocation fails, then frees
-- about 1 MB so the spec itself can go on: a 3 MB result cannot fit.
local function fill_heap()
  local filler = {}
  -- garbage first: collected after the fill, it would leave room past 1 MB
  -- (how much depends on what the runtime left behind: 2.5 MB seen)
  collectgarbage()
  pcall(function()
    while true do filler[#filler + 1] = ("y"):rep(65536 - 32) .. #filler end
  end)
  for _ = 1, 16 do filler[#filler] = nil end
  collectgarbage()
  -- the collection also takes garbage the fill left (2 MB of it seen):
  -- fill that back, so about 1 MB is free whatever the runtime left
  while CAP_KB - collectgarbage("count") > 1024 + 128 do
    filler[#filler + 1] = ("z"):rep(65536 - 32)
  end
  return filler
end

-- Runs fn with the heap full; returns pcall's results, the heap released.
local function with_full_heap(fn)
  local filler = fill_heap()
  local r = table.pack(pcall(fn))
  filler = nil
  collectgarbage()
  return table.unpack(r, 1, r.n)
end

t.test("a 3 MB line from a process (p:lines) is a memory error in the task", function()
  local p = assert(smelt.process.spawn("sh", { "-c", "sleep 0.2; tr '\\0' x < /dev/zero | head -c 3000000; echo" }))
  local ok, err = with_full_heap(function() return #p:lines()() end)
  t.eq(ok, false)
  t.contains(tostring(err), "not enough memory")
  p:wait()
end)

t.test("a 3 MB fs.read is a memory error in the task", function()
  local ok, err = with_full_heap(function() return #smelt.fs.read(big) end)
  t.eq(ok, false)
  t.contains(tostring(err), "not enough memory")
end)

t.test("with room again, the same reads work", function()
  collectgarbage()
  -- 3 MB fits once the heap is free (8 MB cap)
  t.eq(#smelt.fs.read(big), 3000000)
end)

t.test("cleanup", function()
  os.execute("rm -rf " .. dir)
end)

t.run()
