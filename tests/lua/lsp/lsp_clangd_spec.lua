-- lsp_clangd_spec.lua: smelt.lsp with real clangd (Debian's, installed by tests/install-deps.sh), headless
local t = dofile(os.getenv("SMELT_TESTLIB"))
t.default_timeout = 60000   -- a hang guard: clangd parses in about a second
local lsp = smelt.lsp

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

local dir = t.tmpdir()
t.write(dir, "compile_flags.txt", "-xc\n-std=c11\n")
local path = t.write(dir, "main.c", SOURCE)
lsp.enable("clangd")

local buf, client

local wait_for = t.wait_for

local function col_of(line, s)
  return (buf:lines()[line]:find(s, 1, true))
end

t.test("a C file gets clangd's diagnostic at the right range", function()
  buf = smelt.buf.open(path)
  client = wait_for("a running clangd", function()
    local c = lsp.get_clients({ buf = buf })[1]
    return c and c.state == "running" and c
  end)
  t.eq(client.name, "clangd")
  t.eq(client.root, dir, "the root is the folder with compile_flags.txt")
  local d = wait_for("the error", function()
    return smelt.diagnostic.get(buf, { severity = "error" })[1]
  end)
  t.eq(d.severity, "error")
  t.contains(d.message, "totl")
  t.eq(d.line, 8)
  t.eq(buf:get_text(d.line, d.col, d.end_line, d.end_col), "totl")
end)

t.test("hover on a function gives its signature", function()
  local text = lsp.buf.hover({ buf = buf, line = 7, col = col_of(7, "add") })
  t.truthy(text, "hover text")
  t.contains(text, "int add(int a, int b)")
end)

t.test("completion of a prefix offers the variable, labelled as it is written", function()
  buf:set_text(9, 1, 9, 1, "  tot\n")
  local items = lsp.buf.completion({ buf = buf, line = 9, col = 6 })
  buf:undo()
  local found
  for _, item in ipairs(items) do
    if item.label:match("total") then found = item end
  end
  local labels = {}
  for i, item in ipairs(items) do labels[i] = item.label end
  t.truthy(found, ("total among the items: %s"):format(table.concat(labels, ", ")))
  t.eq(found.kind, "variable")
  -- clangd puts a space (or a bullet when it would add an #include) before
  -- each label: the popup shows, and filters on, the name alone
  t.eq(found.label, "total")
  -- clangd's edit replaces "tot": it goes in for the word, however much of it is typed when it is taken
  t.eq(found.insert_text, "total")
  t.eq(found.edit, nil, "no range fixed when it was asked")
end)

t.test("go to definition jumps to the function", function()
  local locs = lsp.buf.definition({ buf = buf, line = 7, col = col_of(7, "add") })
  t.eq(#locs, 1)
  t.eq(locs[1].path, path)
  t.eq(locs[1].line, 3)
  t.eq(locs[1].col, col_of(3, "add"))
  local line, col = buf:cursor()
  t.eq(line, 3, "the cursor is on the definition")
  t.eq(col, col_of(3, "add"))
end)

t.test("rename changes every use, one undo step", function()
  t.truthy(lsp.buf.rename("plus", { buf = buf, line = 3, col = col_of(3, "add") }))
  t.contains(buf:lines()[3], "static int plus(int a, int b)")
  t.contains(buf:lines()[7], "int total = plus(1, 2);")
  buf:undo()
  t.eq(buf:text(), SOURCE, "undone in one step")
end)

t.test("references to a function", function()
  local locs = lsp.buf.references({ buf = buf, line = 3, col = col_of(3, "add"), jump = false })
  local lines = {}
  for _, l in ipairs(locs) do lines[#lines + 1] = l.line end
  table.sort(lines)
  t.same(lines, { 3, 7 }, "the definition and the call")
end)

t.test("a code action of clangd's fixes the typo", function()
  local actions = lsp.buf.code_actions({ buf = buf, line = 8, col = col_of(8, "totl") })
  local fix
  for _, a in ipairs(actions) do
    if a.title:find("total", 1, true) then fix = a end
  end
  t.truthy(fix, "a fix that names total")
  lsp.buf.apply_code_action(client, fix)
  t.contains(buf:lines()[8], 'printf("%d\\n", total);')
end)

t.test("format through clangd", function()
  t.eq(buf:lines()[9], "  return 0;")
  buf:set_text(9, 1, 9, 12, "  return   0 ;")
  t.truthy(lsp.buf.format({ buf = buf }))
  t.contains(buf:text(), "\n  return 0;\n")
end)

t.test("the buffer closed, the client stops at quit", function()
  buf:close({ force = true })
  client:stop()
  t.eq(client.state, "stopped")
  t.eq(client.proc:pid(), nil, "clangd has exited")
end)

t.run()
