-- smelt/diagnostic.lua: smelt.diagnostic, as vim.diagnostic: a plugin's findings, drawn in the text as marks
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Each namespace (a linter, an LSP client) sets the whole list of its
-- diagnostics for a buffer at once; they become marks of that namespace
-- (buf:set_mark), so they follow edits: an underline over the range, a sign
-- on its first line, the message on hover. get() reads them back where the
-- marks are now. Works with --no-ui (nothing is drawn there, the positions
-- still follow the text).

local smelt, internal = ...

smelt.diagnostic = smelt.diagnostic or {}

local SEVERITIES = { "error", "warning", "info", "hint" }
local RANK = { error = 1, warning = 2, info = 3, hint = 4 }
local SIGN = { error = "E", warning = "W", info = "I", hint = "H" }
-- the sign's colour: the style scheme's own, so it follows the scheme
local SIGN_HL = { error = "def:error", warning = "def:warning", info = "def:note", hint = "def:comment" }
-- a higher severity's sign wins on a line
local PRIORITY = { error = 40, warning = 30, info = 20, hint = 10 }

local defined = false
local function define_highlights()
  if defined then return end
  defined = true
  smelt.hl.define("DiagnosticUnderlineError", { underline = "error", fg = "#c01c28" })
  smelt.hl.define("DiagnosticUnderlineWarning", { underline = "error", fg = "#9c6e03" })
  smelt.hl.define("DiagnosticUnderlineInfo", { underline = "single" })
  smelt.hl.define("DiagnosticUnderlineHint", { underline = "low" })
end
local UNDERLINE = { error = "DiagnosticUnderlineError", warning = "DiagnosticUnderlineWarning",
                    info = "DiagnosticUnderlineInfo", hint = "DiagnosticUnderlineHint" }

-- buf.id -> ns -> { [mark id] = item }: what set() was given, by the mark
-- that carries it; a closed buffer's go with it
local by_buf = {}
smelt.on("buf-close", function(ev) by_buf[ev.buf.id] = nil end)

local function check_buf(fname, buf, arg)
  if type(buf) ~= "userdata" or not pcall(function() return buf.id end) then
    error(("bad argument #%d to '%s' (buffer expected, got %s)"):format(arg, fname, type(buf)), 3)
  end
end

local function check_ns(fname, ns)
  if math.type(ns) ~= "integer" or ns < 1 then
    error(("bad argument #1 to '%s' (namespace expected (smelt.ns), got %s)"):format(fname, type(ns)), 3)
  end
end

-- the message as the hover shows it: "message [source: code]"
local function hover_text(item)
  local where = item.source and item.code and ("%s: %s"):format(item.source, item.code)
    or item.source or (item.code and tostring(item.code))
  return where and ("%s [%s]"):format(item.message, where) or item.message
end

