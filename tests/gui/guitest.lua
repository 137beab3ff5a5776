-- guitest.lua: what the GUI specs share: the window driven by xdotool under Xvfb, and waiting
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- There is no window manager under Xvfb: a spec focuses the window it types
-- into itself, and finds windows by their exact title.
local M = {}

--- Runs xdotool; raises when it fails, or when it has not finished in 10 s
--- (`windowfocus --sync` waits for the focus to arrive, and under load on a
--- display with no window manager it may never see it). Returns its output.
---@param ... string
---@return string
function M.xdotool(...)
  local args = { ... }
  local r, why = smelt.task.timeout(10000, function() return smelt.process.run("xdotool", args) end)
  assert(why ~= "timeout", "xdotool " .. table.concat(args, " ") .. ": no answer in 10 s")
  assert(r and r.code == 0, "xdotool failed: " .. (r and r.stderr or "not installed"))
  return r.stdout
end

--- The X11 id of the visible window titled exactly `title`, waiting up to
--- 5 s for it; nil when there is none.
---@param title string
---@return string|nil
function M.find_window(title)
  -- the editor window by its own id: a popover's surface may carry its title
  if title == "smelt" and smelt_test and smelt_test.window_xid() then
    return tostring(smelt_test.window_xid())
  end
  for _ = 1, 50 do
    local r = smelt.process.run("xdotool", { "search", "--onlyvisible", "--name", "^" .. title .. "$" })
    if r and r.code == 0 and r.stdout ~= "" then
      return r.stdout:match("(%d+)%s*$")
    end
    smelt.sleep(100)
  end
end

--- Gives window `win` the keyboard focus: `windowfocus --sync`, waited for
--- at most 3 s, then checked with `getwindowfocus`, up to three times. With
--- no window manager the focus can be lost to a closing dialog, and under
--- load the --sync wait can miss its event; keys typed then go nowhere. If
--- the focus never shows, it says so on stderr (the log CI shows) and goes on.
---@param win string an X11 window id
function M.focus(win)
  local got
  for _ = 1, 3 do
    smelt.task.timeout(3000, function() smelt.process.run("xdotool", { "windowfocus", "--sync", win }) end)
    local r = smelt.process.run("xdotool", { "getwindowfocus" })
    got = r and r.stdout:match("%d+")
    if got == win then return end
    smelt.sleep(100)
  end
  io.stderr:write(("guitest: window %s did not get the focus (%s has it)\n"):format(win, tostring(got)))
end

--- Focuses the window titled `title`, types `text` into it and presses
--- `key` (either may be nil); raises when there is no such window.
---@param title string
---@param text? string
---@param key? string xdotool's name of a key: "Return", "ctrl+s"
function M.type_into(title, text, key)
  local win = M.find_window(title)
  if not win then
    error("no window titled " .. title, 2)
  end
  M.focus(win)
  smelt.sleep(50)
  if text then M.xdotool("type", "--delay", "15", text) end
  if key then M.xdotool("key", key) end
end

--- Runs `line` from the command line with real keys: Ctrl+; opens it
--- (pressed again if it did not open), the text is typed and seen in the
--- entry, then Return. Each step is checked, so a lost key fails here and
--- says which, not later as a command that never ran.
---@param line string without the ":"
function M.command_line(line)
  for _ = 1, 3 do
    M.type_into("smelt", nil, "ctrl+semicolon")
    if pcall(M.wait_for, function() return smelt_test.command_line() == ":" end, "", 5) then break end
  end
  if smelt_test.command_line() ~= ":" then
    local r = smelt.process.run("xdotool", { "getwindowfocus" })
    error(("Ctrl+; did not open the command line (it says %s; the keyboard is in %s; X focus on %s, the editor is %s; toplevels: %s)")
      :format(tostring(smelt_test.command_line()), tostring(smelt_test.focus_widget()),
        r and r.stdout:match("%d+") or "?", tostring(smelt_test.window_xid()),
        table.concat(smelt_test.toplevels(), ", ")), 2)
  end
  M.type_into("smelt", line)
  local want = ":" .. line
  local ok = pcall(M.wait_for, function() return smelt_test.command_line() == want end, "", 10)
  if not ok then
    error(("the command line says %q, not %q"):format(tostring(smelt_test.command_line()), want), 2)
  end
  M.xdotool("key", "Return")
end

--- Waits for pred() to be true, up to `seconds` (default 5); raises
--- "timed out waiting for what".
---@param pred fun(): any
---@param what string
---@param seconds? number
function M.wait_for(pred, what, seconds)
  -- by the clock, not by a count of naps: on a loaded machine each nap and
  -- each pred() take longer than their 50 ms
  local deadline = smelt.now() + (seconds or 5) * 1000
  repeat
    if pred() then return true end
    smelt.sleep(50)
  until smelt.now() > deadline
  if pred() then return true end
  error("timed out waiting for " .. what, 2)
end

--- What task h is parked on ("buffer:save PATH", "sleep 50 ms"), or nil.
---@param h smelt.TaskHandle
---@return string|nil
function M.waiting_on(h)
  for _, info in ipairs(smelt.task.list()) do
    if info.id == h.id then return info.waiting_on end
  end
end

--- Waits, checking every turn of the loop (a fast operation may last only a
--- few), until task h is parked on what; false if it ended first or after
--- `seconds` (20).
---@param h smelt.TaskHandle
---@param what string
---@param seconds? number
---@return boolean
function M.wait_until_parked_on(h, what, seconds)
  local deadline = smelt.now() + (seconds or 20) * 1000
  while M.waiting_on(h) ~= what and h:status() ~= "done" and smelt.now() < deadline do
    smelt.sleep(0)
  end
  return M.waiting_on(h) == what
end

--- The open buffer of path, or nil.
---@param path string
---@return smelt.Buffer|nil
function M.buffer_of(path)
  for _, b in ipairs(smelt.buf.list()) do
    if b:path() == path then return b end
  end
end

return M
