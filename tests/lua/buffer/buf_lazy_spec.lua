-- buf_lazy_spec.lua: with --no-ui the documents load on the first use of smelt.buf, not before
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")

local function mapped(library)
  local f = assert(io.open("/proc/self/maps"))
  local maps = f:read("a")
  f:close()
  return maps:find(library, 1, true) ~= nil
end

t.test("a script that never touches a buffer does not map GtkSourceView; the first use of smelt.buf does", function()
  t.eq(mapped("libgtksourceview-5"), false, "not mapped before smelt.buf is used")
  t.eq(#smelt.buf.list(), 0)
  t.eq(mapped("libgtksourceview-5"), true, "mapped once it is")
  t.eq(mapped("libgtk-4"), true, "GtkSourceView links GTK")
  local b = smelt.buf.create({ text = "works\n" })
  t.eq(b:text(), "works\n")
  b:close()
end)

t.run()
