/* test-edit-ranges.c: the lines of a buffer recorded as edited: typing, deleting, undo, a whole replace, saves
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtksourceview/gtksource.h>

#include "smelt-edit-ranges.h"

typedef struct
{
  GtkTextBuffer   *buffer;
  SmeltEditRanges *edits;
} Fixture;

/* a buffer of lines "l0" .. "l9", nothing edited */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; i < 10; i++)
    g_string_append_printf (text, "l%d\n", i);
  f->buffer = GTK_TEXT_BUFFER (gtk_source_buffer_new (NULL));
  gtk_source_buffer_set_implicit_trailing_newline (GTK_SOURCE_BUFFER (f->buffer), FALSE);
  /* as a load does: not undoable */
  gtk_text_buffer_begin_irreversible_action (f->buffer);
  gtk_text_buffer_set_text (f->buffer, text->str, -1);
  gtk_text_buffer_end_irreversible_action (f->buffer);
  f->edits = smelt_edit_ranges_new (f->buffer);
  g_string_free (text, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->edits);
  g_clear_object (&f->buffer);
}

/* the edited lines as "0-0 3-5" (0-based, inclusive) */
static char *
edited (Fixture *f)
{
  g_autoptr(GArray) lines = smelt_edit_ranges_get_lines (f->edits);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      SmeltLineRange *r = &g_array_index (lines, SmeltLineRange, i);

      g_string_append_printf (out, "%s%d-%d", i > 0 ? " " : "", r->first, r->last);
    }
  return g_string_free (out, FALSE);
}

#define assert_edited(f, expected) \
  G_STMT_START { \
    g_autofree char *got_ = edited (f); \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

/* typing as a view does: one user action per keystroke */
static void
type_at (Fixture    *f,
         int         line,
         int         index,
         const char *text)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_line_index (f->buffer, &iter, line, index);
  gtk_text_buffer_begin_user_action (f->buffer);
  gtk_text_buffer_insert (f->buffer, &iter, text, -1);
  gtk_text_buffer_end_user_action (f->buffer);
}

static void
type_at_line_end (Fixture    *f,
                  int         line,
                  const char *text)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_line (f->buffer, &iter, line);
  gtk_text_iter_forward_to_line_end (&iter);
  gtk_text_buffer_begin_user_action (f->buffer);
  gtk_text_buffer_insert (f->buffer, &iter, text, -1);
  gtk_text_buffer_end_user_action (f->buffer);
}

/* deletes from (line_a, index_a) to (line_b, index_b) */
static void
delete_between (Fixture *f,
                int      line_a,
                int      index_a,
                int      line_b,
                int      index_b)
{
  GtkTextIter a, b;

  gtk_text_buffer_get_iter_at_line_index (f->buffer, &a, line_a, index_a);
  gtk_text_buffer_get_iter_at_line_index (f->buffer, &b, line_b, index_b);
  gtk_text_buffer_begin_user_action (f->buffer);
  gtk_text_buffer_delete (f->buffer, &a, &b);
  gtk_text_buffer_end_user_action (f->buffer);
}

static char *
line_text (Fixture *f,
           int      line)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_line (f->buffer, &start, line);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  return gtk_text_buffer_get_text (f->buffer, &start, &end, FALSE);
}

static void
test_nothing_edited (Fixture       *f,
                     gconstpointer  data)
{
  assert_edited (f, "");
}

static void
test_typing_edits_its_line (Fixture       *f,
                            gconstpointer  data)
{
  type_at (f, 3, 1, "x");
  assert_edited (f, "3-3");
  type_at (f, 3, 2, "y");
  type_at_line_end (f, 3, " ");
  assert_edited (f, "3-3");
  type_at (f, 7, 0, "z");
  assert_edited (f, "3-3 7-7");
}

static void
test_ranges_touching_merge (Fixture       *f,
                            gconstpointer  data)
{
  type_at (f, 3, 0, "x");
  type_at (f, 5, 0, "x");
  assert_edited (f, "3-3 5-5");
  type_at (f, 4, 0, "x");
  assert_edited (f, "3-5");
  type_at (f, 6, 0, "x");
  type_at (f, 2, 0, "x");
  assert_edited (f, "2-6");
}

