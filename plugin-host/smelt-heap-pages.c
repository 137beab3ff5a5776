/* smelt-heap-pages.c: transparent huge pages for the malloc heap as it grows, for the smelt executable
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Tens of thousands of tasks are tens of thousands of Lua coroutines: a
 * heap of a hundred megabytes touched page by page.  With 4 KiB pages that
 * is one page fault and one TLB entry per page (W2, 100,000 tasks: 36,000
 * faults, 0.25 s of system time).  Where the kernel gives transparent huge
 * pages on request (Debian's default, "madvise"), this asks for them on the
 * heap as glibc grows it, as glibc's own glibc.malloc.hugetlb=1 tunable
 * does (W2: 2,700 faults).
 *
 * Invariant: [heap_start, advised) has been advised; the heap's break
 * (sbrk (0)) only grows past `advised` while enabled.  glibc grows the heap
 * by at least M_TOP_PAD at a time, so the region is advised before most of
 * it is touched.  It is process-wide, so only the executable turns it on,
 * never the library on its own (an embedder keeps its malloc as it was).
 * Under AddressSanitizer, whose allocator does not use the break, it does
 * nothing.
 */

#define G_LOG_DOMAIN "smelt-heap"

#include "config.h"

#include "smelt-heap-pages.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

/* how far glibc grows the heap at a time (its default is 128 KiB) */
#define HEAP_STEP (32u << 20)
#define PAGE_MASK ((uintptr_t) 4095)

static gboolean enabled;
static char    *advised;   /* the break when last advised */

/**
 * smelt_heap_pages_enable:
 *
 * Asks for transparent huge pages on the heap from now on (Linux with
 * glibc; elsewhere it does nothing).  Call it once, early, from main().
 */
void
smelt_heap_pages_enable (void)
{
#if defined(__linux__) && defined(__GLIBC__) && defined(MADV_HUGEPAGE)
  if (enabled)
    return;
  mallopt (M_TOP_PAD, HEAP_STEP);
  advised = (char *) ((uintptr_t) sbrk (0) & ~PAGE_MASK);
  enabled = TRUE;
#endif
}

/**
 * smelt_heap_pages_note_growth:
 *
 * Called after an allocation (the Lua allocator's): if the heap has grown
 * since the last call, advises the new part.  Costs a comparison when it
 * has not.
 */
void
smelt_heap_pages_note_growth (void)
{
#if defined(__linux__) && defined(__GLIBC__) && defined(MADV_HUGEPAGE)
  char *top;

  if (!enabled)
    return;
  top = sbrk (0);
  if (top <= advised)
    return;
  /* EINVAL where the kernel has no THP: then there is nothing to gain */
  (void) madvise (advised, (size_t) (top - advised), MADV_HUGEPAGE);
  advised = top;
#endif
}
