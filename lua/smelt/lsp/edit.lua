-- smelt/lsp/edit.lua: a server's TextEdits and WorkspaceEdits applied to buffers
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The edits of one buffer are one undo step. They are applied from the
-- last to the first, so each one's positions still mean what the server
-- meant; edits at the same place keep the server's order.

local smelt, _, parts = ...
local protocol = parts.protocol

local M = {}

--- Apply TextEdits to a buffer, as one undo step.
---@param buf smelt.Buffer
---@param edits { range: table, newText: string }[]
---@param encoding string
function M.apply_text_edits(buf, edits, encoding)
  if #edits == 0 then return end
  local lines = buf:lines()
  local list = {}
  for i, e in ipairs(edits) do
    local l1, c1 = protocol.to_smelt(lines, e.range.start, encoding)
    local l2, c2 = protocol.to_smelt(lines, e.range["end"], encoding)
    list[i] = { l1 = l1, c1 = c1, l2 = l2, c2 = c2, text = e.newText or "", order = i }
  end
  table.sort(list, function(a, b)
    if a.l1 ~= b.l1 then return a.l1 > b.l1 end
    if a.c1 ~= b.c1 then return a.c1 > b.c1 end
    return a.order > b.order
  end)
  buf:undo_group(function()
    for _, e in ipairs(list) do
      buf:set_text(e.l1, e.c1, e.l2, e.c2, e.text)
    end
  end)
end

-- the buffer of a URI: the open one, or the file opened (parks)
local function buffer_of(uri)
  local path = protocol.path(uri)
  if not path then return nil, "not a file: " .. uri end
  local buf = smelt.lsp._buffer_at(path)
  if buf then return buf end
  local ok, opened = pcall(smelt.buf.open, path)
  if not ok then return nil, tostring(opened) end
  return opened
end

--- Apply a WorkspaceEdit across buffers (opening those that are not);
--- true, or false and why.
---@param wedit table
---@param encoding string
---@return boolean
---@return string|nil
function M.apply_workspace_edit(wedit, encoding)
  local jobs = {}
  for _, change in ipairs(wedit.documentChanges or {}) do
    if change.kind then
      return false, ("smelt does not apply %s file operations"):format(change.kind)
    end
    jobs[#jobs + 1] = { uri = change.textDocument.uri, edits = change.edits }
  end
  if not wedit.documentChanges then
    local uris = {}
    for uri in pairs(wedit.changes or {}) do uris[#uris + 1] = uri end
    table.sort(uris)
    for _, uri in ipairs(uris) do jobs[#jobs + 1] = { uri = uri, edits = wedit.changes[uri] } end
  end
  -- every buffer first: a file that cannot be opened stops the edit before
  -- any buffer is changed
  for _, job in ipairs(jobs) do
    local buf, err = buffer_of(job.uri)
    if not buf then return false, err end
    job.buf = buf
  end
  for _, job in ipairs(jobs) do
    M.apply_text_edits(job.buf, job.edits, encoding)
  end
  return true
end

return M
