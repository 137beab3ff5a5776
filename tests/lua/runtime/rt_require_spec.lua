-- rt_require_spec.lua: require follows the live runtime path
local t = require("testlib")

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

t.test("the runtime path ends with the bundled runtime", function()
  local rtp = smelt.runtimepath()
  t.truthy(#rtp >= 1)
  t.truthy(rtp[#rtp]:match("/lua$"), rtp[#rtp])
end)

t.test("stdpath names smelt's folder of each XDG kind; the config one is the runtime path's first", function()
  t.eq(smelt.stdpath("config"), os.getenv("XDG_CONFIG_HOME") .. "/smelt")   -- set by tests/lua/meson.build
  t.eq(smelt.stdpath("config"), smelt.runtimepath()[1])
  t.eq(smelt.stdpath("data"), os.getenv("XDG_DATA_HOME") .. "/smelt")
  local state = os.getenv("XDG_STATE_HOME")
  t.eq(smelt.stdpath("state"), (state and state ~= "" and state or os.getenv("HOME") .. "/.local/state") .. "/smelt")
  local cache = os.getenv("XDG_CACHE_HOME")
  t.eq(smelt.stdpath("cache"), (cache and cache ~= "" and cache or os.getenv("HOME") .. "/.cache") .. "/smelt")
  t.raises([[bad argument #1 to 'smelt.stdpath' ("config", "data", "state" or "cache" expected, got "home")]],
    smelt.stdpath, "home")
  t.raises([[bad argument #1 to 'smelt.stdpath' ("config", "data", "state" or "cache" expected, got nil)]],
    smelt.stdpath)
end)

t.test("require finds lua/x.lua and lua/x/init.lua in entries added after startup", function()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir .. "/lua/pkg"))
  write(dir .. "/lua/flat_mod_for_spec.lua", "return { kind = 'flat' }")
  write(dir .. "/lua/pkg/init.lua", "return { kind = 'package', sub = require('pkg.sub') }")
  write(dir .. "/lua/pkg/sub.lua", "return 'sub'")
  t.falsy(pcall(require, "flat_mod_for_spec"))
  table.insert(smelt.runtimepath(), dir)
  t.eq(require("flat_mod_for_spec").kind, "flat")
  local pkg = require("pkg")
  t.eq(pkg.kind, "package")
  t.eq(pkg.sub, "sub")
  os.execute("rm -rf " .. dir)
end)

t.test("a missing module's error lists the runtime path", function()
  local ok, err = pcall(require, "surely_not_there")
  t.falsy(ok)
  t.contains(err, "(runtimepath)")
end)

t.run()
