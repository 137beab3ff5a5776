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
