/* smelt-deadline-heap.h: an intrusive binary min-heap of deadlines
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Invariant: for every node at index i > 0, the node at index (i - 1) / 2
 * orders before it, where a orders before b when a->deadline < b->deadline,
 * or when the deadlines are equal and a->seq comes before b->seq in serial
 * number arithmetic (so the 32-bit counter may wrap: ties stay FIFO as long
 * as two nodes with the same deadline were inserted fewer than 2^31 inserts
 * apart).  Each node's `index`
 * is its position in the array, or SMELT_HEAP_DETACHED when it is not in any
 * heap.  `seq` is assigned on insertion from a counter, so
 * nodes with equal deadlines come out in insertion order (FIFO).
 */

#define SMELT_HEAP_DETACHED G_MAXUINT

typedef struct _SmeltHeapNode
{
  gint64  deadline;     /* microseconds on the scheduler's clock */
  guint32 seq;          /* insertion order, ties broken FIFO (wraps; see node_before) */
  guint   index;        /* position in the heap, or SMELT_HEAP_DETACHED */
} SmeltHeapNode;

typedef struct _SmeltDeadlineHeap
{
  SmeltHeapNode **nodes;
  guint           len;
  guint           alloc;
  guint32         next_seq;
} SmeltDeadlineHeap;

void           smelt_deadline_heap_init   (SmeltDeadlineHeap *heap);
void           smelt_deadline_heap_clear  (SmeltDeadlineHeap *heap);
void           smelt_deadline_heap_insert (SmeltDeadlineHeap *heap,
                                           SmeltHeapNode     *node,
                                           gint64             deadline);
void           smelt_deadline_heap_remove (SmeltDeadlineHeap *heap,
                                           SmeltHeapNode     *node);
SmeltHeapNode *smelt_deadline_heap_pop    (SmeltDeadlineHeap *heap);

static inline void
smelt_heap_node_init (SmeltHeapNode *node)
{
  node->deadline = 0;
  node->seq = 0;
  node->index = SMELT_HEAP_DETACHED;
}

static inline SmeltHeapNode *
smelt_deadline_heap_peek (const SmeltDeadlineHeap *heap)
{
  return heap->len > 0 ? heap->nodes[0] : NULL;
}

static inline gboolean
smelt_heap_node_is_queued (const SmeltHeapNode *node)
{
  return node->index != SMELT_HEAP_DETACHED;
}

G_END_DECLS
