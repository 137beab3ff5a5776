-- init.lua for the GUI tests: records events that fire before the test script runs
UI_READY = false
smelt.on("ui-ready", function() UI_READY = true end)
