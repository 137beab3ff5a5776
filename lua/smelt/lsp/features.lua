-- smelt/lsp/features.lua: hover, completion, definitions, references, formatting, rename, code actions
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Each is a function of smelt.lsp.buf that parks its task on the request
-- (so cancelling the task, a timeout or a race sends $/cancelRequest), and
-- a command. Hover and completion are also providers of smelt.hover and
-- smelt.completion, so the window's popovers show them.

local smelt, _, parts = ...
local protocol, edit = parts.protocol, parts.edit
local lsp = smelt.lsp
local json = smelt.json

local B = {}
lsp.buf = B

-- the first client of buf that offers capability, or nil and why
local function client_with(buf, capability, fname)
  for _, c in ipairs(lsp.get_clients({ buf = buf })) do
    if c:wait_ready() and c:supports(capability) then return c end
  end
  return nil, ("%s: no language server of %s offers %s"):format(fname, buf:name(), capability)
end

local function where(opts, fname)
  opts = opts or {}
  if type(opts) ~= "table" then
    error(("bad argument #1 to '%s' (table expected, got %s)"):format(fname, type(opts)), 3)
  end
  local buf = opts.buf or smelt.buf.current()
  local line, col = opts.line, opts.col
  if not line then line, col = buf:cursor() end
  return buf, line, col or 1, opts
end

local function text_position(c, buf, line, col)
  c:sync(buf)
  return { textDocument = { uri = protocol.uri(buf:path()) },
           position = protocol.position(c:lines(buf), line, col, c.encoding) }
end

-- Hover ------------------------------------------------------------------

local function markdown_of(contents)
  if type(contents) == "string" then return contents end
  if contents.kind then return contents.value end   -- MarkupContent
  if contents.language then                            -- MarkedString
    return ("```%s\n%s\n```"):format(contents.language, contents.value)
  end
  local out = {}
  for i, part in ipairs(contents) do out[i] = markdown_of(part) end
  return table.concat(out, "\n\n")
end

--- The server's hover text at a position (Markdown), or nil.
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer }
---@return string|nil
function B.hover(opts)
  local buf, line, col = where(opts, "smelt.lsp.buf.hover")
  local c = client_with(buf, "hoverProvider", "smelt.lsp.buf.hover")
  if not c then return nil end
  local result = c:request("textDocument/hover", text_position(c, buf, line, col))
  if type(result) ~= "table" or result.contents == nil then return nil end
  local text = markdown_of(result.contents)
  if text == "" then return nil end
  return text
end

-- Completion -------------------------------------------------------------

local function doc_text(doc)
  if doc == nil or doc == json.null then return nil end
  if type(doc) == "string" then return doc end
  return doc.value
end

-- clangd decorates each label: a space before it, or a bullet when taking
-- it would add an #include (--header-insertion-decorators); the popup shows
-- and filters on the name as it is written
local function bare_label(label)
  return (label:gsub("^\u{2022}", ""):gsub("^%s+", ""):gsub("%s+$", ""))
end

local function completion_item(c, buf, item, at)
  local out = {
    label = bare_label(item.label),
    detail = type(item.detail) == "string" and item.detail or nil,
    kind = protocol.completion_kind[item.kind],
    documentation = doc_text(item.documentation),
    insert_text = item.insertText ~= json.null and item.insertText or bare_label(item.label),
  }
  local te = item.textEdit
  if type(te) == "table" then
    local range = te.range or te.replace
    local lines = c:lines(buf)
    local l1, c1 = protocol.to_smelt(lines, range.start, c.encoding)
    local l2, c2 = protocol.to_smelt(lines, range["end"], c.encoding)
    out.insert_text = te.newText
    -- an edit of just the word typed so far goes in for the word: the popup
    -- refilters as typing goes on without asking again, and a range fixed
    -- at the ask would leave the letters typed since behind it
    if not (l1 == at.line and l2 == at.line and c1 == at.word_col and c2 == at.col) then
      out.edit = { first_line = l1, first_col = c1, last_line = l2, last_col = c2, text = te.newText }
    end
  end
  if out.documentation == nil and c.capabilities.completionProvider
      and c.capabilities.completionProvider.resolveProvider then
    -- resolved when shown: the documentation of one item is one request
    out.resolve = function()
      local r = c:request("completionItem/resolve", item)
      if type(r) == "table" then
        out.documentation = doc_text(r.documentation)
        if type(r.detail) == "string" then out.detail = r.detail end
      end
      return out
    end
  end
  return out
