-- smelt/lsp/client.lua: one language server for one project root: start, sync, restart, stop
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A client owns its process and the buffers attached to it. Each attached
-- buffer has a mirror of its lines as the server has them: a buf-changed
-- event becomes an incremental didChange against the mirror (whose old
-- lines give the range's end in the server's code units), and is applied
-- to it. A server that exits unasked is started again after 1, 2, 4, 8,
-- 16 s, and the user is told; five quick exits in a row and it stays down.

local smelt, internal, parts = ...
local protocol, rpc = parts.protocol, parts.rpc
local task, json = smelt.task, smelt.json

local M = {}

---@class smelt.lsp.Client
---@field id integer
---@field name string
---@field root string
---@field config table
---@field state "starting"|"running"|"restarting"|"stopping"|"stopped"|"failed"
---@field capabilities table the server's, once running
---@field encoding "utf-8"|"utf-16"|"utf-32"
local Client = {}
Client.__index = Client

local next_id = 1
local RESTART_DELAYS = { 1000, 2000, 4000, 8000, 16000 }
local QUICK_EXIT_MS = 30000   -- a server that ran this long is well again

--- A client (not started yet) for config at root.
---@param config table
---@param root string
---@param hooks { diagnostics: fun(client, params), progress: fun(client, params), apply_edit: fun(client, edit): boolean }
---@return smelt.lsp.Client
function M.new(config, root, hooks)
  local self = setmetatable({
    id = next_id, name = config.name, root = root, config = config, hooks = hooks,
    state = "stopped", capabilities = {}, encoding = "utf-16",
    buffers = {}, ready = task.event(), restarts = 0, stderr_tail = {},
  }, Client)
  next_id = next_id + 1
  return self
end

function Client:describe()
  return ("%s (%s)"):format(self.name, self.root)
end

