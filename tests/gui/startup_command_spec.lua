-- startup_command_spec.lua: `smelt -c CMD FILE` runs CMD in the window once FILE has loaded, as nvim -c
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh with `-c 12` and the file NEWS (tests/gui/meson.build).
local t = require("testlib")
local gui = require("guitest")

t.test("-c 12 with a file: the window opens it and the cursor is on line 12", function()
  local news
  gui.wait_for(function()
    for _, b in ipairs(smelt.buf.list()) do
      if (b:path() or ""):match("/NEWS$") then news = b end
    end
    return news ~= nil
  end, "NEWS open")
  gui.wait_for(function() return news:cursor() == 12 end,
    "the cursor on line 12 (it is on " .. news:cursor() .. ")", 10)
  t.eq(news:cursor(), 12)
  t.truthy(#news:lines(1, 12) == 12, "the whole file is in, not the part read when -c ran")
end)

t.run()
