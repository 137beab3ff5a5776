-- smelt/runtime.lua: the runtime path, require through it, startup (init.lua, plugin/*.lua), quitting
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The runtime path, like Neovim's 'runtimepath', in this order:
--   $XDG_CONFIG_HOME/smelt (default ~/.config/smelt)      the user's config
--   $XDG_DATA_HOME/smelt/site (default ~/.local/share)     the user's site
--   each $XDG_DATA_DIRS/smelt/site                          system sites
--   smelt's own bundled runtime
-- In an entry, modules are lua/<name>.lua or lua/<name>/init.lua and plugins
-- plugin/*.lua; in the bundled runtime (which is the lua/ directory itself)
-- modules sit at its top and plugins in plugin/.

local smelt, internal = ...

local info = internal.info()
local bundled = info.runtime_dir
local rtp = {}
local loaded_plugins = {}   -- { path, ms, ok, err } in load order
local quit_pre_timeout_ms = 5000

local function getenv(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then
    return default
  end
  return v
end

local function home()
  return getenv("HOME", "/")
end

---@return string
local function config_dir()
  return getenv("XDG_CONFIG_HOME", home() .. "/.config") .. "/smelt"
end

---@param clean boolean
local function build_rtp(clean)
  for i = #rtp, 1, -1 do
    rtp[i] = nil
  end
  if not clean then
    rtp[#rtp + 1] = config_dir()
    rtp[#rtp + 1] = getenv("XDG_DATA_HOME", home() .. "/.local/share") .. "/smelt/site"
  end
  for dir in getenv("XDG_DATA_DIRS", "/usr/local/share:/usr/share"):gmatch("[^:]+") do
    rtp[#rtp + 1] = dir .. "/smelt/site"
  end
  rtp[#rtp + 1] = bundled
end
build_rtp(false)

local std_dirs = {
  config = function() return config_dir() end,
  data = function() return getenv("XDG_DATA_HOME", home() .. "/.local/share") .. "/smelt" end,
  state = function() return getenv("XDG_STATE_HOME", home() .. "/.local/state") .. "/smelt" end,
  cache = function() return getenv("XDG_CACHE_HOME", home() .. "/.cache") .. "/smelt" end,
}

--- Where smelt keeps its files of a kind, as Neovim's stdpath(): "config"
--- (init.lua), "data", "state" (the session) or "cache", each the XDG base
--- directory of that kind followed by /smelt. The folder may not exist yet.
---@param what "config"|"data"|"state"|"cache"
---@return string
function smelt.stdpath(what)
  local dir = std_dirs[what]
  if type(what) ~= "string" or not dir then
    error(("bad argument #1 to 'smelt.stdpath' (\"config\", \"data\", \"state\" or \"cache\" expected, got %s)")
      :format(type(what) == "string" and ("%q"):format(what) or type(what)), 2)
  end
  return dir()
end

--- The runtime path: the live list. Plugins may append directories to it;
--- require() and later plugin loading see them at once.
---@return string[]
function smelt.runtimepath()
  return rtp
end

---@param entry string
---@return string lua_dir where the entry's modules live
local function module_dir(entry)
  if entry == bundled then
    return entry
  end
  return entry .. "/lua"
end

-- require("x") looks in every runtime path entry, as it is at that moment.
local function rtp_searcher(name)
  local tried = {}
  for _, entry in ipairs(rtp) do
    local base = module_dir(entry)
    local path = package.searchpath(name, base .. "/?.lua;" .. base .. "/?/init.lua")
    if path then
      local chunk, err = loadfile(path, "bt")
      if not chunk then
        error(("error loading module '%s' from file '%s':\n\t%s"):format(name, path, err), 0)
      end
      return chunk, path
    end
    tried[#tried + 1] = "\n\tno file '" .. base .. "/" .. name:gsub("%.", "/") .. ".lua' (runtimepath)"
  end
  return table.concat(tried)
end
table.insert(package.searchers, 2, rtp_searcher)

---@param dir string
---@return string[] the *.lua files of dir, in byte order
local function lua_files(dir)
  local files = {}
  local ok, entries = pcall(internal.list_dir, dir)
  if not ok or not entries then
    return files
  end
  for _, name in ipairs(entries) do
    if name:match("%.lua$") then
      files[#files + 1] = dir .. "/" .. name
    end
  end
  table.sort(files)
  return files
end

---@param path string
local function source_plugin(path)
  local ok, ms, err = internal.source(path)
  loaded_plugins[#loaded_plugins + 1] = { path = path, ms = ms, ok = ok, err = err }
end

--- Startup: the user's init.lua (or opts.init), then every plugin/*.lua of
--- every runtime path entry, then the event "ready".
---@param opts { clean?: boolean, init?: string }
function internal.startup(opts)
  internal.clean = opts.clean == true   -- also: no session restored or saved
  build_rtp(internal.clean)
  local init = opts.init
  if init == nil and not opts.clean then
    local candidate = config_dir() .. "/init.lua"
    if internal.is_file(candidate) then
      init = candidate
    end
  end
  if init ~= nil and init ~= "NONE" then
    source_plugin(init)
  end
  local seen = {}
  local i = 1
  -- rtp may grow while plugins load: entries added are loaded too.
  while rtp[i] do
    local entry = rtp[i]
    if not seen[entry] then
      seen[entry] = true
      for _, file in ipairs(lua_files(entry .. "/plugin")) do
        source_plugin(file)
      end
    end
    i = i + 1
  end
  smelt.emit("ready")
end

--- The plugin files loaded at startup: { path, ms, ok, err }.
---@return table
function internal.loaded_plugins()
  return loaded_plugins
end

--- Text output of built-in commands (stdout with --no-ui; the GUI replaces it).
---@param text string
function internal.output(text)
  io.stdout:write(text, "\n")
  io.stdout:flush()
end

-- Quitting --------------------------------------------------------------------

local raw_quit = internal.quit
local quitting = false

---@param code any
---@return integer
local function check_code(code)
  if code == nil then
    return 0
  elseif code == true then
    return 0
  elseif code == false then
    return 1
  elseif math.type(code) == "integer" and code >= 0 and code <= 255 then
    return code
  end
  error("bad argument #1 to 'smelt.quit' (exit code must be an integer from 0 to 255)", 3)
end

--- End the program with `code` (default 0), after the "quit-pre" handlers
--- have finished (for at most 5 seconds). Inside a task, the task parks
--- until the program ends.
---@param code? integer|boolean
function smelt.quit(code)
  code = check_code(code)
  if not quitting then
    quitting = true
    local handlers = smelt.emit("quit-pre", { code = code })
    if #handlers > 0 then
      internal.spawn_root(function()
        smelt.task.name("quit-pre")
        smelt.task.timeout(quit_pre_timeout_ms, function()
          for _, h in ipairs(handlers) do
            pcall(h.wait, h)
          end
        end)
        raw_quit(code)
      end)
      if internal.self() and coroutine.isyieldable() then
        smelt.task.wait(smelt.task.alloc())
      end
      return
    end
  end
  return raw_quit(code)
end

-- Seeing what runs ---------------------------------------------------------------

--- The task list as text, for the Tasks command.
---@return string
function internal.format_tasks()
  local lines = { ("%-6s %-28s %-9s %-24s %-6s %s"):format("id", "name", "status", "waiting on", "parent", "age") }
  for _, t in ipairs(smelt.task.list()) do
    lines[#lines + 1] = ("%-6d %-28s %-9s %-24s %-6s %.0f ms"):format(t.id, t.name, t.status,
      t.waiting_on or "-", t.parent and tostring(t.parent) or "-", t.age_ms)
  end
  return table.concat(lines, "\n")
end

--- Sections other parts of smelt add to Health: name -> function returning lines.
internal.health_sections = {}

--- The Health report, like Neovim's :checkhealth.
---@return string
function internal.health_report()
  local now = internal.info()
  local out = {}
  local function add(s) out[#out + 1] = s end
  add("smelt " .. smelt.version)
  add(("  %s, GLib %s, GTK %s"):format(now.lua, now.glib, internal.gtk_version or "not loaded (--no-ui)"))
  add(("  watchdog %s, Lua heap %.1f MB of %s"):format(
    now.watchdog_ms > 0 and (now.watchdog_ms .. " ms") or "off",
    now.memory_used / 1048576,
    now.memory_limit > 0 and ("%.0f MB"):format(now.memory_limit / 1048576) or "no limit"))
  -- which installation this is: its own, or the one the environment names
  add(("runtime: %s (%s)"):format(now.runtime_dir, now.runtime_origin))
  add(("window module: %s (%s)"):format(now.gui_module, now.gui_module_origin))
  add(("translations: %s (%s)"):format(now.locale_dir, now.locale_origin))
  add("runtime path:")
  for _, entry in ipairs(rtp) do
    add(("  %s%s"):format(entry, internal.is_dir(entry) and "" or "  (missing)"))
  end
  add("plugins loaded:")
  if #loaded_plugins == 0 then
    add("  (none)")
  end
  for _, p in ipairs(loaded_plugins) do
    add(("  %-60s %7.2f ms  %s"):format(p.path, p.ms, p.ok and "OK" or ("ERROR: " .. tostring(p.err))))
  end
  local tasks = smelt.task.list()
  add(("tasks: %d live"):format(#tasks))
  for _, t in ipairs(tasks) do
    add(("  %d %s %s%s"):format(t.id, t.name, t.status, t.waiting_on and (" on " .. t.waiting_on) or ""))
  end
  local names = {}
  for name in pairs(internal.health_sections) do
    names[#names + 1] = name
  end
  table.sort(names)
  for _, name in ipairs(names) do
    add(name .. ":")
    for _, line in ipairs(internal.health_sections[name]()) do
      add("  " .. line)
    end
  end
  return table.concat(out, "\n")
end
