-- lsp_client_spec.lua: smelt.lsp against a fake server that tells what it saw (tests/lua/lsp/fake_server.py)
local t = dofile(os.getenv("SMELT_TESTLIB"))
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")
local server = here .. "/fake_server.py"
local lsp = smelt.lsp

local function config(name, encoding)
  lsp.config(name, { cmd = { "env", "FAKE_ENCODING=" .. encoding, "python3", server },
                     filetypes = { "c" }, root_markers = { ".fake-root" } })
  lsp.enable(name)
end
config("fake8", "utf-8")

-- a buffer of a new C file in a project of its own, and its client, running
local function open(text, name, server)
  local dir = t.tmpdir()
  t.write(dir, ".fake-root", "")
  name = name or "a.c"
  if name:find("/") then assert(smelt.fs.mkdir(dir .. "/" .. name:match("^(.*)/"))) end
  local path = t.write(dir, name, text)
  local buf = smelt.buf.open(path)
  local c
  for _ = 1, 500 do
    c = lsp.get_clients({ buf = buf, name = server or "fake8" })[1]
    if c and c.state == "running" and c.buffers[buf].lines then break end
    smelt.sleep(10)
  end
  t.truthy(c and c.state == "running", "a running client for the buffer")
  return buf, c, dir
end

-- park until the client has sent every edit of buf
local function synced(c, buf)
  for _ = 1, 500 do
    if c.buffers[buf].tick == buf:changedtick() then return end
    smelt.sleep(5)
  end
  error("the client never caught up with the buffer")
end

local function server_text(c, buf)
  synced(c, buf)
  return c:request("fake/text", { uri = lsp._protocol.uri(buf:path()) })
end

t.test("config checks its options and enable its name", function()
  t.raises("unknown option 'cmdd'", lsp.config, "x", { cmdd = {} })
  t.raises("cmd must be a table", lsp.config, "x", { cmd = "clangd" })
  t.raises("cmd[2] must be a string", lsp.config, "x", { cmd = { "a", 3 } })
  t.raises("no server 'nope'", lsp.enable, "nope")
  t.truthy(lsp.get_config("clangd").cmd, "clangd is bundled")
  t.truthy(lsp.get_config("pylsp").cmd, "pylsp is bundled")
end)

t.test("the project root is the folder with a marker", function()
  local buf, c, dir = open("int x;\n", "src/deep/a.c")
  t.eq(c.root, dir)
  t.eq(c.encoding, "utf-8")
  buf:close({ force = true })
end)

