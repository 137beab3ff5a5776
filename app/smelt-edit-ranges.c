/* smelt-edit-ranges.c: which lines of a text buffer were edited since a reset or a save
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trimming on save must touch only what the user edited: a TSV field or a
 * Markdown hard break ending in spaces on a line nobody touched stays as
 * it is.  This object watches a GtkTextBuffer's inserts and deletes and
 * keeps the lines they touched as ranges, each held by two GtkTextMarks
 * (so later edits move them): the start of its first line (left gravity)
 * and the end of its last (right gravity).  An edit that touches or
 * adjoins a range grows it rather than adding one: a keystroke costs a
 * binary search, and a whole-buffer replace is one range, not a mark per
 * line.
 *
 * A line counts as edited when text was inserted into it or deleted from
 * it; a newline typed at a line's end (Enter after a hard break) edits only
 * the new line, and whole lines deleted edit none.  Undo is edits like any
 * other: what it puts back counts as edited.
 *
 * A save takes a checkpoint when it starts: the ranges recorded so far are
 * set apart, and edits made meanwhile go to new ones.  When the save has
 * written the text, clear_until() forgets what came before its checkpoint;
 * a failed save forgets nothing (its ranges stay until a later save
 * succeeds, or a reset).
 */

#define G_LOG_DOMAIN "smelt-edit-ranges"

#include "config.h"

#include <string.h>

#include "smelt-edit-ranges.h"

typedef struct
{
  GtkTextMark *start;   /* the start of the first line; left gravity */
  GtkTextMark *end;     /* the end of the last line; right gravity */
} Range;

/* The ranges recorded between two checkpoints, sorted by their start
 * marks (marks never change order, so edits keep them sorted). */
typedef struct
{
  guint   serial;   /* the checkpoint that closed it; 0 while open */
  GArray *ranges;   /* of Range */
} Generation;

struct _SmeltEditRanges
{
  GObject        parent_instance;
  GtkTextBuffer *buffer;        /* weak: the buffer owns this object's owner */
  GPtrArray     *generations;   /* of Generation, oldest first; the last is open */
  guint          last_serial;

  /* what the "before" handlers saw of the edit under way */
  int            insert_line;
  guint          insert_at_line_start : 1;
  guint          insert_at_line_end : 1;
  guint          delete_from_line_start : 1;
  guint          delete_to_line_start : 1;
  guint          delete_from_line_end : 1;
  guint          delete_to_line_end : 1;
};

G_DEFINE_FINAL_TYPE (SmeltEditRanges, smelt_edit_ranges, G_TYPE_OBJECT)

static void
delete_range_marks (SmeltEditRanges *self,
                    Range           *range)
{
  if (self->buffer == NULL)
    return;   /* the buffer went, and its marks with it */
  gtk_text_buffer_delete_mark (self->buffer, range->start);
  gtk_text_buffer_delete_mark (self->buffer, range->end);
}

static Generation *
generation_new (void)
{
  Generation *gen = g_new0 (Generation, 1);

  gen->ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  return gen;
}

static void
generation_clear (SmeltEditRanges *self,
                  Generation      *gen)
{
  for (guint i = 0; i < gen->ranges->len; i++)
    delete_range_marks (self, &g_array_index (gen->ranges, Range, i));
  g_array_set_size (gen->ranges, 0);
}

static void
generation_free (SmeltEditRanges *self,
                 Generation      *gen)
{
  generation_clear (self, gen);
  g_array_unref (gen->ranges);
  g_free (gen);
}

static Generation *
open_generation (SmeltEditRanges *self)
{
  return g_ptr_array_index (self->generations, self->generations->len - 1);
}

/* The lines a range covers: from its start mark's line to its end mark's,
 * less that line when the end mark sits at a line's start past the start
 * mark (the lines after the range's last one were deleted up to it). */
static void
range_lines (GtkTextBuffer *buffer,
             const Range   *range,
             int           *first,
             int           *last)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_mark (buffer, &start, range->start);
  gtk_text_buffer_get_iter_at_mark (buffer, &end, range->end);
  *first = gtk_text_iter_get_line (&start);
  *last = gtk_text_iter_get_line (&end);
  if (*last > *first && gtk_text_iter_starts_line (&end))
    (*last)--;
}

