-- meta_spec.lua: in the GUI, lua/meta/ and the live smelt namespace agree, in both directions
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh. tests/lua/runtime/rt_meta_spec.lua checks
-- the same with --no-ui, where the functions marked (GUI only) are stubs;
-- here each of them must be the real one.
local t = require("testlib")
local metacheck = require("metacheck")

local annotations = metacheck.parse(metacheck.read_meta(smelt.runtimepath()[#smelt.runtimepath()]))

t.test("every annotated name is live, the GUI-only functions real ones, not stubs", function()
  local problems = {}
  for _, p in ipairs(metacheck.check(annotations, smelt, true)) do
    if not (p:match(": live") or p:match(": a live")) then
      problems[#problems + 1] = p
    end
  end
  t.eq(table.concat(problems, "\n"), "", "annotated in lua/meta, but not as annotated live")
end)

t.test("every live public name is annotated in lua/meta", function()
  local problems = {}
  for _, p in ipairs(metacheck.check(annotations, smelt, true)) do
    if p:match(": live") or p:match(": a live") then
      problems[#problems + 1] = p
    end
  end
  t.eq(table.concat(problems, "\n"), "", "live, but not annotated in lua/meta")
end)

t.test("the methods of a buffer are annotated as smelt.Buffer's, both ways", function()
  t.eq(table.concat(metacheck.check_methods(annotations, "smelt.Buffer", smelt.buf.current()), "\n"), "",
    "methods that differ from lua/meta")
end)

t.run()
