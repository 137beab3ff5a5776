/* smelt-key-typeahead.h: key presses held while they may start a key map, put back in order
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * SmeltTypeaheadClaim:
 * @SMELT_TYPEAHEAD_FRESH: a key press seen for the first time: for the key maps
 * @SMELT_TYPEAHEAD_TYPE: a key press put back to be typed: let GTK have it
 * @SMELT_TYPEAHEAD_FEED: a key press put back to go through the key maps again
 * @SMELT_TYPEAHEAD_LATER: swallow it: it comes again, behind the keys typed before it
 *
 * What the window does with a key press, see smelt_typeahead_claim().
 */
typedef enum
{
  SMELT_TYPEAHEAD_FRESH,
  SMELT_TYPEAHEAD_TYPE,
  SMELT_TYPEAHEAD_FEED,
  SMELT_TYPEAHEAD_LATER,
} SmeltTypeaheadClaim;

SmeltTypeaheadClaim smelt_typeahead_claim   (GdkEvent *event);
void                smelt_typeahead_hold    (GdkEvent *event);
guint               smelt_typeahead_n_held  (void);
gboolean            smelt_typeahead_release (guint     drop,
                                             guint     typed,
                                             GdkEvent *current);
void                smelt_typeahead_clear   (void);

G_END_DECLS
