-- smelt/ui.lua: the UI tier's Lua side (the GUI only): dialogs that park the task, the window's commands
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Lines and columns are 1-based everywhere, columns counted in bytes, and
-- ranges are inclusive, like Lua's string functions.

local smelt, internal = ...

-- the user's language, for this file's own strings (xgettext finds _("..."))
local _ = smelt.i18n.gettext

smelt.ui = smelt.ui or {}

local check_opts = internal.check_opts   -- buffer.lua's

--- Ask for a line of text; nil when dismissed. Parks the calling task; if
--- the task is cancelled, the dialog closes.
---@param opts? { prompt?: string, default?: string }
---@return string|nil
function smelt.ui.input(opts)
  opts = check_opts("smelt.ui.input", opts, 1)
  return internal.ui_input(tostring(opts.prompt or _("Input")), tostring(opts.default or ""))
end

--- Ask a question; true for ok, false for cancel or a closed dialog.
---@param message string
---@param opts? { ok?: string, cancel?: string }
---@return boolean
function smelt.ui.confirm(message, opts)
  if type(message) ~= "string" then
    error(("bad argument #1 to 'smelt.ui.confirm' (string expected, got %s)"):format(type(message)), 2)
  end
  opts = check_opts("smelt.ui.confirm", opts, 2)
  return internal.ui_confirm(message, opts.ok and tostring(opts.ok), opts.cancel and tostring(opts.cancel)) == true
end

