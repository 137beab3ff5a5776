-- buf_keymap_spec.lua: a file type's key maps apply to the buffers of that file type (GtkSourceView's languages)
-- SPDX-License-Identifier: LGPL-2.1-or-later
-- (the layers without real file types: tests/lua/runtime/rt_keymap_spec.lua)
local t = require("testlib")

local dir = os.tmpname()
os.remove(dir)
assert(smelt.fs.mkdir(dir))

local function noop() end

local function keys_of(list)
  local out = {}
  for _, m in ipairs(list) do
    out[#out + 1] = m.keys .. "=" .. m.desc
  end
  return table.concat(out, " ")
end

t.test("a lua buffer gets the lua maps over the global ones, a C buffer does not, its own over both", function()
  smelt.fs.write(dir .. "/a.lua", "return 1\n")
  smelt.fs.write(dir .. "/b.c", "int x;\n")
  local lua, c = smelt.buf.open(dir .. "/a.lua"), smelt.buf.open(dir .. "/b.c")
  t.eq(lua:filetype(), "lua"); t.eq(c:filetype(), "c")
  local g = smelt.keymap.set("<leader>r", noop, { desc = "global" })
  local ft = smelt.keymap.set("<leader>r", noop, { filetype = "lua", desc = "lua" })
  t.eq(keys_of(smelt.keymap.list({ buf = lua })), "<leader>r=lua")
  t.eq(keys_of(smelt.keymap.list({ buf = c })), "<leader>r=global")
  local own = smelt.keymap.set("<leader>r", noop, { buf = lua, desc = "own" })
  t.eq(keys_of(smelt.keymap.list({ buf = lua })), "<leader>r=own")
  own:remove()
  t.eq(keys_of(smelt.keymap.list({ buf = lua })), "<leader>r=lua")
  ft:remove(); g:remove()
  lua:close({ force = true }); c:close({ force = true })
end)

t.run()
