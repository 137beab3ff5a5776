/* smelt-markdown.c: the little Markdown a hover shows (code, bold, italic, headings, lists), as Pango markup
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an LSP server's hover text uses: fenced code blocks and `code`
 * spans (monospace, their text as it is), **bold** and *italic* (or with
 * underscores, at word boundaries, so snake_case stays as typed), "#"
 * headings (bold), "-"/"*" list items (a bullet) and "---" rules (a
 * faint line: clangd puts one between a hover's parts).  Everything else is
 * text: escaped, so no character of it can be taken for markup.
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <string.h>

#include "smelt-markdown.h"

static void
append_escaped (GString    *out,
                const char *text,
                gssize      len)
{
  g_autofree char *escaped = g_markup_escape_text (text, len);

  g_string_append (out, escaped);
}

static gboolean
is_word_byte (char c)
{
  return g_ascii_isalnum (c) || (guchar) c >= 0x80;
}

static void append_inline (GString *out, const char *s, gsize len);

/* an emphasis delimited by delim (len 1 or 2) at s: its end, or NULL */
static const char *
find_closing (const char *s,
              const char *end,
              const char *delim,
              gsize       dlen)
{
  const char *p = s + dlen;

  if (p >= end || *p == ' ')
    return NULL;
  for (; p + dlen <= end; p++)
    {
      if (*p == '\\')
        {
          p++;
          continue;
        }
      if (strncmp (p, delim, dlen) == 0 && p > s + dlen && p[-1] != ' ' &&
          (delim[0] != '_' || p + dlen == end || !is_word_byte (p[dlen])))
        return p;
    }
  return NULL;
}

static void
append_inline (GString    *out,
               const char *s,
               gsize       len)
{
  const char *end = s + len;
  const char *p = s;

  while (p < end)
    {
      const char *close;

      if (*p == '\\' && p + 1 < end && strchr ("\\`*_#-[]()", p[1]) != NULL)
        {
          append_escaped (out, p + 1, 1);
          p += 2;
          continue;
        }
      if (*p == '`' && (close = memchr (p + 1, '`', end - p - 1)) != NULL)
        {
          g_string_append (out, "<tt>");
          append_escaped (out, p + 1, close - p - 1);
          g_string_append (out, "</tt>");
          p = close + 1;
          continue;
        }
      if ((*p == '*' || *p == '_') && (p == s || *p == '*' || !is_word_byte (p[-1])))
        {
          char delim[3] = { *p, *p, 0 };
          gsize dlen = p + 1 < end && p[1] == *p ? 2 : 1;

          if ((close = find_closing (p, end, delim, dlen)) != NULL)
            {
              g_string_append (out, dlen == 2 ? "<b>" : "<i>");
              append_inline (out, p + dlen, close - p - dlen);
              g_string_append (out, dlen == 2 ? "</b>" : "</i>");
              p = close + dlen;
              continue;
            }
        }
      {
        const char *next = g_utf8_next_char (p);

        append_escaped (out, p, next - p);
        p = next;
      }
    }
}

/* a thematic break: three or more of one of - * _ and nothing else but spaces */
static gboolean
is_rule (const char *text)
{
  char mark = text[0];
  guint n = 0;

  if (mark != '-' && mark != '*' && mark != '_')
    return FALSE;
  for (; *text != '\0'; text++)
    {
      if (*text == mark)
        n++;
      else if (*text != ' ')
        return FALSE;
    }
  return n >= 3;
}

/**
 * smelt_markdown_to_pango:
 * @markdown: the text
 *
 * Returns: (transfer full): @markdown as Pango markup
 */
char *
smelt_markdown_to_pango (const char *markdown)
{
  g_auto(GStrv) lines = NULL;
  GString *out = g_string_new (NULL);
  gboolean in_fence = FALSE;
  gboolean first = TRUE;

  g_return_val_if_fail (markdown != NULL, NULL);

  lines = g_strsplit (markdown, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *text = line;

      while (*text == ' ')
        text++;
      if (g_str_has_prefix (text, "```"))
        {
          in_fence = !in_fence;
          continue;   /* the fence and its language name show nothing */
        }
      if (lines[i + 1] == NULL && *line == '\0')
        break;      /* the text's last newline */
      if (!first)
        g_string_append_c (out, '\n');
      first = FALSE;
      if (in_fence)
        {
          g_string_append (out, "<tt>");
          append_escaped (out, line, -1);
          g_string_append (out, "</tt>");
        }
      else if (is_rule (text))
        g_string_append (out, "<span alpha=\"40%\">────────────────</span>");
      else if (text[0] == '#')
        {
          while (*text == '#')
            text++;
          while (*text == ' ')
            text++;
          g_string_append (out, "<b>");
          append_inline (out, text, strlen (text));
          g_string_append (out, "</b>");
        }
      else if ((text[0] == '-' || text[0] == '*') && text[1] == ' ')
        {
          g_string_append_len (out, line, text - line);
          g_string_append (out, "• ");
          append_inline (out, text + 2, strlen (text + 2));
        }
      else
        append_inline (out, line, strlen (line));
    }
  return g_string_free (out, FALSE);
}
