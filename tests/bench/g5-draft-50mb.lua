-- g5-draft-50mb.lua: an edit of a 50 MB file reaches its draft; prints "draft_ms worst_gap_ms"
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/bench/run.sh under Xvfb, without --clean and with a state folder of its own:
-- smelt --test-script g5-draft-50mb.lua. draft_ms is from the edit to the draft on disk
-- (the window's text-changed comes 300 ms after it); a 16 ms timer runs meanwhile, and its
-- worst gap is how long the window froze (a copy of the text in one go held it 166 ms).
local path = os.tmpname()
assert(smelt.process.run("sh", { "-c",
  "yes 'the quick brown fox jumps over the lazy dog, again' | head -c 52428790 > " .. path }).code == 0)
local b = smelt.buf.open(path)
smelt.sleep(2000)   -- the layout after the load
local drafts = smelt.stdpath("state") .. "/drafts"
local function draft()
  for _i, e in ipairs(smelt.fs.list(drafts) or {}) do
    if e.name:match("%.draft$") and e.name:sub(1, 1) ~= "." and e.size > 52428790 then return true end
  end
end
local stop = require("gap_probe").start()
local started = smelt.now()
b:insert(1, 1, "x")
while not draft() do smelt.sleep(5) end
local draft_ms = smelt.now() - started
smelt.sleep(500)
local worst = stop()
os.remove(path)
io.stdout:write(("%.0f %.0f\n"):format(draft_ms, worst))
smelt.quit(0)
