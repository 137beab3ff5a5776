-- spawn_many_args_spec.lua: smelt.spawn with more arguments than a coroutine's stack starts with
-- (issue 10: lua_xmove without lua_checkstack wrote past a pooled coroutine's stack)
local t = require("testlib")

local function count_and_last(n)
  local args = {}
  for i = 1, n do args[i] = i end
  local h = smelt.spawn(function(...)
    return ("%d %s"):format(select("#", ...), tostring((select(n, ...))))
  end, table.unpack(args, 1, n))
  return h:wait()
end

t.test("30 arguments onto a coroutine a cancelled task left in the pool", function()
  local h = smelt.spawn(function() smelt.sleep(10) end)
  smelt.sleep(1)
  h:cancel()
  smelt.sleep(1)
  t.eq(count_and_last(30), "30 30")
end)

t.test("many arguments onto a fresh coroutine", function()
  for _, n in ipairs({ 43, 100, 5000 }) do
    t.eq(count_and_last(n), ("%d %d"):format(n, n))
  end
end)

t.test("many arguments onto every pooled coroutine in turn", function()
  local hs = {}
  for i = 1, 20 do hs[i] = smelt.spawn(function() smelt.sleep(10) end) end
  smelt.sleep(1)
  for _, h in ipairs(hs) do h:cancel() end
  smelt.sleep(1)
  for _ = 1, 20 do t.eq(count_and_last(60), "60 60") end
end)

t.run()
