-- json_spec.lua: smelt.json in the window: a buffer of JSON, decoded, reformatted with indent, typed into
-- SPDX-License-Identifier: GPL-3.0-or-later
-- tests/lua/json/ checks the rules headless; this checks the window's runtime has them too.
local t = require("testlib")
local gui = require("guitest")
local wait_for = gui.wait_for
local json = smelt.json

t.test("a buffer's JSON decodes, and its pretty form is what the window's buffer holds", function()
  local b = smelt.buf.create({ name = "data.json", text = '{"b":[],"a":[1,2.5,null]}' })
  local doc = json.decode(b:text())
  t.eq(math.type(doc.a[1]), "integer"); t.eq(doc.a[3], json.null)
  b:set_text(json.encode(doc, { indent = 2, sort_keys = true }))
  t.eq(b:text(), '{\n  "a": [\n    1,\n    2.5,\n    null\n  ],\n  "b": []\n}')
  -- real keys into the window, then the text decodes again with them
  local before = #b:text()
  gui.type_into("smelt", "[")
  wait_for(function() return #b:text() == before + 1 end, "the key in the buffer")
  local ok, err = pcall(json.decode, b:text())
  t.eq(ok, false)
  t.truthy(err:match("^smelt%.json%.decode: line %d, column %d+: "), err)
  b:close({ force = true })
end)

t.run()
