-- i18n_spec.lua: smelt.i18n: the editor's catalog, a plugin's own catalog, plural forms, bad arguments
-- Run with LANGUAGE=de (tests/lua/i18n/meson.build): German is the language with a catalog.
local t = require("testlib")
local i18n = smelt.i18n

t.test("gettext without a domain reads the editor's own catalog", function()
  t.eq(i18n.gettext("untitled"), "unbenannt")
  t.eq(i18n.gettext("Save anyway"), "Trotzdem speichern", "the bundled plugins' strings are in it")
  t.eq(i18n.gettext("no such message here"), "no such message here", "untranslated: the msgid")
  t.eq(i18n.gettext("untitled", "smelt"), "unbenannt", "the domain by name")
end)

t.test("ngettext picks the language's form for n", function()
  t.eq(i18n.ngettext("%d word", "%d words", 1):format(1), "1 Wort")
  t.eq(i18n.ngettext("%d word", "%d words", 2):format(2), "2 Wörter")
  t.eq(i18n.ngettext("%d word", "%d words", 0):format(0), "0 Wörter")
  t.eq(i18n.ngettext("%d word", "%d words", -1):format(-1), "-1 Wort", "-n as n")
  t.eq(i18n.ngettext("%d apple", "%d apples", 1), "%d apple", "untranslated: English's forms")
  t.eq(i18n.ngettext("%d apple", "%d apples", 5), "%d apples")
end)

t.test("a plugin binds its own catalog and reads it by its domain", function()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p " .. dir .. "/de/LC_MESSAGES"))
  local po = assert(io.open(dir .. "/p.po", "w"))
  po:write('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n',
    'msgid "Hello from a plugin"\nmsgstr "Hallo von einem Plugin"\n')
  po:close()
  assert(os.execute(("msgfmt -o %s/de/LC_MESSAGES/smelt-test-plugin.mo %s/p.po"):format(dir, dir)))
  t.eq(i18n.gettext("Hello from a plugin", "smelt-test-plugin"), "Hello from a plugin", "not bound yet")
  i18n.bind("smelt-test-plugin", dir)
  t.eq(i18n.gettext("Hello from a plugin", "smelt-test-plugin"), "Hallo von einem Plugin")
  t.eq(i18n.gettext("Hello from a plugin"), "Hello from a plugin", "not in the editor's catalog")
  t.eq(i18n.gettext("untitled", "smelt-test-plugin"), "untitled", "nor the editor's strings in the plugin's")
  os.execute("rm -rf " .. dir)
end)

t.test("bad arguments: the error names the function and the argument", function()
  t.raises("bad argument #1 to 'smelt.i18n.gettext' (msgid: string expected, got no value)", i18n.gettext)
  t.raises("bad argument #1 to 'smelt.i18n.gettext' (msgid: string expected, got number)", i18n.gettext, 42)
  t.raises("bad argument #2 to 'smelt.i18n.gettext' (domain: string expected, got table)", i18n.gettext, "x", {})
  t.raises("bad argument #2 to 'smelt.i18n.gettext' (domain must be a name without '/', got \"a/b\")",
    i18n.gettext, "x", "a/b")
  t.raises("bad argument #2 to 'smelt.i18n.gettext' (domain must be a name without '/', got \"\")", i18n.gettext, "x", "")
  t.raises("bad argument #3 to 'smelt.i18n.ngettext' (n: integer expected, got string)",
    i18n.ngettext, "a", "b", "two")
  t.raises("bad argument #3 to 'smelt.i18n.ngettext' (n: integer expected, got number)", i18n.ngettext, "a", "b", 1.5)
  t.raises("bad argument #2 to 'smelt.i18n.ngettext' (plural: string expected, got no value)", i18n.ngettext, "a")
  t.raises("bad argument #1 to 'smelt.i18n.bind' (domain: string expected, got no value)", i18n.bind)
  t.raises("bad argument #1 to 'smelt.i18n.bind' (the domain \"smelt\" is the editor's own; a plugin names its own)",
    i18n.bind, "smelt", "/tmp")
  t.raises("smelt.i18n.bind: /no/such/folder is not a folder", i18n.bind, "smelt-test-plugin", "/no/such/folder")
  t.raises("bad argument #2 to 'smelt.i18n.bind' (dir: string expected, got no value)", i18n.bind, "smelt-test-plugin")
end)

t.run()
