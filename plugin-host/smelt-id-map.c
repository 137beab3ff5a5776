/* smelt-id-map.c: an open-addressing hash map from 64-bit ids to pointers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pairs task.wait(id) with task.resume(id) in O(1) without a heap
 * allocation per id: GHashTable cost a fifth of the hand-off benchmark.
 * See the header for the invariant.
 */

#define G_LOG_DOMAIN "smelt-id-map"

#include "config.h"

#include "smelt-id-map.h"

#define MIN_BITS 4

static inline guint
home (const SmeltIdMap *map,
      guint64           key)
{
  /* Fibonacci hashing: consecutive ids spread over the table. */
  return (guint) ((key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> map->shift);
}

static void
alloc_table (SmeltIdMap *map,
             guint       bits)
{
  map->entries = g_new0 (SmeltIdMapEntry, (gsize) 1 << bits);
  map->mask = (1u << bits) - 1;
  map->shift = 64 - bits;
  map->len = 0;
}

void
smelt_id_map_init (SmeltIdMap *map)
{
  alloc_table (map, MIN_BITS);
}

void
smelt_id_map_clear (SmeltIdMap *map)
{
  g_clear_pointer (&map->entries, g_free);
  map->mask = 0;
  map->len = 0;
}

gpointer
smelt_id_map_lookup (SmeltIdMap *map,
                     guint64     key)
{
  guint i = home (map, key);

  for (;;)
    {
      SmeltIdMapEntry *e = &map->entries[i];

      if (e->key == key)
        return e->value;
      if (e->key == 0)
        return NULL;
      i = (i + 1) & map->mask;
    }
}

static void
insert_unchecked (SmeltIdMap *map,
                  guint64     key,
                  gpointer    value)
{
  guint i = home (map, key);

  while (map->entries[i].key != 0)
    {
      g_assert (map->entries[i].key != key);
      i = (i + 1) & map->mask;
    }
  map->entries[i].key = key;
  map->entries[i].value = value;
  map->len++;
}

static void
resize (SmeltIdMap *map,
        guint       bits)
{
  SmeltIdMapEntry *old = map->entries;
  guint old_cap = map->mask + 1;

  alloc_table (map, bits);
  for (guint i = 0; i < old_cap; i++)
    if (old[i].key != 0)
      insert_unchecked (map, old[i].key, old[i].value);
  g_free (old);
}

static guint
bits_of (const SmeltIdMap *map)
{
  return 64 - map->shift;
}

void
smelt_id_map_insert (SmeltIdMap *map,
                     guint64     key,
                     gpointer    value)
{
  g_assert (key != 0);

  if ((map->len + 1) * 2 > map->mask + 1)
    resize (map, bits_of (map) + 1);
  insert_unchecked (map, key, value);
}

gpointer
smelt_id_map_remove (SmeltIdMap *map,
                     guint64     key)
{
  guint i = home (map, key);
  gpointer value;

  for (;;)
    {
      if (map->entries[i].key == key)
        break;
      if (map->entries[i].key == 0)
        return NULL;
      i = (i + 1) & map->mask;
    }

  value = map->entries[i].value;
  map->len--;

  /* Backward-shift deletion: pull later entries of the run into the hole
   * when their home position allows it. */
  for (guint j = i;;)
    {
      guint k;

      j = (j + 1) & map->mask;
      if (map->entries[j].key == 0)
        break;
      k = home (map, map->entries[j].key);
      /* The entry at j may move to i unless its home lies cyclically in (i, j]. */
      if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
        continue;
      map->entries[i] = map->entries[j];
      i = j;
    }
  map->entries[i].key = 0;
  map->entries[i].value = NULL;

  if (bits_of (map) > MIN_BITS && map->len * 8 < map->mask + 1)
    resize (map, bits_of (map) - 1);
  return value;
}

void
smelt_id_map_drain (SmeltIdMap *map,
                    GFunc       func,
                    gpointer    user_data)
{
  SmeltIdMapEntry *old = map->entries;
  guint cap = map->mask + 1;

  alloc_table (map, MIN_BITS);
  for (guint i = 0; i < cap; i++)
    if (old[i].key != 0)
      func (old[i].value, user_data);
  g_free (old);
}
