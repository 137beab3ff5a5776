-- w2-spawn.lua: W2, 100,000 tasks; task i sleeps (i % 100) ms once, then ends
-- SPDX-License-Identifier: GPL-3.0-or-later
for i = 1, 100000 do
  smelt.spawn(function() smelt.sleep(i % 100) end)
end
