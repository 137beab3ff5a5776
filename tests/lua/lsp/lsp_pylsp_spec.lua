-- lsp_pylsp_spec.lua: smelt.lsp with real pylsp (Debian's python3-pylsp and pyflakes), headless
local t = dofile(os.getenv("SMELT_TESTLIB"))
t.default_timeout = 60000   -- a hang guard: pylsp starts in about a second
local lsp = smelt.lsp

local SOURCE = [[
import os


def greet(name):
    return "hi " + name


greet(nam)
]]

local dir = t.tmpdir()
t.write(dir, "pyproject.toml", "")
local path = t.write(dir, "hello.py", SOURCE)
lsp.enable("pylsp")

local buf, client

local wait_for = t.wait_for

t.test("a Python file gets pyflakes' diagnostics through pylsp", function()
  buf = smelt.buf.open(path)
  client = wait_for("a running pylsp", function()
    local c = lsp.get_clients({ buf = buf })[1]
    return c and c.state == "running" and c
  end)
  t.eq(client.root, dir)
  local undefined = wait_for("the undefined name", function()
    for _, d in ipairs(smelt.diagnostic.get(buf)) do
      if d.message:find("undefined name 'nam'", 1, true) then return d end
    end
  end)
  t.eq(undefined.line, 8)
  -- pyflakes' range starts at the name (and runs on past it)
  t.eq(undefined.col, 7)
end)

t.test("hover and definition of a function", function()
  local text = lsp.buf.hover({ buf = buf, line = 8, col = 2 })
  t.truthy(text, "hover text")
  t.contains(text, "greet(name)")
  local locs = lsp.buf.definition({ buf = buf, line = 8, col = 2, jump = false })
  t.eq(#locs, 1)
  t.eq(locs[1].line, 4)
  t.eq(locs[1].col, 5)
end)

t.test("completion of a prefix", function()
  buf:set_text(9, 1, 9, 1, "gre")
  local items = lsp.buf.completion({ buf = buf, line = 9, col = 4 })
  local found
  for _, item in ipairs(items) do
    if item.label:find("^greet") then found = item end
  end
  t.truthy(found, ("greet among %d items"):format(#items))
  t.eq(found.kind, "function")
  buf:undo()
end)

t.test("rename through jedi", function()
  t.truthy(lsp.buf.rename("salute", { buf = buf, line = 4, col = 6 }))
  t.contains(buf:text(), "def salute(name):")
  t.contains(buf:text(), "salute(nam)")
end)

t.run()
