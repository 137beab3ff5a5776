-- buf_marks_spec.lua: namespaces, marks that follow edits, highlights by name, with --no-ui
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")

local function pos(m)
  return { m.line, m.col, m.end_line, m.end_col }
end

t.test("smelt.ns: the same id for the same name, a new one for each anonymous call", function()
  local a = smelt.ns("lint")
  t.eq(math.type(a), "integer")
  t.eq(smelt.ns("lint"), a)
  t.truthy(smelt.ns("other") ~= a)
  t.truthy(smelt.ns() ~= smelt.ns())
  t.raises("bad argument #1 to 'smelt.ns' (string expected, got number)", smelt.ns, 3)
end)

t.test("a range mark follows edits above it, around it and inside it", function()
  local ns = smelt.ns("follow")
  local b = smelt.buf.create({ text = "one\ntwo words here\nthree\n" })
  local id = b:set_mark(ns, 2, 5, { end_line = 2, end_col = 10 })   -- "words"
  t.eq(b:get_text(2, 5, 2, 10), "words")
  t.same(pos(b:get_marks(ns)[1]), { 2, 5, 2, 10 })
  b:insert(1, 1, "zero\n")                    -- a line above
  t.same(pos(b:get_marks(ns)[1]), { 3, 5, 3, 10 })
  b:insert(3, 1, ">> ")                       -- before it on its line
  t.same(pos(b:get_marks(ns)[1]), { 3, 8, 3, 13 })
  b:insert(3, 10, "ooo")                      -- inside: the range grows
  local m = b:get_marks(ns)[1]
  t.eq(b:get_text(m.line, m.col, m.end_line, m.end_col), "woooords")
  b:insert(m.line, m.col, "[")                -- at its start: not in it
  b:insert(m.line, m.end_col + 1, "]")        -- at its end: not in it
  m = b:get_marks(ns)[1]
  t.eq(b:get_text(m.line, m.col, m.end_line, m.end_col), "woooords")
  t.eq(b:lines(3, 3)[1], ">> two [woooords] here")
  b:set_lines(1, 2, {})                       -- lines above it removed
  m = b:get_marks(ns)[1]
  t.eq(m.line, 1)
  t.eq(b:get_text(m.line, m.col, m.end_line, m.end_col), "woooords")
  b:set_text(m.line, m.col - 1, m.end_line, m.end_col + 1, "")   -- the text and its brackets deleted
  m = b:get_marks(ns)[1]
  t.eq(m.id, id)
  t.same(pos(m), { 1, 8, 1, 8 }, "collapsed where the text was")
  b:close({ force = true })
end)

t.test("a point mark: right gravity by default, left with right_gravity = false", function()
  local ns = smelt.ns("points")
  local b = smelt.buf.create({ text = "abc\n" })
  local right = b:set_mark(ns, 1, 2)
  local left = b:set_mark(ns, 1, 2, { right_gravity = false })
  b:insert(1, 2, "XY")
  local at = {}
  for _, m in ipairs(b:get_marks(ns)) do at[m.id] = m.col end
  t.eq(at[right], 4, "pushed on by the text typed at it")
  t.eq(at[left], 2, "stays before it")
  t.eq(b:get_marks(ns)[1].end_line, nil, "a point has no end")
  b:close({ force = true })
end)

