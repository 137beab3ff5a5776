-- smelt/drafts.lua: the unsaved text of every buffer kept on disk, restored after a crash
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- As GNOME Text Editor does: a SIGKILL, a crash or a power cut loses no
-- edit and no untitled buffer. Each modified buffer's text goes to a draft
-- (smelt.stdpath("state")/drafts/, the format in draft_file.lua) at most
-- about a second after the first edit of a burst: the window's debounced
-- "text-changed" comes no later than 1 s after it (300 ms after the last
-- key when typing pauses), and the write starts then. One write at a time,
-- none for a buffer that did not change since; the text is copied out a
-- slice per main-loop turn and written (atomically) in a worker thread, so
-- a 50 MB buffer does not freeze the window. A draft goes when its buffer
-- is saved, closed without saving, reloaded or undone back to its file,
-- and at a quit (nothing is unsaved then, or the user said discard).
--
-- At the next start ("ui-ready") the drafts of every smelt that is gone
-- (see draft_file.orphans) come back: a file's draft as an edit of that
-- file (undoable, the buffer modified), an untitled one as a new untitled
-- buffer; a notice names them. A file that changed on disk since its draft
-- was made still gets the draft's text, with a warning; nothing saves it.
--
-- Reloading a buffer with unsaved changes (the changed-on-disk bar's
-- Reload, :e!) keeps the text it discards in drafts/discarded/, and says
-- where. With --clean, or the setting keep-drafts off, nothing is written
-- or restored.

local smelt, internal = ...

local _ = smelt.i18n.gettext

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local draft_file = assert(loadfile(here .. "/draft_file.lua", "t"))(smelt)

local DISCARDED_KEEP_DAYS = 30

local function drafts_dir()
  return smelt.stdpath("state") .. "/drafts"
end

local function enabled()
  return not internal.clean and internal.setting("keep-drafts") ~= false
end

-- This smelt's instance (draft_file.new_instance), taken at the first draft.
local instance, instance_lock
local stopped = false   -- quitting: no more drafts

---@class smelt.DraftEntry
---@field buf smelt.Buffer
---@field file string the draft's path
---@field base? { mtime?: number, size?: integer } for a restored draft of a file changed on disk: the file it was made from
---@field dirty boolean the buffer changed since the draft was written
---@field writing boolean its write is under way
---@field stale boolean the draft was discarded while it was being written
local entries = {}   -- buf.id -> its entry, for each buffer seen modified
local bases = {}     -- path -> its file's { mtime, size } when loaded, saved or read again ({}: none)

local function entry_of(buf)
  return entries[buf.id]
end

local function ensure_instance()
  if instance then return true end
  local ok, err = smelt.fs.mkdir(drafts_dir())
  if not ok then return nil, err end
  local id, lock = draft_file.new_instance(drafts_dir())
  if not id then return nil, lock end
  instance, instance_lock = id, lock
  return true
end

local warned = false

-- Once: a full disk or a broken folder must not bury every message.
local function warn_once(err)
  if warned then return end
  warned = true
  smelt.notify(_("unsaved changes could not be kept as a draft: %s"):format(tostring(err)), "warn")
end

local function new_entry(buf)
  local ok, err = ensure_instance()
  if not ok then
    warn_once(err)
    return nil
  end
  local e = { buf = buf, file = drafts_dir() .. "/" .. draft_file.draft_name(instance, buf.id),
              dirty = false, writing = false, stale = false }
  entries[buf.id] = e
  return e
end

-- The file's mtime and size now ({} when there is none), for the header.
local function file_state(path)
  local st = path and smelt.fs.stat(path)
  if st and st.type == "file" then return { mtime = st.mtime, size = st.size } end
  return {}
end

local function remove_file(e)
  if e.writing then
    e.stale = true   -- the writer removes it once its write is done
  else
    os.remove(e.file)
  end
end

