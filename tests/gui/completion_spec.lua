-- completion_spec.lua: Lua completion providers in GtkSourceView's popup, with real keys
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local gui = require("guitest")
local wait_for = gui.wait_for

local function title()
  for _, line in ipairs(smelt_test.toplevels()) do
    local name = line:match("^(.-— smelt)")
    if name then return name end
  end
end

local function shown(name)
  wait_for(function() return title() == name .. " — smelt" end, name .. " shown (" .. tostring(title()) .. ")")
end

local function rows() return table.concat(smelt_test.completion_rows(), ",") end

local function shot(name)
  local dir = assert(os.getenv("SMELT_SHOTS"), "SMELT_SHOTS: where " .. name .. " goes (tests/gui/meson.build)")
  smelt.sleep(300)
  smelt.process.run("import", { "-window", "root", dir .. "/" .. name })
end

t.test("a provider's items show in the popup while typing; typing on refilters them without asking again", function()
  local calls, words = 0, {}
  local id = smelt.completion.register({ name = "words", populate = function(ctx)
    calls = calls + 1
    words[#words + 1] = ctx.word
    return {
      { label = "format", detail = "string.format", kind = "function", documentation = "Formats its arguments." },
      { label = "formula", detail = "local", kind = "variable" },
      { label = "forward", kind = "keyword" },
      { label = "fold", detail = "table" },
    }
  end })
  local b = smelt.buf.create({ name = "completed", text = "\n" })
  shown("completed")
  b:set_cursor(1, 1)
  gui.type_into("smelt", "fo")
  local ok = pcall(wait_for, function() return #smelt_test.completion_rows() == 4 end, "the popup's four rows", 10)
  t.truthy(ok, "rows shown: " .. rows() .. "; text " .. b:text())
  t.eq(rows(), "format,formula,forward,fold", "in the provider's order")
  t.eq(table.concat(smelt_test.completion_rows("after"), ","), "string.format,local,,table", "the details beside them")
  gui.type_into("smelt", "rm")
  wait_for(function() return rows() == "format,formula" end, "the rows refiltered on \"form\" (" .. rows() .. ")")
  t.eq(calls, 1, "one populate: typing on in the word refilters")
  t.eq(words[1], "f", "asked on the first letter")
  shot("completion.png")
  -- Down selects the first row, Return puts it in place of the word
  gui.type_into("smelt", nil, "Down")
  smelt.sleep(100)
  gui.type_into("smelt", nil, "Return")
  wait_for(function() return b:lines(1, 1)[1] == "format" end, "the word completed (" .. b:lines(1, 1)[1] .. ")")
  wait_for(function() return #smelt_test.completion_rows() == 0 end, "the popup closed")
  smelt.completion.unregister(id)
  b:close({ force = true })
end, { timeout = 60000 })

t.test("a provider that says its list is incomplete is asked again as the word grows", function()
  -- as a language server does: the first items of the word, and more exist
  local words = {}
  local all = { "beta", "betamax", "betamax_two", "bettor" }
  local id = smelt.completion.register({ name = "partial", populate = function(ctx)
    words[#words + 1] = ctx.word
    local out = { incomplete = true }
    for _, w in ipairs(all) do
      if w:sub(1, #ctx.word) == ctx.word and #out < 1 then out[#out + 1] = { label = w } end
    end
    return out
  end })
  local b = smelt.buf.create({ name = "partial", text = "\n" })
  shown("partial")
  b:set_cursor(1, 1)
  gui.type_into("smelt", "b")
  wait_for(function() return rows() == "beta" end, "the first item of \"b\" (" .. rows() .. ")")
  gui.type_into("smelt", "etam")
  -- filtering "beta" on "betam" would leave nothing: it is asked again
  wait_for(function() return rows() == "betamax" end, "the first item of what is typed now (" .. rows() .. ")")
  t.truthy(#words >= 2, "asked again: " .. table.concat(words, ","))
  t.eq(words[1], "b")
  smelt.completion.unregister(id)
  b:close({ force = true })
end, { timeout = 60000 })

t.test("a provider that hangs holds up neither typing nor the others' items; typing past the word cancels its task", function()
  local started, cancelled = 0, 0
  local hang = smelt.completion.register({ name = "hangs", priority = 10, populate = function()
    started = started + 1
    local ok, err = pcall(smelt.sleep, 1e9)
    if not ok and smelt.task.is_cancelled(err) then cancelled = cancelled + 1 end
    error(err, 0)
  end })
  local quick = smelt.completion.register({ name = "quick", populate = function()
    return { { label = "alpha" }, { label = "alphabet" } }
  end })
  local b = smelt.buf.create({ name = "hanging", text = "\n" })
  shown("hanging")
  b:set_cursor(1, 1)
  gui.type_into("smelt", "al")
  local ok = pcall(wait_for, function() return rows() == "alpha,alphabet" end, "the quick provider's rows", 10)
  t.truthy(ok, "rows shown: " .. rows() .. "; text " .. b:text())
  t.eq(started, 1, "the hanging one runs")
  t.eq(cancelled, 0, "and still runs while the popup shows the others'")
  -- a space ends the word: GtkSourceCompletion cancels its GCancellable
  -- (each word typed after asks again; the last space cancels the last)
  gui.type_into("smelt", "p more words ")
  wait_for(function() return b:lines(1, 1)[1] == "alp more words " end, "every key typed in (" .. b:lines(1, 1)[1] .. ")")
  wait_for(function() return cancelled == started and started >= 1 end,
    ("the hanging tasks cancelled (%d of %d)"):format(cancelled, started))
  -- none left behind
  for _, info in ipairs(smelt.task.list()) do
    t.falsy(info.name:find("hangs", 1, true) or info.name == "completion", "left running: " .. info.name)
  end
  smelt.completion.unregister(hang)
  smelt.completion.unregister(quick)
  gui.type_into("smelt", nil, "Escape")
  b:close({ force = true })
end, { timeout = 60000 })

t.test("a trigger character asks its provider at once, with ctx.trigger", function()
  local got
  local id = smelt.completion.register({ name = "members", triggers = { "." }, populate = function(ctx)
    got = ctx
    return { { label = "insert", kind = "method" }, { label = "concat", kind = "method" } }
  end })
  local b = smelt.buf.create({ name = "triggered", text = "\n" })
  shown("triggered")
  b:set_cursor(1, 1)
  gui.type_into("smelt", "table.")
  local ok = pcall(wait_for, function() return rows() == "insert,concat" end, "the members after the dot", 10)
  t.truthy(ok, "rows shown: " .. rows() .. "; text " .. b:text())
  t.eq(got.trigger, ".")
  t.eq(got.word, "")
  t.eq(got.col, 7)
  gui.type_into("smelt", "co")
  wait_for(function() return rows() == "concat" end, "refiltered on \"co\" (" .. rows() .. ")")
  smelt.completion.unregister(id)
  gui.type_into("smelt", nil, "Escape")
  b:close({ force = true })
end, { timeout = 60000 })

t.test("leaving the tab while a provider hangs cancels its task", function()
  local started, cancelled = false, false
  local hang = smelt.completion.register({ name = "hangs-too", populate = function()
    started = true
    local ok, err = pcall(smelt.sleep, 1e9)
    cancelled = not ok and smelt.task.is_cancelled(err)
    error(err, 0)
  end })
  local b = smelt.buf.create({ name = "left", text = "\n" })
  shown("left")
  b:set_cursor(1, 1)
  gui.type_into("smelt", "wo")
  wait_for(function() return started end, "the provider asked", 10)
  local other = smelt.buf.create({ name = "elsewhere" })
  shown("elsewhere")
  wait_for(function() return cancelled end, "the hung task cancelled when its view went off screen", 10)
  smelt.completion.unregister(hang)
  other:close({ force = true })
  b:close({ force = true })
end, { timeout = 60000 })

t.test("a provider that raises is named in the message area; the others' items still show", function()
  local broken = smelt.completion.register({ name = "broken", populate = function() error("index not built") end })
  local fine = smelt.completion.register({ name = "fine", populate = function() return { { label = "zebra" } } end })
  local b = smelt.buf.create({ name = "raising", text = "\n" })
  shown("raising")
  b:set_cursor(1, 1)
  gui.type_into("smelt", "ze")
  wait_for(function() return rows() == "zebra" end, "the fine provider's row (" .. rows() .. ")", 10)
  wait_for(function() return smelt_test.message():find("provider 'broken' failed", 1, true) end,
    "the error in the message area (" .. smelt_test.message() .. ")")
  t.contains(smelt_test.message(), "index not built")
  smelt.completion.unregister(broken)
  smelt.completion.unregister(fine)
  gui.type_into("smelt", nil, "Escape")
  b:close({ force = true })
end, { timeout = 60000 })

t.test("selecting a row resolves its documentation; moving on cancels a resolve still running", function()
  local slow_started, slow_cancelled, resolves = false, false, 0
  local id = smelt.completion.register({ name = "lazy", populate = function()
    return {
      { label = "alpha", detail = "a", resolve = function()
        resolves = resolves + 1
        smelt.sleep(200)   -- a server's answer
        return { documentation = "Alpha: the first letter, resolved.", detail = "alpha(x)" }
      end },
      { label = "alphonse", resolve = function()
        slow_started = true
        local ok, err = pcall(smelt.sleep, 1e9)
        slow_cancelled = not ok and smelt.task.is_cancelled(err)
        error(err, 0)
      end },
      { label = "alpine", documentation = "Of the mountains." },
    }
  end })
  local b = smelt.buf.create({ name = "resolving", text = "\n" })
  shown("resolving")
  b:set_cursor(1, 1)
  gui.type_into("smelt", "al")
  local ok = pcall(wait_for, function() return rows() == "alpha,alphonse,alpine" end, "the rows", 10)
  t.truthy(ok, "rows shown: " .. rows() .. "; text " .. b:text())
  t.eq(resolves, 0, "nothing resolved before a row is selected")
  gui.type_into("smelt", nil, "Down")
  wait_for(function() return smelt_test.completion_details() == "Alpha: the first letter, resolved." end,
    "the resolved documentation shown (" .. tostring(smelt_test.completion_details()) .. ")", 10)
  wait_for(function() return smelt_test.completion_rows("after")[1] == "alpha(x)" end,
    "the resolved detail beside the label (" .. tostring(smelt_test.completion_rows("after")[1]) .. ")")
  t.eq(rows(), "alpha,alphonse,alpine", "the rows stay")
  -- the next row's resolve hangs; moving on from it cancels its task
  gui.type_into("smelt", nil, "Down")
  wait_for(function() return slow_started end, "the slow resolve asked", 10)
  t.eq(slow_cancelled, false, "running while its row is selected")
  gui.type_into("smelt", nil, "Down")
  wait_for(function() return slow_cancelled end, "the slow resolve cancelled on moving on", 10)
  wait_for(function() return smelt_test.completion_details() == "Of the mountains." end,
    "the next row's own documentation (" .. tostring(smelt_test.completion_details()) .. ")")
  -- back to the first: resolved already, not asked again; its details shown
  gui.type_into("smelt", nil, "Up")
  gui.type_into("smelt", nil, "Up")
  wait_for(function() return smelt_test.completion_details() == "Alpha: the first letter, resolved." end,
    "the first row's resolved documentation again (" .. tostring(smelt_test.completion_details()) .. ")")
  t.eq(resolves, 1, "resolved once")
  t.truthy(smelt_test.completion_open_details(), "the popup's Details button")
  shot("completion-resolved.png")
  gui.type_into("smelt", nil, "Escape")
  wait_for(function() return #smelt_test.completion_rows() == 0 end, "the popup closed")
  for _, info in ipairs(smelt.task.list()) do
    t.falsy(info.name == "completion resolve", "left running: " .. info.name)
  end
  smelt.completion.unregister(id)
  b:close({ force = true })
end, { timeout = 60000 })

t.test("closing the popup cancels a resolve still running", function()
  local started, cancelled = false, false
  local id = smelt.completion.register({ name = "stuck", populate = function()
    return { { label = "zeta", resolve = function()
      started = true
      local ok, err = pcall(smelt.sleep, 1e9)
      cancelled = not ok and smelt.task.is_cancelled(err)
      error(err, 0)
    end } }
  end })
  local b = smelt.buf.create({ name = "closing", text = "\n" })
  shown("closing")
  b:set_cursor(1, 1)
  gui.type_into("smelt", "ze")
  wait_for(function() return rows() == "zeta" end, "the row (" .. rows() .. ")", 10)
  gui.type_into("smelt", nil, "Down")
  wait_for(function() return started end, "the resolve asked", 10)
  gui.type_into("smelt", nil, "Escape")
  wait_for(function() return cancelled end, "the resolve cancelled with the popup closed", 10)
  smelt.completion.unregister(id)
  b:close({ force = true })
end, { timeout = 60000 })

t.run()