t.test("marks are listed in order, with their options; namespaces are apart", function()
  local a, z = smelt.ns("list-a"), smelt.ns("list-z")
  local b = smelt.buf.create({ text = "1\n2\n3\n4\n" })
  b:set_mark(a, 3, 1, { message = "third", priority = 5, sign = "E", sign_hl = "def:error" })
  b:set_mark(a, 1, 1, { hl = "def:warning", end_line = 1, end_col = 2 })
  b:set_mark(z, 2, 1, { sign = "dialog-warning-symbolic" })
  local marks = b:get_marks(a)
  t.eq(#marks, 2)
  t.eq(marks[1].line, 1)
  t.eq(marks[1].hl, "def:warning")
  t.eq(marks[2].message, "third")
  t.eq(marks[2].priority, 5)
  t.eq(marks[2].sign, "E")
  t.eq(marks[2].sign_hl, "def:error")
  t.eq(marks[2].ns, a)
  t.eq(#b:get_marks(z), 1)
  t.eq(b:get_marks(z)[1].sign, "dialog-warning-symbolic", "an icon name")
  t.eq(#b:get_marks(a, 2, 3), 1, "only the marks on lines 2..3")
  b:close({ force = true })
end)

t.test("del_mark and clear_ns remove marks, of one namespace only", function()
  local a, z = smelt.ns("del-a"), smelt.ns("del-z")
  local b = smelt.buf.create({ text = "1\n2\n3\n4\n" })
  local one = b:set_mark(a, 1, 1)
  b:set_mark(a, 2, 1, { end_line = 3, end_col = 2, hl = "def:error" })
  b:set_mark(a, 4, 1)
  b:set_mark(z, 1, 1)
  t.eq(b:del_mark(a, one), true)
  t.eq(b:del_mark(a, one), false, "gone already")
  t.eq(b:del_mark(z, 9999), false)
  t.eq(b:clear_ns(a, 3, 3), 1, "the range touching line 3")
  t.eq(#b:get_marks(a), 1)
  t.eq(b:clear_ns(a), 1)
  t.eq(#b:get_marks(a), 0)
  t.eq(#b:get_marks(z), 1, "the other namespace's mark stays")
  b:close({ force = true })
end)

t.test("highlight names: the scheme's styles, smelt.hl.define's, and nothing else", function()
  local ns = smelt.ns("hl")
  local b = smelt.buf.create({ text = "some text\n" })
  t.truthy(b:set_mark(ns, 1, 1, { end_line = 1, end_col = 5, hl = "def:error" }))
  t.truthy(b:set_mark(ns, 1, 1, { end_line = 1, end_col = 5, hl = "search-match" }))
  t.raises("hl: no highlight \"NoSuchHl\" (smelt.hl.define makes one)",
    b.set_mark, b, ns, 1, 1, { end_line = 1, end_col = 2, hl = "NoSuchHl" })
  smelt.hl.define("NoSuchHl", { fg = "#ff0000", underline = "error", bold = true })
  t.truthy(b:set_mark(ns, 1, 1, { end_line = 1, end_col = 2, hl = "NoSuchHl" }), "defined now")
  smelt.hl.define("NoSuchHl", { bg = "yellow" })   -- redefined: its look changes
  t.raises("underline: \"none\", \"single\", \"double\", \"low\" or \"error\" expected, got \"wavy\"",
    smelt.hl.define, "X", { underline = "wavy" })
  t.raises("fg: not a colour", smelt.hl.define, "X", { fg = "not-a-colour" })
  t.raises("unknown key size", smelt.hl.define, "X", { size = 3 })
  b:close({ force = true })
end)

t.test("bad marks raise, naming the function and what is wrong", function()
  local ns = smelt.ns("bad")
  local b = smelt.buf.create({ text = "ab\nné\n" })
  t.raises("bad argument #1 to 'buffer:set_mark' (namespace expected (smelt.ns), got string)", b.set_mark, b, "x", 1, 1)
  t.raises("buffer:set_mark: line 9 out of range (the buffer has 3 lines)", b.set_mark, b, ns, 9, 1)
  t.raises("buffer:set_mark: column 4 out of range on line 1 (it has 2 bytes)", b.set_mark, b, ns, 1, 4)
  t.raises("buffer:set_mark: column 3 of line 2 is inside a character", b.set_mark, b, ns, 2, 3)
  t.raises("unknown option end_row", b.set_mark, b, ns, 1, 1, { end_row = 2 })
  t.raises("end_line and end_col go together", b.set_mark, b, ns, 1, 1, { end_line = 2 })
  t.raises("the range ends before it starts", b.set_mark, b, ns, 2, 1, { end_line = 1, end_col = 1 })
  t.raises("sign: up to two characters or an icon name", b.set_mark, b, ns, 1, 1, { sign = "ERR" })
  t.raises("hl: string expected, got number", b.set_mark, b, ns, 1, 1, { hl = 3 })
  t.eq(#b:get_marks(ns), 0, "nothing made by the failed calls")
  b:close({ force = true })
  t.raises("the buffer was closed", b.get_marks, b, ns)
end)

t.run()
