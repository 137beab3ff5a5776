-- smelt/messages.lua: the messages of this session as text, for :Messages (in the window, a buffer of them)
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The message area shows one message at a time; smelt.messages() keeps
-- them all (the host's history). :Messages lists them whole, oldest first,
-- each under a line with its time and level, an uncaught error's traceback
-- after its text: nothing is cut, so a reason too long for the message
-- area is read here. With --no-ui the list is printed; in the window it
-- fills a scratch buffer, the same one each time.

local smelt, internal = ...

--- The messages as text: each "HH:MM:SS [level] text" (the text's further
--- lines after it, as they are), then its stack traceback.
---@param list { level: string, message: string, time: number, traceback?: string }[]
---@return string
function internal.format_messages(list)
  local out = {}
  for _i, m in ipairs(list) do
    out[#out + 1] = ("%s [%s] %s"):format(os.date("%H:%M:%S", math.floor(m.time)), m.level, m.message)
    -- a Lua traceback starts with the error message: when the text ends
    -- with it already, only the stack follows
    local stack = m.traceback
    local said, rest = (stack or ""):match("^(.-)\n(stack traceback:.*)$")
    if said and m.message:sub(-#said) == said then stack = rest end
    if stack then out[#out + 1] = stack end
  end
  return #out > 0 and table.concat(out, "\n") or "(no messages)"
end

local shown   -- the window's buffer of them, while it is open

local function show_in_buffer(text)
  if shown and shown:valid() then
    shown:set_text(text)
  else
    shown = smelt.buf.create({ name = "Messages", text = text, scratch = true })
  end
  smelt.buf.set_current(shown)
  shown:set_cursor(shown:line_count(), 1)   -- the newest
end

smelt.cmd.create("Messages", function()
  local text = internal.format_messages(smelt.messages())
  if internal.ui then
    show_in_buffer(text)
  else
    internal.output(text)
  end
end, { force = true, desc = "List this session's messages, whole, with their time, level and traceback" })
