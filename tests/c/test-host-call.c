/* test-host-call.c: smelt_host_call, the one gate from C into plugin Lua: results, reports with file:line, the watchdog
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <lauxlib.h>
#include <string.h>

#include "smelt-host-private.h"

typedef struct
{
  SmeltHost *host;
  lua_State *L;
  GPtrArray *reports;       /* "name: message" from task-error */
} Fixture;

static void
on_task_error (SmeltHost  *host,
               guint64     id,
               const char *name,
               const char *message,
               const char *traceback,
               Fixture    *f)
{
  g_ptr_array_add (f->reports, g_strdup_printf ("%s: %s", name, message));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->reports = g_ptr_array_new_with_free_func (g_free);
  f->host = smelt_host_new (NULL);
  smelt_host_set_watchdog_ms (f->host, 200);
  g_signal_connect (f->host, "task-error", G_CALLBACK (on_task_error), f);
  smelt_host_load_runtime (f->host, &error);
  g_assert_no_error (error);
  f->L = smelt_host_get_lua (f->host);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->host);
  g_ptr_array_unref (f->reports);
}

static void
push_chunk (Fixture    *f,
            const char *code)
{
  g_assert_cmpint (luaL_loadbufferx (f->L, code, strlen (code), "=gate.lua", "t"), ==, LUA_OK);
}

/* results are left on the stack, in place of the function */
static void
test_results (Fixture       *f,
              gconstpointer  data)
{
  int top = lua_gettop (f->L);

  push_chunk (f, "local a, b = ...\nreturn a + b, 'sum'");
  lua_pushinteger (f->L, 40);
  lua_pushinteger (f->L, 2);
  g_assert_true (smelt_host_call (f->host, 2, 2, "adder", SMELT_CALL_DEFAULT, NULL));
  g_assert_cmpint (lua_gettop (f->L), ==, top + 2);
  g_assert_cmpint (lua_tointeger (f->L, -2), ==, 42);
  g_assert_cmpstr (lua_tostring (f->L, -1), ==, "sum");
  lua_settop (f->L, top);
  g_assert_cmpuint (f->reports->len, ==, 0);
}

/* an error: reported once, naming the code and its file:line; no result */
static void
test_error_reported (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int top = lua_gettop (f->L);

  push_chunk (f, "local t = nil\nreturn t.field");
  g_assert_false (smelt_host_call (f->host, 0, 1, "renderer", SMELT_CALL_DEFAULT, &error));
  g_assert_cmpint (lua_gettop (f->L), ==, top);
  g_assert_error (error, SMELT_HOST_ERROR, SMELT_HOST_ERROR_RUN);
  g_assert_nonnull (strstr (error->message, "gate.lua:2: attempt to index"));
  g_assert_cmpuint (f->reports->len, ==, 1);
  g_assert_true (g_str_has_prefix (f->reports->pdata[0], "renderer: gate.lua:2: attempt to index"));
}

/* SMELT_CALL_QUIET: the error is returned, not reported */
static void
test_quiet (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  push_chunk (f, "error('nope')");
  g_assert_false (smelt_host_call (f->host, 0, 0, "quiet", SMELT_CALL_QUIET, &error));
  g_assert_cmpstr (error->message, ==, "gate.lua:1: nope");
  g_assert_cmpuint (f->reports->len, ==, 0);
}

/* called from C outside any task (as the window calls a statusline
 * renderer), a loop is interrupted after the budget, reported with its
 * line, and the host answers the next call */
static void
test_watchdog (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int top = lua_gettop (f->L);

  push_chunk (f, "local n = 0\nwhile true do n = n + 1 end");
  g_assert_false (smelt_host_call (f->host, 0, 1, "statusline", SMELT_CALL_DEFAULT, &error));
  g_assert_cmpint (lua_gettop (f->L), ==, top);
  g_assert_cmpstr (error->message, ==, "smelt: plugin code ran 200 ms without yielding (gate.lua:2)");
  g_assert_cmpuint (f->reports->len, ==, 1);
  g_assert_cmpstr (f->reports->pdata[0], ==,
                   "statusline: smelt: plugin code ran 200 ms without yielding (gate.lua:2)");

  push_chunk (f, "return 'alive'");
  g_assert_true (smelt_host_call (f->host, 0, 1, "after", SMELT_CALL_DEFAULT, NULL));
  g_assert_cmpstr (lua_tostring (f->L, -1), ==, "alive");
  lua_settop (f->L, top);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/host-call/results", Fixture, NULL, fixture_set_up, test_results, fixture_tear_down);
  g_test_add ("/host-call/error-reported", Fixture, NULL, fixture_set_up, test_error_reported, fixture_tear_down);
  g_test_add ("/host-call/quiet", Fixture, NULL, fixture_set_up, test_quiet, fixture_tear_down);
  g_test_add ("/host-call/watchdog", Fixture, NULL, fixture_set_up, test_watchdog, fixture_tear_down);
  return g_test_run ();
}
