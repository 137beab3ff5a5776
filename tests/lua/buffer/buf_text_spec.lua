-- buf_text_spec.lua: ranged text, undo groups, changedtick and buf-changed events that keep a mirror exact
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")

-- waits (a bounded while: a hang guard) until pred() holds
local function settle(pred)
  for _ = 1, 1000 do
    if pred() then return end
    smelt.sleep(5)
  end
  error("timed out waiting for the events", 2)
end

t.test("get_text reads a range: 1-based lines and byte columns, the end exclusive", function()
  local b = smelt.buf.create({ text = "alpha\nbeta\ngamma" })
  t.eq(b:get_text(1, 1, 1, 6), "alpha")
  t.eq(b:get_text(1, 3, 2, 3), "pha\nbe")
  t.eq(b:get_text(2, 5, 3, 1), "\n")
  t.eq(b:get_text(3, 2, 3, 2), "", "an empty range")
  t.raises("bad argument #3 to 'buffer:get_text' (line 4 out of range (the buffer has 3 lines))", b.get_text, b, 1, 1, 4, 1)
  t.raises("bad argument #4 to 'buffer:get_text' (column 7 out of range (the line has 5 bytes))", b.get_text, b, 1, 1, 3, 7)
  t.raises("bad argument #3 to 'buffer:get_text' (the range ends (1, 1) before it starts (2, 1))", b.get_text, b, 2, 1, 1, 1)
  local u = smelt.buf.create({ text = "né\n" })
  t.raises("bad argument #2 to 'buffer:get_text' (column 3 is inside a character)", u.get_text, u, 1, 3, 1, 4)
  t.eq(u:get_text(1, 2, 1, 4), "é")
  b:close(); u:close()
end)

t.test("set_text replaces a range; the one-argument form still replaces the whole text", function()
  local b = smelt.buf.create({ text = "alpha\nbeta\ngamma" })
  b:set_text(1, 2, 1, 4, "LP")
  t.eq(b:text(), "aLPha\nbeta\ngamma")
  b:set_text(1, 6, 3, 1, " ")          -- across lines
  t.eq(b:text(), "aLPha gamma")
  b:set_text(1, 1, 1, 1, "new\n")      -- an insertion
  t.eq(b:text(), "new\naLPha gamma")
  b:set_text(2, 1, 2, 7, "")           -- a deletion
  t.eq(b:text(), "new\ngamma")
  b:set_text("whole\n")
  t.eq(b:text(), "whole\n")
  t.raises("bad argument #5 to 'buffer:set_text' (string expected, got nil)", b.set_text, b, 1, 1, 1, 1, nil)
  t.raises("bad argument #5 to 'buffer:set_text' (text must be UTF-8)", b.set_text, b, 1, 1, 1, 1, "\255")
  b:close({ force = true })
end)

t.test("undo_group makes one undo step; undo and redo say whether there was one", function()
  local b = smelt.buf.create({ text = "one\n" })
  t.eq(b:undo(), false, "nothing to undo in a new buffer")
  local r = b:undo_group(function()
    b:insert(1, 1, "a")
    b:insert(1, 1, "b")
    b:set_lines(2, 1, { "two" })
    return "done"
  end)
  t.eq(r, "done", "fn's results")
  t.eq(b:text(), "baone\ntwo\n")
  t.eq(b:undo(), true)
  t.eq(b:text(), "one\n", "one step undid all three")
  t.eq(b:redo(), true)
  t.eq(b:text(), "baone\ntwo\n")
  t.eq(b:redo(), false)
  t.raises("boom", b.undo_group, b, function() b:insert(1, 1, "x"); error("boom") end)
  b:insert(1, 1, "y")   -- a step of its own: the failed group was closed
  b:undo()
  t.eq(b:text(), "xbaone\ntwo\n")
  t.raises("cannot park across a C call boundary", b.undo_group, b, function() smelt.sleep(1) end)
  b:close({ force = true })
end)

t.test("selection and set_selection: the range, the end exclusive; nil when none", function()
  local b = smelt.buf.create({ text = "alpha\nbeta\n" })
  t.eq(b:selection(), nil)
  b:set_selection(1, 2, 2, 3)
  t.same({ b:selection() }, { 1, 2, 2, 3 })
  t.same({ b:cursor() }, { 2, 3 }, "the cursor at its end")
  b:set_cursor(1, 1)
  t.eq(b:selection(), nil, "moving the cursor ends it")
  t.raises("bad argument #3 to 'buffer:set_selection' (the range ends", b.set_selection, b, 2, 1, 1, 1)
  b:close()
end)

