/* test-scheduler.c: the scheduler seen from C: resumes, cancellation, signals, the loop's health
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <lauxlib.h>

#include "smelt-host-private.h"

typedef struct
{
  SmeltHost *host;
  GPtrArray *errors;      /* tracebacks from task-error */
  GPtrArray *names;
  guint      n_idle;
  guint      n_discarded;
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
  g_ptr_array_add (f->names, g_strdup (name));
}

static void
on_idle (SmeltHost *host,
         Fixture   *f)
{
  f->n_idle++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->host = smelt_host_new (NULL);
  f->errors = g_ptr_array_new_with_free_func (g_free);
  f->names = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->host, "task-error", G_CALLBACK (on_task_error), f);
  g_signal_connect (f->host, "idle", G_CALLBACK (on_idle), f);
  smelt_host_load_runtime (f->host, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->host);
  g_ptr_array_unref (f->errors);
  g_ptr_array_unref (f->names);
}

static void
run (Fixture    *f,
     const char *code)
{
  g_autoptr(GError) error = NULL;

  smelt_host_run_string (f->host, code, "=spec", &error);
  g_assert_no_error (error);
}

/* Iterates the loop until the host has no live task; a hang fails the test
 * through meson's timeout. */
static void
run_until_idle (Fixture *f)
{
  while (smelt_host_get_n_tasks (f->host) > 0)
    g_main_context_iteration (NULL, TRUE);
  /* let the idle notification out */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static lua_Integer
global_int (Fixture    *f,
            const char *name)
{
  lua_State *L = smelt_host_get_lua (f->host);
  lua_Integer v;

  lua_getglobal (L, name);
  v = lua_tointeger (L, -1);
  lua_pop (L, 1);
  return v;
}

static char *
global_string (Fixture    *f,
               const char *name)
{
  lua_State *L = smelt_host_get_lua (f->host);
  char *v;

  lua_getglobal (L, name);
  v = g_strdup (lua_tostring (L, -1));
  lua_pop (L, 1);
  return v;
}

static void
test_virtual_time (Fixture       *f,
                   gconstpointer  data)
{
  SmeltScheduler *sched = smelt_host_get_scheduler (f->host);
  gint64 real0 = g_get_monotonic_time ();
  gint64 virt0;
  g_autofree char *order = NULL;

  smelt_host_set_virtual_time (f->host, TRUE);
  virt0 = smelt_scheduler_now (sched);
  run (f, "ORDER = ''\n"
          "local a = smelt.spawn(function() smelt.sleep(60000); ORDER = ORDER .. 'b' end)\n"
          "local b = smelt.spawn(function() smelt.sleep(1000); ORDER = ORDER .. 'a' end)\n"
          "local c = smelt.spawn(function() smelt.sleep(3600000); ORDER = ORDER .. 'c' end)\n");
  run_until_idle (f);
  order = global_string (f, "ORDER");
  g_assert_cmpstr (order, ==, "abc");
  /* An hour passed on the virtual clock ... */
  g_assert_cmpint (smelt_scheduler_now (sched) - virt0, >=, G_GINT64_CONSTANT (3600000000));
  /* ... and far less than that in real time (a bound that only catches a
   * clock that did not jump). */
  g_assert_cmpint (g_get_monotonic_time () - real0, <, G_GINT64_CONSTANT (600000000));
}

static gboolean
resolve_later_cb (gpointer data)
{
  Fixture *f = data;
  SmeltScheduler *sched = smelt_host_get_scheduler (f->host);
  lua_State *L = smelt_host_get_lua (f->host);

  lua_pushstring (L, "from C");
  g_assert_true (smelt_scheduler_resolve (sched, L, (guint64) global_int (f, "ID"), FALSE));
  /* a second resume of the same id is ignored */
  lua_pushstring (L, "again");
  g_assert_false (smelt_scheduler_resolve (sched, L, (guint64) global_int (f, "ID"), FALSE));
  /* and so is one for an id never allocated */
  lua_pushnil (L);
  g_assert_false (smelt_scheduler_resolve (sched, L, 999999, FALSE));
  g_assert_cmpint (lua_gettop (L), ==, 0);
  return G_SOURCE_REMOVE;
}

static void
test_resume_from_c (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *got = NULL;
  lua_State *L = smelt_host_get_lua (f->host);

  lua_pushinteger (L, (lua_Integer) smelt_host_alloc (f->host));
  lua_setglobal (L, "ID");
  run (f, "GOT = smelt.task.wait(ID)");
  g_timeout_add (10, resolve_later_cb, f);
  run_until_idle (f);
  got = global_string (f, "GOT");
  g_assert_cmpstr (got, ==, "from C");
}

static void
test_resume_is_not_reentrant (Fixture       *f,
                              gconstpointer  data)
{
  run (f, "local id = smelt.task.alloc()\n"
          "AFTER = 0\n"
          "local w = smelt.spawn(function() smelt.task.wait(id); SEEN = AFTER end)\n"
          "smelt.sleep(0)\n"      /* w is parked now */
          "smelt.task.resume(id, 1)\n"
          "AFTER = 1\n");
  run_until_idle (f);
  /* The waiter ran after the resumer had gone on, not inside resume(). */
  g_assert_cmpint (global_int (f, "SEEN"), ==, 1);
}

static void
on_release (gpointer data,
            guint64  id,
            gboolean discarded)
{
  Fixture *f = data;

  if (discarded)
    f->n_discarded++;
}

static gboolean
cancel_waiter_cb (gpointer data)
{
  Fixture *f = data;

  g_assert_true (smelt_host_cancel_task (f->host, (guint64) global_int (f, "TASK")));
  return G_SOURCE_REMOVE;
}

static void
test_cancel_discards_the_id (Fixture       *f,
                             gconstpointer  data)
{
  SmeltScheduler *sched = smelt_host_get_scheduler (f->host);
  lua_State *L = smelt_host_get_lua (f->host);
  guint64 id = smelt_scheduler_alloc_id (sched);
  g_autofree char *err = NULL;

  smelt_scheduler_set_release (sched, id, on_release, f);
  lua_pushinteger (L, (lua_Integer) id);
  lua_setglobal (L, "ID");
  run (f, "local h = smelt.spawn(function() local ok, e = pcall(smelt.task.wait, ID); ERR = e end)\n"
          "TASK = h.id\n");
  g_timeout_add (5, cancel_waiter_cb, f);
  run_until_idle (f);

  err = global_string (f, "ERR");
  g_assert_cmpstr (err, ==, "cancelled");
  g_assert_cmpuint (f->n_discarded, ==, 1);
  /* A late resolution finds nothing and is ignored. */
  lua_pushinteger (L, 1);
  g_assert_false (smelt_scheduler_resolve (sched, L, id, FALSE));
  g_assert_cmpuint (f->n_discarded, ==, 1);
  g_assert_cmpuint (f->errors->len, ==, 0);
}

static void
test_park_outside_a_task (Fixture       *f,
                          gconstpointer  data)
{
  lua_State *L = smelt_host_get_lua (f->host);
  const char *fns[] = { "smelt.sleep(1)", "smelt.task.wait(smelt.task.alloc())",
                        "smelt.task.external(function() end)",
                        "smelt.task.all(function() end)", "smelt.task.race(function() end)",
                        "smelt.task.timeout(1, function() end)" };

  for (guint i = 0; i < G_N_ELEMENTS (fns); i++)
    {
      g_assert_cmpint (luaL_loadstring (L, fns[i]), ==, LUA_OK);
      g_assert_cmpint (lua_pcall (L, 0, 0, 0), !=, LUA_OK);
      g_assert_nonnull (strstr (lua_tostring (L, -1), "must be called from inside a task (smelt.spawn)"));
      lua_pop (L, 1);
    }
}

static gboolean
count_cb (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
stop_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_loop_is_not_starved (Fixture       *f,
                          gconstpointer  data)
{
  guint n_timeouts = 0, n_idles = 0;
  gboolean stop = FALSE;
  guint t, i, s;

  /* Two tasks hand a value back and forth flat out, for ever. */
  run (f, "local slot = {}\n"
          "local function player(me, other)\n"
          "  return function()\n"
          "    while true do\n"
          "      local id = smelt.task.alloc(); slot[me] = id\n"
          "      local peer = slot[other]\n"
          "      if peer then slot[other] = nil; smelt.task.resume(peer, 1) end\n"
          "      smelt.task.wait(id)\n"
          "    end\n"
          "  end\n"
          "end\n"
          "A = smelt.spawn(player('a', 'b'))\n"
          "B = smelt.spawn(player('b', 'a'))\n");

  t = g_timeout_add (5, count_cb, &n_timeouts);
  i = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, count_cb, &n_idles, NULL);
  /* until both came round 5 times; the 20 s only catches a starved loop
   * (a loaded machine gives 300 ms just 3 idles: no timing is asserted) */
  s = g_timeout_add (20000, stop_cb, &stop);
  while (!stop && (n_timeouts < 5 || n_idles < 5))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (t);
  g_source_remove (i);
  if (!stop)
    g_source_remove (s);

  /* Liveness, not speed: a timeout every 5 ms and a lower-priority idle
   * both kept running while the tasks never stopped. */
  g_assert_cmpuint (n_timeouts, >=, 5);
  g_assert_cmpuint (n_idles, >=, 5);
  /* the chunk has ended; A and B still run */
  g_assert_cmpuint (smelt_host_get_n_tasks (f->host), ==, 2);
}

/* an idle's record of how many steps the slow task had taken each time
 * the loop came round to it */
static gboolean
record_steps_cb (gpointer data)
{
  Fixture *f = data;
  lua_State *L = smelt_host_get_lua (f->host);
  GArray *seen = g_object_get_data (G_OBJECT (f->host), "seen");
  int steps;

  lua_getglobal (L, "STEPS");
  steps = (int) lua_tointeger (L, -1);
  lua_pop (L, 1);
  g_array_append_val (seen, steps);
  return G_SOURCE_CONTINUE;
}

static void
test_slow_steps_give_way (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (int));
  gboolean stop = FALSE;
  guint i, most = 0;

  /* A plugin's loop: 10 ms of work (over twice the 4 ms slice), then
   * sleep(0), for ever. */
  run (f, "STEPS = 0\n"
          "smelt.spawn(function()\n"
          "  while true do\n"
          "    local t = os.clock(); while os.clock() - t < 0.010 do end\n"
          "    STEPS = STEPS + 1\n"
          "    smelt.sleep(0)\n"
          "  end\n"
          "end)\n");
  g_object_set_data (G_OBJECT (f->host), "seen", seen);
  i = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, record_steps_cb, f, NULL);
  g_timeout_add (300, stop_cb, &stop);
  while (!stop)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (i);

  /* Each step outlasts the slice, so each ends a dispatch and the loop
   * comes round (its idles run) before the next: never 16 steps in one go. */
  g_assert_cmpuint (seen->len, >=, 2);
  for (guint k = 1; k < seen->len; k++)
    most = MAX (most, (guint) (g_array_index (seen, int, k) - g_array_index (seen, int, k - 1)));
  g_assert_cmpuint (most, <=, 2);
}