local function write_one(e)
  local buf = e.buf
  if stopped or not buf:valid() or not buf:modified() then
    remove_file(e)
    return
  end
  local path = buf:path()
  local base = e.base or (path and bases[path])
  if path and not base then
    base = file_state(path)
    bases[path] = base
  end
  base = base or {}
  local line, col = buf:cursor()
  local header = draft_file.encode({ path = path, name = buf:name(), mtime = base.mtime,
                                     size = base.size, line = line, col = col })
  e.writing = true
  local ok, err = pcall(internal.buf_write_copy, buf, e.file, header)
  e.writing = false
  if e.stale or stopped then
    e.stale = false
    os.remove(e.file)
  elseif not ok then
    warn_once(err)
  end
end

local writer_running = false

-- The one writer: the buffers that changed, one after another, until none has.
local function write_loop()
  smelt.task.name("write drafts")
  while true do
    local next_entry
    for _id, e in pairs(entries) do
      if e.dirty then next_entry = e break end
    end
    if not next_entry then break end
    next_entry.dirty = false
    write_one(next_entry)
  end
  writer_running = false
end

local function schedule(e)
  e.dirty = true
  if not writer_running then
    writer_running = true
    internal.spawn_root(write_loop)
  end
end

-- Park until e's draft is written (or found unneeded).
local function flush(e)
  schedule(e)
  while e.dirty or e.writing do smelt.sleep(20) end
end

-- The buffer's text is its file's again: no draft.
local function discard(buf)
  local e = entry_of(buf)
  if not e then return end
  e.dirty = false
  remove_file(e)
end

smelt.on("text-changed", function(ev)
  -- a scratch buffer's text is not meant to be kept
  if stopped or not enabled() or not ev.buf:valid() or internal.buf_scratch(ev.buf) then return end
  local e = entry_of(ev.buf)
  if not ev.buf:modified() then
    if e then discard(ev.buf) end
    return
  end
  e = e or new_entry(ev.buf)
  if e then schedule(e) end
end)

smelt.on("buf-open", function(ev)
  local path = ev.buf:valid() and ev.buf:path()
  if path then bases[path] = file_state(path) end
end)

-- saved, or read again: the draft is the file's text, or not needed; what
-- was typed meanwhile is drafted again
local function settled(ev)
  local path = ev.buf:valid() and ev.buf:path()
  if path then bases[path] = file_state(path) end
  local e = ev.buf:valid() and entry_of(ev.buf)
  if not e then return end
  e.base = nil
  if ev.buf:modified() then schedule(e) else discard(ev.buf) end
end
smelt.on("buf-write-post", settled)
smelt.on("buf-reload", settled)

-- closed without saving (buf.id outlives the buffer: the handler runs once
-- it is gone)
smelt.on("buf-close", function(ev)
  local e = entries[ev.buf.id]
  if not e then return end
  e.dirty = false
  remove_file(e)
  entries[ev.buf.id] = nil
end)

-- A quit: nothing is unsaved, or the user said discard. (ui.lua's quit-pre
-- handler runs first; this one removes what this smelt wrote.)
smelt.on("quit-pre", function()
  stopped = true
  for _id, e in pairs(entries) do remove_file(e) end
  if instance_lock then instance_lock:release(true) end
end)

--- Called by buffer:reload before the text is read again: a buffer with
--- unsaved changes has them written to drafts/discarded/NAME-TIME.txt,
--- which the message area names. Parks until written; returns the path.
---@param buf smelt.Buffer
---@return string|nil
function internal.keep_discarded(buf)
  if not enabled() or not buf:modified() then return nil end
  local dir = drafts_dir() .. "/discarded"
  local ok, err = smelt.fs.mkdir(dir)
  local base = (buf:path() or buf:name()):match("[^/]*$")
  local path = ("%s/%s-%s.txt"):format(dir, base, os.date("%Y%m%d-%H%M%S"))
  if ok then ok, err = pcall(internal.buf_write_copy, buf, path, nil) end
  if not ok then
    smelt.notify(_("the unsaved text of %s could not be kept: %s"):format(base, tostring(err)), "warn")
    return nil
  end
  smelt.notify(_("%s read again; the unsaved text it had is kept in %s (:e to open it)"):format(base, path), "info")
  return path
