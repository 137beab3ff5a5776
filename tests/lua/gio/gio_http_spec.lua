-- gio_http_spec.lua: smelt.http.request against a local server, cancellation closing the connection
local t = require("testlib")
local fs, http = smelt.fs, smelt.http

local dir = t.tmpdir()
local log = dir .. "/server.log"

-- The server: Python's http.server on a free port of 127.0.0.1, which prints
-- the port, then serves until killed or its stdin closes. It logs "gone PATH" when a client goes
-- away before an answer is complete: what a cancelled request must cause.
local server_py = [[
import json, os, select, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[1]

def log(line):
    with open(LOG, "a") as f:
        f.write(line + "\n")

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def client_gone(self):
        readable, _, _ = select.select([self.connection], [], [], 0)
        return bool(readable) and self.connection.recv(1, 2) == b""   # 2: MSG_PEEK

    def answer(self, status, body, ctype="text/plain", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def echo(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).hex()
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.answer(200, json.dumps({"method": self.command, "body": body, "headers": headers}).encode(),
                    "application/json")

    def do_GET(self):
        if self.path == "/hello":
            self.answer(200, b"hello, world", extra=[("X-Twice", "a"), ("X-Twice", "b")])
        elif self.path == "/echo":
            self.echo()
        elif self.path == "/slow":
            # no answer for a minute, unless the client goes away
            for _ in range(3000):
                if self.client_gone():
                    log("gone /slow")
                    return
                time.sleep(0.02)
            self.answer(200, b"late")
        elif self.path.startswith("/chunked"):
            n = 5 if self.path == "/chunked" else 1000
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for i in range(n):
                    data = ("chunk %d;" % (i + 1)).encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    self.wfile.flush()
                    time.sleep(0.05)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                log("gone " + self.path)
        elif self.path == "/big":
            self.answer(200, b"x" * (3 * 1024 * 1024 + 7))
        elif self.path == "/500":
            self.answer(500, b"broken")
        else:
            self.answer(404, b"no such page")

    def do_POST(self):
        self.echo()

    do_PUT = do_POST
    do_DELETE = do_POST

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
if len(sys.argv) > 3:   # https, with a certificate nobody trusts
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[2], sys.argv[3])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
# gone with the spec, however it ends: its end of our stdin closes
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
server.serve_forever()
]]

local script = dir .. "/server.py"
assert(fs.write(script, server_py))
local server = smelt.process.spawn("python3", { script, log })
local port = assert(server:lines()(), "the server printed its port")
local base = "http://127.0.0.1:" .. port

