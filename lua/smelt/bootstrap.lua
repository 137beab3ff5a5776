-- smelt/bootstrap.lua: builds the Lua half of the smelt namespace; run once by the host
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The host calls this file with (smelt, internal): `smelt` is the public
-- namespace with its C functions already in it, `internal` what only the
-- bundled runtime sees. Nothing here leaks into globals.

local smelt, internal = ...

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."

---@param name string a file of this directory, without ".lua"
local function run_part(name)
  local chunk = assert(loadfile(here .. "/" .. name .. ".lua", "t"))
  chunk(smelt, internal)
end

run_part("task")
run_part("task_sync")
run_part("events")
run_part("json")
run_part("runtime")
run_part("cmd")
run_part("fs")
-- smelt.editorconfig's parser comes with its first use (a file opened or
-- saved): a script that never reads an .editorconfig does not carry it
smelt.editorconfig = setmetatable({}, { __index = function(t, key)
  setmetatable(t, nil)
  run_part("editorconfig")
  return rawget(t, key)
end })
run_part("stream")
run_part("process")
run_part("http")
run_part("net")
-- smelt.lsp, with its parts, comes with its first use (smelt.lsp.enable
-- in init.lua, say)
smelt.lsp = setmetatable({}, { __index = function(t, key)
  setmetatable(t, nil)
  run_part("lsp/init")
  return rawget(t, key)
end })
-- Health's lsp section loads it too: the servers configured, the clients
internal.health_sections.lsp = function() return smelt.lsp._info_lines() end
run_part("ext")
run_part("tier")
run_part("buffer")
run_part("keymap")   -- after buffer: a buffer's maps go with it
run_part("messages")
run_part("providers")
run_part("completion")
run_part("hover")
if internal.ui then
  run_part("ui")
  run_part("picker")   -- smelt.ui.select
  run_part("popup")
  run_part("session")
  run_part("drafts")
end
run_part("diagnostic")   -- after ui: its key maps
run_part("help")   -- after ui: its key map
