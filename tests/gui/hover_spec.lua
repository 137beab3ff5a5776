-- hover_spec.lua: Lua hover providers in GtkSourceView's hover popover, beside the marks' messages, with a real pointer
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local gui = require("guitest")
local wait_for = gui.wait_for

local function title()
  for _, line in ipairs(smelt_test.toplevels()) do
    local name = line:match("^(.-— smelt)")
    if name then return name end
  end
end

local function shown(name)
  wait_for(function() return title() == name .. " — smelt" end, name .. " shown (" .. tostring(title()) .. ")")
end

-- a picture of the screen now (the popover may close any moment: see point_at)
local function shot(name)
  local dir = assert(os.getenv("SMELT_SHOTS"), "SMELT_SHOTS: where " .. name .. " goes (tests/gui/meson.build)")
  smelt.process.run("import", { "-window", "root", dir .. "/" .. name })
end

-- the pointer onto the text at line, col until pred() holds: beside it
-- first, then onto it (a motion GTK sees), again if nothing showed: a
-- motion lost on a loaded machine, or the popover dismissed as soon as it
-- shows: GtkSourceView 5.6 closes it on any motion outside it, and GTK
-- synthesizes one when the window lays itself out again (the statusline's
-- busy label changing while the provider's tasks run)
local function point_at(b, line, col, pred, what)
  for _ = 1, 4 do
    local x, y
    wait_for(function() x, y = smelt_test.text_point(b, line, col); return x ~= nil end, "the text on the screen")
    gui.xdotool("mousemove", tostring(x - 40), tostring(y))
    smelt.sleep(100)
    gui.xdotool("mousemove", tostring(x), tostring(y))
    if pcall(wait_for, pred, what, 4) then return true end
    gui.xdotool("mousemove", "5", "5")
    smelt.sleep(200)
  end
  return false
end

t.test("a hover provider's Markdown shows in the popover under a diagnostic's message; moving away cancels a slow one", function()
  local asked, slow_started, slow_cancelled = nil, 0, 0
  local doc = smelt.hover.register({ name = "doc", populate = function(ctx)
    asked = ctx
    return { markup = "markdown", text = "**value**: a `local` of *this* file\n\n```lua\nlocal value = 1 < 2\n```" }
  end })
  local slow = smelt.hover.register({ name = "slow", priority = -1, populate = function()
    slow_started = slow_started + 1
    local ok, err = pcall(smelt.sleep, 1e9)
    if not ok and smelt.task.is_cancelled(err) then slow_cancelled = slow_cancelled + 1 end
    error(err, 0)
  end })
  local ns = smelt.ns("hover-gui")
  local b = smelt.buf.create({ name = "hovered", text = "local value = 1\nprint(value)\n" })
  smelt.diagnostic.set(ns, b, { { line = 2, col = 7, end_line = 2, end_col = 12, severity = "warning", message = "value is read once" } })
  shown("hovered")
  smelt.sleep(300)   -- the sign column laid out: the text where it stays
  -- the picture taken while it shows: it shows before and after it
  local ok = point_at(b, 2, 9, function()
    if #smelt_test.hover_texts() ~= 1 then return false end
    smelt.sleep(300)   -- drawn: a popup's first frame comes after it maps
    if #smelt_test.hover_texts() ~= 1 then return false end
    shot("hover.png")
    return #smelt_test.hover_texts() == 1
  end, "the provider's text in the popover")
  t.truthy(ok, "hover texts: " .. #smelt_test.hover_texts() .. ", marks' message: " .. tostring(smelt_test.hover_text()))
  local h = smelt_test.hover_texts()[1]
  t.eq(h.text, "value: a local of this file\n\nlocal value = 1 < 2")
  t.contains(h.markup, "<b>value</b>")
  t.contains(h.markup, "<tt>local</tt>")
  t.contains(h.markup, "<i>this</i>")
  t.contains(h.markup, "<tt>local value = 1 &lt; 2</tt>")
  t.eq(smelt_test.hover_text(), "value is read once", "the diagnostic's message with it")
  t.eq(asked.line, 2)
  t.eq(asked.col, 9)
  t.truthy(asked.buf == b)
  t.eq(slow_cancelled, slow_started - 1, "the slow one still runs while the popover shows")
  gui.xdotool("mousemove", "5", "5")
  wait_for(function() return slow_cancelled == slow_started end,
    "the slow provider's task cancelled when the pointer went away", 15)
  smelt.hover.unregister(doc)
  smelt.hover.unregister(slow)
  b:close({ force = true })
end, { timeout = 60000 })

t.run()
