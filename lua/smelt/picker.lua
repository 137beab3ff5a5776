-- smelt/picker.lua: smelt.ui.select: a picker that filters, and takes items while it is open
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The GUI only (bootstrap runs it after ui.lua). The matching, ranking
-- and the list live in C (app/smelt-picker*.c); Lua keeps the items
-- themselves, in the order they came, and C gives back the index.

local smelt, internal = ...

local _ = smelt.i18n.gettext

-- how long a producer may run before push() lets the window draw, in ms
local PUSH_SLICE_MS = 8


local function is_queue(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and mt.__name == "smelt.task.queue"
end

local SELECT_OPTS = { prompt = true, format = true, filter = true }
local FILTERS = { fuzzy = "fuzzy", substring = "substring" }

--- Pick one of items: the item and its index (in the order the items
--- came), or nil when dismissed. items is a list, a function
--- `function(push) ... end` run as a task that calls push(item) for each
--- item, or a smelt.task.queue (read until it is closed): the items show
--- while they come, and closing the picker cancels that task. Typing
--- filters: opts.filter "fuzzy" (the default, best match first),
--- "substring", or false (no entry). Parks the calling task.
---@async
---@param items any[]|fun(push: fun(item: any): boolean)|table
---@param opts? { prompt?: string, format?: fun(item: any): string, filter?: "fuzzy"|"substring"|false }
---@return any item
---@return integer|nil index
function smelt.ui.select(items, opts)
  local kind = type(items)
  local queue = is_queue(items)   -- a userdata (smelt-lua-queue.c) or a table
  if kind ~= "table" and kind ~= "function" and not queue then
    error(("bad argument #1 to 'smelt.ui.select' (table expected, got %s)"):format(kind), 2)
  end
  opts = internal.check_opts("smelt.ui.select", opts, 2, SELECT_OPTS)
  local filter = opts.filter
  if filter == nil then
    filter = "fuzzy"
  elseif filter == false then
    filter = "none"
  elseif not FILTERS[filter] then
    error(("bad argument #2 to 'smelt.ui.select' (opts.filter must be \"fuzzy\", \"substring\" or false, got %s)")
      :format(type(filter) == "string" and ("%q"):format(filter) or tostring(filter)), 2)
  end
  local format = opts.format or tostring
  if type(format) ~= "function" then
    error(("bad argument #2 to 'smelt.ui.select' (opts.format must be a function, got %s)"):format(type(format)), 2)
  end

  local picker = internal.picker_new(tostring(opts.prompt or _("Select")), filter)
  local add = internal.picker_add

  if kind == "table" and not queue then   -- a list
    for _, item in ipairs(items) do
      add(picker, tostring(format(item)))
    end
    local i = internal.picker_wait(picker)
    if i == nil then return nil end
    return items[i], i
  end

  local got, n = {}, 0
  local now, sleep, yieldable = smelt.now, smelt.sleep, coroutine.isyieldable
  local slice_start = now()
  --- push(item): shows item; false once the picker has closed
  local function push(item)
    if item == nil then
      error("bad argument #1 to 'push' (an item expected, got nil)", 2)
    end
    if not add(picker, tostring(format(item))) then return false end
    n = n + 1
    got[n] = item
    -- a producer that never parks still lets the window draw and take keys
    if now() - slice_start >= PUSH_SLICE_MS and yieldable() then
      sleep(0)
      slice_start = now()
    end
    return true
  end
  internal.picker_streaming(picker, true)
  local producer = smelt.spawn(function()
    smelt.task.name("smelt.ui.select items")
    local ok, err = pcall(function()
      if queue then
        for item in items:iter() do
          if not push(item) then break end
        end
      else
        items(push)
      end
    end)
    internal.picker_streaming(picker, false)
    if not ok then error(err, 0) end
  end)
  local ok, i = pcall(internal.picker_wait, picker)
  producer:cancel()
  if not ok then error(i, 0) end
  if i == nil then return nil end
  return got[i], i
end
