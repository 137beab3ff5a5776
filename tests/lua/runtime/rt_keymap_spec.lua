-- rt_keymap_spec.lua: smelt.keymap with --no-ui: the global, file-type and buffer layers, set/del/list, validation
-- SPDX-License-Identifier: LGPL-2.1-or-later
-- (the keys themselves, typed into the window: tests/gui/keymap_spec.lua)
local t = require("testlib")

local function noop() end

--- The keys of list(opts), in order, each with its layer: "gd@buf", "gd@lua", "gd".
local function listed(opts)
  local out = {}
  for _, m in ipairs(smelt.keymap.list(opts)) do
    out[#out + 1] = m.keys .. (m.buf and "@buf" or m.filetype and "@" .. m.filetype or "")
  end
  return table.concat(out, " ")
end

t.test("set, list and del work on the tables without the GUI", function()
  local h = smelt.keymap.set("<C-k>", noop, { desc = "kill" })
  local all = smelt.keymap.list()
  t.eq(#all, 1)
  t.eq(all[1].keys, "<C-k>"); t.eq(all[1].desc, "kill")
  t.eq(all[1].buf, nil); t.eq(all[1].filetype, nil)
  smelt.keymap.del("<C-k>")
  t.eq(#smelt.keymap.list(), 0)
  h:remove()   -- gone already: nothing
  smelt.keymap.set("gd", noop):remove()
  t.eq(#smelt.keymap.list(), 0, "a handle removes its map")
end)

t.test("a buffer's list: its own maps, then its file type's, then the global ones, each keys once", function()
  local b = smelt.buf.create({ name = "layers" })
  local other = smelt.buf.create({ name = "other" })
  smelt.keymap.set("<C-x>a", noop, { desc = "global" })
  smelt.keymap.set("<C-x>b", noop, { desc = "global b" })
  smelt.keymap.set("<C-x>a", noop, { buf = b, desc = "buffer" })
  smelt.keymap.set("<C-x>b", noop, { filetype = "lua", desc = "lua b" })
  smelt.keymap.set("<C-x>c", noop, { filetype = "lua" })
  t.eq(listed({ buf = b }), "<C-x>a@buf <C-x>b", "b has no file type: no lua maps")
  t.eq(smelt.keymap.list({ buf = b })[1].desc, "buffer", "the buffer's map shadows the global one")
  t.eq(smelt.keymap.list({ buf = b })[1].buf, b)
  t.eq(listed({ buf = other }), "<C-x>a <C-x>b", "another buffer: the global ones")
  t.eq(listed({ filetype = "lua" }), "<C-x>a <C-x>b@lua <C-x>c@lua", "a lua buffer: lua over global")
  t.eq(listed(), "<C-x>a <C-x>a@buf <C-x>b <C-x>b@lua <C-x>c@lua", "no opts: every map of every layer")
  smelt.keymap.del("<C-x>a", { buf = b })
  t.eq(listed({ buf = b }), "<C-x>a <C-x>b", "deleted from the buffer: the global one shows again")
  smelt.keymap.del("<C-x>b", { filetype = "lua" })
  smelt.keymap.del("<C-x>c", { filetype = "lua" })
  smelt.keymap.del("<C-x>a"); smelt.keymap.del("<C-x>b")
  t.eq(listed(), "")
  b:close({ force = true }); other:close({ force = true })
end)

t.test("keys are compared as keys: <c-x>A is <C-x>A, <Leader> is the leader", function()
  smelt.keymap.set("<c-x>A", noop, { desc = "one" })
  smelt.keymap.set("<C-x>A", noop, { desc = "two" })
  t.eq(#smelt.keymap.list(), 1, "the same keys, replaced")
  t.eq(smelt.keymap.list()[1].desc, "two")
  smelt.keymap.del("<C-X>A")
  t.eq(#smelt.keymap.list(), 0)
end)

t.test("a buffer's maps go when it closes", function()
  local b = smelt.buf.create({ name = "closing" })
  smelt.keymap.set("<F5>", noop, { buf = b })
  t.eq(#smelt.keymap.list(), 1)
  b:close({ force = true })
  smelt.sleep(1)   -- buf-close handlers run as tasks
  t.eq(#smelt.keymap.list(), 0)
end)

t.test("del raises for keys that have no map in that layer, naming it", function()
  local b = smelt.buf.create({ name = "nomap" })
  smelt.keymap.set("gd", noop)
  t.raises("smelt.keymap.del: no key map gd for buffer " .. b.id, smelt.keymap.del, "gd", { buf = b })
  t.raises("smelt.keymap.del: no key map gd for file type lua", smelt.keymap.del, "gd", { filetype = "lua" })
  smelt.keymap.del("gd")
  t.raises("smelt.keymap.del: no key map gd", smelt.keymap.del, "gd")
  b:close({ force = true })
end)

t.test("options not understood and bad types raise, naming the option", function()
  local b = smelt.buf.create({ name = "opts" })
  t.raises("smelt.keymap.set: unknown option 'bufffer'", smelt.keymap.set, "x", noop, { bufffer = b })
  t.raises("smelt.keymap.del: unknown option 'desc'", smelt.keymap.del, "x", { desc = "x" })
  t.raises("smelt.keymap.list: unknown option 'filtype'", smelt.keymap.list, { filtype = "lua" })
  t.raises("bad argument #1 to 'smelt.keymap.set' (keys expected, got number)", smelt.keymap.set, 1, noop)
  t.raises("bad argument #1 to 'smelt.keymap.set' (keys expected, got empty string)", smelt.keymap.set, "", noop)
  t.raises("bad argument #2 to 'smelt.keymap.set' (function expected, got string)", smelt.keymap.set, "x", "f")
  t.raises("bad argument #3 to 'smelt.keymap.set' (table expected, got string)", smelt.keymap.set, "x", noop, "lua")
  t.raises("bad argument #3 to 'smelt.keymap.set' (opts.buf: buffer expected, got number)",
    smelt.keymap.set, "x", noop, { buf = 1 })
  t.raises("bad argument #3 to 'smelt.keymap.set' (opts.filetype: string expected, got boolean)",
    smelt.keymap.set, "x", noop, { filetype = true })
  t.raises("bad argument #3 to 'smelt.keymap.set' (opts.filetype: string expected, got empty string)",
    smelt.keymap.set, "x", noop, { filetype = "" })
  t.raises("bad argument #3 to 'smelt.keymap.set' (opts.desc: string expected, got number)",
    smelt.keymap.set, "x", noop, { desc = 3 })
  t.raises("smelt.keymap.set: opts.buf and opts.filetype: one layer at a time",
    smelt.keymap.set, "x", noop, { buf = b, filetype = "lua" })
  t.raises("bad argument #1 to 'smelt.keymap.del' (keys expected, got nil)", smelt.keymap.del)
  t.raises("bad argument #1 to 'smelt.keymap.list' (table expected, got string)", smelt.keymap.list, "lua")
  local closed = smelt.buf.create({ name = "closed" })
  closed:close({ force = true })
  t.raises("smelt.keymap.set: opts.buf: the buffer was closed", smelt.keymap.set, "x", noop, { buf = closed })
  t.eq(#smelt.keymap.list(), 0, "nothing set by the calls that raised")
  b:close({ force = true })
end)

t.test("without the GUI nothing feeds keys: the typeahead is not there", function()
  t.falsy(smelt.has_ui())
  t.raises("smelt.keymap.timeoutlen: requires the GUI (running with --no-ui)", smelt.keymap.timeoutlen)
end)

t.run()
