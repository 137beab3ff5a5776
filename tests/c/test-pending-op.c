/* test-pending-op.c: a task parked on a SmeltPendingOp: completion, a raising push, cancel, close
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include <lauxlib.h>

#include "smelt-host-private.h"
#include "smelt-pending-op.h"

typedef struct
{
  SmeltHost      *host;
  SmeltPendingOp *op;          /* the op the last test_park() made */
  guint           n_cancelled; /* on_cancel calls */
} Fixture;

static Fixture *current;

static void
on_cancel (SmeltPendingOp *op)
{
  current->n_cancelled++;
}

/* test_park(): parks the calling task on a fresh op, kept in the fixture */
static int
l_test_park (lua_State *L)
{
  SmeltScheduler *sched = smelt_host_get_scheduler (current->host);
  SmeltPendingOp *op = smelt_pending_op_begin (sched, L, "test_park");

  op->on_cancel = on_cancel;
  g_clear_pointer (&current->op, smelt_pending_op_unref);
  current->op = smelt_pending_op_ref (op);
  return smelt_pending_op_park (op, L);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  lua_State *L;

  current = f;
  f->host = smelt_host_new (NULL);
  smelt_host_load_runtime (f->host, &error);
  g_assert_no_error (error);
  L = smelt_host_get_lua (f->host);
  lua_pushcfunction (L, l_test_park);
  lua_setglobal (L, "test_park");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->host);
  g_clear_pointer (&f->op, smelt_pending_op_unref);
  current = NULL;
}

static void
run (Fixture    *f,
     const char *code)
{
  g_autoptr(GError) error = NULL;

  smelt_host_run_string (f->host, code, "=spec", &error);
  g_assert_no_error (error);
}

/* Iterates the loop until no task is ready to run. */
static void
settle (Fixture *f)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
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

static void
push_answer (lua_State *L,
             gpointer   data)
{
  lua_pushstring (L, data);
}

static void
push_raising (lua_State *L,
              gpointer   data)
{
  luaL_error (L, "%s", (const char *) data);
}

static void
test_complete_delivers_once (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *got = NULL;

  run (f, "GOT = 'unset'; smelt.spawn(function() GOT = test_park() end)");
  settle (f);
  g_assert_nonnull (f->op);
  g_assert_true (smelt_pending_op_is_live (f->op));
  g_assert_true (smelt_pending_op_complete (f->op, push_answer, (gpointer) "forty-two", FALSE));
  g_assert_false (smelt_pending_op_is_live (f->op));
  /* a second completion is ignored: the op completes once */
  g_assert_false (smelt_pending_op_complete (f->op, push_answer, (gpointer) "again", FALSE));
  settle (f);
  got = global_string (f, "GOT");
  g_assert_cmpstr (got, ==, "forty-two");
  g_assert_false (g_cancellable_is_cancelled (f->op->cancellable));
  g_assert_cmpuint (f->n_cancelled, ==, 0);
}

static void
test_raising_push_reaches_the_task (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *got = NULL;

  run (f, "GOT = 'unset'\n"
          "smelt.spawn(function()\n"
          "  local ok, err = pcall(test_park)\n"
          "  GOT = tostring(ok) .. ' ' .. tostring(err)\n"
          "end)");
  settle (f);
  g_assert_true (smelt_pending_op_complete (f->op, push_raising, (gpointer) "the answer did not fit", FALSE));
  settle (f);
  got = global_string (f, "GOT");
  g_assert_true (g_str_has_prefix (got, "false "));
  g_assert_nonnull (strstr (got, "the answer did not fit"));
}

static void
test_error_value_is_raised (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *got = NULL;

  run (f, "GOT = 'unset'\n"
          "smelt.spawn(function()\n"
          "  local ok, err = pcall(test_park)\n"
          "  GOT = tostring(ok) .. ' ' .. tostring(err)\n"
          "end)");
  settle (f);
  g_assert_true (smelt_pending_op_complete (f->op, push_answer, (gpointer) "refused", TRUE));
  settle (f);
  got = global_string (f, "GOT");
  g_assert_cmpstr (got, ==, "false refused");
}

static void
test_cancel_cancels_the_operation (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *got = NULL;

  run (f, "GOT = 'unset'\n"
          "H = smelt.spawn(function() GOT = test_park() end)");
  settle (f);
  g_assert_false (g_cancellable_is_cancelled (f->op->cancellable));
  run (f, "H:cancel()");
  settle (f);
  g_assert_true (g_cancellable_is_cancelled (f->op->cancellable));
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  g_assert_false (smelt_pending_op_is_live (f->op));
  /* the late completion finds it dead and touches nothing */
  g_assert_false (smelt_pending_op_complete (f->op, push_answer, (gpointer) "late", FALSE));
  settle (f);
  got = global_string (f, "GOT");
  g_assert_cmpstr (got, ==, "unset");
}

static void
test_resolved_by_someone_else (Fixture       *f,
                               gconstpointer  data)
{
  lua_State *L = smelt_host_get_lua (f->host);
  g_autofree char *got = NULL;

  run (f, "GOT = 'unset'; smelt.spawn(function() GOT = test_park() end)");
  settle (f);
  lua_pushinteger (L, (lua_Integer) f->op->id);
  lua_setglobal (L, "ID");
  /* Lua may resume an id C handed out: the op is no longer live after */
  run (f, "smelt.task.resume(ID, 'from Lua')");
  settle (f);
  got = global_string (f, "GOT");
  g_assert_cmpstr (got, ==, "from Lua");
  g_assert_false (smelt_pending_op_is_live (f->op));
  g_assert_false (smelt_pending_op_complete (f->op, push_answer, (gpointer) "late", FALSE));
  g_assert_false (g_cancellable_is_cancelled (f->op->cancellable));
}

static void
test_closing_host_cancels (Fixture       *f,
                           gconstpointer  data)
{
  run (f, "smelt.spawn(function() test_park() end)");
  settle (f);
  g_clear_object (&f->host);
  g_assert_true (g_cancellable_is_cancelled (f->op->cancellable));
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  g_assert_false (smelt_pending_op_is_live (f->op));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/pending-op/complete-delivers-once", test_complete_delivers_once);
  ADD ("/pending-op/raising-push-reaches-the-task", test_raising_push_reaches_the_task);
  ADD ("/pending-op/error-value-is-raised", test_error_value_is_raised);
  ADD ("/pending-op/cancel-cancels-the-operation", test_cancel_cancels_the_operation);
  ADD ("/pending-op/resolved-by-someone-else", test_resolved_by_someone_else);
  ADD ("/pending-op/closing-host-cancels", test_closing_host_cancels);
#undef ADD
  return g_test_run ();
}
