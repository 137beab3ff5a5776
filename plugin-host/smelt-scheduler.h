/* smelt-scheduler.h: tasks (Lua coroutines) driven by one GSource on a GMainContext
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Private to the host library.  The scheduler owns every task, the ready
 * queue, the deadline heap (sleeps and timers), the table of external ids and
 * the clock (real or virtual).  It never calls back into GObject code; the
 * host observes it through SmeltSchedulerHooks.
 */
#pragma once

#include <glib.h>
#include <lua.h>

#include "smelt-deadline-heap.h"

G_BEGIN_DECLS

typedef struct _SmeltScheduler SmeltScheduler;
typedef struct _SmeltTask      SmeltTask;
typedef struct _SmeltDeadline  SmeltDeadline;
typedef struct _SmeltCleanup   SmeltCleanup;
typedef struct _SmeltWaitList  SmeltWaitList;

typedef enum
{
  SMELT_TASK_READY,       /* queued to run; Lua sees "running" */
  SMELT_TASK_RUNNING,     /* its coroutine is executing now */
  SMELT_TASK_PARKED,      /* waiting on a sleep, an external id or a join */
  SMELT_TASK_DONE,
  SMELT_TASK_FAILED,
  SMELT_TASK_CANCELLED,
} SmeltTaskState;

typedef enum
{
  SMELT_PARK_NONE,
  SMELT_PARK_YIELD,       /* sleep(0) or a bare coroutine.yield: in the ready queue */
  SMELT_PARK_SLEEP,
  SMELT_PARK_EXTERNAL,    /* task.wait(id) */
  SMELT_PARK_JOIN,        /* handle:wait() or an internal join */
  SMELT_PARK_LIST,        /* in a SmeltWaitList (a queue's getters) */
} SmeltParkKind;

typedef enum
{
  SMELT_WAKE_NORMAL,      /* the pushed values are the park's results */
  SMELT_WAKE_ERROR,       /* raise the pushed value */
  SMELT_WAKE_CANCEL,      /* raise "cancelled" */
} SmeltWake;

typedef void (*SmeltDeadlineFunc) (SmeltScheduler *self,
                                   SmeltDeadline  *deadline);

/* Anything that wants to run at a point of the scheduler's clock: a sleeping
 * task, a timer.  Embed it and give it a fire function. */
struct _SmeltDeadline
{
  SmeltHeapNode     node;
  SmeltDeadlineFunc fire;
};

struct _SmeltTask
{
  SmeltDeadline   sleep;          /* first: the deadline of a sleep */
  SmeltScheduler *sched;
  guint64         id;
  lua_State      *thread;         /* NULL once finished */
  union {
    struct {
      SmeltTask  *next_ready;     /* in the ready queue */
      SmeltTask  *prev_ready;     /* and back: run_now takes a task out of its middle */
    };
    SmeltTask    *next_joiner;    /* parked: in join_target->joiners */
    struct {
      SmeltTask  *next_waiter;    /* SMELT_PARK_LIST: in park_list */
      SmeltTask  *prev_waiter;
    };
  };
  union {
    guint64       park_id;        /* SMELT_PARK_EXTERNAL: the id waited on */
    gint64        park_ms;        /* SMELT_PARK_SLEEP: the sleep's length */
    SmeltTask    *join_target;    /* SMELT_PARK_JOIN: the task joined (ref) */
    SmeltWaitList *park_list;     /* SMELT_PARK_LIST: the list it waits in */
  };
  SmeltTask      *joiners;        /* tasks parked on this one finishing */

  SmeltTask      *prev_live;      /* in the scheduler's list of live tasks */
  SmeltTask      *next_live;

  SmeltTask      *parent;         /* ref; NULL for a root task */
  SmeltTask      *children;       /* unowned: live, or finished with live descendants */
  SmeltTask      *prev_sibling;
  SmeltTask      *next_sibling;

  char           *name;           /* owned, unless name_is_origin; NULL: not known yet */
  char           *wait_desc;      /* what a combinator says it waits on, while parked */
  const char     *wait_label;     /* SMELT_PARK_LIST: the same, a static string */
  SmeltCleanup   *cleanups;       /* run when the task ends (smelt_task_add_cleanup) */
  gint64          created_at;     /* on the scheduler's clock */
  guint           ref_count;
  int             thread_ref;     /* registry ref anchoring the thread */
  int             result_ref;     /* first result, or the error value */
  int             nargs;          /* values pushed on the thread for the next resume */
  /* failed with joiners: the report of its error, made while its stack was
   * intact, emitted if every joiner its end woke is cancelled before it
   * runs (nobody took the error) */
  gpointer        pending_report;
  guint           n_woken_joiners;

