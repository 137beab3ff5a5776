-- smelt/process.lua: smelt.process, programs run through GSubprocess (never a shell)
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Cancelling the task waiting on a process (directly, a timeout, a race)
-- terminates it: SIGTERM, then SIGKILL after 200 ms; it is reaped and its
-- pipes are closed.

local smelt, internal = ...

local process = {}
smelt.process = process

local function check(fname, cmd, args, opts)
  if type(cmd) ~= "string" or cmd == "" then
    error(("bad argument #1 to '%s' (program name expected, got %s)"):format(fname, type(cmd)), 3)
  end
  if args ~= nil and type(args) ~= "table" then
    error(("bad argument #2 to '%s' (table of arguments expected, got %s)"):format(fname, type(args)), 3)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #3 to '%s' (table expected, got %s)"):format(fname, type(opts)), 3)
  end
  local argv = { cmd }
  for i, a in ipairs(args or {}) do
    if type(a) ~= "string" and type(a) ~= "number" then
      error(("bad argument #2 to '%s' (argument %d is a %s, not a string)"):format(fname, i, type(a)), 3)
    end
    argv[#argv + 1] = tostring(a)
  end
  opts = opts or {}
  if opts.stdin ~= nil and type(opts.stdin) ~= "string" then
    error(("bad argument #3 to '%s' (opts.stdin must be a string)"):format(fname), 3)
  end
  if opts.env ~= nil and type(opts.env) ~= "table" then
    error(("bad argument #3 to '%s' (opts.env must be a table)"):format(fname), 3)
  end
  return argv, opts
end

--- Run a program to completion. Returns { code, signal, stdout, stderr }
--- (code nil if killed by a signal), or nil, message, code if it cannot start.
---@param cmd string
---@param args? string[]
---@param opts? { cwd?: string, env?: table<string, string>, clear_env?: boolean, stdin?: string }
---@return { code: integer|nil, signal: integer|nil, stdout: string, stderr: string }|nil
---@return string? message
---@return string? code
function process.run(cmd, args, opts)
  local argv
  argv, opts = check("smelt.process.run", cmd, args, opts)
  local r = internal.proc_run(argv, opts, opts.stdin)
  if r[1] then
    return r[2]
  end
  return nil, r[2], r[3]
end

---@class smelt.Process
---@field stdin smelt.Stream the process's stdin
---@field stdout smelt.Stream the process's stdout
---@field stderr smelt.Stream|nil its stderr, with opts.stderr = "pipe"
local Process = {}
Process.__index = Process

---@async
--- Write to the process's stdin (parks until written); the same as
--- p.stdin:write(data). Raises once the process has exited.
---@param data string
---@return true|nil ok
---@return string? message
---@return string? code
function Process:write(data)
  if type(data) ~= "string" then
    error(("bad argument #1 to 'process:write' (string expected, got %s)"):format(type(data)), 2)
  end
  return self.stdin:_write(data, "process:write")
end

--- Close the process's stdin; the same as p.stdin:close().
function Process:close_stdin()
  self.stdin:close()
end

---@async
--- An iterator over the lines of stdout; each call parks until the next line.
--- It reads p.stdout's buffer: mixed with p.stdout:read() nothing is lost.
---@return fun(): string|nil
function Process:lines()
  return self.stdout:_lines("process:lines")
end

--- Park until the process exits; returns code and signal.
---@return integer|nil code
---@return integer|nil signal
function Process:wait()
  local r = self._p:wait()
  return r[2], r[3]
end

--- Send a signal (default SIGTERM).
---@param sig? integer
function Process:kill(sig)
  self._p:kill(sig)
end

--- The process id, or nil once it has exited.
---@return integer|nil
function Process:pid()
  return self._p:pid()
end

--- Start a long-running program; returns a handle, or nil, message, code.
--- Cancelling the task that spawned it kills it.
---@param cmd string
---@param args? string[]
---@param opts? { cwd?: string, env?: table<string, string>, clear_env?: boolean, stderr?: "null"|"stdout"|"inherit"|"pipe" }
---@return smelt.Process|nil
---@return string? message
---@return string? code
function process.spawn(cmd, args, opts)
  local argv
  argv, opts = check("smelt.process.spawn", cmd, args, opts)
  local p = internal.proc_spawn(argv, opts)
  if type(p) == "table" then
    return nil, p[2], p[3]
  end
  local stdin, stdout, stderr = p:streams()
  return setmetatable({
    _p = p,
    stdin = internal.stream_wrap(stdin),
    stdout = internal.stream_wrap(stdout),
    stderr = stderr and internal.stream_wrap(stderr),
  }, Process)
end
