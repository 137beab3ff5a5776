-- smelt/lsp/init.lua: smelt.lsp, a language server client, configured as Neovim 0.11's vim.lsp is
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- smelt.lsp.config(name, cfg) describes a server; smelt.lsp.enable(name)
-- starts one client per server and project root when a buffer of one of
-- its file types opens, and attaches the buffer to it. What the servers
-- say lands in smelt.diagnostic, the hover and completion providers, the
-- picker and the Tasks panel. The parts: protocol.lua (positions, URIs),
-- rpc.lua (JSON-RPC framing), client.lua (one server), edit.lua (text and
-- workspace edits), features.lua (requests of the user's).

local smelt, internal = ...
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."

local parts = {}
local function load_part(name)
  parts[name] = assert(loadfile(here .. "/" .. name .. ".lua", "t"))(smelt, internal, parts)
  return parts[name]
end
local protocol = load_part("protocol")
load_part("rpc")
local client_mod = load_part("client")
local edit = load_part("edit")

-- the table bootstrap.lua put there (a plugin may hold it already)
local lsp = smelt.lsp or {}
lsp._protocol = protocol

local configs = {}    -- name -> config
local enabled = {}    -- name -> true
local clients = {}    -- name .. "\0" .. root -> client
local by_id = {}      -- client id -> client

local CONFIG_KEYS = { cmd = "table", filetypes = "table", root_markers = "table", settings = "table",
                      init_options = "table", format_on_save = "boolean", format_timeout = "number" }

--- Describe a server (merged into what is there for name; the bundled
--- ones are "clangd" and "pylsp"). It starts only once enabled.
---@param name string
---@param cfg { cmd?: string[], filetypes?: string[], root_markers?: string[], settings?: table, init_options?: table, format_on_save?: boolean, format_timeout?: integer }
function lsp.config(name, cfg)
  if type(name) ~= "string" or name == "" then
    error(("bad argument #1 to 'smelt.lsp.config' (a server name expected, got %s)"):format(type(name)), 2)
  end
  if type(cfg) ~= "table" then
    error(("bad argument #2 to 'smelt.lsp.config' (table expected, got %s)"):format(type(cfg)), 2)
  end
  for key, value in pairs(cfg) do
    local want = CONFIG_KEYS[key]
    if not want then
      error(("smelt.lsp.config: %s: unknown option '%s'"):format(name, tostring(key)), 2)
    end
    if type(value) ~= want then
      error(("smelt.lsp.config: %s: %s must be a %s, got %s"):format(name, key, want, type(value)), 2)
    end
  end
  if cfg.cmd then
    if #cfg.cmd == 0 then error(("smelt.lsp.config: %s: cmd is empty"):format(name), 2) end
    for i, a in ipairs(cfg.cmd) do
      if type(a) ~= "string" then
        error(("smelt.lsp.config: %s: cmd[%d] must be a string, got %s"):format(name, i, type(a)), 2)
      end
    end
  end
  local c = configs[name] or { name = name }
  for key, value in pairs(cfg) do c[key] = value end
  configs[name] = c
end

--- The configuration of name (a copy), or nil.
---@param name string
---@return table|nil
function lsp.get_config(name)
  local c = configs[name]
  if not c then return nil end
  local copy = {}
  for k, v in pairs(c) do copy[k] = v end
  return copy
end

local function matches(config, buf)
  local ft = buf:filetype()
  if not ft or not buf:path() then return false end
  for _, f in ipairs(config.filetypes or {}) do
    if f == ft then return true end
  end
  return false
end

-- the nearest folder above path holding one of the markers, else path's own
local function find_root(config, path)
  local dir = path:match("^(.*)/[^/]*$")
  if dir == "" then dir = "/" end
  local markers = config.root_markers or {}
  local d = dir
  while d and d ~= "" do
    for _, m in ipairs(markers) do
      if smelt.fs.stat(d .. "/" .. m) then return d end
    end
    if d == "/" then break end
    d = d:match("^(.*)/[^/]*$")
    if d == "" then d = "/" end
  end
  return dir
end

local function client_for(config, root)
  local key = config.name .. "\0" .. root
  local c = clients[key]
  if c and c.state ~= "stopped" and c.state ~= "failed" then return c end
  c = client_mod.new(config, root, {
    diagnostics = function(cl, params) lsp._on_diagnostics(cl, params) end,
    progress = function(cl, params) lsp._on_progress(cl, params) end,
    apply_edit = function(cl, e) return edit.apply_workspace_edit(e, cl.encoding) end,
  })
  clients[key] = c
  by_id[c.id] = c
  c:start()
  return c
end

local function attach_matching(buf)
  if not buf:valid() or not buf:path() then return end
  for name in pairs(enabled) do
    local config = configs[name]
    if config and config.cmd and matches(config, buf) then
      client_for(config, find_root(config, buf:path())):attach(buf)
      lsp._map_keys(buf)
    end
  end
end

--- Start (or stop, with false) the servers of these names for the buffers
--- of their file types, those open now and those opened later.
---@param name string|string[]
---@param enable? boolean
function lsp.enable(name, enable)
  local names = type(name) == "table" and name or { name }
  for i, n in ipairs(names) do
    if type(n) ~= "string" or not configs[n] then
      error(("bad argument #1 to 'smelt.lsp.enable' (no server '%s': smelt.lsp.config(name, { cmd = ... }) first)")
        :format(tostring(n)), 2)
    end
    names[i] = n
  end
  for _, n in ipairs(names) do
    if enable == false then
      enabled[n] = nil
      for _, c in pairs(clients) do
        if c.name == n then smelt.spawn(function() c:stop() end):detach() end
      end
    else
      enabled[n] = true
    end
  end
  if enable ~= false then
    smelt.spawn(function()
      for _, buf in ipairs(smelt.buf.list()) do attach_matching(buf) end
    end):detach()
  end
end

--- Whether the server name is enabled.
---@param name string
function lsp.is_enabled(name)
  return enabled[name] == true
end

--- The clients, all or those of a buffer or a name.
---@param filter? { buf?: smelt.Buffer, name?: string }
---@return smelt.lsp.Client[]
function lsp.get_clients(filter)
  filter = filter or {}
  local out = {}
  for _, c in pairs(clients) do
    if c.state ~= "stopped" and (not filter.name or c.name == filter.name)
        and (not filter.buf or c.buffers[filter.buf]) then
      out[#out + 1] = c
    end
  end
  table.sort(out, function(a, b) return a.id < b.id end)
  return out
end

--- The client with this id, or nil.
---@param id integer
function lsp.get_client(id)
  return by_id[id]
end

-- Events -------------------------------------------------------------------

smelt.on("buf-open", function(ev) attach_matching(ev.buf) end)

smelt.on("buf-changed", function(ev)
  for _, c in pairs(clients) do
    if c.buffers[ev.buf] then c:did_change(ev) end
  end
end)

smelt.on("buf-write-post", function(ev)
  for _, c in pairs(clients) do
    if c.buffers[ev.buf] then c:did_save(ev.buf) end
  end
end)

smelt.on("buf-close", function(ev)
  for _, c in pairs(clients) do
    if c.buffers[ev.buf] then c:detach(ev.buf) end
  end
end)

smelt.on("quit-pre", function()
  local stops = {}
  for _, c in pairs(clients) do
    if c.state ~= "stopped" and c.state ~= "failed" then
      stops[#stops + 1] = function() c:stop() end
    end
  end
  if #stops > 0 then smelt.task.all(table.unpack(stops)) end
end)

-- Diagnostics ------------------------------------------------------------

local function buffer_at(path)
  for _, buf in ipairs(smelt.buf.list()) do
    if buf:path() == path then return buf end
  end
  return nil
end
lsp._buffer_at = buffer_at

--- The diagnostics namespace of a server.
---@param name string
function lsp.namespace(name)
  return smelt.ns("lsp." .. name)
end

function lsp._on_diagnostics(c, params)
  local path = protocol.path(params.uri or "")
  local buf = path and buffer_at(path)
  if not buf then return end
  local lines = buf:lines()
  local items = {}
  for _, d in ipairs(params.diagnostics or {}) do
    local l1, c1 = protocol.to_smelt(lines, d.range.start, c.encoding)
    local l2, c2 = protocol.to_smelt(lines, d.range["end"], c.encoding)
    items[#items + 1] = {
      line = l1, col = c1, end_line = l2, end_col = c2,
      severity = protocol.severity[d.severity] or "error",
      message = d.message, source = type(d.source) == "string" and d.source or c.name,
      code = (type(d.code) == "string" or type(d.code) == "number") and d.code or nil,
    }
  end
  smelt.diagnostic.set(lsp.namespace(c.name), buf, items)
end

-- Progress: each $/progress token is a task in the Tasks panel, named with
-- the server's title, message and percentage, that ends with the work.
local progress = {}

function lsp._on_progress(c, params)
  local value = params.value
  if type(value) ~= "table" then return end
  local key = c.id .. ":" .. tostring(params.token)
  local p = progress[key]
  if value.kind == "begin" then
    p = { title = value.title or "", message = value.message, percentage = value.percentage,
          changed = smelt.task.event(), done = false }
    progress[key] = p
    smelt.spawn(function()
      while true do
        local pct = p.percentage and (" %d%%"):format(p.percentage) or ""
        smelt.task.name(("%s: %s%s%s"):format(c.name, p.title, p.message and (" " .. p.message) or "", pct))
        if p.done then break end
        p.changed:clear()
        p.changed:wait()
      end
    end):detach()
  elseif p then
    if value.message then p.message = value.message end
    if value.percentage then p.percentage = value.percentage end
    if value.kind == "end" then
      p.done = true
      progress[key] = nil
    end
    p.changed:set()
  end
end

--- The work the servers report, as { client, title, message, percentage }.
---@return table[]
function lsp.progress()
  local out = {}
  for key, p in pairs(progress) do
    out[#out + 1] = { client = by_id[tonumber(key:match("^(%d+)"))], title = p.title, message = p.message,
                      percentage = p.percentage }
  end
  return out
end

-- Bundled configurations --------------------------------------------------

lsp.config("clangd", {
  cmd = { "clangd", "--background-index=false" },
  filetypes = { "c", "cpp", "objc", "objcpp", "cuda" },
  root_markers = { "compile_commands.json", "compile_flags.txt", ".clangd", ".git" },
})

lsp.config("pylsp", {
  cmd = { "pylsp" },
  filetypes = { "python", "python3" },
  root_markers = { "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", ".git" },
})

smelt.lsp = lsp
load_part("features")

-- Health and :LspInfo ------------------------------------------------------

function lsp._info_lines()
  local lines = {}
  local names = {}
  for name in pairs(configs) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local c = configs[name]
    lines[#lines + 1] = ("%s: %s, cmd: %s, file types: %s"):format(name,
      enabled[name] and "enabled" or "not enabled", table.concat(c.cmd or {}, " "),
      table.concat(c.filetypes or {}, ", "))
  end
  for _, c in ipairs(lsp.get_clients()) do
    local n = 0
    for _ in pairs(c.buffers) do n = n + 1 end
    lines[#lines + 1] = ("client %d: %s, %s, %s encoding, %d buffer%s%s"):format(c.id, c:describe(), c.state,
      c.encoding, n, n == 1 and "" or "s",
      c.server_info and (", " .. (c.server_info.name or "") .. " " .. (c.server_info.version or "")) or "")
  end
  if #lsp.get_clients() == 0 then lines[#lines + 1] = "no client running" end
  return lines
end

smelt.cmd.create("LspInfo", function()
  print(table.concat(lsp._info_lines(), "\n"))
end, { desc = "the language servers: configured, enabled, running" })

smelt.cmd.create("LspRestart", function()
  for _, c in ipairs(lsp.get_clients()) do
    local buffers = c.buffers
    c:stop()
    local fresh = client_for(c.config, c.root)
    for buf in pairs(buffers) do fresh:attach(buf) end
  end
  for _, c in pairs(clients) do
    if c.state == "failed" then
      c.state = "stopped"
      local fresh = client_for(c.config, c.root)
      for buf in pairs(c.buffers) do fresh:attach(buf) end
    end
  end
end, { desc = "stop and start the language servers" })

smelt.cmd.create("LspStop", function()
  for _, c in ipairs(lsp.get_clients()) do c:stop() end
end, { desc = "stop the language servers" })

return lsp