static void
test_ranges_move_with_edits_above (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *moved = NULL;

  type_at (f, 5, 2, " ");
  /* two lines put in before line 1, and line 0 deleted whole */
  type_at (f, 1, 0, "new a\nnew b\n");
  assert_edited (f, "1-2 7-7");
  delete_between (f, 0, 0, 1, 0);
  assert_edited (f, "0-1 6-6");
  moved = line_text (f, 6);
  g_assert_cmpstr (moved, ==, "l5 ");
}

static void
test_enter_at_a_line_end_leaves_that_line (Fixture       *f,
                                           gconstpointer  data)
{
  /* a Markdown hard break: "l4" then Enter and a new line typed after it */
  type_at_line_end (f, 4, "\n");
  assert_edited (f, "5-5");
  type_at (f, 5, 0, "more");
  assert_edited (f, "5-5");
  /* Enter in the middle of a line splits it: both halves are edited */
  type_at (f, 8, 1, "\n");
  assert_edited (f, "5-5 8-9");
}

static void
test_lines_pasted_before_a_line (Fixture       *f,
                                 gconstpointer  data)
{
  type_at (f, 2, 0, "p\nq\n");
  assert_edited (f, "2-3");
  g_autofree char *after = line_text (f, 4);
  g_assert_cmpstr (after, ==, "l2");
}

static void
test_deletes_joining_lines (Fixture       *f,
                            gconstpointer  data)
{
  /* Backspace at the start of line 3: lines 2 and 3 become one */
  delete_between (f, 2, 2, 3, 0);
  assert_edited (f, "2-2");
  /* Delete at the end of line 6 joins 6 and 7, a deletion across lines
   * too: from the middle of 0 to the middle of 1 */
  delete_between (f, 6, 2, 7, 0);
  delete_between (f, 0, 1, 1, 1);
  assert_edited (f, "0-1 5-5");
}

static void
test_whole_lines_deleted_edit_none (Fixture       *f,
                                    gconstpointer  data)
{
  delete_between (f, 2, 0, 4, 0);   /* lines 2 and 3, as dd does */
  assert_edited (f, "");
  delete_between (f, 1, 2, 3, 2);   /* from the end of 1 to the end of 3 */
  assert_edited (f, "");
}

static void
test_deleting_edited_lines_drops_them (Fixture       *f,
                                       gconstpointer  data)
{
  type_at (f, 3, 0, "x");
  type_at (f, 4, 0, "x");
  type_at (f, 8, 0, "x");
  assert_edited (f, "3-4 8-8");
  delete_between (f, 3, 0, 5, 0);   /* the edited lines 3 and 4, whole */
  assert_edited (f, "6-6");
  /* the last line of a range deleted whole: the range ends above it */
  type_at (f, 1, 0, "x");
  type_at (f, 2, 0, "x");
  delete_between (f, 2, 0, 3, 0);
  assert_edited (f, "1-1 5-5");
}

static void
test_edits_inside_a_range (Fixture       *f,
                           gconstpointer  data)
{
  type_at (f, 2, 0, "a");
  type_at (f, 3, 0, "b");
  type_at (f, 4, 0, "c");
  delete_between (f, 3, 0, 3, 1);
  type_at (f, 3, 0, "one\ntwo");
  assert_edited (f, "2-5");
  delete_between (f, 2, 1, 5, 1);
  assert_edited (f, "2-2");
}

static void
test_undo_counts_as_edits (Fixture       *f,
                           gconstpointer  data)
{

  delete_between (f, 4, 0, 5, 0);   /* line 4, whole: nothing edited */
  assert_edited (f, "");
  gtk_text_buffer_undo (f->buffer);   /* line 4 is back: it was edited */
  {
    g_autofree char *back = line_text (f, 4);

    g_assert_cmpstr (back, ==, "l4");
  }
  assert_edited (f, "4-4");
  smelt_edit_ranges_reset (f->edits);
  type_at (f, 7, 0, "x");
  gtk_text_buffer_undo (f->buffer);
  assert_edited (f, "7-7");
  gtk_text_buffer_redo (f->buffer);
  assert_edited (f, "7-7");
}

