-- w3-parked.lua: W3, the cost of a wakeup with 100,000 tasks parked on a 60 s sleep,
-- SPDX-License-Identifier: GPL-3.0-or-later
-- against the same with nothing parked
--
-- One task does 100,000 smelt.sleep(0) with nothing parked, then with 100,000
-- tasks parked on a 60 s sleep (which it then cancels), several rounds in
-- one process so both conditions see the same machine. Prints the median CPU
-- nanoseconds per wakeup of each and their ratio.
-- usage: smelt --no-ui w3-parked.lua [ROUNDS] [PARKED]
local rounds = tonumber(arg[1]) or 5
local parked = tonumber(arg[2]) or 100000
local wakeups = 100000

local function measure()
  local start = os.clock()
  for _ = 1, wakeups do smelt.sleep(0) end
  return (os.clock() - start) / wakeups * 1e9
end

local function median(t)
  table.sort(t)
  return t[(#t + 1) // 2]
end

smelt.spawn(function()
  local empty, full = {}, {}
  for _ = 1, rounds do
    collectgarbage()
    empty[#empty + 1] = measure()
    local sleepers = {}
    for i = 1, parked do
      sleepers[i] = smelt.spawn(function() smelt.sleep(60000) end)
    end
    smelt.sleep(0)   -- let them all park
    collectgarbage()
    full[#full + 1] = measure()
    for i = 1, parked do sleepers[i]:cancel() end
    for i = 1, parked do pcall(sleepers[i].wait, sleepers[i]) end
  end
  local e, f = median(empty), median(full)
  print(("%.1f %.1f %.2f"):format(e, f, f / e))
end)
