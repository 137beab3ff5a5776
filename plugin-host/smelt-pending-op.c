/* smelt-pending-op.c: a task parked until C completes an operation, with its GCancellable
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every operation a task waits on from C (a GIO call, a process, a buffer's
 * load or save, a dialog, a C extension's async function) is one of these:
 *
 *   op = smelt_pending_op_begin ()   an external id and a GCancellable;
 *   start the work with op->cancellable and a ref of op;
 *   return smelt_pending_op_park ()  the task parks on the id;
 *   when the work ends:  smelt_pending_op_complete (op, push, data) or
 *                        push on smelt_pending_op_lua (op), then _resolve ();
 *   either way nothing happens when the op is no longer live.
 *
 * If the task is cancelled (directly, by a timeout, a race, the host
 * closing), the id is discarded: the GCancellable is cancelled, on_cancel
 * runs (a process is killed, a dialog withdrawn), and the late completion
 * finds the op dead, touching neither the task nor the scheduler.  An op
 * completes at most once.
 *
 * The id's slot (smelt-external.c) holds one reference until it goes;
 * whoever will complete the op holds another.
 */

#define G_LOG_DOMAIN "smelt-pending-op"

#include "config.h"

#include <lauxlib.h>

#include "smelt-pending-op.h"

SmeltPendingOp *
smelt_pending_op_ref (SmeltPendingOp *op)
{
  g_atomic_ref_count_inc (&op->ref_count);
  return op;
}

void
smelt_pending_op_unref (SmeltPendingOp *op)
{
  if (!g_atomic_ref_count_dec (&op->ref_count))
    return;
  if (op->free_data != NULL && op->data != NULL)
    op->free_data (op->data);
  g_free (op->path);
  g_clear_object (&op->cancellable);
  g_free (op);
}

/* The id's slot went.  Discarded: the waiting task was cancelled, or the
 * host closes: cancel the operation.  Otherwise it was resolved, by this op
 * or by someone else (smelt.task.resume() on an id C handed out): either
 * way the op is no longer live. */
static void
on_slot_released (gpointer data,
                  guint64  id,
                  gboolean discarded)
{
  SmeltPendingOp *op = data;

  smelt_scheduler_real_end (g_steal_pointer (&op->clock));
  op->sched = NULL;
  if (discarded)
    {
      g_cancellable_cancel (op->cancellable);
      if (op->on_cancel != NULL)
        op->on_cancel (op);
    }
  smelt_pending_op_unref (op);   /* the slot's ref */
}

/**
 * smelt_pending_op_new:
 * @fname: (not nullable): the function's name, for errors; a static string
 *
 * Makes an op with a fresh external id and GCancellable, for a task that
 * will park on it (or for C that hands the id to Lua).
 *
 * Returns: (transfer full): the op, with one reference for the caller (the
 *   id's slot holds another until the op completes or is discarded)
 */
SmeltPendingOp *
smelt_pending_op_new (SmeltScheduler *sched,
                      const char     *fname)
{
  SmeltPendingOp *op = g_new0 (SmeltPendingOp, 1);

  g_atomic_ref_count_init (&op->ref_count);
  g_atomic_ref_count_inc (&op->ref_count);   /* the slot's */
  op->sched = sched;
  op->clock = sched;
  op->fname = fname;
  op->cancellable = g_cancellable_new ();
  op->id = smelt_scheduler_alloc_id (sched);
  smelt_scheduler_set_release (sched, op->id, on_slot_released, op);
  /* real work until the slot goes: a virtual clock waits for it */
  smelt_scheduler_real_begin (sched);
  return op;
}

/**
 * smelt_pending_op_begin:
 *
 * Checks that the caller may park (raising the usual errors, before anything
 * is made, otherwise) and makes an op for it.
 *
 * Returns: (transfer full): the op; the caller hands a ref to whatever will
 *   complete it and parks with smelt_pending_op_park()
 */
SmeltPendingOp *
smelt_pending_op_begin (SmeltScheduler *sched,
                        lua_State      *L,
                        const char     *fname)
{
  smelt_scheduler_check_park (sched, L, fname);
  return smelt_pending_op_new (sched, fname);
}

/* Parks the calling task on the op's id; drops the caller's ref. */
int
smelt_pending_op_park (SmeltPendingOp *op,
                       lua_State      *L)
{
  SmeltScheduler *sched = op->sched;
  guint64 id = op->id;
  const char *fname = op->fname;

  SmeltTask *task = smelt_scheduler_current (sched);

  g_assert (sched != NULL);
  /* what the Tasks panel and smelt.task.list() say it waits on: the
   * operation, not "external 17" (cleared when the task runs again) */
  g_free (task->wait_desc);
  task->wait_desc = op->path != NULL ? g_strdup_printf ("%s %s", fname, op->path) : g_strdup (fname);
  smelt_pending_op_unref (op);
  return smelt_scheduler_park_external (sched, L, task, id, fname);
}

gboolean
smelt_pending_op_is_live (SmeltPendingOp *op)
{
  return op->sched != NULL;
}

lua_State *
smelt_pending_op_lua (SmeltPendingOp *op)
{
  g_assert (op->sched != NULL);
  return smelt_scheduler_get_lua (op->sched);
}

static void
deliver (SmeltPendingOp *op,
         gboolean        is_error)
{
  SmeltScheduler *sched = op->sched;

  g_assert (sched != NULL);
  op->sched = NULL;
  /* the slot, once it goes, drops its ref (on_slot_released) */
  smelt_scheduler_resolve (sched, smelt_scheduler_get_lua (sched), op->id, is_error);
}

/* Delivers the value on top of the main state's stack to the waiting task. */
void
smelt_pending_op_resolve (SmeltPendingOp *op)
{
  deliver (op, FALSE);
}

/* Raises the value on top of the main state's stack in the waiting task. */
void
smelt_pending_op_raise (SmeltPendingOp *op)
{
  deliver (op, TRUE);
}

typedef struct
{
  SmeltPendingOpPushFunc push;
  gpointer               data;
} PushCall;

static int
push_trampoline (lua_State *L)
{
  PushCall *call = lua_touserdata (L, 1);

  lua_settop (L, 0);
  call->push (L, call->data);
  lua_settop (L, 1);
  return 1;
}

/**
 * smelt_pending_op_complete:
 * @push: (scope call): pushes the task's value
 * @is_error: raise the value in the task rather than return it
 *
 * Completes a live op: runs @push protected on the main state and delivers
 * its value.  Nothing @push raises can escape as an unprotected error: the
 * task raises it instead.
 *
 * Returns: whether the op was live (a dead op is left untouched)
 */
gboolean
smelt_pending_op_complete (SmeltPendingOp         *op,
                           SmeltPendingOpPushFunc  push,
                           gpointer                data,
                           gboolean                is_error)
{
  PushCall call = { push, data };
  lua_State *L;

  if (!smelt_pending_op_is_live (op))
    return FALSE;
  L = smelt_pending_op_lua (op);
  /* neither push allocates: a light C function and a light userdata */
  if (!lua_checkstack (L, 3))
    g_error ("smelt_pending_op_complete: %s: the main Lua stack cannot grow", op->fname);
  lua_pushcfunction (L, push_trampoline);
  lua_pushlightuserdata (L, &call);
  if (lua_pcall (L, 1, 1, 0) != LUA_OK)
    is_error = TRUE;
  deliver (op, is_error);
  return TRUE;
}