end

--- The server's completion items at a position, in smelt.completion's
--- form ({ label, detail, kind, documentation, insert_text, edit }).
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, trigger?: string }
---@return table[]
function B.completion(opts)
  local buf, line, col
  buf, line, col, opts = where(opts, "smelt.lsp.buf.completion")
  local c = client_with(buf, "completionProvider", "smelt.lsp.buf.completion")
  if not c then return {} end
  local params = text_position(c, buf, line, col)
  params.context = opts.trigger and { triggerKind = 2, triggerCharacter = opts.trigger } or { triggerKind = 1 }
  local result, err = c:request("textDocument/completion", params)
  if err then error(("smelt.lsp.buf.completion: %s: %s"):format(c.name, err.message), 2) end
  if type(result) ~= "table" then return {} end
  local list = result.items or result
  local items = {}
  local before = (buf:lines(line, line)[1] or ""):sub(1, col - 1)
  local at = { line = line, col = col, word_col = col - #before:match("[%w_\128-\255]*$") }
  for i, item in ipairs(list) do items[i] = completion_item(c, buf, item, at) end
  -- the server gave part of the list: the window asks again as the word grows
  items.incomplete = result.isIncomplete == true or nil
  return items
end

-- Locations --------------------------------------------------------------

local function file_lines(path)
  local buf = lsp._buffer_at(path)
  if buf then return buf:lines() end
  local text = smelt.fs.read(path)
  local lines = {}
  if not text then return lines end
  for l in (text .. "\n"):gmatch("(.-)\r?\n") do lines[#lines + 1] = l end
  return lines
end

local function locations_of(c, result)
  if type(result) ~= "table" then return {} end
  if result.uri or result.targetUri then result = { result } end
  local out = {}
  for _, loc in ipairs(result) do
    local uri = loc.uri or loc.targetUri
    local range = loc.targetSelectionRange or loc.range or loc.targetRange
    local path = protocol.path(uri)
    if path and range then
      local lines = file_lines(path)
      local l1, c1 = protocol.to_smelt(lines, range.start, c.encoding)
      local l2, c2 = protocol.to_smelt(lines, range["end"], c.encoding)
      out[#out + 1] = { path = path, line = l1, col = c1, end_line = l2, end_col = c2,
                        text = (lines[l1] or ""):gsub("^%s+", "") }
    end
  end
  return out
end

--- Open a location and put the cursor there.
---@param loc { path: string, line: integer, col: integer }
---@return smelt.Buffer
function lsp.jump(loc)
  local buf = smelt.buf.open(loc.path)
  if smelt.buf.set_current then smelt.buf.set_current(buf) end
  buf:set_cursor(loc.line, loc.col)
  return buf
end

local function describe(loc)
  return ("%s:%d:%d: %s"):format(loc.path, loc.line, loc.col, loc.text)
end

-- jump to the one location, or let the user pick among several
local function go(locs, title)
  if #locs == 1 then
    lsp.jump(locs[1])
  elseif #locs > 1 and smelt.ui and smelt.ui.select then
    local ok, choice = pcall(smelt.ui.select, locs, { prompt = title, format = describe })
    if ok and choice then lsp.jump(choice) end
  end
  return locs
end

local function locate(method, capability, fname, opts, extra)
  local buf, line, col
  buf, line, col, opts = where(opts, fname)
  local c, why = client_with(buf, capability, fname)
  if not c then return nil, why end
  local params = text_position(c, buf, line, col)
  for k, v in pairs(extra or {}) do params[k] = v end
  local result, err = c:request(method, params)
  if err then return nil, ("%s: %s"):format(fname, err.message) end
  local locs = locations_of(c, result)
  if opts.jump == false then return locs end
  return go(locs, fname)
end

--- Where the symbol at a position is defined: jumps there (or lets the
--- user pick among several) and returns the locations; { jump = false }
--- only returns them.
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, jump?: boolean }
function B.definition(opts)
  return locate("textDocument/definition", "definitionProvider", "smelt.lsp.buf.definition", opts)
end

---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, jump?: boolean }
function B.declaration(opts)
  return locate("textDocument/declaration", "declarationProvider", "smelt.lsp.buf.declaration", opts)
