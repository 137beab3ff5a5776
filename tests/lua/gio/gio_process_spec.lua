-- gio_process_spec.lua: smelt.process runs programs without blocking, and cancellation kills them
local t = require("testlib")
local process, fs = smelt.process, smelt.fs

local function fd_count()
  return #assert(fs.list("/proc/self/fd"))
end

local function alive(pid)
  local st = fs.stat("/proc/" .. pid)
  if not st then return false end
  local stat = fs.read("/proc/" .. pid .. "/stat") or ""
  return not stat:match("^%d+ %b() Z"), stat
end

t.test("stdout, stderr and the exit code", function()
  local r = process.run("sh", { "-c", "echo out; echo err >&2; exit 3" })
  t.eq(r.code, 3); t.eq(r.signal, nil)
  t.eq(r.stdout, "out\n"); t.eq(r.stderr, "err\n")
end)

t.test("stdin, env, clear_env and cwd", function()
  t.eq(process.run("cat", {}, { stdin = "fed\0in" }).stdout, "fed\0in")
  t.eq(process.run("sh", { "-c", "printf %s \"$SMELT_X\"" }, { env = { SMELT_X = "set" } }).stdout, "set")
  t.eq(process.run("/usr/bin/env", {}, { clear_env = true, env = { ONLY = "1" } }).stdout, "ONLY=1\n")
  t.eq(process.run("pwd", {}, { cwd = "/tmp" }).stdout, "/tmp\n")
end)

t.test("large output (10 MB) arrives bytes-exact while the loop keeps running", function()
  local ticks = 0
  local ticker = smelt.spawn(function() while true do ticks = ticks + 1; smelt.sleep(0) end end)
  local r = process.run("head", { "-c", "10485760", "/dev/urandom" })
  ticker:cancel()
  t.eq(#r.stdout, 10485760)
  t.eq(r.code, 0)
  t.truthy(ticks > 5, "the loop ran during the read: " .. ticks)
end, { timeout = 30000 })   -- a hang guard: 5 s under AddressSanitizer, with the ticker competing

t.test("a signal is reported as signal, not code", function()
  local r = process.run("sh", { "-c", "kill -TERM $$" })
  t.eq(r.code, nil); t.eq(r.signal, 15)
end)

t.test("a missing program returns nil, message, code", function()
  local r, msg, code = process.run("/nonexistent/program")
  t.eq(r, nil); t.contains(msg, "/nonexistent/program"); t.eq(code, "not-found")
  t.eq(select(3, process.run("true", {}, { cwd = "/nonexistent/dir" })), "bad-cwd")
end)

t.test("a timeout kills the child (SIGTERM, then SIGKILL), reaps it, and leaks no descriptor", function()
  local before = fd_count()
  local pidfile = os.tmpname()
  local v, err = smelt.task.timeout(300, function()
    return process.run("sh", { "-c", "echo $$ > " .. pidfile .. "; exec sleep 60" })
  end)
  t.eq(err, "timeout")
  local pid = tonumber(fs.read(pidfile))
  os.remove(pidfile)
  smelt.sleep(600)   -- past the kill grace
  t.falsy(alive(pid), "the child is gone")
  t.eq(fd_count(), before, "descriptors back where they were")
end, { timeout = 20000 })

t.test("a child that ignores SIGTERM is killed after the grace", function()
  local pidfile = os.tmpname()
  smelt.task.timeout(300, function()
    return process.run("sh", { "-c", "trap '' TERM; echo $$ > " .. pidfile .. "; while :; do sleep 0.05; done" })
  end)
  local pid = tonumber(fs.read(pidfile))
  os.remove(pidfile)
  smelt.sleep(800)
  t.falsy(alive(pid), "killed with SIGKILL")
end, { timeout = 20000 })

t.test("spawn: write, lines, wait", function()
  local p = process.spawn("cat")
  t.eq(p:write("one\ntwo\n"), true)
  p:close_stdin()
  local got = {}
  for line in p:lines() do got[#got + 1] = line end
  t.same(got, { "one", "two" })
  t.eq(p:wait(), 0)
end)

t.test("spawn: kill sends a signal; wait reports it", function()
  local p = process.spawn("sleep", { "60" })
  t.eq(math.type(p:pid()), "integer")
  p:kill(9)
  local code, sig = p:wait()
  t.eq(code, nil); t.eq(sig, 9)
end)

t.test("spawn: cancelling the task that owns a process kills it", function()
  local pid
  local owner = smelt.spawn(function()
    local p = process.spawn("sleep", { "60" })
    pid = p:pid()
    p:wait()
  end)
  smelt.sleep(100)
  owner:cancel()
  smelt.sleep(600)
  t.falsy(alive(pid))
end, { timeout = 20000 })

t.test("spawn of a missing program returns nil, message, code", function()
  local p, msg, code = process.spawn("/nonexistent/program")
  t.eq(p, nil); t.eq(code, "not-found")
end)

t.test("a process and a file read inside race and all", function()
  local i = smelt.task.race(
    function() return process.run("sleep", { "5" }) end,
    function() return fs.read("/proc/self/status") end)
  t.eq(i, 2)
  local r = smelt.task.all(
    function() return process.run("echo", { "hi" }).stdout end,
    function() return #fs.read("/proc/self/status") > 0 end)
  t.eq(r[1], "hi\n"); t.eq(r[2], true)
end)

t.test("bad arguments name the function", function()
  t.raises("bad argument #1 to 'smelt.process.run' (program name expected, got nil)", process.run)
  t.raises("bad argument #2 to 'smelt.process.run' (argument 1 is a table, not a string)", process.run, "echo", { {} })
  t.raises("bad argument #3 to 'smelt.process.run' (opts.stdin must be a string)", process.run, "cat", {}, { stdin = 5 })
end)

t.run()
