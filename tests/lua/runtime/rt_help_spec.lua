-- rt_help_spec.lua: the help index (tags of doc/*.txt on the runtime path), :help's lookup and completion
-- SPDX-License-Identifier: LGPL-2.1-or-later
local t = require("testlib")
local help = require("smelt.help")

local doc = os.getenv("SMELT_RUNTIME_DIR") .. "/doc"

t.test("the index holds smelt's tags, each at its line and column", function()
  local index = help.index()
  local race = index.tags["smelt.task.race()"]
  t.truthy(race, "smelt.task.race() is a tag")
  t.eq(race.file, doc .. "/tasks.txt")
  local line
  local n = 0
  for l in io.lines(race.file) do
    n = n + 1
    if n == race.line then line = l break end
  end
  t.eq(line:sub(race.col, race.col + #"*smelt.task.race()*" - 1), "*smelt.task.race()*", "the tag's line and column")
  t.truthy(index.tags["smelt.txt"], "each file's name is a tag")
  t.eq(index.tags["smelt.txt"].line, 1)
  for i = 2, #index.names do
    t.truthy(index.names[i - 1] < index.names[i], "names sorted, each once")
  end
end)

t.test("find: the tag, then with (), then any case, then the shortest that starts with it or holds it", function()
  local index = help.index()
  t.eq(help.find("smelt.task.race()", index).tag, "smelt.task.race()")
  t.eq(help.find("smelt.task.race", index).tag, "smelt.task.race()", "a function without its ()")
  t.eq(help.find("SMELT.TASK.RACE", index).tag, "smelt.task.race()", "any case")
  t.eq(help.find(":w", index).tag, ":w", "an exact tag before longer ones (:wa, :wq)")
  t.eq(help.find("smelt.task.ti", index).tag, "smelt.task.timeout()", "a prefix")
  t.eq(help.find("is_cancelled", index).tag, "smelt.task.is_cancelled()", "a part of it")
  t.eq(help.find("no-such-topic-anywhere", index), nil)
  t.raises("bad argument #1 to 'smelt.help.find' (string expected, got nil)", help.find)
end)

t.test("complete: the tags that start with what was typed, sorted", function()
  t.same(help.complete("smelt.task.ra"), { "smelt.task.race()" })
  local all = help.complete("smelt.task.")
  t.truthy(#all >= 10, "every smelt.task function")
  for _, name in ipairs(all) do t.eq(name:sub(1, 11), "smelt.task.") end
  t.same(help.complete("no-such-"), {})
end)

t.test(":help is a command: completion through smelt.cmd.complete, and headless it says where", function()
  t.same(smelt.cmd.complete("help smelt.task.ra"), { "smelt.task.race()" })
  t.same(smelt.cmd.complete("h smelt.task.ra"), { "smelt.task.race()" }, ":h too")
  local names = smelt.cmd.complete("he")
  t.truthy(names[1] == "help", "the command's name completes")
  -- headless it prints where the entry is (caught here: the TAP output is on stdout)
  local printed = {}
  local real = io.stdout
  io.stdout = { write = function(_, ...) for _, s in ipairs({ ... }) do printed[#printed + 1] = s end end,
                flush = function() end }
  local ok, err = pcall(function() smelt.cmd.run("help smelt.task.race"):wait() end)
  io.stdout = real
  assert(ok, err)
  local where = help.find("smelt.task.race")
  t.eq(table.concat(printed), ("smelt.task.race(): %s:%d\n"):format(doc .. "/tasks.txt", where.line))
  ok, err = pcall(function() smelt.cmd.run("help no-such-topic-anywhere"):wait() end)
  t.falsy(ok)
  t.eq(err, "E149: no help for no-such-topic-anywhere")
  t.raises("smelt.help.open: requires the GUI (running with --no-ui)", help.open, "smelt.task.race")
  t.eq(help.follow(), false, "no help buffer to follow a link in")
end)

t.test("a plugin's doc/ on the runtime path is indexed too", function()
  local dir = os.tmpname()
  os.remove(dir)
  -- plain io: this spec runs on virtual time, where a GIO wait would time out at once
  assert(os.execute("mkdir -p " .. dir .. "/doc"))
  local f = assert(io.open(dir .. "/doc/myplugin.txt", "w"))
  f:write("*myplugin.txt*  My plugin\n\n*myplugin-setup*\nHow to.\n")
  f:close()
  local rtp = smelt.runtimepath()
  rtp[#rtp + 1] = dir
  local ok, err = pcall(function()
    local where = help.find("myplugin-setup")
    t.truthy(where, "found")
    t.eq(where.file, dir .. "/doc/myplugin.txt")
    t.eq(where.line, 3)
    t.eq(help.find("smelt.sleep").file, doc .. "/tasks.txt", "smelt's own still found")
  end)
  table.remove(rtp)
  os.remove(dir .. "/doc/myplugin.txt"); os.remove(dir .. "/doc"); os.remove(dir)
  if not ok then error(err, 0) end
  t.eq(help.find("myplugin-setup"), nil, "gone with its entry")
end)

t.test("the index is built once while the help files stay the same, and again when one changes", function()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir .. "/doc"))
  local path = dir .. "/doc/cached.txt"
  local function write(text)
    local f = assert(io.open(path, "w"))
    f:write(text)
    f:close()
  end
  write("*cached.txt*  Cached\n\n*cached-one*\n")
  local rtp = smelt.runtimepath()
  rtp[#rtp + 1] = dir
  local ok, err = pcall(function()
    local first = help.index()
    t.truthy(help.index() == first, "the same index while nothing changed")
    t.truthy(first.tags["cached-one"])
    write("*cached.txt*  Cached\n\n*cached-one*\n*cached-two*\n")
    local second = help.index()
    t.truthy(second ~= first, "built again after the file changed")
    t.truthy(second.tags["cached-two"], "with the new tag")
  end)
  table.remove(rtp)
  os.remove(path); os.remove(dir .. "/doc"); os.remove(dir)
  if not ok then error(err, 0) end
  t.eq(help.find("cached-two"), nil, "gone with its runtime path entry")
end)

t.run()
