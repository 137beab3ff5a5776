---@meta
-- lua/meta/smelt.lua: LuaLS annotations for the smelt namespace (editor completion and type checks)
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Point lua-language-server at this directory ("workspace.library") to get
-- completion for plugin code. A function whose doc comment has the line
-- "--- (GUI only)" exists only in the GUI; with --no-ui it raises
-- "smelt.NAME: requires the GUI". Two specs (tests/lua/runtime/rt_meta_spec.lua
-- headless, tests/gui/meta_spec.lua in the window) fail when a name annotated
-- here is not live, or a live public name is not annotated here.

---@class smelt
smelt = {}

---@type string the version of smelt
smelt.version = ""

--- A task's handle. To-be-closed: `local h <close> = smelt.spawn(fn)`
--- cancels the task when the block is left (not waiting for it).
---@class smelt.TaskHandle
---@field id integer the task's id
local TaskHandle = {}

--- Cancel the task and every live descendant; it raises "cancelled" at its park point.
function TaskHandle:cancel() end

--- Alias of cancel().
function TaskHandle:remove() end

--- Take the task out of its scope (smelt.task.scope) and its parent's tree:
--- it runs on, and its failure is reported as any task's. Returns itself.
---@return smelt.TaskHandle
function TaskHandle:detach() end

---@return "running"|"parked"|"done"|"failed"|"cancelled"
function TaskHandle:status() end

--- From another task: park until the task ends; its first result, or its error raised again, or "cancelled".
---@return any
function TaskHandle:wait() end

---@class smelt.Timer
local Timer = {}
--- Stop the timer; harmless if it already fired.
function Timer:remove() end
---@return boolean pending whether it will still fire
function Timer:pending() end

---@class smelt.Handle
local Handle = {}
--- Stop calling the handler.
function Handle:remove() end

-- Tasks -----------------------------------------------------------------------

--- Run fn(...) as a task, a coroutine owned by the scheduler. A task spawned
--- while another runs is its child (cancelled with it).
---@param fn fun(...): any
---@param ... any arguments for fn
---@return smelt.TaskHandle
function smelt.spawn(fn, ...) end

--- Park the running task for ms milliseconds; sleep(0) yields to the loop once.
--- Raises "cancelled" if the task is cancelled while parked.
---@param ms number
function smelt.sleep(ms) end

--- Milliseconds on the scheduler's clock (virtual with --virtual-time).
---@return number
function smelt.now() end

---@class smelt.task
smelt.task = {}

--- Allocate a fresh external task id (a positive integer never used before).
---@return integer
function smelt.task.alloc() end

--- Resume the task waiting on id with value (any Lua value); kept for a later
--- wait if none waits yet. Unknown, already resolved or cancelled ids are ignored.
---@param id integer
---@param value any
function smelt.task.resume(id, value) end

--- Park the running task until smelt.task.resume(id, value); returns value.
---@param id integer
---@return any
function smelt.task.wait(id) end

--- Allocate an id, call start(id) (which arranges a later resume), and park
--- until the resolution arrives. If start raises, the error propagates.
---@param start fun(id: integer)
---@return any
function smelt.task.external(start) end

--- Run the functions concurrently as child tasks; wait for all. Returns their
--- first results in input order, with n. The first error raised is raised
--- again once every branch has finished.
---@param ... fun(): any
---@return { n: integer, [integer]: any }
function smelt.task.all(...) end

--- Run the functions concurrently; the first to finish wins. The others are
--- cancelled (and have unwound) before this returns.
---@param ... fun(): any
---@return integer index
---@return any result
function smelt.task.race(...) end

--- Run fn with a deadline: (result, nil) in time, or (nil, "timeout") and fn's task cancelled.
---@param ms number
---@param fn fun(): any
---@return any result
---@return "timeout"|nil err
function smelt.task.timeout(ms, fn) end

--- Whether the clock is virtual (--virtual-time): sleeps take no time while
--- nothing real (a GIO operation, a process waited on, a C-held id) is pending.
---@return boolean
function smelt.task.virtual_time() end

--- A flag tasks wait on: any number of waiters; a cancelled waiter leaves
--- (tasks.txt, smelt-task-model).
---@return smelt.Event
function smelt.task.event() end

---@class smelt.Event
local Event = {}
--- Set the flag: every waiter wakes; wait() returns at once until clear().
function Event:set() end
--- Clear the flag: wait() parks again.
function Event:clear() end
---@return boolean
function Event:is_set() end
--- Park until the flag is set (at once while it is). Shows as "event".
---@async
function Event:wait() end

