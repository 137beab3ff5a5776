-- popup_spec.lua: smelt.ui.popup with real keys: at its text position, Markdown rendered, closed by Escape or a cursor move
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local gui = require("guitest")
local wait_for = gui.wait_for

local dir = os.tmpname()
os.remove(dir)
assert(smelt.fs.mkdir(dir))

local function shown()
  local p = smelt_test.popup()
  return p and p.shown and p.x and p
end

local function buffer(name)
  local path = dir .. "/" .. name
  assert(smelt.fs.write(path, "first line\nlocal value = compute(42)\nthird line\n"))
  local b = smelt.buf.open(path)
  b:set_cursor(1, 1)
  return b
end

t.test("a Markdown popup points at its line and column; Escape closes it and types nothing", function()
  local b = buffer("escape.lua")
  local h = smelt.ui.popup("# compute\n**Returns** the `answer`, *always*.\n```lua\nlocal x = a < b\n```",
    { buf = b, line = 2, col = 15, markup = "markdown" })
  -- it points at line 2, col 15 once the new view is laid out
  local p, x, y
  local ok = pcall(wait_for, function()
    p = shown()
    x, y = smelt_test.text_point(b, 2, 15)
    return p and x and math.abs(p.x - x) <= 2 and math.abs(p.y - y) <= 2
  end, "", 10)
  t.truthy(ok, ("it points at line 2, col 15 (%s,%s), not (%s,%s)")
    :format(tostring(x), tostring(y), tostring(p and p.x), tostring(p and p.y)))
  t.eq(p.text, "compute\nReturns the answer, always.\nlocal x = a < b", "the Markdown rendered, its marks gone")
  t.truthy(h:is_open())
  local shots = os.getenv("SMELT_SHOTS")
  if shots then
    smelt.sleep(300)
    smelt.process.run("import", { "-window", "root", shots .. "/popup.png" })
  end
  gui.type_into("smelt", nil, "Escape")
  wait_for(function() return smelt_test.popup() == nil end, "the popup closed")
  t.eq(h:is_open(), false)
  gui.type_into("smelt", nil, "Escape")   -- with no popup, Escape is the editor's again
  t.eq(b:text(), "first line\nlocal value = compute(42)\nthird line\n")
  b:close({ force = true })
end)

t.test("a move of the cursor closes it: a real arrow key, a click, typing, buf:set_cursor", function()
  local b = buffer("cursor.txt")
  local h = smelt.ui.popup("plain *text* <b>as is</b>", { buf = b, line = 1, col = 3 })
  wait_for(shown, "the popup")
  t.eq(smelt_test.popup().text, "plain *text* <b>as is</b>", "plain text is shown as it is")
  gui.type_into("smelt", nil, "Right")
  wait_for(function() return not h:is_open() end, "closed by the arrow key")
  t.same({ b:cursor() }, { 1, 2 }, "the key moved the cursor")

  h = smelt.ui.popup("typing closes it", { buf = b })   -- at the cursor
  wait_for(function()
    local p, x, y = shown(), smelt_test.text_point(b, 1, 2)
    return p and x and math.abs(p.x - x) <= 2 and math.abs(p.y - y) <= 2
  end, "the popup at the cursor")
  gui.type_into("smelt", "Z")
  wait_for(function() return not h:is_open() end, "closed by typing")
  wait_for(function() return b:text():sub(1, 3) == "fZi" end, "the key typed into the text")

  h = smelt.ui.popup("set_cursor closes it", { buf = b, line = 3, col = 1 })
  wait_for(shown, "the third popup")
  b:set_cursor(3, 2)
  t.eq(h:is_open(), false)
  t.eq(smelt_test.popup(), nil)
  b:close({ force = true })
end)

t.test("handle:close() closes it; closing the buffer closes it; a closed handle stays closed", function()
  local b = buffer("close.txt")
  local h = smelt.ui.popup("close me", { buf = b, line = 3, col = 99 })   -- the column clamped to the line
  wait_for(shown, "the popup")
  h:close()
  t.eq(h:is_open(), false)
  t.eq(smelt_test.popup(), nil)
  h:close()   -- again: nothing
  local h2 = smelt.ui.popup("the buffer goes", { buf = b, line = 1, col = 1 })
  wait_for(shown, "the second popup")
  b:close({ force = true })
  wait_for(function() return not h2:is_open() end, "closed with its view")
end)

t.test("bad arguments raise, naming the option", function()
  local b = buffer("bad.txt")
  t.raises("bad argument #1 to 'smelt.ui.popup' (string expected, got nil)", smelt.ui.popup)
  t.raises("bad argument #2 to 'smelt.ui.popup' (opts.markup must be \"plain\" or \"markdown\", got html)",
    smelt.ui.popup, "x", { markup = "html" })
  t.raises("smelt.ui.popup: unknown option 'position'", smelt.ui.popup, "x", { position = 1 })
  t.raises("bad argument #2 to 'smelt.ui.popup' (opts.line must be a positive integer, got 0)",
    smelt.ui.popup, "x", { buf = b, line = 0, col = 1 })
  t.raises("bad argument #2 to 'smelt.ui.popup' (opts.line 9 out of range (the buffer has 4 lines))",
    smelt.ui.popup, "x", { buf = b, line = 9, col = 1 })
  b:close({ force = true })
end)

t.run()
