-- rt_readme_spec.lua: README.md stays a front door (at most 250 lines), and its plugin runs as printed
-- SPDX-License-Identifier: LGPL-2.1-or-later
-- Real clock: the plugin reads files through GIO under a timeout.
local t = require("testlib")

local root = os.getenv("SMELT_RUNTIME_DIR"):gsub("/lua/?$", "")
local readme_path = root .. "/README.md"

local function readme()
  local f = assert(io.open(readme_path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end

t.test("README.md has at most 250 lines", function()
  local n = select(2, readme():gsub("\n", ""))
  t.truthy(n <= 250, ("README.md has %d lines: the reference goes in lua/doc/, history in NEWS"):format(n))
end)

-- The plugin: the ```lua block between <!-- readme-plugin --> and <!-- /readme-plugin -->.
local function plugin_code()
  local block = readme():match("<!%-%- readme%-plugin %-%->(.-)<!%-%- /readme%-plugin %-%->")
  assert(block, "README.md has no <!-- readme-plugin --> ... <!-- /readme-plugin --> block")
  return assert(block:match("```lua\n(.-)```"), "no ```lua block between the markers")
end

t.test("the README's plugin, run as printed: :Todo counts the TODO lines of files read at once", function()
  local code = plugin_code()
  t.truthy(select(2, code:gsub("\n", "")) <= 30, "about 20 lines")
  local dir = os.tmpname()
  os.remove(dir)
  assert(smelt.fs.mkdir(dir))
  assert(smelt.fs.write(dir .. "/a.c", "int x;\n// TODO: free x\nint y; /* TODO */\n"))
  assert(smelt.fs.write(dir .. "/b.lua", "-- nothing to do\nlocal TODO = 1\n"))
  assert(load(code, "=README.md plugin", "t"))()
  local before = #smelt.messages()
  smelt.cmd.run(("Todo %s/a.c %s/b.lua"):format(dir, dir)):wait()
  local msgs = smelt.messages()
  t.eq(#msgs, before + 1, "one message")
  t.eq(msgs[#msgs].message, "3 TODOs: a.c:2, a.c:3, b.lua:2")
  t.eq(msgs[#msgs].level, "info")
  local ok, err = pcall(function() smelt.cmd.run("Todo " .. dir .. "/missing.txt"):wait() end)
  t.falsy(ok, "a file that cannot be read")
  t.contains(tostring(err), "missing.txt")
  smelt.cmd.del("Todo")
  os.remove(dir .. "/a.c"); os.remove(dir .. "/b.lua"); os.remove(dir)
end)

t.run()
