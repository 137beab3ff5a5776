/* sleepy.c: an example C extension: blocking work on a worker thread, resolved through the sink
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * smelt.ext.slow_square(n, ms): squares n after ms milliseconds of "work" in
 * a GTask thread, and resolves the Lua task from that thread.  If the Lua
 * task is cancelled, the GCancellable is, and the worker stops early.
 * smelt.ext.sleepy_stats(): how many workers stopped early.
 * smelt.ext.sleepy_fail(): rejects with a GError.
 */

#include <gio/gio.h>

#include "smelt-extension.h"

SMELT_EXTENSION_DEFINE_ABI;

static gint stopped_early;

typedef struct
{
  SmeltHost *host;
  guint64    id;
  gint64     n;
  gint64     ms;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_object_unref (job->host);
  g_free (job);
}

static void
work_in_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  Job *job = data;

  for (gint64 i = 0; i < job->ms; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_atomic_int_inc (&stopped_early);
          /* the id is dead (the Lua task was cancelled): nothing to resolve */
          g_task_return_boolean (task, FALSE);
          return;
        }
      g_usleep (1000);
    }
  /* from the worker thread: the sink queues it to the host's loop */
  smelt_host_resume (job->host, job->id, g_variant_new_int64 (job->n * job->n));
  g_task_return_boolean (task, TRUE);
}

static gint64
arg_int (GVariant *args,
         gsize     i)
{
  g_autoptr(GVariant) boxed = NULL;
  g_autoptr(GVariant) v = NULL;

  if (i >= g_variant_n_children (args))
    return 0;
  boxed = g_variant_get_child_value (args, i);
  v = g_variant_get_variant (boxed);
  return g_variant_is_of_type (v, G_VARIANT_TYPE_INT64) ? g_variant_get_int64 (v) : 0;
}

static void
slow_square (SmeltHost    *host,
             guint64       id,
             GVariant     *args,
             GCancellable *cancellable,
             gpointer      user_data)
{
  Job *job = g_new0 (Job, 1);
  GTask *task = g_task_new (NULL, cancellable, NULL, NULL);

  job->host = g_object_ref (host);
  job->id = id;
  job->n = arg_int (args, 0);
  job->ms = arg_int (args, 1);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, work_in_thread);
  g_object_unref (task);
}

static void
sleepy_stats (SmeltHost    *host,
              guint64       id,
              GVariant     *args,
              GCancellable *cancellable,
              gpointer      user_data)
{
  smelt_host_resume (host, id, g_variant_new_int32 (g_atomic_int_get (&stopped_early)));
}

static void
sleepy_fail (SmeltHost    *host,
             guint64       id,
             GVariant     *args,
             GCancellable *cancellable,
             gpointer      user_data)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "nothing here");

  smelt_host_reject (host, id, error);
}

G_MODULE_EXPORT gboolean
smelt_extension_init (SmeltHost  *host,
                      GError    **error)
{
  smelt_host_register_async (host, "slow_square", slow_square, NULL, NULL);
  smelt_host_register_async (host, "sleepy_stats", sleepy_stats, NULL, NULL);
  smelt_host_register_async (host, "sleepy_fail", sleepy_fail, NULL, NULL);
  return TRUE;
}