-- Parks until the server logged line (a hang guard: the test's timeout).
local function wait_logged(line)
  while true do
    local text = fs.read(log) or ""
    if text:find(line .. "\n", 1, true) then
      return true
    end
    smelt.sleep(20)
  end
end

t.test("GET: status, lower-case headers (a repeated one joined) and the body", function()
  local r = assert(http.request({ url = base .. "/hello" }))
  t.eq(r.status, 200)
  t.eq(r.body, "hello, world")
  t.eq(r.headers["content-type"], "text/plain")
  t.eq(r.headers["content-length"], "12")
  t.eq(r.headers["x-twice"], "a, b")
end)

t.test("POST sends the body and the headers", function()
  local body = "a=1&b=\0binary\255"
  local r = assert(http.request({ method = "post", url = base .. "/echo", body = body,
                                  headers = { ["X-Plugin"] = "smelt", ["Content-Type"] = "text/x-test" } }))
  t.eq(r.status, 200)
  local echo = smelt.json.decode(r.body)
  t.eq(echo.method, "POST")
  t.eq(echo.body, (body:gsub(".", function(c) return ("%02x"):format(c:byte()) end)))
  t.eq(echo.headers["x-plugin"], "smelt")
  t.eq(echo.headers["content-type"], "text/x-test")
  t.eq(echo.headers["content-length"], tostring(#body))
end)

t.test("a 3 MB body arrives whole", function()
  local r = assert(http.request({ url = base .. "/big" }))
  t.eq(#r.body, 3 * 1024 * 1024 + 7)
end)

t.test("404 and 500 are answers, not errors", function()
  local r = assert(http.request({ url = base .. "/missing" }))
  t.eq(r.status, 404); t.eq(r.body, "no such page")
  r = assert(http.request({ url = base .. "/500" }))
  t.eq(r.status, 500); t.eq(r.body, "broken")
end)

t.test("on_chunk gets each chunk in order, and the body is not gathered", function()
  local chunks = {}
  local r = assert(http.request({ url = base .. "/chunked", on_chunk = function(c) chunks[#chunks + 1] = c end }))
  t.eq(r.status, 200)
  t.eq(r.body, nil)
  t.eq(table.concat(chunks), "chunk 1;chunk 2;chunk 3;chunk 4;chunk 5;")
  t.truthy(#chunks >= 2, "several chunks (" .. #chunks .. ")")
end)

t.test("on_chunk raising aborts the transfer and the error reaches the caller", function()
  local ok, err = pcall(http.request, { url = base .. "/chunked-long", on_chunk = function(c)
    if c:find("chunk 3;", 1, true) then error("enough of this") end
  end })
  t.eq(ok, false)
  t.contains(err, "enough of this")
  wait_logged("gone /chunked-long")
end, { timeout = 20000 })

t.test("a cancelled request closes its connection and the task resumes at once", function()
  -- /slow answers after a minute: the test's timeout guards "at once"
  local v, err = smelt.task.timeout(200, function() return http.request({ url = base .. "/slow" }) end)
  t.eq(v, nil); t.eq(err, "timeout")
  wait_logged("gone /slow")
end, { timeout = 20000 })

t.test("cancelling a task that streams closes the connection", function()
  local got = 0
  local task = smelt.spawn(function()
    return http.request({ url = base .. "/chunked-long", on_chunk = function() got = got + 1 end })
  end)
  while got < 2 do smelt.sleep(10) end
  os.remove(log)
  task:cancel()
  local ok, err = pcall(task.wait, task)
  t.eq(ok, false); t.truthy(smelt.task.is_cancelled(err), tostring(err))
  wait_logged("gone /chunked-long")
end, { timeout = 20000 })

t.test("opts.timeout ends a request with code timeout", function()
  local r, msg, code = http.request({ url = base .. "/slow", timeout = 150 })
  t.eq(r, nil)
  t.eq(code, "timeout")
  t.contains(msg, "smelt.http.request: GET " .. base .. "/slow: ")
end, { timeout = 20000 })

t.test("opts.timeout bounds a streamed transfer too, on_chunk parking or not; the connection closes", function()
  os.remove(log)
  local n = 0
  local r, msg, code = http.request({ url = base .. "/chunked-long", timeout = 300,
                                      on_chunk = function() n = n + 1; smelt.sleep(100) end })
  t.eq(r, nil); t.eq(code, "timeout")
  t.contains(msg, "smelt.http.request: GET " .. base .. "/chunked-long: no complete answer after 300 ms")
  t.truthy(n >= 1, "chunks came first")
  wait_logged("gone /chunked-long")
end, { timeout = 20000 })

t.test("errors: refused, bad-url, resolve, each naming the method and the URL", function()
  -- port 1 (tcpmux): nothing listens there
  local r, msg, code = http.request({ method = "PUT", url = "http://127.0.0.1:1/x" })
  t.eq(r, nil); t.eq(code, "refused")
  t.contains(msg, "smelt.http.request: PUT http://127.0.0.1:1/x: ")
  r, msg, code = http.request({ url = "ftp://example.org/" })
  t.eq(code, "bad-url"); t.contains(msg, "ftp://example.org/")
  t.eq(select(3, http.request({ url = "not a url" })), "bad-url")
  r, msg, code = http.request({ url = "http://smelt-test.invalid/" })   -- .invalid never resolves (RFC 6761)
  t.eq(code, "resolve"); t.contains(msg, "smelt-test.invalid")
end)

t.test("an https server whose certificate is not trusted: code tls", function()
  local cert, key = dir .. "/cert.pem", dir .. "/key.pem"
  local made = smelt.process.run("openssl", { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                              "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert })
  t.eq(made and made.code, 0, "openssl made a certificate")
  local tls = smelt.process.spawn("python3", { script, log, cert, key })
  local tls_port = assert(tls:lines()(), "the https server printed its port")
  local r, msg, code = http.request({ url = "https://127.0.0.1:" .. tls_port .. "/hello" })
  tls:kill()
  tls:wait()
  t.eq(r, nil); t.eq(code, "tls")
  t.contains(msg, "smelt.http.request: GET https://127.0.0.1:" .. tls_port .. "/hello: ")
end, { timeout = 20000 })

t.test("bad arguments raise naming the argument", function()
  t.raises("opts.url must be a string", http.request, {})
  t.raises("table expected, got nil", http.request)
  t.raises("opts.method must be an HTTP method name", http.request, { url = base, method = "GET /x" })
  t.raises("opts.headers must be a table", http.request, { url = base, headers = "x" })
  t.raises("opts.headers.X must be a string without line breaks", http.request, { url = base, headers = { X = "a\r\nB: c" } })
  t.raises("opts.body must be a string", http.request, { url = base, body = 3 })
  t.raises("opts.timeout must be a positive number of milliseconds", http.request, { url = base, timeout = -1 })
  t.raises("opts.on_chunk must be a function", http.request, { url = base, on_chunk = true })
  local ok, err = pcall(table.sort, { 2, 1 }, function(a, b) http.request({ url = base }); return a < b end)
  t.contains(err, "smelt.http.request: must be called from inside a task")
end)

t.test("cleanup", function()
  server:kill()
  server:wait()
  smelt.process.run("rm", { "-rf", dir })
end)

t.run()
