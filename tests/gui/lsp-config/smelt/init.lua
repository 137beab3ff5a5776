-- init.lua for lsp_spec: clangd for C buffers, as a user's config turns it on
UI_READY = false
smelt.on("ui-ready", function() UI_READY = true end)
smelt.lsp.enable("clangd")