static int
range_first_line (GtkTextBuffer *buffer,
                  const Range   *range)
{
  GtkTextIter start;

  gtk_text_buffer_get_iter_at_mark (buffer, &start, range->start);
  return gtk_text_iter_get_line (&start);
}

/* Records lines first..last as edited in gen: one range, grown over the
 * ranges it touches or adjoins. */
static void
add_lines (SmeltEditRanges *self,
           Generation      *gen,
           int              first,
           int              last)
{
  GtkTextBuffer *buffer = self->buffer;
  GArray *ranges = gen->ranges;
  GtkTextIter start, end, iter;
  guint lo = 0, hi = ranges->len, low;

  gtk_text_buffer_get_iter_at_line (buffer, &start, first);
  gtk_text_buffer_get_iter_at_line (buffer, &end, last);
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);

  /* hi: how many ranges start at or before line last + 1 */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (range_first_line (buffer, &g_array_index (ranges, Range, mid)) <= last + 1)
        lo = mid + 1;
      else
        hi = mid;
    }
  /* low..hi-1: the ranges before that which reach line first - 1 */
  low = hi;
  while (low > 0)
    {
      int r_first, r_last;

      range_lines (buffer, &g_array_index (ranges, Range, low - 1), &r_first, &r_last);
      if (r_last < first - 1)
        break;
      low--;
    }
  if (low == hi)
    {
      Range range = {
        gtk_text_buffer_create_mark (buffer, NULL, &start, TRUE),
        gtk_text_buffer_create_mark (buffer, NULL, &end, FALSE),
      };

      g_array_insert_val (ranges, hi, range);
      return;
    }

  /* the first of them grows over all of them and the new lines */
  {
    Range *keep = &g_array_index (ranges, Range, low);

    gtk_text_buffer_get_iter_at_mark (buffer, &iter, keep->start);
    if (gtk_text_iter_compare (&iter, &start) > 0)
      gtk_text_buffer_move_mark (buffer, keep->start, &start);
    gtk_text_buffer_get_iter_at_mark (buffer, &iter, g_array_index (ranges, Range, hi - 1).end);
    if (gtk_text_iter_compare (&iter, &end) > 0)
      end = iter;
    gtk_text_buffer_move_mark (buffer, keep->end, &end);
    for (guint i = low + 1; i < hi; i++)
      delete_range_marks (self, &g_array_index (ranges, Range, i));
    if (hi > low + 1)
      g_array_remove_range (ranges, low + 1, hi - low - 1);
  }
}

static gboolean
is_line_break (const char *text,
               int         len,
               gboolean    at_end)
{
  if (len <= 0)
    return FALSE;
  if (at_end)
    return text[len - 1] == '\n' || text[len - 1] == '\r' ||
           (len >= 3 && memcmp (text + len - 3, "\xe2\x80\xa9", 3) == 0);
  return text[0] == '\n' || text[0] == '\r' || (len >= 3 && memcmp (text, "\xe2\x80\xa9", 3) == 0);
}

static void
on_insert_text_before (GtkTextBuffer   *buffer,
                       GtkTextIter     *location,
                       const char      *text,
                       int              len,
                       SmeltEditRanges *self)
{
  self->insert_line = gtk_text_iter_get_line (location);
  self->insert_at_line_start = gtk_text_iter_starts_line (location);
  self->insert_at_line_end = gtk_text_iter_ends_line (location);
}

/* location is at the end of the inserted text now */
static void
on_insert_text_after (GtkTextBuffer   *buffer,
                      GtkTextIter     *location,
                      const char      *text,
                      int              len,
                      SmeltEditRanges *self)
{
  int first = self->insert_line;
  int last = gtk_text_iter_get_line (location);

  if (len < 0)
    len = (int) strlen (text);
  /* a newline typed at a line's end leaves that line as it was; lines
   * inserted before a line's start leave that one as it was */
  if (self->insert_at_line_end && is_line_break (text, len, FALSE))
    first++;
  if (self->insert_at_line_start && is_line_break (text, len, TRUE))
    last--;
  if (first <= last)
    add_lines (self, open_generation (self), first, last);
}

/* The ranges lying wholly in the text about to go go with it (their marks
 * would all meet at the deletion's point, on a line nobody edited). */