end

--- The references to the symbol at a position, in the picker.
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, jump?: boolean, include_declaration?: boolean }
function B.references(opts)
  local incl = opts and opts.include_declaration
  return locate("textDocument/references", "referencesProvider", "smelt.lsp.buf.references", opts,
                { context = { includeDeclaration = incl ~= false } })
end

-- Formatting -------------------------------------------------------------

--- Format a buffer through its server, as one undo step. Returns true, or
--- nil and why.
---@param opts? { buf?: smelt.Buffer, timeout?: integer }
function B.format(opts)
  local buf
  buf, _, _, opts = where(opts, "smelt.lsp.buf.format")
  local c, why = client_with(buf, "documentFormattingProvider", "smelt.lsp.buf.format")
  if not c then return nil, why end
  c:sync(buf)
  local indent = buf:indent() or {}
  local params = { textDocument = { uri = protocol.uri(buf:path()) },
                   options = { tabSize = indent.size or indent.tab_width or 4,
                               insertSpaces = indent.style ~= "tab" } }
  local tick = buf:changedtick()
  local result, err
  local done = smelt.task.timeout(opts.timeout or 2000, function()
    result, err = c:request("textDocument/formatting", params)
    return true
  end)
  if not done then return nil, "smelt.lsp.buf.format: " .. c.name .. " took too long" end
  if err then return nil, "smelt.lsp.buf.format: " .. err.message end
  if buf:changedtick() ~= tick then
    return nil, "smelt.lsp.buf.format: the buffer changed while it was formatted"
  end
  edit.apply_text_edits(buf, type(result) == "table" and result or {}, c.encoding)
  return true
end

smelt.on("buf-write-pre", function(ev)
  for _, c in ipairs(lsp.get_clients({ buf = ev.buf })) do
    if c.config.format_on_save and c.state == "running" then
      local ok, why = B.format({ buf = ev.buf, timeout = c.config.format_timeout or 1000 })
      if not ok then smelt.notify(why, "warn") end
      return
    end
  end
end)

-- Rename -----------------------------------------------------------------

--- Rename the symbol at a position across the project, each buffer's
--- edits one undo step. Returns true, or nil and why.
---@param new_name string
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer }
function B.rename(new_name, opts)
  if type(new_name) ~= "string" or new_name == "" then
    error(("bad argument #1 to 'smelt.lsp.buf.rename' (a new name expected, got %s)"):format(type(new_name)), 2)
  end
  local buf, line, col = where(opts, "smelt.lsp.buf.rename")
  local c, why = client_with(buf, "renameProvider", "smelt.lsp.buf.rename")
  if not c then return nil, why end
  local params = text_position(c, buf, line, col)
  params.newName = new_name
  local result, err = c:request("textDocument/rename", params)
  if err then return nil, "smelt.lsp.buf.rename: " .. err.message end
  if type(result) ~= "table" then return nil, "smelt.lsp.buf.rename: nothing to rename there" end
  local ok, reason = edit.apply_workspace_edit(result, c.encoding)
  if not ok then return nil, "smelt.lsp.buf.rename: " .. reason end
  return true
end

-- Code actions -----------------------------------------------------------

--- The code actions at a position (or the selection); with { apply = true }
--- the user picks one and it is applied.
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, apply?: boolean }
---@return table[]|nil actions
function B.code_actions(opts)
  local buf, line, col
  buf, line, col, opts = where(opts, "smelt.lsp.buf.code_actions")
  local c, why = client_with(buf, "codeActionProvider", "smelt.lsp.buf.code_actions")
  if not c then return nil, why end
  local lines = c:lines(buf)
  local pos = protocol.position(lines, line, col, c.encoding)
  local diags = {}
  for _, d in ipairs(smelt.diagnostic.get(buf, { ns = lsp.namespace(c.name) })) do
    if d.line <= line and (d.end_line or d.line) >= line then
      diags[#diags + 1] = {
        range = { start = protocol.position(lines, d.line, d.col or 1, c.encoding),
                  ["end"] = protocol.position(lines, d.end_line or d.line, d.end_col or d.col or 1, c.encoding) },
        message = d.message, severity = protocol.severity_of[d.severity] }
    end
  end
  local result, err = c:request("textDocument/codeAction", {
    textDocument = { uri = protocol.uri(buf:path()) }, range = { start = pos, ["end"] = pos },
    context = { diagnostics = setmetatable(diags, { __jsontype = "array" }) } })
  if err then return nil, "smelt.lsp.buf.code_actions: " .. err.message end
  local actions = type(result) == "table" and result or {}
  if opts.apply and #actions > 0 and smelt.ui and smelt.ui.select then
    local ok, choice = pcall(smelt.ui.select, actions, { prompt = "Code actions",
                                                       format = function(a) return a.title end })
    if ok and choice then B.apply_code_action(c, choice) end
  end
  return actions
