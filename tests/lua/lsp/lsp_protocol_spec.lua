-- lsp_protocol_spec.lua: positions in each encoding, URIs (smelt.lsp's protocol part)
local t = dofile(os.getenv("SMELT_TESTLIB"))
local p = smelt.lsp._protocol

t.test("code units of UTF-8, UTF-16 and UTF-32", function()
  local s = "aé😀b"   -- 1 + 2 + 4 + 1 bytes
  t.eq(p.units(s, "utf-8"), 8)
  t.eq(p.units(s, "utf-16"), 5, "the emoji is a surrogate pair")
  t.eq(p.units(s, "utf-32"), 4)
end)

t.test("byte columns of code unit offsets, clamped to the line", function()
  local s = "aé😀b"
  t.eq(p.byte_col(s, 0, "utf-16"), 1)
  t.eq(p.byte_col(s, 2, "utf-16"), 4)
  t.eq(p.byte_col(s, 4, "utf-16"), 8)
  t.eq(p.byte_col(s, 5, "utf-16"), 9)
  t.eq(p.byte_col(s, 99, "utf-16"), 9, "past the end: the line's end")
  t.eq(p.byte_col(s, 3, "utf-32"), 8)
  t.eq(p.byte_col(s, 3, "utf-8"), 4)
end)

t.test("positions both ways", function()
  local lines = { "int é;", "😀x" }
  local pos = p.position(lines, 2, 5, "utf-16")
  t.eq(pos.line, 1)
  t.eq(pos.character, 2)
  local l, c = p.to_smelt(lines, pos, "utf-16")
  t.eq(l, 2)
  t.eq(c, 5)
  l, c = p.to_smelt(lines, { line = 7, character = 0 }, "utf-16")
  t.eq(l, 2, "a line past the end: the last")
  t.eq(c, 6)
end)

t.test("file URIs", function()
  t.eq(p.uri("/tmp/a b/é.c"), "file:///tmp/a%20b/%C3%A9.c")
  t.eq(p.path("file:///tmp/a%20b/%C3%A9.c"), "/tmp/a b/é.c")
  t.eq(p.path("file://localhost/x"), "/x")
  t.eq(p.path("https://x/y"), nil)
end)

t.run()
