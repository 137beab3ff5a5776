-- smelt/buffer.lua: smelt.buf and the Buffer's Lua methods (save, reload, close), with a window or without
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The Buffer object is a document (app/smelt-lua-buffer.c): the same with
-- --no-ui as in the window. With --no-ui the documents are loaded on the
-- first use of smelt.buf, so a script that never touches a buffer does not
-- pay for them.
--
-- Lines and columns are 1-based everywhere, columns counted in bytes, and
-- ranges are inclusive, like Lua's string functions.

local smelt, internal = ...

smelt.buf = smelt.buf or {}

-- opts, or {} for nil; raises "bad argument #arg to 'fname' (table
-- expected, ...)" at the caller's caller, and with known (a set of
-- names) "fname: unknown option 'NAME'" for a key not in it. The one
-- check of options for the runtime: dialogs, the picker, key maps. level:
-- where the error points (default 3, the caller's caller)
local function check_opts(fname, opts, arg, known, level)
  level = level or 3
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #%d to '%s' (table expected, got %s)"):format(arg, fname, type(opts)), level)
  end
  if known and opts then
    for k in pairs(opts) do
      if not known[k] then
        error(("%s: unknown option '%s'"):format(fname, tostring(k)), level)
      end
    end
  end
  return opts or {}
end
internal.check_opts = check_opts

-- path -> how many saves to it are under way (the GUI's watcher knows its
-- own writes by this)
internal.saving = {}

local WRITE_PRE_TIMEOUT_MS = 5000
local WRITE_PRE_STEP_MS = 100

-- Whether one of the handlers, or a task it spawned, waits on a dialog now
-- (only the window has dialogs).
local function handler_asks(handlers)
  local askers = internal.dialog_askers and internal.dialog_askers() or {}
  if #askers == 0 then return false end
  local mine, parent = {}, {}
  for _, h in ipairs(handlers) do mine[h.id] = true end
  for _, e in ipairs(smelt.task.list()) do parent[e.id] = e.parent end
  for _, id in ipairs(askers) do
    while id ~= nil and not mine[id] do id = parent[id] end
    if id ~= nil then return true end
  end
  return false
end

-- Sleeps until the handlers have had WRITE_PRE_TIMEOUT_MS of their own time,
-- not counting what they spent waiting on the user in a dialog.
local function write_pre_deadline(handlers)
  local left = WRITE_PRE_TIMEOUT_MS
  while left > 0 do
    smelt.sleep(WRITE_PRE_STEP_MS)
    if not handler_asks(handlers) then left = left - WRITE_PRE_STEP_MS end
  end
end

-- Runs the buf-write-pre handlers (a formatter may edit the buffer), at most
-- WRITE_PRE_TIMEOUT_MS of their own time; whether one cancelled the save.
local function write_pre(buf)
  local event = { buf = buf, cancel = false }
  local handlers = smelt.emit("buf-write-pre", event)
  if #handlers > 0 then
    local first = smelt.task.race(function()
      for _, h in ipairs(handlers) do pcall(h.wait, h) end
    end, function() write_pre_deadline(handlers) end)
    if first == 2 then
      -- a broken handler must not edit the buffer later, mid-write or after
      local names = {}
      for _, info in ipairs(smelt.task.list()) do names[info.id] = info.name end
      for _, h in ipairs(handlers) do
        local status = h:status()
        if status == "running" or status == "parked" then
          h:cancel()
          smelt.notify(smelt.i18n.gettext("a buf-write-pre handler (%s) took over %d ms and was cancelled; saving anyway")
            :format(names[h.id] or ("task " .. h.id), WRITE_PRE_TIMEOUT_MS), "warn")
        end
      end
    end
  end
  return event.cancel
end

local function install()
  local methods = internal.buffer_methods

  -- buf-changed: C queues each edit and hands them here in order, only
  -- while a handler listens
  internal.on_handler_count["buf-changed"] = function(n) internal.buf_changes_wanted(n > 0) end
  internal.buf_changes_wanted(internal.n_handlers("buf-changed") > 0)
  function internal.emit_buf_changed(ev)
    smelt.emit("buf-changed", ev)
  end

  --- Open path in a buffer. Inside a task it parks until the text is in;
  --- outside one it returns at once, and buf:loaded() says when. A file
  --- already open is not opened twice: its buffer is returned (and, in the
  --- window, shown). Raises when the file cannot be read (a directory, no
  --- permission, not text); a file that does not exist gives an empty
  --- buffer for it. Emits "buf-open" once the text is in. opts.encoding
  --- ("ISO-8859-1", "latin1") reads it in that encoding rather than the one
  --- detected (a buffer of it read in another is read again, if unmodified).
  ---@param path string
  ---@param opts? { encoding?: string }
  ---@return smelt.Buffer
  function smelt.buf.open(path, opts)
    if type(path) ~= "string" then
      error(("bad argument #1 to 'smelt.buf.open' (path expected, got %s)"):format(type(path)), 2)
    end
    opts = check_opts("smelt.buf.open", opts, 2)
    if opts.encoding ~= nil and type(opts.encoding) ~= "string" then
      error(("bad argument #2 to 'smelt.buf.open' (encoding: string expected, got %s)"):format(type(opts.encoding)), 2)
    end
    return internal.buf_open(path, opts.encoding)
  end

  --- A new buffer with no file: opts.name is its name ("untitled" when
  --- absent), opts.text its text (not an edit: the buffer is unmodified).
  --- A scratch buffer never asks to be saved when it closes or smelt quits.
  ---@param opts? { name?: string, text?: string, scratch?: boolean }
  ---@return smelt.Buffer
  function smelt.buf.create(opts)
    opts = check_opts("smelt.buf.create", opts, 1)
    for _, key in ipairs({ "name", "text" }) do
      if opts[key] ~= nil and type(opts[key]) ~= "string" then
        error(("bad argument #1 to 'smelt.buf.create' (%s: string expected, got %s)")
          :format(key, type(opts[key])), 2)
      end
    end
    return internal.buf_create(opts.name, opts.text, opts.scratch == true)
  end

  --- The open buffer whose buf.id is id, or nil.
  ---@param id integer
  ---@return smelt.Buffer|nil
  smelt.buf.get = internal.buf_get
  --- The current buffer: the one shown in the window; with --no-ui the one
  --- opened, created or set last. nil when there is none.
  ---@return smelt.Buffer|nil
  smelt.buf.current = internal.buf_current
  --- Make buf the current buffer (the window shows its tab and gives it the
  --- keyboard).
  ---@param buf smelt.Buffer
  smelt.buf.set_current = internal.buf_set_current
  --- The open buffers (in the window, in tab order).
  ---@return smelt.Buffer[]
  smelt.buf.list = function() return internal.buf_list() end

  --- Save the buffer to its file, or to opts.path (it keeps that path when
  --- written); parks until written. Returns true, or nil, a message naming
  --- the path, and a code: "exists" (opts.path is another file that exists:
  --- pass force), "loading", "no-file", "read-only", "permission-denied",
  --- "no-space", "cancelled" (by a buf-write-pre handler), ... Runs the
  --- "buf-write-pre" handlers first (bounded by a timeout that does not
  --- count time spent waiting on a dialog), "buf-write-post" after.
  ---@param opts? { path?: string, force?: boolean }
  ---@return true|nil ok
  ---@return string|nil message
  ---@return string|nil code
  function methods:save(opts)
    opts = check_opts("buffer:save", opts, 1)
    if opts.path ~= nil and type(opts.path) ~= "string" then
      error(("bad argument #1 to 'buffer:save' (path: string expected, got %s)"):format(type(opts.path)), 2)
    end
    return internal.buf_save_asking(self, opts)
  end

  --- buf:save(opts); when the write is refused, on_refused(code, message,
  --- opts) may return the options to write with again (the user said to
  --- overwrite another program's change, or to save as UTF-8), without the
  --- buf-write-pre handlers running twice.
  ---@param self smelt.Buffer
  ---@param opts { path?: string, force?: boolean }
  ---@param on_refused? fun(code: string, message: string, opts: table): table|nil
  ---@return true|nil ok
  ---@return string|nil message
  ---@return string|nil code
  function internal.buf_save_asking(self, opts, on_refused)
    -- refused before the handlers run: one that edits a half-read text
    -- breaks the load (the document refuses the write itself too)
    if self:valid() and not self:loaded() then
      return nil, ("buffer:save: %s is still loading: save it once it has loaded"):format(self:path() or self:name()),
        "loading"
    end
    local old_path = self:path()
    local new_path = opts.path
    if new_path and new_path ~= old_path and not opts.force and smelt.fs.stat(new_path) then
      return nil, ("buffer:save: %s exists (pass { force = true } to write over it)"):format(new_path), "exists"
    end
    if new_path then internal.buf_set_path(self, new_path) end
    local function failed(message, code)
      if new_path and self:valid() then internal.buf_set_path(self, old_path) end
      return nil, message, code
    end
    if write_pre(self) then
      return failed("buffer:save: cancelled by a buf-write-pre handler", "cancelled")
    end
    if not self:valid() then
      return nil, "buffer:save: the buffer was closed", "closed"
    end
    -- the file changes under the watcher's eyes: not a change by another program
    local path = self:path()
    local function write(force)
      if path then internal.saving[path] = (internal.saving[path] or 0) + 1 end
      local ok, r = pcall(internal.buf_save, self, force == true)
      if path then
        if ok and r == true and internal.track_file then internal.track_file(path) end
        internal.saving[path] = internal.saving[path] > 1 and internal.saving[path] - 1 or nil
      end
      if not ok then error(r, 0) end   -- cancelled, or a bad call
      return r
    end
    local r = write(opts.force)
    while r ~= true and on_refused and self:valid() do
      local again = on_refused(r.code, r.message, opts)
      if not again or not self:valid() then break end
      opts = again
      r = write(opts.force)
    end
    if r ~= true then return failed(r.message, r.code) end
    smelt.emit("buf-write-post", { buf = self })
    return true
  end

  local raw_reload = methods.reload

  --- Read the buffer's file again, replacing its text; parks until read.
  --- Unsaved changes it discards are kept in a file first, in the window
  --- (drafts.lua says where). Emits "buf-reload".
  ---@return smelt.Buffer
  function methods:reload()
    if internal.keep_discarded and self:valid() and self:modified() then internal.keep_discarded(self) end
    local buf = raw_reload(self)
    smelt.emit("buf-reload", { buf = self })
    return buf
  end

  --- Close the buffer. Raises when it has unsaved changes (a scratch
  --- buffer never has), unless opts.force. Emits "buf-close" (with the
  --- path) before it goes.
  ---@param opts? { force?: boolean }
  function methods:close(opts)
    opts = check_opts("buffer:close", opts, 1)
    if not self:valid() then error("buffer:close: the buffer was closed", 2) end
    if self:modified() and not internal.buf_scratch(self) and not opts.force then
      error("buffer:close: the buffer has unsaved changes (pass { force = true } to discard them)", 2)
    end
    smelt.emit("buf-close", { buf = self, path = self:path() })
    internal.buf_close(self)
  end

  -- A file with more than one kind of line end: a save writes them all as
  -- its first one, so the user is told when it is read, before any save.
  local NEWLINE_NAMES = { lf = "LF", crlf = "CR-LF", cr = "CR" }
  local function tell_mixed_newlines(ev)
    if not ev.buf:valid() then return end
    local kind, mixed = ev.buf:newline()
    if mixed then
      smelt.notify(smelt.i18n.gettext("%s has mixed line endings; saving writes them all as %s (buf:set_newline changes which)")
        :format(ev.buf:name(), NEWLINE_NAMES[kind]), "warn")
    end
  end
  smelt.on("buf-open", tell_mixed_newlines)
  smelt.on("buf-reload", tell_mixed_newlines)

  --- Whether closing the buffer or quitting would lose changes: modified,
  --- and not a scratch buffer.
  ---@param buf smelt.Buffer
  ---@return boolean
  function internal.buf_unsaved(buf)
    return buf:modified() and not internal.buf_scratch(buf)
  end
end

-- Namespaces and highlights: for marks (buf:set_mark), both modes ------------

local namespaces = {}   -- name -> id
local n_namespaces = 0

--- The namespace id for name: the same id for the same name; with no
--- name, a new anonymous namespace each call. Marks live in namespaces,
--- so a plugin clears its own (buf:clear_ns) and no other's.
---@param name? string
---@return integer
function smelt.ns(name)
  if name ~= nil and type(name) ~= "string" then
    error(("bad argument #1 to 'smelt.ns' (string expected, got %s)"):format(type(name)), 2)
  end
  if name and namespaces[name] then return namespaces[name] end
  n_namespaces = n_namespaces + 1
  if name then namespaces[name] = n_namespaces end
  return n_namespaces
end

smelt.hl = smelt.hl or {}

local UNDERLINES = { none = true, single = true, double = true, low = true, error = true }

--- Define a highlight for marks (buf:set_mark's hl and sign_hl), or
--- change one: the buffers that show it take its new look. Names of the
--- style scheme's styles ("def:error", "def:warning", "search-match") need
--- no definition and follow the scheme.
---@param name string
---@param style { fg?: string, bg?: string, underline?: "none"|"single"|"double"|"low"|"error", bold?: boolean, italic?: boolean }
function smelt.hl.define(name, style)
  if type(name) ~= "string" or name == "" then
    error(("bad argument #1 to 'smelt.hl.define' (name expected, got %s)"):format(type(name)), 2)
  end
  style = check_opts("smelt.hl.define", style, 2)
  for key, value in pairs(style) do
    local want = (key == "fg" or key == "bg" or key == "underline") and "string"
      or (key == "bold" or key == "italic") and "boolean" or nil
    if not want then
      error(("bad argument #2 to 'smelt.hl.define' (unknown key %s)"):format(tostring(key)), 2)
    elseif type(value) ~= want then
      error(("bad argument #2 to 'smelt.hl.define' (%s: %s expected, got %s)"):format(key, want, type(value)), 2)
    end
  end
  if style.underline and not UNDERLINES[style.underline] then
    error(("bad argument #2 to 'smelt.hl.define' (underline: \"none\", \"single\", \"double\", \"low\" or \"error\" expected, got %q)")
      :format(style.underline), 2)
  end
  if not internal.hl_define then local _ = smelt.buf.list end   -- --no-ui: load the documents
  internal.hl_define(name, style.fg, style.bg, style.underline, style.bold, style.italic)
end

if internal.buffer_methods then
  install()   -- the window's module installed the documents already
elseif internal.load_documents then
  -- --no-ui: the documents come with the first use of smelt.buf
  setmetatable(smelt.buf, { __index = function(t, key)
    setmetatable(t, nil)
    internal.load_documents()
    install()
    return rawget(t, key)
  end })
end
