-- smelt/http.lua: smelt.http, HTTP requests through libsoup 3 that park the calling task
-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- A failure to get an answer returns nil, message, code; an answer is a
-- result whatever its status (404 and 500 too). Cancelling the waiting task
-- aborts the transfer and closes its connection.

local smelt, internal = ...

local http = {}
smelt.http = http

local FNAME = "smelt.http.request"

local function bad(what)
  error(("bad argument #1 to '%s' (%s)"):format(FNAME, what), 3)
end

local function check(opts)
  if type(opts) ~= "table" then
    bad("table expected, got " .. type(opts))
  end
  if type(opts.url) ~= "string" then
    bad("opts.url must be a string")
  end
  local method = opts.method or "GET"
  -- a token (RFC 9110): no space or separator could reach the request line
  if type(method) ~= "string" or not method:match("^[%w!#$%%&'*+.^_`|~-]+$") then
    bad("opts.method must be an HTTP method name")
  end
  if opts.headers ~= nil then
    if type(opts.headers) ~= "table" then
      bad("opts.headers must be a table")
    end
    for name, value in pairs(opts.headers) do
      if type(name) ~= "string" or not name:match("^[%w!#$%%&'*+.^_`|~-]+$") then
        bad("opts.headers: " .. tostring(name) .. " is not a header name")
      end
      if (type(value) ~= "string" and type(value) ~= "number") or tostring(value):find("[\r\n]") then
        bad("opts.headers." .. name .. " must be a string without line breaks")
      end
    end
  end
  if opts.body ~= nil and type(opts.body) ~= "string" then
    bad("opts.body must be a string")
  end
  local timeout = opts.timeout
  if timeout ~= nil and (math.type(timeout) == nil or timeout <= 0 or timeout ~= timeout) then
    bad("opts.timeout must be a positive number of milliseconds")
  end
  if opts.on_chunk ~= nil and type(opts.on_chunk) ~= "function" then
    bad("opts.on_chunk must be a function")
  end
  local headers
  if opts.headers then
    headers = {}
    for name, value in pairs(opts.headers) do
      headers[name] = tostring(value)
    end
  end
  return method:upper(), headers, timeout and math.ceil(timeout)
end

--- Send an HTTP request and park until its answer has come (its whole body,
--- or, with opts.on_chunk, until on_chunk has had each chunk). Every status is
--- an answer: check res.status. Header names of the answer are lower case.
---@async
---@param opts { method?: string, url: string, headers?: table<string, string>, body?: string, timeout?: number, on_chunk?: fun(chunk: string) }
---@return { status: integer, headers: table<string, string>, body: string }|nil response
---@return string? message "smelt.http.request: METHOD URL: reason"
---@return string? code "refused", "timeout", "resolve", "tls", "bad-url", "cancelled", "closed", ...
function http.request(opts)
  local method, headers, timeout = check(opts)
  local on_chunk = opts.on_chunk
  local r = internal.http_request(method, opts.url, headers, opts.body, timeout, on_chunk ~= nil)
  if not r[1] then
    return nil, r[2], r[3]
  end
  local res = { status = r[2], headers = r[3] }
  if on_chunk == nil then
    res.body = r[4]
    return res
  end
  -- closed however this ends: on_chunk raising, the task cancelled
  local response <close> = r[4]
  while true do
    local c = response:read()
    if not c[1] then
      return nil, c[2], c[3]
    end
    if c[2] == nil then
      return res
    end
    on_chunk(c[2])
  end
end
