-- smelt/hover.lua: smelt.hover: hover providers in Lua, asked by the window's hover popover or by request()
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The window's GtkSourceHoverProvider (app/smelt-hover-provider.c) asks
-- through internal.hover_start when the pointer rests on the text: each
-- provider's text goes into the popover as that provider returns it, after
-- the messages of the marks there (diagnostics), which never wait on a
-- provider. The popover's GCancellable (the pointer moved away) cancels
-- the request's task and every provider still running.
--
-- Lines and columns are 1-based, columns counted in bytes.

local smelt, internal = ...

smelt.hover = smelt.hover or {}

local reg = internal.provider_registry("smelt.hover", {
  name = { "string", required = true },
  populate = { "function", required = true },
  filetypes = { "strings" },
  priority = { "integer" },
})

local MARKUPS = { plain = true, markdown = true }

-- p's result as the popover takes it: { text, markup }, or nil for nothing
local function shape(p, result)
  if result == nil or result == "" then return nil end
  if type(result) == "string" then
    return { text = result, markup = "plain", provider = p.name }
  end
  if type(result) ~= "table" then
    error(("text or { text, markup } expected, got %s"):format(type(result)), 0)
  end
  if type(result.text) ~= "string" then
    error(("text: string expected, got %s"):format(type(result.text)), 0)
  end
  local markup = result.markup or "plain"
  if not MARKUPS[markup] then
    error(("markup: \"plain\" or \"markdown\" expected, got %s"):format(tostring(markup)), 0)
  end
  if result.text == "" then return nil end
  return { text = result.text, markup = markup, provider = p.name }
end

local function check_args(fname, buf, line, col)
  if type(buf) ~= "userdata" or not pcall(function() return buf.id end) then
    error(("bad argument #1 to '%s' (buffer expected, got %s)"):format(fname, type(buf)), 3)
  end
  if math.type(line) ~= "integer" or line < 1 then
    error(("bad argument #2 to '%s' (line expected (an integer from 1), got %s)"):format(fname, tostring(line)), 3)
  end
  if math.type(col) ~= "integer" or col < 1 then
    error(("bad argument #3 to '%s' (column expected (an integer from 1), got %s)"):format(fname, tostring(col)), 3)
  end
end

--- Register a hover provider; returns its id. `populate(ctx)` runs as a
--- task when the pointer rests on the text, with ctx = { buf, line, col },
--- and returns text, { markup = "markdown", text = ... }, or nil.
---@param opts smelt.HoverProvider
---@return integer id
function smelt.hover.register(opts)
  return reg.register(opts)
end

--- Remove a hover provider; whether it was registered.
---@param id integer
---@return boolean
function smelt.hover.unregister(id)
  return reg.unregister(id)
end

--- Ask the hover providers of buf's file type about line, col and wait for
--- them all: what they returned, highest priority first, as { text, markup,
--- provider }. A provider that raises is reported (smelt.notify, naming
--- it) and gives nothing.
---@async
---@param buf smelt.Buffer
---@param line integer
---@param col integer
---@return smelt.HoverResult[]
function smelt.hover.request(buf, line, col)
  check_args("smelt.hover.request", buf, line, col)
  internal.check_park("smelt.hover.request")
  local list = reg.matching(buf)
  local results = {}
  reg.run_all(list, { buf = buf, line = line, col = col }, shape, function(i, r) results[i] = r end)
  local merged = {}
  for i = 1, #list do
    if results[i] then merged[#merged + 1] = results[i] end
  end
  return merged
end

-- The window's provider: as internal.completion_start, deliver(rank,
-- result) as each provider returns something, then deliver(nil).
function internal.hover_start(buf, line, col, deliver)
  if not reg.any() then
    deliver(nil)
    return nil
  end
  local h = internal.spawn_root(function()
    smelt.task.name("hover")
    local ok, err = pcall(function()
      local list = reg.matching(buf)
      reg.run_all(list, { buf = buf, line = line, col = col }, shape, function(i, r)
        if r then deliver(i, r) end
      end)
    end)
    deliver(nil)
    if not ok then error(err, 0) end
  end)
  return h.id
end
