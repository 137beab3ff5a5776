-- ext_spec.lua: loadable C extensions resolve Lua tasks through the sink, from worker threads
local t = require("testlib")
local entry = os.getenv("SMELT_TEST_EXT_ENTRY")
table.insert(smelt.runtimepath(), entry)

t.test("load registers the extension's functions in smelt.ext", function()
  local path = smelt.ext.load("sleepy")
  t.contains(path, "/ext/sleepy.so")
  t.eq(type(smelt.ext.slow_square), "function")
  t.eq(smelt.ext.load("sleepy"), path, "loading twice is harmless")
end)

t.test("a worker thread resolves the task", function()
  t.eq(smelt.ext.slow_square(7, 20), 49)
end)

t.test("1,000 concurrent calls from task.all all resolve correctly", function()
  local fns = {}
  for i = 1, 1000 do
    fns[i] = function() return smelt.ext.slow_square(i, 0) end
  end
  local r = smelt.task.all(table.unpack(fns))
  t.eq(r.n, 1000)
  for i = 1, 1000 do
    if r[i] ~= i * i then t.eq(r[i], i * i, "call " .. i) end
  end
end, { timeout = 60000 })

t.test("a rejection raises { domain, code, message }", function()
  local ok, err = pcall(smelt.ext.sleepy_fail)
  t.falsy(ok)
  t.eq(err.domain, "g-io-error-quark"); t.eq(err.code, 1); t.eq(err.message, "nothing here")
end)

t.test("cancelling the Lua task cancels the GCancellable: the worker stops early", function()
  local before = smelt.ext.sleepy_stats()
  local v, err = smelt.task.timeout(30, function() return smelt.ext.slow_square(3, 10000) end)
  t.eq(err, "timeout")
  smelt.sleep(300)
  t.eq(smelt.ext.sleepy_stats(), before + 1)
end, { timeout = 20000 })

t.test("arguments that cannot be converted give an error naming them", function()
  t.raises("smelt.ext.slow_square: args[2]: cannot convert a function value", smelt.ext.slow_square, 1, print)
  local cyc = {}; cyc.self = cyc
  t.raises("args[1].self: cannot convert a table that contains itself (a cycle)", smelt.ext.slow_square, cyc)
  t.raises("args[1].x: cannot convert a table with mixed keys", smelt.ext.slow_square, { x = { 1, a = 2 } })
end)

t.test("broken modules give clear errors naming the file and the reason", function()
  t.raises("noabi.so: not a smelt extension", smelt.ext.load, "noabi")
  t.raises("badabi.so: built for extension ABI 99, but this smelt has ABI 1", smelt.ext.load, "badabi")
  t.raises("noinit.so: no entry point smelt_extension_init", smelt.ext.load, "noinit")
  t.raises("initfails.so: smelt_extension_init failed: the device is not there", smelt.ext.load, "initfails")
  t.raises("smelt.ext.load: no extension 'missing'", smelt.ext.load, "missing")
  t.raises("bad argument #1 to 'smelt.ext.load' (extension name expected, got '../x')", smelt.ext.load, "../x")
end)

t.run()
