---@meta
-- lua/meta/smelt-io.lua: LuaLS annotations for smelt.fs, smelt.process and smelt.editorconfig
-- SPDX-License-Identifier: LGPL-2.1-or-later

---@alias smelt.IoCode "not-found"|"exists"|"not-empty"|"busy"|"not-regular-file"|"is-directory"|"not-directory"|"permission-denied"|"read-only"|"no-space"|"not-supported"|"cancelled"|"bad-cwd"|"closed"|"broken-pipe"|"failed"|string

---@class smelt.fs
smelt.fs = {}

--- Read a whole regular file (bytes exact); a device, FIFO or socket is refused ("not-regular-file"). Parks the calling task.
---@param path string
---@return string|nil contents
---@return string? message
---@return smelt.IoCode? code
function smelt.fs.read(path) end

--- Write a file: through a symlink (the link stays), in place for a file with other hard links (after
--- checking the room), else atomically, keeping owner, group and mode. A read-only file is refused
--- ("read-only") unless opts.force; opts.backup keeps the old contents as FILE~. Errors read
--- "smelt.fs.write: PATH: reason". Parks the calling task.
---@async
---@param path string
---@param data string
---@param opts? { backup?: boolean, force?: boolean }
---@return true|nil ok
---@return string? message
---@return smelt.IoCode? code
function smelt.fs.write(path, data, opts) end

--- The entries of a directory, read in batches. Parks the calling task.
---@param dir string
---@return { name: string, type: "file"|"directory"|"link"|"special"|"unknown", size: integer, mtime: number }[]|nil
---@return string? message
---@return smelt.IoCode? code
function smelt.fs.list(dir) end

--- Type, size, mtime and mode of a path (links not followed). Parks the calling task.
---@param path string
---@return { type: string, size: integer, mtime: number, mode: integer }|nil
---@return string? message
---@return smelt.IoCode? code
function smelt.fs.stat(path) end

--- Make the folder path and the parents it lacks (mkdir -p); one that exists is fine. Parks the calling task.
---@param path string
---@return true|nil ok
---@return string? message
---@return smelt.IoCode? code
function smelt.fs.mkdir(path) end

--- Remove a file, a link (not its target) or an empty folder; with opts.recursive a folder and all below
--- it (links below removed, not followed). Not empty without recursive: "not-empty". Parks the calling task.
---@async
---@param path string
---@param opts? { recursive?: boolean }
---@return true|nil ok
---@return string? message
---@return smelt.IoCode? code
function smelt.fs.remove(path, opts) end

--- Rename (move) from to to (a link as a link; across file systems a file is copied, then removed). An
--- existing target is kept ("exists") unless opts.overwrite. Errors name the path they concern. Parks.
---@async
---@param from string
---@param to string
---@param opts? { overwrite?: boolean }
---@return true|nil ok
---@return string? message
---@return smelt.IoCode? code
function smelt.fs.rename(from, to, opts) end

