/* smelt-scheduler-private.h: the scheduler's state, shared by its own source files
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "smelt-id-map.h"
#include "smelt-scheduler.h"
#include "smelt-watchdog.h"

G_BEGIN_DECLS

#define SMELT_THREAD_POOL_MAX 64

struct _SmeltScheduler
{
  lua_State          *L;
  GMainContext       *context;
  GSource            *source;
  SmeltSchedulerHooks hooks;

  SmeltDeadlineHeap   deadlines;
  SmeltTask          *ready_head;
  SmeltTask          *ready_tail;
  SmeltTask          *current;

  SmeltTask          *live_head;       /* every live task, oldest first */
  SmeltTask          *live_tail;
  guint               n_live;
  guint               n_keepalive;     /* timers and watchers that keep the host busy */
  guint64             next_id;         /* task ids and external ids share it */
  SmeltIdMap          slots;           /* id → SmeltSlot*: pending external ids */
  gpointer            free_slots;      /* a free list of slot structs */
  guint               n_free_slots;

  int                 pool[SMELT_THREAD_POOL_MAX];  /* refs of finished, reusable threads */
  guint               pool_len;

  SmeltWatchdog      *watchdog;
  guint               bookkeeping;     /* >0: the host's own allocations, exempt from the heap cap */
  guint               plugin_depth;    /* >0: plugin code runs (a resume, a plain call): the cap applies */
  gint64              slice_us;        /* how long one dispatch may run tasks */
  gint64              virtual_now;
  guint               n_real;          /* real operations pending: the virtual clock follows real time */
  gint64              real_anchor;     /* monotonic time when n_real went above 0 */
  gint64              virtual_anchor;  /* and the virtual clock then */
  guint               virtual_time : 1;
  guint               yield_to_loop : 1;  /* let lower-priority sources run once */
  guint               skip_check : 1;
  guint               idle_pending : 1;
  guint               closing : 1;
};

void smelt_scheduler_make_ready    (SmeltScheduler *self,
                                    SmeltTask      *task,
                                    SmeltWake       wake);
void smelt_scheduler_slots_init    (SmeltScheduler *self);
void smelt_scheduler_slots_clear   (SmeltScheduler *self);
void smelt_scheduler_unpark_slot   (SmeltScheduler *self,
                                    SmeltTask      *task);
int  smelt_scheduler_park_k        (lua_State      *L,
                                    int             status,
                                    lua_KContext    ctx);

G_END_DECLS
