---@meta
-- lua/meta/smelt-lsp.lua: LuaLS annotations for smelt.lsp, the bundled language server client
-- SPDX-License-Identifier: LGPL-2.1-or-later

---@class smelt.lsp.Config
---@field cmd string[] the server's program and arguments
---@field filetypes string[] the buffers' file types (buf:filetype()) it serves
---@field root_markers? string[] files or folders that mark a project's root
---@field settings? table sent as workspace/didChangeConfiguration and answered to workspace/configuration
---@field init_options? table initializationOptions
---@field format_on_save? boolean format through the server before each save
---@field format_timeout? integer ms format on save waits (default 1000)

---@class smelt.lsp.Location
---@field path string
---@field line integer
---@field col integer
---@field end_line integer
---@field end_col integer
---@field text string the line, without its indentation

---@class smelt.lsp
smelt.lsp = {}

--- Describe a server, merged into what is there for name ("clangd" and
--- "pylsp" are bundled). An option it does not know raises.
---@param name string
---@param cfg smelt.lsp.Config
function smelt.lsp.config(name, cfg) end

--- A copy of the configuration of name, or nil.
---@param name string
---@return smelt.lsp.Config|nil
function smelt.lsp.get_config(name) end

--- Start (false: stop) the servers of these names for the buffers of their
--- file types, one client per server and project root.
---@param name string|string[]
---@param enable? boolean
function smelt.lsp.enable(name, enable) end

---@param name string
---@return boolean
function smelt.lsp.is_enabled(name) end

--- The running clients, all or those of a buffer or a server.
---@param filter? { buf?: smelt.Buffer, name?: string }
---@return smelt.lsp.Client[]
function smelt.lsp.get_clients(filter) end

---@param id integer
---@return smelt.lsp.Client|nil
function smelt.lsp.get_client(id) end

--- The smelt.diagnostic namespace a server's diagnostics go to.
---@param name string
---@return integer
function smelt.lsp.namespace(name) end

--- The work servers report ($/progress), also shown as tasks.
---@return { client: smelt.lsp.Client, title: string, message?: string, percentage?: integer }[]
function smelt.lsp.progress() end

--- Open a location's file and put the cursor there (parks).
---@param loc smelt.lsp.Location
---@return smelt.Buffer
function smelt.lsp.jump(loc) end

---@class smelt.lsp.buf
smelt.lsp.buf = {}

--- The hover text (Markdown) at a position (default: the cursor), or nil.
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer }
---@return string|nil
function smelt.lsp.buf.hover(opts) end

--- Completion items at a position, in smelt.completion's form.
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, trigger?: string }
---@return table[]
function smelt.lsp.buf.completion(opts) end

--- Jump to the definition (the picker when there are several); returns
--- the locations, or nil and why. { jump = false } only returns them.
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, jump?: boolean }
---@return smelt.lsp.Location[]|nil
---@return string? why
function smelt.lsp.buf.definition(opts) end

---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, jump?: boolean }
---@return smelt.lsp.Location[]|nil
---@return string? why
function smelt.lsp.buf.declaration(opts) end

--- The references, in the picker (or returned, with { jump = false }).
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, jump?: boolean, include_declaration?: boolean }
---@return smelt.lsp.Location[]|nil
---@return string? why
function smelt.lsp.buf.references(opts) end

--- Format the buffer through its server, one undo step.
---@param opts? { buf?: smelt.Buffer, timeout?: integer }
---@return true|nil
---@return string? why
function smelt.lsp.buf.format(opts) end

--- Rename the symbol at a position across the project (one undo step a
--- buffer).
---@param new_name string
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer }
---@return true|nil
---@return string? why
function smelt.lsp.buf.rename(new_name, opts) end

--- The code actions at a position; with { apply = true } the user picks
--- one in the picker and it is applied.
---@param opts? { buf?: smelt.Buffer, line?: integer, col?: integer, apply?: boolean }
---@return table[]|nil
---@return string? why
function smelt.lsp.buf.code_actions(opts) end

--- Apply a code action of client c: its edit, then its command.
---@param c smelt.lsp.Client
---@param action table
function smelt.lsp.buf.apply_code_action(c, action) end

---@class smelt.lsp.Client
---@field id integer
---@field name string
---@field root string
---@field state "starting"|"running"|"restarting"|"stopping"|"stopped"|"failed"
---@field capabilities table
---@field encoding "utf-8"|"utf-16"|"utf-32"
local Client = {}

--- A request once the server runs (parks); cancelling the task sends
--- $/cancelRequest. The result, or nil and the error { code, message }.
---@param method string
---@param params? table
---@return any
---@return { code: integer, message: string }?
function Client:request(method, params) end

---@param method string
---@param params? table
function Client:notify(method, params) end

--- Shut the server down: shutdown, exit, killed after 2 s.
function Client:stop() end