static void
test_whole_replace_is_one_range (Fixture       *f,
                                 gconstpointer  data)
{
  GString *text = g_string_new (NULL);
  GtkTextIter start, end;

  type_at (f, 2, 0, "x");
  for (int i = 0; i < 200000; i++)
    g_string_append (text, "a line of text  \n");
  gtk_text_buffer_get_bounds (f->buffer, &start, &end);
  gtk_text_buffer_begin_user_action (f->buffer);
  gtk_text_buffer_delete (f->buffer, &start, &end);
  gtk_text_buffer_insert (f->buffer, &start, text->str, (int) text->len);
  gtk_text_buffer_end_user_action (f->buffer);
  assert_edited (f, "0-199999");
  g_string_free (text, TRUE);
}

static void
test_checkpoints (Fixture       *f,
                  gconstpointer  data)
{
  guint first, second;

  type_at (f, 1, 0, "x");
  first = smelt_edit_ranges_checkpoint (f->edits);
  type_at (f, 1, 1, "y");   /* typed while the save runs */
  type_at (f, 6, 0, "z");
  assert_edited (f, "1-1 6-6");
  smelt_edit_ranges_clear_until (f->edits, first);
  assert_edited (f, "1-1 6-6");   /* both edited after the checkpoint */

  smelt_edit_ranges_reset (f->edits);
  type_at (f, 2, 0, "x");
  first = smelt_edit_ranges_checkpoint (f->edits);   /* a save that fails */
  type_at (f, 4, 0, "x");
  second = smelt_edit_ranges_checkpoint (f->edits);  /* the next one, which succeeds */
  type_at (f, 8, 0, "x");
  assert_edited (f, "2-2 4-4 8-8");
  smelt_edit_ranges_clear_until (f->edits, second);
  assert_edited (f, "8-8");
  smelt_edit_ranges_clear_until (f->edits, first);   /* late, and a no-op */
  assert_edited (f, "8-8");
}

static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  type_at (f, 1, 0, "x");
  smelt_edit_ranges_checkpoint (f->edits);
  type_at (f, 5, 0, "x");
  smelt_edit_ranges_reset (f->edits);
  assert_edited (f, "");
  type_at (f, 9, 0, "x");
  assert_edited (f, "9-9");
}

static void
test_buffer_goes_first (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GArray) lines = NULL;

  type_at (f, 1, 0, "x");
  g_clear_object (&f->buffer);
  lines = smelt_edit_ranges_get_lines (f->edits);
  g_assert_cmpuint (lines->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/edit-ranges/nothing-edited", test_nothing_edited);
  ADD ("/edit-ranges/typing-edits-its-line", test_typing_edits_its_line);
  ADD ("/edit-ranges/ranges-touching-merge", test_ranges_touching_merge);
  ADD ("/edit-ranges/ranges-move-with-edits-above", test_ranges_move_with_edits_above);
  ADD ("/edit-ranges/enter-at-a-line-end-leaves-that-line", test_enter_at_a_line_end_leaves_that_line);
  ADD ("/edit-ranges/lines-pasted-before-a-line", test_lines_pasted_before_a_line);
  ADD ("/edit-ranges/deletes-joining-lines", test_deletes_joining_lines);
  ADD ("/edit-ranges/whole-lines-deleted-edit-none", test_whole_lines_deleted_edit_none);
  ADD ("/edit-ranges/deleting-edited-lines-drops-them", test_deleting_edited_lines_drops_them);
  ADD ("/edit-ranges/edits-inside-a-range", test_edits_inside_a_range);
  ADD ("/edit-ranges/undo-counts-as-edits", test_undo_counts_as_edits);
  ADD ("/edit-ranges/whole-replace-is-one-range", test_whole_replace_is_one_range);
  ADD ("/edit-ranges/checkpoints", test_checkpoints);
  ADD ("/edit-ranges/reset", test_reset);
  ADD ("/edit-ranges/buffer-goes-first", test_buffer_goes_first);
#undef ADD
  return g_test_run ();
}
