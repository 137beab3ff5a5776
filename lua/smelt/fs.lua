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

-- opts is nil or a table whose listed keys are nil or booleans; returns it (or {})
local function check_flags(fname, arg, opts, keys)
  if opts == nil then
    return {}
  end
  if type(opts) ~= "table" then
    error(("bad argument #%d to '%s' (table expected, got %s)"):format(arg, fname, type(opts)), 3)
  end
  for _, key in ipairs(keys) do
    if opts[key] ~= nil and type(opts[key]) ~= "boolean" then
      error(("bad argument #%d to '%s' (%s: boolean expected, got %s)"):format(arg, fname, key, type(opts[key])), 3)
    end
  end
  return opts
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
  opts = check_flags("smelt.fs.write", 3, opts, { "backup", "force" })
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

--- Remove the file, link (not what it points to) or empty folder at path;
--- with opts.recursive, a folder and everything in it (in a worker thread;
--- links inside are removed, not followed). A folder with files in it,
--- without recursive: nil, message, "not-empty". An error names the file
--- that could not go: "smelt.fs.remove: PATH: reason".
---@async
---@param path string
---@param opts? { recursive?: boolean }
---@return true|nil ok
---@return string? message
---@return string? code
function fs.remove(path, opts)
  check_path("smelt.fs.remove", path)
  opts = check_flags("smelt.fs.remove", 2, opts, { "recursive" })
  return result(internal.fs_remove(path, opts.recursive == true))
end

-- rename and copy: called as a tail call, so that argument errors point at
-- the caller's line
local function transfer(fname, start, from, to, opts)
  check_path(fname, from)
  check_path(fname, to, 2)
  opts = check_flags(fname, 3, opts, { "overwrite" })
  return result(start(from, to, opts.overwrite == true))
end

--- Rename (move) from to to; across file systems a file is copied, then
--- removed. A link is moved as a link. An existing target is kept (nil,
--- message, "exists") unless opts.overwrite. An error names the path it
--- concerns: the source ("not-found") or the target ("exists").
---@async
---@param from string
---@param to string
---@param opts? { overwrite?: boolean }
---@return true|nil ok
---@return string? message
---@return string? code
function fs.rename(from, to, opts)
  return transfer("smelt.fs.rename", internal.fs_rename, from, to, opts)
end

--- Copy the file from (what a link points to) to to, with its mode. A
--- folder is refused ("is-directory"); an existing target is kept (nil,
--- message, "exists") unless opts.overwrite. An error names the path it
--- concerns.
---@async
---@param from string
---@param to string
---@param opts? { overwrite?: boolean }
---@return true|nil ok
---@return string? message
---@return string? code
function fs.copy(from, to, opts)
  return transfer("smelt.fs.copy", internal.fs_copy, from, to, opts)
end

