-- w6-queue.lua: W6, 1,000,000 items through a smelt.task.queue(1) between a producer and a consumer
-- SPDX-License-Identifier: GPL-3.0-or-later
-- (issue 14's bound: at most 1.5 times W4's time)
local N = tonumber(arg and arg[1]) or 1000000
local q = smelt.task.queue(1)

smelt.spawn(function()
  for i = 1, N do q:put(i) end
  q:close()
end)
smelt.spawn(function()
  local sum = 0
  for v in q:iter() do sum = sum + v end
  assert(sum == N * (N + 1) // 2, "every item arrived once")
end)