local function random_edits(buf, c, n)
  local seed = tonumber(os.getenv("SMELT_SEED") or "") or 1234
  math.randomseed(seed)
  local pieces = { "a", "é", "😀", "\n", "xy\n", "", "\n\n", "ERROR " }
  for i = 1, n do
    local lines = buf:lines()
    local l1 = math.random(#lines)
    local l2 = math.random(l1, math.min(#lines, l1 + 2))
    local function col(l)
      local s, cols = lines[l], { 1 }
      for p in utf8.codes(s) do cols[#cols + 1] = p end
      cols[#cols + 1] = #s + 1
      return cols[math.random(#cols)]
    end
    local c1, c2 = col(l1), col(l2)
    if l1 == l2 and c2 < c1 then c1, c2 = c2, c1 end
    buf:set_text(l1, c1, l2, c2, pieces[math.random(#pieces)] .. pieces[math.random(#pieces)])
    if i % 17 == 0 then smelt.sleep(0) end
  end
  t.eq(server_text(c, buf), buf:text(), ("the server's copy after %d edits (seed %d)"):format(n, seed))
end

t.test("incremental changes add up to the text, in UTF-8 columns", function()
  local buf, c = open("é😀 one\ntwo\nthree")
  t.eq(server_text(c, buf), buf:text(), "didOpen")
  random_edits(buf, c, 400)
  buf:close({ force = true })
end, { timeout = 30000 })

t.test("incremental changes add up to the text, in UTF-16 columns", function()
  config("fake16", "utf-16")
  local buf, c = open("é😀 one\ntwo\nthree", nil, "fake16")
  t.eq(c.encoding, "utf-16")
  random_edits(buf, c, 400)
  lsp.enable("fake16", false)
  buf:close({ force = true })
end, { timeout = 30000 })

t.test("diagnostics land on their text", function()
  local buf, c = open("int é = 1;\nint x = ERROR;\n")
  local d
  for _ = 1, 200 do
    d = smelt.diagnostic.get(buf)[1]
    if d then break end
    smelt.sleep(10)
  end
  t.truthy(d, "a diagnostic")
  t.eq(d.line, 2)
  t.eq(buf:get_text(d.line, d.col, d.end_line, d.end_col), "ERROR")
  t.eq(d.severity, "error")
  t.eq(d.source, "fake")
  -- fixing the line clears it
  buf:set_text(2, 9, 2, 14, "2")
  synced(c, buf)
  for _ = 1, 200 do
    if #smelt.diagnostic.get(buf) == 0 then break end
    smelt.sleep(10)
  end
  t.eq(#smelt.diagnostic.get(buf), 0, "cleared once fixed")
  buf:close({ force = true })
end)

t.test("a cancelled request sends $/cancelRequest", function()
  local buf, c = open("x\n")
  local next_id = c.rpc.next_id
  local r, why = smelt.task.timeout(200, function() return c:request("fake/slow", {}) end)
  t.eq(r, nil)
  t.eq(why, "timeout")
  local cancelled = c:request("fake/cancelled", {})
  t.same(cancelled, { next_id })
  buf:close({ force = true })
end)

t.test("hover, definition, rename and format", function()
  local buf, c = open("int count = 1;  \nint main(void) { return count; }\n")
  t.eq(lsp.buf.hover({ buf = buf, line = 2, col = 26 }), "`count`: a word")
  local locs = lsp.buf.definition({ buf = buf, line = 2, col = 26, jump = false })
  t.eq(#locs, 1)
  t.eq(locs[1].path, buf:path())
  t.eq(locs[1].line, 1)
  t.eq(locs[1].col, 5)
  t.truthy(lsp.buf.rename("total", { buf = buf, line = 1, col = 6 }))
  t.eq(buf:text(), "int total = 1;  \nint main(void) { return total; }\n")
  t.truthy(buf:undo(), "one undo step")
  t.eq(buf:text(), "int count = 1;  \nint main(void) { return count; }\n", "the rename undone at once")
  synced(c, buf)
  t.truthy(lsp.buf.format({ buf = buf }))
  t.eq(buf:text(), "int count = 1;\nint main(void) { return count; }\n")
  local items = lsp.buf.completion({ buf = buf, line = 2, col = 1 })
  t.eq(items[1].label, "alpha")
  t.eq(items[1].kind, "function")
  t.eq(items[1].detail, "fn alpha()")
  t.eq(items[2].kind, "variable")
  buf:close({ force = true })
end)

t.test("smelt.completion.resolve on an lsp item gets the server's documentation", function()
  local buf, c = open("int count;\n\n")
  local items = {}
  for _, item in ipairs(smelt.completion.request(buf, 2, 1)) do
    if item.provider == "lsp" then items[#items + 1] = item end
  end
  t.eq(items[1].label, "alpha")
  t.eq(items[1].documentation, nil, "none before resolving")
  local alpha = smelt.completion.resolve(items[1])
  t.eq(alpha.documentation, "`alpha`: resolved by the server")
  t.eq(alpha.detail, "fn alpha()", "its own detail kept")
  local beta = smelt.completion.resolve(items[2])
  t.eq(beta.documentation, "`beta`: resolved by the server")
  t.eq(beta.detail, "resolved beta", "the server's detail")
  t.contains(table.concat(c:request("fake/log", {}), ","), "completionItem/resolve")
  buf:close({ force = true })
end)

t.test("progress is a task while the work goes on", function()
  local buf, c = open("x\n")
  c:request("fake/progress", {})
  local found
  for _ = 1, 200 do
    for _, task in ipairs(smelt.task.list()) do
      if task.name == "fake8: indexing 3/4 files 75%" then found = task end
    end
    if found then break end
    smelt.sleep(10)
  end
  t.truthy(found, "a task named after the progress")
  c:request("fake/progress_end", {})
  local gone
  for _ = 1, 200 do
    gone = true
    for _, task in ipairs(smelt.task.list()) do
      if task.name:find("indexing", 1, true) then gone = false end
    end
    if gone then break end
    smelt.sleep(10)
  end
  t.truthy(gone, "the task ends with the work")
  buf:close({ force = true })
end)

t.test("a server that crashes is started again, with the buffer, and the user told", function()
  local buf, c = open("int a;\n")
  local old = c.proc
  local _, err = c:request("fake/crash", {})
  t.truthy(err, "the request fails")
  for _ = 1, 400 do
    if c.state == "running" and c.proc ~= old then break end
    smelt.sleep(10)
  end
  t.eq(c.state, "running", "running again")
  t.eq(server_text(c, buf), buf:text(), "the buffer opened again")
  local told
  for _, m in ipairs(smelt.messages()) do
    if m.message:find("fake8 exited (status 3: fake: crashing as asked)", 1, true) then told = m end
  end
  t.truthy(told, "the user is told, with the server's last words")
  buf:close({ force = true })
end, { timeout = 20000 })

t.test("a served buffer gets the keys F12, Shift+F12, F2, Ctrl+.", function()
  local buf = open("int k;\n")
  local keys = {}
  for _, m in ipairs(smelt.keymap.list({ buf = buf })) do
    if m.buf then keys[#keys + 1] = m.keys end
  end
  table.sort(keys)
  t.same(keys, { "<C-.>", "<F12>", "<F2>", "<S-F12>" })
  buf:close({ force = true })
end)

t.test("closing a buffer sends didClose", function()
  local buf, c = open("int a;\n")
  local uri = lsp._protocol.uri(buf:path())
  buf:close({ force = true })
  for _ = 1, 100 do
    if not c.buffers[buf] then break end
    smelt.sleep(5)
  end
  t.eq(c:request("fake/text", { uri = uri }), nil, "the server forgot it")
end)

t.test("rename changes every buffer of the project, one undo step each", function()
  local a, c, dir = open("int shared = 1;\n")
  local b = smelt.buf.open(t.write(dir, "b.c", "extern int shared;\nint f(void) { return shared; }\n"))
  for _ = 1, 200 do
    if c.buffers[b] and c.buffers[b].lines then break end
    smelt.sleep(10)
  end
  t.truthy(lsp.buf.rename("common", { buf = a, line = 1, col = 6 }))
  t.eq(a:text(), "int common = 1;\n")
  t.eq(b:text(), "extern int common;\nint f(void) { return common; }\n")
  t.truthy(b:undo())
  t.eq(b:text(), "extern int shared;\nint f(void) { return shared; }\n", "b's two edits: one step")
  t.eq(a:text(), "int common = 1;\n", "a is a's own")
  a:close({ force = true })
  b:close({ force = true })
end)

t.test("a code action fixes a diagnostic", function()
  local buf, c = open("int x = ERROR;\n")
  for _ = 1, 200 do
    if #smelt.diagnostic.get(buf) > 0 then break end
    smelt.sleep(10)
  end
  local actions = lsp.buf.code_actions({ buf = buf, line = 1, col = 10 })
  t.eq(#actions, 1, "the diagnostic went with the request")
  t.eq(actions[1].title, "replace ERROR by 0")
  lsp.buf.apply_code_action(c, actions[1])
  t.eq(buf:text(), "int x = 0;\n")
  buf:close({ force = true })
end)

t.test("format on save formats before the file is written", function()
  lsp.config("fakefmt", { cmd = { "env", "FAKE_ENCODING=utf-8", "python3", server }, filetypes = { "c" },
                          root_markers = { ".fake-root" }, format_on_save = true })
  lsp.enable("fakefmt")
  local buf, _, dir = open("int a;   \nint b; \n", nil, "fakefmt")
  t.truthy(buf:save())
  t.eq(t.read(dir .. "/a.c"), "int a;\nint b;\n")
  lsp.enable("fakefmt", false)
  buf:close({ force = true })
end)

t.test("quitting shuts the servers down: shutdown, then exit", function()
  local dir = t.tmpdir()
  local log = dir .. "/log"
  local script = t.write(dir, "quit.lua", ([[
    smelt.lsp.config("fakeq", { cmd = { "env", "FAKE_LOG=%s", "python3", "%s" }, filetypes = { "c" } })
    smelt.lsp.enable("fakeq")
    local buf = smelt.buf.open("%s")
    local c
    repeat smelt.sleep(10); c = smelt.lsp.get_clients({ buf = buf })[1] until c and c.state == "running"
    smelt.quit(0)
  ]]):format(log, server, t.write(dir, "q.c", "int q;\n")))
  local r = smelt.process.run(assert(os.getenv("SMELT_EXE")), { "--no-ui", script })
  t.eq(r.code, 0, r.stderr)
  local seen = t.read(log)
  t.truthy(seen:find("initialize\ninitialized\n.*textDocument/didOpen\n.*shutdown\nexit\n$"), seen)
end)

t.test("Health has the lsp section: servers configured, clients", function()
  local r = smelt.process.run(assert(os.getenv("SMELT_EXE")), { "--no-ui", "--health" })
  t.eq(r.code, 0, r.stderr)
  t.contains(r.stdout, "\nlsp:\n  clangd: not enabled, cmd: clangd --background-index=false")
  t.contains(r.stdout, "\n  no client running")
  local buf, c = open("int h;\n")
  local lines = table.concat(lsp._info_lines(), "\n")
  t.contains(lines, "fake8: enabled")
  t.contains(lines, ("client %d: fake8 (%s), running, utf-8 encoding, 1 buffer"):format(c.id, c.root))
  buf:close({ force = true })
end)

t.run()
