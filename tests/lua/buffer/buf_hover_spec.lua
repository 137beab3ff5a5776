-- buf_hover_spec.lua: smelt.hover with --no-ui: registering, request() merging the providers' texts, errors named
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")

t.test("register: bad and unknown options raise, naming the option", function()
  local pop = function() end
  t.raises("bad argument #1 to 'smelt.hover.register' (table expected, got string)", smelt.hover.register, "x")
  t.raises("unknown option 'triggers'", smelt.hover.register, { name = "x", populate = pop, triggers = "." })
  t.raises("option 'populate': function expected, got string", smelt.hover.register, { name = "x", populate = "f" })
  local id = smelt.hover.register({ name = "x", populate = pop })
  t.eq(smelt.hover.unregister(id), true)
end)

t.test("request: texts and Markdown by priority, with the position asked; nothing and errors left out", function()
  local b = smelt.buf.create({ text = "local value = 1\n" })
  local seen
  local before = #smelt.messages()
  local ids = {
    smelt.hover.register({ name = "doc", populate = function(ctx)
      seen = ctx
      smelt.sleep(10)
      return { markup = "markdown", text = "`value`: a **local**" }
    end }),
    smelt.hover.register({ name = "type", priority = 5, populate = function() return "integer" end }),
    smelt.hover.register({ name = "none", populate = function() return nil end }),
    smelt.hover.register({ name = "broken", populate = function() return { markup = "html", text = "<b>" } end }),
  }
  local got = smelt.hover.request(b, 1, 8)
  t.truthy(seen.buf == b)
  t.eq(seen.line, 1)
  t.eq(seen.col, 8)
  t.same(got, { { text = "integer", markup = "plain", provider = "type" },
                { text = "`value`: a **local**", markup = "markdown", provider = "doc" } })
  local msgs = smelt.messages()
  t.eq(#msgs, before + 1)
  t.contains(msgs[#msgs].message, "smelt.hover: provider 'broken' failed: markup: \"plain\" or \"markdown\" expected, got html")
  for _, id in ipairs(ids) do smelt.hover.unregister(id) end
  b:close({ force = true })
end)

t.run()
