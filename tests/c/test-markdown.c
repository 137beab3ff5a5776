/* test-markdown.c: the hover's Markdown as Pango markup: what is marked up, and everything else escaped
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <pango/pango.h>

#include "smelt-markdown.h"

static void
check (const char *markdown,
       const char *expected)
{
  g_autofree char *markup = smelt_markdown_to_pango (markdown);

  g_assert_cmpstr (markup, ==, expected);
  /* and Pango takes it */
  g_assert_true (pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL));
}

static void
test_inline (void)
{
  check ("plain text", "plain text");
  check ("a `code span` here", "a <tt>code span</tt> here");
  check ("**bold** and *italic* and __bold__ and _italic_", "<b>bold</b> and <i>italic</i> and <b>bold</b> and <i>italic</i>");
  check ("**bold with `code`**", "<b>bold with <tt>code</tt></b>");
  check ("snake_case_name stays", "snake_case_name stays");
  check ("2 * 3 * 4", "2 * 3 * 4");
  check ("an *unclosed star", "an *unclosed star");
  check ("\\*not italic\\*", "*not italic*");
}

static void
test_escaped (void)
{
  check ("a < b && c > d", "a &lt; b &amp;&amp; c &gt; d");
  check ("<b>not markup</b>", "&lt;b&gt;not markup&lt;/b&gt;");
  check ("`<tt>` in code", "<tt>&lt;tt&gt;</tt> in code");
  check ("\"quoted\" 'text'", "&quot;quoted&quot; &apos;text&apos;");
}

static void
test_blocks (void)
{
  check ("# Title\ntext", "<b>Title</b>\ntext");
  check ("- one\n* two", "• one\n• two");
  check ("before\n```lua\nlocal x = a < b\n  **not bold**\n```\nafter",
         "before\n<tt>local x = a &lt; b</tt>\n<tt>  **not bold**</tt>\nafter");
  /* a rule between a hover's parts (clangd's "---"): a line, not the dashes */
  check ("one\n\n---\ntwo", "one\n\n<span alpha=\"40%\">────────────────</span>\ntwo");
  check ("***\n_ _ _", "<span alpha=\"40%\">────────────────</span>\n<span alpha=\"40%\">────────────────</span>");
  check ("--\n- - x", "--\n• - x");
  check ("line\n", "line");
  check ("", "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/markdown/inline", test_inline);
  g_test_add_func ("/markdown/escaped", test_escaped);
  g_test_add_func ("/markdown/blocks", test_blocks);
  return g_test_run ();
}
