/* test-sink.c: the resume sink from C: resolutions from threads, rejections, cancellation, stale ids
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <lauxlib.h>

#include "smelt-host-private.h"

#define N_RACERS 8

typedef struct
{
  SmeltHost    *host;
  GPtrArray    *errors;       /* tracebacks from task-error */
  guint64       held_id;      /* the id smelt.ext.hold() was given */
  GCancellable *held_cancellable;
  guint         n_calls;
} Fixture;

static void
on_task_error (SmeltHost  *host,
               guint64     id,
               const char *name,
               const char *message,
               const char *traceback,
               Fixture    *f)
{
  g_ptr_array_add (f->errors, g_strdup (traceback));
}

/* smelt.ext.hold(): keeps the id for the test to resolve */
static void
hold (SmeltHost    *host,
      guint64       id,
      GVariant     *args,
      GCancellable *cancellable,
      gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_true (g_variant_is_of_type (args, G_VARIANT_TYPE ("av")));
  f->held_id = id;
  g_set_object (&f->held_cancellable, cancellable);
  f->n_calls++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->host = smelt_host_new (NULL);
  f->errors = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->host, "task-error", G_CALLBACK (on_task_error), f);
  /* registered before the runtime loads: installed when it does */
  smelt_host_register_async (f->host, "hold", hold, f, NULL);
  smelt_host_load_runtime (f->host, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_cmpuint (f->errors->len, ==, 0);
  g_clear_object (&f->host);
  g_clear_object (&f->held_cancellable);
  g_ptr_array_unref (f->errors);
}

