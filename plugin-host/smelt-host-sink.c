/* smelt-host-sink.c: the resume sink: C (any thread) resolves Lua tasks; async functions for Lua
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An id handed to C (smelt_host_alloc(), the id an async function receives)
 * is a SmeltPendingOp, kept in a set under a mutex so that
 * smelt_host_resume() and smelt_host_reject() can say from any thread
 * whether it is still live.  Off the host's thread they queue the
 * resolution to its GMainContext; on it they complete the op at once (the
 * waiting task still runs on a later dispatch).  When the Lua task waiting
 * on the id is cancelled, the op leaves the set and its GCancellable (the
 * one an async function was given) is cancelled.
 */

#define G_LOG_DOMAIN "smelt-sink"

#include "config.h"

#include <lauxlib.h>

#include "smelt-host-private.h"
#include "smelt-lua-private.h"
#include "smelt-pending-op.h"
#include "smelt-variant.h"

typedef struct
{
  char           *name;       /* "smelt.ext.<name>" */
  SmeltAsyncFunc  func;
  gpointer        user_data;
  GDestroyNotify  destroy;
} AsyncEntry;

struct _SmeltSink
{
  SmeltHost  *host;           /* unowned: the host owns the sink */
  GThread    *thread;         /* the host's thread */
  GMutex      lock;
  GHashTable *live;           /* guint64* id → SmeltPendingOp* (a ref) */
  GPtrArray  *funcs;          /* AsyncEntry* */
  int         ext_ref;        /* the smelt.ext table, once the runtime is loaded */
};

static void
async_entry_free (gpointer data)
{
  AsyncEntry *e = data;

  if (e->destroy)
    e->destroy (e->user_data);
  g_free (e->name);
  g_free (e);
}

SmeltSink *
smelt_sink_new (SmeltHost *host)
{
  SmeltSink *sink = g_new0 (SmeltSink, 1);

  sink->host = host;
  sink->thread = g_thread_self ();
  g_mutex_init (&sink->lock);
  sink->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                      (GDestroyNotify) smelt_pending_op_unref);
  sink->funcs = g_ptr_array_new_with_free_func (async_entry_free);
  sink->ext_ref = LUA_NOREF;
  return sink;
}

void
smelt_sink_free (SmeltSink *sink)
{
  if (sink == NULL)
    return;
  g_clear_pointer (&sink->funcs, g_ptr_array_unref);
  g_clear_pointer (&sink->live, g_hash_table_unref);
  g_mutex_clear (&sink->lock);
  g_free (sink);
}

/* Takes id out of the live set; returns its op (transfer full), or NULL if
 * it was not live. */
static SmeltPendingOp *
take_live (SmeltSink *sink,
           guint64    id)
{
  gpointer key = NULL, value = NULL;

  g_mutex_lock (&sink->lock);
  if (g_hash_table_steal_extended (sink->live, &id, &key, &value))
    g_free (key);
  g_mutex_unlock (&sink->lock);
  return value;
}

/* The Lua task waiting on a C id was cancelled (or the host closes): the op
 * has cancelled its GCancellable; it leaves the live set. */
static void
on_c_id_cancelled (SmeltPendingOp *op)
{
  SmeltPendingOp *live = take_live (op->data, op->id);

  g_clear_pointer (&live, smelt_pending_op_unref);
}

guint64
smelt_sink_alloc (SmeltSink    *sink,
                  GCancellable *cancellable)
{
  SmeltPendingOp *op = smelt_pending_op_new (smelt_host_get_scheduler (sink->host), "smelt_host_resume");
  guint64 *key = g_new (guint64, 1);

  if (cancellable != NULL)
    g_set_object (&op->cancellable, cancellable);
  op->on_cancel = on_c_id_cancelled;
  op->data = sink;
  *key = op->id;
  g_mutex_lock (&sink->lock);
  g_hash_table_insert (sink->live, key, op);   /* the caller's ref */
  g_mutex_unlock (&sink->lock);
  return op->id;
}

static void
push_error_table (lua_State    *L,
                  const GError *error)
{
  lua_createtable (L, 0, 3);
  lua_pushstring (L, g_quark_to_string (error->domain));
  lua_setfield (L, -2, "domain");
  lua_pushinteger (L, error->code);
  lua_setfield (L, -2, "code");
  lua_pushstring (L, error->message);
  lua_setfield (L, -2, "message");
}

typedef struct
{
  guint64       id;
  GVariant     *value;
  const GError *error;
} Delivery;

/* Pushes the value, or the error table of the error given or of a
 * conversion error (a value nested too deeply); returns whether it pushed
 * an error. */
