-- gio_stream_spec.lua: a spawned process's stdin, stdout and stderr are smelt.Streams
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local process, task = smelt.process, smelt.task

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")

local function sh(script, opts)
  return assert(process.spawn("sh", { "-c", script }, opts))
end

-- every chunk until nil
local function drain(s)
  local parts = {}
  while true do
    local chunk = s:read_chunk()
    if chunk == nil then break end
    parts[#parts + 1] = chunk
  end
  return table.concat(parts)
end

t.test("read(n): exactly n bytes, fewer at end of file, then nil", function()
  local p = sh("printf abcdefgh")
  t.eq(p.stdout:read(3), "abc")
  t.eq(p.stdout:read(0), "")
  t.eq(p.stdout:read(3), "def")
  t.eq(p.stdout:read(3), "gh")
  t.eq(p.stdout:read(3), nil)
  t.eq(p.stdout:read(1), nil)
  t.eq(p:wait(), 0)
end)

t.test("read(n) waits for bytes that come in several writes", function()
  local p = sh("printf ab; sleep 0.05; printf cd; sleep 0.05; printf ef")
  t.eq(p.stdout:read(5), "abcde")
  t.eq(p.stdout:read(5), "f")
end)

t.test("read_chunk: what is there, at least a byte; nil at end of file", function()
  local p = sh("printf one; sleep 0.05; printf two")
  local first = p.stdout:read_chunk()
  t.truthy(#first >= 1)
  t.eq(first .. drain(p.stdout), "onetwo")
  t.eq(p.stdout:read_chunk(), nil)
end)

t.test("read_until: up to and including the delimiter, the rest at end of file, then nil", function()
  local p = sh([[printf 'a\r\n\r\nbb\r'; sleep 0.05; printf '\n\r\nrest']])
  t.eq(p.stdout:read_until("\r\n\r\n"), "a\r\n\r\n")
  t.eq(p.stdout:read_until("\r\n\r\n"), "bb\r\n\r\n", "a delimiter split across two writes")
  t.eq(p.stdout:read_until("\r\n\r\n"), "rest")
  t.eq(p.stdout:read_until("\r\n\r\n"), nil)
end)

t.test("read_until finds a delimiter holding NUL bytes", function()
  local p = sh([[printf 'x\000\000y\000\000']])
  t.eq(p.stdout:read_until("\0\0"), "x\0\0")
  t.eq(p.stdout:read_until("\0\0"), "y\0\0")
  t.eq(p.stdout:read_until("\0\0"), nil)
end)

t.test("lines: each line without its newline, the last one without a newline too", function()
  local p = sh([[printf 'one\n\nthree\nlast']])
  local got = {}
  for line in p.stdout:lines() do got[#got + 1] = line end
  t.same(got, { "one", "", "three", "last" })
end)

t.test("p:lines() and p.stdout:read() share one buffer: mixed, nothing is lost", function()
  local p = sh([[printf 'head\nBODY12345tail\nend\n']])
  local lines = p:lines()
  t.eq(lines(), "head")
  t.eq(p.stdout:read(9), "BODY12345")
  t.eq(lines(), "tail")
  t.eq(p.stdout:read_until("\n"), "end\n")
  t.eq(lines(), nil)
end)

t.test("stdin: write, then close: the program sees end of file", function()
  local p = assert(process.spawn("cat"))
  t.eq(p.stdin:write("to "), true)
  t.eq(p:write("cat\n"), true)
  p.stdin:close()
  t.truthy(p.stdin:is_closed())
  t.eq(drain(p.stdout), "to cat\n")
  t.raises("stream:write: cat (stdin): the stream is closed", p.stdin.write, p.stdin, "more")
  p:close_stdin()   -- harmless twice
end)

t.test("writes and reads at once move 4 MB through cat bytes-exact", function()
  local p = assert(process.spawn("cat"))
  local block = {}
  for i = 1, 4096 do block[i] = string.char(i % 256) end
  block = table.concat(block)
  local data = block:rep(1024)
  local r = task.all(function()
    for i = 1, #data, 65536 do
      assert(p:write(data:sub(i, i + 65535)))
    end
    p:close_stdin()
    return true
  end, function()
    local parts = {}
    while true do
      local piece = p.stdout:read(10000)
      if not piece then break end
      parts[#parts + 1] = piece
    end
    return table.concat(parts)
  end)
  t.eq(#r[2], #data)
  t.truthy(r[2] == data, "the bytes that came back are the bytes written")
end, { timeout = 30000 })

t.test("writes from two tasks queue: each arrives whole, in order", function()
  local p = assert(process.spawn("cat"))
  local a, b = ("a"):rep(200000), ("b"):rep(200000)
  local reader = smelt.spawn(function() return drain(p.stdout) end)
  task.all(function() return p:write(a) end, function() return p:write(b) end)
  p:close_stdin()
  t.eq(reader:wait(), a .. b)
end, { timeout = 30000 })

t.test("a write after the process exited raises, with its status", function()
  local p = sh("exit 3")
  t.eq(p:wait(), 3)
  t.raises("process:write: the process exited with status 3", p.write, p, "late")
  t.raises("stream:write: the process exited with status 3", p.stdin.write, p.stdin, "late")
  local killed = assert(process.spawn("sleep", { "60" }))
  killed:kill(9)
  killed:wait()
  t.raises("process:write: the process was killed by signal 9", killed.write, killed, "late")
end)

t.test("a write to a process that closed its stdin fails (EPIPE) without killing smelt; children keep SIGPIPE", function()
  local p = sh("exec <&-; sleep 5")
  local ok, msg, code = p:write(("x"):rep(200000))
  t.eq(ok, nil)
  t.contains(msg, "process:write: sh (stdin): ")
  t.eq(code, "broken-pipe")
  p:kill()
  -- smelt ignores SIGPIPE; its children must not inherit that
  local status = process.run("sh", { "-c", "grep SigIgn /proc/self/status" }).stdout
  local ignored = tonumber(status:match("SigIgn:%s*(%x+)"), 16)
  t.eq(ignored & (1 << 12), 0, "SIGPIPE (13) is not ignored in a child: " .. status)
end)

t.test("stderr = \"pipe\": p.stderr is a stream of its own; otherwise nil", function()
  local p = sh("echo out; echo err >&2; echo err2 >&2", { stderr = "pipe" })
  t.eq(p.stdout:read_until("\n"), "out\n")
  local got = {}
  for line in p.stderr:lines() do got[#got + 1] = line end
  t.same(got, { "err", "err2" })
  t.eq(p.stdout:read(1), nil)
  t.eq(sh("true").stderr, nil)
end)

t.test("a parked read cancelled by a timeout loses nothing: the next read gets the bytes", function()
  local p = sh("sleep 0.3; printf late")
  local v, why = task.timeout(50, function() return p.stdout:read(4) end)
  t.eq(v, nil); t.eq(why, "timeout")
  t.eq(p.stdout:read(4), "late")
  t.eq(p.stdout:read(4), nil)
end)

t.test("a parked read loses a race, and the stream reads on", function()
  local p = sh("sleep 0.3; echo line")
  local i = task.race(function() return p.stdout:read_until("\n") end, function() smelt.sleep(20) end)
  t.eq(i, 2)
  t.eq(p.stdout:read_until("\n"), "line\n")
end)

t.test("close while a read is parked: the read returns nil, message, \"closed\"", function()
  local p = sh("sleep 5")
  local reader = smelt.spawn(function() return { p.stdout:read(1) } end)
  smelt.sleep(50)
  p.stdout:close()
  local r = reader:wait()
  t.eq(r[1], nil)
  t.contains(r[2], "stream:read: sh (stdout): the stream is closed")
  t.eq(r[3], "closed")
  t.same({ p.stdout:read(1) }, { nil, "stream:read: sh (stdout): the stream is closed", "closed" })
  p:kill()
end)

t.test("two tasks reading one stream: the second raises", function()
  local p = sh("sleep 5")
  local first = smelt.spawn(function() return p.stdout:read(1) end)
  smelt.sleep(20)
  t.raises("stream:read: another task is reading this stream", p.stdout.read, p.stdout, 1)
  first:cancel()
  p:kill()
end)

t.test("bad arguments raise naming the argument", function()
  local p = sh("true")
  t.raises("bad argument #1 to 'stream:read' (byte count", p.stdout.read, p.stdout, -1)
  t.raises("bad argument #1 to 'stream:read' (byte count", p.stdout.read, p.stdout, 1.5)
  t.raises("bad argument #1 to 'stream:read' (byte count", p.stdout.read, p.stdout, "4")
  t.raises("bad argument #1 to 'stream:read_until' (non-empty delimiter", p.stdout.read_until, p.stdout, "")
  t.raises("bad argument #1 to 'stream:write' (string expected, got number)", p.stdin.write, p.stdin, 3)
  t.raises("bad argument #1 to 'process:write' (string expected, got nil)", p.write, p)
  t.raises("bad argument #1 to 'stream:read_chunk' (stream expected, got table)", p.stdout.read_chunk, {})
end)

t.test("outside a task the parking methods raise", function()
  local p = sh("printf x")
  local co = coroutine.wrap(function() return pcall(p.stdout.read, p.stdout, 1) end)
  local ok, err = co()
  t.eq(ok, false)
  t.contains(err, "stream:read: must be called from inside a task")
  t.eq(p.stdout:read(1), "x", "nothing was consumed")
end)

t.test("Content-Length framing from a real program: read_until the header, then read(n)", function()
  local bodies = { '{"id":1}', '{"text":"zwei \u{fc}ber\\r\\n\\r\\n"}', ("{}"):rep(5000) }
  local p = assert(process.spawn("python3", { here .. "/frames.py", bodies[1], bodies[2], bodies[3] }))
  local got = {}
  while true do
    local header = p.stdout:read_until("\r\n\r\n")
    if header == nil then break end
    local n = tonumber(header:match("^Content%-Length: (%d+)\r\n\r\n$"))
    t.truthy(n, "a header: " .. header)
    got[#got + 1] = p.stdout:read(n)
  end
  t.same(got, bodies)
  t.eq(p:wait(), 0)
end, { timeout = 30000 })

t.run()
