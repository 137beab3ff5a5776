-- rt_host_spec.lua: what the host tells a plugin about the process: its working directory
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")

t.test("smelt.cwd() is the directory smelt was started in", function()
  local cwd = smelt.cwd()
  t.eq(type(cwd), "string")
  t.truthy(cwd:sub(1, 1) == "/", "absolute")
  local f = assert(io.popen("pwd"))   -- the child inherits smelt's directory
  local pwd = f:read("l")
  f:close()
  t.eq(cwd, pwd)
end)

t.run()