--- Set the diagnostics of namespace ns for buf: the whole list, replacing
--- what ns set before. An item: { line, col, end_line?, end_col?, severity
--- = "error"|"warning"|"info"|"hint", message, source?, code? } (1-based,
--- the end exclusive; with no end, to the end of the line).
---@param ns integer
---@param buf smelt.Buffer
---@param items { line: integer, col?: integer, end_line?: integer, end_col?: integer, severity?: string, message: string, source?: string, code?: string|integer }[]
function smelt.diagnostic.set(ns, buf, items)
  check_ns("smelt.diagnostic.set", ns)
  check_buf("smelt.diagnostic.set", buf, 2)
  if type(items) ~= "table" then
    error(("bad argument #3 to 'smelt.diagnostic.set' (table expected, got %s)"):format(type(items)), 2)
  end
  -- checked whole first: a bad item sets nothing
  local n = buf:line_count()
  for i, item in ipairs(items) do
    local function bad(why) error(("bad argument #3 to 'smelt.diagnostic.set' (item %d: %s)"):format(i, why), 3) end
    if type(item) ~= "table" then bad("table expected, got " .. type(item)) end
    if math.type(item.line) ~= "integer" then bad("line: integer expected, got " .. type(item.line)) end
    if type(item.message) ~= "string" then bad("message: string expected, got " .. type(item.message)) end
    if item.severity ~= nil and not RANK[item.severity] then
      bad(("severity: \"error\", \"warning\", \"info\" or \"hint\" expected, got %s"):format(tostring(item.severity)))
    end
    if item.line < 1 or item.line > n then bad(("line %d out of range (the buffer has %d lines)"):format(item.line, n)) end
  end
  define_highlights()
  smelt.diagnostic.clear(ns, buf)
  local mine = {}
  for _, item in ipairs(items) do
    local severity = item.severity or "error"
    local line_len = #buf:lines(item.line, item.line)[1]
    local col = math.max(1, math.min(item.col or 1, line_len + 1))
    local end_line = math.max(item.line, math.min(item.end_line or item.line, n))
    local end_len = #buf:lines(end_line, end_line)[1]
    local end_col = item.end_col or (item.end_line and 1 or end_len + 1)
    end_col = math.max(1, math.min(end_col, end_len + 1))
    if end_line == item.line and end_col <= col then
      -- an empty range (a tool that names only the place): the next character
      end_col = math.min(col + 1, line_len + 1)
    end
    -- a column inside a character (a tool counting in UTF-16) moves to its start
    local text = buf:lines(item.line, item.line)[1]
    while col > 1 and col <= #text and text:byte(col) >= 0x80 and text:byte(col) < 0xC0 do col = col - 1 end
    local etext = buf:lines(end_line, end_line)[1]
    while end_col > 1 and end_col <= #etext and etext:byte(end_col) >= 0x80 and etext:byte(end_col) < 0xC0 do
      end_col = end_col - 1
    end
    local id = buf:set_mark(ns, item.line, col, {
      end_line = end_line, end_col = math.max(end_col, end_line == item.line and col or 1),
      hl = UNDERLINE[severity], sign = SIGN[severity], sign_hl = SIGN_HL[severity],
      message = hover_text(item), priority = PRIORITY[severity],
    })
    mine[id] = { severity = severity, message = item.message, source = item.source, code = item.code }
  end
  by_buf[buf.id] = by_buf[buf.id] or {}
  by_buf[buf.id][ns] = mine
  smelt.emit("diagnostic-changed", { buf = buf, ns = ns })
end

--- The diagnostics of buf (of opts.ns only, of opts.severity only), where
--- their text is now, in text order: { ns, line, col, end_line, end_col,
--- severity, message, source, code }.
---@param buf smelt.Buffer
---@param opts? { ns?: integer, severity?: "error"|"warning"|"info"|"hint" }
---@return table[]
function smelt.diagnostic.get(buf, opts)
  check_buf("smelt.diagnostic.get", buf, 1)
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #2 to 'smelt.diagnostic.get' (table expected, got %s)"):format(type(opts)), 2)
  end
  opts = opts or {}
  if opts.severity ~= nil and not RANK[opts.severity] then
    error(("bad argument #2 to 'smelt.diagnostic.get' (severity: \"error\", \"warning\", \"info\" or \"hint\" expected, got %s)")
      :format(tostring(opts.severity)), 2)
  end
  local out = {}
  if not buf:valid() then return out end
  for ns, mine in pairs(by_buf[buf.id] or {}) do
    if opts.ns == nil or opts.ns == ns then
      for _, m in ipairs(buf:get_marks(ns)) do
        local item = mine[m.id]
        if item and (opts.severity == nil or opts.severity == item.severity) then
          out[#out + 1] = { ns = ns, line = m.line, col = m.col, end_line = m.end_line, end_col = m.end_col,
                            severity = item.severity, message = item.message, source = item.source, code = item.code }
        end
      end
    end
  end
  table.sort(out, function(a, b)
    if a.line ~= b.line then return a.line < b.line end
    if a.col ~= b.col then return a.col < b.col end
    return RANK[a.severity] < RANK[b.severity]
  end)
  return out
end

--- Remove the diagnostics namespace ns set for buf (for every buffer when
--- buf is nil).
---@param ns integer
---@param buf? smelt.Buffer
function smelt.diagnostic.clear(ns, buf)
  check_ns("smelt.diagnostic.clear", ns)
  if buf == nil then
    for id in pairs(by_buf) do
      local b = smelt.buf.get(id)
      if b then smelt.diagnostic.clear(ns, b) end
    end
    return
  end
  check_buf("smelt.diagnostic.clear", buf, 2)
  local had = by_buf[buf.id] and by_buf[buf.id][ns]
  if buf:valid() then buf:clear_ns(ns) end
  if by_buf[buf.id] then by_buf[buf.id][ns] = nil end
  if had and next(had) then smelt.emit("diagnostic-changed", { buf = buf, ns = ns }) end
