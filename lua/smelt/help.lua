-- smelt/help.lua: the help files (doc/*.txt of each runtime path entry): their tags, lookup, :help
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A help file is Neovim's format: a tag is written *like-this* (what :help
-- finds), a reference to one |like-this|. Lines inside an example block (a
-- line ending in ">" or ">lang" opens one, a line starting with "<", or any
-- line starting in column 1, closes it) and text between backticks are
-- neither. The index is read again whenever it is asked for: the files are
-- small (smelt's own are 1,700 lines, indexed in 5 ms), and a plugin's doc/ added
-- to the runtime path is seen at once.

local smelt, internal = ...

local M = {}

---@class smelt.HelpTag
---@field tag string
---@field file string the help file's path
---@field line integer 1-based
---@field col integer 1-based byte column of the tag's opening "*"

---@class smelt.HelpRef
---@field link string
---@field line integer
---@field col integer

-- Inside an example block? Updates the state for one line, returns whether
-- the line is text (false: example) and the part of it that is text.
local function block_state(in_block, line)
  if in_block then
    if line:match("^<") then
      return false, true, line:sub(2)
    elseif line:match("^%S") then
      return false, true, line
    end
    return true, false, ""
  end
  return false, true, line
end

--- The tags and references of a help file's text, in order.
---@param text string
---@return smelt.HelpTag[] tags (without `file`)
---@return smelt.HelpRef[] links
function M.parse(text)
  local tags, links = {}, {}
  local in_block = false
  local n = 0
  for line in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do
    n = n + 1
    local is_text, part
    in_block, is_text, part = block_state(in_block, line)
    if is_text then
      local offset = #line - #part   -- the "<" taken off the front
      -- backticked text is code: blanked, so columns stay where they are
      local plain = part:gsub("`[^`]*`", function(s) return (" "):rep(#s) end)
      for col, tag in plain:gmatch("()%*([^%s*|]+)%*") do
        local before, after = plain:sub(col - 1, col - 1), plain:sub(col + #tag + 2, col + #tag + 2)
        if (before == "" or before:match("%s")) and (after == "" or after:match("%s")) then
          tags[#tags + 1] = { tag = tag, line = n, col = offset + col }
        end
      end
      for col, link in plain:gmatch("()|([^%s|*]+)|") do
        links[#links + 1] = { link = link, line = n, col = offset + col }
      end
      -- a line ending in ">" (after a space, or alone) opens an example
      if plain:match("^>%w*$") or plain:match("%s>%w*$") then
        in_block = true
      end
    end
  end
  return tags, links
end

--- The directories help files are read from: doc/ of each runtime path
--- entry that has one, in runtime path order (smelt's own last).
---@return string[]
function M.doc_dirs()
  local dirs = {}
  for _, entry in ipairs(smelt.runtimepath()) do
    local dir = entry .. "/doc"
    if internal.is_dir(dir) then
      dirs[#dirs + 1] = dir
    end
  end
  return dirs
end

--- The help files: each *.txt of the doc directories, in byte order
--- within a directory.
---@param dirs? string[] default: M.doc_dirs()
---@return string[]
function M.files(dirs)
  local files = {}
  for _, dir in ipairs(dirs or M.doc_dirs()) do
    local names = internal.list_dir(dir) or {}
    table.sort(names)
    for _, name in ipairs(names) do
      if name:match("%.txt$") then
        files[#files + 1] = dir .. "/" .. name
      end
    end
  end
  return files
end

---@param path string
---@return string
local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then
    error(("smelt.help: cannot read %s: %s"):format(path, err), 0)
  end
  local text = f:read("a")
  f:close()
  return text
end
M.read_file = read_file

---@class smelt.HelpIndex
---@field tags table<string, smelt.HelpTag> tag -> where (the first file that has it)
---@field names string[] every tag, sorted
---@field duplicates smelt.HelpTag[] tags met again after the first

-- The index of the last list of files, and what they were: each one's path
-- and size. Building it parses every help file (5 ms for smelt's own), and
-- :help and its Tab ask for it at every key.
local cached = { key = nil, index = nil }

-- what the files are now: their paths and sizes (an edited file is another
-- size nearly always; opening one costs microseconds, parsing it does not)
local function files_key(files)
  local parts = {}
  for i, path in ipairs(files) do
    local f = io.open(path, "rb")
    parts[i] = path .. "\0" .. (f and f:seek("end") or -1)
    if f then f:close() end
  end
  return table.concat(parts, "\n")
end

--- Every tag of the help files; the same index again while the files are
--- the same (the same paths and sizes).
---@param files? string[] default: M.files()
---@return smelt.HelpIndex
function M.index(files)
  files = files or M.files()
  local key = files_key(files)
  if cached.key ~= key then
    cached.index, cached.key = M.build_index(files), key
  end
  return cached.index
end

--- Every tag of the help files, parsed now.
---@param files string[]
---@return smelt.HelpIndex
function M.build_index(files)
  local index = { tags = {}, names = {}, duplicates = {} }
  for _, file in ipairs(files) do
    for _, t in ipairs((M.parse(read_file(file)))) do
      t.file = file
      if index.tags[t.tag] then
        index.duplicates[#index.duplicates + 1] = t
      else
        index.tags[t.tag] = t
        index.names[#index.names + 1] = t.tag
      end
    end
  end
  table.sort(index.names)
  return index
end

-- shorter tags first (the closest to what was typed), then in byte order
local function closer(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end

--- Where topic is documented, as :help finds it: the tag itself, then
--- with "()" (a function: `smelt.task.race`), then ignoring case, then the
--- shortest tag that starts with it, then the shortest that contains it.
---@param topic string
---@param index? smelt.HelpIndex default: M.index()
---@return smelt.HelpTag|nil
function M.find(topic, index)
  if type(topic) ~= "string" then
    error(("bad argument #1 to 'smelt.help.find' (string expected, got %s)"):format(type(topic)), 2)
  end
  index = index or M.index()
  local tags = index.tags
  if tags[topic] then return tags[topic] end
  if tags[topic .. "()"] then return tags[topic .. "()"] end
  local lower = topic:lower()
  local starts, contains = {}, {}
  for _, name in ipairs(index.names) do
    local l = name:lower()
    if l == lower or l == lower .. "()" then return tags[name] end
    if l:sub(1, #lower) == lower then
      starts[#starts + 1] = name
    elseif l:find(lower, 1, true) then
      contains[#contains + 1] = name
    end
  end
  table.sort(starts, closer)
  table.sort(contains, closer)
  local best = starts[1] or contains[1]
  return best and tags[best] or nil
end

--- The tags that start with lead, sorted: what Tab offers after :help.
---@param lead string
---@param index? smelt.HelpIndex default: M.index()
---@return string[]
function M.complete(lead, index)
  index = index or M.index()
  local out = {}
  for _, name in ipairs(index.names) do
    if name:sub(1, #lead) == lead then
      out[#out + 1] = name
    end
  end
  return out
end

-- :help ------------------------------------------------------------------------

-- the user's language, for this file's own strings (xgettext finds _("..."))
local _ = smelt.i18n.gettext

local shown = {}   -- help file -> the read-only buffer showing it

-- The help files' highlighting: smelt-help.lang, in the first doc/ that
-- has it (smelt's own: plugins' help files are highlighted the same).
---@return string|nil dir, string|nil language_id
local function highlighting()
  for _i, dir in ipairs(M.doc_dirs()) do   -- not _: that is gettext here
    if internal.is_file(dir .. "/smelt-help.lang") then
      return dir, "smelt-help"
    end
  end
end

--- Opens the help for topic in a read-only buffer, the cursor and the view
--- on its tag's line (no topic: the index, smelt.txt); a help file already
--- shown is shown again, not read twice. Raises "E149: no help for TOPIC".
---@param topic? string
---@return smelt.Buffer
function M.open(topic)
  if topic ~= nil and type(topic) ~= "string" then
    error(("bad argument #1 to 'smelt.help.open' (string expected, got %s)"):format(type(topic)), 2)
  end
  if not smelt.has_ui() then
    error("smelt.help.open: requires the GUI (running with --no-ui)", 2)
  end
  topic = topic and topic:match("^%s*(.-)%s*$") or ""
  local index = M.index()
  local where = M.find(topic == "" and "smelt.txt" or topic, index)
  if not where then
    error(_("E149: no help for %s"):format(topic), 0)
  end
  local buf = shown[where.file]
  if buf and buf:valid() then
    smelt.buf.set_current(buf)
  else
    local name = _("%s [help]"):format(where.file:match("[^/]*$"))
    buf = internal.buf_open_read_only(name, read_file(where.file), highlighting())
    shown[where.file] = buf
  end
  internal.buf_view_line(buf, where.line, where.col)
  return buf
end

--- In a help buffer, opens the entry the |link| under the cursor names (a
--- *tag* or a word: its entry); elsewhere does nothing. Ctrl+] runs it, as
--- in Neovim.
---@return boolean followed
function M.follow()
  local buf = smelt.has_ui() and smelt.buf.current()
  local is_help = false
  for _i, b in pairs(shown) do   -- not _: that is gettext here
    if buf and b == buf then is_help = true end
  end
  if not is_help then
    return false
  end
  local line, col = buf:cursor()
  local text = buf:lines(line, line)[1]
  local topic
  for s, word, e in text:gmatch("()[|*]([^%s|*]+)[|*]()") do
    if col >= s and col < e then topic = word end
  end
  if not topic then
    -- the word under the cursor: letters, digits and . _ : -
    local s = col
    while s > 1 and text:sub(s - 1, s - 1):match("[%w_.:-]") do s = s - 1 end
    topic = text:match("^[%w_.:-]+", s)
  end
  if not topic then return false end
  local ok, err = pcall(M.open, topic)
  if not ok then smelt.notify(tostring(err), "error") end
  return ok
end

local function help_command(ctx)
  if not smelt.has_ui() then
    -- headless: where the entry is, file:line
    local where = M.find(ctx.args ~= "" and ctx.args or "smelt.txt")
    if not where then error(_("E149: no help for %s"):format(ctx.args), 0) end
    internal.output(("%s: %s:%d"):format(where.tag, where.file, where.line))
    return
  end
  local ok, err = pcall(M.open, ctx.args)
  if not ok then
    smelt.notify(tostring(err), "error")
  end
end

local help_opts = {
  nargs = "?",
  desc = "Open the help for a topic: :help smelt.task.race",
  complete = function(lead) return M.complete(lead) end,
}
internal.define_command("help", help_command, help_opts)
internal.define_command("h", help_command, help_opts)
if smelt.has_ui() then
  smelt.keymap.set("<C-]>", M.follow, { desc = "Follow the help link under the cursor" })
end

package.loaded["smelt.help"] = M
return M
