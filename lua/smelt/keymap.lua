-- smelt/keymap.lua: key maps in Neovim notation, and the typeahead that holds keys back for them
-- SPDX-License-Identifier: LGPL-2.1-or-later

local smelt, internal = ...

-- Key maps, in Neovim notation ---------------------------------------------
--
-- The window feeds each key press as a token ("g", "<C-k>", "<CR>") and
-- holds it back while the keys so far may still become a map. Keys that
-- turn out to be no map are typed as if never intercepted (the window puts
-- them back on GTK's event queue), as Neovim does with typeahead: when the
-- next key makes a sequence that starts no map, or after timeoutlen ms with
-- no key. A sequence that is a map and the start of a longer one waits too,
-- and runs at the timeout.

smelt.keymap = smelt.keymap or {}
local maps = {}          -- lhs (each token followed by "\0") -> { fn, desc, keys }
local pending = {}       -- the tokens the window holds back, oldest first
local timer              -- the timeout of pending, while it waits
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

-- whether some map is longer than seq and starts with it
local function starts_a_map(seq)
  for lhs in pairs(maps) do
    if #lhs > #seq and lhs:sub(1, #seq) == seq then return true end
  end
  return false
end

--- Bind keys ("<C-k>", "<leader>f", "gd") to fn, which runs as a task; a
--- fn that returns false before it first parks declines: its keys go on
--- as if unmapped.
---@param keys string
---@param fn fun(): boolean|nil
---@param opts? { desc?: string }
---@return { remove: fun(self) }
function smelt.keymap.set(keys, fn, opts)
  if type(keys) ~= "string" or keys == "" then
    error(("bad argument #1 to 'smelt.keymap.set' (keys expected, got %s)"):format(type(keys)), 2)
  end
  if type(fn) ~= "function" then
    error(("bad argument #2 to 'smelt.keymap.set' (function expected, got %s)"):format(type(fn)), 2)
  end
  local lhs = lhs_of(keys)
  local entry = { fn = fn, desc = opts and opts.desc or "", keys = keys }
  maps[lhs] = entry
  return { remove = function() if maps[lhs] == entry then maps[lhs] = nil end end }
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
-- (it did unless it returned false without parking).
local function run(entry)
  local _h, ended, result = internal.spawn_now(entry.fn)
  return not (ended and result == false)
end

local on_timeout

-- Settles the pending keys as far as they can be: maps typed in full run,
-- keys that start none are typed. Returns how many of the first keys maps
-- took, and how many keys after those are typed (the rest go through here
-- again); 0 typed: the rest wait. At the timeout (final), nothing waits.
local function settle(final)
  local keys, drop = pending, 0
  pending = {}   -- an error below types them all (the window's default)
  if timer then timer:remove(); timer = nil end
  while #keys > 0 do
    if not final and starts_a_map(joined(keys, #keys)) then
      pending = keys
      timer = smelt.timer.set(internal.timeoutlen, on_timeout)
      return drop, 0
    end
    -- the longest map the keys start with; none: the first key is typed
    local n = #keys
    while n > 0 and not maps[joined(keys, n)] do n = n - 1 end
    if n == 0 then return drop, 1 end
    local entry = maps[joined(keys, n)]
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
