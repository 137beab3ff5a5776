/* smelt-id-map.h: an open-addressing hash map from 64-bit ids to pointers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Invariant: keys are never 0 (0 marks an empty entry).  The capacity is a
 * power of two, at least twice the number of entries.  Linear probing: for
 * an entry whose key k sits at position i, every position from home(k) to i
 * (wrapping around) holds an entry.  Removal shifts later entries back to
 * keep that true, so there are no tombstones and lookups stay short.
 */

typedef struct
{
  guint64  key;
  gpointer value;
} SmeltIdMapEntry;

typedef struct
{
  SmeltIdMapEntry *entries;
  guint            mask;     /* capacity - 1 */
  guint            shift;    /* 64 - log2 (capacity) */
  guint            len;
} SmeltIdMap;

void     smelt_id_map_init    (SmeltIdMap *map);
void     smelt_id_map_clear   (SmeltIdMap *map);
gpointer smelt_id_map_lookup  (SmeltIdMap *map,
                               guint64     key);
void     smelt_id_map_insert  (SmeltIdMap *map,
                               guint64     key,
                               gpointer    value);
gpointer smelt_id_map_remove  (SmeltIdMap *map,
                               guint64     key);
/* Removes every entry, calling func on each value. */
void     smelt_id_map_drain   (SmeltIdMap *map,
                               GFunc       func,
                               gpointer    user_data);

static inline guint
smelt_id_map_size (const SmeltIdMap *map)
{
  return map->len;
}

G_END_DECLS
