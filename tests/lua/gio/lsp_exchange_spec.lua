-- lsp_exchange_spec.lua: a Language Server Protocol exchange with real clangd, in smelt Lua alone
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Only smelt.process streams and smelt.json. clangd is a test dependency
-- (tests/install-deps.sh): missing, the case fails.
local t = require("testlib")
local json, task = smelt.json, smelt.task

t.test("clangd: initialize, didOpen, the error's diagnostic, hover, shutdown, exit", function()
  local dir = t.tmpdir()
  local line1 = "int main(void) { return add(1, 2) + missing; }"
  local src = "int add(int a, int b) { return a + b; }\n" .. line1 .. "\n"
  local uri = "file://" .. t.write(dir, "main.c", src)
  local p, err = smelt.process.spawn("/usr/bin/clangd", { "--log=error" }, { cwd = dir })
  assert(p, "clangd (tests/install-deps.sh installs it): " .. tostring(err))
  local last_id = 0
  local function send(msg)
    msg.jsonrpc = "2.0"
    local body = json.encode(msg)
    assert(p.stdin:write(("Content-Length: %d\r\n\r\n%s"):format(#body, body)))
  end
  local function request(method, params)
    last_id = last_id + 1
    send({ id = last_id, method = method, params = params })
    return last_id
  end
  local function receive(wanted)   -- skips the messages it does not want
    while true do
      local header = assert(p.stdout:read_until("\r\n\r\n"), "clangd closed its stdout")
      local msg = json.decode(p.stdout:read(tonumber(header:match("Content%-Length: (%d+)"))))
      if wanted(msg) then return msg end
    end
  end
  local function reply(id) return receive(function(m) return m.id == id and m.method == nil end) end

  local done, why = task.timeout(20000, function()   -- the hang guard: a silent clangd fails the case
    local init = reply(request("initialize", { processId = json.null, rootUri = "file://" .. dir,
                                               capabilities = json.empty_object }))
    t.truthy(init.result.capabilities.hoverProvider, "clangd offers hover")
    send({ method = "initialized", params = json.empty_object })
    send({ method = "textDocument/didOpen",
           params = { textDocument = { uri = uri, languageId = "c", version = 1, text = src } } })
    local diags = receive(function(m) return m.method == "textDocument/publishDiagnostics" end).params
    t.eq(diags.uri, uri); t.eq(#diags.diagnostics, 1)
    t.contains(diags.diagnostics[1].message, "undeclared identifier 'missing'")
    local col = line1:find("missing", 1, true) - 1
    t.same(diags.diagnostics[1].range, { start = { line = 1, character = col }, ["end"] = { line = 1, character = col + 7 } })
    local hover = reply(request("textDocument/hover", { textDocument = { uri = uri },
                                                        position = { line = 1, character = line1:find("add") } }))
    t.contains(hover.result.contents.value, "int add(int a, int b)")
    t.eq(reply(request("shutdown", json.null)).result, json.null)
    send({ method = "exit" })
    t.eq(p:wait(), 0)
    return true
  end)
  if not done then p:kill(9) end
  t.eq(why, nil, "clangd answered each message in time")
end, { timeout = 30000 })

t.run()
