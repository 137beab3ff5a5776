/* test-deadline-heap.c: the deadline heap keeps its order under inserts, removals and pops
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "smelt-deadline-heap.h"

static void
check_invariant (SmeltDeadlineHeap *heap)
{
  for (guint i = 0; i < heap->len; i++)
    {
      SmeltHeapNode *n = heap->nodes[i];

      g_assert_cmpuint (n->index, ==, i);
      if (i > 0)
        {
          SmeltHeapNode *p = heap->nodes[(i - 1) / 2];

          g_assert_true (p->deadline < n->deadline ||
                         (p->deadline == n->deadline && (gint32) (p->seq - n->seq) < 0));
        }
    }
}

static void
test_pop_order (void)
{
  SmeltDeadlineHeap heap;
  SmeltHeapNode nodes[500];
  gint64 last = G_MININT64;

  smelt_deadline_heap_init (&heap);
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      smelt_heap_node_init (&nodes[i]);
      smelt_deadline_heap_insert (&heap, &nodes[i], g_test_rand_int_range (0, 1000));
    }
  check_invariant (&heap);
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      SmeltHeapNode *n = smelt_deadline_heap_pop (&heap);

      g_assert_nonnull (n);
      g_assert_cmpint (n->deadline, >=, last);
      g_assert_cmpuint (n->index, ==, SMELT_HEAP_DETACHED);
      last = n->deadline;
    }
  g_assert_null (smelt_deadline_heap_pop (&heap));
  smelt_deadline_heap_clear (&heap);
}

static void
test_ties_are_fifo (void)
{
  SmeltDeadlineHeap heap;
  SmeltHeapNode nodes[64];

  smelt_deadline_heap_init (&heap);
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      smelt_heap_node_init (&nodes[i]);
      smelt_deadline_heap_insert (&heap, &nodes[i], 42);
    }
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    g_assert_true (smelt_deadline_heap_pop (&heap) == &nodes[i]);
  smelt_deadline_heap_clear (&heap);
}

static void
test_ties_stay_fifo_across_wrap (void)
{
  SmeltDeadlineHeap heap;
  SmeltHeapNode a, b;

  smelt_deadline_heap_init (&heap);
  heap.next_seq = G_MAXUINT32;   /* the next two seqs wrap around */
  smelt_heap_node_init (&a);
  smelt_heap_node_init (&b);
  smelt_deadline_heap_insert (&heap, &a, 7);
  smelt_deadline_heap_insert (&heap, &b, 7);
  g_assert_true (smelt_deadline_heap_pop (&heap) == &a);
  g_assert_true (smelt_deadline_heap_pop (&heap) == &b);
  smelt_deadline_heap_clear (&heap);
}

static void
test_remove_random (void)
{
  SmeltDeadlineHeap heap;
  SmeltHeapNode nodes[1000];
  gboolean in[1000] = { FALSE };

  smelt_deadline_heap_init (&heap);
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    smelt_heap_node_init (&nodes[i]);

  for (guint round = 0; round < 20000; round++)
    {
      guint i = g_test_rand_int_range (0, G_N_ELEMENTS (nodes));

      if (in[i])
        {
          smelt_deadline_heap_remove (&heap, &nodes[i]);
          g_assert_false (smelt_heap_node_is_queued (&nodes[i]));
        }
      else
        smelt_deadline_heap_insert (&heap, &nodes[i], g_test_rand_int_range (-50, 50));
      in[i] = !in[i];
      if (round % 97 == 0)
        check_invariant (&heap);
    }
  check_invariant (&heap);

  /* What is left pops in order, and is exactly what is in. */
  {
    guint expected = 0, popped = 0;
    gint64 last = G_MININT64;
    SmeltHeapNode *n;

    for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
      expected += in[i];
    while ((n = smelt_deadline_heap_pop (&heap)) != NULL)
      {
        g_assert_true (in[n - nodes]);
        g_assert_cmpint (n->deadline, >=, last);
        last = n->deadline;
        popped++;
      }
    g_assert_cmpuint (popped, ==, expected);
  }
  smelt_deadline_heap_clear (&heap);
}

static void
test_peek_and_clear (void)
{
  SmeltDeadlineHeap heap;
  SmeltHeapNode a, b;

  smelt_deadline_heap_init (&heap);
  g_assert_null (smelt_deadline_heap_peek (&heap));
  smelt_heap_node_init (&a);
  smelt_heap_node_init (&b);
  smelt_deadline_heap_insert (&heap, &a, 10);
  smelt_deadline_heap_insert (&heap, &b, 5);
  g_assert_true (smelt_deadline_heap_peek (&heap) == &b);
  smelt_deadline_heap_clear (&heap);
  g_assert_false (smelt_heap_node_is_queued (&a));
  g_assert_false (smelt_heap_node_is_queued (&b));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/deadline-heap/pop-order", test_pop_order);
  g_test_add_func ("/deadline-heap/ties-are-fifo", test_ties_are_fifo);
  g_test_add_func ("/deadline-heap/ties-stay-fifo-across-wrap", test_ties_stay_fifo_across_wrap);
  g_test_add_func ("/deadline-heap/remove-random", test_remove_random);
  g_test_add_func ("/deadline-heap/peek-and-clear", test_peek_and_clear);
  return g_test_run ();
}
