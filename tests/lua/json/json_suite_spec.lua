-- json_suite_spec.lua: smelt.json.decode against JSONTestSuite's test_parsing files
-- (nst/JSONTestSuite, vendored under JSONTestSuite/, MIT licence there)
local t = require("testlib")
local json = smelt.json

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")
local dir = here .. "/JSONTestSuite/test_parsing"

local names = {}
do
  local ls = assert(io.popen("ls '" .. dir .. "'"))
  for name in ls:lines() do
    names[#names + 1] = name
  end
  ls:close()
end

local function read(name)
  local f = assert(io.open(dir .. "/" .. name, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function outcome(name)
  local ok, err = pcall(json.decode, read(name))
  return ok, err
end

t.test("the suite is there: 95 y_, 188 n_ and 35 i_ files", function()
  local count = { y = 0, n = 0, i = 0 }
  for _, name in ipairs(names) do
    local k = name:sub(1, 1)
    count[k] = count[k] + 1
  end
  t.eq(count.y, 95); t.eq(count.n, 188); t.eq(count.i, 35)
end)

t.test("every y_ file is accepted", function()
  local failed = {}
  for _, name in ipairs(names) do
    if name:sub(1, 2) == "y_" then
      local ok, err = outcome(name)
      if not ok then failed[#failed + 1] = name .. ": " .. tostring(err) end
    end
  end
  t.eq(table.concat(failed, "\n"), "")
end)

t.test("every n_ file is rejected with a positioned message", function()
  local failed = {}
  for _, name in ipairs(names) do
    if name:sub(1, 2) == "n_" then
      local ok, err = outcome(name)
      if ok then
        failed[#failed + 1] = name .. ": accepted"
      elseif type(err) ~= "string" or not err:match("^smelt%.json%.decode: line %d+, column %d+: .") then
        failed[#failed + 1] = name .. ": " .. tostring(err)
      end
    end
  end
  t.eq(table.concat(failed, "\n"), "")
end)

-- The i_ files are the implementation's choice; these are smelt's (lua/doc/json.txt).
t.test("i_: lone or misordered surrogate escapes are rejected", function()
  for _, name in ipairs(names) do
    if name:match("^i_.*surrogate") and not name:match("UTF8_surrogate") then
      local ok, err = outcome(name)
      t.falsy(ok, name)
      t.contains(err, "surrogate", name)
    end
  end
end)

t.test("i_: text that is not UTF-8 is rejected", function()
  for _, name in ipairs({ "i_string_UTF-8_invalid_sequence.json", "i_string_UTF8_surrogate_U+D800.json",
      "i_string_invalid_utf-8.json", "i_string_iso_latin_1.json", "i_string_lone_utf8_continuation_byte.json",
      "i_string_not_in_unicode_range.json", "i_string_overlong_sequence_2_bytes.json",
      "i_string_overlong_sequence_6_bytes.json", "i_string_overlong_sequence_6_bytes_null.json",
      "i_string_truncated-utf-8.json", "i_string_UTF-16LE_with_BOM.json", "i_string_utf16BE_no_BOM.json",
      "i_string_utf16LE_no_BOM.json", "i_structure_UTF-8_BOM_empty_object.json" }) do
    t.falsy((outcome(name)), name)
  end
end)

t.test("i_: integers beyond 64 bits become floats, overflowing floats are rejected", function()
  for _, name in ipairs({ "i_number_too_big_neg_int.json", "i_number_too_big_pos_int.json",
      "i_number_very_big_negative_int.json" }) do
    local v = json.decode(read(name))
    t.eq(math.type(v[1]), "float", name)
  end
  t.eq(json.decode(read("i_number_too_big_pos_int.json"))[1], 1e20)
  for _, name in ipairs({ "i_number_huge_exp.json", "i_number_neg_int_huge_exp.json",
      "i_number_pos_double_huge_exp.json", "i_number_real_neg_overflow.json", "i_number_real_pos_overflow.json" }) do
    local ok, err = outcome(name)
    t.falsy(ok, name)
    t.contains(err, "number out of range", name)
  end
  t.eq(json.decode(read("i_number_real_underflow.json"))[1], 0.0)
  t.eq(json.decode(read("i_number_double_huge_neg_exp.json"))[1], 0.0)
end)

t.test("i_: 500 nested arrays are accepted", function()
  local v = json.decode(read("i_structure_500_nested_arrays.json"))
  for _ = 1, 499 do v = v[1] end
  t.eq(#v, 0)
  t.eq(getmetatable(v).__jsontype, "array")
end)

t.run()
