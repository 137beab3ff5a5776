-- rt_meta_spec.lua: every public function of the live smelt namespace is annotated in lua/meta/
local t = require("testlib")

local function meta_text()
  local dir = smelt.runtimepath()[#smelt.runtimepath()] .. "/meta"
  local p = assert(io.popen("ls " .. dir .. "/*.lua"))
  local parts = {}
  for path in p:lines() do
    local f = assert(io.open(path))
    parts[#parts + 1] = f:read("a")
    f:close()
  end
  p:close()
  return table.concat(parts, "\n")
end

local function public_functions()
  local out = {}
  local function walk(tbl, prefix, seen)
    if seen[tbl] then return end
    seen[tbl] = true
    for k, v in pairs(tbl) do
      if type(k) == "string" and not k:match("^_") then
        local name = prefix .. "." .. k
        if type(v) == "function" then
          out[#out + 1] = name
        elseif type(v) == "table" and k ~= "levels" then
          walk(v, name, seen)
        end
      end
    end
  end
  walk(smelt, "smelt", {})
  table.sort(out)
  return out
end

t.test("each public function has a ---@param/---@return annotated definition", function()
  local text = meta_text()
  local missing = {}
  for _, name in ipairs(public_functions()) do
    local pattern = "\nfunction " .. name:gsub("%.", "%%.") .. "%("
    if not text:find(pattern) then
      missing[#missing + 1] = name
    end
  end
  t.eq(table.concat(missing, ", "), "", "functions with no annotation in lua/meta")
end)

t.test("each method of a spawned process is annotated as smelt.Process's", function()
  local p = assert(smelt.process.spawn("true"))
  local text, missing = meta_text(), {}
  for name, v in pairs(getmetatable(p).__index) do
    if type(v) == "function" and not name:match("^_") and not text:find("\nfunction Process:" .. name .. "%(") then
      missing[#missing + 1] = name
    end
  end
  table.sort(missing)
  t.eq(table.concat(missing, ", "), "", "methods with no annotation in lua/meta")
  t.contains(text, "---@class smelt.Process")
end)

t.test("the meta file declares itself ---@meta", function()
  t.contains(meta_text(), "---@meta")
end)

t.run()
