-- smelt/json.lua: the read-only empty array and object of smelt.json (encode and decode are C)
-- SPDX-License-Identifier: LGPL-2.1-or-later

local smelt = ...
local json = smelt.json

---@param kind "array"|"object"
local function frozen(kind)
  local name = "smelt.json.empty_" .. kind
  return setmetatable({}, {
    __jsontype = kind,
    __name = name,
    __newindex = function()
      error(name .. " is shared and read-only: for a table of your own, set a metatable with __jsontype = \""
        .. kind .. "\"", 2)
    end,
    __metatable = false,
  })
end

json.empty_array = frozen("array")
json.empty_object = frozen("object")
