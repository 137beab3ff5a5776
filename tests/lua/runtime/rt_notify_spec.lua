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

t.run()
