/* smelt-scheduler.c: tasks (Lua coroutines) driven by one GSource on a GMainContext
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One GSource stands for every task: it is ready when the ready queue is not
 * empty or when the earliest deadline in the heap has passed.  GLib therefore
 * sees one source however many tasks sleep, and a wakeup costs the same with
 * ten parked tasks or a hundred thousand.  A dispatch runs ready tasks for at
 * most one slice (a few milliseconds) and then lets the loop breathe, skipping
 * one iteration so that lower-priority sources (GTK's redraws, idles) run even
 * while tasks ping-pong flat out.
 *
 * Tasks form a tree: a task spawned while another runs is its child.  A
 * finished task stays in the tree while it has live descendants, so
 * cancelling an ancestor still reaches them.
 */

#define G_LOG_DOMAIN "smelt-scheduler"

#include "config.h"

#include <lauxlib.h>
#include <string.h>

#include "smelt-scheduler-private.h"

#define DEFAULT_SLICE_US 4000

typedef struct
{
  GSource         source;
  SmeltScheduler *sched;
} SchedulerSource;

static void run_task (SmeltScheduler *self,
                      SmeltTask      *task);
static void run_cleanups (SmeltTask      *task,
                          SmeltTaskState  state);
typedef struct _ErrorReport ErrorReport;
static void error_report_free (ErrorReport *report);

/* ------------------------------------------------------------ bookkeeping */

void
smelt_scheduler_begin_bookkeeping (SmeltScheduler *self)
{
  self->bookkeeping++;
}

void
smelt_scheduler_end_bookkeeping (SmeltScheduler *self)
{
  g_assert (self->bookkeeping > 0);
  self->bookkeeping--;
}

gboolean
smelt_scheduler_in_bookkeeping (SmeltScheduler *self)
{
  return self->bookkeeping > 0;
}

gboolean
smelt_scheduler_cap_applies (SmeltScheduler *self)
{
  return self->plugin_depth > 0 && self->bookkeeping == 0;
}

/* Values pushed for a parked task by the host (uncapped) that leave the
 * heap over its cap even after a full collection are dropped: the task gets
 * a memory error at its park instead, as the allocation would have raised
 * had the task made it itself. */
static void
check_delivery_fits (SmeltScheduler *self,
                     SmeltTask      *task)
{
  lua_State *co = task->thread;

  if (self->hooks.heap_over_cap == NULL || task->nargs == 0 ||
      !self->hooks.heap_over_cap (self->hooks.user_data))
    return;
  lua_gc (self->L, LUA_GCCOLLECT);
  if (!self->hooks.heap_over_cap (self->hooks.user_data))
    return;
  lua_pop (co, task->nargs);
  lua_gc (self->L, LUA_GCCOLLECT);
  lua_pushliteral (co, "not enough memory: the result does not fit under the Lua heap cap (--lua-memory-mb)");
  task->nargs = 1;
  task->wake = SMELT_WAKE_ERROR;
}

/* --------------------------------------------------------------- watchdog */

lua_State *
smelt_scheduler_enter_plain (SmeltScheduler *self)
{
  self->plugin_depth++;
  return smelt_watchdog_enter (self->watchdog, self->L);
}

void
smelt_scheduler_leave_plain (SmeltScheduler *self,
                             lua_State      *previous)
{
  g_assert (self->plugin_depth > 0);
  self->plugin_depth--;
  smelt_watchdog_leave (self->watchdog, previous);
}

void
smelt_scheduler_restart_watchdog (SmeltScheduler *self)
{
  smelt_watchdog_restart (self->watchdog);
}

void
smelt_scheduler_set_watchdog_ms (SmeltScheduler *self,
                                 guint           budget_ms)
{
  smelt_watchdog_set_budget (self->watchdog, budget_ms);
}

guint
smelt_scheduler_get_watchdog_ms (SmeltScheduler *self)
{
  return smelt_watchdog_get_budget (self->watchdog);
}

/* -------------------------------------------------------------- keepalive */

void
smelt_scheduler_hold (SmeltScheduler *self)
{
  self->n_keepalive++;
}

/* Arranges for the idle hook to run from the loop if nothing is live now. */
void
smelt_scheduler_check_idle (SmeltScheduler *self)
{
  if (self->n_live == 0 && self->n_keepalive == 0 && !self->closing)
    {
      self->idle_pending = TRUE;
      g_main_context_wakeup (self->context);
    }
}

void
smelt_scheduler_release (SmeltScheduler *self)
{
  g_assert (self->n_keepalive > 0);
  if (--self->n_keepalive == 0 && self->n_live == 0 && !self->closing)
    {
      self->idle_pending = TRUE;
      g_main_context_wakeup (self->context);
    }
}

/* ------------------------------------------------------------------ clock */

gint64
smelt_scheduler_now (SmeltScheduler *self)
{
  if (!self->virtual_time)
    return g_get_monotonic_time ();
  /* while real work is pending the virtual clock runs at real speed, from
   * where it was: a timeout around a real process means what it says */
  if (self->n_real > 0)
    return MAX (self->virtual_now, self->virtual_anchor + (g_get_monotonic_time () - self->real_anchor));
  return self->virtual_now;
}

/**
 * smelt_scheduler_real_begin:
 * @self: a scheduler
 *
 * Real work (a GIO operation, a process a task waits on, a C-held id) is
 * pending until smelt_scheduler_real_end(): with --virtual-time the clock
 * follows real time meanwhile instead of jumping to the next deadline.
 */
void
smelt_scheduler_real_begin (SmeltScheduler *self)
{
  if (self->n_real++ == 0)
    {
      self->real_anchor = g_get_monotonic_time ();
      self->virtual_anchor = self->virtual_now;
    }
}

/**
 * smelt_scheduler_real_end:
 * @self: a scheduler
 *
 * Ends one smelt_scheduler_real_begin().
 */
void
smelt_scheduler_real_end (SmeltScheduler *self)
{
  g_return_if_fail (self->n_real > 0);
  if (self->n_real == 1 && self->virtual_time)
    self->virtual_now = smelt_scheduler_now (self);   /* the clock keeps the real time that passed */
  self->n_real--;
}

void
smelt_scheduler_set_virtual_time (SmeltScheduler *self,
                                  gboolean        virtual_time)
{
  if (!!virtual_time == self->virtual_time)
    return;
  /* Either way the clock continues from where it is, so deadlines already in
   * the heap keep their meaning. */
  self->virtual_now = g_get_monotonic_time ();
  self->virtual_time = !!virtual_time;
  self->real_anchor = self->virtual_now;
  self->virtual_anchor = self->virtual_now;
  g_main_context_wakeup (self->context);
}

gboolean
smelt_scheduler_get_virtual_time (SmeltScheduler *self)
{
  return self->virtual_time;
}

void
smelt_scheduler_set_slice_us (SmeltScheduler *self,
                              gint64          slice_us)
{
  self->slice_us = slice_us > 0 ? slice_us : DEFAULT_SLICE_US;
}

void
smelt_scheduler_add_deadline (SmeltScheduler *self,
                              SmeltDeadline  *deadline,
                              gint64          when)
{
  g_assert (deadline->fire != NULL);
  smelt_deadline_heap_insert (&self->deadlines, &deadline->node, when);
}

void
smelt_scheduler_remove_deadline (SmeltScheduler *self,
                                 SmeltDeadline  *deadline)
{
  if (smelt_heap_node_is_queued (&deadline->node))
    smelt_deadline_heap_remove (&self->deadlines, &deadline->node);
}