static void
drop_ranges_within (SmeltEditRanges *self,
                    int              from,
                    int              to)
{
  for (guint g = 0; g < self->generations->len; g++)
    {
      GArray *ranges = ((Generation *) g_ptr_array_index (self->generations, g))->ranges;
      guint lo = 0, hi = ranges->len;

      /* from the first range that starts at or after from */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          GtkTextIter start;

          gtk_text_buffer_get_iter_at_mark (self->buffer, &start, g_array_index (ranges, Range, mid).start);
          if (gtk_text_iter_get_offset (&start) < from)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (guint i = lo; i < ranges->len;)
        {
          Range *range = &g_array_index (ranges, Range, i);
          GtkTextIter start, end;

          gtk_text_buffer_get_iter_at_mark (self->buffer, &start, range->start);
          if (gtk_text_iter_get_offset (&start) > to)
            break;
          gtk_text_buffer_get_iter_at_mark (self->buffer, &end, range->end);
          if (gtk_text_iter_get_offset (&start) >= from && gtk_text_iter_get_offset (&end) <= to)
            {
              delete_range_marks (self, range);
              g_array_remove_index (ranges, i);
            }
          else
            i++;
        }
    }
}

static void
on_delete_range_before (GtkTextBuffer   *buffer,
                        GtkTextIter     *start,
                        GtkTextIter     *end,
                        SmeltEditRanges *self)
{
  GtkTextIter from = *start, to = *end;

  gtk_text_iter_order (&from, &to);
  self->delete_from_line_start = gtk_text_iter_starts_line (&from);
  self->delete_to_line_start = gtk_text_iter_starts_line (&to);
  self->delete_from_line_end = gtk_text_iter_ends_line (&from);
  self->delete_to_line_end = gtk_text_iter_ends_line (&to);
  drop_ranges_within (self, gtk_text_iter_get_offset (&from), gtk_text_iter_get_offset (&to));
}

/* start and end are both at the deletion's point now */
static void
on_delete_range_after (GtkTextBuffer   *buffer,
                       GtkTextIter     *start,
                       GtkTextIter     *end,
                       SmeltEditRanges *self)
{
  /* whole lines deleted (from a line's start to another's, or from a
   * line's end to another's) leave the lines around them as they were */
  if ((self->delete_from_line_start && self->delete_to_line_start) ||
      (self->delete_from_line_end && self->delete_to_line_end))
    return;
  add_lines (self, open_generation (self), gtk_text_iter_get_line (start), gtk_text_iter_get_line (start));
}

static void
smelt_edit_ranges_dispose (GObject *object)
{
  SmeltEditRanges *self = SMELT_EDIT_RANGES (object);

  if (self->generations != NULL)
    {
      for (guint g = 0; g < self->generations->len; g++)
        generation_free (self, g_ptr_array_index (self->generations, g));
      g_clear_pointer (&self->generations, g_ptr_array_unref);
    }
  if (self->buffer != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->buffer, self);
      g_object_remove_weak_pointer (G_OBJECT (self->buffer), (gpointer *) &self->buffer);
      self->buffer = NULL;
    }
  G_OBJECT_CLASS (smelt_edit_ranges_parent_class)->dispose (object);
}

static void
smelt_edit_ranges_class_init (SmeltEditRangesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = smelt_edit_ranges_dispose;
}

static void
smelt_edit_ranges_init (SmeltEditRanges *self)
{
  self->generations = g_ptr_array_new ();
  g_ptr_array_add (self->generations, generation_new ());
}

/**
 * smelt_edit_ranges_new:
 * @buffer: the buffer to watch; it must outlive the object, or the object
 *   is left empty and watching nothing
 *
 * Returns: (transfer full): an object recording which lines of @buffer
 *   are edited from now on
 */
SmeltEditRanges *
smelt_edit_ranges_new (GtkTextBuffer *buffer)
{
  SmeltEditRanges *self;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);

  self = g_object_new (SMELT_TYPE_EDIT_RANGES, NULL);
  self->buffer = buffer;
  g_object_add_weak_pointer (G_OBJECT (buffer), (gpointer *) &self->buffer);
  g_signal_connect (buffer, "insert-text", G_CALLBACK (on_insert_text_before), self);
  g_signal_connect_after (buffer, "insert-text", G_CALLBACK (on_insert_text_after), self);
  g_signal_connect (buffer, "delete-range", G_CALLBACK (on_delete_range_before), self);
  g_signal_connect_after (buffer, "delete-range", G_CALLBACK (on_delete_range_after), self);
  return self;
}

