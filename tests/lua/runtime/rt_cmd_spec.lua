-- rt_cmd_spec.lua: user commands: create, run as tasks with args, delete, validate, complete
local t = require("testlib")
local cmd = smelt.cmd

t.test("a command's handler runs as a task with name, args and fargs", function()
  local got
  cmd.create("Echo", function(ctx) smelt.sleep(5); got = ctx end, { nargs = "*", desc = "echo" })
  local h = cmd.run("Echo one  two\\ words")
  h:wait()
  t.eq(got.name, "Echo")
  t.eq(got.args, "one  two\\ words")
  t.same(got.fargs, { "one", "two words" })
  cmd.del("Echo")
end)

t.test("nargs is enforced", function()
  cmd.create("None", function() end)
  cmd.create("One", function(ctx) return ctx.fargs[1] end, { nargs = 1 })
  cmd.create("Plus", function() end, { nargs = "+" })
  cmd.create("Maybe", function() end, { nargs = "?" })
  t.raises("None: takes no arguments", cmd.run, "None x")
  t.eq(cmd.run("One a b"):wait(), "a b", "nargs=1 takes the whole rest as one argument")
  t.raises("Plus: needs an argument", cmd.run, "Plus")
  t.raises("One: needs an argument", cmd.run, "One")
  cmd.run("Maybe"):wait()
  for _, n in ipairs({ "None", "One", "Plus", "Maybe" }) do cmd.del(n) end
end)

t.test("bad names, duplicates and unknown commands give clear errors", function()
  t.raises("invalid command name 'lower'", cmd.create, "lower", function() end)
  t.raises("invalid command name 'Bad-Name'", cmd.create, "Bad-Name", function() end)
  t.raises("bad argument #2 to 'smelt.cmd.create' (function expected, got nil)", cmd.create, "Fine")
  cmd.create("Twice", function() end)
  t.raises("command 'Twice' already exists", cmd.create, "Twice", function() end)
  cmd.create("Twice", function() end, { force = true })
  cmd.del("Twice")
  t.raises("smelt.cmd.del: no command 'Twice'", cmd.del, "Twice")
  t.raises("smelt.cmd.run: not a command: Nope", cmd.run, "Nope")
  t.raises("smelt.cmd.run: empty command line", cmd.run, "   ")
  t.raises("bad nargs", cmd.create, "Odd", function() end, { nargs = 7 })
end)

t.test("a handler's error is the task's error", function()
  cmd.create("Fails", function() error({ why = "x" }) end)
  local h = cmd.run("Fails")
  local ok, err = pcall(h.wait, h)
  t.falsy(ok)
  t.eq(err.why, "x")
  cmd.del("Fails")
end)

t.test("completion: command names, then the command's complete option", function()
  cmd.create("Colour", function() end, { nargs = 1, complete = { "red", "green", "grey" } })
  cmd.create("Count", function() end, { nargs = 1, complete = function(lead) return { lead .. "1", lead .. "2" } end })
  t.same(cmd.complete("Co"), { "Colour", "Count" })
  t.same(cmd.complete("Colour g"), { "green", "grey" })
  t.same(cmd.complete("Count x"), { "x1", "x2" })
  cmd.del("Colour"); cmd.del("Count")
end)

t.test("built-ins exist with descriptions", function()
  local names = {}
  for _, c in ipairs(cmd.list()) do names[c.name] = c.desc end
  for _, n in ipairs({ "Lua", "Source", "Tasks", "Health", "Messages" }) do
    t.truthy(names[n] and #names[n] > 0, n)
  end
end)

t.test("Lua runs code as a task; Source runs a file", function()
  cmd.run("Lua LUA_RAN = 40 + 2"):wait()
  t.eq(LUA_RAN, 42)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write("smelt.sleep(1); SOURCED = 'yes'\n")
  f:close()
  cmd.run("Source " .. path):wait()
  os.remove(path)
  t.eq(SOURCED, "yes")
end)

t.run()
