---@meta
-- lua/meta/smelt-http.lua: LuaLS annotations for smelt.http
-- SPDX-License-Identifier: LGPL-2.1-or-later

---@alias smelt.HttpCode "refused"|"timeout"|"resolve"|"tls"|"bad-url"|"closed"|"unreachable"|"protocol"|"cancelled"|"failed"|string

---@class smelt.http
smelt.http = {}

---@class smelt.http.Response
---@field status integer the HTTP status: 404 and 500 are answers too
---@field headers table<string, string> by lower-case name; a header sent twice has its values joined by ", "
---@field body? string the whole body (nil when opts.on_chunk had it)

--- Send an HTTP request through libsoup 3 and park until the answer is complete. With opts.on_chunk,
--- each chunk of the body goes to it as it arrives (in this task) and the body is not kept; an error it
--- raises aborts the transfer and propagates. opts.timeout (ms) bounds the whole transfer. Cancelling
--- the task aborts the transfer and closes its connection. Errors: nil, "smelt.http.request: METHOD URL:
--- reason", code.
---@async
---@param opts { method?: string, url: string, headers?: table<string, string>, body?: string, timeout?: number, on_chunk?: fun(chunk: string) }
---@return smelt.http.Response|nil response
---@return string? message
---@return smelt.HttpCode? code
function smelt.http.request(opts) end