-- path made absolute (from smelt.cwd()) with no ".", ".." or "//" in it
local function normalize(path)
  if path:sub(1, 1) ~= "/" then
    path = smelt.cwd() .. "/" .. path
  end
  local parts = {}
  for part in path:gmatch("[^/]+") do
    if part == ".." then
      parts[#parts] = nil
    elseif part ~= "." then
      parts[#parts + 1] = part
    end
  end
  return "/" .. table.concat(parts, "/")
end

local function join(dir, name)
  return dir == "/" and "/" .. name or dir .. "/" .. name
end

local function parent(dir)
  return dir ~= "/" and (dir:match("^(.*)/[^/]*$") or "/") or nil
end

-- a failure of the stat or list find made, worded as find's own
local function find_failure(r)
  return nil, (r[2]:gsub("^smelt%.fs%.%a+:", "smelt.fs.find:")), r[3]
end

-- the entries of dir sorted by name (the order of a search that stops at
-- limit is then the same on every file system), or the failed result
local function sorted_entries(dir)
  local r = internal.fs_list(dir)
  if r[1] then
    table.sort(r[2], function(a, b) return a.name < b.name end)
  end
  return r
end

--- Find files or folders by name, as Neovim's vim.fs.find does. names is
--- a name, a list of names, or a function(name, folder) -> boolean.
--- opts.upward looks in opts.path (default smelt.cwd()) and then each
--- folder above it, up to / or opts.stop (not searched); otherwise the
--- folders below opts.path are searched breadth first, each folder's
--- entries by name (links to folders are not followed; folders that
--- cannot be read are passed over). opts.type keeps only "file" or
--- "directory" entries (links are not followed: a link's type is "link").
--- Returns absolute paths, at most opts.limit (default 1; math.huge for
--- all); a path that cannot be searched: nil, message, code.
---@async
---@param names string|string[]|fun(name: string, path: string): boolean
---@param opts? { path?: string, upward?: boolean, stop?: string, type?: "file"|"directory", limit?: number }
---@return string[]|nil paths
---@return string? message
---@return string? code
function fs.find(names, opts)
  local fname = "smelt.fs.find"
  local test = names
  if type(names) == "string" then
    names = { names }
  end
  if type(names) == "table" then
    for i, name in ipairs(names) do
      if type(name) ~= "string" then
        error(("bad argument #1 to '%s' (name %d is a %s, not a string)"):format(fname, i, type(name)), 2)
      end
    end
    local set = {}
    for _, name in ipairs(names) do set[name] = true end
    test = function(name) return set[name] == true end
  elseif type(names) ~= "function" then
    error(("bad argument #1 to '%s' (a name, a list of names or a function expected, got %s)")
      :format(fname, type(names)), 2)
  end
  opts = check_flags(fname, 2, opts, { "upward" })
  for _, key in ipairs({ "path", "stop" }) do
    if opts[key] ~= nil and type(opts[key]) ~= "string" then
      error(("bad argument #2 to '%s' (%s: path expected, got %s)"):format(fname, key, type(opts[key])), 2)
    end
  end
  local want = opts.type
  if want ~= nil and want ~= "file" and want ~= "directory" then
    error(("bad argument #2 to '%s' (type: \"file\" or \"directory\" expected, got %s)"):format(fname, tostring(want)), 2)
  end
  local limit = opts.limit or 1
  if not ((math.type(limit) == "integer" and limit > 0) or limit == math.huge) then
    error(("bad argument #2 to '%s' (limit: a positive integer expected, got %s)"):format(fname, tostring(limit)), 2)
  end

  local start = normalize(opts.path or smelt.cwd())
  local found = {}
  -- adds path if its type is wanted; true once limit paths are found
  local function add(path, kind)
    if want == nil or kind == want then
      found[#found + 1] = path
    end
    return #found >= limit
  end

  if opts.upward then
    local st = internal.fs_stat(start)
    if not st[1] then
      return find_failure(st)
    end
    local stop = opts.stop and normalize(opts.stop)
    local dir = start
    while dir ~= nil and dir ~= stop do
      if type(names) == "function" then
        local r = sorted_entries(dir)
        for _, e in ipairs(r[1] and r[2] or {}) do
          if (want == nil or e.type == want) and names(e.name, dir) and add(join(dir, e.name), e.type) then
            return found
          end
        end
      else
        for _, name in ipairs(names) do
          local path = join(dir, name)
          local r = internal.fs_stat(path)
          if r[1] and add(path, r[2].type) then
            return found
          end
        end
      end
      dir = parent(dir)
    end
    return found
  end

  local queue, head, tail = { start }, 1, 1
  while head <= tail do
    local dir = queue[head]
    queue[head] = nil
    head = head + 1
    local r = sorted_entries(dir)
    if not r[1] and dir == start then
      return find_failure(r)
    end
    for _, e in ipairs(r[1] and r[2] or {}) do
      if (want == nil or e.type == want) and test(e.name, dir) and add(join(dir, e.name), e.type) then
        return found
      end
      if e.type == "directory" then
        tail = tail + 1
        queue[tail] = join(dir, e.name)
      end
    end
  end
  return found
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
