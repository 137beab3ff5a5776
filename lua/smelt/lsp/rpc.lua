-- smelt/lsp/rpc.lua: JSON-RPC 2.0 with Content-Length framing over a process's streams
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- One reader task takes the server's messages off its stdout; one writer
-- task writes ours in order (two writes at once would interleave on the
-- pipe). A request parks its task until the answer comes; cancelling that
-- task sends $/cancelRequest. Both tasks are detached: they belong to the
-- connection, not to whichever task happened to open it.

local smelt = ...
local json = smelt.json
local task = smelt.task

local M = {}

---@class smelt.lsp.Rpc
---@field name string the server's name, for messages
local Rpc = {}
Rpc.__index = Rpc

local function frame(msg)
  local body = json.encode(msg)
  return ("Content-Length: %d\r\n\r\n%s"):format(#body, body)
end

--- Start talking to a process spawned with smelt.process.spawn.
---@param proc smelt.Process
---@param name string
---@param handlers { request: fun(method: string, params: any): any, any?, notification: fun(method: string, params: any), exit: fun(code: integer|nil, signal: integer|nil, err: string|nil) }
---@return smelt.lsp.Rpc
function M.connect(proc, name, handlers)
  local self = setmetatable({
    proc = proc, name = name, handlers = handlers,
    next_id = 1, pending = {}, out = task.queue(), closed = false,
  }, Rpc)
  self.writer = smelt.spawn(function() self:write_loop() end):detach()
  self.reader = smelt.spawn(function() self:read_loop() end):detach()
  return self
end

function Rpc:write_loop()
  task.name("lsp " .. self.name .. " writer")
  task.background()
  for msg in self.out:iter() do
    local ok, err = self.proc.stdin:write(frame(msg))
    if not ok then
      smelt.log.debug(("lsp %s: write: %s"):format(self.name, tostring(err)))
      return
    end
  end
end

-- the next message, nil at end of file, or nil and a reason
local function read_message(stdout)
  local header = stdout:read_until("\r\n\r\n")
  if header == nil then
    return nil
  end
  local length = tonumber(header:match("[Cc]ontent%-[Ll]ength:%s*(%d+)"))
  if not length then
    return nil, "a header without Content-Length: " .. header:sub(1, 80)
  end
  local body = stdout:read(length)
  if body == nil or #body < length then
    return nil
  end
  local ok, msg = pcall(json.decode, body)
  if not ok then
    return nil, msg
  end
  return msg
end

function Rpc:read_loop()
  task.name("lsp " .. self.name .. " reader")
  task.background()
  local why
  while true do
    local msg, err = read_message(self.proc.stdout)
    if msg == nil then
      why = err
      break
    end
    self:dispatch(msg)
  end
  self:fail_pending(why or "the server exited")
  self.out:close()
  self.closed = true
  local code, signal = self.proc:wait()
  self.handlers.exit(code, signal, why)
end

function Rpc:fail_pending(reason)
  local pending = self.pending
  self.pending = {}
  for _, waiter in pairs(pending) do
    task.resume(waiter, { error = { code = -32099, message = reason } })
  end
end

function Rpc:respond(id, result, err)
  if self.closed then return end
  if err ~= nil then
    self.out:put({ jsonrpc = "2.0", id = id,
                   error = type(err) == "table" and err or { code = -32603, message = tostring(err) } })
  else
    self.out:put({ jsonrpc = "2.0", id = id, result = result == nil and json.null or result })
  end
end

function Rpc:dispatch(msg)
  if msg.method == nil then
    local waiter = self.pending[msg.id]
    if waiter then
      self.pending[msg.id] = nil
      task.resume(waiter, msg)
    end
  elseif msg.id ~= nil then
    -- a request of the server's: answered from a task of its own, so a
    -- handler may park (workspace/applyEdit saves nothing, but edits)
    smelt.spawn(function()
      local ok, result, err = pcall(self.handlers.request, msg.method, msg.params)
      if not ok then
        self:respond(msg.id, nil, { code = -32603, message = tostring(result) })
      elseif result == nil and err ~= nil then
        self:respond(msg.id, nil, err)
      else
        self:respond(msg.id, result)
      end
    end):detach()
  else
    -- notifications in order: diagnostics of version 3 never land after 4
    local ok, err = pcall(self.handlers.notification, msg.method, msg.params)
    if not ok then
      smelt.log.warn(("lsp %s: %s: %s"):format(self.name, msg.method, tostring(err)))
    end
  end
end

--- Send a notification (never parks).
---@param method string
---@param params? table
function Rpc:notify(method, params)
  if self.closed then return false end
  self.out:put({ jsonrpc = "2.0", method = method, params = params })
  return true
end

--- Send a request and park until its answer: the result, or nil and the
--- error object ({ code, message }). Cancelling the task sends
--- $/cancelRequest and raises "cancelled".
---@param method string
---@param params? table
---@return any result
---@return { code: integer, message: string }? err
function Rpc:request(method, params)
  if self.closed then
    return nil, { code = -32099, message = self.name .. " is not running" }
  end
  local id = self.next_id
  self.next_id = id + 1
  local waiter = task.alloc()
  self.pending[id] = waiter
  self.out:put({ jsonrpc = "2.0", id = id, method = method, params = params })
  local ok, msg = pcall(task.wait, waiter)
  if not ok then
    if self.pending[id] then
      self.pending[id] = nil
      self:notify("$/cancelRequest", { id = id })
    end
    error(msg, 0)
  end
  if msg.error ~= nil then
    return nil, msg.error
  end
  if msg.result == json.null then
    return nil
  end
  return msg.result
end

--- Stop reading and writing (the process is the caller's to end).
function Rpc:close()
  self.closed = true
  self.out:close()
end

return M
