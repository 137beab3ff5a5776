-- word_count.lua: shows the word count of the current buffer in the statusline
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A bundled example of smelt.statusline.set (UI tier: only in the GUI).

if not smelt.has_ui() then
  return
end

--- Counts the words (runs of non-space characters) of text.
---@param text string
---@return integer
local function count_words(text)
  local n = 0
  for _ in text:gmatch("%S+") do
    n = n + 1
  end
  return n
end

smelt.statusline.set(function(buf)
  local line, col = buf:cursor()
  local name = (buf:path() or "untitled"):match("[^/]*$")
  return ("%s%s    Ln %d, Col %d    %d words"):format(buf:modified() and "• " or "", name, line, col,
    count_words(buf:text()))
end)
