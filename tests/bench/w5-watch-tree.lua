-- w5-watch-tree.lua: W5, the longest main-loop stall while a recursive smelt.fs.watch is set up on 2,040 folders
-- SPDX-License-Identifier: GPL-3.0-or-later
-- usage: smelt --no-ui w5-watch-tree.lua [TOP] [SUB]   (TOP folders of SUB folders each: 40 x 50 + 40 = 2,040)
-- Prints "setup_ms worst_gap_ms": how long until every folder is watched
-- (w:ready() where the handle has it; the call itself where the walk is
-- synchronous) and the longest gap between the ticks of a 1 ms timer from
-- just before the call to the end of the setup.
local top, sub = tonumber(arg[1]) or 40, tonumber(arg[2]) or 50
local dir = os.tmpname()
os.remove(dir)

smelt.spawn(function()
  local r = smelt.process.run("sh", { "-c", ("mkdir %s && cd %s && for i in $(seq %d); do for j in $(seq %d); do echo $i/$j; done; done | xargs mkdir -p")
    :format(dir, dir, top, sub) })
  assert(r.code == 0, r.stderr)
  smelt.sleep(50)   -- let the loop settle after the process

  local worst, last = 0, smelt.now()
  local timer = smelt.timer.every(1, function()
    local now = smelt.now()
    worst = math.max(worst, now - last)
    last = now
  end)
  smelt.sleep(20)   -- the probe's own baseline

  local started = smelt.now()
  local w = smelt.fs.watch(dir, function() end, { recursive = true })
  if w.ready then w:ready() end
  local setup_ms = smelt.now() - started
  smelt.sleep(20)
  timer:remove()
  worst = math.max(worst, smelt.now() - last)

  w:remove()
  smelt.process.run("rm", { "-rf", dir })
  print(("%.1f %.1f"):format(setup_ms, worst))
  smelt.quit(0)
end)
