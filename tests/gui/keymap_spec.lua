-- keymap_spec.lua: key maps with real keys: a key that starts a map but does not complete one is typed
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run by tests/gui/run-gui-test.sh under Xvfb: smelt --test-script keymap_spec.lua
local t = require("testlib")
-- a hang guard only: real keys under AddressSanitizer on a shared 2-core machine
t.default_timeout = 30000

local gui = require("guitest")
local xdotool, type_into, wait_for = gui.xdotool, gui.type_into, gui.wait_for

local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p " .. dir)

-- each case types into a buffer of its own, which has the keyboard
local function fresh(name, ext)
  local b = smelt.buf.open(dir .. "/" .. name .. (ext or ".txt"))
  smelt.buf.set_current(b)
  wait_for(function() return smelt_test.focus_widget() == "GtkSourceView" end, "the text to have the keyboard")
  return b
end

--- Waits for b's text to be want; fails naming what it is instead.
local function wait_text(b, want, seconds)
  local ok = pcall(wait_for, function() return b:text() == want end, "", seconds)
  if not ok then
    error(("the buffer says %q, not %q"):format(b:text(), want), 2)
  end
end

--- Maps keys, counting its runs in hits[keys]; returns the handle.
local function counting(hits, keys, ret)
  hits[keys] = 0
  return smelt.keymap.set(keys, function()
    hits[keys] = hits[keys] + 1
    return ret
  end)
end

t.test("typed text that starts a key map but does not complete one goes in as typed", function()
  local hits = {}
  local gd, lr = counting(hits, "gd"), counting(hits, "<leader>r")
  local b = fresh("prefixes")
  type_into("smelt", "good dog, path a\\b ok")
  wait_text(b, "good dog, path a\\b ok")
  t.eq(hits.gd, 0); t.eq(hits["<leader>r"], 0)
  gd:remove(); lr:remove()
  b:close({ force = true })
end)

t.test("typed fast (2 ms a key), the keys keep their order", function()
  local hits = {}
  local gd, lr = counting(hits, "gd"), counting(hits, "<leader>r")
  local b = fresh("fast")
  gui.focus(gui.find_window("smelt"))
  xdotool("type", "--delay", "2", "good dog, path a\\b ok, gg\\\\g")
  wait_text(b, "good dog, path a\\b ok, gg\\\\g")
  t.eq(hits.gd, 0); t.eq(hits["<leader>r"], 0)
  gd:remove(); lr:remove()
  b:close({ force = true })
end)

t.test("a key map typed in full runs, and its keys are not typed", function()
  local hits = {}
  local gd, lr = counting(hits, "gd"), counting(hits, "<leader>r")
  local b = fresh("full")
  type_into("smelt", "agd\\rb")
  wait_text(b, "ab")
  wait_for(function() return hits.gd == 1 and hits["<leader>r"] == 1 end, "both maps to run")
  gd:remove(); lr:remove()
  b:close({ force = true })
end)

t.test("after timeoutlen a lone pending key is typed", function()
  local hits = {}
  local gd = counting(hits, "gd")
  t.eq(smelt.keymap.timeoutlen(), 1000, "Neovim's default")
  smelt.keymap.timeoutlen(200)
  t.eq(smelt.keymap.timeoutlen(), 200)
  local b = fresh("timeout")
  local start = smelt.now()
  type_into("smelt", "g")
  wait_text(b, "g", 5)
  t.truthy(smelt.now() - start >= 200, "typed after the timeout, not at once: " .. (smelt.now() - start) .. " ms")
  t.eq(hits.gd, 0)
  smelt.keymap.timeoutlen(1000)
  gd:remove()
  b:close({ force = true })
end)

