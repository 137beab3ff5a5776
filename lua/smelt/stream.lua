-- smelt/stream.lua: smelt.Stream, the byte streams of processes and sockets
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The C half (plugin-host/smelt-lua-stream.c) keeps the read buffer and
-- parks the task; these methods check their arguments and unpack its
-- { ok, value | message, code } results. Streams are made by
-- smelt.process.spawn and smelt.net.connect, through internal.stream_wrap.

local _, internal = ...

---@class smelt.Stream
local Stream = {}
Stream.__index = Stream

local function arg_error(n, fname, what)
  error(("bad argument #%d to '%s' (%s)"):format(n, fname, what), 3)
end

local function check_self(self, fname)
  if getmetatable(self) ~= Stream then
    arg_error(1, fname, "stream expected, got " .. type(self))
  end
end

-- A read's result: the data, nil at end of file, or nil, message, code.
local function unpack_read(r)
  if r[1] then
    return r[2]
  end
  return nil, r[2], r[3]
end

function Stream:_read(mode, arg, fname)
  return unpack_read(self._s:read(mode, arg, fname))
end

function Stream:_write(data, fname)
  local r = self._s:write(data, fname)
  if r[1] then
    return true
  end
  return nil, r[2], r[3]
end

function Stream:_lines(fname)
  return function()
    local line, msg = unpack_read(self._s:read("line", nil, fname))
    if msg ~= nil then
      error(msg, 2)
    end
    return line
  end
end

---@async
--- Read exactly n bytes (fewer only at end of file); nil once at end of file.
---@param n integer
---@return string|nil data
---@return string? message
---@return string? code
function Stream:read(n)
  check_self(self, "stream:read")
  if math.type(n) ~= "integer" or n < 0 then
    arg_error(1, "stream:read", "byte count (integer >= 0) expected, got " .. (math.type(n) or type(n)) ..
      (type(n) == "number" and (" " .. tostring(n)) or ""))
  end
  return self:_read("n", n, "stream:read")
end

---@async
--- Read what is there (at least one byte), waiting for it; nil at end of file.
---@return string|nil data
---@return string? message
---@return string? code
function Stream:read_chunk()
  check_self(self, "stream:read_chunk")
  return self:_read("chunk", nil, "stream:read_chunk")
end

---@async
--- Read up to and including delim (or the rest at end of file); nil after.
---@param delim string
---@return string|nil data
---@return string? message
---@return string? code
function Stream:read_until(delim)
  check_self(self, "stream:read_until")
  if type(delim) ~= "string" or delim == "" then
    arg_error(1, "stream:read_until", "non-empty delimiter string expected, got " ..
      (delim == "" and "an empty string" or type(delim)))
  end
  return self:_read("until", delim, "stream:read_until")
end

---@async
--- An iterator over the lines (without "\n"); each call parks until the next
--- line; a failed read raises.
---@return fun(): string|nil
function Stream:lines()
  check_self(self, "stream:lines")
  return self:_lines("stream:lines")
end

---@async
--- Write data (parks until written).
---@param data string
---@return true|nil ok
---@return string? message
---@return string? code
function Stream:write(data)
  check_self(self, "stream:write")
  if type(data) ~= "string" then
    arg_error(1, "stream:write", "string expected, got " .. type(data))
  end
  return self:_write(data, "stream:write")
end

--- Close the stream; a read or write waiting on it fails with "closed".
--- Harmless twice; does not park.
function Stream:close()
  check_self(self, "stream:close")
  self._s:close()
end

--- Whether close() was called.
---@return boolean
function Stream:is_closed()
  check_self(self, "stream:is_closed")
  return self._s:closed()
end

---@param ud userdata the C stream
---@return smelt.Stream
function internal.stream_wrap(ud)
  return setmetatable({ _s = ud }, Stream)
end