static gboolean
push_value (lua_State      *L,
            const Delivery *d)
{
  g_autoptr(GError) conv_error = NULL;

  if (d->error != NULL)
    push_error_table (L, d->error);
  else if (!smelt_variant_push (L, d->value, &conv_error))
    {
      g_prefix_error (&conv_error, "smelt_host_resume: id %" G_GUINT64_FORMAT ": ", d->id);
      push_error_table (L, conv_error);
      return TRUE;
    }
  return d->error != NULL;
}

/* For an op: a conversion error is raised (the op completes as an error);
 * the error given is completed as one by the caller. */
static void
push_delivery (lua_State *L,
               gpointer   data)
{
  Delivery *d = data;

  if (push_value (L, d) && d->error == NULL)
    lua_error (L);
}

/* On the host's thread.  A C id's op is completed protected; an id made in
 * Lua by smelt.task.alloc() has no op and is resolved directly. */
static gboolean
deliver (SmeltSink      *sink,
         SmeltPendingOp *op,
         guint64         id,
         GVariant       *value,
         const GError   *error)
{
  Delivery d = { id, value, error };
  lua_State *L;
  gboolean is_error;

  if (op != NULL)
    return smelt_pending_op_complete (op, push_delivery, &d, error != NULL);

  L = smelt_host_get_lua (sink->host);
  is_error = push_value (L, &d);
  return smelt_scheduler_resolve (smelt_host_get_scheduler (sink->host), L, id, is_error);
}

typedef struct
{
  SmeltHost      *host;
  SmeltPendingOp *op;
  GVariant       *value;
  GError         *error;
} Queued;

static void
queued_free (gpointer data)
{
  Queued *q = data;

  g_object_unref (q->host);
  smelt_pending_op_unref (q->op);
  g_clear_pointer (&q->value, g_variant_unref);
  g_clear_error (&q->error);
  g_free (q);
}

static gboolean
deliver_queued_cb (gpointer data)
{
  Queued *q = data;
  SmeltSink *sink = smelt_host_get_sink (q->host);

  if (sink != NULL && smelt_host_get_lua (q->host) != NULL)
    deliver (sink, q->op, q->op->id, q->value, q->error);
  return G_SOURCE_REMOVE;
}

static gboolean
resolve (SmeltHost    *self,
         guint64       id,
         GVariant     *value,
         const GError *error)
{
  SmeltSink *sink = smelt_host_get_sink (self);
  g_autoptr(SmeltPendingOp) op = take_live (sink, id);

  if (g_thread_self () == sink->thread)
    {
      gboolean ok = deliver (sink, op, id, value, error);

      return op != NULL || ok;
    }

  if (op == NULL)
    {
      g_debug ("ignoring an off-thread resolution of id %" G_GUINT64_FORMAT ": not live", id);
      return FALSE;
    }

  {
    Queued *q = g_new0 (Queued, 1);

    q->host = g_object_ref (self);
    q->op = g_steal_pointer (&op);
    q->value = value ? g_variant_ref_sink (value) : NULL;
    q->error = error ? g_error_copy (error) : NULL;
    /* Not g_main_context_invoke(): it runs the callback at once on this
     * thread when the context happens to be free, and the host's thread
     * may be running Lua outside its loop at that moment. */
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_static_name (source, "smelt_host_resume");
    g_source_set_callback (source, deliver_queued_cb, q, queued_free);
    g_source_attach (source, smelt_host_get_main_context (self));
    g_source_unref (source);
  }
  return TRUE;
}

/**
 * smelt_host_resume:
 * @self: a #SmeltHost
 * @id: an external task id
 * @value: (nullable): the value the waiting task gets (%NULL is nil); a
 *   floating reference is sunk
 *
 * Resolves @id, as `smelt.task.resume(id, value)` does, converting @value by
 * the rules of smelt-variant.c (a value nested deeper than 64 levels rejects
 * the task with a conversion error instead).  The waiting task runs on a
 * later dispatch of the host's main context, never inside this call.
 *
 * Safe to call from any thread.  Off the host's thread (the one that created
 * it) the resolution is queued to its main context as an idle source, and
 * only ids handed to C (from smelt_host_alloc() or given to a
 * #SmeltAsyncFunc) can be resolved from there; ids made in Lua by
 * `smelt.task.alloc()` can only be resolved on the host's thread.  A stale or
 * unknown id is ignored.
 *
 * Returns: whether @id was live when called: on the host's thread, whether
 *   it was resolved; off it, whether the id was in the host's set of live C
 *   ids (checked and removed under a lock, so of several concurrent calls
 *   exactly one returns %TRUE) and the resolution was queued.  A queued
 *   resolution is dropped if the Lua task is cancelled before it is
 *   delivered.
 */
