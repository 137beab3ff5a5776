-- smelt/events.lua: smelt.on, smelt.once and smelt.emit; handlers run as tasks, in registration order
-- SPDX-License-Identifier: LGPL-2.1-or-later

local smelt, internal = ...

local spawn_root = internal.spawn_root
local handlers = {}   -- event name -> array of { fn, once, removed }
-- event name -> fn(n): told how many handlers the event has as they come and
-- go (buf-changed copies each edit's text only while someone listens)
internal.on_handler_count = {}

local function counted(event)
  local hook = internal.on_handler_count[event]
  if hook then hook(handlers[event] and #handlers[event] or 0) end
end

local Handle = {}
Handle.__index = Handle

--- Stop calling this handler. Harmless if it was already removed.
function Handle:remove()
  local list = handlers[self.event]
  if not list then
    return
  end
  for i, h in ipairs(list) do
    if h == self.entry then
      table.remove(list, i)
      break
    end
  end
  self.entry.removed = true
  counted(self.event)
end

---@param fname string
local function check(fname, event, fn, opts)
  if type(event) ~= "string" or event == "" then
    error(("bad argument #1 to '%s' (event name expected, got %s)"):format(fname, type(event)), 3)
  end
  if type(fn) ~= "function" then
    error(("bad argument #2 to '%s' (function expected, got %s)"):format(fname, type(fn)), 3)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #3 to '%s' (table expected, got %s)"):format(fname, type(opts)), 3)
  end
end

local function add(event, fn, once)
  local entry = { fn = fn, once = once }
  local list = handlers[event]
  if not list then
    list = {}
    handlers[event] = list
  end
  list[#list + 1] = entry
  counted(event)
  return setmetatable({ event = event, entry = entry }, Handle)
end

--- Call fn(data) as a task each time `event` is emitted. opts.once: only the next time.
---@param event string
---@param fn fun(data: any)
---@param opts? { once?: boolean }
---@return { remove: fun(self) }
function smelt.on(event, fn, opts)
  check("smelt.on", event, fn, opts)
  return add(event, fn, opts ~= nil and opts.once == true)
end

--- Call fn(data) as a task the next time `event` is emitted.
---@param event string
---@param fn fun(data: any)
---@return { remove: fun(self) }
function smelt.once(event, fn)
  check("smelt.once", event, fn, nil)
  return add(event, fn, true)
end

--- Emit `event`: every handler starts as a task, in registration order, with
--- `data`. Returns their task handles (wait on them to know they finished).
---@param event string
---@param data? any
---@return table handles
function smelt.emit(event, data)
  if type(event) ~= "string" or event == "" then
    error(("bad argument #1 to 'smelt.emit' (event name expected, got %s)"):format(type(event)), 2)
  end
  local list = handlers[event]
  local started = {}
  if not list then
    return started
  end
  local snapshot = table.move(list, 1, #list, 1, {})
  for _, entry in ipairs(snapshot) do
    if not entry.removed then
      if entry.once then
        entry.removed = true
        for i, h in ipairs(list) do
          if h == entry then
            table.remove(list, i)
            break
          end
        end
        counted(event)
      end
      started[#started + 1] = spawn_root(entry.fn, data)
    end
  end
  return started
end

--- How many handlers `event` has (for Health and tests).
---@param event string
---@return integer
function internal.n_handlers(event)
  return handlers[event] and #handlers[event] or 0
end