end

-- Restoring ----------------------------------------------------------------

-- A draft back in a buffer: a record for the notice, or nil (and why) when
-- there was nothing to restore or it could not be.
local function restore_one(path)
  local data, err = smelt.fs.read(path)
  if not data then return nil, err end
  local h, text = draft_file.decode(data)
  if not h then return nil, path .. ": " .. text end
  local buf, changed
  if h.path then
    changed = draft_file.changed_on_disk(h, smelt.fs.stat(h.path))
    local ok
    ok, buf = pcall(smelt.buf.open, h.path)
    if not ok then return nil, buf end
    -- found open and still loading (the window opened it first): its text is not in yet
    while buf:valid() and not buf:loaded() do smelt.sleep(20) end
    if not buf:valid() then return nil, "keep" end
    if buf:modified() then
      return nil, "keep"   -- another draft of it came first: this one waits for the next start
    end
    if buf:text() == text then return nil end   -- the file has the text already
    buf:set_text(text)   -- an edit: Ctrl+Z gives the file's text back
  else
    buf = smelt.buf.create({ name = h.name ~= "" and h.name ~= _("untitled") and h.name or nil, text = text })
    internal.buf_set_modified(buf, true)   -- unsaved: closing it asks
  end
  local line = math.min(h.line, buf:line_count())
  pcall(buf.set_cursor, buf, line, math.max(1, math.min(h.col, #(buf:lines(line, line)[1] or "") + 1)))
  local e = entry_of(buf) or new_entry(buf)
  if e then
    -- the draft is of the file it was made from: a later restore warns again
    e.base = changed and { mtime = h.mtime, size = h.size } or nil
    flush(e)   -- in this smelt's drafts before the old one goes
  end
  return { name = h.path and h.path:match("[^/]*$") or (h.name ~= "" and h.name or _("untitled")), changed = changed }
end

local function prune_discarded()
  local dir = drafts_dir() .. "/discarded"
  local now = os.time()
  for _i, e in ipairs(smelt.fs.list(dir) or {}) do
    if e.type == "file" and now - e.mtime > DISCARDED_KEEP_DAYS * 86400 then os.remove(dir .. "/" .. e.name) end
  end
end

local function restore()
  local dir = drafts_dir()
  local ok, err = ensure_instance()   -- mine first: an orphan is never this smelt
  if not ok then
    smelt.log.warn("drafts: " .. tostring(err))
    return
  end
  local restored, changed, failed = {}, {}, {}
  for _i, orphan in ipairs(draft_file.orphans(dir, instance)) do
    local keep = false
    for _j, name in ipairs(orphan.drafts) do
      local r, why = restore_one(dir .. "/" .. name)
      if r then
        restored[#restored + 1] = r.name
        if r.changed then changed[#changed + 1] = r.name end
        os.remove(dir .. "/" .. name)
      elseif why == "keep" then
        keep = true
      elseif why then
        failed[#failed + 1] = tostring(why)
        keep = true   -- not lost: tried again at the next start
      else
        os.remove(dir .. "/" .. name)
      end
    end
    for _j, name in ipairs(orphan.others) do
      if name:sub(1, 1) == "." then os.remove(dir .. "/" .. name) end
    end
    orphan.lock:release(not keep)
  end
  prune_discarded()
  if #restored > 0 then
    local message = _("Recovered unsaved changes (smelt ended without saving them): %s. Save to keep them.")
      :format(table.concat(restored, ", "))
    if #changed > 0 then
      message = message .. " " .. _("Changed on disk since: %s; the buffer has the recovered text and the file is left as it is: compare before saving.")
        :format(table.concat(changed, ", "))
    end
    smelt.notify(message, #changed > 0 and "warn" or "info")
  end
  for _i, why in ipairs(failed) do smelt.log.warn("drafts: " .. why) end
end

smelt.on("ui-ready", function()
  if not enabled() then return end
  smelt.task.name("restore drafts")
  restore()
end)