/* ------------------------------------------------------------ ready queue */

static inline void
ready_push (SmeltScheduler *self,
            SmeltTask      *task)
{
  task->next_ready = NULL;
  task->prev_ready = self->ready_tail;
  if (self->ready_tail)
    self->ready_tail->next_ready = task;
  else
    self->ready_head = task;
  self->ready_tail = task;
}

/* takes task, which is queued, out of the ready queue: O(1) */
static inline void
ready_unlink (SmeltScheduler *self,
              SmeltTask      *task)
{
  if (task->prev_ready)
    task->prev_ready->next_ready = task->next_ready;
  else
    self->ready_head = task->next_ready;
  if (task->next_ready)
    task->next_ready->prev_ready = task->prev_ready;
  else
    self->ready_tail = task->prev_ready;
  task->next_ready = task->prev_ready = NULL;
}

static inline SmeltTask *
ready_pop (SmeltScheduler *self)
{
  SmeltTask *task = self->ready_head;

  if (task)
    ready_unlink (self, task);
  return task;
}

void
smelt_scheduler_make_ready (SmeltScheduler *self,
                            SmeltTask      *task,
                            SmeltWake       wake)
{
  g_assert (task->state == SMELT_TASK_PARKED);
  task->state = SMELT_TASK_READY;
  task->wake = wake;
  ready_push (self, task);
}

/* ------------------------------------------------------------------ source */

static gboolean
source_prepare (GSource *source,
                int     *timeout)
{
  SmeltScheduler *self = ((SchedulerSource *) source)->sched;
  SmeltHeapNode *next;
  gint64 now;

  if (self->yield_to_loop)
    {
      self->yield_to_loop = FALSE;
      self->skip_check = TRUE;
      *timeout = 0;
      return FALSE;
    }

  if (self->ready_head != NULL || self->idle_pending)
    {
      *timeout = 0;
      return TRUE;
    }

  next = smelt_deadline_heap_peek (&self->deadlines);
  if (next == NULL)
    {
      *timeout = -1;
      return FALSE;
    }

  now = smelt_scheduler_now (self);
  if (next->deadline <= now)
    {
      *timeout = 0;
      return TRUE;
    }

  if (self->virtual_time && self->n_real == 0)
    {
      /* Nothing is ready and nothing real pending: jump the clock to the
       * next deadline. */
      self->virtual_now = next->deadline;
      *timeout = 0;
      return TRUE;
    }

  *timeout = (int) MIN ((next->deadline - now + 999) / 1000, (gint64) G_MAXINT);
  return FALSE;
}

static gboolean
source_check (GSource *source)
{
  SmeltScheduler *self = ((SchedulerSource *) source)->sched;
  SmeltHeapNode *next;

  if (self->skip_check)
    {
      self->skip_check = FALSE;
      return FALSE;
    }

  if (self->ready_head != NULL || self->idle_pending)
    return TRUE;

  next = smelt_deadline_heap_peek (&self->deadlines);
  return next != NULL && next->deadline <= smelt_scheduler_now (self);
}

static gboolean
source_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  SmeltScheduler *self = ((SchedulerSource *) source)->sched;
  gint64 start = g_get_monotonic_time ();
  gint64 now = smelt_scheduler_now (self);
  SmeltHeapNode *node;
  SmeltTask *task;
  lua_State *previous;

  previous = smelt_watchdog_enter (self->watchdog, self->L);

  while ((node = smelt_deadline_heap_peek (&self->deadlines)) != NULL &&
         node->deadline <= now)
    {
      SmeltDeadline *deadline = (SmeltDeadline *) node;

      smelt_deadline_heap_remove (&self->deadlines, node);
      deadline->fire (self, deadline);
      if (self->closing)
        goto out;
    }

  while ((task = ready_pop (self)) != NULL)
    {
      run_task (self, task);
      if (self->closing)
        goto out;
      /* the clock after each task (a sixth of a wakeup's cost): a plugin
       * loop that works 10 ms per sleep(0) ends the slice at once (looking
       * every 16 tasks, it kept the loop 160 ms) */
      if (g_get_monotonic_time () - start >= self->slice_us)
        break;
    }

  if (self->ready_head != NULL)
    self->yield_to_loop = TRUE;

  if (self->idle_pending)
    {
      self->idle_pending = FALSE;
      if (self->n_live == 0 && self->n_keepalive == 0 && self->hooks.idle != NULL)
        self->hooks.idle (self->hooks.user_data);
    }

out:
  smelt_watchdog_leave (self->watchdog, previous);
  return self->closing ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static GSourceFuncs scheduler_source_funcs = {
  .prepare = source_prepare,
  .check = source_check,
  .dispatch = source_dispatch,
};

/* ------------------------------------------------------------ lifecycle */

SmeltScheduler *
smelt_scheduler_new (lua_State                 *L,
                     GMainContext              *context,
                     const SmeltSchedulerHooks *hooks)
{
  SmeltScheduler *self = g_new0 (SmeltScheduler, 1);

  self->L = L;
  self->context = context ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  if (hooks)
    self->hooks = *hooks;
  self->slice_us = DEFAULT_SLICE_US;
  self->next_id = 1;
  smelt_deadline_heap_init (&self->deadlines);
  smelt_scheduler_slots_init (self);
  self->watchdog = smelt_watchdog_new ();
  smelt_watchdog_track_coroutines (self->watchdog, L);

  self->source = g_source_new (&scheduler_source_funcs, sizeof (SchedulerSource));
  ((SchedulerSource *) self->source)->sched = self;
  g_source_set_name (self->source, "smelt-scheduler");
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT);
  g_source_attach (self->source, self->context);

  return self;
}

/* Drops every live task without running it, and stops the source.  Called
 * before lua_close(), so that the handles lua_close() finalizes release the
 * last references while the state is still usable. */
void
smelt_scheduler_shutdown (SmeltScheduler *self)
{
  GPtrArray *live;

  if (self->closing)
    return;

  self->closing = TRUE;
  if (self->source)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }

  smelt_scheduler_slots_clear (self);
  smelt_deadline_heap_clear (&self->deadlines);
  self->ready_head = self->ready_tail = NULL;

  live = g_ptr_array_new ();
  for (SmeltTask *task = self->live_head; task != NULL; task = task->next_live)
    g_ptr_array_add (live, task);
  self->live_head = self->live_tail = NULL;
  self->n_live = 0;
  for (guint i = 0; i < live->len; i++)
    {
      SmeltTask *task = g_ptr_array_index (live, i);

      task->joiners = NULL;
      task->next_ready = task->prev_ready = NULL;
      if (task->park == SMELT_PARK_JOIN)
        g_clear_pointer (&task->join_target, smelt_task_unref);
    }
  for (guint i = 0; i < live->len; i++)
    {
      SmeltTask *task = g_ptr_array_index (live, i);

      task->state = SMELT_TASK_CANCELLED;
      run_cleanups (task, SMELT_TASK_CANCELLED);
      if (task->thread != NULL)
        smelt_watchdog_forget (self->watchdog, task->thread);
      if (task->thread_ref != LUA_NOREF)
        luaL_unref (self->L, LUA_REGISTRYINDEX, task->thread_ref);
      task->thread_ref = LUA_NOREF;
      task->thread = NULL;
      smelt_task_unref (task);
    }
  g_ptr_array_unref (live);

  for (guint i = 0; i < self->pool_len; i++)
    luaL_unref (self->L, LUA_REGISTRYINDEX, self->pool[i]);
  self->pool_len = 0;
}