t.test("changedtick grows with every change", function()
  local b = smelt.buf.create({ text = "x" })
  local t0 = b:changedtick()
  b:insert(1, 1, "y")
  local t1 = b:changedtick()
  t.truthy(t1 > t0)
  b:set_text(1, 1, 1, 2, "")
  t.truthy(b:changedtick() > t1)
  b:close({ force = true })
end)

t.test("buf-changed: each edit, in order, with its range and new lines", function()
  local b = smelt.buf.create({ text = "a\nb\nc\n" })
  local seen = {}
  local h = smelt.on("buf-changed", function(ev)
    if ev.buf == b then
      seen[#seen + 1] = { ev.first_line, ev.last_line, ev.new_last_line, table.concat(ev.lines, "|"), ev.changedtick }
    end
  end)
  b:insert(2, 2, "X\nY")               -- line 2 became lines 2..3
  b:set_lines(1, 1, {})                -- line 1 removed: lines 1..2 became 1
  local tick = b:changedtick()
  settle(function() return #seen > 0 and seen[#seen][5] == tick end)
  h:remove()
  t.eq(#seen >= 2, true)
  t.same(seen[1], { 2, 2, 3, "bX|Y", seen[1][5] })
  t.eq(seen[#seen][5], tick, "the last event's changedtick is the buffer's")
  b:close({ force = true })
end)

t.test("a mirror rebuilt from the buf-changed events of 10,000 random edits equals the buffer", function()
  local b = smelt.buf.create({ text = "start\n" })
  local mirror = b:lines()
  local last_tick
  local h = smelt.on("buf-changed", function(ev)
    if ev.buf ~= b then return end
    last_tick = ev.changedtick
    local tail = table.move(mirror, ev.last_line + 1, #mirror, 1, {})
    for i = #mirror, ev.first_line, -1 do mirror[i] = nil end
    table.move(ev.lines, 1, #ev.lines, ev.first_line, mirror)
    table.move(tail, 1, #tail, #mirror + 1, mirror)
  end)
  local rng = 12345
  local function rand(n)   -- a fixed sequence: a failure is the same every run
    rng = (rng * 1103515245 + 12345) % 2147483648
    return rng % n + 1
  end
  local pieces = { "", "x", "yz", "\n", "a\nb", "\n\n", "long line of text", "é" }
  for i = 1, 10000 do
    local n = b:line_count()
    local l1 = rand(n)
    local l2 = math.min(n, l1 + rand(3) - 1)
    local len1 = #b:lines(l1, l1)[1]
    local len2 = #b:lines(l2, l2)[1]
    local c1 = rand(len1 + 1)
    local c2 = rand(len2 + 1)
    if l1 == l2 and c2 < c1 then c1, c2 = c2, c1 end
    -- columns on character boundaries (é is two bytes)
    local line1, line2 = b:lines(l1, l1)[1], b:lines(l2, l2)[1]
    while c1 <= #line1 and line1:byte(c1) >= 0x80 and line1:byte(c1) < 0xC0 do c1 = c1 - 1 end
    while c2 <= #line2 and line2:byte(c2) >= 0x80 and line2:byte(c2) < 0xC0 do c2 = c2 - 1 end
    local kind = rand(3)
    if kind == 1 then
      b:set_text(l1, c1, l2, c2, pieces[rand(#pieces)])
    elseif kind == 2 then
      b:insert(l1, c1, pieces[rand(#pieces)])
    else
      b:set_lines(l1, l2, { pieces[rand(#pieces)]:gsub("\n", "") })
    end
    if i % 500 == 0 then smelt.sleep(0) end   -- the handler catches up now and then
  end
  settle(function() return last_tick == b:changedtick() end)
  h:remove()
  t.eq(#mirror, b:line_count(), "as many lines")
  t.eq(table.concat(mirror, "\n"), b:text(), "the same text")
  b:close({ force = true })
end, { timeout = 120000 })

t.test("a reload is one buf-changed event for the whole text", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "w")); f:write("old\ntext\n"); f:close()
  local b = smelt.buf.open(path)
  f = assert(io.open(path, "w")); f:write("new\n"); f:close()
  local seen = {}
  local h = smelt.on("buf-changed", function(ev) if ev.buf == b then seen[#seen + 1] = ev end end)
  b:reload()
  settle(function() return #seen > 0 end)
  smelt.sleep(50)   -- and no second one
  h:remove()
  t.eq(#seen, 1)
  t.eq(seen[1].first_line, 1)
  t.eq(seen[1].last_line, 3, "the old text had 3 lines")
  t.eq(seen[1].new_last_line, 2)
  t.same(seen[1].lines, { "new", "" })
  b:close()
  os.remove(path)
end)

t.run()