--- Copy the file from (a link's target) to to, with its mode; a folder is refused ("is-directory"); an
--- existing target is kept ("exists") unless opts.overwrite. Errors name the path they concern. Parks.
---@async
---@param from string
---@param to string
---@param opts? { overwrite?: boolean }
---@return true|nil ok
---@return string? message
---@return smelt.IoCode? code
function smelt.fs.copy(from, to, opts) end

--- Find files or folders by name as vim.fs.find does: names a name, a list or fn(name, folder) -> boolean;
--- opts.upward searches opts.path (default smelt.cwd()) and each folder above (to / or opts.stop, not
--- searched), otherwise the folders below, breadth first; opts.type "file"|"directory"; at most
--- opts.limit paths (default 1, math.huge for all). Absolute paths; a path that cannot be searched:
--- nil, message, code. Parks the calling task.
---@async
---@param names string|string[]|fun(name: string, path: string): boolean
---@param opts? { path?: string, upward?: boolean, stop?: string, type?: "file"|"directory", limit?: number }
---@return string[]|nil paths
---@return string? message
---@return smelt.IoCode? code
function smelt.fs.find(names, opts) end

--- Call fn(event) as a task for each change under path; keep the handle. With opts.recursive the folders
--- below are found by a walk that does not hold the loop: the call returns at once, w:ready() waits for it.
---@param path string
---@param fn fun(event: { kind: "created"|"deleted"|"changed"|"renamed"|"attribute-changed", path: string, other_path?: string })
---@param opts? { recursive?: boolean }
---@return smelt.fs.Watch
function smelt.fs.watch(path, fn, opts) end

--- An advisory lock (flock) on the file at path, made if missing, with this process's id in it; held
--- until lock:release(), its collection, or the end of the process however it ends (a lock that can be
--- taken says its last holder is gone). Held by another process: nil, message, "busy". Does not park.
---@param path string
---@return smelt.fs.Lock|nil lock
---@return string? message
---@return smelt.IoCode? code
function smelt.fs.lock(path) end

---@class smelt.fs.Lock a lock taken by smelt.fs.lock
local Lock = {}

--- Let go of the lock; harmless twice. With remove, the file is removed first, while still held.
---@param remove? boolean
function Lock:release(remove) end

--- Whether it is still held (not released).
---@return boolean
function Lock:held() end

--- Expand a leading ~ to $HOME.
---@param path string
---@return string
function smelt.fs.expand(path) end

---@class smelt.process
smelt.process = {}

--- Run a program to completion (never through a shell). Parks the calling task;
--- cancelling it terminates the program.
---@param cmd string
---@param args? string[]
---@param opts? { cwd?: string, env?: table<string, string>, clear_env?: boolean, stdin?: string }
---@return { code: integer|nil, signal: integer|nil, stdout: string, stderr: string }|nil
---@return string? message
---@return smelt.IoCode? code
function smelt.process.run(cmd, args, opts) end

--- Start a long-running program; cancelling the spawning task kills it. Its
--- stdin and stdout (and its stderr with opts.stderr = "pipe") are streams:
--- p.stdin, p.stdout, p.stderr. While it runs it counts as real work for
--- --virtual-time (the clock does not jump past it).
---@param cmd string
---@param args? string[]
---@param opts? { cwd?: string, env?: table<string, string>, clear_env?: boolean, stderr?: "null"|"stdout"|"inherit"|"pipe" }
---@return smelt.Process|nil
---@return string? message
---@return smelt.IoCode? code
function smelt.process.spawn(cmd, args, opts) end

---@class smelt.Process a program started by smelt.process.spawn
---@field stdin smelt.Stream its stdin (write-only)
---@field stdout smelt.Stream its stdout (read-only)
---@field stderr smelt.Stream|nil its stderr, with opts.stderr = "pipe"
local Process = {}

---@async
--- Write to the process's stdin (parks until written): p.stdin:write(data).
--- Raises "process:write: the process exited with status N" once it has exited.
---@param data string
---@return true|nil ok
---@return string? message
---@return smelt.IoCode? code
function Process:write(data) end

--- Close the process's stdin (the program sees end of file): p.stdin:close().
function Process:close_stdin() end

---@async
--- An iterator over the lines of stdout; each call parks until the next line.
--- It shares p.stdout's buffer: mixed with p.stdout:read(), nothing is lost.
---@return fun(): string|nil
function Process:lines() end

--- Park until the process exits.
---@return integer|nil code nil when a signal ended it
---@return integer|nil signal
function Process:wait() end

--- Send a signal (default SIGTERM).
---@param sig? integer
function Process:kill(sig) end

--- The process id, or nil once it has exited.
---@return integer|nil
function Process:pid() end

---@class smelt.Stream a byte stream: a process's pipe, a socket (smelt.net.connect)
--- Reads come from a buffer of its own; a read that must wait parks the task
--- (outside a task it raises). A task cancelled while it waits loses nothing:
--- the bytes stay for the next read. One task reads at a time.
local Stream = {}

---@async
--- Exactly n bytes, fewer only at end of file; nil once at end of file.
---@param n integer
---@return string|nil data
---@return string? message
---@return smelt.IoCode? code
function Stream:read(n) end

---@async
--- What is there, at least one byte (parks until there is); nil at end of file.
---@return string|nil data
---@return string? message
---@return smelt.IoCode? code
function Stream:read_chunk() end

---@async
--- The bytes up to and including delim (the rest at end of file); nil after.
---@param delim string
---@return string|nil data
---@return string? message
---@return smelt.IoCode? code
function Stream:read_until(delim) end

---@async
--- An iterator over the lines (without "\n"); a failed read raises.
---@return fun(): string|nil
function Stream:lines() end

---@async
--- Write data; parks until all of it is written. Writes of several tasks queue.
---@param data string
---@return true|nil ok
---@return string? message
---@return smelt.IoCode? code
function Stream:write(data) end

--- Close it; a read or write waiting on it returns nil, message, "closed".
--- Harmless twice; does not park.
function Stream:close() end

--- Whether close() was called.
---@return boolean
function Stream:is_closed() end

---@class smelt.net
--- Socket connections as smelt.Streams. See `:help smelt.net`.
smelt.net = {}

---@async
--- Connect over TCP ({ host, port }) or a Unix socket ({ path }); with
--- tls = true over TLS, the certificate checked against the system's trust
--- store or ca_file (PEM). Parks until connected. A duplex stream, or nil,
--- message naming host:port or the path, and a code: "refused",
--- "not-found", "timeout", "unreachable", "tls", ...
---@param opts { host?: string, port?: integer, path?: string, tls?: boolean, ca_file?: string }
---@return smelt.Stream|nil
---@return string? message
---@return string? code
function smelt.net.connect(opts) end

---@class smelt.ext
--- C extensions and asynchronous functions registered from C
--- (smelt_host_register_async): each is smelt.ext.<name>(...), called from a
--- task, which parks until C resolves it through the resume sink.
smelt.ext = {}

--- Load the C extension `name` (the first ext/<name>.so in the runtime path).
---@param name string
---@return string path
function smelt.ext.load(name) end

---@class smelt.editorconfig
---@field enabled boolean whether the bundled plugins follow .editorconfig files (default true)
smelt.editorconfig = {}

--- The .editorconfig properties of the file at path, as the spec
--- (https://spec.editorconfig.org) and GNOME Text Editor read them: the
--- .editorconfig files from the file's folder upward until one says
--- root = true; later sections and nearer files win. Every value is a
--- string: { indent_style = "space", indent_size = "4", tab_width = "4",
--- end_of_line = "lf", charset = "utf-8", trim_trailing_whitespace =
--- "true", insert_final_newline = "true", ... }; keys and the known
--- properties' values lowercased, "unset" ones left out. Reads the files
--- with smelt.fs.read: parks the calling task.
---@param path string
---@return table<string, string>
function smelt.editorconfig.get(path) end

--- Parse an .editorconfig file's text (no file is read).
---@param text string
---@return { root: boolean, sections: { glob: string, props: string[][] }[] }
function smelt.editorconfig.parse(text) end

--- Whether the section glob of the .editorconfig in folder dir matches the
--- file at path (both absolute): "*", "**", "?", "[seq]", "[!seq]",
--- "{a,b}", "{n1..n2}", "\\" escapes; a glob with no "/" matches the name
--- in dir or any folder below it.
---@param glob string
---@param dir string
---@param path string
---@return boolean
function smelt.editorconfig.match(glob, dir, path) end