--- n permits, handed out first come, first served; a waiter cancelled in
--- line leaves it, one cancelled after it was handed the permit passes it on.
---@param n integer at least 1
---@return smelt.Semaphore
function smelt.task.semaphore(n) end

---@class smelt.Semaphore
local Semaphore = {}
--- Take a permit; parks while none is free. Shows as "semaphore 2/4"
--- (permits in use / all).
---@async
function Semaphore:acquire() end
--- Give a permit back, to the first waiter or the pool (more than taken raises).
function Semaphore:release() end
--- acquire, fn(...), release (also when fn raises or is cancelled); fn's
--- results. The to-be-closed form of a permit.
---@async
---@param fn fun(...): any
---@param ... any
---@return any
function Semaphore:with(fn, ...) end

--- A FIFO of at most maxsize items (nil: no bound) between tasks, FIFO among
--- producers and among consumers. A put or get cancelled while it waits
--- takes nothing (a put whose item went in returns). To-be-closed:
--- `local q <close> = ...` closes it when the block is left.
---@param maxsize? integer at least 1
---@return smelt.Queue
function smelt.task.queue(maxsize) end

---@class smelt.Queue
local Queue = {}
--- Add v (not nil); parks while full ("queue put"); raises once closed.
---@async
---@param v any
function Queue:put(v) end
--- The next item; parks while empty ("queue get"); nil once closed and empty.
---@async
---@return any
function Queue:get() end
--- put raises from now on; waiting getters get nil, waiting putters raise.
function Queue:close() end
--- How many items it holds.
---@return integer
function Queue:size() end
--- Whether close() was called.
---@return boolean
function Queue:is_closed() end
--- An iterator of get() until closed and empty: `for v in q:iter() do ... end`.
---@return fun(): any
function Queue:iter() end

--- Run fn(...) as a scope: the tasks spawned while it runs belong to it;
--- returns fn's results once they have all ended. The first failure (fn's
--- or a task's) cancels the rest and is raised unchanged once they have
--- unwound; a cancel of the caller too waits for them. Shows as "scope",
--- then "scope 3 left". h:detach() takes a task out.
---@async
---@param fn fun(...): any
---@param ... any
---@return any
function smelt.task.scope(fn, ...) end

