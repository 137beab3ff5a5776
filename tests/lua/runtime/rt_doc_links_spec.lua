-- rt_doc_links_spec.lua: lua/doc/*.txt: every |link| names a *tag* some help file defines, no tag twice
-- SPDX-License-Identifier: LGPL-2.1-or-later
local t = require("testlib")
local help = require("smelt.help")

local doc = assert(os.getenv("SMELT_RUNTIME_DIR"), "SMELT_RUNTIME_DIR is set by tests/lua/meson.build") .. "/doc"

t.test("the parser: tags, links, and neither in examples or backticks", function()
  local tags, links = help.parse(table.concat({
    "*top.txt*  Title",                               -- 1
    "See |smelt.task.race()| and `|not-a-link|`.",  -- 2
    "An example: >",                                  -- 3
    "    x = a |b| c *d*",                            -- 4
    "<Text again |after| *tag-two*",                  -- 5
    ">lua",                                           -- 6
    "    local s = '*x*'",                            -- 7
    "<",                                              -- 8
    "a*b* is no tag, 2 * 3 * 4 neither",              -- 9
  }, "\n"))
  local got = {}
  for _, x in ipairs(tags) do got[#got + 1] = ("%s@%d:%d"):format(x.tag, x.line, x.col) end
  t.same(got, { "top.txt@1:1", "tag-two@5:21" })
  got = {}
  for _, x in ipairs(links) do got[#got + 1] = ("%s@%d:%d"):format(x.link, x.line, x.col) end
  t.same(got, { "smelt.task.race()@2:5", "after@5:13" })
end)

t.test("every |link| in lua/doc has a *tag*, and no tag is defined twice", function()
  local files = help.files({ doc })
  t.truthy(#files >= 10, ("the help files in %s (found %d)"):format(doc, #files))
  local index = help.index(files)
  local problems = {}
  for _, d in ipairs(index.duplicates) do
    local first = index.tags[d.tag]
    problems[#problems + 1] = ("%s:%d: *%s* is already defined at %s:%d"):format(
      d.file:match("[^/]*$"), d.line, d.tag, first.file:match("[^/]*$"), first.line)
  end
  for _, file in ipairs(files) do
    local _, links = help.parse(help.read_file(file))
    for _, l in ipairs(links) do
      if not index.tags[l.link] then
        problems[#problems + 1] = ("%s:%d: |%s| has no *%s* in any help file"):format(
          file:match("[^/]*$"), l.line, l.link, l.link)
      end
    end
  end
  t.eq(table.concat(problems, "\n"), "", "broken links or duplicate tags")
end)

t.test("each help file starts with its own name as a tag, and smelt.txt lists every file", function()
  local files = help.files({ doc })
  local index_text = help.read_file(doc .. "/smelt.txt")
  for _, file in ipairs(files) do
    local name = file:match("[^/]*$")
    local tags = help.parse(help.read_file(file))
    t.eq(tags[1] and tags[1].tag, name, name .. ": the first tag")
    t.eq(tags[1] and tags[1].line, 1, name .. ": on the first line")
    if name ~= "smelt.txt" then
      t.truthy(index_text:find("|" .. name .. "|", 1, true), "smelt.txt links to " .. name)
    end
  end
end)

t.run()
