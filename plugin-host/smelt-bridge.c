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

/* Pushes { false, message, code } with a code of the caller's words. */
void
smelt_bridge_push_error_with_code (lua_State    *L,
                                   const GError *error,
                                   const char   *code)
{
  lua_createtable (L, 3, 0);
  lua_pushboolean (L, FALSE);
  lua_rawseti (L, -2, 1);
  lua_pushstring (L, error->message);
  lua_rawseti (L, -2, 2);
  lua_pushstring (L, code);
  lua_rawseti (L, -2, 3);
}

/* Pushes { false, message, code }. */
void
smelt_bridge_push_error (lua_State    *L,
                         const GError *error)
{
  smelt_bridge_push_error_with_code (L, error, smelt_bridge_error_code (error));
}

typedef struct
{
  const GError *error;
  const char   *code;
} Failure;

static void
push_failure_cb (lua_State *L,
                 gpointer   data)
{
  Failure *f = data;

  smelt_bridge_push_error_with_code (L, f->error, f->code);
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

/**
 * smelt_bridge_fail_with_code:
 * @code: (nullable): the code the task gets; %NULL for smelt_bridge_error_code()'s
 *
 * Fails a live op as smelt_bridge_fail() does, with a code of the caller's
 * words for errors of domains the bridge does not know (HTTP's "refused",
 * "resolve", "tls").
 */
void
smelt_bridge_fail_with_code (SmeltPendingOp *op,
                             const GError   *error,
                             const char     *code)
{
  g_autoptr(GError) named = NULL;
  Failure f;

  /* an op with a path fails with "FNAME: PATH: reason" */
  if (op->path != NULL)
    {
      named = g_error_new (error->domain, error->code, "%s: %s: %s", op->fname, op->path,
                           gio_reason (error->message, op->path));
      error = named;
    }
  f.error = error;
  f.code = code != NULL ? code : smelt_bridge_error_code (error);
  smelt_pending_op_complete (op, push_failure_cb, &f, FALSE);
}

void
smelt_bridge_fail (SmeltPendingOp *op,
                   const GError  *error)
{
  smelt_bridge_fail_with_code (op, error, NULL);
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