static int
compare_line_ranges (gconstpointer a,
                     gconstpointer b)
{
  const SmeltLineRange *ra = a, *rb = b;

  return ra->first < rb->first ? -1 : ra->first > rb->first;
}

/**
 * smelt_edit_ranges_get_lines:
 * @self: a #SmeltEditRanges
 *
 * Returns: (transfer full) (element-type SmeltLineRange): the lines
 *   edited since the last reset that no save has written yet: sorted,
 *   disjoint, none touching the next, 0-based [first, last] pairs
 */
GArray *
smelt_edit_ranges_get_lines (SmeltEditRanges *self)
{
  GArray *lines;
  guint out = 0;

  g_return_val_if_fail (SMELT_IS_EDIT_RANGES (self), NULL);

  lines = g_array_new (FALSE, FALSE, sizeof (SmeltLineRange));
  if (self->buffer == NULL)
    return lines;
  for (guint g = 0; g < self->generations->len; g++)
    {
      GArray *ranges = ((Generation *) g_ptr_array_index (self->generations, g))->ranges;

      for (guint i = 0; i < ranges->len; i++)
        {
          SmeltLineRange line;

          range_lines (self->buffer, &g_array_index (ranges, Range, i), &line.first, &line.last);
          g_array_append_val (lines, line);
        }
    }
  /* the generations' ranges, and ranges that edits moved together, merge */
  g_array_sort (lines, compare_line_ranges);
  for (guint i = 0; i < lines->len; i++)
    {
      SmeltLineRange *cur = &g_array_index (lines, SmeltLineRange, i);
      SmeltLineRange *prev = out > 0 ? &g_array_index (lines, SmeltLineRange, out - 1) : NULL;

      if (prev != NULL && cur->first <= prev->last + 1)
        prev->last = MAX (prev->last, cur->last);
      else
        g_array_index (lines, SmeltLineRange, out++) = *cur;
    }
  g_array_set_size (lines, out);
  return lines;
}

/**
 * smelt_edit_ranges_reset:
 * @self: a #SmeltEditRanges
 *
 * Forgets every edit recorded (the text was loaded anew).
 */
void
smelt_edit_ranges_reset (SmeltEditRanges *self)
{
  g_return_if_fail (SMELT_IS_EDIT_RANGES (self));

  while (self->generations->len > 1)
    {
      generation_free (self, g_ptr_array_index (self->generations, 0));
      g_ptr_array_remove_index (self->generations, 0);
    }
  generation_clear (self, open_generation (self));
}

/**
 * smelt_edit_ranges_checkpoint:
 * @self: a #SmeltEditRanges
 *
 * Sets the edits recorded so far apart from those to come (a save starts).
 *
 * Returns: the checkpoint, for smelt_edit_ranges_clear_until()
 */
guint
smelt_edit_ranges_checkpoint (SmeltEditRanges *self)
{
  g_return_val_if_fail (SMELT_IS_EDIT_RANGES (self), 0);

  open_generation (self)->serial = ++self->last_serial;
  g_ptr_array_add (self->generations, generation_new ());
  return self->last_serial;
}

/**
 * smelt_edit_ranges_clear_until:
 * @self: a #SmeltEditRanges
 * @checkpoint: from smelt_edit_ranges_checkpoint()
 *
 * Forgets the edits recorded before @checkpoint (the save that took it
 * wrote them); those made since stay.
 */
void
smelt_edit_ranges_clear_until (SmeltEditRanges *self,
                               guint            checkpoint)
{
  g_return_if_fail (SMELT_IS_EDIT_RANGES (self));

  while (self->generations->len > 1)
    {
      Generation *gen = g_ptr_array_index (self->generations, 0);

      if (gen->serial > checkpoint)
        break;
      generation_free (self, gen);
      g_ptr_array_remove_index (self->generations, 0);
    }
}
