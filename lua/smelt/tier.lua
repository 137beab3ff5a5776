-- smelt/tier.lua: the tier mechanism; UI-tier functions raise a clear error without the GUI
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Host-tier functions exist in every runtime. UI-tier functions exist only in
-- the GUI, which installs the real ones; with --no-ui each of them raises
-- "smelt.ui.input: requires the GUI (running with --no-ui)".

local smelt, internal = ...

--- Every UI-tier function, as "namespace.function".
local UI_FUNCTIONS = {
  "ui.input", "ui.select", "ui.confirm",
  "buf.current", "buf.list", "buf.open",
  "keymap.set", "keymap.timeoutlen", "statusline.set",
}

internal.ui_functions = UI_FUNCTIONS

if internal.ui then
  return
end

for _, name in ipairs(UI_FUNCTIONS) do
  local ns, fn = name:match("^(%w+)%.([%w_]+)$")
  local t = smelt[ns] or {}
  smelt[ns] = t
  local message = ("smelt.%s: requires the GUI (running with --no-ui)"):format(name)
  t[fn] = function()
    error(message, 2)
  end
end
