/* smelt-lua-request.c: a question the window asks Lua providers as a task, answered piece by piece, cancelled by a GCancellable
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkSourceView asks its completion and hover providers through
 * populate_async with a GCancellable.  This carries such a question to the
 * runtime: internal[name](args..., deliver) starts a task that asks every
 * Lua provider (lua/smelt/providers.lua) and calls deliver(rank, result) as
 * each one answers, then deliver(nil).  The answers are converted while
 * Lua runs and handed to the caller from an idle, outside Lua, so GTK's
 * reactions to them (the popup showing, its rows binding) never run inside
 * a task.  The GCancellable cancelling cancels the task, and with it every
 * provider still running; whatever the task delivers after that is dropped.
 *
 * deliver knows its request by a number, not a pointer: a request ends
 * (cancelled) while its task may still call deliver once more.
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <lauxlib.h>

#include <gtk/gtk.h>

#include "smelt-embed.h"
#include "smelt-lua-request.h"

typedef struct
{
  int      rank;
  gpointer payload;
} Answer;

typedef struct
{
  guint64                     id;
  SmeltHost                  *host;
  guint64                     task_id;     /* 0: no task (no provider, or the call failed) */
  GCancellable               *cancellable;
  gulong                      cancelled_id;
  GtkWidget                  *view;        /* (owned): unmapping it cancels the request */
  gulong                      unmap_id;
  GQueue                      answers;     /* of Answer: delivered, not yet handed over */
  gboolean                    done;        /* deliver(nil) came */
  gboolean                    cancelled;   /* cancelled before it started: ends from the idle */
  guint                       idle_id;
  const SmeltLuaRequestFuncs *funcs;
  gpointer                    data;
  GDestroyNotify              destroy;
} Request;

/* id -> Request: the requests under way */
static GHashTable *requests;
static guint64 last_id;

static void
request_free (Request *req)
{
  Answer *a;

  g_clear_handle_id (&req->idle_id, g_source_remove);
  g_clear_signal_handler (&req->cancelled_id, req->cancellable);
  g_clear_signal_handler (&req->unmap_id, req->view);
  g_clear_object (&req->view);
  while ((a = g_queue_pop_head (&req->answers)) != NULL)
    {
      if (a->payload != NULL && req->funcs->payload_free != NULL)
        req->funcs->payload_free (a->payload);
      g_free (a);
    }
  if (req->destroy != NULL)
    req->destroy (req->data);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->host);
  g_free (req);
}

/* takes req out of the table and frees it, after its last call */
static void
request_end (Request  *req,
             gboolean  cancelled)
{
  g_hash_table_steal (requests, &req->id);
  req->funcs->finish (req->data, cancelled);
  request_free (req);
}

static gboolean
on_answers_idle (gpointer user_data)
{
  Request *req = user_data;
  Answer *a;

  req->idle_id = 0;
  if (req->cancelled)
    {
      request_end (req, TRUE);
      return G_SOURCE_REMOVE;
    }
  while ((a = g_queue_pop_head (&req->answers)) != NULL)
    {
      req->funcs->result (req->data, a->rank, a->payload);
      g_free (a);
      /* result may have cancelled the request (GTK's reaction to it) */
      if (!g_hash_table_contains (requests, &req->id))
        return G_SOURCE_REMOVE;
    }
  if (req->done)
    request_end (req, FALSE);
  return G_SOURCE_REMOVE;
}

static void
queue_idle (Request *req)
{
  if (req->idle_id == 0)
    req->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_answers_idle, req, NULL);
}

static void
on_cancelled (GCancellable *cancellable,
              Request      *req)
{
  if (req->task_id != 0)
    smelt_host_cancel_task (req->host, req->task_id);
  request_end (req, TRUE);
}

/* the view's window closed, or its tab was left: nobody will see the
 * answer (and GtkSourceView may never cancel a request it forgot) */
static void
on_view_unmapped (GtkWidget *view,
                  Request   *req)
{
  g_cancellable_cancel (req->cancellable);
}

/* deliver(rank, result) or deliver(nil): upvalue 1 is the request's id */
static int
l_deliver (lua_State *L)
{
  guint64 id = (guint64) lua_tointeger (L, lua_upvalueindex (1));
  Request *req = requests ? g_hash_table_lookup (requests, &id) : NULL;
  Answer *a;

  if (req == NULL)
    return 0;   /* cancelled meanwhile */
  if (lua_isnoneornil (L, 1))
    req->done = TRUE;
  else
    {
      a = g_new0 (Answer, 1);
      a->rank = (int) lua_tointeger (L, 1);
      a->payload = req->funcs->convert (L, 2);
      g_queue_push_tail (&req->answers, a);
    }
  queue_idle (req);
  return 0;
}

/**
 * smelt_lua_request_start:
 * @host: the GUI's host
 * @name: the runtime's function: internal[@name](args..., deliver)
 *   returns the id of the task it started (or nil when it started none)
 * @nargs: how many arguments are pushed on @host's Lua state (they are
 *   taken off it)
 * @cancellable: cancels the request
 * @view: the view that asks: unmapping it cancels the request
 * @funcs: (not nullable): what is done with the answers; static
 * @data: for @funcs
 * @destroy: (nullable): frees @data once @funcs->finish has been called
 *
 * Starts the request; @funcs->result and @funcs->finish come later, from
 * the main loop, never from this call.  Lua's errors are reported (the
 * request then finishes with no answer).
 */
void
smelt_lua_request_start (SmeltHost                  *host,
                         const char                 *name,
                         int                         nargs,
                         GCancellable               *cancellable,
                         GtkWidget                  *view,
                         const SmeltLuaRequestFuncs *funcs,
                         gpointer                    data,
                         GDestroyNotify              destroy)
{
  lua_State *L = smelt_host_get_lua (host);
  Request *req = g_new0 (Request, 1);

  g_return_if_fail (G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (GTK_IS_WIDGET (view));

  if (requests == NULL)
    requests = g_hash_table_new (g_int64_hash, g_int64_equal);
  req->id = ++last_id;
  req->host = g_object_ref (host);
  req->cancellable = g_object_ref (cancellable);
  req->funcs = funcs;
  req->data = data;
  req->destroy = destroy;
  g_queue_init (&req->answers);
  g_hash_table_insert (requests, &req->id, req);

  /* stack: args -> fn, args, deliver */
  lua_rawgeti (L, LUA_REGISTRYINDEX, smelt_host_get_internal_ref (host));
  lua_getfield (L, -1, name);
  lua_remove (L, -2);
  lua_insert (L, -nargs - 1);
  lua_pushinteger (L, (lua_Integer) req->id);
  lua_pushcclosure (L, l_deliver, 1);
  if (smelt_host_call (host, nargs + 1, 1, name, SMELT_CALL_DEFAULT, NULL))
    {
      req->task_id = lua_isinteger (L, -1) ? (guint64) lua_tointeger (L, -1) : 0;
      lua_pop (L, 1);
    }
  else
    req->done = TRUE;
  if (g_cancellable_is_cancelled (cancellable) || !gtk_widget_get_mapped (view))
    {
      if (req->task_id != 0)
        smelt_host_cancel_task (host, req->task_id);
      req->cancelled = TRUE;
      queue_idle (req);
      return;
    }
  req->cancelled_id = g_signal_connect (cancellable, "cancelled", G_CALLBACK (on_cancelled), req);
  req->view = g_object_ref (view);
  req->unmap_id = g_signal_connect (view, "unmap", G_CALLBACK (on_view_unmapped), req);
  if (req->done || req->answers.length > 0)
    queue_idle (req);
}
