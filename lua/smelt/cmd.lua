-- smelt/cmd.lua: user commands, Neovim-style: smelt.cmd.create/del/run, completion, and the built-ins
-- SPDX-License-Identifier: LGPL-2.1-or-later

local smelt, internal = ...

local spawn_root = internal.spawn_root
local commands = {}   -- name -> { fn, desc, nargs, complete }
local cmd = {}
smelt.cmd = cmd

local define   -- cmd.create without the name rule, below
local NARGS = { [0] = "0", [1] = "1", ["0"] = "0", ["1"] = "1", ["?"] = "?", ["*"] = "*", ["+"] = "+" }

--- Splits a command line's arguments on unescaped white space ("\ " keeps a space).
---@param args string
---@return string[]
local function split_args(args)
  local fargs, cur, escaped = {}, {}, false
  for ch in args:gmatch(".") do
    if escaped then
      cur[#cur + 1] = ch
      escaped = false
    elseif ch == "\\" then
      escaped = true
    elseif ch:match("%s") then
      if #cur > 0 then
        fargs[#fargs + 1] = table.concat(cur)
        cur = {}
      end
    else
      cur[#cur + 1] = ch
    end
  end
  if escaped then
    cur[#cur + 1] = "\\"
  end
  if #cur > 0 then
    fargs[#fargs + 1] = table.concat(cur)
  end
  return fargs
end

--- Define a user command. The handler runs as a task (it may sleep and
--- await) and receives { name, args, fargs }. Names start with an uppercase
--- letter and hold letters and digits, as in Neovim.
---@param name string
---@param fn fun(ctx: { name: string, args: string, fargs: string[] })
---@param opts? { desc?: string, nargs?: 0|1|"0"|"1"|"?"|"*"|"+", complete?: (fun(arglead: string, line: string): string[])|string[], force?: boolean }
function cmd.create(name, fn, opts)
  if type(name) ~= "string" then
    error(("bad argument #1 to 'smelt.cmd.create' (command name expected, got %s)"):format(type(name)), 2)
  end
  if not name:match("^%u[%w]*$") then
    error(("smelt.cmd.create: invalid command name '%s': it must start with an uppercase letter and hold only letters and digits"):format(name), 2)
  end
  define(name, fn, opts)
end

-- cmd.create without the name rule: the runtime's own lowercase commands
-- (:help), as Neovim's built-ins are lowercase and users' uppercase.
function define(name, fn, opts)
  if type(fn) ~= "function" then
    error(("bad argument #2 to 'smelt.cmd.create' (function expected, got %s)"):format(type(fn)), 3)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #3 to 'smelt.cmd.create' (table expected, got %s)"):format(type(opts)), 3)
  end
  opts = opts or {}
  if commands[name] and not opts.force then
    error(("smelt.cmd.create: command '%s' already exists (pass { force = true } to replace it)"):format(name), 3)
  end
  local nargs = NARGS[opts.nargs == nil and 0 or opts.nargs]
  if nargs == nil then
    error(("smelt.cmd.create: bad nargs %s for '%s' (0, 1, \"?\", \"*\" or \"+\")"):format(tostring(opts.nargs), name), 3)
  end
  local complete = opts.complete
  if complete ~= nil and type(complete) ~= "function" and type(complete) ~= "table" then
    error(("smelt.cmd.create: complete for '%s' must be a function or a list"):format(name), 3)
  end
  commands[name] = { fn = fn, desc = opts.desc or "", nargs = nargs, complete = complete }
end

--- Delete a user command.
---@param name string
function cmd.del(name)
  if commands[name] == nil then
    error(("smelt.cmd.del: no command '%s'"):format(tostring(name)), 2)
  end
  commands[name] = nil
end

--- Run a command line ("Name arg1 arg2"). Starts the handler as a task and
--- returns its handle; errors in the line itself (unknown command, wrong
--- number of arguments) are raised here.
---@param line string
---@return table handle
function cmd.run(line)
  if type(line) ~= "string" then
    error(("bad argument #1 to 'smelt.cmd.run' (string expected, got %s)"):format(type(line)), 2)
  end
  line = line:gsub("^%s*:?%s*", "")
  local name, args = line:match("^(%S+)%s*(.-)%s*$")
  if not name then
    error("smelt.cmd.run: empty command line", 2)
  end
  local c = commands[name]
  if not c then
    error(("smelt.cmd.run: not a command: %s"):format(name), 2)
  end
  local fargs = split_args(args)
  local n = #fargs
  local nargs = c.nargs
  -- As in Neovim, nargs 1 and ? take the whole rest of the line as one argument.
  if nargs == "0" and n > 0 then
    error(("%s: takes no arguments"):format(name), 2)
  elseif (nargs == "1" or nargs == "+") and n == 0 then
    error(("%s: needs an argument"):format(name), 2)
  end
  if nargs == "1" or nargs == "?" then
    fargs = n > 0 and { args } or {}
  end
  return spawn_root(c.fn, { name = name, args = args, fargs = fargs })
end

--- The commands, sorted by name: { name, desc, nargs }.
---@return { name: string, desc: string, nargs: string }[]
function cmd.list()
  local out = {}
  for name, c in pairs(commands) do
    out[#out + 1] = { name = name, desc = c.desc, nargs = c.nargs }
  end
  table.sort(out, function(a, b) return a.name < b.name end)
  return out
end

--- Completions for a partial command line: command names for the first
--- word, then whatever the command's `complete` option gives.
---@param line string
---@return string[]
function cmd.complete(line)
  local name, rest = line:match("^%s*:?(%S*)(.*)$")
  local out = {}
  if rest == "" then
    for cname in pairs(commands) do
      if cname:sub(1, #name) == name then
        out[#out + 1] = cname
      end
    end
    table.sort(out)
    return out
  end
  local c = commands[name]
  if not c or not c.complete then
    return out
  end
  local arglead = rest:match("(%S*)$")
  local candidates = c.complete
  if type(candidates) == "function" then
    -- not caught here: from the window, the host's gate reports the error
    -- (with its file:line, or the watchdog's) and offers nothing
    local got = candidates(arglead, line)
    candidates = type(got) == "table" and got or {}
  end
  for _, cand in ipairs(candidates) do
    if type(cand) == "string" and cand:sub(1, #arglead) == arglead then
      out[#out + 1] = cand
    end
  end
  return out
end

-- Built-in commands ---------------------------------------------------------

internal.define_command = define

local function output(text)
  internal.output(text)
end

cmd.create("Lua", function(ctx)
  local code = ctx.args
  local show = code:sub(1, 1) == "="
  if show then
    code = "return " .. code:sub(2)
  end
  local chunk, err = load(code, "=:Lua", "t")
  if not chunk then
    error(err, 0)
  end
  local results = table.pack(chunk())
  if show then
    local parts = {}
    for i = 1, results.n do
      parts[i] = tostring(results[i])
    end
    output(table.concat(parts, "\t"))
  end
end, { nargs = "+", desc = "Run Lua code as a task (:Lua =expr prints the value)" })

cmd.create("Source", function(ctx)
  local chunk, err = loadfile(ctx.args, "bt")
  if not chunk then
    error(err, 0)
  end
  chunk()
end, { nargs = 1, desc = "Run a Lua file as a task" })

cmd.create("Tasks", function()
  output(internal.format_tasks())
end, { desc = "List the live tasks and what each waits on" })

cmd.create("Health", function()
  output(internal.health_report())
end, { desc = "Report on smelt, its runtime path, plugins and tasks" })

