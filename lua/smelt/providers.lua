-- smelt/providers.lua: the registry smelt.completion and smelt.hover share: providers by id, their options checked, each run as a task that cannot hurt the others
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A provider is a table of options with a `populate` function. The window
-- asks the providers of a kind (app/smelt-completion-provider.c,
-- app/smelt-hover-provider.c) through GtkSourceView's populate_async; with
-- --no-ui a plugin or a test asks through request(). Either way each
-- provider runs as a child task of the request, so cancelling the request
-- (the popup closed, the pointer moved away) cancels every provider still
-- running, and a provider that raises is reported under its name and gives
-- nothing, while the others' results still count.

local smelt, internal = ...

local spawn_joined, join = internal.spawn_joined, internal.join
local is_cancelled = smelt.task.is_cancelled

-- what an option must be: a checker returning nil when v is good, else what was expected
local CHECKS = {
  string = function(v) if type(v) ~= "string" then return "string" end end,
  ["function"] = function(v) if type(v) ~= "function" then return "function" end end,
  integer = function(v) if math.type(v) ~= "integer" then return "integer" end end,
  strings = function(v)
    if type(v) == "string" then return nil end
    if type(v) ~= "table" then return "string or list of strings" end
    for _, s in ipairs(v) do
      if type(s) ~= "string" or s == "" then return "string or list of strings" end
    end
  end,
}

local function as_set(v)
  if v == nil then return nil end
  local set = {}
  for _, s in ipairs(type(v) == "string" and { v } or v) do set[s] = true end
  return set
end

--- A registry of providers of one kind.
---@param kind string "smelt.completion" or "smelt.hover": the prefix of its functions' names
---@param options table<string, { [1]: string, required?: boolean }> the options a provider takes, with the check of each
function internal.provider_registry(kind, options)
  local reg = { by_id = {}, next_id = 1 }
  local register_name = kind .. ".register"

  --- Checks opts whole (an unknown or bad option raises, naming it), then
  --- adds the provider; returns its id.
  function reg.register(opts)
    if type(opts) ~= "table" then
      error(("bad argument #1 to '%s' (table expected, got %s)"):format(register_name, type(opts)), 3)
    end
    for key in pairs(opts) do
      if options[key] == nil then
        error(("bad argument #1 to '%s' (unknown option '%s')"):format(register_name, tostring(key)), 3)
      end
    end
    for key, spec in pairs(options) do
      local v = opts[key]
      if v == nil then
        if spec.required then
          error(("bad argument #1 to '%s' (option '%s' is required: %s expected)"):format(register_name, key,
            spec[1] == "strings" and "string or list of strings" or spec[1]), 3)
        end
      else
        local expected = CHECKS[spec[1]](v)
        if expected then
          error(("bad argument #1 to '%s' (option '%s': %s expected, got %s)"):format(register_name, key,
            expected, type(v)), 3)
        end
        if spec.check then
          local why = spec.check(v)
          if why then
            error(("bad argument #1 to '%s' (option '%s': %s)"):format(register_name, key, why), 3)
          end
        end
      end
    end
    local id = reg.next_id
    reg.next_id = id + 1
    local p = { id = id, name = opts.name, populate = opts.populate, priority = opts.priority or 0,
                filetypes = as_set(opts.filetypes), triggers = as_set(opts.triggers) }
    reg.by_id[id] = p
    return id
  end

  --- Removes a provider; whether it was registered.
  function reg.unregister(id)
    if math.type(id) ~= "integer" then
      error(("bad argument #1 to '%s.unregister' (provider id expected, got %s)"):format(kind, type(id)), 3)
    end
    local had = reg.by_id[id] ~= nil
    reg.by_id[id] = nil
    return had
  end

  --- The providers for buf (its file type among theirs, or they name none)
  --- that accept(p) takes, highest priority first, then in the order they came.
  function reg.matching(buf, accept)
    local ft = buf:filetype()
    local list = {}
    for _, p in pairs(reg.by_id) do
      if (p.filetypes == nil or (ft ~= nil and p.filetypes[ft])) and (accept == nil or accept(p)) then
        list[#list + 1] = p
      end
    end
    table.sort(list, function(a, b)
      if a.priority ~= b.priority then return a.priority > b.priority end
      return a.id < b.id
    end)
    return list
  end

  --- Whether any provider is registered (the window asks nothing otherwise).
  function reg.any()
    return next(reg.by_id) ~= nil
  end

  --- Runs every provider of list on ctx, each as a child task of the
  --- caller, and calls deliver(i, result) as provider list[i] returns, with
  --- what shape(p, value) made of its result (nil: nothing). A provider that
  --- raises (or whose result shape rejects) is reported, naming it, and
  --- delivers nothing. Parks until they have all ended; cancelling the caller
  --- cancels those still running.
  function reg.run_all(list, ctx, shape, deliver)
    local branches = {}
    for i, p in ipairs(list) do
      branches[i] = spawn_joined(function()
        local ok, value = pcall(p.populate, ctx)
        if ok then
          ok, value = pcall(shape, p, value)
        end
        if not ok then
          if is_cancelled(value) then error(value, 0) end
          smelt.notify(("%s: provider '%s' failed: %s"):format(kind, p.name, tostring(value)), "error")
          return
        end
        deliver(i, value)
      end, p.populate)
    end
    -- join raises only when the caller is cancelled: its branches go with it
    for i = 1, #branches do
      internal.set_waiting(("%s providers"):format(kind))
      join(branches[i])
    end
  end

  return reg
end
