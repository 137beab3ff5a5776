-- smelt/editorconfig.lua: smelt.editorconfig, the .editorconfig properties of a file (https://spec.editorconfig.org)
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Loaded on the first use of smelt.editorconfig (bootstrap.lua). As GNOME
-- Text Editor reads them: the .editorconfig files from the file's
-- folder upward, until one says root = true; in each, the sections whose
-- glob matches the file's path, in order; later sections and nearer files
-- win. The files are read with smelt.fs.read, so get() parks the calling
-- task (it runs in buf-open and buf-write-pre handlers, which are tasks).
-- The parser and the glob matcher are pure Lua: parse() and match() work
-- anywhere.

local smelt = ...

-- the table bootstrap.lua made, which loads this file on its first use
local editorconfig = smelt.editorconfig or {}
smelt.editorconfig = editorconfig

--- Whether the bundled plugins follow .editorconfig files (trimming,
--- final newline, indentation); false in init.lua turns that off (set
--- before this file ran, it is kept).
if editorconfig.enabled == nil then
  editorconfig.enabled = true
end

-- Properties whose values are case-insensitive (lowercased); any other
-- property's value is kept as written.
local KNOWN = {
  indent_style = true, indent_size = true, tab_width = true, end_of_line = true, charset = true,
  trim_trailing_whitespace = true, insert_final_newline = true, root = true,
}

-- Globs ---------------------------------------------------------------------
-- A glob compiles to a sequence of tokens:
--   { "lit", c }  { "?" }  { "*" }  { "**" }  { "/**/" }
--   { "class", set = { [c] = true }, ranges = { {lo, hi} }, negate = bool }
--   { "alt", seqs = { seq, ... } }  { "num", lo, hi }

local parse_seq

-- The index of the "}" closing the "{" at i, or nil.
local function closing_brace(g, i)
  local depth = 0
  local j = i
  while j <= #g do
    local c = g:sub(j, j)
    if c == "\\" then
      j = j + 1
    elseif c == "{" then
      depth = depth + 1
    elseif c == "}" then
      depth = depth - 1
      if depth == 0 then return j end
    end
    j = j + 1
  end
  return nil
end

-- The parts of s split at its commas outside nested braces, or nil if it has none.
local function split_alternatives(s)
  local parts, depth, start, j = {}, 0, 1, 1
  while j <= #s do
    local c = s:sub(j, j)
    if c == "\\" then
      j = j + 1
    elseif c == "{" then
      depth = depth + 1
    elseif c == "}" then
      depth = depth - 1
    elseif c == "," and depth == 0 then
      parts[#parts + 1] = s:sub(start, j - 1)
      start = j + 1
    end
    j = j + 1
  end
  if #parts == 0 then return nil end
  parts[#parts + 1] = s:sub(start)
  return parts
end

-- The bracket expression at i ("[" ... "]"), as a token and the index after it,
-- or nil when it is not one (no "]", or a "/" before it: then "[" is literal).
local function parse_class(g, i)
  local j = i + 1
  local tok = { "class", set = {}, ranges = {}, negate = false }
  if g:sub(j, j) == "!" or g:sub(j, j) == "^" then
    tok.negate = true
    j = j + 1
  end
  local first = true
  while j <= #g do
    local c = g:sub(j, j)
    if c == "]" and not first then
      return tok, j + 1
    elseif c == "/" then
      return nil
    elseif c == "\\" and j < #g then
      j = j + 1
      c = g:sub(j, j)
    end
    if g:sub(j + 1, j + 1) == "-" and j + 2 <= #g and g:sub(j + 2, j + 2) ~= "]" then
      tok.ranges[#tok.ranges + 1] = { c, g:sub(j + 2, j + 2) }
      j = j + 3
    else
      tok.set[c] = true
      j = j + 1
    end
    first = false
  end
  return nil
end

-- Parses g from i up to its end; returns the token sequence.
function parse_seq(g)
  local seq = {}
  local i = 1
  local n = #g
  while i <= n do
    local c = g:sub(i, i)
    if c == "\\" and i < n then
      seq[#seq + 1] = { "lit", g:sub(i + 1, i + 1) }
      i = i + 2
    elseif c == "*" then
      local j = i
      while g:sub(j + 1, j + 1) == "*" do j = j + 1 end
      if j > i then
        -- "/**/" matches one slash or any folders between two
        local prev = seq[#seq]
        if prev and prev[1] == "lit" and prev[2] == "/" and g:sub(j + 1, j + 1) == "/" then
          seq[#seq] = { "/**/" }
          j = j + 1
        else
          seq[#seq + 1] = { "**" }
        end
      else
        seq[#seq + 1] = { "*" }
      end
      i = j + 1
    elseif c == "?" then
      seq[#seq + 1] = { "?" }
      i = i + 1
    elseif c == "[" then
      local tok, after = parse_class(g, i)
      if tok then
        seq[#seq + 1] = tok
        i = after
      else
        seq[#seq + 1] = { "lit", "[" }
        i = i + 1
      end
    elseif c == "{" then
      local close = closing_brace(g, i)
      local inner = close and g:sub(i + 1, close - 1)
      local lo, hi = (inner or ""):match("^([+-]?%d+)%.%.([+-]?%d+)$")
      local parts = inner and not lo and split_alternatives(inner)
      if lo then
        seq[#seq + 1] = { "num", math.tointeger(tonumber(lo)), math.tointeger(tonumber(hi)) }
        i = close + 1
      elseif parts then
        local seqs = {}
        for k, part in ipairs(parts) do seqs[k] = parse_seq(part) end
        seq[#seq + 1] = { "alt", seqs = seqs }
        i = close + 1
      else
        -- "{single}", "{}" and an unclosed "{" are literal
        seq[#seq + 1] = { "lit", "{" }
        i = i + 1
      end
    else
      seq[#seq + 1] = { "lit", c }
      i = i + 1
    end
  end
  return seq
end

-- one UTF-8 character (or a stray byte): what "?" and "[seq]" match
local UTF8_CHAR = "^[%z\1-\127\194-\244][\128-\191]*"

local function in_class(tok, c)
  local found = tok.set[c] or false
  if not found then
    for _, r in ipairs(tok.ranges) do
      if c >= r[1] and c <= r[2] then found = true break end
    end
  end
  if tok.negate then return not found end
  return found
end

-- Whether seq[k..] matches s from pos and then rest(pos_after) holds.
local function match_seq(seq, k, s, pos, rest)
  local tok = seq[k]
  if tok == nil then return rest(pos) end
  local kind = tok[1]
  if kind == "lit" then
    return s:sub(pos, pos) == tok[2] and match_seq(seq, k + 1, s, pos + 1, rest)
  elseif kind == "?" then
    local c = s:match(UTF8_CHAR, pos)
    return c ~= nil and c ~= "/" and match_seq(seq, k + 1, s, pos + #c, rest)
  elseif kind == "class" then
    local c = s:match(UTF8_CHAR, pos)
    return c ~= nil and c ~= "/" and in_class(tok, c) and match_seq(seq, k + 1, s, pos + #c, rest)
  elseif kind == "*" then
    local stop = s:find("/", pos, true) or #s + 1
    for p = pos, stop do
      if match_seq(seq, k + 1, s, p, rest) then return true end
    end
    return false
  elseif kind == "**" then
    for p = pos, #s + 1 do
      if match_seq(seq, k + 1, s, p, rest) then return true end
    end
    return false
  elseif kind == "/**/" then
    if s:sub(pos, pos) ~= "/" then return false end
    for p = pos, #s do
      if s:sub(p, p) == "/" and match_seq(seq, k + 1, s, p + 1, rest) then return true end
    end
    return false
  elseif kind == "alt" then
    for _, alt in ipairs(tok.seqs) do
      if match_seq(alt, 1, s, pos, function(p) return match_seq(seq, k + 1, s, p, rest) end) then
        return true
      end
    end
    return false
  elseif kind == "num" then
    local digits = s:match("^[+-]?%d+", pos)
    if not digits then return false end
    -- the longest number first, then shorter ones; only as an integer is
    -- written ("60", "-5"; not "060" nor "+5")
    for len = #digits, 1, -1 do
      local text = digits:sub(1, len)
      local v = math.tointeger(tonumber(text))
      if v and tostring(v) == text and v >= math.min(tok[2], tok[3]) and v <= math.max(tok[2], tok[3])
        and match_seq(seq, k + 1, s, pos + len, rest) then
        return true
      end
    end
    return false
  end
  error("editorconfig: bad token " .. tostring(kind))
end

local function literal_seq(s)
  local seq = {}
  for i = 1, #s do seq[i] = { "lit", s:sub(i, i) } end
  return seq
end

--- Whether the section glob of the .editorconfig in folder dir matches the
--- file at path (both absolute). A glob with no "/" matches the file's name
--- in dir or any folder below it; one with a "/" is a path from dir.
---@param glob string
---@param dir string
---@param path string
---@return boolean
function editorconfig.match(glob, dir, path)
  dir = dir:gsub("/+$", "")
  local tail
  if glob:sub(1, 1) == "/" then
    tail = glob
  elseif glob:find("/", 1, true) then
    tail = "/" .. glob
  else
    tail = "/**/" .. glob
  end
  local seq = literal_seq(dir)
  for _, tok in ipairs(parse_seq(tail)) do seq[#seq + 1] = tok end
  return match_seq(seq, 1, path, 1, function(p) return p == #path + 1 end)
end

-- Files ---------------------------------------------------------------------

--- Parse the text of an .editorconfig file: { root = bool, sections = {
--- { glob = "*.c", props = { { key, value }, ... } }, ... } }. Keys are
--- lowercased, and the values of the properties the spec knows; a line
--- that is none of a comment, a [section] or a key = value is ignored.
---@param text string
---@return { root: boolean, sections: { glob: string, props: string[][] }[] }
function editorconfig.parse(text)
  local result = { root = false, sections = {} }
  local section = nil
  text = text:gsub("^\239\187\191", "")   -- a UTF-8 byte order mark
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    line = line:gsub("\r$", ""):match("^%s*(.-)%s*$")
    if line == "" or line:find("^[#;]") then
      -- a comment ("#" or ";" later in a line is part of it: no inline comments)
    elseif line:sub(1, 1) == "[" and line:sub(-1) == "]" then
      section = { glob = line:sub(2, -2), props = {} }
      result.sections[#result.sections + 1] = section
    else
      local key, value = line:match("^([^=]-)%s*=%s*(.-)$")
      if key and key ~= "" then
        key = key:lower()
        if KNOWN[key] then value = value:lower() end
        if section then
          section.props[#section.props + 1] = { key, value }
        elseif key == "root" then
          result.root = value == "true"
        end
      end
    end
  end
  return result
end

local function dirname(path)
  return path:match("^(.*)/[^/]*$") or ""
end

local function absolute(path)
  if path:sub(1, 1) ~= "/" then
    local cwd = os.getenv("PWD") or "."
    path = cwd .. "/" .. path
  end
  -- "a/./b" and "a//b" as "a/b"
  path = path:gsub("/%./", "/"):gsub("//+", "/")
  return path
end

--- The .editorconfig properties of the file at path: { indent_style =
--- "space", indent_size = "4", tab_width = "4", end_of_line = "lf",
--- charset = "utf-8", trim_trailing_whitespace = "true",
--- insert_final_newline = "true", ... }, every value a string as the spec
--- has it (a property set to "unset" is left out). indent_size follows
--- indent_style = tab ("tab"), tab_width follows indent_size. Reads the
--- files with smelt.fs.read: call it in a task. A file that cannot be read
--- counts as none.
---@param path string
---@return table<string, string> properties
function editorconfig.get(path)
  if type(path) ~= "string" then
    error(("bad argument #1 to 'smelt.editorconfig.get' (path expected, got %s)"):format(type(path)), 2)
  end
  path = absolute(path)
  local files = {}   -- nearest first
  local dir = dirname(path)
  while true do
    local text = smelt.fs.read((dir == "" and "" or dir) .. "/.editorconfig")
    if text then
      local parsed = editorconfig.parse(text)
      files[#files + 1] = { dir = dir == "" and "/" or dir, parsed = parsed }
      if parsed.root then break end
    end
    if dir == "" then break end
    dir = dirname(dir)
  end
  local props = {}
  for f = #files, 1, -1 do
    local file = files[f]
    for _, section in ipairs(file.parsed.sections) do
      if editorconfig.match(section.glob, file.dir, path) then
        for _, kv in ipairs(section.props) do
          props[kv[1]] = kv[2]
        end
      end
    end
  end
  for key, value in pairs(props) do
    if value == "unset" then props[key] = nil end
  end
  if props.indent_style == "tab" and props.indent_size == nil then
    props.indent_size = "tab"
  end
  if props.indent_size == "tab" and props.tab_width ~= nil then
    props.indent_size = props.tab_width
  end
  if props.indent_size ~= nil and props.indent_size ~= "tab" and props.tab_width == nil then
    props.tab_width = props.indent_size
  end
  return props
end
