-- j1-decode-10mb.lua: decodes a generated 10 MB JSON document once; prints "seconds bytes"
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/bench/run.sh twice per round: by smelt --no-ui (smelt.json.decode)
-- and, for the baseline, by lua5.4 with lua-cjson (Debian's lua-cjson).
-- The document: records of integers, floats, strings with escapes and
-- non-ASCII text, booleans, null, nested arrays and objects.
local decode = smelt and smelt.json.decode or require("cjson").decode

local parts, size, i = {}, 0, 0
while size < 10 * 1024 * 1024 do
  i = i + 1
  local s = string.format('{"id":%d,"name":"item \\u00e9 %d","score":%.6f,"tags":["a","b\\n","c"],'
    .. '"ok":%s,"none":null,"pos":{"x":%d,"y":-%d},"note":"caf\195\169 \\"quoted\\" %d"}',
    i, i, i / 7, i % 2 == 0 and "true" or "false", i * 3, i, i)
  parts[#parts + 1] = s
  size = size + #s + 2
end
local text = "[" .. table.concat(parts, ",\n") .. "]"
parts = nil
collectgarbage()

local started = os.clock()
local doc = decode(text)
local seconds = os.clock() - started
assert(#doc == i)
io.stdout:write(("%.4f %d\n"):format(seconds, #text))
if smelt then smelt.quit(0) end
