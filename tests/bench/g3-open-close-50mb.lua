-- g3-open-close-50mb.lua: opens and closes a 50 MB file 4 times; prints the RSS (MB) after each
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/bench/run.sh under Xvfb: smelt --test-script g3-open-close-50mb.lua
-- A closed buffer's text must go with it: the RSS stays flat from the
-- first close on (it grew by 150 to 190 MB a time when a closed tab's view,
-- held by its own gutters, kept the buffer alive).
local path = os.tmpname()
assert(smelt.process.run("sh", { "-c", "yes 'the quick brown fox jumps over the lazy dog, again' | head -c 52428800 > " .. path }).code == 0)
local function rss()
  for line in io.lines("/proc/self/status") do
    local kb = line:match("^VmRSS:%s+(%d+)")
    if kb then return tonumber(kb) // 1024 end
  end
end
local out = {}
for i = 1, 4 do
  local b = smelt.buf.open(path)
  smelt.sleep(500)
  b:close({ force = true })
  smelt.sleep(500)
  collectgarbage()
  out[#out + 1] = rss()
end
os.remove(path)
io.stdout:write(table.concat(out, " ") .. "\n")
smelt.quit(0)