--- Run fn(...) to its end even if the calling task is cancelled meanwhile
--- (the cancel is held, and raised when fn returns; fn's error wins). Must
--- start before the cancel: in a cancelled task it raises at once.
---@async
---@param fn fun(...): any
---@param ... any
---@return any
function smelt.task.shield(fn, ...) end

--- The handles in the order their tasks finish, failed ones too.
---@async
---@param handles smelt.TaskHandle[]
---@return fun(): smelt.TaskHandle|nil
function smelt.task.as_completed(handles) end

--- Whether err is the cancellation error ("cancelled").
---@param err any
---@return boolean
function smelt.task.is_cancelled(err) end

--- Rename the running task (names show in Tasks and error reports); returns its name.
---@param name? string
---@return string
function smelt.task.name(name) end

--- Mark the running task as a background service (a language server's
--- reader): it stays in Tasks and smelt.task.list() (with background =
--- true), but the statusline's busy spinner leaves it out.
function smelt.task.background() end

---@class smelt.TaskInfo
---@field id integer
---@field name string
---@field status "running"|"parked"
---@field waiting_on? string what it is parked on: "sleep 500 ms", "external 17", "task 12", "all 2/3", "event", "semaphore 2/4", "queue get", "queue put", "scope", "scope 3 left", "smelt.fs.read PATH", "buffer:save PATH"
---@field parent? integer
---@field age_ms number

--- The live tasks, oldest first.
---@return smelt.TaskInfo[]
function smelt.task.list() end

-- Host ------------------------------------------------------------------------

--- End the program with code (default 0) after the "quit-pre" handlers.
---@param code? integer|boolean
function smelt.quit(code) end

--- Whether the GTK user interface runs (false with --no-ui).
---@return boolean
function smelt.has_ui() end

--- The namespace id for name (the same for the same name); with no name a
--- new anonymous one. Marks live in namespaces.
---@param name? string
---@return integer
function smelt.ns(name) end

---@class smelt.hl
smelt.hl = {}

--- Define (or change) a highlight for marks; buffers showing it take its
--- new look. Colours as CSS names them.
---@param name string
---@param style { fg?: string, bg?: string, underline?: "none"|"single"|"double"|"low"|"error", bold?: boolean, italic?: boolean }
function smelt.hl.define(name, style) end

--- The working directory smelt was started in.
---@return string
function smelt.cwd() end

--- The runtime path (the live list: append to it to add a plugin directory).
---@return string[]
function smelt.runtimepath() end

--- Where smelt keeps its files of a kind, as Neovim's stdpath(): the XDG base
--- directory of that kind followed by /smelt ("config" holds init.lua,
--- "state" the session). The folder may not exist yet.
---@param what "config"|"data"|"state"|"cache"
---@return string
function smelt.stdpath(what) end

---@alias smelt.Level "debug"|"info"|"warn"|"error"|0|1|2|3

--- Show a notification: the message area in the GUI, stderr with --no-ui.
---@param msg string
---@param level? smelt.Level default "info"
function smelt.notify(msg, level) end

---@class smelt.Message
---@field level "debug"|"info"|"warn"|"error"
---@field message string the whole text, every line
---@field time_ms number on the scheduler's clock
---@field time number the wall clock's, seconds since the epoch (for os.date)
---@field traceback? string an uncaught error's: its message, then the stack

--- The notification history of this session, oldest first, each message
--- whole (uncaught errors included, with their traceback); :Messages lists
--- it.
---@return smelt.Message[]
function smelt.messages() end

---@class smelt.log
---@field levels { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 }
smelt.log = {}

--- Log through GLib (domain "smelt-lua"); shown with G_MESSAGES_DEBUG=smelt-lua.
---@param ... any
function smelt.log.debug(...) end
---@param ... any
function smelt.log.info(...) end
---@param ... any
function smelt.log.warn(...) end
---@param ... any
function smelt.log.error(...) end

-- Translations ----------------------------------------------------------------

--- A plugin's strings in the user's language, through GNU gettext. Mark them
--- `_("...")` with `local _ = smelt.i18n.gettext` (xgettext finds `_`), or
--- bind a local that passes the plugin's own domain.
---@class smelt.i18n
smelt.i18n = {}

--- msgid in the user's language (msgid itself when there is no translation).
---@param msgid string
---@param domain? string the catalog; default "smelt", the editor's own
---@return string
function smelt.i18n.gettext(msgid, domain) end

--- The form of a counted phrase for n, translated: `ngettext("%d word", "%d words", n):format(n)`.
---@param singular string
---@param plural string
---@param n integer
---@param domain? string default "smelt"
---@return string
function smelt.i18n.ngettext(singular, plural, n, domain) end

--- Where a plugin's catalogs are: dir/LANG/LC_MESSAGES/domain.mo (msgfmt's
--- output for each language). Raises when dir is not a folder, or domain is
--- the editor's own.
---@param domain string a name without "/"
---@param dir string
function smelt.i18n.bind(domain, dir) end

-- JSON ------------------------------------------------------------------------

--- JSON text to Lua values and back (RFC 8259). See `:help smelt.json`.
---@class smelt.json
smelt.json = {}

--- The value of JSON null, in decoded documents and for encode (a light
--- userdata; nil in an array would end it).
---@type lightuserdata
smelt.json.null = nil

--- A shared, read-only empty table that encodes as `[]`.
---@type table
smelt.json.empty_array = {}

--- A shared, read-only empty table that encodes as `{}`.
---@type table
smelt.json.empty_object = {}

--- The Lua value of JSON text: objects and arrays as tables, integers as
--- integers (floats when there is a fraction or exponent, or more than 64
--- bits), null as smelt.json.null, an empty array as a table marked
--- `__jsontype = "array"`. Raises "smelt.json.decode: line L, column C: reason".
---@param text string
---@return any
function smelt.json.decode(text) end

--- value as JSON text: a table of keys 1..n is an array, of string keys an
--- object; strings must be UTF-8. Raises "smelt.json.encode: $.path: reason"
--- for NaN, infinities, cycles, functions, mixed or non-integer keys.
---@param value any
---@param opts? { indent?: integer, sort_keys?: boolean } indent: spaces per level (0..16), pretty-printing
---@return string
function smelt.json.encode(value, opts) end

-- Events ----------------------------------------------------------------------

--- Call fn(data) as a task each time event is emitted ("ready", "quit-pre", ...).
---@param event string
---@param fn fun(data: any)
---@param opts? { once?: boolean }
---@return smelt.Handle
function smelt.on(event, fn, opts) end

--- Call fn(data) as a task the next time event is emitted.
---@param event string
---@param fn fun(data: any)
---@return smelt.Handle
function smelt.once(event, fn) end