static void
run (Fixture    *f,
     const char *code)
{
  g_autoptr(GError) error = NULL;

  smelt_host_run_string (f->host, code, "=spec", &error);
  g_assert_no_error (error);
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
run_until_idle (Fixture *f)
{
  while (smelt_host_get_n_tasks (f->host) > 0)
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static char *
global_string (Fixture    *f,
               const char *name)
{
  lua_State *L = smelt_host_get_lua (f->host);
  char *v;

  lua_getglobal (L, name);
  v = g_strdup (luaL_tolstring (L, -1, NULL));
  lua_pop (L, 2);
  return v;
}

typedef struct
{
  Fixture *f;
  gint64   value;
  GCond   *cond;
  GMutex  *lock;
  gboolean *go;
  gboolean won;
} Racer;

static gpointer
racer_thread (gpointer data)
{
  Racer *r = data;

  g_mutex_lock (r->lock);
  while (!*r->go)
    g_cond_wait (r->cond, r->lock);
  g_mutex_unlock (r->lock);
  r->won = smelt_host_resume (r->f->host, r->f->held_id, g_variant_new_int64 (r->value));
  return NULL;
}

static void
test_concurrent_resumes (Fixture       *f,
                         gconstpointer  data)
{
  Racer racers[N_RACERS];
  GThread *threads[N_RACERS];
  GMutex lock;
  GCond cond;
  gboolean go = FALSE;
  guint n_won = 0;
  gint64 winner = -1;
  g_autofree char *got = NULL;

  g_mutex_init (&lock);
  g_cond_init (&cond);
  run (f, "V = smelt.ext.hold()");
  iterate ();
  g_assert_cmpuint (f->n_calls, ==, 1);

  for (guint i = 0; i < N_RACERS; i++)
    {
      racers[i] = (Racer) { f, 100 + i, &cond, &lock, &go, FALSE };
      threads[i] = g_thread_new ("racer", racer_thread, &racers[i]);
    }
  g_mutex_lock (&lock);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (guint i = 0; i < N_RACERS; i++)
    {
      g_thread_join (threads[i]);
      if (racers[i].won)
        {
          n_won++;
          winner = racers[i].value;
        }
    }
  /* exactly one of the concurrent calls found the id live */
  g_assert_cmpuint (n_won, ==, 1);
  /* nothing ran on the racing threads: the task is still waiting */
  g_assert_cmpuint (smelt_host_get_n_tasks (f->host), ==, 1);

  run_until_idle (f);
  got = global_string (f, "V");
  g_assert_cmpint (g_ascii_strtoll (got, NULL, 10), ==, winner);
  g_assert_false (smelt_host_resume (f->host, f->held_id, NULL));
  g_cond_clear (&cond);
  g_mutex_clear (&lock);
}

static gpointer
reject_thread (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "took %d s", 3);

  return GINT_TO_POINTER (smelt_host_reject (f->host, f->held_id, error));
}

static void
test_reject_from_thread (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *got = NULL;

  run (f, "local ok, e = pcall(smelt.ext.hold)\n"
          "E = tostring(ok) .. ' ' .. e.domain .. ' ' .. e.code .. ' ' .. e.message");
  iterate ();
  g_assert_true (GPOINTER_TO_INT (g_thread_join (g_thread_new ("reject", reject_thread, f))));
  run_until_idle (f);
  got = global_string (f, "E");
  g_assert_cmpstr (got, ==, "false g-io-error-quark 24 took 3 s");
}

static void
test_nil_and_stale (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *got = NULL;

  run (f, "local v = smelt.ext.hold(1, 'two', { 3 })\nN = select('#', v) .. ' ' .. tostring(v)");
  iterate ();
  g_assert_true (smelt_host_resume (f->host, f->held_id, NULL));
  g_assert_false (smelt_host_resume (f->host, f->held_id, NULL));
  run_until_idle (f);
  got = global_string (f, "N");
  g_assert_cmpstr (got, ==, "1 nil");

  g_assert_false (smelt_host_resume (f->host, 0, NULL));
  g_assert_false (smelt_host_resume (f->host, 987654321, g_variant_new_string ("x")));
  g_assert_false (smelt_host_reject (f->host, 987654321, &(GError) { G_IO_ERROR, 0, (char *) "x" }));
}

static gpointer
late_resume_thread (gpointer data)
{
  Fixture *f = data;

  return GINT_TO_POINTER (smelt_host_resume (f->host, f->held_id, g_variant_new_int32 (1)));
}

static void
test_cancel_cancels (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *got = NULL;

  run (f, "local v, why = smelt.task.timeout(20, smelt.ext.hold)\nW = why");
  iterate ();
  g_assert_nonnull (f->held_cancellable);
  g_assert_false (g_cancellable_is_cancelled (f->held_cancellable));
  run_until_idle (f);
  got = global_string (f, "W");
  g_assert_cmpstr (got, ==, "timeout");
  g_assert_true (g_cancellable_is_cancelled (f->held_cancellable));
  /* the id died with the task: from a thread and on the host's thread */
  g_assert_false (GPOINTER_TO_INT (g_thread_join (g_thread_new ("late", late_resume_thread, f))));
  g_assert_false (smelt_host_resume (f->host, f->held_id, NULL));
}

static void
test_alloc_from_c (Fixture       *f,
                   gconstpointer  data)
{
  guint64 id = smelt_host_alloc (f->host);
  guint64 id2 = smelt_host_alloc (f->host);

  g_assert_cmpuint (id, >, 0);
  g_assert_cmpuint (id2, !=, id);
  /* nobody waits yet: resolving stores the value, once */
  g_assert_true (smelt_host_resume (f->host, id, g_variant_new_int32 (5)));
  g_assert_false (smelt_host_resume (f->host, id, g_variant_new_int32 (6)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sink/concurrent-resumes", test_concurrent_resumes);
  ADD ("/sink/reject-from-thread", test_reject_from_thread);
  ADD ("/sink/nil-and-stale", test_nil_and_stale);
  ADD ("/sink/cancel-cancels", test_cancel_cancels);
  ADD ("/sink/alloc-from-c", test_alloc_from_c);
#undef ADD
  return g_test_run ();
}
