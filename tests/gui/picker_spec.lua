-- picker_spec.lua: smelt.ui.select with real keys: filtering (fuzzy, substring, none) and items that stream in
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local gui = require("guitest")
local wait_for = gui.wait_for

local function picker_titled(title)
  return function()
    local p = smelt_test.picker()
    return p and p.title == title and gui.find_window(title) and p
  end
end

t.test("fuzzy: 100,000 items streamed while it is open; typing ranks the best first, Return picks it", function()
  local target = "lua/smelt/picker_target.lua"
  local go_on = smelt.task.event()
  local h = smelt.spawn(function()
    return { smelt.ui.select(function(push)
      for i = 1, 100000 do
        push(("src/module%03d/file%05d.c"):format(i % 997, i))
        if i == 61234 then
          push("docs/p/i/c/k/e/r/t/a/r/notes.txt")   -- the same letters, apart
          push(target)
          push("lua/smelt/picker_target_old/README")   -- longer
          go_on:wait()
        end
      end
    end, { prompt = "Open file" }) }
  end)
  wait_for(picker_titled("Open file"), "the picker")
  -- the items pushed so far show while the producer is still at work
  wait_for(function() return smelt_test.picker().count == "61,237 / 61,237" end,
    "the first 61,237 items (it says " .. tostring((smelt_test.picker() or {}).count) .. ")", 60)
  if os.getenv("SMELT_SHOTS") then
    smelt.sleep(300)
    smelt.process.run("import", { "-window", "root", os.getenv("SMELT_SHOTS") .. "/picker-streaming.png" })
  end
  go_on:set()
  -- the items show while they come: the count grows to all of them
  wait_for(function() return smelt_test.picker().count == "100,003 / 100,003" end,
    "all the items counted (it says " .. tostring((smelt_test.picker() or {}).count) .. ")", 60)
  gui.type_into("Open file", "pickertar")
  wait_for(function() return smelt_test.picker().query == "pickertar" end, "the typed query")
  wait_for(function() return smelt_test.picker().filter_ms end, "the list redrawn")
  local p = smelt_test.picker()
  t.eq(p.count, "3 / 100,003")
  t.same(p.items, { target, "lua/smelt/picker_target_old/README", "docs/p/i/c/k/e/r/t/a/r/notes.txt" })
  t.eq(p.selected, target, "the best is selected")
  local shots = os.getenv("SMELT_SHOTS")
  if shots then
    smelt.sleep(300)
    smelt.process.run("import", { "-window", "root", shots .. "/picker.png" })
  end
  gui.type_into("Open file", nil, "Return")
  local got = h:wait()
  t.eq(got[1], target)
  t.eq(got[2], 61236, "its place in the order pushed")
  t.eq(smelt_test.picker(), nil, "the picker gone")
end, { timeout = 120000 })

t.test("fuzzy with no query: every item in order; Ctrl+N, Down, Ctrl+P and Up move", function()
  local h = smelt.spawn(function()
    return { smelt.ui.select({ "one", "two", "three", "four" }, { prompt = "Move" }) }
  end)
  wait_for(picker_titled("Move"), "the picker")
  t.same(smelt_test.picker().items, { "one", "two", "three", "four" })
  t.eq(smelt_test.picker().count, "4 / 4")
  gui.type_into("Move", nil, "ctrl+n")
  gui.xdotool("key", "Down", "Down", "ctrl+p")
  wait_for(function() return smelt_test.picker().selected == "three" end,
    "the third selected (" .. tostring(smelt_test.picker().selected) .. ")")
  gui.xdotool("key", "Up", "Return")
  t.same(h:wait(), { "two", 2 })
end)

t.test("filter = \"substring\": the items that contain the query, in their order; format labels them", function()
  local items = { { name = "alpha" }, { name = "Beta" }, { name = "alphabet" }, { name = "gamma" } }
  local h = smelt.spawn(function()
    return { smelt.ui.select(items, { prompt = "Substring", filter = "substring",
                                    format = function(item) return item.name end }) }
  end)
  wait_for(picker_titled("Substring"), "the picker")
  gui.type_into("Substring", "bet")
  wait_for(function() return smelt_test.picker().count == "2 / 4" end, "two left")
  t.same(smelt_test.picker().items, { "Beta", "alphabet" }, "case ignored, order kept")
  gui.type_into("Substring", "x")
  wait_for(function() return smelt_test.picker().count == "0 / 4" end, "none left")
  gui.xdotool("key", "Return")   -- nothing to pick: it stays
  smelt.sleep(200)
  t.truthy(smelt_test.picker(), "still open")
  gui.xdotool("key", "BackSpace", "Down", "Return")
  local got = h:wait()
  t.eq(got[1], items[3])
  t.eq(got[2], 3)
end)

t.test("filter = false: no entry, typed letters filter nothing, the keys still move and pick", function()
  local h = smelt.spawn(function()
    return { smelt.ui.select({ "red", "green", "blue" }, { prompt = "No filter", filter = false }) }
  end)
  wait_for(picker_titled("No filter"), "the picker")
  gui.type_into("No filter", "blu")
  smelt.sleep(200)
  t.eq(smelt_test.picker().count, "3 / 3")
  gui.xdotool("key", "Down", "Down", "Return")
  t.same(h:wait(), { "blue", 3 })
end)

t.test("a smelt.task.queue's items show as they are put; Return picks one before it is closed", function()
  local q = smelt.task.queue()
  local h = smelt.spawn(function() return { smelt.ui.select(q, { prompt = "Queue" }) } end)
  q:put("first")
  wait_for(picker_titled("Queue"), "the picker")
  wait_for(function() return smelt_test.picker().count == "1 / 1" end, "the first item")
  q:put("second")
  q:put("third")
  wait_for(function() return smelt_test.picker().count == "3 / 3" end, "three items")
  gui.type_into("Queue", "thi", "Return")
  t.same(h:wait(), { "third", 3 })
end)

t.test("Escape gives nil and cancels the task that produces the items", function()
  local cancelled = smelt.task.event()
  local h = smelt.spawn(function()
    return { smelt.ui.select(function(push)
      push("only")
      local ok, err = pcall(smelt.sleep, 60000)
      if not ok and smelt.task.is_cancelled(err) then cancelled:set() end
      error(err, 0)
    end, { prompt = "Escape me" }) }
  end)
  wait_for(picker_titled("Escape me"), "the picker")
  wait_for(function() return smelt_test.picker().count == "1 / 1" end, "its item")
  gui.type_into("Escape me", nil, "Escape")
  t.same(h:wait(), {})
  wait_for(function() return cancelled:is_set() end, "the producer cancelled")
end)

t.test("a producer that never parks does not freeze the window: keys are taken while it pushes", function()
  local h = smelt.spawn(function()
    return { smelt.ui.select(function(push)
      local i = 0
      while true do
        i = i + 1
        if not push("busy " .. i) then return end
      end
    end, { prompt = "Busy" }) }
  end)
  wait_for(picker_titled("Busy"), "the picker")
  gui.type_into("Busy", nil, "Escape")
  t.same(h:wait(), {})
end)

t.test("bad arguments raise, naming the option", function()
  t.raises("bad argument #1 to 'smelt.ui.select' (table expected, got string)", smelt.ui.select, "x")
  t.raises("bad argument #2 to 'smelt.ui.select' (opts.filter must be \"fuzzy\", \"substring\" or false, got \"exact\")",
    smelt.ui.select, {}, { filter = "exact" })
  t.raises("smelt.ui.select: unknown option 'filtre'", smelt.ui.select, {}, { filtre = false })
end)

t.run()
