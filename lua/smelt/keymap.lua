-- smelt/keymap.lua: key maps in Neovim notation, per buffer and file type, and the typeahead that holds keys back for them
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- Three layers of maps: a buffer's own, its file type's, the global ones.
-- In a buffer the maps that apply are the three merged, the same keys in
-- a higher layer shadowing the lower ones (buffer, then file type, then
-- global). The typeahead works on that merged set as on one table: a
-- prefix in one layer and a longer map in another make the prefix wait,
-- as two maps of one layer do. The tables exist with --no-ui too
-- (set/del/list); only the window feeds keys.
--
-- The window feeds each key press as a token ("g", "<C-k>", "<CR>") and
-- holds it back while the keys so far may still become a map. Keys that
-- turn out to be no map are typed as if never intercepted (the window puts
-- them back on GTK's event queue), as Neovim does with typeahead: when the
-- next key makes a sequence that starts no map, or after timeoutlen ms with
-- no key. A sequence that is a map and the start of a longer one waits too,
-- and runs at the timeout.

local smelt, internal = ...

smelt.keymap = smelt.keymap or {}
-- each layer: lhs (each token followed by "\0") -> { fn, desc, keys, lhs, buf, filetype }
local global = {}
local by_filetype = {}   -- filetype -> layer
local by_buf = {}        -- buffer id -> layer
internal.leader = internal.leader or "\\"   -- the GUI sets it from GSettings "leader"
internal.timeoutlen = internal.timeoutlen or 1000   -- and this from "timeoutlen"

local SPECIAL = { cr = "CR", ["return"] = "CR", enter = "CR", esc = "Esc", tab = "Tab", bs = "BS",
                  backspace = "BS", space = "Space", up = "Up", down = "Down", left = "Left",
                  right = "Right", del = "Del", delete = "Del" }

-- "<c-k>" -> "<C-k>", "<cr>" -> "<CR>", "<lt>" -> "<", "<C-K>" -> "<C-k>"
local function normal_token(inner)
  local mods, key = inner:match("^(.-%-?)([^%-]+)$")
  if key == nil then return nil end
  mods = mods:upper()
  if mods == "" and key:lower() == "lt" then return "<" end
  if SPECIAL[key:lower()] then
    key = SPECIAL[key:lower()]
  elseif key:match("^[fF]%d+$") then
    key = "F" .. key:sub(2)
  elseif utf8.len(key) == 1 then
    if mods == "" then return key end
    if mods:find("[CA]%-") then key = key:lower() end   -- as the window writes Ctrl+Shift+K
  else
    return nil
  end
  return "<" .. mods .. key .. ">"
end

-- keys as the window's tokens, each followed by "\0": a prefix of the string
-- is then a prefix of the keys ("<" typed does not start "<C-k>")
local function lhs_of(keys)
  keys = keys:gsub("<[lL][eE][aA][dD][eE][rR]>", function() return internal.leader end)
  local out, i = {}, 1
  while i <= #keys do
    local close = keys:sub(i, i) == "<" and keys:find(">", i + 1, true)
    local token = close and normal_token(keys:sub(i + 1, close - 1))
    if token then
      i = close + 1
    else
      token = keys:match("^" .. utf8.charpattern, i) or keys:sub(i, i)
      i = i + #token
      if token == " " then token = "<Space>" end
    end
    out[#out + 1] = token .. "\0"
  end
  return table.concat(out)
end

local function joined(tokens, n)
  return table.concat(tokens, "\0", 1, n) .. "\0"
end


-- The layers ----------------------------------------------------------------

-- whether v is a buffer (a smelt.Buffer userdata), open or closed
local function is_buffer(v)
  return type(v) == "userdata" and pcall(function() return v.id end) and v.valid ~= nil
end

local OPTIONS = {
  ["smelt.keymap.set"] = { buf = true, filetype = true, desc = true },
  ["smelt.keymap.del"] = { buf = true, filetype = true },
  ["smelt.keymap.list"] = { buf = true, filetype = true },
}

-- opts checked for fname, or {} for nil; raises at the caller of fname
local function check_opts(fname, opts, arg)
  if opts == nil then return {} end
  internal.check_opts(fname, opts, arg, OPTIONS[fname], 4)
  local function bad(field, want, v)
    local got = v == "" and "empty string" or type(v)
    error(("bad argument #%d to '%s' (opts.%s: %s expected, got %s)"):format(arg, fname, field, want, got), 4)
  end
  if opts.buf ~= nil then
    if not is_buffer(opts.buf) then bad("buf", "buffer", opts.buf) end
    if not opts.buf:valid() then error(fname .. ": opts.buf: the buffer was closed", 3) end
  end
  if opts.filetype ~= nil and (type(opts.filetype) ~= "string" or opts.filetype == "") then
    bad("filetype", "string", opts.filetype)
  end
  if opts.desc ~= nil and type(opts.desc) ~= "string" then bad("desc", "string", opts.desc) end
  if opts.buf ~= nil and opts.filetype ~= nil then
    error(fname .. ": opts.buf and opts.filetype: one layer at a time", 3)
  end
  return opts
end

local function check_keys(fname, keys)
  if type(keys) ~= "string" or keys == "" then
    error(("bad argument #1 to '%s' (keys expected, got %s)")
      :format(fname, keys == "" and "empty string" or type(keys)), 3)
  end
end

-- the layer opts name (created when create), and how an error names it
local function layer_of(opts, create)
  if opts.buf then
    local id = opts.buf.id
    if create and not by_buf[id] then by_buf[id] = {} end
    return by_buf[id], " for buffer " .. id
  elseif opts.filetype then
    if create and not by_filetype[opts.filetype] then by_filetype[opts.filetype] = {} end
    return by_filetype[opts.filetype], " for file type " .. opts.filetype
  end
  return global, ""
end

-- the layers that apply in buf (nil: none), the first winning; with
-- filetype instead, those of a buffer of that file type with no maps of its own
local function layers_in(buf, filetype)
  local out = {}
  if buf ~= nil and buf:valid() then
    out[#out + 1] = by_buf[buf.id]
    filetype = buf:filetype()
  end
  out[#out + 1] = filetype and by_filetype[filetype]
  out[#out + 1] = global
  return out
end

local function lookup(layers, lhs)
  for _, layer in ipairs(layers) do
    if layer[lhs] then return layer[lhs] end
  end
end

-- A buffer's maps go with it.
smelt.on("buf-close", function(ev) by_buf[ev.buf.id] = nil end)

--- Bind keys ("<C-k>", "<leader>f", "gd") to fn, which runs as a task; a
--- fn that returns false before it first parks declines: its keys go on
--- as if unmapped. opts.buf binds them in that buffer only (until it
--- closes), opts.filetype in the buffers of that file type; in a buffer,
--- its own maps come first, then its file type's, then the global ones.
--- Keys already bound in the same layer are bound anew.
---@param keys string
---@param fn fun(): boolean|nil
---@param opts? { desc?: string, buf?: smelt.Buffer, filetype?: string }
---@return { remove: fun(self) }
function smelt.keymap.set(keys, fn, opts)
  check_keys("smelt.keymap.set", keys)
  if type(fn) ~= "function" then
    error(("bad argument #2 to 'smelt.keymap.set' (function expected, got %s)"):format(type(fn)), 2)
  end
  opts = check_opts("smelt.keymap.set", opts, 3)
  local lhs = lhs_of(keys)
  local layer = layer_of(opts, true)
  local entry = { fn = fn, desc = opts.desc or "", keys = keys, lhs = lhs,
                  buf = opts.buf, filetype = opts.filetype }
  layer[lhs] = entry
  return { remove = function() if layer[lhs] == entry then layer[lhs] = nil end end }
end

--- Unbind keys in one layer: the global one, or opts.buf's, or
--- opts.filetype's. Raises "smelt.keymap.del: no key map KEYS [for buffer
--- N | for file type FT]" when that layer has none.
---@param keys string
---@param opts? { buf?: smelt.Buffer, filetype?: string }
function smelt.keymap.del(keys, opts)
  check_keys("smelt.keymap.del", keys)
  opts = check_opts("smelt.keymap.del", opts, 2)
  local lhs = lhs_of(keys)
  local layer, where = layer_of(opts, false)
  if not (layer and layer[lhs]) then
    error(("smelt.keymap.del: no key map %s%s"):format(keys, where), 2)
  end
  layer[lhs] = nil
end

local RANK = { global = 0, filetype = 1, buf = 2 }

local function rank(m)
  return m.buf and RANK.buf or m.filetype and RANK.filetype or RANK.global
end

--- The maps, sorted by keys: with opts.buf, those that apply in that
--- buffer (a map shadowed by a higher layer's for the same keys left out);
--- with opts.filetype, those that apply in a buffer of that file type that
--- has no maps of its own; with neither, every map of every layer.
---@param opts? { buf?: smelt.Buffer, filetype?: string }
---@return { keys: string, desc: string, buf?: smelt.Buffer, filetype?: string }[]
function smelt.keymap.list(opts)
  opts = check_opts("smelt.keymap.list", opts, 1)
  local entries = {}
  if opts.buf or opts.filetype then
    local seen = {}
    for _, layer in ipairs(layers_in(opts.buf, opts.filetype)) do
      for lhs, e in pairs(layer) do
        if not seen[lhs] then seen[lhs] = true; entries[#entries + 1] = e end
      end
    end
  else
    local layers = { global }
    for _, l in pairs(by_filetype) do layers[#layers + 1] = l end
    for _, l in pairs(by_buf) do layers[#layers + 1] = l end
    for _, layer in ipairs(layers) do
      for _, e in pairs(layer) do entries[#entries + 1] = e end
    end
  end
  table.sort(entries, function(a, b)
    if a.keys ~= b.keys then return a.keys < b.keys end
    if rank(a) ~= rank(b) then return rank(a) < rank(b) end
    return (a.filetype or "") < (b.filetype or "")
  end)
  local out = {}
  for i, e in ipairs(entries) do
    out[i] = { keys = e.keys, desc = e.desc, buf = e.buf, filetype = e.filetype }
  end
  return out
end

-- The typeahead (the window only) ---------------------------------------------

if not internal.ui then
  return
end

local pending = {}       -- the tokens the window holds back, oldest first
local timer              -- the timeout of pending, while it waits

-- whether some map of layers is longer than seq and starts with it
local function starts_a_map(layers, seq)
  for _, layer in ipairs(layers) do
    for lhs in pairs(layer) do
      if #lhs > #seq and lhs:sub(1, #seq) == seq then return true end
    end
  end
  return false
end

--- How long, in ms, a key that starts a map waits for the next one before
--- it is typed (or, if it is a map itself, runs); with ms, sets it (until
--- GSettings "timeoutlen" changes). Returns the value in effect.
---@param ms? integer
---@return integer
function smelt.keymap.timeoutlen(ms)
  if ms ~= nil then
    if math.type(ms) ~= "integer" or ms < 0 then
      error(("bad argument #1 to 'smelt.keymap.timeoutlen' (milliseconds expected, got %s)")
        :format(math.type(ms) and tostring(ms) or type(ms)), 2)
    end
    internal.timeoutlen = ms
  end
  return internal.timeoutlen
end

-- Runs entry's handler now, up to its first park: whether it took the keys
-- (it did unless it returned false without parking). The task is named for
-- the keys, so an error it raises says which map it came from.
local function run(entry)
  local _h, ended, result = internal.spawn_now(function()
    smelt.task.name("key map " .. entry.keys)
    return entry.fn()
  end)
  return not (ended and result == false)
end

local on_timeout

-- Settles the pending keys as far as they can be, with the maps of the
-- buffer the window shows: maps typed in full run, keys that start none
-- are typed. Returns how many of the first keys maps took, and how many
-- keys after those are typed (the rest go through here again); 0 typed:
-- the rest wait. At the timeout (final), nothing waits.
local function settle(final)
  local keys, drop = pending, 0
  pending = {}   -- an error below types them all (the window's default)
  if timer then timer:remove(); timer = nil end
  while #keys > 0 do
    local layers = layers_in(smelt.buf.current())   -- a map run may change the buffer
    if not final and starts_a_map(layers, joined(keys, #keys)) then
      pending = keys
      timer = smelt.timer.set(internal.timeoutlen, on_timeout)
      return drop, 0
    end
    -- the longest map the keys start with; none: the first key is typed
    local n = #keys
    while n > 0 and not lookup(layers, joined(keys, n)) do n = n - 1 end
    if n == 0 then return drop, 1 end
    local entry = lookup(layers, joined(keys, n))
    keys = table.move(keys, n + 1, #keys, 1, {})
    if not run(entry) then return drop, n end   -- declined: typed as if unmapped
    drop = drop + n
    final = false   -- what follows a map that ran waits for keys again
  end
  return drop, 0
end

function on_timeout()
  timer = nil
  internal.keymap_release(settle(true))
end

--- The window feeds every key press it holds back as a token ("<C-k>",
--- "a", "<CR>"), and how many it holds with this one; returns how many of
--- those maps took, and how many after those are typed (see settle).
---@param token string
---@param held integer
---@return integer drop
---@return integer typed
function internal.keymap_feed(token, held)
  -- the window forgot keys (it closed): so does this
  if #pending >= held then pending = table.move(pending, #pending - held + 2, #pending, 1, {}) end
  pending[#pending + 1] = token
  return settle(false)
end
