-- error_report_spec.lua: how an uncaught error value reads in its report
-- (issue 10 item 9b: error({ code = 42 }) read "(error object is a table value)")
local t = require("testlib")

--- the message of the one report of the task named `name`
local function report_of(name)
  local found
  for _, m in ipairs(smelt.messages()) do
    if m.level == "error" and m.message:sub(1, #name + 2) == name .. ": " then
      t.eq(found, nil, "reported once")
      found = m.message:sub(#name + 3)
    end
  end
  return found
end

local function uncaught(name, value)
  smelt.spawn(function() smelt.task.name(name); error(value, 0) end)
  smelt.sleep(1)
  return report_of(name)
end

t.test("a table shows its fields", function()
  t.eq(uncaught("tbl-code", { code = 42 }), "{ code = 42 }")
  t.eq(uncaught("tbl-mixed", { "a", 2, code = "E_X", ok = false }),
       '{ "a", 2, code = "E_X", ok = false }')
  t.eq(uncaught("tbl-empty", {}), "{}")
  t.eq(uncaught("tbl-keys", { [1.5] = 1, ["two words"] = 2 }), '{ ["two words"] = 2, [1.5] = 1 }')
end)

t.test("nested tables show two levels, and a cycle does not loop", function()
  local cyc = { name = "cyc" }
  cyc.self = cyc
  t.eq(uncaught("tbl-nested", { err = { code = 1, deep = { x = 1 } } }),
       "{ err = { code = 1, deep = {...} } }")
  t.eq(uncaught("tbl-cycle", cyc), '{ name = "cyc", self = { name = "cyc", self = {...} } }')
end)

t.test("a long table is cut short", function()
  local big = {}
  for i = 1, 500 do big[i] = i end
  local s = uncaught("tbl-big", big)
  t.truthy(#s < 400, "at most a few hundred characters, got " .. #s)
  t.contains(s, "{ 1, 2, 3, ")
  t.contains(s, "...")
end)

t.test("__tostring is used when the table has one", function()
  local mt = { __tostring = function(e) return "MyError(" .. e.code .. ")" end }
  t.eq(uncaught("tbl-tostring", setmetatable({ code = 5 }, mt)), "MyError(5)")
end)

t.test("a __tostring that raises or returns no string falls back to the fields", function()
  t.eq(uncaught("tbl-tostring-raises",
                setmetatable({ code = 6 }, { __tostring = function() error("nope") end })),
       "{ code = 6 }")
  t.eq(uncaught("tbl-tostring-number",
                setmetatable({ code = 7 }, { __tostring = function() return 7 end })),
       "{ code = 7 }")
end)

t.test("__name is shown, __index and __pairs are not run", function()
  local mt = { __name = "MyError", __index = function() error("ran __index") end,
               __pairs = function() error("ran __pairs") end }
  t.eq(uncaught("tbl-name", setmetatable({ code = 8 }, mt)), "MyError { code = 8 }")
end)

t.test("other values", function()
  t.eq(uncaught("val-nil", nil), "(error object is nil)")
  t.eq(uncaught("val-bool", false), "false")
  t.eq(uncaught("val-fn", print):match("^function: "), "function: ")
end)

t.run()