end

--- Apply a code action (its edit, then its command) of client c.
function B.apply_code_action(c, action)
  if action.edit then edit.apply_workspace_edit(action.edit, c.encoding) end
  local command = action.command
  if type(command) == "table" then
    c:request("workspace/executeCommand", { command = command.command, arguments = command.arguments })
  elseif type(command) == "string" then
    c:request("workspace/executeCommand", { command = command, arguments = action.arguments })
  end
end

-- Providers and commands -------------------------------------------------

if smelt.hover and smelt.hover.register then
  smelt.hover.register({ name = "lsp", populate = function(ctx)
    local text = B.hover({ buf = ctx.buf, line = ctx.line, col = ctx.col })
    return text and { markup = "markdown", text = text } or nil
  end })
end

if smelt.completion and smelt.completion.register then
  smelt.completion.register({ name = "lsp", triggers = { ".", ">", ":", "(" }, populate = function(ctx)
    if #lsp.get_clients({ buf = ctx.buf }) == 0 then return {} end
    return B.completion({ buf = ctx.buf, line = ctx.line, col = ctx.col, trigger = ctx.trigger })
  end })
end

local function report(ok, why)
  if not ok and why then smelt.notify(why, "warn") end
end

-- the word under the cursor, for the rename prompt's default
local function word_at_cursor(buf)
  local line, col = buf:cursor()
  local text = buf:lines(line, line)[1] or ""
  local a, b = col, col
  while a > 1 and text:sub(a - 1, a - 1):match("[%w_]") do a = a - 1 end
  while b <= #text and text:sub(b, b):match("[%w_]") do b = b + 1 end
  return text:sub(a, b - 1)
end

--- :LspRename, and F2: the new name asked for when not given.
local function rename_command(new_name)
  if new_name == nil or new_name == "" then
    if not smelt.has_ui() then
      return report(nil, "LspRename: give the new name (:LspRename NAME)")
    end
    new_name = smelt.ui.input({ prompt = "Rename to", default = word_at_cursor(smelt.buf.current()) })
    if not new_name or new_name == "" then return end
  end
  report(B.rename(new_name))
end

smelt.cmd.create("LspFormat", function() report(B.format()) end, { desc = "format the buffer" })
smelt.cmd.create("LspRename", function(ctx) rename_command(ctx.args) end,
                 { nargs = "?", desc = "rename the symbol under the cursor" })
smelt.cmd.create("LspDefinition", function() report(B.definition()) end, { desc = "go to the definition" })
smelt.cmd.create("LspDeclaration", function() report(B.declaration()) end, { desc = "go to the declaration" })
smelt.cmd.create("LspReferences", function() report(B.references()) end, { desc = "the references, in the picker" })
smelt.cmd.create("LspCodeAction", function() report(B.code_actions({ apply = true })) end,
                 { desc = "the code actions here, in the picker" })

-- Keys in the buffers a server serves, as other editors have them: F12 the
-- definition, Shift+F12 the references, F2 rename, Ctrl+. code actions.
local mapped = setmetatable({}, { __mode = "k" })

function lsp._map_keys(buf)
  if mapped[buf] then return end
  mapped[buf] = true
  local function map(keys, fn, desc)
    smelt.keymap.set(keys, fn, { buf = buf, desc = desc })
  end
  map("<F12>", function() report(B.definition()) end, "go to the definition (language server)")
  map("<S-F12>", function() report(B.references()) end, "the references (language server)")
  map("<F2>", function() rename_command() end, "rename the symbol (language server)")
  map("<C-.>", function() report(B.code_actions({ apply = true })) end, "code actions (language server)")
end
