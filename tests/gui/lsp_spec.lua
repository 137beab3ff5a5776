-- lsp_spec.lua: smelt.lsp with real clangd in the window: the underline, the completion popup, the hover popover
-- SPDX-License-Identifier: GPL-3.0-or-later
-- The config (tests/gui/lsp-config) enables clangd; each case opens its own
-- C file in its own project folder (compile_flags.txt), with real keys and a
-- real pointer. Pictures go to SMELT_SHOTS: lsp-diagnostic.png,
-- lsp-completion.png, lsp-hover.png.
local t = require("testlib")
local gui = require("guitest")
local wait_for = gui.wait_for

local SOURCE = [[
#include <stdio.h>

static int add(int a, int b) { return a + b; }

int main(void)
{
  int total = add(1, 2);
  printf("%d\n", totl);

  return 0;
}
]]

local function title()
  for _, line in ipairs(smelt_test.toplevels()) do
    local name = line:match("^(.-— smelt)")
    if name then return name end
  end
end

local function shown(name)
  wait_for(function() return title() == name .. " — smelt" end, name .. " shown (" .. tostring(title()) .. ")")
end

local function shot(name)
  local dir = assert(os.getenv("SMELT_SHOTS"), "SMELT_SHOTS: where " .. name .. " goes (tests/gui/meson.build)")
  smelt.process.run("import", { "-window", "root", dir .. "/" .. name })
end

local function rows() return table.concat(smelt_test.completion_rows(), ",") end

-- a project folder of its own with main.c in it, open in the window, clangd running on it
local function open_project()
  local dir = os.tmpname()
  os.remove(dir)
  assert(smelt.fs.mkdir(dir))
  assert(smelt.fs.write(dir .. "/compile_flags.txt", "-xc\n-std=c11\n"))
  local path = dir .. "/main.c"
  assert(smelt.fs.write(path, SOURCE))
  local buf = smelt.buf.open(path)
  shown("main.c")
  -- clangd parses, then publishes the error: the file is known to it from then on
  wait_for(function() return smelt.diagnostic.get(buf, { severity = "error" })[1] end, "clangd's error", 60)
  return buf, dir
end

local function close_project(buf, dir)
  buf:close({ force = true })
  smelt.process.run("rm", { "-rf", dir })
end

t.test("clangd's error is underlined in the window, with a sign", function()
  local buf, dir = open_project()
  local d = smelt.diagnostic.get(buf, { severity = "error" })[1]
  t.contains(d.message, "totl")
  t.eq(d.line, 8)
  t.eq(buf:get_text(d.line, d.col, d.end_line, d.end_col), "totl")
  local marks = buf:get_marks(smelt.lsp.namespace("clangd"), 8, 8)
  t.eq(#marks, 1, "one mark on the line")
  t.eq(marks[1].hl, "DiagnosticUnderlineError")
  t.truthy(marks[1].sign, "a sign in the gutter")
  t.contains(marks[1].message, "totl")
  smelt.sleep(300)   -- the sign column laid out and drawn
  shot("lsp-diagnostic.png")
  close_project(buf, dir)
end, { timeout = 90000 })

t.test("a local's prefix typed in a function shows clangd's item; Return puts it in", function()
  local buf, dir = open_project()
  buf:set_cursor(9, 1)   -- the blank line in main
  gui.type_into("smelt", "  tot")
  local ok = pcall(wait_for, function() return (smelt_test.completion_rows()[1] or "") ~= "" end, "the popup's rows", 30)
  t.truthy(ok, "rows shown: " .. rows() .. "; line " .. buf:lines(9, 9)[1])
  local labels = smelt_test.completion_rows()
  t.eq(labels[1], "total", "the local first (rows: " .. rows() .. ")")
  smelt.sleep(300)   -- drawn
  shot("lsp-completion.png")
  -- Down selects the first row (none is selected as it opens), Return takes it
  gui.type_into("smelt", nil, "Down")
  smelt.sleep(100)
  gui.type_into("smelt", nil, "Return")
  wait_for(function() return buf:lines(9, 9)[1] == "  total" end, "the local completed (" .. buf:lines(9, 9)[1] .. ")")
  wait_for(function() return #smelt_test.completion_rows() == 0 end, "the popup closed")
  t.eq(table.concat(buf:lines(8, 10), "|"), '  printf("%d\\n", totl);|  total|  return 0;', "the lines around it untouched")
  close_project(buf, dir)
end, { timeout = 90000 })

-- the pointer onto the text at line, col until pred() holds (as hover_spec does:
-- a motion may be lost, or the popover closed by a motion GTK synthesizes)
local function point_at(b, line, col, pred, what)
  for _ = 1, 4 do
    local x, y
    wait_for(function() x, y = smelt_test.text_point(b, line, col); return x ~= nil end, "the text on the screen")
    gui.xdotool("mousemove", tostring(x - 40), tostring(y))
    smelt.sleep(100)
    gui.xdotool("mousemove", tostring(x), tostring(y))
    if pcall(wait_for, pred, what, 8) then return true end
    gui.xdotool("mousemove", "5", "5")
    smelt.sleep(200)
  end
  return false
end

t.test("hovering a function's name shows clangd's signature in the popover", function()
  local buf, dir = open_project()
  smelt.sleep(300)   -- laid out: the text stays where it is
  local col = buf:lines(7, 7)[1]:find("add", 1, true) + 1
  local ok = point_at(buf, 7, col, function()
    if #smelt_test.hover_texts() ~= 1 then return false end
    smelt.sleep(300)   -- drawn: a popup's first frame comes after it maps
    if #smelt_test.hover_texts() ~= 1 then return false end
    shot("lsp-hover.png")
    return #smelt_test.hover_texts() == 1
  end, "clangd's text in the popover")
  t.truthy(ok, "hover texts: " .. #smelt_test.hover_texts())
  local h = smelt_test.hover_texts()[1]
  t.contains(h.text, "int add(int a, int b)")
  t.contains(h.text, "function add")
  t.falsy(h.text:find("---", 1, true), "clangd's rules drawn as lines, not dashes: " .. h.text)
  gui.xdotool("mousemove", "5", "5")
  close_project(buf, dir)
end, { timeout = 90000 })

t.run()
