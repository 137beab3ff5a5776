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

/**
 * SmeltTypeaheadFuncs:
 * @ref: takes a reference on a press
 * @unref: drops one
 * @put_back: appends a press to the event queue, behind what is queued
 * @target: what a press is for (its #GdkSurface)
 * @now: the monotonic clock, in microseconds
 *
 * What the typeahead does with presses: GdkEvents on GDK's queue for the
 * window (smelt_typeahead_get_default()), or a test's own.
 */
typedef struct
{
  gpointer (*ref)      (gpointer press);
  void     (*unref)    (gpointer press);
  void     (*put_back) (gpointer press);
  gpointer (*target)   (gpointer press);
  gint64   (*now)      (void);
} SmeltTypeaheadFuncs;

typedef struct _SmeltTypeahead SmeltTypeahead;

SmeltTypeahead     *smelt_typeahead_new         (const SmeltTypeaheadFuncs *funcs);
void                smelt_typeahead_free        (SmeltTypeahead            *self);
SmeltTypeahead     *smelt_typeahead_get_default (void);
SmeltTypeaheadClaim smelt_typeahead_claim       (SmeltTypeahead            *self,
                                                 gpointer                   press);
void                smelt_typeahead_hold        (SmeltTypeahead            *self,
                                                 gpointer                   press);
guint               smelt_typeahead_n_held      (SmeltTypeahead            *self);
gboolean            smelt_typeahead_release     (SmeltTypeahead            *self,
                                                 guint                      drop,
                                                 guint                      typed,
                                                 gpointer                   current);
void                smelt_typeahead_clear       (SmeltTypeahead            *self);

G_END_DECLS
