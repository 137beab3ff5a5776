/* test-picker-model.c: the picker's matching and its list model on their own: ranking, narrowing, streaming
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "smelt-fuzzy.h"
#include "smelt-picker-model.h"

static int
score_of (const char *haystack,
          const char *needle)
{
  int score = G_MININT;

  if (!smelt_fuzzy_match (haystack, strlen (haystack), needle, strlen (needle), &score, NULL))
    return G_MININT;
  return score;
}

static void
test_fuzzy_matches_in_order (void)
{
  guint positions[3];
  int score;

  g_assert_true (smelt_fuzzy_match ("a/b/c", 5, "abc", 3, &score, positions));
  g_assert_cmpuint (positions[0], ==, 0);
  g_assert_cmpuint (positions[1], ==, 2);
  g_assert_cmpuint (positions[2], ==, 4);
  g_assert_false (smelt_fuzzy_match ("cba", 3, "abc", 3, &score, NULL));
  g_assert_false (smelt_fuzzy_match ("ab", 2, "abc", 3, &score, NULL));
  /* a multi-byte character matches only itself, whole */
  g_assert_true (smelt_fuzzy_match ("xé", strlen ("xé"), "é", strlen ("é"), &score, positions));
  g_assert_cmpuint (positions[0], ==, 1);
  g_assert_false (smelt_fuzzy_match ("\xc3\xa8\xc3\xa9", 4, "\xc3\xa9\xc3\xa8", 4, &score, NULL));
}

static void
test_fuzzy_prefers_tight_and_word_starts (void)
{
  /* consecutive beats spread out */
  g_assert_cmpint (score_of ("picker.c", "pick"), >, score_of ("p-i-c-k.c", "pick"));
  /* the start of a path component beats the middle of a word */
  g_assert_cmpint (score_of ("src/main.c", "main"), >, score_of ("src/domains.c", "main"));
  /* the best of the tight matches counts, not the first letters found
   * ("main.c" has the bonus of the first byte on top) */
  g_assert_cmpint (score_of ("m_a_i_n/main.c", "main"), ==, score_of ("src/main.c", "main"));
}

static void
test_substring (void)
{
  guint start;

  g_assert_true (smelt_substring_match ("alphabet", "bet", &start));
  g_assert_cmpuint (start, ==, 5);
  g_assert_false (smelt_substring_match ("alphabet", "bat", NULL));
}

/* the changes emitted, as "position-removed+added " each */
static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

static char *
label_at (SmeltPickerModel *model,
          guint             position)
{
  g_autoptr(SmeltPickerItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

  return item ? g_strdup (smelt_picker_item_get_label (item)) : NULL;
}

static void
test_model_ranks_and_narrows (void)
{
  g_autoptr(SmeltPickerModel) model = smelt_picker_model_new (SMELT_PICKER_FILTER_FUZZY);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), log);
  smelt_picker_model_append (model, "docs/p-i-c-k.txt");
  smelt_picker_model_append (model, "Picker.c");
  smelt_picker_model_append (model, "other.c");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);   /* until the flush */
  smelt_picker_model_flush (model);
  g_assert_cmpstr (log->str, ==, "0-0+3 ");
  g_assert_cmpuint (smelt_picker_model_get_n_total (model), ==, 3);

  smelt_picker_model_set_query (model, "PICK");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  first = label_at (model, 0);
  second = label_at (model, 1);
  g_assert_cmpstr (first, ==, "Picker.c");          /* case ignored, the tight match first */
  g_assert_cmpstr (second, ==, "docs/p-i-c-k.txt");
  g_assert_cmpuint (smelt_picker_model_get_index (model, 0), ==, 2);

  g_string_truncate (log, 0);
  smelt_picker_model_set_query (model, "picke");   /* narrows what is shown */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  /* all out, then the new list in: a list view does not look for its
   * rows' items among the new ones */
  g_assert_cmpstr (log->str, ==, "0-2+0 0-0+1 ");
  smelt_picker_model_set_query (model, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_cmpuint (smelt_picker_model_get_index (model, 2), ==, 3);   /* in order again */
}

static void
test_model_ties (void)
{
  g_autoptr(SmeltPickerModel) model = smelt_picker_model_new (SMELT_PICKER_FILTER_FUZZY);
  const char *labels[] = { "a_b22", "a_b1", "zz", "a_b3", "a_b22" };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    smelt_picker_model_append (model, labels[i]);
  smelt_picker_model_set_query (model, "ab");
  /* the same score: the shorter first, then the earlier */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  g_assert_cmpuint (smelt_picker_model_get_index (model, 0), ==, 2);
  g_assert_cmpuint (smelt_picker_model_get_index (model, 1), ==, 4);
  g_assert_cmpuint (smelt_picker_model_get_index (model, 2), ==, 1);
  g_assert_cmpuint (smelt_picker_model_get_index (model, 3), ==, 5);
}

static void
test_model_streams_into_a_query (void)
{
  g_autoptr(SmeltPickerModel) model = smelt_picker_model_new (SMELT_PICKER_FILTER_FUZZY);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *top = NULL;

  smelt_picker_model_append (model, "a_b.c");
  smelt_picker_model_append (model, "zzz");
  smelt_picker_model_flush (model);
  smelt_picker_model_set_query (model, "ab");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), log);
  smelt_picker_model_append (model, "ab.c");      /* better: goes first */
  smelt_picker_model_append (model, "yyy");
  smelt_picker_model_flush (model);
  g_assert_cmpstr (log->str, ==, "0-1+0 0-0+2 ");
  top = label_at (model, 0);
  g_assert_cmpstr (top, ==, "ab.c");
  g_assert_cmpuint (smelt_picker_model_get_index (model, 0), ==, 3);
  g_assert_cmpuint (smelt_picker_model_get_n_total (model), ==, 4);
}

static void
test_model_highlights_the_match (void)
{
  g_autoptr(SmeltPickerModel) model = smelt_picker_model_new (SMELT_PICKER_FILTER_SUBSTRING);
  g_autoptr(SmeltPickerItem) item = NULL;
  g_autoptr(PangoAttrIterator) it = NULL;
  int start, end;

  smelt_picker_model_append (model, "alphaBET");
  smelt_picker_model_flush (model);
  smelt_picker_model_set_query (model, "bet");
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_nonnull (smelt_picker_item_get_attributes (item));
  it = pango_attr_list_get_iterator (smelt_picker_item_get_attributes (item));
  g_assert_null (pango_attr_iterator_get (it, PANGO_ATTR_WEIGHT));   /* "alpha" */
  pango_attr_iterator_next (it);
  pango_attr_iterator_range (it, &start, &end);
  g_assert_cmpint (start, ==, 5);
  g_assert_cmpint (end, ==, 8);
  g_assert_nonnull (pango_attr_iterator_get (it, PANGO_ATTR_WEIGHT));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fuzzy/matches-in-order", test_fuzzy_matches_in_order);
  g_test_add_func ("/fuzzy/prefers-tight-and-word-starts", test_fuzzy_prefers_tight_and_word_starts);
  g_test_add_func ("/fuzzy/substring", test_substring);
  g_test_add_func ("/picker-model/ranks-and-narrows", test_model_ranks_and_narrows);
  g_test_add_func ("/picker-model/ties", test_model_ties);
  g_test_add_func ("/picker-model/streams-into-a-query", test_model_streams_into_a_query);
  g_test_add_func ("/picker-model/highlights-the-match", test_model_highlights_the_match);
  return g_test_run ();
}