static void
test_task_error_signal (Fixture       *f,
                        gconstpointer  data)
{
  run (f, "smelt.spawn(function()\n"
          "  error('boom')\n"
          "end)\n"
          "local h = smelt.spawn(function() error('caught by a waiter') end)\n"
          "pcall(h.wait, h)\n"
          "local c = smelt.spawn(function() smelt.sleep(100) end)\n"
          "c:cancel()\n");
  run_until_idle (f);
  /* Only the error nobody waited for is reported; cancellation is not an error. */
  g_assert_cmpuint (f->errors->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (f->errors, 0), "spec:2: boom"));
  g_assert_nonnull (strstr (g_ptr_array_index (f->errors, 0), "stack traceback:"));
  g_assert_cmpstr (g_ptr_array_index (f->names, 0), ==, "spec:1");
  g_assert_cmpuint (f->n_idle, >=, 1);
}

/* The one description of an error value every report uses: the value and
 * the stack are left as they were (a number stays a number). */
static void
test_describe_error (Fixture       *f,
                     gconstpointer  data)
{
  static const struct { const char *code; const char *want; } cases[] = {
    { "return 'plain'", "plain" },
    { "return 7", "7" },
    { "return 2.5", "2.5" },
    { "return nil", "(error object is nil)" },
    { "return true", "true" },
    { "return { code = 42 }", "{ code = 42 }" },
    { "return { 'a', b = { c = { d = 1 } }, ['x y'] = '\\n' }", "{ \"a\", [\"x y\"] = \"\\n\", b = { c = {...} } }" },
    { "return setmetatable({}, { __tostring = function() return 'E!' end })", "E!" },
    { "return setmetatable({ n = 1 }, { __tostring = function() error('no') end })", "{ n = 1 }" },
    { "return setmetatable({}, { __name = 'MyError' })", "MyError {}" },
  };
  lua_State *L = smelt_host_get_lua (f->host);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = NULL;
      int top = lua_gettop (L);
      int type;

      if (luaL_dostring (L, cases[i].code) != LUA_OK)
        g_error ("%s: %s", cases[i].code, lua_tostring (L, -1));
      type = lua_type (L, -1);
      lua_pushinteger (L, 99);                 /* not the top: a negative index */
      got = smelt_lua_describe_error (L, -2);
      g_assert_cmpstr (got, ==, cases[i].want);
      g_assert_cmpint (lua_gettop (L), ==, top + 2);
      g_assert_cmpint (lua_type (L, -2), ==, type);
      lua_settop (L, top);
    }
}

