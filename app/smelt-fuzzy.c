/* smelt-fuzzy.c: fuzzy and substring matching of a picker's query against its items
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fuzzy match is fzf's first algorithm: a forward scan finds the
 * first place where the whole query has matched, a backward scan from
 * there the latest start, so the match is as tight as a greedy one can
 * be; the characters of that window are then scored the way fzy and
 * fzf score them: a match right after the last one, or at the start of a
 * word or path component, is worth more; a gap costs.  The next few
 * windows after it are scored too, and the best counts.  Linear in the
 * item's length, which is what keeps 100,000 items under a frame.
 *
 * Both strings are casefolded UTF-8 (g_utf8_casefold).  Matching is byte
 * by byte, a query character being its whole byte sequence: in valid
 * UTF-8 a lead byte never equals a continuation byte, so a character only
 * ever matches a whole character.
 */

#define G_LOG_DOMAIN "smelt-fuzzy"

#include "config.h"

#include <string.h>

#include "smelt-fuzzy.h"

enum
{
  SCORE_MATCH       = 16,
  BONUS_CONSECUTIVE = 12,
  BONUS_BOUNDARY    = 10,
  BONUS_FIRST_BYTE  = 6,
  PENALTY_GAP_START = 3,
  PENALTY_GAP_EXTRA = 1,
  PENALTY_GAP_MAX   = 24,
  MAX_WINDOWS       = 4,
};

/* the byte length of the UTF-8 character that starts with byte c */
static inline gsize
char_len (guchar c)
{
  if (c < 0xC0)
    return 1;
  if (c < 0xE0)
    return 2;
  if (c < 0xF0)
    return 3;
  return 4;
}

static inline gboolean
is_boundary (guchar before)
{
  return before == '/' || before == '\\' || before == '_' || before == '-' || before == '.'
         || before == ' ' || before == ':' || before == '\t';
}

/* The end of the first match of needle in haystack from byte from on,
 * or 0 when there is none. */
static gsize
match_end (const guchar *h,
           gsize         haystack_len,
           gsize         from,
           const guchar *n,
           gsize         needle_len)
{
  gsize i = from, j = 0;

  while (i < haystack_len && j < needle_len)
    {
      gsize len = char_len (n[j]);

      if (h[i] == n[j] && i + len <= haystack_len && memcmp (h + i, n + j, len) == 0)
        {
          i += len;
          j += len;
        }
      else
        i++;
    }
  return j < needle_len ? 0 : i;
}

/* The latest start of a match of needle that ends at end. */
static gsize
match_start (const guchar *h,
             gsize         end,
             const guchar *n,
             gsize         needle_len)
{
  gsize i = end, j = needle_len;

  while (j > 0)
    {
      gsize cj = j - 1, len;

      while (cj > 0 && (n[cj] & 0xC0) == 0x80)
        cj--;
      len = j - cj;
      while (i >= len && memcmp (h + i - len, n + cj, len) != 0)
        i--;
      g_assert (i >= len);
      i -= len;
      j = cj;
    }
  return i;
}

/* The score of the match that starts at start (matching forward from
 * there), its positions in positions when not NULL. */
static int
score_window (const guchar *h,
              gsize         start,
              const guchar *n,
              gsize         needle_len,
              guint        *positions)
{
  gsize i = start, j = 0, prev_end = G_MAXSIZE;
  guint k = 0;
  int total = 0;

  while (j < needle_len)
    {
      gsize len = char_len (n[j]);

      if (memcmp (h + i, n + j, len) != 0)
        {
          i++;
          continue;
        }
      total += SCORE_MATCH;
      if (i == 0)
        total += BONUS_BOUNDARY + BONUS_FIRST_BYTE;
      else if (is_boundary (h[i - 1]))
        total += BONUS_BOUNDARY;
      if (prev_end != G_MAXSIZE)
        {
          if (prev_end == i)
            total += BONUS_CONSECUTIVE;
          else
            total -= MIN (PENALTY_GAP_START + (int) (i - prev_end - 1) * PENALTY_GAP_EXTRA, PENALTY_GAP_MAX);
        }
      if (positions != NULL)
        positions[k] = (guint) i;
      k++;
      i += len;
      j += len;
      prev_end = i;
    }
  return total;
}

/**
 * smelt_fuzzy_match:
 * @haystack: a casefolded item
 * @haystack_len: its length in bytes
 * @needle: a casefolded query, not empty
 * @needle_len: its length in bytes
 * @score: (out): how well it matched: higher is better
 * @positions: (out) (optional) (array): the byte offset in @haystack of
 *   each matched character of @needle, as many as @needle has characters
 *
 * Whether the characters of @needle occur in @haystack in order.  Of the
 * first MAX_WINDOWS tight matches, the best counts ("m_a_i_n/main.c"
 * scores its "main").
 *
 * Returns: %TRUE when they do
 */
gboolean
smelt_fuzzy_match (const char *haystack,
                   gsize       haystack_len,
                   const char *needle,
                   gsize       needle_len,
                   int        *score,
                   guint      *positions)
{
  const guchar *h = (const guchar *) haystack;
  const guchar *n = (const guchar *) needle;
  gsize from = 0, best_start = 0;
  int best = G_MININT;

  g_assert (needle_len > 0);

  for (guint tries = 0; tries < MAX_WINDOWS && from < haystack_len; tries++)
    {
      gsize end = match_end (h, haystack_len, from, n, needle_len);
      gsize start;
      int s;

      if (end == 0)
        break;
      start = match_start (h, end, n, needle_len);
      s = score_window (h, start, n, needle_len, NULL);
      if (s > best)
        {
          best = s;
          best_start = start;
        }
      from = start + char_len (h[start]);
    }
  if (best == G_MININT)
    return FALSE;
  if (positions != NULL)
    score_window (h, best_start, n, needle_len, positions);
  *score = best;
  return TRUE;
}

/**
 * smelt_substring_match:
 * @haystack: a casefolded item
 * @needle: a casefolded query
 * @start: (out) (optional): the byte offset of the first occurrence
 *
 * Returns: whether @needle occurs in @haystack
 */
gboolean
smelt_substring_match (const char *haystack,
                       const char *needle,
                       guint      *start)
{
  const char *at = strstr (haystack, needle);

  if (at == NULL)
    return FALSE;
  if (start != NULL)
    *start = (guint) (at - haystack);
  return TRUE;
}
