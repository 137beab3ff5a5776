/* smelt-deadline-heap.c: an intrusive binary min-heap of deadlines
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The scheduler keeps every sleeping task and every timer in one of these,
 * behind a single GSource whose ready time is the root's deadline, so the
 * cost of a main-loop iteration does not grow with the number of sleepers.
 * Insert and remove are O(log n); peek is O(1).  See the header for the
 * invariant.
 */

#define G_LOG_DOMAIN "smelt-heap"

#include "config.h"

#include "smelt-deadline-heap.h"

static inline gboolean
node_before (const SmeltHeapNode *a,
             const SmeltHeapNode *b)
{
  if (a->deadline != b->deadline)
    return a->deadline < b->deadline;
  return (gint32) (a->seq - b->seq) < 0;
}

static inline void
place (SmeltDeadlineHeap *heap,
       SmeltHeapNode     *node,
       guint              index)
{
  heap->nodes[index] = node;
  node->index = index;
}

static void
sift_up (SmeltDeadlineHeap *heap,
         guint              index)
{
  SmeltHeapNode *node = heap->nodes[index];

  while (index > 0)
    {
      guint parent = (index - 1) / 2;

      if (!node_before (node, heap->nodes[parent]))
        break;
      place (heap, heap->nodes[parent], index);
      index = parent;
    }
  place (heap, node, index);
}

static void
sift_down (SmeltDeadlineHeap *heap,
           guint              index)
{
  SmeltHeapNode *node = heap->nodes[index];

  for (;;)
    {
      guint left = 2 * index + 1;
      guint right = left + 1;
      guint smallest = index;
      SmeltHeapNode *best = node;

      if (left < heap->len && node_before (heap->nodes[left], best))
        {
          smallest = left;
          best = heap->nodes[left];
        }
      if (right < heap->len && node_before (heap->nodes[right], best))
        {
          smallest = right;
          best = heap->nodes[right];
        }
      if (smallest == index)
        break;
      place (heap, best, index);
      index = smallest;
    }
  place (heap, node, index);
}

void
smelt_deadline_heap_init (SmeltDeadlineHeap *heap)
{
  heap->nodes = NULL;
  heap->len = 0;
  heap->alloc = 0;
  heap->next_seq = 1;
}

/* Detaches every node and frees the array; the nodes themselves belong to
 * their owners. */
void
smelt_deadline_heap_clear (SmeltDeadlineHeap *heap)
{
  for (guint i = 0; i < heap->len; i++)
    heap->nodes[i]->index = SMELT_HEAP_DETACHED;
  g_clear_pointer (&heap->nodes, g_free);
  heap->len = 0;
  heap->alloc = 0;
}

void
smelt_deadline_heap_insert (SmeltDeadlineHeap *heap,
                            SmeltHeapNode     *node,
                            gint64             deadline)
{
  g_assert (node->index == SMELT_HEAP_DETACHED);

  if (heap->len == heap->alloc)
    {
      heap->alloc = MAX (16, heap->alloc * 2);
      heap->nodes = g_renew (SmeltHeapNode *, heap->nodes, heap->alloc);
    }

  node->deadline = deadline;
  node->seq = heap->next_seq++;
  heap->nodes[heap->len] = node;
  node->index = heap->len;
  heap->len++;
  sift_up (heap, node->index);
}

void
smelt_deadline_heap_remove (SmeltDeadlineHeap *heap,
                            SmeltHeapNode     *node)
{
  guint index = node->index;
  SmeltHeapNode *last;

  g_assert (index < heap->len && heap->nodes[index] == node);

  node->index = SMELT_HEAP_DETACHED;
  heap->len--;
  if (index == heap->len)
    return;

  last = heap->nodes[heap->len];
  place (heap, last, index);
  if (index > 0 && node_before (last, heap->nodes[(index - 1) / 2]))
    sift_up (heap, index);
  else
    sift_down (heap, index);
}

SmeltHeapNode *
smelt_deadline_heap_pop (SmeltDeadlineHeap *heap)
{
  SmeltHeapNode *root;

  if (heap->len == 0)
    return NULL;
  root = heap->nodes[0];
  smelt_deadline_heap_remove (heap, root);
  return root;
}