t.test("after timeoutlen a pending sequence that is a map itself runs", function()
  local hits = {}
  local gq, gqq = counting(hits, "gq"), counting(hits, "gqq")
  smelt.keymap.timeoutlen(200)
  local b = fresh("timeout-map")
  type_into("smelt", "xgq")
  wait_for(function() return hits.gq == 1 end, "gq to run after the timeout")
  t.eq(b:text(), "x"); t.eq(hits.gqq, 0)
  type_into("smelt", "gqq")
  wait_for(function() return hits.gqq == 1 end, "gqq to run")
  t.eq(hits.gq, 1); t.eq(b:text(), "x")
  smelt.keymap.timeoutlen(1000)
  gq:remove(); gqq:remove()
  b:close({ force = true })
end)

t.test("timeoutlen follows GSettings and refuses what is not a number of ms", function()
  smelt_test.set_setting("timeoutlen", 300)
  wait_for(function() return smelt.keymap.timeoutlen() == 300 end, "timeoutlen to follow GSettings")
  smelt_test.set_setting("timeoutlen", 1000)
  wait_for(function() return smelt.keymap.timeoutlen() == 1000 end, "timeoutlen to follow GSettings")
  t.raises("bad argument #1 to 'smelt.keymap.timeoutlen' (milliseconds expected, got string)",
    smelt.keymap.timeoutlen, "soon")
  t.raises("bad argument #1 to 'smelt.keymap.timeoutlen' (milliseconds expected, got -1)",
    smelt.keymap.timeoutlen, -1)
end)

t.test("a pending key then a key that is not text: both do what they would have done", function()
  local hits = {}
  local lr, tab = counting(hits, "<leader>r"), counting(hits, "<Tab>x")
  local b = fresh("nontext")
  type_into("smelt", "ab\\", "BackSpace")
  wait_text(b, "ab")
  type_into("smelt", "\\", "Return")
  wait_text(b, "ab\\\n")
  type_into("smelt", nil, "Tab")
  type_into("smelt", "y")
  wait_text(b, "ab\\\n\ty")
  t.eq(hits["<leader>r"], 0); t.eq(hits["<Tab>x"], 0)
  lr:remove(); tab:remove()
  b:close({ force = true })
end)

t.test("a pending key, then Ctrl+;: the key is typed in the text, then the command line opens", function()
  local hits = {}
  local lr = counting(hits, "<leader>r")
  local b = fresh("command-line")
  type_into("smelt", "a\\", "ctrl+semicolon")
  wait_for(function() return smelt_test.command_line() == ":" end, "the command line to open")
  wait_text(b, "a\\")
  type_into("smelt", "x")
  wait_for(function() return smelt_test.command_line() == ":x" end, "x typed in the command line")
  type_into("smelt", nil, "Escape")
  wait_for(function() return smelt_test.command_line() == nil end, "the command line to close")
  t.eq(b:text(), "a\\"); t.eq(hits["<leader>r"], 0)
  lr:remove()
  b:close({ force = true })
end)

