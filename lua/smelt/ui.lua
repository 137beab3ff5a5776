-- smelt/ui.lua: the UI tier's Lua side (the GUI only): dialogs that park the task, buffers
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Lines and columns are 1-based everywhere, columns counted in bytes, and
-- ranges are inclusive, like Lua's string functions.

local smelt, internal = ...

smelt.ui = smelt.ui or {}
smelt.buf = smelt.buf or {}

local function check_opts(fname, opts, arg)
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #%d to '%s' (table expected, got %s)"):format(arg, fname, type(opts)), 3)
  end
  return opts or {}
end

--- Ask for a line of text; nil when dismissed. Parks the calling task; if
--- the task is cancelled, the dialog closes.
---@param opts? { prompt?: string, default?: string }
---@return string|nil
function smelt.ui.input(opts)
  opts = check_opts("smelt.ui.input", opts, 1)
  return internal.ui_input(tostring(opts.prompt or "Input"), tostring(opts.default or ""))
end

--- Ask a question; true for ok, false for cancel or a closed dialog.
---@param message string
---@param opts? { ok?: string, cancel?: string }
---@return boolean
function smelt.ui.confirm(message, opts)
  if type(message) ~= "string" then
    error(("bad argument #1 to 'smelt.ui.confirm' (string expected, got %s)"):format(type(message)), 2)
  end
  opts = check_opts("smelt.ui.confirm", opts, 2)
  return internal.ui_confirm(message, tostring(opts.ok or "OK"), tostring(opts.cancel or "Cancel")) == true
end

--- Pick one of items; item and index, or nil when dismissed.
---@param items any[]
---@param opts? { prompt?: string, format?: fun(item: any): string }
---@return any item
---@return integer|nil index
function smelt.ui.select(items, opts)
  if type(items) ~= "table" then
    error(("bad argument #1 to 'smelt.ui.select' (table expected, got %s)"):format(type(items)), 2)
  end
  opts = check_opts("smelt.ui.select", opts, 2)
  local format = opts.format or tostring
  local labels = {}
  for i, item in ipairs(items) do
    labels[i] = tostring(format(item))
  end
  local i = internal.ui_select(tostring(opts.prompt or "Select"), labels)
  if i == nil then
    return nil
  end
  return items[i], i
end

smelt.buf.current = internal.buf_current
smelt.buf.list = internal.buf_list

--- Open path in a new buffer; parks until it is loaded.
---@param path string
---@return table buffer
function smelt.buf.open(path)
  if type(path) ~= "string" then
    error(("bad argument #1 to 'smelt.buf.open' (path expected, got %s)"):format(type(path)), 2)
  end
  return internal.buf_open(path)
end
