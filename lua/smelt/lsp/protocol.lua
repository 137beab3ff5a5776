-- smelt/lsp/protocol.lua: what the Language Server Protocol means by a position, a URI, a kind
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- smelt counts lines from 1 and columns in bytes from 1; LSP counts both
-- from 0, columns in the code units of the encoding the server chose
-- (UTF-16 unless it took UTF-8 or UTF-32 when offered).

local M = {}

M.severity = { "error", "warning", "info", "hint" }   -- DiagnosticSeverity 1..4
M.severity_of = { error = 1, warning = 2, info = 3, hint = 4 }

M.completion_kind = {
  "text", "method", "function", "constructor", "field", "variable", "class", "interface", "module",
  "property", "unit", "value", "enum", "keyword", "snippet", "color", "file", "reference", "folder",
  "enum_member", "constant", "struct", "event", "operator", "type_parameter",
}

--- The code units of a UTF-8 string in an encoding.
---@param s string
---@param encoding "utf-8"|"utf-16"|"utf-32"
---@return integer
function M.units(s, encoding)
  if encoding == "utf-8" then
    return #s
  end
  local n = 0
  for _, c in utf8.codes(s, true) do
    n = n + ((encoding == "utf-16" and c >= 0x10000) and 2 or 1)
  end
  return n
end

--- The byte column (from 1) at `units` code units into line.
---@param line string
---@param units integer
---@param encoding "utf-8"|"utf-16"|"utf-32"
---@return integer
function M.byte_col(line, units, encoding)
  if encoding == "utf-8" then
    return math.min(units, #line) + 1
  end
  local n = 0
  for pos, c in utf8.codes(line, true) do
    if n >= units then
      return pos
    end
    n = n + ((encoding == "utf-16" and c >= 0x10000) and 2 or 1)
  end
  return #line + 1   -- past the end (a server may say so): the line's end
end

--- An LSP Position of smelt's (line, col) in a buffer's lines.
---@param lines string[]
---@param line integer from 1
---@param col integer byte column from 1
---@param encoding string
---@return { line: integer, character: integer }
function M.position(lines, line, col, encoding)
  local text = lines[line] or ""
  return { line = line - 1, character = M.units(text:sub(1, col - 1), encoding) }
end

--- smelt's (line, col) of an LSP Position, clamped to the text.
---@param lines string[]
---@param pos { line: integer, character: integer }
---@param encoding string
---@return integer line
---@return integer col
function M.to_smelt(lines, pos, encoding)
  local line = pos.line + 1
  if line > #lines then
    local last = math.max(#lines, 1)
    return last, #(lines[last] or "") + 1
  end
  return line, M.byte_col(lines[line], pos.character, encoding)
end

-- RFC 3986 unreserved characters and "/" stay; every other byte is %XX
local function encode_path(path)
  return (path:gsub("[^%w%-%._~/]", function(c) return ("%%%02X"):format(c:byte()) end))
end

--- The file:// URI of an absolute path.
---@param path string
---@return string
function M.uri(path)
  return "file://" .. encode_path(path)
end

--- The path of a file:// URI, or nil for another scheme.
---@param uri string
---@return string|nil
function M.path(uri)
  local rest = uri:match("^file://(.*)$")
  if not rest then
    return nil
  end
  rest = rest:gsub("^[^/]*", "")   -- an authority ("localhost") is ours
  return (rest:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

--- What smelt can do, for "initialize".
---@return table
function M.client_capabilities()
  return {
    general = { positionEncodings = { "utf-8", "utf-16" } },
    textDocument = {
      synchronization = { didSave = true, dynamicRegistration = false },
      publishDiagnostics = { relatedInformation = false, versionSupport = true },
      hover = { contentFormat = { "markdown", "plaintext" } },
      completion = {
        completionItem = { snippetSupport = false, documentationFormat = { "markdown", "plaintext" },
                           resolveSupport = { properties = { "documentation", "detail" } } },
        contextSupport = true,
      },
      definition = { linkSupport = true },
      declaration = { linkSupport = true },
      references = {},
      formatting = {},
      rename = { prepareSupport = false },
      codeAction = { codeActionLiteralSupport = { codeActionKind = { valueSet = {
        "", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite",
        "source", "source.organizeImports" } } } },
    },
    workspace = { applyEdit = true, workspaceEdit = { documentChanges = true },
                  configuration = true, workspaceFolders = true },
    window = { workDoneProgress = true, showMessage = {} },
    -- clangd before LSP 3.17 reads its own key
    offsetEncoding = { "utf-8", "utf-16" },
  }
end

return M