  guint8          state;          /* SmeltTaskState */
  guint8          park;           /* SmeltParkKind */
  guint8          wake;           /* SmeltWake */
  guint           started : 1;
  guint           cancel_requested : 1;
  guint           joined : 1;     /* a combinator owns its errors: never "uncaught" */
  guint           in_tree : 1;    /* linked into parent's children */
  guint           join_raises : 1; /* handle:wait() raises the target's error */
  guint           name_is_origin : 1; /* name: the interned location of its function */
  guint           join_woken : 1; /* parked on a join the target's end woke */
  guint           cancel_deferred : 1; /* a cancel that came while shielded */
  guint           owns_errors : 1; /* a smelt.task.scope body: its children's failures are the scope's */
  guint           scope_self_failed : 1; /* a scope body that failed before any child of it */
  guint           list_granted : 1; /* woken from a wait list with something to give back if cancelled */
  guint           background : 1; /* a service (a server's reader): not "busy" however old */
  SmeltTask      *scope_failed;   /* ref: the first child of a scope body that failed */
  guint16         shields;        /* smelt.task.shield calls under way */
};

typedef struct
{
  /* An uncaught error; message and traceback are only valid during the call. */
  void (*task_error) (gpointer    user_data,
                      SmeltTask  *task,
                      const char *name,
                      const char *message,
                      const char *traceback);
  /* The number of live tasks dropped to zero (called from the loop, not from
   * inside a task). */
  void (*idle)       (gpointer    user_data);
  /* Whether the Lua heap is over its cap (NULL: there is no cap).  A value
   * delivered to a parked task while it is over gives the task a memory
   * error instead. */
  gboolean (*heap_over_cap) (gpointer user_data);
  gpointer user_data;
} SmeltSchedulerHooks;

/* Called once when an external id's slot goes: @discarded when the id died
 * unresolved (its waiter was cancelled, its starter raised, the host
 * closed), otherwise after it was resolved (by anyone). */
typedef void (*SmeltReleaseFunc) (gpointer data,
                                  guint64  id,
                                  gboolean discarded);

SmeltScheduler *smelt_scheduler_new             (lua_State                 *L,
                                                 GMainContext              *context,
                                                 const SmeltSchedulerHooks *hooks);
void            smelt_scheduler_shutdown        (SmeltScheduler            *self);
void            smelt_scheduler_free            (SmeltScheduler            *self);
lua_State      *smelt_scheduler_get_lua         (SmeltScheduler            *self);

/* The heap cap applies while plugin code runs (a task's resume, a plain
 * call) and nowhere else: the host's own pushes from GIO callbacks can never
 * raise an unprotected memory error.  Inside plugin code, bookkeeping marks
 * the host's own steps (tracebacks, registry refs) that must not fail. */
void            smelt_scheduler_begin_bookkeeping (SmeltScheduler         *self);
void            smelt_scheduler_end_bookkeeping   (SmeltScheduler         *self);
gboolean        smelt_scheduler_in_bookkeeping    (SmeltScheduler         *self);
gboolean        smelt_scheduler_cap_applies       (SmeltScheduler         *self);

/* Keep-alives: something besides tasks (a pending timer) that keeps the
 * host from being idle. */
void            smelt_scheduler_hold            (SmeltScheduler            *self);
void            smelt_scheduler_check_idle      (SmeltScheduler            *self);
void            smelt_scheduler_release         (SmeltScheduler            *self);

/* Plain Lua calls (not tasks): watched by the watchdog like tasks are. */
lua_State      *smelt_scheduler_enter_plain     (SmeltScheduler            *self);
void            smelt_scheduler_leave_plain     (SmeltScheduler            *self,
                                                 lua_State                 *previous);
void            smelt_scheduler_restart_watchdog (SmeltScheduler           *self);
void            smelt_scheduler_set_watchdog_ms (SmeltScheduler            *self,
                                                 guint                      budget_ms);
guint           smelt_scheduler_get_watchdog_ms (SmeltScheduler            *self);

/* Clock */
gint64          smelt_scheduler_now             (SmeltScheduler            *self);
void            smelt_scheduler_real_begin      (SmeltScheduler            *self);
void            smelt_scheduler_real_end        (SmeltScheduler            *self);
void            smelt_scheduler_set_virtual_time (SmeltScheduler           *self,
                                                  gboolean                  virtual_time);
gboolean        smelt_scheduler_get_virtual_time (SmeltScheduler           *self);
void            smelt_scheduler_add_deadline    (SmeltScheduler            *self,
                                                 SmeltDeadline             *deadline,
                                                 gint64                     when);
void            smelt_scheduler_remove_deadline (SmeltScheduler            *self,
                                                 SmeltDeadline             *deadline);
