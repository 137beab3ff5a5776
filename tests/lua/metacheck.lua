-- metacheck.lua: compares lua/meta's annotations with the live smelt namespace, in both directions
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- What the annotation files declare:
--   function smelt.a.b(...)         a function of the namespace
--   ---@class smelt.a  smelt.a = {}  a namespace table; its ---@field lines are fields
--   ---@type ...       smelt.x = v   a field
--   ---@class smelt.C  local C = {}  a class; `function C:m()` its methods
-- A function whose doc comment has the line `--- (GUI only)` exists only in
-- the GUI: with --no-ui it is a stub of lua/smelt/tier.lua that raises
-- "smelt.a.b: requires the GUI (running with --no-ui)".
--
-- check() walks the live namespace and returns one line per mismatch: an
-- annotated name that is missing (or, headless, a GUI-only one that is not
-- the stub), a live public name (not starting with "_") that is not
-- annotated, a stub of a function that is not marked GUI only.
local M = {}

M.GUI_ONLY = "^%-%-%-%s*%(GUI only%)"

--- The annotations of one or more meta files' text.
---@param text string
---@return { functions: table<string, { gui_only: boolean }>, fields: table<string, true>, namespaces: table<string, true>, classes: table<string, table<string, true>> }
function M.parse(text)
  local a = { functions = {}, fields = {}, namespaces = {}, classes = {} }
  local locals = {}   -- local name -> class name
  local doc = {}
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    if line:match("^%-%-%-") then
      doc[#doc + 1] = line
    else
      local class
      for _, d in ipairs(doc) do
        class = class or d:match("^%-%-%-@class%s+([%w_.]+)")
      end
      local fn = line:match("^function%s+(smelt[%w_.]*)%s*%(")
      local recv, method = line:match("^function%s+([%w_]+):([%w_]+)%s*%(")
      local var = line:match("^(smelt[%w_.]*)%s*=")
      local loc = line:match("^local%s+([%w_]+)%s*=%s*{%s*}")
      if fn then
        local gui_only = false
        for _, d in ipairs(doc) do
          gui_only = gui_only or d:match(M.GUI_ONLY) ~= nil
        end
        a.functions[fn] = { gui_only = gui_only }
      elseif recv and locals[recv] then
        a.classes[locals[recv]][method] = true
      elseif var and class == var then
        a.namespaces[var] = true
        for _, d in ipairs(doc) do
          local field = d:match("^%-%-%-@field%s+([%w_]+)")
          if field then
            a.fields[var .. "." .. field] = true
          end
        end
      elseif var then
        a.fields[var] = true
      elseif loc and class then
        locals[loc] = class
        a.classes[class] = a.classes[class] or {}
      end
      doc = {}
    end
  end
  return a
end

--- The text of every lua/meta/*.lua of the runtime directory dir.
---@param dir string
---@return string
function M.read_meta(dir)
  local p = assert(io.popen("ls " .. dir .. "/meta/*.lua"))
  local parts = {}
  for path in p:lines() do
    local f = assert(io.open(path))
    parts[#parts + 1] = f:read("a")
    f:close()
  end
  p:close()
  assert(#parts > 0, "no annotation files in " .. dir .. "/meta")
  return table.concat(parts, "\n")
end

--- Whether fn is one of tier.lua's "requires the GUI" stubs.
---@param fn function
---@return boolean
function M.is_stub(fn)
  return debug.getinfo(fn, "S").source:match("[/\\]smelt[/\\]tier%.lua$") ~= nil
end

--- The mismatches between the annotations and the live namespace, sorted.
---@param a table what parse() returned
---@param live table the smelt namespace
---@param gui boolean whether the GUI runs (GUI-only functions must be real)
---@return string[]
function M.check(a, live, gui)
  local problems = {}
  local function problem(fmt, ...)
    problems[#problems + 1] = fmt:format(...)
  end
  local function lookup(name)
    local v = { smelt = live }
    for part in name:gmatch("[^.]+") do
      if type(v) ~= "table" then
        return nil
      end
      v = v[part]
    end
    return v
  end

  -- annotated -> live
  for name, f in pairs(a.functions) do
    local v = lookup(name)
    if type(v) ~= "function" then
      problem("%s: annotated, but %s live%s", name, type(v),
        (f.gui_only and not gui) and " (a GUI-only function must be a stub raising \"requires the GUI\")" or "")
    elseif f.gui_only and not gui then
      local expected = name .. ": requires the GUI (running with --no-ui)"
      local ok, err = false, "not a stub of lua/smelt/tier.lua"
      if M.is_stub(v) then
        ok, err = pcall(v)
      end
      if ok or not tostring(err):find(expected, 1, true) then
        problem("%s: GUI only, but headless it does not raise %q (%s)", name, expected,
          ok and "it returned" or tostring(err))
      end
    elseif M.is_stub(v) then
      problem("%s: a \"requires the GUI\" stub%s", name,
        f.gui_only and " in the GUI" or ", but not marked (GUI only) in lua/meta")
    end
  end
  for name in pairs(a.fields) do
    if lookup(name) == nil then
      problem("%s: annotated field, but nil live", name)
    end
  end
  for name in pairs(a.namespaces) do
    if type(lookup(name)) ~= "table" then
      problem("%s: annotated namespace, but %s live", name, type(lookup(name)))
    end
  end

  -- live -> annotated
  local function walk(tbl, prefix, seen)
    if seen[tbl] then
      return
    end
    seen[tbl] = true
    for k, v in pairs(tbl) do
      if type(k) == "string" and not k:match("^_") then
        local name = prefix .. "." .. k
        if a.fields[name] then -- luacheck: ignore 542
          -- a value (smelt.version, smelt.log.levels): not walked into
        elseif type(v) == "function" then
          if not a.functions[name] then
            problem("%s: live%s, but not annotated in lua/meta", name,
              M.is_stub(v) and " (a \"requires the GUI\" stub)" or "")
          end
        elseif type(v) == "table" then
          if not a.namespaces[name] then
            problem("%s: a live table, but no ---@class namespace in lua/meta", name)
          end
          walk(v, name, seen)
        else
          problem("%s: a live %s, but not annotated in lua/meta", name, type(v))
        end
      end
    end
  end
  walk(live, "smelt", {})
  table.sort(problems)
  return problems
end

--- The mismatches between a class's annotated methods and an instance's.
--- Methods are the functions of the instance's metatable's __index table, or
--- of its __methods table when __index is a function (a Buffer's, which
--- also answers buf.id); with neither, only the annotated ones can be looked up.
---@param a table what parse() returned
---@param class string "smelt.Process"
---@param obj any an instance
---@return string[]
function M.check_methods(a, class, obj)
  local problems = {}
  local methods = a.classes[class]
  if not methods then
    return { class .. ": no ---@class with methods in lua/meta" }
  end
  for m in pairs(methods) do
    local ok, v = pcall(function() return obj[m] end)
    if not ok or type(v) ~= "function" then
      problems[#problems + 1] = ("%s:%s: annotated, but %s live"):format(class, m, ok and type(v) or "an error")
    end
  end
  local mt = getmetatable(obj)
  local index = type(mt) == "table" and (type(mt.__index) == "table" and mt.__index or mt.__methods)
  if type(index) == "table" then
    for m, v in pairs(index) do
      if type(m) == "string" and not m:match("^_") and type(v) == "function" and not methods[m] then
        problems[#problems + 1] = ("%s:%s: live, but not annotated in lua/meta"):format(class, m)
      end
    end
  end
  table.sort(problems)
  return problems
end

return M
