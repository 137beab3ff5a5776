-- w1-sleep0.lua: W1, 100 tasks each doing 10,000 smelt.sleep(0): 1,000,000 wakeups through the loop
-- SPDX-License-Identifier: GPL-3.0-or-later
local tasks, rounds = 100, tonumber(arg and arg[1]) or 10000
for _ = 1, tasks do
  smelt.spawn(function()
    for _ = 1, rounds do smelt.sleep(0) end
  end)
end
