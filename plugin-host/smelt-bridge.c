/* smelt-bridge.c: the one bridge from a GIO async operation to a parked task
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every task-parking I/O function works the same way:
 *   op = smelt_bridge_begin ()     an external id and a GCancellable;
 *   g_file_xxx_async (..., op->cancellable, xxx_cb, smelt_bridge_op_ref (op));
 *   return smelt_bridge_park ()    the task parks on the id;
 *   xxx_cb:  if (!smelt_bridge_is_live (op)) drop everything;
 *            else push the result on smelt_bridge_lua (op), smelt_bridge_resolve ().
 * If the task is cancelled (directly, by a timeout, a race, the host
 * closing), the id is discarded: the GCancellable is cancelled, on_cancel
 * runs (a process is killed), and the late callback finds the op dead and
 * frees it, touching neither the task nor the scheduler.
 *
 * Results reach Lua as one table: { true, value... } or
 * { false, message, code }, unpacked by the Lua wrappers in lua/smelt/.
 */

#define G_LOG_DOMAIN "smelt-bridge"

#include "config.h"

#include <lauxlib.h>

#include "smelt-bridge.h"

SmeltBridgeOp *
smelt_bridge_op_ref (SmeltBridgeOp *op)
{
  op->ref_count++;
  return op;
}

void
smelt_bridge_op_unref (SmeltBridgeOp *op)
{
  if (--op->ref_count > 0)
    return;
  if (op->free_data != NULL && op->data != NULL)
    op->free_data (op->data);
  g_free (op->path);
  g_clear_object (&op->cancellable);
  g_free (op);
}

/* The waiting task was cancelled, or the host closes: cancel the operation. */
static void
on_discarded (gpointer data,
              guint64  id)
{
  SmeltBridgeOp *op = data;

  op->sched = NULL;
  g_cancellable_cancel (op->cancellable);
  if (op->on_cancel != NULL)
    op->on_cancel (op);
  smelt_bridge_op_unref (op);   /* the slot's ref */
}

/**
 * smelt_bridge_begin:
 *
 * Checks that the caller may park (raising the usual errors otherwise) and
 * makes an op with a fresh id and GCancellable.
 *
 * Returns: (transfer full): the op; the caller hands a ref to the GIO
 *   callback and parks with smelt_bridge_park()
 */
SmeltBridgeOp *
smelt_bridge_begin (SmeltScheduler *sched,
                    lua_State      *L,
                    const char     *fname)
{
  SmeltBridgeOp *op;

  smelt_scheduler_check_park (sched, L, fname);

  op = g_new0 (SmeltBridgeOp, 1);
  op->ref_count = 2;            /* the caller's, and the slot's */
  op->sched = sched;
  op->fname = fname;
  op->cancellable = g_cancellable_new ();
  op->id = smelt_scheduler_alloc_id (sched);
  smelt_scheduler_set_discard (sched, op->id, on_discarded, op);
  return op;
}

/* Parks the calling task on the op's id; drops the caller's ref. */
int
smelt_bridge_park (SmeltBridgeOp *op,
                   lua_State     *L,
                   const char    *fname)
{
  SmeltScheduler *sched = op->sched;
  guint64 id = op->id;
  SmeltTask *task = smelt_scheduler_current (sched);

  smelt_bridge_op_unref (op);
  return smelt_scheduler_park_external (sched, L, task, id, fname);
}

gboolean
smelt_bridge_is_live (SmeltBridgeOp *op)
{
  return op->sched != NULL;
}

lua_State *
smelt_bridge_lua (SmeltBridgeOp *op)
{
  g_assert (op->sched != NULL);
  return smelt_scheduler_get_lua (op->sched);
}

/* Delivers the value on top of the main state's stack to the waiting task. */
void
smelt_bridge_resolve (SmeltBridgeOp *op)
{
  SmeltScheduler *sched = op->sched;

  g_assert (sched != NULL);
  op->sched = NULL;
  /* Resolution drops the slot without calling on_discarded: take its ref. */
  smelt_scheduler_resolve (sched, smelt_scheduler_get_lua (sched), op->id, FALSE);
  smelt_bridge_op_unref (op);
}

/* The GIOErrorEnum nick of an error ("not-found", "permission-denied", ...). */
const char *
smelt_bridge_error_code (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    {
      GEnumClass *klass = g_type_class_ref (G_TYPE_IO_ERROR_ENUM);
      GEnumValue *value = g_enum_get_value (klass, error->code);
      const char *nick = value ? value->value_nick : "failed";

      g_type_class_unref (klass);
      return nick;
    }
  if (error->domain == G_SPAWN_ERROR)
    {
      switch (error->code)
        {
        case G_SPAWN_ERROR_NOENT:
          return "not-found";
        case G_SPAWN_ERROR_ACCES:
        case G_SPAWN_ERROR_PERM:
          return "permission-denied";
        case G_SPAWN_ERROR_CHDIR:
          return "bad-cwd";
        default:
          return "failed";
        }
    }
  return "failed";
}

/* Pushes { false, message, code }. */
void
smelt_bridge_push_error (lua_State    *L,
                         const GError *error)
{
  lua_createtable (L, 3, 0);
  lua_pushboolean (L, FALSE);
  lua_rawseti (L, -2, 1);
  lua_pushstring (L, error->message);
  lua_rawseti (L, -2, 2);
  lua_pushstring (L, smelt_bridge_error_code (error));
  lua_rawseti (L, -2, 3);
}

void
smelt_bridge_fail (SmeltBridgeOp *op,
                   const GError  *error)
{
  g_autoptr(GError) named = NULL;

  /* An op with a path fails with "FNAME: PATH: reason".  GIO's own messages
   * ("Error opening file PATH: reason") name the path already: only the
   * reason after it is kept. */
  if (op->path != NULL)
    {
      const char *reason = error->message;
      const char *at = strstr (reason, op->path);

      if (at != NULL && g_str_has_prefix (at + strlen (op->path), ": "))
        reason = at + strlen (op->path) + 2;
      named = g_error_new (error->domain, error->code, "%s: %s: %s", op->fname, op->path, reason);
      error = named;
    }
  smelt_bridge_push_error (smelt_bridge_lua (op), error);
  smelt_bridge_resolve (op);
}

/* Pushes { true } (the caller adds the values from index 2). */
void
smelt_bridge_push_ok (lua_State *L)
{
  lua_createtable (L, 3, 0);
  lua_pushboolean (L, TRUE);
  lua_rawseti (L, -2, 1);
}

/**
 * smelt_bridge_settle:
 * @error: (nullable): the operation's error
 *
 * The common start of every GIO callback: when the task is gone, there is
 * nothing to do; when the operation failed, the task gets
 * `{ false, message, code }`.
 *
 * Returns: %TRUE when the caller should push the result and resolve
 */
gboolean
smelt_bridge_settle (SmeltBridgeOp *op,
                     const GError  *error)
{
  if (!smelt_bridge_is_live (op))
    return FALSE;
  if (error != NULL)
    {
      smelt_bridge_fail (op, error);
      return FALSE;
    }
  return TRUE;
}