gboolean
smelt_host_resume (SmeltHost *self,
                   guint64    id,
                   GVariant  *value)
{
  g_autoptr(GVariant) owned = value ? g_variant_ref_sink (value) : NULL;

  g_return_val_if_fail (SMELT_IS_HOST (self), FALSE);
  return resolve (self, id, owned, NULL);
}

/**
 * smelt_host_reject:
 * @self: a #SmeltHost
 * @id: an external task id
 * @error: the failure
 *
 * Resolves @id with an error: the waiting task raises a table
 * `{ domain, code, message }` (the domain as its quark string, e.g.
 * `"g-io-error-quark"`).  Safe to call from any thread, as
 * smelt_host_resume() is, with the same queueing.
 *
 * Returns: whether @id was live when called, as for smelt_host_resume()
 */
gboolean
smelt_host_reject (SmeltHost    *self,
                   guint64       id,
                   const GError *error)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), FALSE);
  g_return_val_if_fail (error != NULL, FALSE);
  return resolve (self, id, NULL, error);
}

/* smelt.ext.<name>(...): calls a registered async function and parks */
static int
l_ext_call (lua_State *L)
{
  AsyncEntry *e = lua_touserdata (L, lua_upvalueindex (1));
  SmeltHost *host = smelt_host_from_lua (L);
  SmeltScheduler *sched = smelt_host_get_scheduler (host);
  SmeltTask *task = smelt_scheduler_check_park (sched, L, e->name);
  GVariantBuilder builder;
  GCancellable *cancellable;
  GVariant *args;
  guint64 id;
  int n = lua_gettop (L);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
  for (int i = 1; i <= n; i++)
    {
      GError *error = NULL;
      char what[32];
      GVariant *v;

      g_snprintf (what, sizeof what, "args[%d]", i);
      v = smelt_variant_from_lua (L, i, what, &error);
      if (v == NULL)
        {
          g_variant_builder_clear (&builder);
          lua_pushfstring (L, "%s: %s", e->name, error->message);
          g_error_free (error);
          return lua_error (L);
        }
      g_variant_builder_add (&builder, "v", v);
      g_variant_unref (v);
    }
  args = g_variant_ref_sink (g_variant_builder_end (&builder));

  cancellable = g_cancellable_new ();
  id = smelt_sink_alloc (smelt_host_get_sink (host), cancellable);
  e->func (host, id, args, cancellable, e->user_data);
  g_variant_unref (args);
  g_object_unref (cancellable);
  /* nothing auto-freed is live here: parking longjmps */
  return smelt_scheduler_park_external (sched, L, task, id, e->name);
}

static void
install_one (SmeltSink  *sink,
             lua_State  *L,
             AsyncEntry *e)
{
  lua_rawgeti (L, LUA_REGISTRYINDEX, sink->ext_ref);
  lua_pushlightuserdata (L, e);
  lua_pushcclosure (L, l_ext_call, 1);
  lua_setfield (L, -2, e->name + strlen ("smelt.ext."));
  lua_pop (L, 1);
}

/* The runtime is loaded: the async functions go into smelt.ext. */
void
smelt_sink_install (SmeltSink *sink,
                    lua_State *L,
                    int        ext_idx)
{
  lua_pushvalue (L, ext_idx);
  sink->ext_ref = luaL_ref (L, LUA_REGISTRYINDEX);
  for (guint i = 0; i < sink->funcs->len; i++)
    install_one (sink, L, g_ptr_array_index (sink->funcs, i));
}

/**
 * smelt_host_register_async:
 * @self: a #SmeltHost
 * @name: the Lua name: the function becomes `smelt.ext.<name>`
 * @func: (scope notified) (closure user_data) (destroy destroy): the function
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the host goes
 *
 * Registers an asynchronous function for Lua.  Lua calls it from a task;
 * @func receives an id and a #GCancellable, starts its work and returns; the
 * task parks until the id is resolved with smelt_host_resume() or
 * smelt_host_reject(), from any thread.  Cancelling the Lua task cancels
 * the #GCancellable.
 */
void
smelt_host_register_async (SmeltHost      *self,
                           const char     *name,
                           SmeltAsyncFunc  func,
                           gpointer        user_data,
                           GDestroyNotify  destroy)
{
  SmeltSink *sink;
  AsyncEntry *e;

  g_return_if_fail (SMELT_IS_HOST (self));
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (func != NULL);

  sink = smelt_host_get_sink (self);
  e = g_new0 (AsyncEntry, 1);
  e->name = g_strconcat ("smelt.ext.", name, NULL);
  e->func = func;
  e->user_data = user_data;
  e->destroy = destroy;
  g_ptr_array_add (sink->funcs, e);
  if (sink->ext_ref != LUA_NOREF && smelt_host_get_lua (self) != NULL)
    install_one (sink, smelt_host_get_lua (self), e);
}