void            smelt_scheduler_set_slice_us    (SmeltScheduler            *self,
                                                 gint64                     slice_us);

/* Tasks */
SmeltTask      *smelt_scheduler_spawn           (SmeltScheduler            *self,
                                                 lua_State                 *from,
                                                 int                        nargs,
                                                 SmeltTask                 *parent);
SmeltTask      *smelt_scheduler_current         (SmeltScheduler            *self);
gboolean        smelt_scheduler_run_now         (SmeltScheduler            *self,
                                                 SmeltTask                 *task);
guint           smelt_scheduler_n_live          (SmeltScheduler            *self);
void            smelt_scheduler_foreach_live    (SmeltScheduler            *self,
                                                 GFunc                      func,
                                                 gpointer                   user_data);
void            smelt_task_cancel               (SmeltTask                 *task);
void            smelt_task_shield_enter         (SmeltTask                 *task);
void            smelt_task_detach               (SmeltTask                 *task);
gboolean        smelt_task_shield_leave         (SmeltTask                 *task);
SmeltTask      *smelt_task_ref                  (SmeltTask                 *task);
void            smelt_task_unref                (SmeltTask                 *task);
const char     *smelt_task_state_to_string      (SmeltTaskState             state);
gboolean        smelt_task_is_live              (SmeltTask                 *task);
void            smelt_task_set_name             (SmeltTask                 *task,
                                                 const char                *name);
const char     *smelt_lua_function_origin       (lua_State                 *L,
                                                 int                        idx);
char           *smelt_lua_describe_error        (lua_State                 *L,
                                                 int                        idx);
char           *smelt_task_dup_name             (SmeltTask                 *task,
                                                 lua_State                 *co);
char           *smelt_task_dup_waiting_on       (SmeltTask                 *task);
/* Calls func (data, final state) when the task ends, or (data, CANCELLED)
 * when the host closes with the task live. */
typedef void (*SmeltCleanupFunc) (gpointer data, SmeltTaskState state);
void            smelt_task_add_cleanup          (SmeltTask                 *task,
                                                 SmeltCleanupFunc           func,
                                                 gpointer                   data);

/* Parking: the calling C function returns the result of these. */
SmeltTask      *smelt_scheduler_check_park      (SmeltScheduler            *self,
                                                 lua_State                 *L,
                                                 const char                *fname);
int             smelt_scheduler_park_sleep      (SmeltScheduler            *self,
                                                 lua_State                 *L,
                                                 SmeltTask                 *task,
                                                 gint64                     delay_us);
int             smelt_scheduler_park_join       (SmeltScheduler            *self,
                                                 lua_State                 *L,
                                                 SmeltTask                 *task,
                                                 SmeltTask                 *target,
                                                 gboolean                   raise_result);

/* Wait lists: a FIFO of tasks parked on something C keeps (a queue's
 * getters).  Embed one; it needs no clearing, only that no task waits in it
 * when it goes (a waiter's stack usually keeps its owner alive). */
struct _SmeltWaitList
{
  SmeltTask *head;
  SmeltTask *tail;
};

int             smelt_scheduler_park_list       (SmeltScheduler            *self,
                                                 lua_State                 *L,
                                                 SmeltTask                 *task,
                                                 SmeltWaitList             *list,
                                                 const char                *label,
                                                 lua_KFunction              k,
                                                 lua_KContext               ctx);
SmeltTask      *smelt_wait_list_wake            (SmeltScheduler            *self,
                                                 SmeltWaitList             *list,
                                                 gboolean                   granted);
int             smelt_scheduler_park_granted    (SmeltScheduler            *self,
                                                 lua_State                 *L,
                                                 SmeltTask                 *task,
                                                 lua_KFunction              k,
                                                 lua_KContext               ctx);
gboolean        smelt_task_take_list_grant       (SmeltTask                 *task);

/* External ids */
guint64         smelt_scheduler_alloc_id        (SmeltScheduler            *self);
gboolean        smelt_scheduler_resolve         (SmeltScheduler            *self,
                                                 lua_State                 *from,
                                                 guint64                    id,
                                                 gboolean                   is_error);
gboolean        smelt_scheduler_id_is_pending   (SmeltScheduler            *self,
                                                 guint64                    id);
void            smelt_scheduler_set_release     (SmeltScheduler            *self,
                                                 guint64                    id,
                                                 SmeltReleaseFunc           func,
                                                 gpointer                   data);
void            smelt_scheduler_discard         (SmeltScheduler            *self,
                                                 guint64                    id);
int             smelt_scheduler_park_external   (SmeltScheduler            *self,
                                                 lua_State                 *L,
                                                 SmeltTask                 *task,
                                                 guint64                    id,
                                                 const char                *fname);

G_END_DECLS