t.test("a handler that returns false declines: Ctrl+A still selects all", function()
  local hits = {}
  local ca = counting(hits, "<C-a>", false)
  local b = fresh("decline")
  type_into("smelt", "hello world")
  wait_text(b, "hello world")
  type_into("smelt", nil, "ctrl+a")
  wait_for(function() return hits["<C-a>"] == 1 end, "the <C-a> handler to run")
  type_into("smelt", "x")   -- replaces the selection: everything
  wait_text(b, "x")
  ca:remove()
  -- one that does not decline takes the key
  local taken = counting(hits, "<C-a>")
  b:set_text("hello")
  type_into("smelt", nil, "ctrl+a")
  wait_for(function() return hits["<C-a>"] == 1 end, "the <C-a> handler to run")
  type_into("smelt", "!")
  wait_for(function() return b:text():find("!", 1, true) end, "the ! to be typed")
  t.eq(#b:text(), #"hello!", "typed beside the text, not over it: " .. b:text())
  taken:remove()
  b:close({ force = true })
end)

t.test("a declining sequence types its keys", function()
  local hits = {}
  local gd = counting(hits, "gd", false)
  local b = fresh("decline-seq")
  type_into("smelt", "agdb")
  wait_text(b, "agdb")
  t.eq(hits.gd, 1)
  gd:remove()
  b:close({ force = true })
end)

--- Maps keys in the layer opts names, recording the layer that ran in runs.
local function recording(runs, keys, layer, opts)
  opts = opts or {}
  opts.desc = layer
  return smelt.keymap.set(keys, function() runs[#runs + 1] = layer end, opts)
end

t.test("a buffer's map wins over its file type's over the global one, in that buffer only", function()
  local runs = {}
  local own, other, plain = fresh("own", ".lua"), fresh("other", ".lua"), fresh("plain")
  t.eq(own:filetype(), "lua"); t.eq(plain:filetype(), nil)
  local maps = {
    recording(runs, "<C-x>a", "global"),
    recording(runs, "<C-x>a", "lua", { filetype = "lua" }),
    recording(runs, "<C-x>a", "own", { buf = own }),
  }
  for _, case in ipairs({ { own, "own" }, { other, "lua" }, { plain, "global" } }) do
    local b, want = case[1], case[2]
    smelt.buf.set_current(b)
    wait_for(function() return smelt_test.focus_widget() == "GtkSourceView" end, "the text to have the keyboard")
    gui.focus(gui.find_window("smelt"))
    xdotool("key", "--delay", "15", "ctrl+x", "a")   -- one call: a waits for the next key 1 s only
    wait_for(function() return #runs == 1 end, "a map to run in " .. b:name())
    t.eq(runs[1], want, "in " .. b:name())
    t.eq(b:text(), "", "the keys taken, not typed")
    runs[1] = nil
  end
  for _, m in ipairs(maps) do m:remove() end
  own:close({ force = true }); other:close({ force = true }); plain:close({ force = true })
end)

t.test("a prefix in one layer and a longer map in another: the prefix waits only where the longer one is", function()
  local runs = {}
  local own, plain = fresh("prefix-own"), fresh("prefix-plain")
  local gq = recording(runs, "gq", "gq")
  local gqq = recording(runs, "gqq", "own gqq", { buf = own })
  smelt.buf.set_current(plain)
  wait_for(function() return smelt_test.focus_widget() == "GtkSourceView" end, "the text to have the keyboard")
  type_into("smelt", "xgqy")   -- no gqq here: gq runs at once, y is typed
  wait_text(plain, "xy")
  t.eq(table.concat(runs, ","), "gq")
  smelt.buf.set_current(own)
  wait_for(function() return smelt_test.focus_widget() == "GtkSourceView" end, "the text to have the keyboard")
  type_into("smelt", "xgqqy")   -- gq waits for the q that makes the buffer's gqq
  wait_text(own, "xy")
  t.eq(table.concat(runs, ","), "gq,own gqq")
  gq:remove(); gqq:remove()
  own:close({ force = true }); plain:close({ force = true })
end)

t.test("a buffer's map goes when Ctrl+W closes its buffer: the same file opened again types the keys", function()
  local hits = {}
  local b = fresh("closed-map")
  local path = b:path()
  smelt.keymap.set("zz", function() hits[#hits + 1] = "zz" end, { buf = b })
  type_into("smelt", "azzb")
  wait_text(b, "ab")
  t.eq(#hits, 1)
  b:set_text("")
  b:save()   -- nothing unsaved: Ctrl+W closes without asking
  type_into("smelt", nil, "ctrl+w")
  wait_for(function() return not b:valid() end, "Ctrl+W to close the buffer")
  for _, m in ipairs(smelt.keymap.list()) do
    t.truthy(m.keys ~= "zz", "no zz map left behind")
  end
  local again = smelt.buf.open(path)
  smelt.buf.set_current(again)
  wait_for(function() return smelt_test.focus_widget() == "GtkSourceView" end, "the text to have the keyboard")
  type_into("smelt", "azzb")
  wait_text(again, "azzb")
  t.eq(#hits, 1, "the old buffer's map did not run")
  again:close({ force = true })
end)

t.run()
