-- rt_editorconfig_spec.lua: smelt.editorconfig.get: .editorconfig files read upward, globs, precedence (the spec's cases)
local t = require("testlib")
local ec = smelt.editorconfig

-- a fresh folder with files { ["rel/path"] = text }; returns its path
local function tree(files)
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p '" .. dir .. "'"))
  for rel, text in pairs(files) do
    local path = dir .. "/" .. rel
    local parent = path:match("^(.*)/[^/]*$")
    assert(os.execute("mkdir -p '" .. parent .. "'"))
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
  end
  return dir
end

local function remove(dir)
  os.execute("rm -rf '" .. dir .. "'")
end

-- the value of key for each name: { [name] = value or false }
local function values(dir, names, key)
  local got = {}
  for _, name in ipairs(names) do
    got[name] = ec.get(dir .. "/" .. name)[key] or false
  end
  return got
end

-- Checks that glob, as the only section of a root .editorconfig, matches
-- the files yes and not the files no (paths below the folder).
local function check_glob(glob, yes, no)
  local dir = tree({ [".editorconfig"] = "root = true\n[" .. glob .. "]\nkey = value\n" })
  local expected, names = {}, {}
  for _, n in ipairs(yes) do expected[n] = "value"; names[#names + 1] = n end
  for _, n in ipairs(no) do expected[n] = false; names[#names + 1] = n end
  local got = values(dir, names, "key")
  remove(dir)
  t.same(got, expected, "glob " .. glob)
end

t.test("* matches any name, not across folders", function()
  check_glob("a*e.c", { "ace.c", "abcde.c", "ae.c", "sub/ace.c" }, { "a/e.c", "ace.h" })
  check_glob("*", { "x", "a/b/c.txt" }, {})
end)

t.test("** matches across folders; a/**/z.c takes zero folders too", function()
  check_glob("a**z.c", { "a/z.c", "amnz.c", "am/nz.c", "a/mn/z.c" }, { "b/z.c" })
  check_glob("a/**/z.c", { "a/z.c", "a/b/z.c", "a/b/c/z.c" }, { "az.c", "b/a/z.c" })
end)

t.test("? matches one character, not a slash", function()
  check_glob("ab?def.c", { "abcdef.c", "ab-def.c" }, { "ab/def.c", "abdef.c", "abccdef.c" })
end)

t.test("[seq], [!seq] and ranges match one character; a [ with a / before its ] is literal", function()
  check_glob("[ab].a", { "a.a", "b.a" }, { "c.a", "ab.a" })
  check_glob("[!ab].b", { "c.b", "x.b" }, { "a.b", "b.b" })
  check_glob("[d-g].c", { "d.c", "f.c", "g.c" }, { "c.c", "h.c" })
  check_glob("ab[e/]j.g", { "ab[e/]j.g" }, { "abej.g", "ab/j.g" })
  check_glob("[a", { "[a" }, { "a" })
end)

t.test("{a,b} matches any of the strings, nested and with escaped commas", function()
  check_glob("*.{py,js,html}", { "test.py", "test.js", "test.html" }, { "test.c", "test.pyjs" })
  check_glob("{word,{also},this}.g", { "word.g", "{also}.g", "this.g" }, { "also.g" })
  check_glob("{some,a\\,b}.k", { "some.k", "a,b.k" }, { "a.k", "b.k" })
  check_glob("{,x}y.m", { "y.m", "xy.m" }, { "zy.m" })
end)

t.test("{single}, {} and an unclosed { are literal", function()
  check_glob("{single}.b", { "{single}.b" }, { "single.b" })
  check_glob("{}.c", { "{}.c" }, { ".c" })
  check_glob("{.f", { "{.f" }, { ".f" })
end)

t.test("{n1..n2} matches the integers between", function()
  check_glob("{3..120}", { "3", "15", "60", "120" }, { "1", "121", "a" })
  check_glob("f{-5..5}.txt", { "f-5.txt", "f0.txt", "f5.txt" }, { "f6.txt", "f-6.txt" })
end)

t.test("\\ escapes a glob character", function()
  check_glob("a\\*b", { "a*b" }, { "axb" })
  check_glob("\\[x].txt", { "[x].txt" }, { "x.txt" })
end)

t.test("a glob with a / is a path from the file's folder; a leading / anchors it there", function()
  check_glob("sub/*.txt", { "sub/a.txt" }, { "a.txt", "x/sub/a.txt", "sub/deeper/a.txt" })
  check_glob("/top.txt", { "top.txt" }, { "sub/top.txt" })
  check_glob("top.txt", { "top.txt", "sub/top.txt" }, {})
end)

t.test("later sections win over earlier ones, nearer files over farther", function()
  local dir = tree({
    [".editorconfig"] = "root = true\n[*]\nindent_size = 8\ncharset = latin1\n[*.c]\nindent_size = 2\n",
    ["sub/.editorconfig"] = "[*]\ncharset = utf-8\n[*.c]\nindent_size = 3\n",
    ["sub/deeper/.editorconfig"] = "",
  })
  local top, sub, deep = ec.get(dir .. "/a.c"), ec.get(dir .. "/sub/a.c"), ec.get(dir .. "/sub/deeper/a.h")
  remove(dir)
  t.eq(top.indent_size, "2")
  t.eq(top.charset, "latin1")
  t.eq(sub.indent_size, "3")
  t.eq(sub.charset, "utf-8")
  t.eq(deep.indent_size, "8")
  t.eq(deep.charset, "utf-8")
end)

t.test("root = true stops the search upward; the search goes up until one says so", function()
  local dir = tree({
    [".editorconfig"] = "root = true\n[*]\nend_of_line = crlf\ninsert_final_newline = true\n",
    ["p/.editorconfig"] = "root = TRUE\n[*]\ninsert_final_newline = false\n",
    ["q/.editorconfig"] = "[*]\ninsert_final_newline = false\n",
  })
  local p, q = ec.get(dir .. "/p/f.txt"), ec.get(dir .. "/q/f.txt")
  remove(dir)
  t.same(p, { insert_final_newline = "false" })
  t.same(q, { end_of_line = "crlf", insert_final_newline = "false" })
end)

t.test("keys and known values are lowercased; unknown values keep their case; unset removes", function()
  local dir = tree({
    [".editorconfig"] = "root = true\n[*]\nIndent_Style = Space\nTRIM_TRAILING_WHITESPACE = True\n"
      .. "My_Key = MiXeD\ncharset = UTF-8\ntab_width = 4\n[*.md]\ntrim_trailing_whitespace = unset\n"
      .. "charset = UNSET\n",
  })
  local txt, md = ec.get(dir .. "/a.txt"), ec.get(dir .. "/a.md")
  remove(dir)
  t.same(txt, { indent_style = "space", trim_trailing_whitespace = "true", my_key = "MiXeD",
                charset = "utf-8", tab_width = "4" })
  t.same(md, { indent_style = "space", my_key = "MiXeD", tab_width = "4" })
end)

t.test("indent_size follows indent_style = tab, tab_width follows indent_size", function()
  local dir = tree({
    [".editorconfig"] = "root = true\n[a.*]\nindent_style = tab\n[b.*]\nindent_style = tab\ntab_width = 6\n"
      .. "[c.*]\nindent_size = 2\n[d.*]\nindent_size = tab\ntab_width = 3\n[e.*]\nindent_size = 2\ntab_width = 8\n",
  })
  local got = {}
  for _, n in ipairs({ "a", "b", "c", "d", "e" }) do got[n] = ec.get(dir .. "/" .. n .. ".x") end
  remove(dir)
  t.same(got.a, { indent_style = "tab", indent_size = "tab" })
  t.same(got.b, { indent_style = "tab", indent_size = "6", tab_width = "6" })
  t.same(got.c, { indent_size = "2", tab_width = "2" })
  t.same(got.d, { indent_size = "3", tab_width = "3" })
  t.same(got.e, { indent_size = "2", tab_width = "8" })
end)

t.test("the parser: comments, spaces, CRLF, a BOM; ; and # inside a value are part of it", function()
  local parsed = ec.parse("\239\187\191; a comment\r\n  # another\r\n\r\nroot=true\r\n"
    .. "[ *.c ]\r\n  key1 =  v1  \r\nkey2=v2 ; not a comment\r\nkey3 = a#b\r\nno equals sign\r\n=novalue\r\n")
  t.eq(parsed.root, true)
  t.eq(#parsed.sections, 1)
  t.eq(parsed.sections[1].glob, " *.c ")
  t.same(parsed.sections[1].props, { { "key1", "v1" }, { "key2", "v2 ; not a comment" }, { "key3", "a#b" } })
end)

t.test("a key before any section is ignored, except root; root in a section is a property", function()
  local dir = tree({ [".editorconfig"] = "indent_size = 4\nroot = true\n[*]\nroot = false\nx = 1\n" })
  local got = ec.get(dir .. "/f")
  remove(dir)
  t.same(got, { root = "false", x = "1" })
end)

-- the core tests' harder glob cases (editorconfig-core-test glob/), as the spec text reads them
t.test("core glob cases: * after a / and on dot files; ** next to a /", function()
  check_glob("Bar/*", { "Bar/foo.txt", "Bar/.editorconfig" }, { "foo.txt", "Bar/x/y" })
  check_glob("*", { ".editorconfig", ".hidden" }, {})
  check_glob("b/**z.c", { "b/z.c", "b/mnz.c", "b/mn/z.c" }, { "bmnz.c", "bm/nz.c", "bmn/z.c" })
  check_glob("c**/z.c", { "c/z.c", "cmn/z.c", "c/mn/z.c" }, { "cmnz.c", "cm/nz.c", "c/mnz.c" })
  check_glob("d/**/z.c", { "d/z.c", "d/mn/z.c" }, { "dmnz.c", "dm/nz.c", "d/mnz.c", "dmn/z.c" })
  check_glob("som?.c", { "some.c" }, { "som.c", "something.c", "som/.c" })
  check_glob("?.txt", { "中.txt" }, { "中文.txt" })
  check_glob("中文.txt", { "中文.txt" }, {})
end)

t.test("core bracket cases: ranges with choices, a dash, ] inside and outside, negated", function()
  check_glob("[abd-g].e", { "a.e", "e.e" }, { "c.e", "h.e" })
  check_glob("[!d-g].d", { "h.d" }, { "f.d" })
  check_glob("[-ab].f", { "-.f", "a.f" }, { "c.f" })
  check_glob("[\\]ab].g", { "].g", "a.g" }, { "c.g", "b].g" })
  check_glob("[ab]].g", { "b].g" }, { "].g", "b.g" })
  check_glob("[!\\]ab].g", { "c.g" }, { "].g", "a.g" })
  check_glob("[!ab]].g", { "c].g" }, { "c.g", "a].g" })
  check_glob("ab[/c", { "ab[/c" }, { "abc" })
end)

t.test("core brace cases: empty words, nesting, unmatched and escaped braces, patterns inside", function()
  check_glob("a{b,c,}.d", { "a.d", "ab.d", "ac.d" }, { "a,.d" })
  check_glob("a{,b,,c,}.e", { "a.e", "ab.e", "ac.e" }, { "a,.e" })
  check_glob("{{a,b},c}.k", { "a.k", "b.k", "c.k" }, { "{{a,b},c}.k", "{a,b}.k" })
  check_glob("{a,{b,c}}.l", { "a.l", "b.l", "c.l" }, { "{a,{b,c}}.l", "{b,c}.l" })
  check_glob("{},b}.h", { "{},b}.h" }, { "b}.h", ".h" })
  check_glob("{{,b,c{d}.i", { "{{,b,c{d}.i" }, { "{.i", "b.i", "c{d.i", ".i" })
  check_glob("{e,\\},f}.txt", { "e.txt", "}.txt", "f.txt" }, { "\\.txt" })
  check_glob("{g,\\\\,i}.txt", { "g.txt", "\\.txt", "i.txt" }, { "h.txt" })
  check_glob("{some,a{*c,b}[ef]}.j", { "some.j", "abe.j", "abf.j", "ace.j", "acf.j", "abce.j", "abcf.j" },
    { "abg.j", "acg.j", "abcg.j", "ae.j", ".j" })
  check_glob("{3..120}", { "3", "15", "60", "120" }, { "1", "5a", "121", "060" })
  check_glob("{aardvark..antelope}", { "{aardvark..antelope}" }, { "a", "aardvark", "agreement", "antelope" })
end)

t.test("core parser cases: escaped ; and # in a section name; long keys and values", function()
  local long_key, long_value, long_section = ("k"):rep(1024), ("v"):rep(4096), ("s"):rep(1024)
  local dir = tree({
    [".editorconfig"] = "root = true\n[test\\;.c]\nkey = semicolon\n[test\\#.c]\nkey = hash\n"
      .. "[long]\n" .. long_key .. " = v\nk = " .. long_value .. "\n[" .. long_section .. "]\nkey = section\n",
  })
  t.same(values(dir, { "test;.c", "test#.c", long_section }, "key"),
    { ["test;.c"] = "semicolon", ["test#.c"] = "hash", [long_section] = "section" })
  local long = ec.get(dir .. "/long")
  remove(dir)
  t.eq(long[long_key], "v")
  t.eq(long.k, long_value)
end)

t.test("core property cases: indent_size with indent_style = space has no default", function()
  local dir = tree({ [".editorconfig"] = "root = true\n[*]\nindent_style = space\n" })
  local got = ec.get(dir .. "/test2.c")
  remove(dir)
  t.same(got, { indent_style = "space" })
end)

t.test("no section matching gives {}; a path that is not a string raises", function()
  local dir = tree({ [".editorconfig"] = "root = true\n[nothing-matches]\nx = 1\n" })
  t.same(ec.get(dir .. "/f"), {})
  remove(dir)
  t.raises("bad argument #1 to 'smelt.editorconfig.get' (path expected, got nil)", ec.get)
end)

t.run()
