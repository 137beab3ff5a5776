-- cancel_bare_yield_spec.lua: a bare coroutine.yield() at a task's own level is a park that a
-- cancel interrupts, as smelt.sleep(0) is (found by task_prop_spec: it returned normally, so
-- `while true do coroutine.yield() end` could not be cancelled)
local t = require("testlib")

t.test("a task that cancelled itself raises cancelled at its next bare yield", function()
  local ok, err
  local h2
  h2 = smelt.spawn(function()
    h2:cancel()
    ok, err = pcall(coroutine.yield)
  end)
  pcall(h2.wait, h2)
  t.falsy(ok)
  t.eq(err, "cancelled")
  t.eq(h2:status(), "cancelled")
end)

t.test("a loop of bare yields is cancelled", function()
  local spins = 0
  local h = smelt.spawn(function()
    while true do
      coroutine.yield()
      spins = spins + 1
    end
  end)
  -- sleep(0), not sleep(1): virtual time stands still while a task is ready
  smelt.sleep(0)
  smelt.sleep(0)
  t.truthy(spins > 0)
  h:cancel()
  local ok, err = pcall(h.wait, h)
  local at_cancel = spins
  t.falsy(ok)
  t.eq(err, "cancelled")
  t.eq(h:status(), "cancelled")
  smelt.sleep(0)
  smelt.sleep(0)
  t.eq(spins, at_cancel, "it spins no more")
end)

t.test("a bare yield still lets the loop run once and returns nothing", function()
  local order = {}
  local a = smelt.spawn(function()
    order[#order + 1] = "a1"
    local n = select("#", coroutine.yield("ignored"))
    order[#order + 1] = "a2:" .. n
  end)
  local b = smelt.spawn(function() order[#order + 1] = "b" end)
  a:wait(); b:wait()
  t.same(order, { "a1", "b", "a2:0" })
end)

t.test("a plugin's own coroutine inside a task still yields to its resumer", function()
  local h = smelt.spawn(function()
    local co = coroutine.wrap(function(x)
      local y = coroutine.yield(x + 1)
      return y * 2
    end)
    return co(1) + co(10)
  end)
  t.eq(h:wait(), 22)
end)

t.test("a bare yield where nothing can yield raises Lua's own error", function()
  local h = smelt.spawn(function()
    return select(2, pcall(table.sort, { 3, 1, 2 }, function(a, b) coroutine.yield(); return a < b end))
  end)
  t.contains(h:wait(), "attempt to yield across a C-call boundary")
end)

t.run()
