-- clangd_project.lua: the L benchmarks' project: smelt's scheduler (1,900 lines with GLib's headers) in a folder of its own
-- SPDX-License-Identifier: GPL-3.0-or-later
-- For the L GUI benchmarks (run.sh puts tests/bench on LUA_PATH and runs them
-- in `meson devenv`, which names the build's app/ for config.h):
--   local project = require("clangd_project").make(); ...; project.remove()
local M = {}

--- Copies plugin-host/smelt-scheduler.c into a new folder with a
--- compile_flags.txt clangd builds it with (plugin-host's headers copied
--- beside it). With opts.index, also a
--- compile_commands.json naming the copy and every plugin-host/*.c: clangd's
--- background index indexes the files a compilation database lists, and a
--- compile_flags.txt lists none.
---@param opts? { index?: boolean }
---@return { dir: string, path: string, remove: fun() }
function M.make(opts)
  local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")
  if here:sub(1, 1) ~= "/" then here = smelt.cwd() .. "/" .. here end
  local dir = os.tmpname()
  os.remove(dir)
  assert(smelt.fs.mkdir(dir))
  local flags = assert(smelt.process.run("pkg-config", { "--cflags", "gio-2.0", "lua5.4" })).stdout
  local build = assert(os.getenv("SMELT_GUI_MODULE_DIR"), "run by tests/bench/run.sh"):match("^(.*)/app$")
  -- plugin-host's sources and the build's headers copied in too: clangd
  -- keeps the index of a file it indexes beside the compilation database it
  -- finds for it, and for the tree's own files that is the source tree's
  local src = dir .. "/plugin-host"
  assert(smelt.fs.mkdir(src))
  local sources = {}
  local function copy(from_dir, name)
    assert(smelt.fs.write(src .. "/" .. name, assert(smelt.fs.read(from_dir .. "/" .. name))))
  end
  for _, e in ipairs(assert(smelt.fs.list(here .. "/../../plugin-host"))) do
    if e.name:match("%.[ch]$") then copy(here .. "/../../plugin-host", e.name) end
    if e.name:match("%.c$") then sources[#sources + 1] = src .. "/" .. e.name end
  end
  copy(build, "config.h")
  copy(build .. "/plugin-host", "smelt-enum-types.h")
  local lines = { "-xc", "-std=gnu11", "-I" .. src }
  for f in flags:gmatch("%S+") do lines[#lines + 1] = f end
  assert(smelt.fs.write(dir .. "/compile_flags.txt", table.concat(lines, "\n") .. "\n"))
  local path = dir .. "/smelt-scheduler.c"
  assert(smelt.fs.write(path, assert(smelt.fs.read(here .. "/../../plugin-host/smelt-scheduler.c"))))
  if opts and opts.index then
    local entries = {}
    for i, f in ipairs({ path, table.unpack(sources) }) do
      local args = { "cc", "-c" }
      for j = 2, #lines do args[#args + 1] = lines[j] end   -- "-xc" is cc's own for a .c
      args[#args + 1] = f
      entries[i] = { directory = dir, file = f, arguments = args }
    end
    assert(smelt.fs.write(dir .. "/compile_commands.json", smelt.json.encode(entries)))
  end
  return { dir = dir, path = path, remove = function()
    if os.getenv("SMELT_BENCH_KEEP") then io.stderr:write("kept " .. dir .. "\n") return end
    smelt.process.run("rm", { "-rf", dir })
  end }
end

--- The first line inside the first function body of buf.
---@param buf smelt.Buffer
---@return integer
function M.body_line(buf)
  local all = buf:lines()
  for i, l in ipairs(all) do
    if l == "{" and i > 1 and all[i - 1]:match("%)$") then return i + 1 end
  end
  error("no function body in " .. buf:path())
end

local function peak_kb(pid)
  local status = smelt.fs.read("/proc/" .. pid .. "/status")
  return status and tonumber(status:match("VmHWM:%s*(%d+)")) or 0
end

--- "rss SMELT_KB CLANGD_KB": the peak RSS (VmHWM) of smelt and of buf's
--- clangd so far (0 when it is not running).
---@param buf smelt.Buffer
---@return string
function M.peaks(buf)
  local c = smelt.lsp.get_clients({ buf = buf })[1]
  local pid = c and c.proc and c.proc:pid()
  return ("rss %d %d"):format(peak_kb("self"), pid and peak_kb(pid) or 0)
end

return M