/* After lua_close(): frees what is left. */
void
smelt_scheduler_free (SmeltScheduler *self)
{
  if (self == NULL)
    return;

  g_assert (self->closing);
  self->L = NULL;
  g_clear_pointer (&self->watchdog, smelt_watchdog_free);
  g_main_context_unref (self->context);
  g_free (self);
}

lua_State *
smelt_scheduler_get_lua (SmeltScheduler *self)
{
  return self->L;
}

/* ------------------------------------------------------------ task objects */

SmeltTask *
smelt_task_ref (SmeltTask *task)
{
  task->ref_count++;
  return task;
}

static void
tree_unlink (SmeltTask *task)
{
  SmeltTask *parent = task->parent;

  g_assert (task->in_tree && parent != NULL);

  if (task->prev_sibling)
    task->prev_sibling->next_sibling = task->next_sibling;
  else
    parent->children = task->next_sibling;
  if (task->next_sibling)
    task->next_sibling->prev_sibling = task->prev_sibling;
  task->prev_sibling = task->next_sibling = NULL;
  task->in_tree = FALSE;
}

void
smelt_task_unref (SmeltTask *task)
{
  if (--task->ref_count > 0)
    return;

  g_assert (task->children == NULL || task->sched->closing);

  if (task->in_tree)
    tree_unlink (task);
  if (task->parent)
    smelt_task_unref (g_steal_pointer (&task->parent));
  if (task->result_ref != LUA_NOREF && task->result_ref != LUA_REFNIL &&
      task->sched->L != NULL)
    luaL_unref (task->sched->L, LUA_REGISTRYINDEX, task->result_ref);
  if (!task->name_is_origin)
    g_free (task->name);
  g_free (task->wait_desc);
  if (task->pending_report != NULL)
    error_report_free (task->pending_report);
  g_clear_pointer (&task->scope_failed, smelt_task_unref);
  g_slice_free (SmeltTask, task);
}

gboolean
smelt_task_is_live (SmeltTask *task)
{
  return task->state <= SMELT_TASK_PARKED;
}

const char *
smelt_task_state_to_string (SmeltTaskState state)
{
  switch (state)
    {
    case SMELT_TASK_READY:
    case SMELT_TASK_RUNNING:
      return "running";
    case SMELT_TASK_PARKED:
      return "parked";
    case SMELT_TASK_DONE:
      return "done";
    case SMELT_TASK_FAILED:
      return "failed";
    case SMELT_TASK_CANCELLED:
      return "cancelled";
    default:
      g_assert_not_reached ();
    }
}

static void
on_sleep_fired (SmeltScheduler *self,
                SmeltDeadline  *deadline)
{
  SmeltTask *task = (SmeltTask *) deadline;

  g_assert (task->park == SMELT_PARK_SLEEP);
  smelt_scheduler_make_ready (self, task, SMELT_WAKE_NORMAL);
}

/* Takes a thread from the pool, or makes one; returns it with its registry
 * ref in *ref.  Nothing is left on L's stack. */
static lua_State *
take_thread (SmeltScheduler *self,
             int            *ref)
{
  lua_State *co;

  if (self->pool_len > 0)
    {
      *ref = self->pool[--self->pool_len];
      lua_rawgeti (self->L, LUA_REGISTRYINDEX, *ref);
      co = lua_tothread (self->L, -1);
      lua_pop (self->L, 1);
      return co;
    }

  co = lua_newthread (self->L);
  *ref = luaL_ref (self->L, LUA_REGISTRYINDEX);
  return co;
}

static void
release_thread (SmeltScheduler *self,
                SmeltTask      *task)
{
  lua_State *co = task->thread;

  task->thread = NULL;
  if (co == NULL)
    return;

  if (lua_status (co) == LUA_OK && lua_gettop (co) == 0 &&
      self->pool_len < SMELT_THREAD_POOL_MAX)
    self->pool[self->pool_len++] = task->thread_ref;
  else
    {
      smelt_watchdog_forget (self->watchdog, co);
      luaL_unref (self->L, LUA_REGISTRYINDEX, task->thread_ref);
    }
  task->thread_ref = LUA_NOREF;
}

/**
 * smelt_scheduler_spawn:
 * @from: the state whose stack holds the function and its @nargs arguments
 *   (they are moved off it)
 * @parent: (nullable): the parent task
 *
 * Raises a Lua error on @from, before anything is moved or made, when the
 * new task's stack cannot grow to hold the function and its arguments.
 *
 * Returns: (transfer none): the new task, queued to start on the next dispatch.
 */
SmeltTask *
smelt_scheduler_spawn (SmeltScheduler *self,
                       lua_State      *from,
                       int             nargs,
                       SmeltTask      *parent)
{
  SmeltTask *task;
  lua_State *co;
  int ref;

  /* A coroutine starts with room for about 40 values, and a pooled one
   * with whatever its last task left it: make room for fn and its args. */
  co = take_thread (self, &ref);
  if (!lua_checkstack (co, nargs + 1))
    {
      self->pool[self->pool_len++] = ref;   /* take_thread just freed this place */
      luaL_error (from, "smelt.spawn: too many arguments (%d)", nargs);
    }

  task = g_slice_new0 (SmeltTask);
  task->sched = self;
  task->ref_count = 1;   /* the scheduler's, while live */
  task->id = self->next_id++;
  task->thread = co;
  task->thread_ref = ref;
  task->state = SMELT_TASK_READY;
  task->result_ref = LUA_NOREF;
  task->created_at = smelt_scheduler_now (self);
  task->sleep.fire = on_sleep_fired;
  smelt_heap_node_init (&task->sleep.node);

  lua_xmove (from, task->thread, nargs + 1);
  task->nargs = nargs;

  if (parent != NULL)
    {
      task->parent = smelt_task_ref (parent);
      task->next_sibling = parent->children;
      if (parent->children)
        parent->children->prev_sibling = task;
      parent->children = task;
      task->in_tree = TRUE;
      /* Spawned while its parent unwinds from a cancel (a pcall or <close>
       * handler): the cancel that has already swept the tree reaches it
       * too, before it first runs. */
      task->cancel_requested = parent->cancel_requested;
    }

  task->prev_live = self->live_tail;
  if (self->live_tail)
    self->live_tail->next_live = task;
  else
    self->live_head = task;
  self->live_tail = task;
  self->n_live++;
  ready_push (self, task);
  return task;
}

/* Runs @task, just spawned and not yet started, at once, up to its first
 * park or its end, rather than on the loop's next turn: a key press learns
 * there and then whether its handler took the key.  Called from C, or from
 * plain Lua (never from a task: that one would be running still).  Returns
 * whether the task has ended (its state says how). */
gboolean
smelt_scheduler_run_now (SmeltScheduler *self,
                         SmeltTask      *task)
{
  lua_State *previous;

  g_return_val_if_fail (self->current == NULL, FALSE);
  g_return_val_if_fail (task->state == SMELT_TASK_READY && !task->started, FALSE);
  g_return_val_if_fail (self->ready_head == task || task->prev_ready != NULL, FALSE);

  ready_unlink (self, task);

  smelt_task_ref (task);
  previous = smelt_watchdog_enter (self->watchdog, self->L);
  run_task (self, task);
  smelt_watchdog_leave (self->watchdog, previous);
  {
    gboolean ended = !smelt_task_is_live (task);

    smelt_task_unref (task);
    return ended;
  }
}

SmeltTask *
smelt_scheduler_current (SmeltScheduler *self)
{
  return self->current;
}

guint
smelt_scheduler_n_live (SmeltScheduler *self)
{
  return self->n_live;
}

