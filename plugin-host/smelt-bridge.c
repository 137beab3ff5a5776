/* smelt-bridge.c: how a GIO operation's result reaches the task that waits on it
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The file and process functions park their task on a SmeltPendingOp
 * (smelt-pending-op.c) and deliver one table: { true, value... } or
 * { false, message, code }, unpacked by the Lua wrappers in lua/smelt/,
 * which return nil, message, code on failure.  A GIO callback starts with
 * smelt_bridge_settle(): when the task is gone there is nothing to do, and
 * a failure is delivered there.
 */

#define G_LOG_DOMAIN "smelt-bridge"

#include "config.h"

#include <lauxlib.h>
#include <string.h>

#include "smelt-bridge.h"

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

static void
push_error_cb (lua_State *L,
               gpointer   error)
{
  smelt_bridge_push_error (L, error);
}

/* GIO words its errors "Error opening file “PATH”: reason" (or with the
 * path unquoted); the op names the function and path itself, so only the
 * reason is kept. */
static const char *
gio_reason (const char *message,
            const char *path)
{
  const char *at = path != NULL ? strstr (message, path) : NULL;

  if (at == NULL)
    return message;
  at += strlen (path);
  if (g_str_has_prefix (at, "\u201d"))
    at += strlen ("\u201d");
  else if (*at == '\'' || *at == '"')
    at++;
  return g_str_has_prefix (at, ": ") ? at + 2 : message;
}

void
smelt_bridge_fail (SmeltPendingOp *op,
                   const GError  *error)
{
  g_autoptr(GError) named = NULL;

  /* an op with a path fails with "FNAME: PATH: reason" */
  if (op->path != NULL)
    {
      named = g_error_new (error->domain, error->code, "%s: %s: %s", op->fname, op->path,
                           gio_reason (error->message, op->path));
      error = named;
    }
  smelt_pending_op_complete (op, push_error_cb, (gpointer) error, FALSE);
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
smelt_bridge_settle (SmeltPendingOp *op,
                     const GError  *error)
{
  if (!smelt_pending_op_is_live (op))
    return FALSE;
  if (error != NULL)
    {
      smelt_bridge_fail (op, error);
      return FALSE;
    }
  return TRUE;
}
