/* smelt-edit-ranges.h: which lines of a text buffer were edited since a reset or a save
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * SmeltLineRange:
 * @first: the first line, 0-based
 * @last: the last line, 0-based, inclusive
 */
typedef struct
{
  int first;
  int last;
} SmeltLineRange;

#define SMELT_TYPE_EDIT_RANGES (smelt_edit_ranges_get_type ())

G_DECLARE_FINAL_TYPE (SmeltEditRanges, smelt_edit_ranges, SMELT, EDIT_RANGES, GObject)

SmeltEditRanges *smelt_edit_ranges_new         (GtkTextBuffer   *buffer);
GArray          *smelt_edit_ranges_get_lines   (SmeltEditRanges *self);
void             smelt_edit_ranges_reset       (SmeltEditRanges *self);
guint            smelt_edit_ranges_checkpoint  (SmeltEditRanges *self);
void             smelt_edit_ranges_clear_until (SmeltEditRanges *self,
                                                guint            checkpoint);

G_END_DECLS
