-- json_spec.lua: smelt.json.encode and smelt.json.decode, rule by rule
local t = require("testlib")
local json = smelt.json

t.test("decode gives Lua values: objects, arrays, strings, booleans, null", function()
  local v = json.decode('{"a": [1, "two", true, false, null], "b": {"c": "d"}}')
  t.eq(v.a[1], 1); t.eq(v.a[2], "two"); t.eq(v.a[3], true); t.eq(v.a[4], false)
  t.eq(v.a[5], json.null)
  t.eq(#v.a, 5)
  t.eq(v.b.c, "d")
  t.eq(json.decode('"top"'), "top")
  t.eq(json.decode(" 42 "), 42)
  t.eq(json.decode("null"), json.null)
  t.eq(json.decode('{"k":1,"k":2}').k, 2)   -- a key given twice: the last value
end)

t.test("integers stay integers, a fraction or exponent or more than 64 bits makes a float", function()
  t.eq(math.type(json.decode("7")), "integer")
  t.eq(math.type(json.decode("-0")), "integer")
  t.eq(json.decode("9223372036854775807"), math.maxinteger)
  t.eq(json.decode("-9223372036854775808"), math.mininteger)
  t.eq(math.type(json.decode("9223372036854775808")), "float")
  t.eq(math.type(json.decode("1.0")), "float")
  t.eq(math.type(json.decode("1e2")), "float")
  t.eq(json.decode("1E2"), 100.0)
  t.eq(json.decode("-2.5e-3"), -0.0025)
end)

t.test("escapes decode, surrogate pairs included", function()
  t.eq(json.decode([["\"\\\/\b\f\n\r\t\u0041\u00e9\u20ac"]]), "\"\\/\b\f\n\r\tAé€")
  t.eq(json.decode([["\ud83d\ude00"]]), "😀")
  t.eq(json.decode([["\uD834\uDD1E"]]), "\u{1D11E}")
  t.eq(json.decode([["a\u0000b"]]), "a\0b")
  t.eq(json.decode([[{"k\u0000":1}]])["k\0"], 1)
end)

t.test("lone surrogates are rejected with their position", function()
  t.raises("line 1, column 3: high surrogate", json.decode, [=[["\ud800"]]=])
  t.raises("line 1, column 3: low surrogate", json.decode, [=[["\udc00x"]]=])
  t.raises("high surrogate", json.decode, [=[["\ud800\u0041"]]=])
  -- an escaped backslash before "u" is no escape
  t.eq(json.decode([["\\ud800"]]), "\\ud800")
end)

t.test("errors give the line and column", function()
  t.raises("smelt.json.decode: line 2, column 5: ", json.decode, "[1,\n  2,,]")
  t.raises("smelt.json.decode: line 1, column 5: ", json.decode, "[1] x")
  t.raises("smelt.json.decode: line 3, column 2: invalid UTF-8", json.decode, '[\n"é",\n"\255"]')
  t.raises("smelt.json.decode: line 1, column 1: ", json.decode, "")
  t.raises("column 4: form feed", json.decode, "[1,\f2]")
  t.raises("NUL byte", json.decode, "[1]\0")
  t.raises("number out of range", json.decode, "[1e400]")
  t.raises("smelt.json.decode", json.decode, "[1,]")
  t.raises("smelt.json.decode", json.decode, "{\"a\":1,}")
  t.raises("smelt.json.decode", json.decode, "// c\n1")
  t.raises("bad argument #1 to 'smelt.json.decode' (string expected, got table)", json.decode, {})
end)

t.test("nesting deeper than 1000 is an error, not a crash", function()
  t.raises("nested too deeply", json.decode, string.rep("[", 100000))
  t.raises("nested too deeply", json.decode, string.rep("[", 1001) .. string.rep("]", 1001))
  local v = json.decode(string.rep("[", 1000) .. string.rep("]", 1000))
  t.eq(type(v), "table")
end)

t.test("empty arrays and objects round-trip, with the markers", function()
  t.eq(json.encode(json.decode("[]")), "[]")
  t.eq(json.encode(json.decode("{}")), "{}")
  t.eq(json.encode(json.decode('{"a":[],"b":{},"c":[[]]}'), { sort_keys = true }), '{"a":[],"b":{},"c":[[]]}')
  t.eq(json.encode(json.empty_array), "[]")
  t.eq(json.encode(json.empty_object), "{}")
  t.eq(json.encode({}), "{}")
  t.eq(json.encode(setmetatable({}, { __jsontype = "array" })), "[]")
  t.eq(json.encode(setmetatable({ 1, 2 }, { __jsontype = "object" })), '{"1":1,"2":2}')
  t.raises("read-only", function() json.empty_array[1] = 1 end)
  t.raises("read-only", function() json.empty_object.x = 1 end)
  -- a decoded empty array is the caller's own: it can grow
  local a = json.decode("[]")
  a[1] = "x"
  t.eq(json.encode(a), '["x"]')
end)

t.test("encode: integers as integers, floats that read back the same and stay floats", function()
  t.eq(json.encode(42), "42")
  t.eq(json.encode(math.mininteger), "-9223372036854775808")
  t.eq(json.encode(1.0), "1.0")
  t.eq(json.encode(0.1), "0.1")
  t.eq(json.encode(-1.5e300), "-1.5e+300")
  for _, x in ipairs({ 0.1, 1 / 3, math.pi, 2 ^ 60 + 0.0, 5e-324, 1.7976931348623157e308 }) do
    local back = json.decode(json.encode(x))
    t.eq(back, x); t.eq(math.type(back), "float")
  end
  t.raises("smelt.json.encode: $[2]: NaN", json.encode, { 1, 0 / 0 })
  t.raises("infinity", json.encode, { x = math.huge })
  t.raises("infinity", json.encode, -math.huge)
end)

t.test("encode: strings are escaped and must be UTF-8", function()
  t.eq(json.encode("a\"b\\c\n\t\1\127é/"), [["a\"b\\c\n\t\u0001]] .. "\127" .. [[é/"]])
  t.eq(json.encode("\0"), [["\u0000"]])
  t.eq(json.decode(json.encode("😀 \u{1D11E}")), "😀 \u{1D11E}")
  t.raises('smelt.json.encode: $.k: invalid UTF-8 at byte 3 of the string', json.encode, { k = "ab\255" })
  t.raises("invalid UTF-8 at byte 1", json.encode, "\237\160\128")   -- an encoded surrogate
end)

t.test("encode: 1..n is an array, string keys an object; other keys raise naming the key", function()
  t.eq(json.encode({ 1, "a", false, json.null }), '[1,"a",false,null]')
  t.eq(json.encode({ a = 1 }), '{"a":1}')
  t.eq(json.encode({ [2] = "b", [5] = "e" }, { sort_keys = true }), '{"2":"b","5":"e"}')
  t.same(json.decode(json.encode({ [2] = "b", [-5] = "e" })), { ["2"] = "b", ["-5"] = "e" })
  local many = {}
  for i = 1, 100 do many["k" .. i] = { i, { x = i } } end
  t.same(json.decode(json.encode(many)), many)
  t.same(json.decode(json.encode(many, { indent = 3 })), many)
  local err = t.raises("string and integer keys mixed", json.encode, { a = 1, [1] = 2, b = 3 })
  t.truthy(err:match('^smelt%.json%.encode: %$: key [1"ab]+: '), err)
  t.raises("string and integer keys mixed", json.encode, { 1, 2, 3, x = 1 })
  t.raises("key 1.5 is not an integer", json.encode, { [1.5] = 1 })
  t.raises("a boolean key", json.encode, { [true] = 1 })
  t.raises("smelt.json.encode: $.f: a function has no JSON form", json.encode, { f = print })
end)

t.test("encode: a table inside itself raises; the same table twice does not", function()
  local t1 = { a = {} }
  t1.a.back = t1
  t.raises("smelt.json.encode: $.a.back: a table that contains itself", json.encode, t1)
  local shared = { 1 }
  t.eq(json.encode({ shared, shared }), "[[1],[1]]")
end)

t.test("encode: sort_keys orders keys bytewise, indent pretty-prints", function()
  t.eq(json.encode({ b = 1, a = 2, B = 3, aa = 4 }, { sort_keys = true }), '{"B":3,"a":2,"aa":4,"b":1}')
  t.eq(json.encode({ a = { 1, { b = json.empty_array } }, c = json.empty_object }, { indent = 2, sort_keys = true }),
    '{\n  "a": [\n    1,\n    {\n      "b": []\n    }\n  ],\n  "c": {}\n}')
  t.raises("indent must be an integer", json.encode, {}, { indent = "x" })
  t.raises("bad argument #2 to 'smelt.json.encode' (options table expected, got string)", json.encode, {}, "x")
end)

t.test("encode(decode(s)) gives s back for a canonical document", function()
  local s = '{"a":[1,2.5,"x",null,true,false,[],{}],"b":{"c":-7,"d":1e+100},"e":"\\u0001\\"\\\\"}'
  t.eq(json.encode(json.decode(s), { sort_keys = true }), s)
end)

t.run()