local function keep_tail(tail, line)
  tail[#tail + 1] = line
  if #tail > 20 then table.remove(tail, 1) end
end

local function settings_at(settings, section)
  local value = settings
  for key in (section or ""):gmatch("[^.]+") do
    if type(value) ~= "table" then return nil end
    value = value[key]
  end
  return value
end

function Client:on_request(method, params)
  if method == "workspace/configuration" then
    local out = {}
    for i, item in ipairs(params.items or {}) do
      local v = settings_at(self.config.settings or {}, item.section)
      out[i] = v == nil and json.null or v
    end
    return setmetatable(out, { __jsontype = "array" })
  elseif method == "window/workDoneProgress/create" or method == "client/registerCapability"
      or method == "client/unregisterCapability" then
    return json.null
  elseif method == "workspace/workspaceFolders" then
    return { { uri = protocol.uri(self.root), name = self.root:match("[^/]*$") } }
  elseif method == "workspace/applyEdit" then
    local ok, err = self.hooks.apply_edit(self, params.edit)
    return { applied = ok, failureReason = err }
  elseif method == "window/showMessageRequest" then
    smelt.notify(("%s: %s"):format(self.name, params.message), "info")
    return json.null
  end
  return nil, { code = -32601, message = "smelt does not handle " .. method }
end

function Client:on_notification(method, params)
  if method == "textDocument/publishDiagnostics" then
    self.hooks.diagnostics(self, params)
  elseif method == "$/progress" then
    self.hooks.progress(self, params)
  elseif method == "window/showMessage" then
    local level = ({ "error", "warn", "info", "info" })[params.type] or "info"
    smelt.notify(("%s: %s"):format(self.name, params.message), level)
  elseif method == "window/logMessage" then
    smelt.log.debug(("%s: %s"):format(self.name, params.message))
  end
end

--- Start the server and initialize it (returns at once; `client.ready`
--- is set once it is running).
function Client:start()
  local cmd = self.config.cmd
  local args = { table.unpack(cmd, 2) }
  local proc, err = smelt.process.spawn(cmd[1], args, { cwd = self.root, stderr = "pipe" })
  if not proc then
    self.state = "failed"
    smelt.notify(("lsp: %s: could not start %s: %s"):format(self.name, cmd[1], err), "error")
    return false
  end
  self.proc = proc
  self.state = "starting"
  self.started_at = smelt.now()
  self.rpc = rpc.connect(proc, self.name, {
    request = function(method, params) return self:on_request(method, params) end,
    notification = function(method, params) self:on_notification(method, params) end,
    exit = function(code, signal, why) self:on_exit(code, signal, why) end,
  })
  smelt.spawn(function()
    task.name("lsp " .. self.name .. " stderr")
    task.background()
    for line in proc.stderr:lines() do
      keep_tail(self.stderr_tail, line)
      smelt.log.debug(("%s stderr: %s"):format(self.name, line))
    end
  end):detach()
  smelt.spawn(function() self:initialize() end):detach()
  return true
end

function Client:initialize()
  task.name("lsp " .. self.name .. " initialize")
  local result, err = self.rpc:request("initialize", {
    processId = json.null,
    clientInfo = { name = "smelt" },
    rootUri = protocol.uri(self.root),
    rootPath = self.root,
    workspaceFolders = { { uri = protocol.uri(self.root), name = self.root:match("[^/]*$") } },
    capabilities = protocol.client_capabilities(),
    initializationOptions = self.config.init_options,
  })
  if not result then
    if self.state == "starting" then
      smelt.notify(("lsp: %s: initialize failed: %s"):format(self.name, err and err.message or "no answer"),
                   "error")
      self.state = "failed"
      self:kill()
    end
    return
  end
  self.capabilities = result.capabilities or {}
  self.server_info = result.serverInfo
  self.encoding = self.capabilities.positionEncoding or result.offsetEncoding or "utf-16"
  self.rpc:notify("initialized", json.empty_object)
  if self.config.settings then
    self.rpc:notify("workspace/didChangeConfiguration", { settings = self.config.settings })
  end
  self.state = "running"
  for buf in pairs(self.buffers) do
    if buf:valid() then self:did_open(buf) else self.buffers[buf] = nil end
  end
  self.ready:set()
end

function Client:kill()
  if self.proc and self.proc:pid() then self.proc:kill() end
end

function Client:on_exit(code, signal, why)
  self.ready:clear()
  local was = self.state
  if was == "stopping" or was == "stopped" or was == "failed" then
    self.state = was == "failed" and "failed" or "stopped"
    return
  end
  local how = signal and ("signal %d"):format(signal) or ("status %s"):format(tostring(code))
  local tail = self.stderr_tail[#self.stderr_tail]
  if smelt.now() - (self.started_at or 0) > QUICK_EXIT_MS then
    self.restarts = 0
  end
  self.restarts = self.restarts + 1
  local delay = RESTART_DELAYS[self.restarts]
  if not delay then
    self.state = "failed"
    smelt.notify(("lsp: %s exited (%s%s) %d times in a row; not restarting it (:LspRestart)")
      :format(self.name, how, tail and (": " .. tail) or "", #RESTART_DELAYS), "error")
    return
  end
  self.state = "restarting"
  smelt.notify(("lsp: %s exited (%s%s)%s; restarting it in %d s")
    :format(self.name, how, tail and (": " .. tail) or "", why and (", " .. why) or "", delay // 1000), "warn")
  smelt.spawn(function()
    task.name("lsp " .. self.name .. " restart")
    smelt.sleep(delay)
    if self.state == "restarting" then self:start() end
  end):detach()
end

--- Park until the server is running; false when it is not coming.
function Client:wait_ready()
  while self.state ~= "running" do
    if self.state == "failed" or self.state == "stopped" or self.state == "stopping" then
      return false
    end
    self.ready:wait()
  end
  return true
end

--- A request, once the server is running: result, or nil and an error.
---@param method string
---@param params table
function Client:request(method, params)
  if not self:wait_ready() then
    return nil, { code = -32099, message = self.name .. " is not running" }
  end
  return self.rpc:request(method, params)
end

function Client:notify(method, params)
  if self.state ~= "running" then return false end
  return self.rpc:notify(method, params)
end

--- Whether the server offers a capability ("hoverProvider", ...).
---@param name string
function Client:supports(name)
  local v = self.capabilities[name]
  return v ~= nil and v ~= false and v ~= json.null
end

-- Document sync ------------------------------------------------------------

local function sync_kind(caps)
  local sync = caps.textDocumentSync
  if type(sync) == "table" then
    return sync.change or 0, sync
  end
  return sync or 0, {}
end

--- Attach a buffer: its text goes to the server (now, or once it runs).
---@param buf smelt.Buffer
function Client:attach(buf)
  if self.buffers[buf] then return end
  self.buffers[buf] = { version = 0 }
  if self.state == "running" then self:did_open(buf) end
end

function Client:did_open(buf)
  local doc = self.buffers[buf]
  doc.lines = buf:lines()
  doc.tick = buf:changedtick()
  doc.version = doc.version + 1
  doc.uri = protocol.uri(buf:path())
  self:notify("textDocument/didOpen", { textDocument = {
    uri = doc.uri, languageId = self.config.language_id and self.config.language_id(buf) or buf:filetype() or "",
    version = doc.version, text = table.concat(doc.lines, "\n") } })
end

--- A buf-changed event: the same edit, to the server.
function Client:did_change(ev)
  local doc = self.buffers[ev.buf]
  if not doc or not doc.lines or ev.changedtick <= doc.tick or self.state ~= "running" then
    return
  end
  doc.tick = ev.changedtick
  local old, first, last = doc.lines, ev.first_line, ev.last_line
  local new = ev.lines
  local text = table.concat(new, "\n")
  local range
  if last < #old then
    range = { start = { line = first - 1, character = 0 }, ["end"] = { line = last, character = 0 } }
    text = text .. "\n"
  else
    range = { start = { line = first - 1, character = 0 },
              ["end"] = { line = last - 1, character = protocol.units(old[last] or "", self.encoding) } }
  end
  -- the mirror: old[first..last] becomes new
  local removed, added, n = last - first + 1, #new, #old
  if added ~= removed then
    table.move(old, last + 1, n, first + added)
    for i = n + added - removed + 1, n do old[i] = nil end
  end
  for i = 1, added do old[first + i - 1] = new[i] end
  doc.version = doc.version + 1
  local kind = sync_kind(self.capabilities)
  if kind == 0 then return end
  local change = kind == 1 and { text = table.concat(old, "\n") } or { range = range, text = text }
  self:notify("textDocument/didChange", { textDocument = { uri = doc.uri, version = doc.version },
                                          contentChanges = { change } })
end

function Client:did_save(buf)
  local doc = self.buffers[buf]
  if not doc or not doc.lines then return end
  local _, sync = sync_kind(self.capabilities)
  local save = sync.save
  if save == nil or save == false then return end
  local params = { textDocument = { uri = doc.uri } }
  if type(save) == "table" and save.includeText then params.text = buf:text() end
  self:notify("textDocument/didSave", params)
end

function Client:detach(buf)
  local doc = self.buffers[buf]
  if not doc then return end
  self.buffers[buf] = nil
  if doc.lines then
    self:notify("textDocument/didClose", { textDocument = { uri = doc.uri } })
  end
end

--- Park until the server has every edit of buf: the buf-changed handler
--- runs a moment after an edit, and a request about the text must come
--- after the edits before it.
---@param buf smelt.Buffer
function Client:sync(buf)
  local doc = self.buffers[buf]
  -- the events come from an idle of the main loop's: a sleep(0) can run
  -- before it, a millisecond's cannot; 200 ms at most, in case an edit
  -- brought no event
  for _ = 1, 200 do
    if not doc or not doc.lines or self.state ~= "running" or doc.tick >= buf:changedtick() then return end
    smelt.sleep(1)
  end
end

--- The lines the server has of a buffer (for positions), or the buffer's.
function Client:lines(buf)
  local doc = self.buffers[buf]
  return doc and doc.lines or buf:lines()
end

--- Shut the server down (shutdown, exit; killed if it does not go in 2 s).
function Client:stop()
  if self.state == "stopped" or self.state == "failed" then return end
  local running = self.state == "running"
  self.state = "stopping"
  self.ready:set()   -- waiters give up
  if running then
    task.timeout(1000, function() self.rpc:request("shutdown") end)
    self.rpc:notify("exit")
  end
  local gone = task.timeout(1000, function() self.proc:wait() return true end)
  if not gone then self:kill() end
  self.rpc:close()
  self.state = "stopped"
end

M.Client = Client
return M
