-- smelt/completion.lua: smelt.completion: completion providers in Lua, asked by the window's popup or by request()
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The window's GtkSourceCompletionProvider (app/smelt-completion-provider.c)
-- asks through internal.completion_start: each provider's items go to the
-- popup as that provider returns them, so one that is slow or never
-- returns holds up nobody; the popup's GCancellable cancels the request's
-- task, and with it every provider still running. request() is the same
-- asking with --no-ui: it parks until all have returned and gives their
-- items merged.
--
-- Lines and columns are 1-based, columns counted in bytes.

local smelt, internal = ...

local is_cancelled = smelt.task.is_cancelled

smelt.completion = smelt.completion or {}

local reg = internal.provider_registry("smelt.completion", {
  name = { "string", required = true },
  populate = { "function", required = true },
  filetypes = { "strings" },
  triggers = { "strings", check = function(v)
    for _, s in ipairs(type(v) == "string" and { v } or v) do
      if utf8.len(s) ~= 1 then return ("one character each expected, got %q"):format(s) end
    end
  end },
  priority = { "integer" },
})

local FIELDS = { "detail", "insert_text", "kind", "documentation" }
local EDIT_FIELDS = { "first_line", "first_col", "last_line", "last_col" }

-- p's result as the popup takes it: a list of checked copies of its items
local function shape(p, items)
  if items == nil then return {} end
  if type(items) ~= "table" then
    error(("list of items expected, got %s"):format(type(items)), 0)
  end
  local out = {}
  for i, item in ipairs(items) do
    local function bad(why) error(("item %d: %s"):format(i, why), 0) end
    if type(item) ~= "table" then bad("table expected, got " .. type(item)) end
    if type(item.label) ~= "string" then bad("label: string expected, got " .. type(item.label)) end
    local copy = { label = item.label, provider = p.name }
    if item.resolve ~= nil then
      local resolve = item.resolve
      if type(resolve) ~= "function" then bad("resolve: function expected, got " .. type(resolve)) end
      -- the copy resolves as the item the provider gave
      copy.resolve = function() return resolve(item) end
    end
    for _, key in ipairs(FIELDS) do
      local v = item[key]
      if v ~= nil and type(v) ~= "string" then bad(("%s: string expected, got %s"):format(key, type(v))) end
      copy[key] = v
    end
    if item.edit ~= nil then
      local e = item.edit
      if type(e) ~= "table" then bad("edit: table expected, got " .. type(e)) end
      for _, key in ipairs(EDIT_FIELDS) do
        if math.type(e[key]) ~= "integer" or e[key] < 1 then
          bad(("edit.%s: integer (1-based) expected, got %s"):format(key, tostring(e[key])))
        end
      end
      if type(e.text) ~= "string" then bad("edit.text: string expected, got " .. type(e.text)) end
      copy.edit = { first_line = e.first_line, first_col = e.first_col, last_line = e.last_line,
                    last_col = e.last_col, text = e.text }
    end
    out[#out + 1] = copy
  end
  if items.incomplete ~= nil and type(items.incomplete) ~= "boolean" then
    error(("incomplete: boolean expected, got %s"):format(type(items.incomplete)), 0)
  end
  out.incomplete = items.incomplete == true or nil
  return out
end

-- item with what its resolve(item) gave (detail, documentation), or item
-- itself when it has no resolve, resolve returned nil or raised (reported,
-- naming the provider); a cancellation goes on up
local function resolved(item)
  if item.resolve == nil then return item end
  local ok, got = pcall(item.resolve, item)
  if ok and got ~= nil then
    ok, got = pcall(function()
      if type(got) ~= "table" then error(("item or nil expected, got %s"):format(type(got)), 0) end
      for _, key in ipairs({ "detail", "documentation" }) do
        if got[key] ~= nil and type(got[key]) ~= "string" then
          error(("%s: string expected, got %s"):format(key, type(got[key])), 0)
        end
      end
      return got
    end)
  end
  if not ok then
    if is_cancelled(got) then error(got, 0) end
    smelt.notify(("smelt.completion: provider '%s' failed to resolve '%s': %s"):format(
      tostring(item.provider), tostring(item.label), tostring(got)), "error")
    return item
  end
  if got == nil then return item end
  local out = {}
  for k, v in pairs(item) do out[k] = v end
  out.resolve = nil
  out.detail = got.detail or item.detail
  out.documentation = got.documentation or item.documentation
  return out
end

local function check_buf(fname, buf)
  if type(buf) ~= "userdata" or not pcall(function() return buf.id end) then
    error(("bad argument #1 to '%s' (buffer expected, got %s)"):format(fname, type(buf)), 3)
  end
end

local function check_pos(fname, line, col)
  if math.type(line) ~= "integer" or line < 1 then
    error(("bad argument #2 to '%s' (line expected (an integer from 1), got %s)"):format(fname, tostring(line)), 3)
  end
  if math.type(col) ~= "integer" or col < 1 then
    error(("bad argument #3 to '%s' (column expected (an integer from 1), got %s)"):format(fname, tostring(col)), 3)
  end
end

-- what populate gets: the word is the run of word characters (letters,
-- digits, "_", anything not ASCII) that ends at col
local function make_ctx(buf, line, col, trigger)
  local text = buf:lines(line, line)[1] or ""
  local before = text:sub(1, col - 1)
  return { buf = buf, line = line, col = col, word = before:match("[%w_\128-\255]*$"), trigger = trigger }
end

local function asked(buf, trigger)
  return reg.matching(buf, function(p)
    return trigger == nil or (p.triggers ~= nil and p.triggers[trigger] == true)
  end)
end

--- Register a completion provider; returns its id. `populate(ctx)` runs as
--- a task when completion is asked for, with ctx = { buf, line, col, word,
--- trigger }, and returns a list of items.
---@param opts smelt.CompletionProvider
---@return integer id
function smelt.completion.register(opts)
  return reg.register(opts)
end

--- Remove a completion provider; whether it was registered.
---@param id integer
---@return boolean
function smelt.completion.unregister(id)
  return reg.unregister(id)
end

--- Ask the providers of buf's file type for the items at line, col (the
--- position after the word typed so far) and wait for them all: their
--- items merged, highest priority first, each with `provider` set to its
--- provider's name. With `opts.trigger` (a character just typed), only the
--- providers that list it among their triggers are asked. A provider that
--- raises is reported (smelt.notify, naming it) and gives nothing.
---@async
---@param buf smelt.Buffer
---@param line integer
---@param col integer
---@param opts? { trigger?: string }
---@return smelt.CompletionItem[]
function smelt.completion.request(buf, line, col, opts)
  check_buf("smelt.completion.request", buf)
  check_pos("smelt.completion.request", line, col)
  opts = internal.check_opts("smelt.completion.request", opts, 4)
  internal.check_park("smelt.completion.request")
  local list = asked(buf, opts.trigger)
  local results = {}
  reg.run_all(list, make_ctx(buf, line, col, opts.trigger), shape, function(i, items) results[i] = items end)
  local merged = {}
  for i = 1, #list do
    for _, item in ipairs(results[i] or {}) do merged[#merged + 1] = item end
    if results[i] and results[i].incomplete then merged.incomplete = true end
  end
  return merged
end

--- Complete item with its provider's `resolve`: the item with the detail
--- and documentation resolve gave; item itself when it has no resolve, or
--- resolve returned nil or raised (reported with smelt.notify, naming the
--- provider). The window runs resolve when the item's row is selected.
---@async
---@param item smelt.CompletionItem an item request() returned
---@return smelt.CompletionItem
function smelt.completion.resolve(item)
  if type(item) ~= "table" or type(item.label) ~= "string" then
    error(("bad argument #1 to 'smelt.completion.resolve' (completion item expected, got %s)"):format(type(item)), 2)
  end
  if item.resolve ~= nil and type(item.resolve) ~= "function" then
    error(("bad argument #1 to 'smelt.completion.resolve' (resolve: function expected, got %s)"):format(
      type(item.resolve)), 2)
  end
  internal.check_park("smelt.completion.resolve")
  return resolved(item)
end

-- The window's provider: starts a task resolving item (one the popup got
-- from completion_start, its row just selected) and returns its id;
-- deliver(1, resolved item) unless it was cancelled, then deliver(nil)
function internal.completion_resolve(item, deliver)
  local h = internal.spawn_root(function()
    smelt.task.name("completion resolve")
    local ok, err = pcall(function() deliver(1, resolved(item)) end)
    deliver(nil)
    if not ok then error(err, 0) end
  end)
  return h.id
end

-- The window's provider: starts a task asking the providers and returns
-- its id (the popup's GCancellable cancels it); deliver(rank, items) as
-- each provider returns (rank: its place by priority), then deliver(nil)
-- when they all have, or the task ends any other way.
function internal.completion_start(buf, line, col, trigger, deliver)
  if not reg.any() then
    deliver(nil)
    return nil
  end
  local h = internal.spawn_root(function()
    smelt.task.name("completion")
    local ok, err = pcall(function()
      local list = asked(buf, trigger)
      reg.run_all(list, make_ctx(buf, line, col, trigger), shape, deliver)
    end)
    deliver(nil)
    if not ok then error(err, 0) end
  end)
  return h.id
end

-- The window's provider: whether ch, just typed in buf, is a trigger of one of its providers
-- (asked on every key that is no word character: nothing to look up with no provider)
function internal.completion_is_trigger(buf, ch)
  return reg.any() and #asked(buf, ch) > 0
end