--- Start every handler of event as a task, in registration order.
---@param event string
---@param data? any
---@return smelt.TaskHandle[]
function smelt.emit(event, data) end

-- Timers ----------------------------------------------------------------------

---@class smelt.timer
smelt.timer = {}

--- Call fn once, ms milliseconds from now (a plain callback, not a task).
---@param ms number
---@param fn fun()
---@return smelt.Timer
function smelt.timer.set(ms, fn) end

--- Call fn every ms milliseconds until removed (a plain callback, not a task).
---@param ms number
---@param fn fun()
---@return smelt.Timer
function smelt.timer.every(ms, fn) end

-- Commands --------------------------------------------------------------------

---@class smelt.cmd
smelt.cmd = {}

---@class smelt.CommandContext
---@field name string
---@field args string
---@field fargs string[]

--- Define a user command; its handler runs as a task.
---@param name string starts with an uppercase letter; letters and digits
---@param fn fun(ctx: smelt.CommandContext)
---@param opts? { desc?: string, nargs?: 0|1|"0"|"1"|"?"|"*"|"+", complete?: (fun(arglead: string, line: string): string[])|string[], force?: boolean }
function smelt.cmd.create(name, fn, opts) end

--- Delete a user command.
---@param name string
function smelt.cmd.del(name) end

--- Run a command line ("Name args"); returns the handler's task.
---@param line string
---@return smelt.TaskHandle
function smelt.cmd.run(line) end

--- The commands, sorted by name.
---@return { name: string, desc: string, nargs: string }[]
function smelt.cmd.list() end

--- Completions for a partial command line. An error in the command's
--- `complete` function is raised (from Tab, it is reported and nothing is
--- offered).
---@param line string
---@return string[]
function smelt.cmd.complete(line) end

-- UI tier (the GUI only; with --no-ui these raise "requires the GUI") -----------

---@class smelt.ui
smelt.ui = {}

--- Ask for a line of text; nil when dismissed. Parks the calling task.
--- (GUI only)
---@param opts? { prompt?: string, default?: string }
---@return string|nil
function smelt.ui.input(opts) end

--- Pick one of items in a picker that filters as the user types; item and
--- index (in the order the items came), or nil when dismissed. items is a
--- list, a function `function(push) ... end` run as a task that calls
--- push(item) (false once the picker closed), or a smelt.task.queue; their
--- items show while they come, and closing the picker cancels that task.
--- opts.filter: "fuzzy" (default, best first), "substring" or false.
--- Parks the calling task.
--- (GUI only)
---@async
---@param items any[]|fun(push: fun(item: any): boolean)|table
---@param opts? { prompt?: string, format?: fun(item: any): string, filter?: "fuzzy"|"substring"|false }
---@return any item
---@return integer|nil index
function smelt.ui.select(items, opts) end

--- Show text in a popover pointing at line, col (1-based, col in bytes;
--- default: the cursor) of buf (default: the current buffer), which must
--- be shown. opts.markup "markdown" renders code spans, fenced code,
--- bold, italic, headings and bullets (default "plain": as is). Escape, a
--- move of the cursor or the view going closes it. Does not park.
--- (GUI only)
---@param text string
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, markup?: "plain"|"markdown" }
---@return smelt.Popup
function smelt.ui.popup(text, opts) end

--- A popup shown by smelt.ui.popup; dropping it leaves the popup open.
---@class smelt.Popup
local Popup = {}

--- Close it (nothing when it is closed already).
function Popup:close() end

--- Whether it is still open.
---@return boolean
function Popup:is_open() end

--- Ask a yes/no question. Parks the calling task.
--- (GUI only)
---@param message string
---@param opts? { ok?: string, cancel?: string }
---@return boolean
function smelt.ui.confirm(message, opts) end

-- Buffers: documents, the same with --no-ui as in the window ---------------------

---@class smelt.buf
smelt.buf = {}

--- An open buffer. Lines are 1-based; columns are 1-based byte offsets;
--- ranges are inclusive, like Lua's string functions. A closed buffer
--- raises "the buffer was closed". The same buffer is always the same
--- value, so buffers work as table keys.
---@class smelt.Buffer
---@field id integer a stable number, kept after the buffer closes (smelt.buf.get)
local Buffer = {}

--- The whole text.
---@return string
function Buffer:text() end

--- Replace the whole text (UTF-8): set_text(s); or the range l1, c1 .. l2,
--- c2 (1-based lines and byte columns, the end exclusive):
--- set_text(l1, c1, l2, c2, s). An edit: Ctrl+Z undoes it.
---@param l1 integer|string
---@param c1? integer
---@param l2? integer
---@param c2? integer
---@param s? string
function Buffer:set_text(l1, c1, l2, c2, s) end

