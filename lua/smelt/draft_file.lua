-- smelt/draft_file.lua: the drafts folder's files: a draft's header and text, names, who owns them
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A draft is the unsaved text of one buffer, kept so that a crash loses
-- nothing (lua/smelt/drafts.lua writes and restores them). Its file, in
-- smelt.stdpath("state")/drafts/, is a header and the text:
--
--   smelt draft 1
--   path=/home/me/notes.txt      (none for an untitled buffer)
--   name=notes.txt
--   mtime=1764770000.123456      (the file when it was loaded or saved;
--   size=1234                     none when it did not exist)
--   cursor=3 5
--                                (an empty line ends the header)
--   the text, as the buffer has it (UTF-8)
--
-- Values are %-escaped ("%", CR and LF as %25, %0D, %0A): any path fits on
-- its line. Each smelt that writes drafts is an instance with a random id
-- and holds INSTANCE.lock (smelt.fs.lock: the kernel drops it when the
-- process ends, however it ends); its drafts are INSTANCE-ID.draft, one a
-- buffer (ID its buf.id), and the writer's temporaries start with ".INSTANCE-". Drafts
-- whose lock can be taken belong to no running smelt: they are restored.
-- A second smelt never touches a running one's drafts.

local smelt = ...

local M = {}

local MAGIC = "smelt draft 1"

local function escape(value)
  return (tostring(value):gsub("[%%\r\n]", function(c) return ("%%%02X"):format(c:byte()) end))
end

local function unescape(value)
  return (value:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end))
end

---@class smelt.DraftHeader
---@field path? string the file, nil for an untitled buffer
---@field name string the buffer's name
---@field mtime? number the file's mtime when it was loaded or saved (nil: it did not exist)
---@field size? integer its size then
---@field line integer the cursor
---@field col integer

--- The header's text, to go before the buffer's text in the file.
---@param h smelt.DraftHeader
---@return string
function M.encode(h)
  local lines = { MAGIC }
  if h.path then lines[#lines + 1] = "path=" .. escape(h.path) end
  lines[#lines + 1] = "name=" .. escape(h.name or "")
  if h.mtime then lines[#lines + 1] = ("mtime=%.6f"):format(h.mtime) end
  if h.size then lines[#lines + 1] = ("size=%d"):format(h.size) end
  lines[#lines + 1] = ("cursor=%d %d"):format(h.line or 1, h.col or 1)
  return table.concat(lines, "\n") .. "\n\n"
end

--- A draft file's header and text; nil and why when data is not a draft.
---@param data string
---@return smelt.DraftHeader|nil header
---@return string text or why not
function M.decode(data)
  if data:sub(1, #MAGIC + 1) ~= MAGIC .. "\n" then
    return nil, "not a smelt draft"
  end
  local h = { name = "", line = 1, col = 1 }
  local pos = #MAGIC + 2
  while true do
    local eol = data:find("\n", pos, true)
    if not eol then return nil, "the header does not end" end
    local line = data:sub(pos, eol - 1)
    pos = eol + 1
    if line == "" then break end
    local key, value = line:match("^(%w+)=(.*)$")
    if key == "path" then
      h.path = unescape(value)
    elseif key == "name" then
      h.name = unescape(value)
    elseif key == "mtime" then
      h.mtime = tonumber(value)
    elseif key == "size" then
      h.size = math.tointeger(tonumber(value))
    elseif key == "cursor" then
      local l, c = value:match("^(%d+) (%d+)$")
      h.line, h.col = tonumber(l) or 1, tonumber(c) or 1
    end   -- keys of a later version are skipped
  end
  return h, data:sub(pos)
end

--- Whether the file as it is now (a smelt.fs.stat result, nil when it is
--- gone) differs from the file the draft's header describes.
---@param h smelt.DraftHeader
---@param st? { type: string, size: integer, mtime: number }
---@return boolean
function M.changed_on_disk(h, st)
  if not h.path then return false end
  if not (st and st.type == "file") then return h.mtime ~= nil end
  -- the header's mtime went through %.6f
  return h.mtime == nil or h.size ~= st.size or math.abs(h.mtime - st.mtime) > 1e-6
end

--- The file name of an instance's draft of one buffer.
---@param instance string
---@param id integer the buffer's buf.id
---@return string
function M.draft_name(instance, id)
  return ("%s-%d.draft"):format(instance, id)
end

--- The instance a file of the drafts folder belongs to (a lock, a draft or
--- a writer's temporary), or nil.
---@param name string
---@return string|nil
function M.instance_of(name)
  return name:match("^(%x+)%.lock$") or name:match("^%.?(%x+)%-%d+%.draft")
end

--- A new instance id: random, and its lock taken in dir (an id whose lock
--- is held, by a smelt that drew the same one, is drawn again).
---@param dir string
---@return string|nil instance
---@return smelt.fs.Lock|string lock or why not
function M.new_instance(dir)
  local why
  for _i = 1, 8 do
    local id = ("%08x"):format(math.random(0, 0x7fffffff))
    local lock, message = smelt.fs.lock(dir .. "/" .. id .. ".lock")
    if lock then return id, lock end
    why = message
  end
  return nil, why
end

---@class smelt.DraftOrphan
---@field instance string
---@field lock smelt.fs.Lock held until the caller releases it
---@field drafts string[] its draft files' names, sorted
---@field others string[] its lock and temporaries

--- The instances in dir whose smelt is gone, each with its lock taken (no
--- other smelt restores them meanwhile) and its files; mine is skipped.
---@param dir string
---@param mine? string
---@return smelt.DraftOrphan[]
function M.orphans(dir, mine)
  local entries = smelt.fs.list(dir) or {}
  local by_instance, order = {}, {}
  for _i, e in ipairs(entries) do
    local id = M.instance_of(e.name)
    if id and id ~= mine then
      local o = by_instance[id]
      if not o then
        o = { instance = id, drafts = {}, others = {} }
        by_instance[id] = o
        order[#order + 1] = o
      end
      local list = (e.name:sub(1, 1) ~= "." and e.name:match("%.draft$")) and o.drafts or o.others
      list[#list + 1] = e.name
    end
  end
  local found = {}
  for _i, o in ipairs(order) do
    o.lock = smelt.fs.lock(dir .. "/" .. o.instance .. ".lock")
    if o.lock then
      table.sort(o.drafts, function(a, b)
        return (tonumber(a:match("%-(%d+)%.draft$")) or 0) < (tonumber(b:match("%-(%d+)%.draft$")) or 0)
      end)
      found[#found + 1] = o
    end
  end
  return found
end

return M