static void
test_number_error_reported_once (Fixture       *f,
                                 gconstpointer  data)
{
  run (f, "smelt.spawn(function() error(7) end)\n");
  run_until_idle (f);
  g_assert_cmpuint (f->errors->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->errors, 0), "7\nstack traceback:"));
}

/* The error whose only waiter a <close> handler cancels is reported, with
 * the traceback taken while the failing task's stack was intact. */
static void
test_error_of_a_cancelled_waiter_has_its_traceback (Fixture       *f,
                                                    gconstpointer  data)
{
  const char *tb;

  run (f, "local function inner() smelt.sleep(1); error('deep') end\n"
          "local waiter\n"
          "local failing = smelt.spawn(function()\n"
          "  local c <close> = setmetatable({}, { __close = function() waiter:cancel() end })\n"
          "  inner()\n"
          "end)\n"
          "waiter = smelt.spawn(function() return failing:wait() end)\n");
  run_until_idle (f);
  g_assert_cmpuint (f->errors->len, ==, 1);
  tb = g_ptr_array_index (f->errors, 0);
  g_assert_true (g_str_has_prefix (tb, "spec:1: deep\nstack traceback:\n"));
  g_assert_nonnull (strstr (tb, "\n\t[C]: in function 'error'\n\tspec:1: in upvalue 'inner'\n\tspec:5: in function <spec:3>"));
}

