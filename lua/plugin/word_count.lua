-- word_count.lua: shows the word count of the current buffer in the statusline
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A bundled example of smelt.statusline.set (UI tier: only in the GUI). The
-- count is kept per buffer and recounted on "text-changed" (debounced), not
-- on every render; buffers over LARGE characters are not counted (nor even
-- copied out: buf:char_count() costs nothing), so a 50 MB file never stalls
-- the window.

if not smelt.has_ui() then
  return
end

-- the user's language, from the editor's own catalog (xgettext finds _("...") and ngettext)
local _, ngettext = smelt.i18n.gettext, smelt.i18n.ngettext

local LARGE = 4 * 1024 * 1024
-- buf.id -> { words = n (false when too large), tick = buf:changedtick() counted }
local counts = {}

--- Counts the words (runs of non-space characters) of text.
---@param text string
---@return integer
local function count_words(text)
  local n = 0
  for _word in text:gmatch("%S+") do
    n = n + 1
  end
  return n
end

local function recount(buf)
  if not buf:valid() then
    return   -- closed before the event's handler ran
  end
  local tick = buf:changedtick()
  local known = counts[buf.id]
  if known and known.tick == tick then
    return   -- counted already at this state of the text
  end
  counts[buf.id] = { tick = tick, words = buf:char_count() <= LARGE and count_words(buf:text()) or false }
  smelt.statusline.refresh()   -- the count changed after the text did
end

smelt.on("buf-open", function(ev) recount(ev.buf) end)
smelt.on("text-changed", function(ev) recount(ev.buf) end)
smelt.on("buf-close", function(ev) counts[ev.buf.id] = nil end)

smelt.statusline.set(function(buf)
  local line, col = buf:cursor()
  local name = buf:name()
  local words = counts[buf.id] and counts[buf.id].words
  local count = words == nil and "" or words == false and _("large file")
    or ngettext("%d word", "%d words", words):format(words)
  -- TRANSLATORS: the statusline: a modified mark, the file name, line, column, the word count
  return _("%s%s    Ln %d, Col %d    %s"):format(buf:modified() and "• " or "", name, line, col, count)
end)
