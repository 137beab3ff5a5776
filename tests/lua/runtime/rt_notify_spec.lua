-- rt_notify_spec.lua: smelt.notify, smelt.log and the message history
local t = require("testlib")

t.test("notify keeps messages in the history with their level", function()
  local before = #smelt.messages()
  smelt.notify("saved", "info")
  smelt.notify("careful", "warn")
  smelt.notify("plain")
  smelt.notify("numeric level", smelt.log.levels.ERROR)
  local m = smelt.messages()
  t.eq(#m, before + 4)
  t.eq(m[before + 1].level, "info"); t.eq(m[before + 1].message, "saved")
  t.eq(m[before + 2].level, "warn")
  t.eq(m[before + 3].level, "info")
  t.eq(m[before + 4].level, "error")
  t.eq(type(m[before + 1].time_ms), "number")
end)

t.test("bad levels and messages name the function", function()
  t.raises("bad argument #2 to 'smelt.notify' (level must be \"debug\", \"info\", \"warn\" or \"error\", got loud)", smelt.notify, "x", "loud")
  t.raises("bad argument #1 to 'smelt.notify' (string expected, got table)", smelt.notify, {})
end)

t.test("log functions accept any values, like print", function()
  smelt.log.debug("debug", 1, nil, {})
  smelt.log.info("info", true)
  t.eq(smelt.log.levels.WARN, 2)
end)

t.test("uncaught task errors land in the history too", function()
  local h = smelt.spawn(function() error("kept in history") end)
  smelt.sleep(1)
  local found = false
  for _, m in ipairs(smelt.messages()) do
    if m.level == "error" and m.message:find("kept in history", 1, true) then found = true end
  end
  t.truthy(found)
end)

t.test("a message is kept whole: every line, any length, with its wall-clock time", function()
  local long = ("a reason %s\nline two\nline three"):format(("x"):rep(2000))
  local before = os.time()
  smelt.notify(long, "error")
  local m = smelt.messages()[#smelt.messages()]
  t.eq(m.message, long)
  t.truthy(m.time >= before - 1 and m.time <= os.time() + 1, "seconds since the epoch: " .. tostring(m.time))
  t.eq(m.traceback, nil, "a notification has no traceback")
end)

t.test("an uncaught error keeps its traceback beside its message", function()
  local function deep() error("the reason, in full") end
  smelt.spawn(function() deep() end)
  smelt.sleep(1)
  local m = smelt.messages()[#smelt.messages()]
  t.eq(m.level, "error")
  t.contains(m.message, "the reason, in full")
  t.contains(m.traceback or "", "the reason, in full")
  t.contains(m.traceback or "", "stack traceback:")
  t.contains(m.traceback or "", "in upvalue 'deep'")
end)

t.test("an error of plain code (a timer's callback) keeps every line of its message", function()
  smelt.timer.set(1, function() error("line one\nline two of the reason") end)
  smelt.sleep(5)
  local m = smelt.messages()[#smelt.messages()]
  t.eq(m.level, "error")
  t.contains(m.message, "line one\nline two of the reason")
  t.truthy(not m.message:find("stack traceback:", 1, true), "the stack is apart: " .. m.message)
  t.contains(m.traceback or "", "stack traceback:")
end)

t.test(":Messages prints every message whole, newest last, with its time, level and traceback", function()
  local p = os.tmpname()
  -- the command's output goes to stdout: a second smelt runs it, so it does not mix with TAP
  local script = p .. ".lua"
  local f = assert(io.open(script, "w"))
  f:write([[
    smelt.notify("first\nits second line", "warn")
    smelt.spawn(function() error("a task's reason") end)
    smelt.sleep(1)
    smelt.notify("newest", "info")
    smelt.cmd.run("Messages")
  ]])
  f:close()
  local r = smelt.process.run(os.getenv("SMELT_EXE"), { "--no-ui", script })
  os.remove(script); os.remove(p)
  local out = r.stdout
  t.truthy(out:find("^%d%d:%d%d:%d%d %[warn%] first\nits second line\n"), out)
  local err_at = out:find("%d%d:%d%d:%d%d %[error%] [^\n]*a task's reason\n")
  t.truthy(err_at, "the error, with its time and level: " .. out)
  t.truthy(out:find("stack traceback:", err_at, true), "its traceback after it: " .. out)
  t.truthy(out:find("%d%d:%d%d:%d%d %[info%] newest\n$"), "the newest last: " .. out)
end)

t.run()
