-- gap_probe.lua: how long the window froze: the longest gap between the ticks of a 16 ms timer
-- SPDX-License-Identifier: GPL-3.0-or-later
-- For the G benchmarks (run.sh puts tests/bench on LUA_PATH):
--   local stop = require("gap_probe").start(); ...; local worst_ms = stop()
local M = {}

--- Starts a 16 ms timer on the scheduler's clock.
---@return fun(): number stop stops it; returns the longest gap between two ticks, in ms
function M.start()
  local worst, last = 0, smelt.now()
  local timer = smelt.timer.every(16, function()
    local now = smelt.now()
    worst = math.max(worst, now - last)
    last = now
  end)
  return function()
    timer:remove()
    return math.max(worst, smelt.now() - last)   -- a freeze just before the stop counts too
  end
end

return M
