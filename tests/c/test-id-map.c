/* test-id-map.c: the id map agrees with a reference map under random inserts and removals
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "smelt-id-map.h"

static void
test_random_against_reference (void)
{
  SmeltIdMap map;
  g_autoptr(GHashTable) ref = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint64 keys[4096];

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    keys[i] = i < 2048 ? i + 1 : (guint64) g_test_rand_int () * 7919 + 1;

  smelt_id_map_init (&map);
  for (guint round = 0; round < 200000; round++)
    {
      guint64 *key = &keys[g_test_rand_int_range (0, G_N_ELEMENTS (keys))];
      gpointer in_ref = g_hash_table_lookup (ref, key);

      g_assert_true (smelt_id_map_lookup (&map, *key) == in_ref);
      if (in_ref)
        {
          g_assert_true (smelt_id_map_remove (&map, *key) == in_ref);
          g_hash_table_remove (ref, key);
        }
      else
        {
          smelt_id_map_insert (&map, *key, key);
          g_hash_table_insert (ref, key, key);
        }
      g_assert_cmpuint (smelt_id_map_size (&map), ==, g_hash_table_size (ref));
    }

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (smelt_id_map_lookup (&map, keys[i]) == g_hash_table_lookup (ref, &keys[i]));
  smelt_id_map_clear (&map);
}

static void
test_remove_missing_is_null (void)
{
  SmeltIdMap map;
  int v;

  smelt_id_map_init (&map);
  g_assert_null (smelt_id_map_remove (&map, 5));
  smelt_id_map_insert (&map, 5, &v);
  g_assert_null (smelt_id_map_remove (&map, 6));
  g_assert_true (smelt_id_map_remove (&map, 5) == &v);
  g_assert_null (smelt_id_map_lookup (&map, 5));
  smelt_id_map_clear (&map);
}

static void
count_cb (gpointer data,
          gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_grow_shrink_drain (void)
{
  SmeltIdMap map;
  guint n = 0;

  smelt_id_map_init (&map);
  for (guint64 k = 1; k <= 100000; k++)
    smelt_id_map_insert (&map, k, GSIZE_TO_POINTER (k));
  for (guint64 k = 1; k <= 99990; k++)
    g_assert_cmpuint (GPOINTER_TO_SIZE (smelt_id_map_remove (&map, k)), ==, k);
  g_assert_cmpuint (smelt_id_map_size (&map), ==, 10);
  g_assert_cmpuint (map.mask + 1, <=, 128);   /* it shrank */
  for (guint64 k = 99991; k <= 100000; k++)
    g_assert_cmpuint (GPOINTER_TO_SIZE (smelt_id_map_lookup (&map, k)), ==, k);
  smelt_id_map_drain (&map, count_cb, &n);
  g_assert_cmpuint (n, ==, 10);
  g_assert_cmpuint (smelt_id_map_size (&map), ==, 0);
  smelt_id_map_clear (&map);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/id-map/random-against-reference", test_random_against_reference);
  g_test_add_func ("/id-map/remove-missing-is-null", test_remove_missing_is_null);
  g_test_add_func ("/id-map/grow-shrink-drain", test_grow_shrink_drain);
  return g_test_run ();
}