--- The text of the range l1, c1 .. l2, c2: 1-based lines and byte
--- columns, the end exclusive (as nvim_buf_get_text, counted from 1).
---@param l1 integer
---@param c1 integer
---@param l2 integer
---@param c2 integer
---@return string
function Buffer:get_text(l1, c1, l2, c2) end

--- Set a mark in namespace ns at line, col; with opts.end_line and
--- opts.end_col (exclusive) it marks a range. It moves with the text: text
--- typed at a range's start or end is not in it (opts.right_gravity = false
--- keeps a point before text typed at it). opts.hl highlights the range
--- (a style scheme's style: "def:error", "def:warning", "search-match", or
--- a smelt.hl.define name); sign (up to two characters or an icon name),
--- sign_hl, message and priority are kept for the views. Unknown options
--- raise. Returns the mark's id.
---@param ns integer
---@param line integer
---@param col integer
---@param opts? { end_line?: integer, end_col?: integer, hl?: string, sign?: string, sign_hl?: string, message?: string, priority?: integer, right_gravity?: boolean }
---@return integer
function Buffer:set_mark(ns, line, col, opts) end

--- The marks of ns (on lines first_line..last_line when given), where
--- they are now, in order: { id, ns, line, col, end_line?, end_col?, hl?,
--- sign?, sign_hl?, message?, priority }.
---@param ns integer
---@param first_line? integer
---@param last_line? integer
---@return table[]
function Buffer:get_marks(ns, first_line, last_line) end

--- Remove a mark; false when there was none.
---@param ns integer
---@param id integer
---@return boolean
function Buffer:del_mark(ns, id) end

--- Remove the marks of ns (touching lines first_line..last_line when
--- given); how many went.
---@param ns integer
---@param first_line? integer
---@param last_line? integer
---@return integer
function Buffer:clear_ns(ns, first_line, last_line) end

--- A counter that grows with every change of the text.
---@return integer
function Buffer:changedtick() end

--- Undo the last step; false when there was none.
---@return boolean
function Buffer:undo() end

--- Redo the last step undone; false when there was none.
---@return boolean
function Buffer:redo() end

--- Run fn at once; the edits it makes are one undo step. fn may not park
--- (typing meanwhile would join the step); its results are returned, its
--- error raised.
---@param fn fun(): any
---@return any
function Buffer:undo_group(fn) end

--- Lines a..b (default: every line), without their newlines.
---@param a? integer
---@param b? integer
---@return string[]
function Buffer:lines(a, b) end

--- Replace lines a..b with lines; b = a - 1 inserts before line a.
---@param a integer
---@param b integer
---@param lines string[]
function Buffer:set_lines(a, b, lines) end

--- Insert text at line, col.
---@param line integer
---@param col integer
---@param text string
function Buffer:insert(line, col, text) end

--- The cursor's line and column.
---@return integer line
---@return integer col
function Buffer:cursor() end

--- Move the cursor; a window scrolls to it (to the middle when it was off
--- screen).
---@param line integer
---@param col integer
function Buffer:set_cursor(line, col) end

--- The selection: l1, c1, l2, c2 (the end exclusive), or nil when nothing
--- is selected.
---@return integer|nil l1
---@return integer|nil c1
---@return integer|nil l2
---@return integer|nil c2
function Buffer:selection() end

--- Select l1, c1 .. l2, c2 (the end exclusive); the cursor goes to its end.
---@param l1 integer
---@param c1 integer
---@param l2 integer
---@param c2 integer
function Buffer:set_selection(l1, c1, l2, c2) end

--- The file's path, or nil for a buffer that has none.
---@return string|nil
function Buffer:path() end

--- Whether the text differs from what was last loaded or saved.
---@return boolean
function Buffer:modified() end

--- Whether the text is in: false while its file is still read (a buffer
--- opened outside a task).
---@return boolean
function Buffer:loaded() end

--- How many lines (an empty buffer has one). Costs nothing.
---@return integer
function Buffer:line_count() end

--- How many characters (not bytes). Costs nothing, unlike #buf:text().
---@return integer
function Buffer:char_count() end

--- Whether the buffer is still open. Never raises: an event handler that
--- runs after its buffer closed checks this first.
---@return boolean
function Buffer:valid() end

--- The highlighting language's id ("lua", "c", "python"), or nil.
---@return string|nil
function Buffer:filetype() end

