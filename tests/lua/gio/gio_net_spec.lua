-- gio_net_spec.lua: smelt.net.connect against loopback echo servers (TCP, Unix, TLS)
-- SPDX-License-Identifier: GPL-3.0-or-later
-- The servers are tests/lua/gio/echo_server.py (python3), started and
-- stopped by each case; TLS uses a self-signed certificate made by the
-- openssl command for the case.
local t = require("testlib")
local net, process, task = smelt.net, smelt.process, smelt.task

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")

-- Starts echo_server.py with args; returns the server process and its port.
local function start_server(...)
  local p = assert(process.spawn("python3", { here .. "/echo_server.py", ... }, { stderr = "inherit" }))
  local line = p.stdout:read_until("\n")
  local port = line and tonumber(line:match("^ready (%d+)"))
  assert(port, "the echo server did not start: " .. tostring(line))
  return p, port
end

local function stop_server(p)
  p:close_stdin()
  t.eq(p:wait(), 0, "the echo server exited by itself")
end

-- a round trip: what goes out comes back
local function echo(s, text)
  t.eq(s:write(text), true)
  return s:read(#text)
end

t.test("TCP: a duplex stream; write, read back; close", function()
  local server, port = start_server("tcp")
  local s, msg = net.connect({ host = "127.0.0.1", port = port })
  t.truthy(s, msg)
  t.eq(echo(s, "hello\n"), "hello\n")
  t.eq(s:write("two\nlines\n"), true)
  local lines = s:lines()
  t.eq(lines(), "two"); t.eq(lines(), "lines")
  s:close()
  t.truthy(s:is_closed())
  t.same({ s:read(1) }, { nil, ("stream:read: 127.0.0.1:%d: the stream is closed"):format(port), "closed" })
  stop_server(server)
end)

t.test("TCP: 2 MB each way at once, bytes-exact", function()
  local server, port = start_server("tcp")
  local s = assert(net.connect({ host = "127.0.0.1", port = port }))
  local data = {}
  for i = 1, 2048 do data[i] = string.pack("<I4", i):rep(256) end
  data = table.concat(data)
  local r = task.all(function() return s:write(data) end, function() return s:read(#data) end)
  t.eq(r[1], true)
  t.truthy(r[2] == data, "the bytes that came back are the bytes sent")
  s:close()
  stop_server(server)
end, { timeout = 30000 })

t.test("end of file when the server goes away: read_chunk gives nil", function()
  local server, port = start_server("tcp")
  local s = assert(net.connect({ host = "127.0.0.1", port = port }))
  t.eq(echo(s, "x"), "x")
  stop_server(server)
  t.eq(s:read_chunk(), nil)
  t.eq(s:read_until("\n"), nil)
end)

t.test("a Unix socket: { path = ... }", function()
  local path = t.tmpdir() .. "/echo.sock"
  local server = start_server("unix", path)
  local s, msg = net.connect({ path = path })
  t.truthy(s, msg)
  t.eq(echo(s, "over unix\0bytes"), "over unix\0bytes")
  s:close()
  stop_server(server)
end)

t.test("a parked socket read cancelled by a timeout loses nothing", function()
  local server, port = start_server("tcp")
  local s = assert(net.connect({ host = "127.0.0.1", port = port }))
  local v, why = task.timeout(50, function() return s:read(1) end)
  t.eq(v, nil); t.eq(why, "timeout")
  t.eq(echo(s, "after"), "after")
  s:close()
  stop_server(server)
end)

t.test("nobody listening: nil, message naming host:port, \"refused\"", function()
  local server, port = start_server("tcp")
  stop_server(server)
  local s, msg, code = net.connect({ host = "127.0.0.1", port = port })
  t.eq(s, nil)
  t.contains(msg, ("smelt.net.connect: 127.0.0.1:%d: "):format(port))
  t.eq(code, "refused")
end)

t.test("no such socket file: nil, message naming the path, \"not-found\"", function()
  local path = t.tmpdir() .. "/none.sock"
  local s, msg, code = net.connect({ path = path })
  t.eq(s, nil)
  t.contains(msg, "smelt.net.connect: " .. path .. ": ")
  t.eq(code, "not-found")
end)

-- A self-signed certificate for 127.0.0.1 and localhost, made for the case.
local function make_certificate(dir)
  local r, msg = process.run("openssl", { "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout", dir .. "/key.pem", "-out", dir .. "/cert.pem" })
  assert(r and r.code == 0, "openssl req: " .. tostring(msg or (r and r.stderr)))
  return dir .. "/cert.pem", dir .. "/key.pem"
end

t.test("TLS with ca_file: the handshake checks the certificate; then an echo", function()
  local dir = t.tmpdir()
  local cert, key = make_certificate(dir)
  local server, port = start_server("tls", cert, key)
  local s, msg, code = net.connect({ host = "127.0.0.1", port = port, tls = true, ca_file = cert })
  t.truthy(s, ("%s (%s)"):format(msg, code))
  t.eq(echo(s, "secret\n"), "secret\n")
  t.eq(echo(s, ("z"):rep(100000)), ("z"):rep(100000))
  s:close()
  stop_server(server)
end, { timeout = 30000 })

t.test("TLS without ca_file: a self-signed certificate is refused, code \"tls\"", function()
  local dir = t.tmpdir()
  local cert, key = make_certificate(dir)
  local server, port = start_server("tls", cert, key)
  local s, msg, code = net.connect({ host = "127.0.0.1", port = port, tls = true })
  t.eq(s, nil)
  t.contains(msg, ("smelt.net.connect: 127.0.0.1:%d: "):format(port))
  t.eq(code, "tls")
  local _, msg2, code2 = net.connect({ host = "127.0.0.1", port = port, tls = true, ca_file = dir .. "/none.pem" })
  t.contains(msg2, ("smelt.net.connect: 127.0.0.1:%d: "):format(port))
  t.eq(code2, "tls")
  stop_server(server)
end, { timeout = 30000 })

t.test("bad arguments raise naming the argument", function()
  t.raises("bad argument #1 to 'smelt.net.connect' (table expected, got string)", net.connect, "127.0.0.1:80")
  t.raises("bad argument #1 to 'smelt.net.connect' (opts.host", net.connect, { port = 80 })
  t.raises("bad argument #1 to 'smelt.net.connect' (opts.port", net.connect, { host = "h" })
  t.raises("bad argument #1 to 'smelt.net.connect' (opts.port", net.connect, { host = "h", port = 70000 })
  t.raises("bad argument #1 to 'smelt.net.connect' (opts.path and opts.host", net.connect, { path = "/p", host = "h" })
  t.raises("bad argument #1 to 'smelt.net.connect' (opts.ca_file", net.connect, { host = "h", port = 1, ca_file = "/c" })
end)

t.test("outside a task connect raises", function()
  local ok, err = coroutine.wrap(function() return pcall(net.connect, { path = "/nonexistent" }) end)()
  t.eq(ok, false)
  t.contains(err, "smelt.net.connect: must be called from inside a task")
end)

t.run()
