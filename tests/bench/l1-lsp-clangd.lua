-- l1-lsp-clangd.lua: smelt.lsp with clangd on a real file of smelt's own (the scheduler, 1,900 lines
-- with GLib's headers); prints "OPEN_TO_DIAGNOSTIC_MS COMPLETION_MS"
-- SPDX-License-Identifier: GPL-3.0-or-later
-- The first figure: from smelt.buf.open to the first diagnostic (an error put at the file's end),
-- clangd parsing GLib's headers included. The second: the median of 5 completion requests inside
-- a function (the time from asking to the items), once the file is parsed.
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")
if here:sub(1, 1) ~= "/" then here = smelt.cwd() .. "/" .. here end
local src = here .. "/../../plugin-host/smelt-scheduler.c"

local dir = os.tmpname()
os.remove(dir)
assert(smelt.fs.mkdir(dir))
local flags = assert(smelt.process.run("pkg-config", { "--cflags", "gio-2.0", "lua5.4" })).stdout
-- config.h is the build's (run.sh runs this in `meson devenv`, which names the build's app/)
local build = assert(os.getenv("SMELT_GUI_MODULE_DIR"), "run by tests/bench/run.sh"):match("^(.*)/app$")
local lines = { "-xc", "-std=gnu11", "-I" .. here .. "/../../plugin-host", "-I" .. build }
for f in flags:gmatch("%S+") do lines[#lines + 1] = f end
assert(smelt.fs.write(dir .. "/compile_flags.txt", table.concat(lines, "\n") .. "\n"))
local text = assert(smelt.fs.read(src)) .. "\nint smelt_bench_error = undeclared_name;\n"
local path = dir .. "/smelt-scheduler.c"
assert(smelt.fs.write(path, text))

smelt.lsp.enable("clangd")
local started = smelt.now()
local buf = smelt.buf.open(path)
local function the_error()
  for _, d in ipairs(smelt.diagnostic.get(buf, { severity = "error" })) do
    assert(d.message:find("undeclared_name", 1, true), "an error of another kind: " .. d.message)
    return true
  end
end
while not the_error() do smelt.sleep(1) end
local to_diagnostic = smelt.now() - started

-- inside the first function body: a new line "  g_ha" and completion after it
local at
local all = buf:lines()
for i, l in ipairs(all) do
  if l == "{" and i > 1 and all[i - 1]:match("%)$") then at = i + 1 break end
end
local times = {}
for i = 1, 5 do
  local prefix = ({ "g_ha", "g_li", "g_st", "g_ma", "g_ob" })[i]
  buf:set_text(at, 1, at, 1, "  " .. prefix .. "\n")
  local t0 = smelt.now()
  local items = smelt.lsp.buf.completion({ buf = buf, line = at, col = 3 + #prefix })
  times[#times + 1] = smelt.now() - t0
  assert(#items > 0, "no completion items for " .. prefix)
  buf:undo()
end
table.sort(times)
io.stdout:write(("%.0f %.1f\n"):format(to_diagnostic, times[3]))
buf:close({ force = true })
smelt.quit(0)