--- The lines edited since the buffer was loaded that no save has written
--- yet: { {first, last}, ... }, 1-based and inclusive, sorted, none
--- touching the next. The lines move with later edits; a save clears what
--- was edited before it started (edits made while it runs stay), a failed
--- save clears nothing, a reload clears all. Trimming on save touches
--- only these.
---@return integer[][]
function Buffer:edited_lines() end

--- How the views indent this buffer, over the user's settings (the
--- file's .editorconfig sets it when the buffer opens): style "tab" or
--- "space" is what Tab inserts, size the columns of an indentation step,
--- tab_width those of a tab character. A field left out keeps its value;
--- false (or style "unset") gives it back to the settings (size: the tab
--- width).
---@param opts { style?: "tab"|"space"|"unset"|false, size?: integer|false, tab_width?: integer|false }
function Buffer:set_indent(opts) end

--- What set_indent set: { style?, size?, tab_width? } (a field left out:
--- the user's setting; size left out: the tab width).
---@return { style?: "tab"|"space", size?: integer, tab_width?: integer }
function Buffer:indent() end

--- What its tab calls the buffer: the file's name, "untitled" (in the
--- user's language), the name it was created with, or a help buffer's
--- ("tasks.txt [help]").
---@return string
function Buffer:name() end

--- Write the buffer to its file, or to opts.path (which it keeps once
--- written); parks until written ("buf-write-pre" handlers run first,
--- "buf-write-post" after). Returns true, or nil, a message naming the
--- path and a code: "exists" (opts.path is another file: pass force),
--- "loading", "no-file", "read-only", "permission-denied", "no-space",
--- "cancelled" (by a buf-write-pre handler), "changed-on-disk" (another
--- program wrote the file since the buffer read or wrote it: pass force to
--- write over it), "encoding" (a character the buffer's encoding cannot
--- hold: nothing is written), ...
---@param opts? { path?: string, force?: boolean }
---@return true|nil ok
---@return string|nil message
---@return string|nil code
function Buffer:save(opts) end

--- The charset a save writes: the file's as read ("UTF-8", "ISO-8859-1").
---@return string
function Buffer:encoding() end

--- What the next saves write: a charset ("UTF-8", "ISO-8859-1") or Vim's
--- name ("latin1", "utf8", "cp1252"). Raises on an unknown one.
---@param name string
function Buffer:set_encoding(name) end

--- The line end a save writes after every line: the file's first one; and
--- whether the file read had more than one kind (a save makes them one).
---@return "lf"|"crlf"|"cr" kind
---@return boolean mixed
function Buffer:newline() end

--- What the next saves write after every line.
---@param kind "lf"|"crlf"|"cr"
function Buffer:set_newline(kind) end

--- Close the buffer. Raises when it has unsaved changes (never for a
--- scratch buffer), unless opts.force; emits "buf-close" ({ buf, path })
--- first. The window always keeps one buffer: closing the last leaves an
--- empty, untitled one.
---@param opts? { force?: boolean }
function Buffer:close(opts) end

--- Read the file again (parks until loaded); emits "buf-reload" ({ buf })
--- after. Raises when the file cannot be read.
---@return smelt.Buffer
function Buffer:reload() end

--- The current buffer: the one the window shows; with --no-ui the one
--- opened, created or set last. nil when there is none.
---@return smelt.Buffer|nil
function smelt.buf.current() end

--- Make buf the current buffer: the window shows its tab and gives its
--- text the keyboard.
---@param buf smelt.Buffer
function smelt.buf.set_current(buf) end

--- Every open buffer (in the window, in tab order).
---@return smelt.Buffer[]
function smelt.buf.list() end

--- The open buffer with that id, or nil.
---@param id integer
---@return smelt.Buffer|nil
function smelt.buf.get(id) end

--- A new buffer with no file: its name (default "untitled"), its text (not
--- an edit: the buffer starts unmodified). A scratch buffer never asks to
--- be saved.
---@param opts? { name?: string, text?: string, scratch?: boolean }
---@return smelt.Buffer
function smelt.buf.create(opts) end

--- Open path. Inside a task, parks until the text is in; outside one,
--- returns at once (buf:loaded() says when). A file already open is not
--- opened twice: its buffer is returned (and shown). Raises "smelt.buf.open:
--- could not open PATH: WHY" for a folder or a file that is not text; a
--- file that does not exist gives an empty buffer for it. "buf-open" fires
--- once the text is in. opts.encoding ("ISO-8859-1", "latin1") reads it in
--- that encoding, not the one detected (a buffer of it read in another is
--- read again, unless it has unsaved changes).
---@param path string
---@param opts? { encoding?: string }
---@return smelt.Buffer
function smelt.buf.open(path, opts) end

-- Diagnostics, as vim.diagnostic: drawn as marks, so they follow edits -------

---@class smelt.diagnostic
smelt.diagnostic = {}

--- Set the whole list of namespace ns's diagnostics for buf, replacing
--- what it set before. An item: { line, col?, end_line?, end_col?,
--- severity? = "error"|"warning"|"info"|"hint" (default "error"), message,
--- source?, code? } (1-based, the end exclusive; no end: to the end of the
--- line). Drawn as an underline, a sign and the message on hover. A bad
--- item raises and sets nothing. Emits "diagnostic-changed" ({ buf, ns }).
---@param ns integer
---@param buf smelt.Buffer
---@param items table[]
function smelt.diagnostic.set(ns, buf, items) end

--- buf's diagnostics where their text is now, in text order (of opts.ns,
--- of opts.severity only): { ns, line, col, end_line, end_col, severity,
--- message, source, code }.
---@param buf smelt.Buffer
---@param opts? { ns?: integer, severity?: "error"|"warning"|"info"|"hint" }
---@return table[]
function smelt.diagnostic.get(buf, opts) end

