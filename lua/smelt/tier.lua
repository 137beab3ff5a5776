-- smelt/tier.lua: the tier mechanism; UI-tier functions raise a clear error without the GUI
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Host-tier functions exist in every runtime. UI-tier functions exist only in
-- the GUI, which installs the real ones; with --no-ui each of them raises
-- "smelt.ui.input: requires the GUI (running with --no-ui)".

local smelt, internal = ...

--- Every UI-tier function, as "namespace.function": those marked "(GUI only)"
--- in lua/meta/smelt.lua. tests/lua/runtime/rt_meta_spec.lua fails when the
--- two lists differ.
local UI_FUNCTIONS = {
  "ui.input", "ui.select", "ui.confirm", "ui.popup",
  "keymap.timeoutlen",
  "statusline.set", "statusline.get", "statusline.refresh",
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