static void
test_memory_limit (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *err = NULL;

  smelt_host_set_memory_limit (f->host, 64 << 20);
  run (f, "local t = {}\n"
          "local ok, e = pcall(function() while true do t[#t + 1] = ('x'):rep(1 << 20) .. #t end end)\n"
          "t = nil; collectgarbage()\n"
          "ERR = e\n"
          "SURVIVED = 1\n");
  run_until_idle (f);
  err = global_string (f, "ERR");
  g_assert_cmpstr (err, ==, "not enough memory");
  g_assert_cmpint (global_int (f, "SURVIVED"), ==, 1);
  g_assert_cmpuint (smelt_host_get_memory_used (f->host), <, 64 << 20);
}

static void
test_memory_limit_uncaught (Fixture       *f,
                            gconstpointer  data)
{
  /* The task keeps what it allocated, so the heap is still at the cap when
   * the host reports the error: the report must not take the host down. */
  smelt_host_set_memory_limit (f->host, 32 << 20);
  run (f, "HOARD = {}\n"
          "smelt.spawn(function()\n"
          "  local n = 0\n"
          "  for _, size in ipairs({ 1 << 16, 1 << 10, 64, 1 }) do\n"
          "    pcall(function() while true do n = n + 1; HOARD[n] = ('y'):rep(size) .. n end end)\n"
          "  end\n"
          "  while true do n = n + 1; HOARD[n] = {} end\n"
          "end)\n");
  run_until_idle (f);
  g_assert_cmpuint (f->errors->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (f->errors, 0), "not enough memory"));
  run (f, "HOARD = nil; collectgarbage(); SURVIVED = 2");
  run_until_idle (f);
  g_assert_cmpint (global_int (f, "SURVIVED"), ==, 2);
}

static void
test_dispose_with_parked_tasks (Fixture       *f,
                                gconstpointer  data)
{
  /* Parked, ready, joined and never-started tasks, handles kept in globals,
   * a pending id: disposing the host frees all of it (ASan checks). */
  run (f, "HOLD = {}\n"
          "for i = 1, 10 do HOLD[i] = smelt.spawn(function() smelt.sleep(1e9) end) end\n"
          "HOLD.joiner = smelt.spawn(function() HOLD[1]:wait() end)\n"
          "HOLD.child = smelt.spawn(function() smelt.spawn(function() smelt.task.wait(smelt.task.alloc()) end); smelt.sleep(1e9) end)\n"
          "smelt.task.resume(smelt.task.alloc(), {})\n"
          "smelt.sleep(0)\n"
          "HOLD.never = smelt.spawn(function() end)\n");
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (smelt_host_get_n_tasks (f->host), >, 10);
}