--- Remove namespace ns's diagnostics of buf (of every buffer when nil).
---@param ns integer
---@param buf? smelt.Buffer
function smelt.diagnostic.clear(ns, buf) end

--- How many of each severity buf has: { error = n, warning = n, info = n, hint = n }.
---@param buf smelt.Buffer
---@return table<string, integer>
function smelt.diagnostic.count(buf) end

--- The next diagnostic after line, col (opts.previous: before), wrapping
--- around; nil when buf has none.
---@param buf smelt.Buffer
---@param line integer
---@param col integer
---@param opts? { previous?: boolean, severity?: string }
---@return table|nil
function smelt.diagnostic.next(buf, line, col, opts) end

-- Completion and hover providers (|completion.txt|) ------------------------

---@class smelt.CompletionContext
---@field buf smelt.Buffer
---@field line integer 1-based
---@field col integer 1-based byte column: where the word typed so far ends
---@field word string the word typed so far ("" after a trigger)
---@field trigger string|nil the trigger character just typed, or nil

---@class smelt.CompletionEdit
---@field first_line integer
---@field first_col integer
---@field last_line integer
---@field last_col integer exclusive, as buf:get_text()'s
---@field text string

---@class smelt.CompletionItem
---@field label string what the popup shows and filters on
---@field detail? string shown after the label
---@field insert_text? string what goes in for the word typed (default: label)
---@field kind? string "function", "variable", "keyword", ...: the row's icon
---@field documentation? string shown below the rows for the one selected
---@field edit? smelt.CompletionEdit a range replaced in place of the word
---@field resolve? fun(item: smelt.CompletionItem): smelt.CompletionItem|nil runs as a task when the item is shown with its details: the detail and documentation it gives replace the item's
---@field provider? string set by request(): the provider's name

---@class smelt.CompletionProvider
---@field name string named in its error messages
---@field populate fun(ctx: smelt.CompletionContext): smelt.CompletionItem[]|nil runs as a task
---@field filetypes? string|string[] only buffers of these languages (buf:filetype())
---@field triggers? string|string[] characters that ask it at once (".", ":")
---@field priority? integer higher first (default 0)

---@class smelt.completion
smelt.completion = {}

--- Register a completion provider; returns its id. An unknown or bad
--- option raises, naming it.
---@param opts smelt.CompletionProvider
---@return integer id
function smelt.completion.register(opts) end

--- Remove a completion provider; whether it was registered.
---@param id integer
---@return boolean
function smelt.completion.unregister(id) end

--- Ask the providers of buf's file type for the items at line, col and
--- wait for them all: merged, highest priority first, each with `provider`.
--- With opts.trigger, only providers listing that trigger. A provider that
--- raises is reported (smelt.notify, naming it) and gives nothing.
---@async
---@param buf smelt.Buffer
---@param line integer
---@param col integer
---@param opts? { trigger?: string }
---@return smelt.CompletionItem[]
function smelt.completion.request(buf, line, col, opts) end

--- Complete item (one request() returned) with its provider's `resolve`:
--- a copy with the detail and documentation resolve gave; item itself when
--- it has no resolve, or resolve returned nil or raised (reported with
--- smelt.notify, naming the provider).
---@async
---@param item smelt.CompletionItem
---@return smelt.CompletionItem
function smelt.completion.resolve(item) end

