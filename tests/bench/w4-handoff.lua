-- w4-handoff.lua: W4, two tasks hand a value back and forth with task.wait and
-- SPDX-License-Identifier: GPL-3.0-or-later
-- task.resume 1,000,000 times (2,000,000 wakeups)
local N = tonumber(arg and arg[1]) or 1000000
local task = smelt.task
local slot = {}

local function player(me, other)
  return function()
    for i = 1, N do
      local id = task.alloc()
      slot[me] = id
      local peer = slot[other]
      if peer then
        slot[other] = nil
        task.resume(peer, i)
      end
      task.wait(id)
    end
    local peer = slot[other]
    if peer then task.resume(peer, 0) end
  end
end

smelt.spawn(player("a", "b"))
smelt.spawn(player("b", "a"))