static void
test_dispose_with_queue_waiters (Fixture       *f,
                                 gconstpointer  data)
{
  /* Tasks in a queue's wait lists (getters; putters with their items on
   * their stacks) and getters woken with an item promised that have not
   * run: disposing the host frees all of it, whatever lua_close()
   * collects first, the queue or the tasks (ASan checks). */
  run (f, "Q, FULL = smelt.task.queue(), smelt.task.queue(1)\n"
          "FULL:put({ 'in' })\n"
          "for i = 1, 3 do smelt.spawn(function() Q:get() end) end\n"
          "for i = 1, 3 do smelt.spawn(function() FULL:put({ i }) end) end\n");
  for (guint i = 0; i < 3; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (smelt_host_get_n_tasks (f->host), ==, 6);
  run (f, "Q:put({ 'a' }); Q:put({ 'b' })");   /* two getters woken, not run */
  g_assert_cmpuint (f->errors->len, ==, 0);
}

/* Spawns a root task of the Lua function `code` returns, from C. */
static SmeltTask *
spawn_from_c (Fixture    *f,
              const char *code)
{
  lua_State *L = smelt_host_get_lua (f->host);

  g_assert_cmpint (luaL_loadstring (L, code), ==, LUA_OK);
  g_assert_cmpint (lua_pcall (L, 0, 1, 0), ==, LUA_OK);
  return smelt_task_ref (smelt_scheduler_spawn (smelt_host_get_scheduler (f->host), L, 0, NULL));
}

/* A key press runs its map's handler at once, up to its first park, to
 * learn whether it took the key; the tasks ready before it run as before. */
static void
test_run_now (Fixture       *f,
              gconstpointer  data)
{
  SmeltScheduler *sched = smelt_host_get_scheduler (f->host);
  lua_State *L = smelt_host_get_lua (f->host);
  SmeltTask *a, *b, *c, *d;
  g_autofree char *order = NULL;

  a = spawn_from_c (f, "ORDER = ''; return function() ORDER = ORDER .. 'a' end");
  b = spawn_from_c (f, "return function() ORDER = ORDER .. 'b'; return false end");
  c = spawn_from_c (f, "return function() ORDER = ORDER .. 'c'; smelt.sleep(1); ORDER = ORDER .. 'C' end");
  d = spawn_from_c (f, "return function() ORDER = ORDER .. 'd' end");

  /* one from the middle of the ready queue: it ends there and then */
  g_assert_true (smelt_scheduler_run_now (sched, b));
  g_assert_cmpint (b->state, ==, SMELT_TASK_DONE);
  lua_rawgeti (L, LUA_REGISTRYINDEX, b->result_ref);
  g_assert_true (lua_isboolean (L, -1) && !lua_toboolean (L, -1));
  lua_pop (L, 1);
  /* one from its tail that parks: it is live, parked */
  g_assert_true (smelt_scheduler_run_now (sched, d));
  g_assert_false (smelt_scheduler_run_now (sched, c));
  g_assert_cmpint (c->state, ==, SMELT_TASK_PARKED);
  order = global_string (f, "ORDER");
  g_assert_cmpstr (order, ==, "bdc");
  g_clear_pointer (&order, g_free);

  run_until_idle (f);
  order = global_string (f, "ORDER");
  g_assert_cmpstr (order, ==, "bdcaC");
  g_assert_cmpuint (f->errors->len, ==, 0);
  smelt_task_unref (a);
  smelt_task_unref (b);
  smelt_task_unref (c);
  smelt_task_unref (d);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/scheduler/virtual-time", test_virtual_time);
  ADD ("/scheduler/resume-from-c", test_resume_from_c);
  ADD ("/scheduler/resume-is-not-reentrant", test_resume_is_not_reentrant);
  ADD ("/scheduler/cancel-discards-the-id", test_cancel_discards_the_id);
  ADD ("/scheduler/park-outside-a-task", test_park_outside_a_task);
  ADD ("/scheduler/loop-is-not-starved", test_loop_is_not_starved);
  ADD ("/scheduler/slow-steps-give-way", test_slow_steps_give_way);
  ADD ("/scheduler/task-error-signal", test_task_error_signal);
  ADD ("/scheduler/describe-error", test_describe_error);
  ADD ("/scheduler/number-error-reported-once", test_number_error_reported_once);
  ADD ("/scheduler/error-of-a-cancelled-waiter-has-its-traceback",
       test_error_of_a_cancelled_waiter_has_its_traceback);
  ADD ("/scheduler/memory-limit", test_memory_limit);
  ADD ("/scheduler/memory-limit-uncaught", test_memory_limit_uncaught);
  ADD ("/scheduler/dispose-with-parked-tasks", test_dispose_with_parked_tasks);
  ADD ("/scheduler/dispose-with-queue-waiters", test_dispose_with_queue_waiters);
  ADD ("/scheduler/run-now", test_run_now);
#undef ADD

  return g_test_run ();
}
