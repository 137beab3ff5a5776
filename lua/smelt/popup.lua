-- smelt/popup.lua: smelt.ui.popup: text in a popover at a position of a buffer's view
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The GUI only. The popover and the Markdown are C's (app/smelt-ui-popup.c,
-- app/smelt-markdown.c).

local smelt, internal = ...

local POPUP_OPTS = { buf = true, line = true, col = true, markup = true }
local MARKUPS = { plain = false, markdown = true }

--- Show text in a popover pointing at line, col (1-based, col in bytes;
--- default: the cursor) of buf (default: the current buffer) in its view;
--- opts.markup "markdown" renders code spans, fenced code, bold, italic,
--- headings and bullets (default "plain"). Escape or a move of the cursor closes
--- it. Returns a handle: handle:close(), handle:is_open().
---@param text string
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, markup?: "plain"|"markdown" }
---@return smelt.Popup
function smelt.ui.popup(text, opts)
  if type(text) ~= "string" then
    error(("bad argument #1 to 'smelt.ui.popup' (string expected, got %s)"):format(type(text)), 2)
  end
  opts = internal.check_opts("smelt.ui.popup", opts, 2, POPUP_OPTS)
  local markup = MARKUPS[opts.markup or "plain"]
  if markup == nil then
    error(("bad argument #2 to 'smelt.ui.popup' (opts.markup must be \"plain\" or \"markdown\", got %s)")
      :format(tostring(opts.markup)), 2)
  end
  local buf = opts.buf or smelt.buf.current()
  local line, col = opts.line, opts.col
  if line == nil or col == nil then
    local cl, cc = buf:cursor()
    line, col = line or cl, col or cc
  end
  for _, v in ipairs({ { "line", line }, { "col", col } }) do
    if math.type(v[2]) ~= "integer" or v[2] < 1 then
      error(("bad argument #2 to 'smelt.ui.popup' (opts.%s must be a positive integer, got %s)")
        :format(v[1], tostring(v[2])), 2)
    end
  end
  return internal.ui_popup(buf, line, col, text, markup)
end