--- Called by the window for :w, :wq, :w PATH, :w! PATH and Save As: saves
--- as a task (as new_path, when given: the buffer keeps its old path if that
--- fails), reports the result. Saving as another file that exists is
--- refused (Neovim's E13) unless overwrite (:w!, or Save As, which asked).
---@param buf smelt.Buffer
---@param then_quit boolean
---@param new_path? string
---@param overwrite? boolean
function internal.save_buffer(buf, then_quit, new_path, overwrite)
  internal.spawn_root(function()
    if new_path and new_path ~= buf:path() and not overwrite and smelt.fs.stat(new_path) then
      smelt.notify(_("E13: %s exists (:w! %s writes over it)"):format(new_path, new_path), "error")
      return
    end
    smelt.task.name("save " .. (new_path or buf:path() or "untitled"))
    local answered_no = false   -- the user said not to write: no error
    local ok, err = internal.buf_save_asking(buf, { path = new_path, force = overwrite }, function(code, message, opts)
      local again = internal.ask_after_refused_save(buf, code, message, opts)
      answered_no = again == nil and (code == "changed-on-disk" or code == "encoding")
      return again
    end)
    if ok then
      smelt.notify(_("written %s"):format(buf:path() or ""), "info")
      -- :wq quits as :q does: asking first if a buffer has unsaved changes
      -- (another one, or this one edited while it was written)
      if then_quit then internal.close_requested(false) end
    elseif answered_no then
      smelt.notify(_("%s not written"):format(buf:valid() and buf:path() or ""), "info")
    else
      smelt.notify(tostring(err), "error")
    end
  end)
end

--- A save the document refused (code "changed-on-disk" or "encoding"):
--- asks the user, and returns the options to save with again, or nil.
---@param buf smelt.Buffer
---@param code string
---@param message string
---@param opts { path?: string, force?: boolean }
---@return { path?: string, force?: boolean }|nil
function internal.ask_after_refused_save(buf, code, message, opts)
  if code == "changed-on-disk" then
    if smelt.ui.confirm(_("%s changed on disk since it was read. Overwrite it?"):format(buf:path() or buf:name()),
        { ok = _("Overwrite"), cancel = _("Cancel") }) then
      return { path = opts.path, force = true }
    end
  elseif code == "encoding" then
    local why = message:gsub("^buffer:save: ", "")
    if smelt.ui.confirm(why .. "\n\n" .. _("Save it as UTF-8?"), { ok = _("Save as UTF-8"), cancel = _("Cancel") })
        and buf:valid() then
      buf:set_encoding("UTF-8")
      return opts
    end
  end
  return nil
end

--- Called by the window for `:e ++enc=ENC PATH`: opens PATH read in ENC,
--- and says in the message area when it cannot.
---@param path string
---@param encoding string
function internal.open_file_encoded(path, encoding)
  internal.spawn_root(function()
    smelt.task.name("open " .. path)
    local ok, err = pcall(smelt.buf.open, path, { encoding = encoding })
    if not ok then smelt.notify(tostring(err), "error") end
  end)
end

--- Called by the window when a file it opened is not text in the encodings
--- it detects: says so (message) and offers to read it as Latin-1.
---@param path string
---@param message string
function internal.offer_latin1(path, message)
  smelt.notify(message, "error")
  internal.spawn_root(function()
    smelt.task.name("offer Latin-1 for " .. path)
    if smelt.ui.confirm(_("%s is not text in the encodings smelt tried. Open it as Latin-1 (ISO-8859-1)?"):format(path),
        { ok = _("Open as Latin-1"), cancel = _("Cancel") }) then
      local ok, err = pcall(smelt.buf.open, path, { encoding = "ISO-8859-1" })
      if not ok then smelt.notify(tostring(err), "error") end
    end
  end)
end

--- Called by the window for :e and :e!: reads the buffer's file again; with
--- unsaved changes only when force (:e!), else it says so.
---@param buf smelt.Buffer
---@param force boolean
function internal.reload_buffer(buf, force)
  internal.spawn_root(function()
    smelt.task.name("reload " .. (buf:path() or "untitled"))
    if not buf:path() then
      smelt.notify(_("the buffer has no file to read again"), "error")
    elseif buf:modified() and not force then
      smelt.notify(_("%s has unsaved changes (:e! discards them)"):format(buf:path():match("[^/]*$")), "error")
    else
      local ok, err = pcall(buf.reload, buf)
      if not ok then smelt.notify(tostring(err), "error") end
    end
  end)
end

--- Called by the window for :wa: saves every modified buffer that has a file.
function internal.save_all()
  for _i, buf in ipairs(smelt.buf.list()) do   -- not _: that is gettext here
    if buf:path() and buf:modified() then internal.save_buffer(buf, false) end
  end
end

--- Called by the window for Ctrl+W, a tab's close button and :bd / :bd!:
--- asks before discarding unsaved changes, unless force.
function internal.close_buffer(buf, force)
  internal.spawn_root(function()
    smelt.task.name("close " .. (buf:path() or "untitled"))
    if internal.buf_unsaved(buf) and not force and not smelt.ui.confirm(
        _("Discard unsaved changes in %s?"):format(buf:path() or _("untitled")),
        { ok = _("Close without saving"), cancel = _("Keep editing") }) then
      return
    end
    -- the window stays usable while it asks: the buffer may be gone already
    if buf:valid() then buf:close({ force = true }) end
  end)
end

-- The window is closing (Ctrl+Q, :q, smelt.quit): the plugin dialogs still
-- open go, and the tasks that asked get nil (false for confirm), as if each
-- were closed, so they run on while the other quit-pre handlers do. This is
-- the first quit-pre handler: ui.lua is loaded before any plugin.
smelt.on("quit-pre", function()
  internal.dismiss_dialogs()
end)

local asking_to_quit = false   -- one quit question at a time (Ctrl+Q again while it is open)

--- Called when the window is asked to close: asks about unsaved buffers
--- (unless discard: `:q!`), then quits through quit-pre.
---@param discard boolean
function internal.close_requested(discard)
  if asking_to_quit and not discard then return end
  internal.spawn_root(function()
    smelt.task.name("quit")
    local unsaved = {}
    for _, b in ipairs(smelt.buf.list()) do
      if internal.buf_unsaved(b) then unsaved[#unsaved + 1] = b:path() or b:name() end
    end
    if #unsaved > 0 and not discard then
      asking_to_quit = true
      local ok, quit = pcall(smelt.ui.confirm,
        _("Discard unsaved changes in %s?"):format(table.concat(unsaved, ", ")),
        { ok = _("Discard and quit"), cancel = _("Keep editing") })
      asking_to_quit = false
      if not ok then error(quit, 0) end
      if not quit then return end
    end
    smelt.quit(0)
  end)
end

-- The statusline ----------------------------------------------------------------

smelt.statusline = smelt.statusline or {}
local render

--- Render the statusline with fn(buf), called on every change of the
--- current buffer or cursor, and on smelt.statusline.refresh(); nil
--- restores the default. A renderer that raises, or runs past the watchdog,
--- is reported and dropped (the default shows) until set again.
---@param fn fun(buf: table): string
function smelt.statusline.set(fn)
  if fn ~= nil and type(fn) ~= "function" then
    error(("bad argument #1 to 'smelt.statusline.set' (function expected, got %s)"):format(type(fn)), 2)
  end
  render = fn
  internal.refresh_statusline()
end

--- The renderer set with smelt.statusline.set, or nil for the window's own:
--- to wrap another plugin's, or to put it back.
---@return fun(buf: table): string|nil
function smelt.statusline.get()
  return render
end

--- Render the statusline again soon: what the renderer shows changed
--- without the buffer or cursor changing (a count a plugin keeps). Asked
--- many times at once, it renders once.
function smelt.statusline.refresh()
  internal.refresh_statusline()
end

-- What the runtime itself shows after the statusline, whoever renders it:
-- fn(buf) -> a short text or nil (the diagnostics' counts). One that raises
-- is reported and dropped.
internal.statusline_items = {}

local function items_text(buf)
  local parts = {}
  for i = #internal.statusline_items, 1, -1 do
    local ok, text = pcall(internal.statusline_items[i], buf)
    if not ok then
      table.remove(internal.statusline_items, i)
      smelt.log.warn("a statusline item failed and was dropped: " .. tostring(text))
    elseif text and text ~= "" then
      table.insert(parts, 1, tostring(text))
    end
  end
  return table.concat(parts, "  ")
end

-- Called by the window (through the host's gate: the watchdog, the error
-- report): the renderer's text (nil: the window's own) and the items. A
-- renderer that raises or is interrupted is dropped, as Neovim drops a
-- failing 'statusline': the window's own shows, and the error is reported
-- once, not on every keystroke, until smelt.statusline.set again.
function internal.render_statusline(buf)
  local items = items_text(buf)
  local fn = render
  if not fn then return nil, items end
  render = nil
  local text = fn(buf)
  if render == nil then render = fn end   -- unless fn set another
  return text ~= nil and tostring(text) or nil, items
end

-- In the GUI, Tasks opens the Tasks panel (live, with a Cancel button per task).
smelt.cmd.create("Tasks", function()
  internal.show_tasks_panel()
end, { force = true, desc = "Show the Tasks panel: live tasks, what each waits on, Cancel" })

-- Text output of commands goes to the message area.
function internal.output(text)
  smelt.notify(text, "info")
end

-- Files changed by another program: noticed through smelt.fs.watch on the
-- file's directory, and offered for reload in a bar above the buffer's text
-- that never takes the keyboard (a dialog did, with Reload as its default:
-- a Return or a space typed at that moment threw the user's work away);
-- only a click on Reload, or :e, reads the file again. Our own saves are not changes:
-- each save records the file's mtime, and a change is one whose mtime
-- differs from the last one smelt saw. ----------------------------------------

local known_mtime = {}   -- path -> mtime smelt last loaded or wrote
local watching = {}     -- directory -> watch handle
local asking = {}       -- path -> true from the first event of a change until it is answered
-- A file opened through a symlink is watched at its target, where another
-- program changes it; the paths above are the targets'.
local shown_as = {}     -- target -> the path its buffer has, when they differ

local function buffer_path(real)
  return shown_as[real] or real
end

local function remember(path)
  local st = smelt.fs.stat(path)
  known_mtime[path] = st and st.mtime or nil
end

local function buffer_for(path)
  for _, b in ipairs(smelt.buf.list()) do
    if b:path() == path then return b end
  end
end

local function ask_reload(path)
  smelt.sleep(100)   -- let the writer finish
  if internal.saving[buffer_path(path)] then return end   -- our own save, still under way
  local st = smelt.fs.stat(path)
  if not st or st.mtime == known_mtime[path] then return end
  local buf = buffer_for(buffer_path(path))
  if not buf then return end
  local name = buffer_path(path):match("[^/]*$")
  local question = buf:modified()
    and _("%s changed on disk, and you have unsaved changes. Reload it and lose them?"):format(name)
    or _("%s changed on disk. Reload it?"):format(name)
  known_mtime[path] = st.mtime
  if internal.buf_ask_reload(buf, question) == true and buf:valid() then
    buf:reload()   -- emits buf-reload
  end
end

-- A file deleted (or moved away) by another program: its buffer is all that
-- is left of the text, so it is marked unsaved (closing or quitting asks)
-- and the message area says so.
local function on_disk_deleted(path)
  smelt.sleep(100)   -- a save by another program: delete, then create
  if internal.saving[buffer_path(path)] or smelt.fs.stat(path) then return end
  local buf = buffer_for(buffer_path(path))
  if not buf or not buf:valid() then return end
  known_mtime[path] = false   -- a file made there later is a change
  internal.buf_set_modified(buf, true)
  smelt.notify(_("%s was deleted on disk; the buffer keeps the text (:w writes it again)")
    :format(buffer_path(path):match("[^/]*$")), "warn")
end

local function on_disk_change(ev)
  if (ev.kind == "deleted" or ev.kind == "renamed") and known_mtime[ev.path] and not asking[ev.path] then
    asking[ev.path] = true
    local ok, err = pcall(on_disk_deleted, ev.path)
    asking[ev.path] = nil
    if not ok then error(err, 0) end
    if ev.kind == "deleted" then return end
  end
  local path = ev.kind == "renamed" and ev.other_path or ev.path
  -- one question for a burst of events (a write is "changed", then "changes done")
  if not path or known_mtime[path] == nil or asking[path] or internal.saving[buffer_path(path)] then return end
  asking[path] = true
  local ok, err = pcall(ask_reload, path)
  asking[path] = nil
  if not ok then error(err, 0) end
end

-- what smelt read or wrote last, and a watch on the folder it is in
local function track(path)
  local real = internal.realpath(path) or path
  if real ~= path then shown_as[real] = path end
  path = real
  remember(path)
  local dir = path:match("^(.*)/[^/]*$") or "."
  if not watching[dir] then
    local ok, handle = pcall(smelt.fs.watch, dir, on_disk_change)
    if ok then watching[dir] = handle end
  end
end
-- called by buffer:save as soon as the file is written (not from a
-- buf-write-post handler: that runs later, and the watcher may come first)
internal.track_file = track

smelt.on("buf-open", function(ev)
  if not ev.buf:valid() then return end   -- closed before this handler ran
  local path = ev.buf:path()
  if path then track(path) end
end)

-- read again (the question above, :e, a plugin): what is on disk is known,
-- and a question still shown goes
smelt.on("buf-reload", function(ev)
  if not ev.buf:valid() then return end
  internal.buf_withdraw_reload(ev.buf)
  local path = ev.buf:path()
  if path then remember(internal.realpath(path) or path) end
end)
