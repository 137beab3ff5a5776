-- smelt/fs.lua: smelt.fs, file operations that park the calling task on GIO
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Each returns its value, or nil, message, code on failure, where code is a
-- GIOErrorEnum nick: "not-found", "permission-denied", "is-directory", ...
-- Cancelling the waiting task cancels the operation (its GCancellable).

local smelt, internal = ...

local fs = {}
smelt.fs = fs

local function result(r)
  if r[1] then
    if r[2] == nil then
      return true
    end
    return r[2]
  end
  return nil, r[2], r[3]
end

local function check_path(fname, path, arg)
  if type(path) ~= "string" then
    error(("bad argument #%d to '%s' (path expected, got %s)"):format(arg or 1, fname, type(path)), 3)
  end
end

--- Read a whole regular file (bytes exact). A device, FIFO or socket is
--- refused (code "not-regular-file"): it may never end or never open.
--- Error messages read "smelt.fs.read: PATH: reason".
---@param path string
---@return string|nil contents
---@return string? message
---@return string? code
function fs.read(path)
  check_path("smelt.fs.read", path)
  return result(internal.fs_read(path))
end

--- Write data to path. A symlink is written through (the link stays a
--- link); a file with other hard links is written in place (after checking
--- there is room); any other file is replaced atomically (the old contents
--- stay until the new ones are complete) with its owner, group and mode.
--- A read-only file is refused (code "read-only") unless opts.force.
--- opts.backup keeps the old contents as FILE~. Error messages read
--- "smelt.fs.write: PATH: reason" (codes "read-only", "no-space",
--- "permission-denied", "not-regular-file", "is-directory", ...).
---@param path string
---@param data string
---@param opts? { backup?: boolean, force?: boolean }
---@return true|nil ok
---@return string? message
---@return string? code
function fs.write(path, data, opts)
  check_path("smelt.fs.write", path)
  if type(data) ~= "string" then
    error(("bad argument #2 to 'smelt.fs.write' (string expected, got %s)"):format(type(data)), 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #3 to 'smelt.fs.write' (table expected, got %s)"):format(type(opts)), 2)
  end
  opts = opts or {}
  for _, key in ipairs({ "backup", "force" }) do
    if opts[key] ~= nil and type(opts[key]) ~= "boolean" then
      error(("bad argument #3 to 'smelt.fs.write' (%s: boolean expected, got %s)"):format(key, type(opts[key])), 2)
    end
  end
  return result(internal.fs_write(path, data, opts.backup == true, opts.force == true))
end

--- The entries of a directory: { name, type, size, mtime }, read in batches.
---@param dir string
---@return { name: string, type: string, size: integer, mtime: number }[]|nil
---@return string? message
---@return string? code
function fs.list(dir)
  check_path("smelt.fs.list", dir)
  return result(internal.fs_list(dir))
end

--- { type, size, mtime, mode } of a path (links are not followed).
---@param path string
---@return { type: string, size: integer, mtime: number, mode: integer }|nil
---@return string? message
---@return string? code
function fs.stat(path)
  check_path("smelt.fs.stat", path)
  return result(internal.fs_stat(path))
end

--- Make the folder path and any parents it lacks (mkdir -p); one that
--- exists already is fine.
---@param path string
---@return true|nil ok
---@return string? message
---@return string? code
function fs.mkdir(path)
  check_path("smelt.fs.mkdir", path)
  return result(internal.fs_mkdir(path))
end

---@class smelt.fs.Watch
---@field private _h userdata the C handle (smelt.FsWatch)
local Watch = {}
Watch.__index = Watch

--- Stop watching (and walking); harmless twice. Tasks in ready() get
--- nil, message, "cancelled".
function Watch:remove()
  self._h:remove()
end

--- "walking" while the folders below are still being found, "watching"
--- once all are watched, "removed".
---@return "walking"|"watching"|"removed"
function Watch:status()
  return self._h:status()
end

--- Park until every folder below is watched (at once when it is).
---@async
---@return true|nil ok
---@return string? message
---@return string? code "cancelled" when the watch was removed
function Watch:ready()
  return result(self._h:ready())
end

--- Call fn({ kind, path, other_path }) as a task for each change under path
--- (kind: "created", "deleted", "changed", "renamed", "attribute-changed").
--- opts.recursive watches the folders below too: the call returns at once
--- and they are found by a walk on the loop (w:ready() waits for it); a
--- folder made meanwhile or later is watched as well.
--- Keep the handle: watching stops when it is removed or collected.
---@param path string
---@param fn fun(event: { kind: string, path: string, other_path?: string })
---@param opts? { recursive?: boolean }
---@return smelt.fs.Watch
function fs.watch(path, fn, opts)
  check_path("smelt.fs.watch", path)
  if type(fn) ~= "function" then
    error(("bad argument #2 to 'smelt.fs.watch' (function expected, got %s)"):format(type(fn)), 2)
  end
  return setmetatable({ _h = internal.fs_watch(path, fn, opts ~= nil and opts.recursive == true) }, Watch)
end

--- Take an advisory lock (flock) on the file at path, made if missing
--- (mode 0600; this process's id is written into it). It is held until
--- lock:release() or the lock is collected, and the system drops it when
--- the process ends however it ends (killed, crashed): a lock that can be
--- taken says its last holder is gone. Another process holding it: nil,
--- message, "busy". Does not park.
---@param path string
---@return smelt.fs.Lock|nil lock
---@return string? message
---@return string? code
function fs.lock(path)
  check_path("smelt.fs.lock", path)
  return result(internal.fs_lock(path))
end

--- Expand a leading ~ to the home directory (paths are never expanded silently).
---@param path string
---@return string
function fs.expand(path)
  check_path("smelt.fs.expand", path)
  local home = os.getenv("HOME") or ""
  if path == "~" then
    return home
  end
  local rest = path:match("^~/(.*)$")
  if rest then
    return home .. "/" .. rest
  end
  return path
end