---@class smelt.HoverContext
---@field buf smelt.Buffer
---@field line integer 1-based
---@field col integer 1-based byte column under the pointer

---@class smelt.HoverResult
---@field text string
---@field markup "plain"|"markdown"
---@field provider string

---@class smelt.HoverProvider
---@field name string named in its error messages
---@field populate fun(ctx: smelt.HoverContext): string|{ text: string, markup?: "plain"|"markdown" }|nil runs as a task
---@field filetypes? string|string[] only buffers of these languages
---@field priority? integer higher first (default 0)

---@class smelt.hover
smelt.hover = {}

--- Register a hover provider; returns its id. An unknown or bad option
--- raises, naming it.
---@param opts smelt.HoverProvider
---@return integer id
function smelt.hover.register(opts) end

--- Remove a hover provider; whether it was registered.
---@param id integer
---@return boolean
function smelt.hover.unregister(id) end

--- Ask the hover providers of buf's file type about line, col and wait for
--- them all: their results, highest priority first.
---@async
---@param buf smelt.Buffer
---@param line integer
---@param col integer
---@return smelt.HoverResult[]
function smelt.hover.request(buf, line, col) end

---@class smelt.keymap
smelt.keymap = {}

--- Bind keys in Neovim notation ("<C-k>", "<leader>f", "gd"); the handler
--- runs as a task, at once up to its first park. A handler that returns
--- false before it parks declines: its keys go on as if unmapped. Keys that
--- start a map but end none are typed as typed (see timeoutlen).
--- opts.buf binds them in that buffer only, until it closes; opts.filetype
--- in the buffers of that file type. In a buffer its own maps come first,
--- then its file type's, then the global ones; a prefix in one layer and a
--- longer map in another wait as within one. Raises "smelt.keymap.set:
--- unknown option 'NAME'" for an option it does not know. Without the GUI
--- the maps are kept (list, del) but no keys are fed.
---@param keys string
---@param fn fun(): boolean|nil
---@param opts? { desc?: string, buf?: smelt.Buffer, filetype?: string }
---@return smelt.Handle
function smelt.keymap.set(keys, fn, opts) end

--- Unbind keys in one layer: the global one, opts.buf's or opts.filetype's.
--- Raises "smelt.keymap.del: no key map KEYS" (" for buffer N", " for file
--- type FT") when that layer has none.
---@param keys string
---@param opts? { buf?: smelt.Buffer, filetype?: string }
function smelt.keymap.del(keys, opts) end

--- The maps, sorted by keys, as { keys, desc, buf, filetype } (buf and
--- filetype nil for a global map): with opts.buf those that apply in that
--- buffer (one a higher layer shadows left out), with opts.filetype those
--- of a buffer of that file type with no maps of its own, with neither
--- every map of every layer.
---@param opts? { buf?: smelt.Buffer, filetype?: string }
---@return { keys: string, desc: string, buf?: smelt.Buffer, filetype?: string }[]
function smelt.keymap.list(opts) end

--- How long, in ms, a key that starts a map waits for the next one before
--- it is typed (or runs, if it is a map itself), as Neovim's 'timeoutlen';
--- default 1000, GSettings "timeoutlen". With ms, sets it for this session.
--- Raises "bad argument #1 to 'smelt.keymap.timeoutlen' (milliseconds
--- expected, got ...)" for what is not an integer of 0 or more.
--- (GUI only)
---@param ms? integer
---@return integer
function smelt.keymap.timeoutlen(ms) end

---@class smelt.statusline
smelt.statusline = {}

--- Render the statusline with fn (called with the current buffer) on every
--- change of the buffer shown or its cursor, and on refresh(); nil restores
--- the window's own. A renderer that raises, or runs past the watchdog, is
--- reported in the message area (with its file:line) and dropped: the
--- window's own shows until set() is called again.
--- (GUI only)
---@param fn fun(buf: smelt.Buffer): string|nil
function smelt.statusline.set(fn) end

--- The renderer set with set(), or nil for the window's own: to wrap another
--- plugin's, or to put it back.
--- (GUI only)
---@return (fun(buf: smelt.Buffer): string|nil)|nil
function smelt.statusline.get() end

--- Render the statusline again soon: what the renderer shows changed without
--- the buffer or cursor changing (a count a plugin keeps). Asked many times
--- at once, it renders once.
--- (GUI only)
function smelt.statusline.refresh() end