end

--- How many diagnostics of each severity buf has: { error = 2, warning = 0, ... }.
---@param buf smelt.Buffer
---@return table<string, integer>
function smelt.diagnostic.count(buf)
  check_buf("smelt.diagnostic.count", buf, 1)
  local counts = {}
  for _, s in ipairs(SEVERITIES) do counts[s] = 0 end
  for _, d in ipairs(smelt.diagnostic.get(buf)) do counts[d.severity] = counts[d.severity] + 1 end
  return counts
end

--- The next diagnostic after line, col of buf (wrapping to the first), or
--- with opts.previous the one before (wrapping to the last); nil when
--- there is none.
---@param buf smelt.Buffer
---@param line integer
---@param col integer
---@param opts? { previous?: boolean, severity?: string }
---@return table|nil
function smelt.diagnostic.next(buf, line, col, opts)
  check_buf("smelt.diagnostic.next", buf, 1)
  opts = opts or {}
  local all = smelt.diagnostic.get(buf, { severity = opts.severity })
  if #all == 0 then return nil end
  if opts.previous then
    for i = #all, 1, -1 do
      local d = all[i]
      if d.line < line or (d.line == line and d.col < col) then return d end
    end
    return all[#all]
  end
  for _, d in ipairs(all) do
    if d.line > line or (d.line == line and d.col > col) then return d end
  end
  return all[1]
end

-- Commands: walk them, list them -------------------------------------------

local function jump(previous)
  local buf = smelt.buf.current()
  if not buf then return end
  local line, col = buf:cursor()
  local d = smelt.diagnostic.next(buf, line, col, { previous = previous })
  if not d then
    smelt.notify("no diagnostics in " .. buf:name(), "info")
    return
  end
  buf:set_cursor(d.line, d.col)
  smelt.notify(("%s: %s"):format(d.severity, d.message), d.severity == "error" and "error" or "warn")
end

smelt.cmd.create("DiagnosticNext", function() jump(false) end,
  { force = true, desc = "Go to the next diagnostic of the buffer shown (F8)" })
smelt.cmd.create("DiagnosticPrev", function() jump(true) end,
  { force = true, desc = "Go to the previous diagnostic of the buffer shown (Shift+F8)" })

local function describe(d)
  return ("%d:%d %s %s%s"):format(d.line, d.col, d.severity, d.message, d.source and (" [" .. d.source .. "]") or "")
end

smelt.cmd.create("Diagnostics", function()
  local buf = smelt.buf.current()
  if not buf then return end
  local all = smelt.diagnostic.get(buf)
  if #all == 0 then
    smelt.notify("no diagnostics in " .. buf:name(), "info")
    return
  end
  if not smelt.has_ui() then
    local lines = {}
    for i, d in ipairs(all) do lines[i] = describe(d) end
    internal.output(table.concat(lines, "\n"))
    return
  end
  local d = smelt.ui.select(all, { prompt = "Diagnostics in " .. buf:name(), format = describe })
  if d and buf:valid() then
    smelt.buf.set_current(buf)
    buf:set_cursor(d.line, d.col)
  end
end, { force = true, desc = "List the diagnostics of the buffer shown; pick one to go to it" })

if smelt.has_ui() then
  -- the counts after the statusline: "E1 W2"
  local LETTER = { error = "E", warning = "W", info = "I", hint = "H" }
  internal.statusline_items[#internal.statusline_items + 1] = function(buf)
    if not buf:valid() or not by_buf[buf.id] then return nil end
    local counts, parts = smelt.diagnostic.count(buf), {}
    for _, s in ipairs(SEVERITIES) do
      if counts[s] > 0 then parts[#parts + 1] = LETTER[s] .. counts[s] end
    end
    return table.concat(parts, " ")
  end
  smelt.on("diagnostic-changed", function() smelt.statusline.refresh() end)
  smelt.keymap.set("<F8>", function() jump(false) end, { desc = "next diagnostic" })
  smelt.keymap.set("<S-F8>", function() jump(true) end, { desc = "previous diagnostic" })
end
