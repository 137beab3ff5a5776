-- smelt/ext.lua: smelt.ext.load, C extensions found in the ext/ directory of runtime path entries
-- SPDX-License-Identifier: LGPL-2.1-or-later

local smelt, internal = ...

local ext = smelt.ext
local loaded = {}   -- name -> path, in load order
local order = {}

--- Load the C extension `name`: the first ext/<name>.so in the runtime path.
--- Its smelt_extension_init registers functions as smelt.ext.<function>.
--- Loading an extension twice is harmless. Errors name the file and the reason.
---@param name string
---@return string path the module loaded
function ext.load(name)
  if type(name) ~= "string" or not name:match("^[%w_%-]+$") then
    error(("bad argument #1 to 'smelt.ext.load' (extension name expected, got %s)"):format(
      type(name) == "string" and ("'" .. name .. "'") or type(name)), 2)
  end
  if loaded[name] then
    return loaded[name]
  end
  for _, entry in ipairs(smelt.runtimepath()) do
    local path = entry .. "/ext/" .. name .. ".so"
    if internal.is_file(path) then
      internal.ext_open(path)
      loaded[name] = path
      order[#order + 1] = name
      return path
    end
  end
  error(("smelt.ext.load: no extension '%s' (looked for ext/%s.so in every runtime path entry)"):format(name, name), 2)
end

internal.health_sections.extensions = function()
  if #order == 0 then
    return { "(none loaded)" }
  end
  local lines = {}
  for _, name in ipairs(order) do
    lines[#lines + 1] = name .. "  " .. loaded[name]
  end
  return lines
end
