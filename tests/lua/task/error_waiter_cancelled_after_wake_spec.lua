-- error_waiter_cancelled_after_wake_spec.lua: an error whose only waiter is cancelled after the
-- failure woke it, before it ran, is reported (found by task_prop_spec, seed 1850: the error
-- counted as taken, the waiter raised "cancelled", and the error was lost)
local t = require("testlib")

local function reports(name)
  local lines = {}
  for _, m in ipairs(smelt.messages()) do
    if m.level == "error" and m.message:sub(1, #name + 2) == name .. ": " then
      lines[#lines + 1] = m.message
    end
  end
  return lines
end

--- failing fails on its second turn; the waiter parks on it; the canceller,
--- queued behind the failure, cancels the woken waiter before it runs
local function scenario(name, cancel_waiter)
  local waiter
  local failing = smelt.spawn(function()
    smelt.task.name(name)
    smelt.sleep(0)
    error("lost " .. name, 0)
  end)
  waiter = smelt.spawn(function() return failing:wait() end)
  local canceller = smelt.spawn(function()
    smelt.sleep(0)
    if cancel_waiter then waiter:cancel() end
  end)
  local ok, err = pcall(waiter.wait, waiter)
  canceller:wait()
  return failing, waiter, ok, err
end

t.test("the woken waiter is cancelled before it runs: the error is reported", function()
  local failing, waiter, ok, err = scenario("woken-then-cancelled", true)
  t.falsy(ok)
  t.eq(err, "cancelled")
  t.eq(waiter:status(), "cancelled")
  t.eq(failing:status(), "failed")
  t.same(reports("woken-then-cancelled"), { "woken-then-cancelled: lost woken-then-cancelled" })
end)

t.test("the woken waiter runs: it takes the error, which is not reported", function()
  local failing, waiter, ok, err = scenario("woken-and-taken", false)
  t.falsy(ok)
  t.eq(err, "lost woken-and-taken")
  t.same(reports("woken-and-taken"), {})
end)

t.test("two waiters, one cancelled after the wake: the other takes the error", function()
  local w1, w2
  local failing = smelt.spawn(function()
    smelt.task.name("two-waiters")
    smelt.sleep(0)
    error("taken by w2", 0)
  end)
  w1 = smelt.spawn(function() return failing:wait() end)
  w2 = smelt.spawn(function() return failing:wait() end)
  smelt.spawn(function() smelt.sleep(0); w1:cancel() end)
  t.eq(select(2, pcall(w2.wait, w2)), "taken by w2")
  t.eq(select(2, pcall(w1.wait, w1)), "cancelled")
  t.same(reports("two-waiters"), {})
end)

t.run()
