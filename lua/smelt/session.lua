-- smelt/session.lua: the files open when the editor quits open again when it starts without files
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- As GNOME Text Editor does: at quit-pre, each buffer that has a file goes
-- to smelt.stdpath("state")/session, in tab order, with its cursor and a
-- mark on the one shown; at ui-ready, when the window was opened with no
-- files and the setting restore-session is on, the files of that list that
-- still exist open again, their cursors where they were, the marked one
-- shown. Untitled buffers are not kept; with --clean (as Neovim's, which
-- skips its ShaDa file) nothing is restored or saved. One line a buffer,
-- tab-separated:
--   SHOWN LINE COLUMN PATH      (SHOWN is * for the buffer shown, else -)

local smelt, internal = ...

local HEADER = "# smelt session 1: shown, line, column, path (tab-separated)"

local function session_file()
  return smelt.stdpath("state") .. "/session"
end

--- The session of the open buffers, as the file holds it.
---@return string
local function session_text()
  local lines = { HEADER }
  local current = smelt.buf.current()
  for _i, buf in ipairs(smelt.buf.list()) do
    local path = buf:valid() and buf:path()
    -- a path with a tab or a line break in it cannot be written as a line
    if path and not path:find("[\t\r\n]") then
      local line, col = buf:cursor()
      lines[#lines + 1] = ("%s\t%d\t%d\t%s"):format(buf == current and "*" or "-", line, col, path)
    end
  end
  return table.concat(lines, "\n") .. "\n"
end

--- The entries of a session file's text; lines that are not entries are skipped.
---@param text string
---@return { path: string, line: integer, col: integer, shown: boolean }[]
local function parse(text)
  local entries = {}
  for line in text:gmatch("[^\n]+") do
    local shown, l, c, path = line:match("^([*-])\t(%d+)\t(%d+)\t(/.+)$")
    if shown then
      entries[#entries + 1] = { path = path, line = tonumber(l), col = tonumber(c), shown = shown == "*" }
    end
  end
  return entries
end

local function save()
  local dir = smelt.stdpath("state")
  local ok, err = smelt.fs.mkdir(dir)
  if ok then ok, err = smelt.fs.write(session_file(), session_text()) end
  if not ok then
    smelt.log.warn("the session was not saved: " .. tostring(err))
  end
end

local function restore()
  local text = smelt.fs.read(session_file())
  if not text then return end   -- no session yet
  local shown
  for _i, e in ipairs(parse(text)) do
    local st = smelt.fs.stat(e.path)
    if st and st.type == "file" then
      local ok, buf = pcall(smelt.buf.open, e.path)
      if ok then
        -- the file may have shrunk since: the nearest place that exists
        local line = math.min(e.line, buf:line_count())
        local len = #(buf:lines(line, line)[1] or "")
        pcall(buf.set_cursor, buf, line, math.min(e.col, len + 1))
        if e.shown then shown = buf end
      else
        smelt.log.warn("session: " .. tostring(buf))
      end
    end
  end
  if shown and shown:valid() then smelt.buf.set_current(shown) end
end

smelt.on("quit-pre", function()
  if internal.clean then return end
  smelt.task.name("save the session")
  save()
end)

smelt.on("ui-ready", function(ev)
  if internal.clean or (ev.files or 0) > 0 or internal.setting("restore-session") == false then return end
  smelt.task.name("restore the session")
  restore()
end)
