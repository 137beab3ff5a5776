-- format_on_save.lua: runs an external formatter on save, under a timeout, and asks when it fails
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A bundled example of a task that awaits a process (smelt.process.run)
-- under smelt.task.timeout, and a dialog (smelt.ui.confirm), inside the
-- "buf-write-pre" event that saving waits for.
--
-- Configure in init.lua, by file extension; the buffer's text goes to the
-- formatter's stdin and its stdout replaces the buffer:
--   smelt.format_on_save = {
--     timeout_ms = 3000,
--     c = { "clang-format", "--assume-filename=file.c" },
--     lua = { "stylua", "-" },
--   }

local DEFAULT_TIMEOUT_MS = 3000

-- the user's language, from the editor's own catalog (xgettext finds _("..."))
local _ = smelt.i18n.gettext

smelt.on("buf-write-pre", function(ev)
  local config = smelt.format_on_save
  local path = ev.buf:path()
  if type(config) ~= "table" or not path then
    return
  end
  local cmd = config[path:match("%.([^./]+)$") or ""]
  if type(cmd) ~= "table" or not cmd[1] then
    return
  end
  smelt.task.name("format " .. path:match("[^/]*$"))

  local text = ev.buf:text()
  local result, why = smelt.task.timeout(config.timeout_ms or DEFAULT_TIMEOUT_MS, function()
    local r, msg = smelt.process.run(cmd[1], { table.unpack(cmd, 2) }, { stdin = text })
    if not r then
      return { failed = msg }
    end
    if r.code ~= 0 then
      local status = r.code and tostring(r.code) or _("signal %s"):format(tostring(r.signal))
      -- TRANSLATORS: "clang-format exited with 3: its error output"
      return { failed = _("%s exited with %s: %s"):format(cmd[1], status, ((r.stderr or ""):gsub("%s+$", ""))) }
    end
    return { text = r.stdout }
  end)

  local failure = why == "timeout" and _("%s timed out"):format(cmd[1]) or (result and result.failed)
  if failure then
    -- TRANSLATORS: the first %s says what went wrong: "clang-format timed out"
    local question = _("%s. Save anyway?"):format(failure)
    if not smelt.has_ui() or not smelt.ui.confirm(question, { ok = _("Save anyway"), cancel = _("Don't save") }) then
      ev.cancel = true
    end
    return
  end
  if result.text ~= text then
    local lines = {}
    for line in (result.text .. (result.text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do
      lines[#lines + 1] = line
    end
    ev.buf:set_text(table.concat(lines, "\n") .. (text:sub(-1) == "\n" and "\n" or ""))
  end
end)
