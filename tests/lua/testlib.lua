-- tests/lua/testlib.lua: a small spec harness for smelt --no-ui, reporting TAP
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A spec file:
--   local t = dofile(os.getenv("SMELT_TESTLIB"))   -- or require("testlib")
--   t.test("sleep parks the task", function() ... end)
--   t.run()
-- Each case runs as its own task (it may sleep and await), one after the
-- other, under a timeout that catches hangs (virtual when the spec runs with
-- --virtual-time). run() prints TAP and quits with status 1 if a case failed.
-- SMELT_TEST_ONLY=text runs only the cases whose names hold text.

local T = {}
local cases = {}

--- A case's timeout when it names none (ms). It only catches hangs: a GUI
--- spec, driven in real time on a loaded machine, sets a larger one.
T.default_timeout = 10000

local function show(v)
  if type(v) == "string" then
    return string.format("%q", v)
  end
  return tostring(v)
end

local function deep_equal(a, b, seen)
  if a == b then
    return true
  end
  if type(a) ~= "table" or type(b) ~= "table" then
    return false
  end
  seen = seen or {}
  if seen[a] == b then
    return true
  end
  seen[a] = b
  for k, v in pairs(a) do
    if not deep_equal(v, b[k], seen) then
      return false
    end
  end
  for k in pairs(b) do
    if a[k] == nil then
      return false
    end
  end
  return true
end

local function fail(msg, level)
  error(msg, (level or 1) + 2)
end

---@param name string
---@param fn fun()
---@param opts? { timeout: number }
function T.test(name, fn, opts)
  -- SMELT_TEST_ONLY=text runs only the cases whose name holds text (and
  -- "cleanup"), for working on one case of a long spec
  local only = os.getenv("SMELT_TEST_ONLY")
  if only and only ~= "" and name ~= "cleanup" and not name:find(only, 1, true) then return end
  cases[#cases + 1] = { name = name, fn = fn, timeout = opts and opts.timeout }
end

--- Fails unless actual == expected (raw equality).
function T.eq(actual, expected, msg)
  if actual ~= expected then
    fail(("%sexpected %s, got %s"):format(msg and msg .. ": " or "", show(expected), show(actual)))
  end
end

--- Fails unless actual and expected are equal, looking inside tables.
function T.same(actual, expected, msg)
  if not deep_equal(actual, expected) then
    fail(("%stables differ"):format(msg and msg .. ": " or ""))
  end
end

function T.truthy(v, msg)
  if not v then
    fail(msg or ("expected a true value, got " .. show(v)))
  end
end

function T.falsy(v, msg)
  if v then
    fail(msg or ("expected a false value, got " .. show(v)))
  end
end

--- Fails unless the string s contains the plain text sub.
function T.contains(s, sub, msg)
  if type(s) ~= "string" or not s:find(sub, 1, true) then
    fail(("%sexpected %s to contain %s"):format(msg and msg .. ": " or "", show(s), show(sub)))
  end
end

--- Calls fn(...) and fails unless it raises; returns the error value. With
--- a string `sub`, the error must be a string containing it.
function T.raises(sub, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then
    fail("expected an error" .. (sub and (" containing " .. show(sub)) or ""))
  end
  if sub ~= nil and (type(err) ~= "string" or not err:find(sub, 1, true)) then
    fail(("expected an error containing %s, got %s"):format(show(sub), show(err)))
  end
  return err
end

--- What task `id` and its live descendants are parked on, a line each:
--- where a case that timed out was stuck.
---@param id integer
---@return string
function T.parked_below(id)
  local below, lines = { [id] = true }, {}
  for _, info in ipairs(smelt.task.list()) do   -- oldest first: parents before children
    if below[info.id] or below[info.parent] then
      below[info.id] = true
      lines[#lines + 1] = ("\n  task %d %s: %s%s"):format(info.id, info.name, info.status,
        info.waiting_on and (" on " .. info.waiting_on) or "")
    end
  end
  return table.concat(lines)
end

--- A new, empty folder of the test's own (removed with the rest of /tmp
--- by the machine, not by the spec: a failing spec leaves it to look at).
---@return string
function T.tmpdir()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir))
  return dir
end

--- Writes text to dir/name with plain io (no task needed); returns the path.
---@param dir string
---@param name string
---@param text string
---@return string
function T.write(dir, name, text)
  local path = dir .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

--- The contents of path, or nil when it cannot be read (plain io).
---@param path string
---@return string|nil
function T.read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

--- Park until fn() returns a true value, and return it; polls every 10 ms
--- and raises "never: WHAT" after `tries` polls (default 3000: 30 s, a
--- hang guard).
---@param what string
---@param fn fun(): any
---@param tries? integer
---@return any
function T.wait_for(what, fn, tries)
  for _ = 1, tries or 3000 do
    local v = fn()
    if v then return v end
    smelt.sleep(10)
  end
  error("never: " .. what, 2)
end

--- Runs every case as a task, in order, and quits: status 0 if all passed.
function T.run()
  smelt.spawn(function()
    local failed = 0
    print(("1..%d"):format(#cases))
    for i, case in ipairs(cases) do
      local started = smelt.now()
      local handle = smelt.spawn(case.fn)
      local timeout = case.timeout or T.default_timeout
      local result, why = smelt.task.timeout(timeout, function()
        local ok, err = pcall(handle.wait, handle)
        return { ok = ok, err = err }
      end)
      local ok, err
      if result == nil then
        ok, err = false, ("timed out after %d ms (%s)"):format(timeout, why) .. T.parked_below(handle.id)
        handle:cancel()
      else
        ok, err = result.ok, result.err
      end
      local took = smelt.now() - started
      if ok and took > timeout / 2 then
        -- a TAP comment: a case this close to its hang guard may fail on a slower machine
        print(("# case %d took %.0f ms of its %.0f ms timeout"):format(i, took, timeout))
      end
      if ok then
        print(("ok %d - %s"):format(i, case.name))
      else
        failed = failed + 1
        print(("not ok %d - %s"):format(i, case.name))
        -- on stdout as TAP diagnostics, and on stderr: meson's error log
        -- (what CI shows) prints a TAP test's stderr, not its diagnostics
        io.stderr:write(("not ok %d - %s\n"):format(i, case.name))
        for line in tostring(err):gmatch("[^\n]+") do
          print("# " .. line)
          io.stderr:write("# ", line, "\n")
        end
      end
    end
    smelt.quit(failed > 0 and 1 or 0)
  end)
end

return T