void
smelt_scheduler_foreach_live (SmeltScheduler *self,
                              GFunc           func,
                              gpointer        user_data)
{
  SmeltTask *task = self->live_head;

  /* func may end the task it is given, not others */
  while (task != NULL)
    {
      SmeltTask *next = task->next_live;

      func (task, user_data);
      task = next;
    }
}

static void cancel_one   (SmeltScheduler *self,
                          SmeltTask      *task);
static void tree_release (SmeltTask      *task);

/* A child of a smelt.task.scope body failed: its error is the scope's
 * (never reported as uncaught), and the first one cancels the body and
 * every other child, so the scope raises it once they have unwound. */
static void
scope_takes_failure (SmeltTask *task)
{
  SmeltTask *body = task->parent;

  task->joined = TRUE;
  if (body->scope_failed != NULL || body->scope_self_failed)
    return;
  body->scope_failed = smelt_task_ref (task);
  for (SmeltTask *c = body->children; c != NULL; c = c->next_sibling)
    if (c != task)
      smelt_task_cancel (c);
  if (smelt_task_is_live (body))
    cancel_one (body->sched, body);
}

/* A smelt.task.scope body failed: unless a child failed first, its error
 * is the scope's first, and it cancels the body's children. */
static void
scope_body_fails (SmeltTask *body)
{
  if (body->scope_failed != NULL || body->scope_self_failed)
    return;
  body->scope_self_failed = TRUE;
  for (SmeltTask *c = body->children; c != NULL; c = c->next_sibling)
    smelt_task_cancel (c);
}

/**
 * smelt_task_detach:
 * @task: a live task
 *
 * Takes @task out of its parent's tree: it runs on when the parent (a
 * scope) is cancelled or ends, and its failure is reported as any root
 * task's.
 */
void
smelt_task_detach (SmeltTask *task)
{
  SmeltTask *parent;

  if (!task->in_tree)
    return;
  tree_unlink (task);
  parent = g_steal_pointer (&task->parent);
  tree_release (parent);   /* a finished parent with no children left goes */
  smelt_task_unref (parent);
}

/* --------------------------------------------------------------- finishing */

/* A finished task with no children leaves its parent's list; that may leave
 * a finished parent childless in turn, and so on up. */
static void
tree_release (SmeltTask *task)
{
  while (task != NULL && !smelt_task_is_live (task) &&
         task->children == NULL && task->in_tree)
    {
      SmeltTask *parent;

      tree_unlink (task);
      parent = g_steal_pointer (&task->parent);
      /* The parent stays alive until we are done looking at it. */
      if (parent->ref_count == 1)
        {
          smelt_task_unref (parent);
          break;
        }
      smelt_task_unref (parent);
      task = parent;
    }
}

static gboolean
value_is_cancelled (lua_State *L,
                    int        idx)
{
  size_t len;
  const char *s;

  if (lua_type (L, idx) != LUA_TSTRING)
    return FALSE;
  s = lua_tolstring (L, idx, &len);
  return len == 9 && memcmp (s, "cancelled", 9) == 0;
}

#define DESCRIBE_MAX_FIELDS 16     /* per table; the rest reads "..." */
#define DESCRIBE_MAX_DEPTH  2
#define DESCRIBE_MAX_LEN    300
#define DESCRIBE_MAX_SORTED 256    /* hash keys looked at */

static void describe_value (GString   *out,
                            lua_State *L,
                            int        idx,
                            int        depth);

static gboolean
is_identifier (const char *s,
               size_t      len)
{
  static const char *const reserved[] = {
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function",
    "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then",
    "true", "until", "while",
  };

  if (len == 0 || strlen (s) != len || !(g_ascii_isalpha (s[0]) || s[0] == '_'))
    return FALSE;
  for (size_t i = 1; i < len; i++)
    if (!(g_ascii_isalnum (s[i]) || s[i] == '_'))
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (g_str_equal (s, reserved[i]))
      return FALSE;
  return TRUE;
}

