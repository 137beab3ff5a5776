-- smelt/net.lua: smelt.net, TCP and Unix socket connections as smelt.Streams
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The C half is plugin-host/smelt-lua-net.c (GSocketClient, GIO's TLS).

local smelt, internal = ...

local net = {}
smelt.net = net

local function bad(what)
  error(("bad argument #1 to 'smelt.net.connect' (%s)"):format(what), 3)
end

---@async
--- Connect to { host = ..., port = ... } (TCP) or { path = ... } (a Unix
--- socket); with tls = true over TLS, checking the server's certificate
--- against the system's trust store, or against ca_file (PEM) if given.
--- Parks until connected. Returns a duplex stream, or nil, message, code
--- ("refused", "not-found", "timeout", "unreachable", "tls", ...).
---@param opts { host?: string, port?: integer, path?: string, tls?: boolean, ca_file?: string }
---@return smelt.Stream|nil
---@return string? message
---@return string? code
function net.connect(opts)
  if type(opts) ~= "table" then
    bad("table expected, got " .. type(opts))
  end
  if opts.path ~= nil then
    if type(opts.path) ~= "string" or opts.path == "" then
      bad("opts.path must be a non-empty string")
    end
    if opts.host ~= nil or opts.port ~= nil then
      bad("opts.path and opts.host/port exclude each other")
    end
  else
    if type(opts.host) ~= "string" or opts.host == "" then
      bad("opts.host (a non-empty string) or opts.path expected")
    end
    local port = opts.port
    if math.type(port) ~= "integer" or port < 1 or port > 65535 then
      bad("opts.port must be an integer from 1 to 65535, got " .. tostring(port))
    end
  end
  if opts.tls ~= nil and type(opts.tls) ~= "boolean" then
    bad("opts.tls must be a boolean")
  end
  if opts.ca_file ~= nil and (type(opts.ca_file) ~= "string" or not opts.tls) then
    bad("opts.ca_file must be a path, with opts.tls = true")
  end
  local r = internal.net_connect({ host = opts.host, port = opts.port, path = opts.path,
                                   tls = opts.tls, ca_file = opts.ca_file })
  if r[1] then
    return internal.stream_wrap(r[2])
  end
  return nil, r[2], r[3]
end
