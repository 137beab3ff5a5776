-- buf_completion_spec.lua: smelt.completion with --no-ui: registering, request() merging the providers, errors named
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")

-- registers providers for one case and removes them after it
local function providers(list)
  local ids = {}
  for i, opts in ipairs(list) do ids[i] = smelt.completion.register(opts) end
  return function() for _, id in ipairs(ids) do smelt.completion.unregister(id) end end
end

local function labels(items)
  local out = {}
  for i, item in ipairs(items) do out[i] = item.label end
  return out
end

-- parks until cond() holds (the case's timeout guards a hang)
local function until_true(cond)
  while not cond() do smelt.sleep(1) end
end

local function errors_since(n)
  local out = {}
  local all = smelt.messages()
  for i = n + 1, #all do
    if all[i].level == "error" then out[#out + 1] = all[i].message end
  end
  return out
end

t.test("register: bad and unknown options raise, naming the option", function()
  local pop = function() return {} end
  t.raises("bad argument #1 to 'smelt.completion.register' (table expected, got nil)", smelt.completion.register)
  t.raises("unknown option 'trigger'", smelt.completion.register, { name = "x", populate = pop, trigger = "." })
  t.raises("option 'name' is required", smelt.completion.register, { populate = pop })
  t.raises("option 'populate' is required: function expected", smelt.completion.register, { name = "x" })
  t.raises("option 'priority': integer expected, got string", smelt.completion.register,
    { name = "x", populate = pop, priority = "high" })
  t.raises("option 'filetypes': string or list of strings expected, got number", smelt.completion.register,
    { name = "x", populate = pop, filetypes = 3 })
  t.raises("option 'triggers': one character each expected, got \"->\"", smelt.completion.register,
    { name = "x", populate = pop, triggers = { ".", "->" } })
  t.raises("bad argument #1 to 'smelt.completion.unregister' (provider id expected, got string)",
    smelt.completion.unregister, "x")
  local id = smelt.completion.register({ name = "x", populate = pop, triggers = ".", filetypes = "lua" })
  t.eq(math.type(id), "integer")
  t.eq(smelt.completion.unregister(id), true)
  t.eq(smelt.completion.unregister(id), false, "gone already")
end)

t.test("request: the context a provider gets, and its items back with their fields", function()
  local b = smelt.buf.create({ text = "local value = val\n" })
  local seen
  local done = providers({ { name = "words", populate = function(ctx)
    seen = ctx
    return { { label = "value", detail = "local", kind = "variable", documentation = "a local",
               insert_text = "value" },
             { label = "valid", edit = { first_line = 1, first_col = 15, last_line = 1, last_col = 18, text = "valid" } } }
  end } })
  local items = smelt.completion.request(b, 1, 18)
  t.truthy(seen.buf == b, "ctx.buf")
  t.eq(seen.line, 1)
  t.eq(seen.col, 18)
  t.eq(seen.word, "val", "the word typed so far")
  t.eq(seen.trigger, nil)
  t.same(labels(items), { "value", "valid" })
  t.eq(items[1].detail, "local")
  t.eq(items[1].kind, "variable")
  t.eq(items[1].documentation, "a local")
  t.eq(items[1].provider, "words")
  t.same(items[2].edit, { first_line = 1, first_col = 15, last_line = 1, last_col = 18, text = "valid" })
  done()
  b:close({ force = true })
end)

t.test("request: providers merged highest priority first, each populate running as its own task", function()
  local b = smelt.buf.create({ text = "x\n" })
  local order = {}
  local done = providers({
    { name = "low", priority = -5, populate = function() order[#order + 1] = "low"; return { { label = "low1" } } end },
    { name = "slow-high", priority = 10, populate = function()
      smelt.sleep(50)   -- parks: the others run meanwhile
      order[#order + 1] = "slow-high"
      return { { label = "high1" }, { label = "high2" } }
    end },
    { name = "plain", populate = function() order[#order + 1] = "plain"; return { { label = "plain1" } } end },
  })
  t.same(labels(smelt.completion.request(b, 1, 2)), { "high1", "high2", "plain1", "low1" })
  t.eq(order[#order], "slow-high", "the parked one returned last, its items still first")
  done()
  b:close({ force = true })
end)

t.test("request: filetypes restrict a provider to buffers of that language; triggers to their characters", function()
  local dir = t.tmpdir()
  local lua_buf = smelt.buf.open(t.write(dir, "a.lua", "x.\n"))
  local plain = smelt.buf.create({ text = "x.\n" })
  t.eq(lua_buf:filetype(), "lua")
  local done = providers({
    { name = "lua-only", filetypes = { "lua", "c" }, populate = function() return { { label = "lua" } } end },
    { name = "any", populate = function() return { { label = "any" } } end },
    { name = "dot", triggers = { "." }, populate = function(ctx) return { { label = "member " .. tostring(ctx.trigger) } } end },
  })
  t.same(labels(smelt.completion.request(lua_buf, 1, 3)), { "lua", "any", "member nil" }, "all, without a trigger")
  t.same(labels(smelt.completion.request(plain, 1, 3)), { "any", "member nil" })
  t.same(labels(smelt.completion.request(lua_buf, 1, 3, { trigger = "." })), { "member ." }, "only the trigger's")
  t.same(labels(smelt.completion.request(plain, 1, 3, { trigger = ":" })), {})
  done()
  lua_buf:close({ force = true })
  plain:close({ force = true })
end)

t.test("request: a provider that raises or returns bad items gives nothing, named in an error message; the others' items come", function()
  local b = smelt.buf.create({ text = "x\n" })
  local before = #smelt.messages()
  local done = providers({
    { name = "broken", populate = function() error("no index here") end },
    { name = "bad-items", populate = function() return { { label = 3 } } end },
    { name = "good", populate = function() return { { label = "fine" } } end },
  })
  t.same(labels(smelt.completion.request(b, 1, 1)), { "fine" })
  local errs = errors_since(before)
  t.eq(#errs, 2, table.concat(errs, "\n"))
  t.contains(table.concat(errs, "\n"), "smelt.completion: provider 'broken' failed:")
  t.contains(table.concat(errs, "\n"), "no index here")
  t.contains(table.concat(errs, "\n"), "provider 'bad-items' failed: item 1: label: string expected, got number")
  done()
  b:close({ force = true })
end)

t.test("request: cancelling the asking task cancels the providers still running", function()
  local b = smelt.buf.create({ text = "x\n" })
  local saw
  local done = providers({ { name = "hangs", populate = function()
    local ok, err = pcall(smelt.sleep, 1e9)
    saw = not ok and smelt.task.is_cancelled(err)
    error(err, 0)
  end } })
  local h = smelt.spawn(function() return smelt.completion.request(b, 1, 1) end)
  smelt.sleep(20)
  h:cancel()
  smelt.sleep(20)
  t.eq(h:status(), "cancelled")
  t.eq(saw, true, "the provider's task saw the cancellation")
  done()
  b:close({ force = true })
end)

t.test("resolve: an item's resolve fills its documentation and detail; the item is passed as its provider gave it", function()
  local b = smelt.buf.create({ text = "x\n" })
  local got
  local done = providers({ { name = "lazy", populate = function()
    return {
      { label = "format", detail = "string", marker = 7, resolve = function(item)
        got = item
        smelt.sleep(5)   -- parks, as a server's answer would
        return { documentation = "Formats its arguments.", detail = "string.format(fmt, ...)" }
      end },
      { label = "plain", documentation = "as it was" },
    }
  end } })
  local items = smelt.completion.request(b, 1, 2)
  t.eq(items[1].documentation, nil, "nothing until resolved")
  local item = smelt.completion.resolve(items[1])
  t.eq(got.marker, 7, "resolve got the provider's own item")
  t.eq(item.documentation, "Formats its arguments.")
  t.eq(item.detail, "string.format(fmt, ...)")
  t.eq(item.label, "format")
  t.eq(item.provider, "lazy")
  t.eq(item.resolve, nil, "resolved: nothing left to resolve")
  t.truthy(smelt.completion.resolve(items[2]) == items[2], "an item without resolve comes back as it is")
  done()
  b:close({ force = true })
end)

t.test("resolve: one that raises is reported, naming its provider; the item keeps what it had", function()
  local b = smelt.buf.create({ text = "x\n" })
  local before = #smelt.messages()
  local done = providers({ { name = "flaky", populate = function()
    return { { label = "thing", documentation = "old", resolve = function() error("server went away") end },
             { label = "odd", resolve = function() return { documentation = 42 } end } }
  end } })
  local items = smelt.completion.request(b, 1, 2)
  local item = smelt.completion.resolve(items[1])
  t.eq(item.documentation, "old")
  local odd = smelt.completion.resolve(items[2])
  t.eq(odd.documentation, nil)
  local errs = table.concat(errors_since(before), "\n")
  t.contains(errs, "smelt.completion: provider 'flaky' failed to resolve 'thing':")
  t.contains(errs, "server went away")
  t.contains(errs, "failed to resolve 'odd': documentation: string expected, got number")
  t.raises("bad argument #1 to 'smelt.completion.resolve' (completion item expected, got nil)",
    smelt.completion.resolve)
  done()
  b:close({ force = true })
end)

t.test("resolve: cancelling the task waiting for it cancels the resolve", function()
  local b = smelt.buf.create({ text = "x\n" })
  local started, saw = false, nil
  local done = providers({ { name = "slow", populate = function()
    return { { label = "slowpoke", resolve = function()
      started = true
      local ok, err = pcall(smelt.sleep, 1e9)
      saw = not ok and smelt.task.is_cancelled(err)
      error(err, 0)
    end } }
  end } })
  local items = smelt.completion.request(b, 1, 2)
  local before = #smelt.messages()
  local h = smelt.spawn(function() return smelt.completion.resolve(items[1]) end)
  until_true(function() return started end)
  h:cancel()
  until_true(function() return saw ~= nil end)
  t.eq(saw, true, "resolve saw the cancellation")
  t.eq(h:status(), "cancelled")
  t.eq(#errors_since(before), 0, "a cancellation is no failure")
  done()
  b:close({ force = true })
end)

t.test("request: bad arguments raise, naming them", function()
  local b = smelt.buf.create({ text = "x\n" })
  t.raises("bad argument #1 to 'smelt.completion.request' (buffer expected, got nil)", smelt.completion.request)
  t.raises("bad argument #2 to 'smelt.completion.request' (line expected", smelt.completion.request, b, 0, 1)
  t.raises("bad argument #3 to 'smelt.completion.request' (column expected", smelt.completion.request, b, 1, "x")
  b:close({ force = true })
end)

t.run()