static void
describe_string (GString    *out,
                 const char *s,
                 size_t      len)
{
  g_string_append_c (out, '"');
  for (size_t i = 0; i < len && out->len < DESCRIBE_MAX_LEN; i++)
    {
      guchar c = s[i];

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\%d", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static int
compare_fields (gconstpointer a,
                gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* A table's fields, raw (no __index, no __pairs): the array part 1..n in
 * order, then the other keys in sorted order. */
static void
describe_table (GString   *out,
                lua_State *L,
                int        idx,
                int        depth)
{
  lua_Integer n = 0;
  int shown = 0;
  gboolean any = FALSE;
  GPtrArray *fields;

  if (depth >= DESCRIBE_MAX_DEPTH)
    {
      g_string_append (out, "{...}");
      return;
    }

  g_string_append_c (out, '{');
  /* stack: ... value */
  while (lua_rawgeti (L, idx, n + 1) != LUA_TNIL)
    {
      if (shown == DESCRIBE_MAX_FIELDS || out->len >= DESCRIBE_MAX_LEN)
        {
          lua_pop (L, 1);
          g_string_append (out, any ? ", ..." : " ...");
          g_string_append (out, " }");
          return;
        }
      g_string_append (out, any ? ", " : " ");
      describe_value (out, L, lua_gettop (L), depth + 1);
      lua_pop (L, 1);
      any = TRUE;
      shown++;
      n++;
    }
  lua_pop (L, 1);

  /* the other keys, sorted, so that one table always reads the same */
  fields = g_ptr_array_new_with_free_func (g_free);
  lua_pushnil (L);
  /* stack: ... key */
  while (lua_next (L, idx) != 0)
    {
      /* stack: ... key value */
      int ktype = lua_type (L, -2);
      GString *field;

      if (ktype == LUA_TNUMBER && lua_isinteger (L, -2) &&
          lua_tointeger (L, -2) >= 1 && lua_tointeger (L, -2) <= n)
        {
          lua_pop (L, 1);
          continue;
        }
      if (fields->len == DESCRIBE_MAX_SORTED)
        {
          lua_pop (L, 2);
          break;
        }
      field = g_string_new (NULL);
      if (ktype == LUA_TSTRING)
        {
          size_t len;
          const char *k = lua_tolstring (L, -2, &len);   /* a string key: no conversion */

          if (is_identifier (k, len))
            g_string_append_len (field, k, len);
          else
            {
              g_string_append_c (field, '[');
              describe_string (field, k, len);
              g_string_append_c (field, ']');
            }
        }
      else
        {
          g_string_append_c (field, '[');
          describe_value (field, L, lua_gettop (L) - 1, DESCRIBE_MAX_DEPTH);
          g_string_append_c (field, ']');
        }
      g_string_append (field, " = ");
      describe_value (field, L, lua_gettop (L), depth + 1);
      g_ptr_array_add (fields, g_string_free (field, FALSE));
      lua_pop (L, 1);
    }
  g_ptr_array_sort (fields, compare_fields);
  for (guint i = 0; i < fields->len; i++)
    {
      if (shown == DESCRIBE_MAX_FIELDS || out->len >= DESCRIBE_MAX_LEN)
        {
          g_string_append (out, any ? ", ..." : " ...");
          break;
        }
      g_string_append (out, any ? ", " : " ");
      g_string_append (out, g_ptr_array_index (fields, i));
      any = TRUE;
      shown++;
    }
  g_ptr_array_unref (fields);
  g_string_append (out, any ? " }" : "}");
}

/* Any value, without metamethods except a table's or userdata's
 * __tostring at the top level (protected: one that raises, or returns no
 * string, is ignored). */
static void
describe_value (GString   *out,
                lua_State *L,
                int        idx,
                int        depth)
{
  idx = lua_absindex (L, idx);
  luaL_checkstack (L, 6, NULL);

  switch (lua_type (L, idx))
    {
    case LUA_TNIL:
      g_string_append (out, "nil");
      return;

    case LUA_TBOOLEAN:
      g_string_append (out, lua_toboolean (L, idx) ? "true" : "false");
      return;

    case LUA_TNUMBER:
      /* on a copy: lua_tostring() turns a number into a string in place */
      lua_pushvalue (L, idx);
      g_string_append (out, lua_tostring (L, -1));
      lua_pop (L, 1);
      return;

    case LUA_TSTRING:
      {
        size_t len;
        const char *s = lua_tolstring (L, idx, &len);

        if (depth == 0)
          g_string_append_len (out, s, len);
        else
          describe_string (out, s, len);
      }
      return;

    default:
      break;
    }

  if (depth == 0 && luaL_getmetafield (L, idx, "__tostring") != LUA_TNIL)
    {
      /* stack: ... __tostring */
      lua_pushvalue (L, idx);
      if (lua_pcall (L, 1, 1, 0) == LUA_OK && lua_type (L, -1) == LUA_TSTRING)
        {
          g_string_append (out, lua_tostring (L, -1));
          lua_pop (L, 1);
          return;
        }
      lua_pop (L, 1);
    }

  if (lua_type (L, idx) == LUA_TTABLE)
    {
      int name_type = luaL_getmetafield (L, idx, "__name");

      if (name_type == LUA_TSTRING)
        g_string_append_printf (out, "%s ", lua_tostring (L, -1));
      if (name_type != LUA_TNIL)
        lua_pop (L, 1);
      describe_table (out, L, idx, depth);
      return;
    }

  g_string_append_printf (out, "%s: %p", luaL_typename (L, idx), lua_topointer (L, idx));
}

/**
 * smelt_lua_describe_error:
 * @L: a Lua state
 * @idx: the error value's stack index
 *
 * A readable message for an error value, the one every report of an
 * uncaught error uses: a string as it is; a number as Lua prints it (the
 * value itself is left a number); a table through its `__tostring`, else
 * its fields, `{ code = 42, msg = "x" }`, two levels deep and cut short
 * after a few hundred characters (raw: `__index` and `__pairs` never run);
 * nil as "(error object is nil)".  The stack is left as it was.
 *
 * Returns: (transfer full): the message
 */
char *
smelt_lua_describe_error (lua_State *L,
                          int        idx)
{
  GString *out = g_string_new (NULL);
  int top = lua_gettop (L);

  idx = lua_absindex (L, idx);
  if (lua_isnil (L, idx))
    g_string_append (out, "(error object is nil)");
  else
    describe_value (out, L, idx, 0);
  lua_settop (L, top);
  return g_string_free (out, FALSE);
}

/**
 * smelt_lua_function_origin:
 * @L: a Lua state
 * @idx: a stack index
 *
 * The source location of the Lua function at @idx, as "file.lua:42": the
 * default name of a task running it.
 *
 * Returns: (nullable): an interned string (tasks of one function share
 *   it), or %NULL for a C function or a main chunk
 */
const char *
smelt_lua_function_origin (lua_State *L,
                           int        idx)
{
  lua_Debug ar;
  const char *src, *base;
  char buf[256];

  lua_pushvalue (L, idx);
  if (!lua_getinfo (L, ">S", &ar) || ar.linedefined <= 0)
    return NULL;
  src = ar.source[0] == '@' ? ar.source + 1 : ar.short_src;
  base = strrchr (src, '/');
  g_snprintf (buf, sizeof buf, "%s:%d", base ? base + 1 : src, ar.linedefined);
  return g_intern_string (buf);
}

/**
 * smelt_task_set_name:
 * @task: a task
 * @name: (nullable): its name (smelt.task.name), or %NULL for the default
 */
void
smelt_task_set_name (SmeltTask  *task,
                     const char *name)
{
  if (!task->name_is_origin)
    g_free (task->name);
  task->name = g_strdup (name);
  task->name_is_origin = FALSE;
}

/**
 * smelt_task_dup_name:
 * @co: (nullable): the task's coroutine, if its stack is intact
 *
 * Returns: (transfer full): the task's name: the one set, else the source
 *   location of its function ("plugin.lua:42"), else "task N". The location
 *   is taken when the task first runs, so a function that ends in a tail
 *   call keeps its own.
 */
char *
smelt_task_dup_name (SmeltTask *task,
                     lua_State *co)
{
  const char *origin = NULL;

  if (task->name != NULL)
    return g_strdup (task->name);

  if (co == NULL)
    co = task->thread;
  /* not run yet: its function is at the bottom of its stack */
  if (co != NULL && !task->started && lua_gettop (co) > 0)
    origin = smelt_lua_function_origin (co, 1);
  if (origin != NULL)
    return g_strdup (origin);
  return g_strdup_printf ("task %" G_GUINT64_FORMAT, task->id);
}

/**
 * smelt_task_dup_waiting_on:
 *
 * Returns: (transfer full) (nullable): what a parked task waits on: "sleep
 *   500 ms", "external 17", "task 12", or what a combinator said ("all 2/3")
 */
char *
smelt_task_dup_waiting_on (SmeltTask *task)
{
  if (task->state != SMELT_TASK_PARKED)
    return NULL;
  if (task->wait_desc != NULL)
    return g_strdup (task->wait_desc);
  switch (task->park)
    {
    case SMELT_PARK_LIST:
      return g_strdup (task->wait_label);
    case SMELT_PARK_SLEEP:
      return g_strdup_printf ("sleep %" G_GINT64_FORMAT " ms", task->park_ms);
    case SMELT_PARK_EXTERNAL:
      return g_strdup_printf ("external %" G_GUINT64_FORMAT, task->park_id);
    case SMELT_PARK_JOIN:
      return g_strdup_printf ("task %" G_GUINT64_FORMAT, task->join_target->id);
    default:
      return NULL;
    }
}

/* An uncaught error, formatted while the task's stack is intact (the
 * traceback names the plugin's line) and emitted once it is known that
 * nobody takes it. */
struct _ErrorReport
{
  char *name;
  char *message;
  char *traceback;
};

#define QUICK_TRACEBACK_LEVELS 22

/* luaL_traceback() without its search of package.loaded for a global name
 * of each function, which costs several microseconds a frame: for the
 * report kept in case no waiter takes the error, which is seldom shown. */
static char *
quick_traceback (lua_State  *co,
                 const char *message)
{
  GString *out = g_string_new (message);
  lua_Debug ar;

  g_string_append (out, "\nstack traceback:");
  for (int level = 0; lua_getstack (co, level, &ar); level++)
    {
      if (level == QUICK_TRACEBACK_LEVELS)
        {
          g_string_append (out, "\n\t...");
          break;
        }
      lua_getinfo (co, "Slnt", &ar);
      if (ar.currentline <= 0)
        g_string_append_printf (out, "\n\t%s: in ", ar.short_src);
      else
        g_string_append_printf (out, "\n\t%s:%d: in ", ar.short_src, ar.currentline);
      if (g_strcmp0 (ar.namewhat, "global") == 0)
        g_string_append_printf (out, "function '%s'", ar.name);
      else if (ar.namewhat[0] != '\0')
        g_string_append_printf (out, "%s '%s'", ar.namewhat, ar.name);
      else if (ar.what[0] == 'm')
        g_string_append (out, "main chunk");
      else if (ar.what[0] != 'C')
        g_string_append_printf (out, "function <%s:%d>", ar.short_src, ar.linedefined);
      else
        g_string_append_c (out, '?');
      if (ar.istailcall)
        g_string_append (out, "\n\t(...tail calls...)");
    }
  return g_string_free (out, FALSE);
}

/* @quick: a waiter will likely take the error: make the traceback cheaply */
static void
error_report_prepare (SmeltScheduler *self,
                      ErrorReport    *report,
                      SmeltTask      *task,
                      lua_State      *co,
                      int             idx,
                      gboolean        quick)
{
  report->message = smelt_lua_describe_error (self->L, idx);
  report->name = smelt_task_dup_name (task, co);
  if (quick)
    report->traceback = quick_traceback (co, report->message);
  else
    {
      luaL_traceback (self->L, co, report->message, 0);
      report->traceback = g_strdup (lua_tostring (self->L, -1));
      lua_pop (self->L, 1);
    }
}

static void
error_report_emit (SmeltScheduler *self,
                   ErrorReport    *report,
                   SmeltTask      *task)
{
  if (self->hooks.task_error)
    self->hooks.task_error (self->hooks.user_data, task, report->name, report->message,
                            report->traceback);
  else
    g_warning ("task %" G_GUINT64_FORMAT ": %s", task->id, report->traceback);
}

static void
error_report_clear (ErrorReport *report)
{
  g_clear_pointer (&report->name, g_free);
  g_clear_pointer (&report->message, g_free);
  g_clear_pointer (&report->traceback, g_free);
}

static void
error_report_free (ErrorReport *report)
{
  error_report_clear (report);
  g_free (report);
}

static void
report_error (SmeltScheduler *self,
              SmeltTask      *task,
              lua_State      *co,
              int             idx)
{
  ErrorReport report = { NULL, };

  error_report_prepare (self, &report, task, co, idx, FALSE);
  error_report_emit (self, &report, task);
  error_report_clear (&report);
}

struct _SmeltCleanup
{
  SmeltCleanupFunc  func;
  gpointer          data;
  SmeltCleanup     *next;
};

void
smelt_task_add_cleanup (SmeltTask        *task,
                        SmeltCleanupFunc  func,
                        gpointer          data)
{
  SmeltCleanup *c = g_new (SmeltCleanup, 1);

  c->func = func;
  c->data = data;
  c->next = task->cleanups;
  task->cleanups = c;
}

static void
run_cleanups (SmeltTask      *task,
              SmeltTaskState  state)
{
  SmeltCleanup *c;

  while ((c = task->cleanups) != NULL)
    {
      task->cleanups = c->next;
      c->func (c->data, state);
      g_free (c);
    }
}

static void
finish_task (SmeltScheduler *self,
             SmeltTask      *task,
             SmeltTaskState  state)
{
  SmeltTask *joiner;

  task->state = state;
  if (G_UNLIKELY (task->cleanups != NULL))
    run_cleanups (task, state);
  task->park = SMELT_PARK_NONE;
  release_thread (self, task);
  if (task->prev_live)
    task->prev_live->next_live = task->next_live;
  else
    self->live_head = task->next_live;
  if (task->next_live)
    task->next_live->prev_live = task->prev_live;
  else
    self->live_tail = task->prev_live;
  task->prev_live = task->next_live = NULL;
  if (--self->n_live == 0 && self->n_keepalive == 0)
    self->idle_pending = TRUE;

  while ((joiner = task->joiners) != NULL)
    {
      task->joiners = joiner->next_joiner;
      joiner->next_joiner = NULL;
      joiner->join_woken = TRUE;
      task->n_woken_joiners++;
      smelt_scheduler_make_ready (self, joiner, SMELT_WAKE_NORMAL);
    }

  tree_release (task);
  smelt_task_unref (task);
}

static void
run_task (SmeltScheduler *self,
          SmeltTask      *task)
{
  lua_State *co = task->thread;
  lua_State *L = self->L;
  int nargs = task->nargs;
  int nres = 0;
  int status;

  g_assert (task->state == SMELT_TASK_READY);

  if (!task->started && task->cancel_requested)
    {
      lua_settop (co, 0);
      finish_task (self, task, SMELT_TASK_CANCELLED);
      return;
    }

  /* named after its function now: once it runs, a tail call can take that
   * function's frame off its stack */
  if (!task->started && task->name == NULL &&
      (task->name = (char *) smelt_lua_function_origin (co, -(nargs + 1))) != NULL)
    task->name_is_origin = TRUE;
  if (task->started && task->wake == SMELT_WAKE_NORMAL)
    {
      check_delivery_fits (self, task);
      nargs = task->nargs;
    }
  task->started = TRUE;
  task->nargs = 0;
  if (G_UNLIKELY (task->wait_desc != NULL))
    g_clear_pointer (&task->wait_desc, g_free);
  task->state = SMELT_TASK_RUNNING;
  task->park = SMELT_PARK_NONE;

  self->current = task;
  smelt_watchdog_running (self->watchdog, co);
  self->plugin_depth++;
  status = lua_resume (co, L, nargs, &nres);
  self->plugin_depth--;
  self->current = NULL;

  if (status == LUA_YIELD)
    {
      lua_pop (co, nres);
      if (task->park == SMELT_PARK_NONE)
        {
          /* A bare coroutine.yield() at the task's own level: let the loop
           * run once, as sleep(0) does. */
          task->park = SMELT_PARK_YIELD;
          task->state = SMELT_TASK_READY;
          task->wake = task->cancel_requested ? SMELT_WAKE_CANCEL : SMELT_WAKE_NORMAL;
          ready_push (self, task);
        }
      return;
    }

  if (status == LUA_OK)
    {
      if (nres > 0)
        {
          self->bookkeeping++;
          lua_pushvalue (co, -nres);
          lua_xmove (co, L, 1);
          task->result_ref = luaL_ref (L, LUA_REGISTRYINDEX);
          self->bookkeeping--;
        }
      lua_settop (co, 0);
      finish_task (self, task, task->cancel_requested ? SMELT_TASK_CANCELLED : SMELT_TASK_DONE);
      return;
    }

  /* An error: the coroutine's stack is still intact, so the traceback can
   * name the plugin's file and line.  Then close its pending to-be-closed
   * variables, which Lua leaves to whoever owns the coroutine. */
  {
    gboolean cancelled = value_is_cancelled (co, -1);
    ErrorReport report = { NULL, };

    self->bookkeeping++;
    lua_pushvalue (co, -1);
    lua_xmove (co, L, 1);                /* L: err */
    if (!cancelled && !task->joined && task->in_tree && task->parent->owns_errors)
      scope_takes_failure (task);
    if (!cancelled && task->owns_errors)
      scope_body_fails (task);
    if (!cancelled && !task->joined)
      error_report_prepare (self, &report, task, co, -1, task->joiners != NULL);
    lua_pushvalue (L, -1);
    task->result_ref = luaL_ref (L, LUA_REGISTRYINDEX);
    self->bookkeeping--;

    self->current = task;
    self->plugin_depth++;                /* the __close handlers are plugin code */
    status = lua_resetthread (co);
    self->plugin_depth--;
    self->current = NULL;
    /* Only now is it known whether anybody takes the error: a __close
     * handler may have cancelled the one task waiting for it. */
    if (report.message != NULL && task->joiners == NULL)
      error_report_emit (self, &report, task);
    else if (report.message != NULL)
      {
        /* the joiners take it when they run; until then it may still be
         * nobody's (finish_task wakes them, join_k settles it) */
        task->pending_report = g_memdup2 (&report, sizeof report);
        report = (ErrorReport) { NULL, };
      }
    error_report_clear (&report);
    /* lua_resetthread() hands back the original error unless a __close
     * handler raised a new one. */
    if (status != LUA_OK)
      {
        self->bookkeeping++;
        lua_xmove (co, L, 1);            /* L: err, closing_err */
        if (!lua_rawequal (L, -1, -2) && !value_is_cancelled (L, -1))
          report_error (self, task, co, -1);
        lua_pop (L, 1);
        self->bookkeeping--;
      }
    lua_pop (L, 1);
    lua_settop (co, 0);
    finish_task (self, task, cancelled ? SMELT_TASK_CANCELLED : SMELT_TASK_FAILED);
  }
}

/* -------------------------------------------------------------- wait lists */

static void
wait_list_unlink (SmeltTask *task)
{
  SmeltWaitList *list = task->park_list;

  if (task->prev_waiter)
    task->prev_waiter->next_waiter = task->next_waiter;
  else
    list->head = task->next_waiter;
  if (task->next_waiter)
    task->next_waiter->prev_waiter = task->prev_waiter;
  else
    list->tail = task->prev_waiter;
  task->next_waiter = task->prev_waiter = NULL;
  task->park_list = NULL;
}

/**
 * smelt_scheduler_park_list:
 * @label: (transfer none): what the task waits on, for smelt.task.list();
 *   a static string
 * @k: the continuation: it runs when the task is woken or cancelled, and
 *   asks smelt_task_take_list_grant() which
 *
 * Parks @task (the running one, checked by smelt_scheduler_check_park())
 * at the end of @list.  A cancel takes it out of the list before @k runs;
 * a cancel that comes after smelt_wait_list_wake() took it out finds it
 * woken, and @k gives back what it was woken for.  The values on the
 * stack stay there for @k.
 */
int
smelt_scheduler_park_list (SmeltScheduler *self,
                           lua_State      *L,
                           SmeltTask      *task,
                           SmeltWaitList  *list,
                           const char     *label,
                           lua_KFunction   k,
                           lua_KContext    ctx)
{
  g_assert (task == self->current && task->thread == L);

  task->park = SMELT_PARK_LIST;
  task->state = SMELT_TASK_PARKED;
  task->park_list = list;
  task->wait_label = label;
  task->list_granted = FALSE;
  task->next_waiter = NULL;
  task->prev_waiter = list->tail;
  if (list->tail)
    list->tail->next_waiter = task;
  else
    list->head = task;
  list->tail = task;
  return lua_yieldk (L, 0, ctx, k);
}

/**
 * smelt_wait_list_wake:
 * @granted: whether the task is woken for something it must give back if
 *   a cancel comes before it runs (an item, a permit), rather than told
 *   that the wait is over (a queue closed)
 *
 * Takes the first task out of @list and makes it ready; it runs on a later
 * dispatch, never inside this call.
 *
 * Returns: (transfer none) (nullable): the task woken, or %NULL if @list
 *   was empty
 */
SmeltTask *
smelt_wait_list_wake (SmeltScheduler *self,
                      SmeltWaitList  *list,
                      gboolean        granted)
{
  SmeltTask *task = list->head;

  if (task == NULL)
    return NULL;
  g_assert (task->state == SMELT_TASK_PARKED && task->park_list == list);
  wait_list_unlink (task);
  task->list_granted = !!granted;
  task->nargs = 0;
  smelt_scheduler_make_ready (self, task, SMELT_WAKE_NORMAL);
  return task;
}

/**
 * smelt_scheduler_park_granted:
 *
 * Parks @task (the running one, checked by smelt_scheduler_check_park())
 * at the end of the ready queue, as if smelt_wait_list_wake() had woken
 * it with a grant: it runs after the tasks ready before it (those woken
 * for what came before its grant), and @k sees the grant, and a cancel
 * that came meanwhile, as in smelt_scheduler_park_list().
 */
int
smelt_scheduler_park_granted (SmeltScheduler *self,
                              lua_State      *L,
                              SmeltTask      *task,
                              lua_KFunction   k,
                              lua_KContext    ctx)
{
  g_assert (task == self->current && task->thread == L);

  task->park = SMELT_PARK_YIELD;
  task->state = SMELT_TASK_READY;
  task->wake = SMELT_WAKE_NORMAL;
  task->list_granted = TRUE;
  task->nargs = 0;
  ready_push (self, task);
  return lua_yieldk (L, 0, ctx, k);
}

/**
 * smelt_task_take_list_grant:
 *
 * In a wait list's continuation: whether smelt_wait_list_wake() woke the
 * task with @granted, clearing the mark.  The task is cancelled when its
 * wake says so (SMELT_WAKE_CANCEL), granted or not.
 */
gboolean
smelt_task_take_list_grant (SmeltTask *task)
{
  gboolean woken = task->list_granted;

  task->list_granted = FALSE;
  return woken;
}

/* -------------------------------------------------------------- cancelling */

static void
unpark (SmeltScheduler *self,
        SmeltTask      *task)
{
  switch (task->park)
    {
    case SMELT_PARK_SLEEP:
      smelt_scheduler_remove_deadline (self, &task->sleep);
      break;

    case SMELT_PARK_EXTERNAL:
      smelt_scheduler_unpark_slot (self, task);
      break;

    case SMELT_PARK_JOIN:
      {
        SmeltTask **link = &task->join_target->joiners;

        while (*link != task)
          link = &(*link)->next_joiner;
        *link = task->next_joiner;
        task->next_joiner = NULL;
      }
      break;

    case SMELT_PARK_LIST:
      wait_list_unlink (task);
      break;

    case SMELT_PARK_NONE:
    case SMELT_PARK_YIELD:
    default:
      break;
    }
}

static void
cancel_one (SmeltScheduler *self,
            SmeltTask      *task)
{
  if (!smelt_task_is_live (task))
    return;
  if (task->shields > 0)
    {
      /* smelt.task.shield: delivered when the shielded call returns */
      task->cancel_deferred = TRUE;
      return;
    }

  task->cancel_requested = TRUE;
  switch (task->state)
    {
    case SMELT_TASK_READY:
      if (task->started)
        {
          /* Drop whatever a resume delivered: a cancelled task sees only
           * "cancelled". */
          lua_pop (task->thread, task->nargs);
          task->nargs = 0;
          task->wake = SMELT_WAKE_CANCEL;
        }
      break;

    case SMELT_TASK_PARKED:
      unpark (self, task);
      smelt_scheduler_make_ready (self, task, SMELT_WAKE_CANCEL);
      break;

    case SMELT_TASK_RUNNING:
      /* It is on the C stack now; its next park raises. */
      break;

    case SMELT_TASK_DONE:
    case SMELT_TASK_FAILED:
    case SMELT_TASK_CANCELLED:
    default:
      g_assert_not_reached ();
    }
}

/**
 * smelt_task_cancel:
 *
 * Requests cancellation of @task and of every live descendant.  Nothing runs
 * synchronously: each task raises "cancelled" at its park point on the next
 * dispatch, and unwinds there (to-be-closed variables, pcall handlers).
 */
void
smelt_task_cancel (SmeltTask *task)
{
  SmeltScheduler *self = task->sched;
  g_autoptr(GPtrArray) todo = g_ptr_array_new ();

  if (self->closing)
    return;

  g_ptr_array_add (todo, task);
  while (todo->len > 0)
    {
      SmeltTask *t = g_ptr_array_steal_index_fast (todo, todo->len - 1);

      cancel_one (self, t);
      /* a shielded task's children are its shielded work: they are
       * cancelled with it once the shield is over */
      if (t->shields > 0)
        continue;
      for (SmeltTask *c = t->children; c != NULL; c = c->next_sibling)
        g_ptr_array_add (todo, c);
    }
}

/**
 * smelt_task_shield_enter:
 * @task: the running task
 *
 * From now until smelt_task_shield_leave(), a cancel of @task (or of an
 * ancestor) waits: @task runs on, parks and wakes as usual.
 */
void
smelt_task_shield_enter (SmeltTask *task)
{
  g_return_if_fail (task->shields < G_MAXUINT16);
  task->shields++;
}

/**
 * smelt_task_shield_leave:
 * @task: the running task
 *
 * Ends the last smelt_task_shield_enter(); a cancel that came meanwhile is
 * delivered now, to @task and its descendants.
 *
 * Returns: whether @task is to unwind as cancelled
 */
gboolean
smelt_task_shield_leave (SmeltTask *task)
{
  g_return_val_if_fail (task->shields > 0, FALSE);
  if (--task->shields == 0 && task->cancel_deferred)
    {
      task->cancel_deferred = FALSE;
      smelt_task_cancel (task);
    }
  return task->cancel_requested;
}

/* ----------------------------------------------------------------- parking */

/**
 * smelt_scheduler_check_park:
 *
 * Raises a Lua error unless @L is the running task's own coroutine and may
 * yield; raises "cancelled" if that task is being cancelled.
 *
 * Returns: (transfer none): the running task
 */
SmeltTask *
smelt_scheduler_check_park (SmeltScheduler *self,
                            lua_State      *L,
                            const char     *fname)
{
  SmeltTask *task = self->current;

  if (task == NULL)
    luaL_error (L, "%s: must be called from inside a task (smelt.spawn)", fname);
  if (task->thread != L)
    luaL_error (L, "%s: must be called from inside a task (smelt.spawn), "
                "not from a coroutine created inside one", fname);
  if (!lua_isyieldable (L))
    luaL_error (L, "%s: must be called from inside a task (smelt.spawn); "
                "it cannot park across a C call boundary (such as a table.sort comparator or a metamethod)",
                fname);
  if (task->cancel_requested)
    {
      lua_pushliteral (L, "cancelled");
      lua_error (L);
    }
  return task;
}

/* The continuation of every park: what the waker pushed is on the stack. */
int
smelt_scheduler_park_k (lua_State    *L,
                        int           status,
                        lua_KContext  ctx)
{
  SmeltScheduler *self = (SmeltScheduler *) ctx;
  SmeltTask *task = self->current;

  g_assert (task != NULL && task->thread == L);

  switch (task->wake)
    {
    case SMELT_WAKE_CANCEL:
      lua_settop (L, 0);
      lua_pushliteral (L, "cancelled");
      return lua_error (L);

    case SMELT_WAKE_ERROR:
      return lua_error (L);

    case SMELT_WAKE_NORMAL:
    default:
      return lua_gettop (L);
    }
}

int
smelt_scheduler_park_sleep (SmeltScheduler *self,
                            lua_State      *L,
                            SmeltTask      *task,
                            gint64          delay_us)
{
  lua_settop (L, 0);
  task->park_ms = delay_us / 1000;
  if (delay_us <= 0)
    {
      task->park = SMELT_PARK_YIELD;
      task->state = SMELT_TASK_READY;
      task->wake = SMELT_WAKE_NORMAL;
      ready_push (self, task);
    }
  else
    {
      task->park = SMELT_PARK_SLEEP;
      task->state = SMELT_TASK_PARKED;
      smelt_scheduler_add_deadline (self, &task->sleep, smelt_scheduler_now (self) + delay_us);
    }
  return lua_yieldk (L, 0, (lua_KContext) self, smelt_scheduler_park_k);
}

/* Pushes a finished task's outcome: its first result, or (raise) its error. */
static int
push_join_result (lua_State *L,
                  SmeltTask *target,
                  gboolean   raise_result)
{
  if (!raise_result)
    {
      lua_pushstring (L, smelt_task_state_to_string (target->state));
      return 1;
    }

  switch (target->state)
    {
    case SMELT_TASK_DONE:
      lua_rawgeti (L, LUA_REGISTRYINDEX, target->result_ref);
      return 1;
    case SMELT_TASK_FAILED:
      lua_rawgeti (L, LUA_REGISTRYINDEX, target->result_ref);
      return lua_error (L);
    case SMELT_TASK_CANCELLED:
    default:
      lua_pushliteral (L, "cancelled");
      return lua_error (L);
    }
}

/* A joiner that @target's end woke now runs: it takes the error (@taken),
 * or it was cancelled first.  When the last woken joiner did not take it,
 * the error is nobody's: it is reported now. */
static void
settle_pending_report (SmeltScheduler *self,
                       SmeltTask      *target,
                       gboolean        taken)
{
  g_assert (target->n_woken_joiners > 0);
  target->n_woken_joiners--;
  if (target->pending_report == NULL)
    return;
  if (taken)
    g_clear_pointer (&target->pending_report, error_report_free);
  else if (target->n_woken_joiners == 0)
    {
      error_report_emit (self, target->pending_report, target);
      g_clear_pointer (&target->pending_report, error_report_free);
    }
}

static int
join_k (lua_State    *L,
        int           status,
        lua_KContext  ctx)
{
  SmeltTask *task = (SmeltTask *) ctx;
  SmeltTask *target = g_steal_pointer (&task->join_target);
  SmeltTask outcome;

  g_assert (task->sched->current == task);
  lua_settop (L, 0);
  if (task->join_woken)
    {
      task->join_woken = FALSE;
      settle_pending_report (task->sched, target,
                             task->wake != SMELT_WAKE_CANCEL && task->join_raises);
    }
  if (task->wake == SMELT_WAKE_CANCEL)
    {
      smelt_task_unref (target);
      lua_pushliteral (L, "cancelled");
      return lua_error (L);
    }

  g_assert (!smelt_task_is_live (target));
  /* Copy the outcome and drop the ref before raising, so raising leaks
   * nothing. */
  outcome.state = target->state;
  outcome.result_ref = LUA_NOREF;
  if (target->result_ref != LUA_NOREF)
    lua_rawgeti (L, LUA_REGISTRYINDEX, target->result_ref);
  else
    lua_pushnil (L);
  smelt_task_unref (target);

  if (task->join_raises && outcome.state == SMELT_TASK_DONE)
    return 1;
  if (task->join_raises && outcome.state == SMELT_TASK_FAILED)
    return lua_error (L);
  lua_settop (L, 0);
  return push_join_result (L, &outcome, task->join_raises);
}

int
smelt_scheduler_park_join (SmeltScheduler *self,
                           lua_State      *L,
                           SmeltTask      *task,
                           SmeltTask      *target,
                           gboolean        raise_result)
{
  if (!smelt_task_is_live (target))
    {
      lua_settop (L, 0);
      return push_join_result (L, target, raise_result);
    }

  lua_settop (L, 0);
  task->park = SMELT_PARK_JOIN;
  task->state = SMELT_TASK_PARKED;
  task->join_target = smelt_task_ref (target);
  task->join_raises = !!raise_result;
  task->next_joiner = target->joiners;
  target->joiners = task;
  return lua_yieldk (L, 0, (lua_KContext) task, join_k);
}
