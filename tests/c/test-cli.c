/* test-cli.c: smelt --no-ui as a user runs it: exit statuses, stderr, options, arg
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static char *tmpdir;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

static char *
write_script (const char *name,
              const char *code)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, code, -1, NULL));
  return path;
}

/* Runs smelt with argv (NULL-terminated, without the program). */
static void
run_smelt (Run         *r,
           const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SMELT_EXE"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

static void
run_script (Run        *r,
            const char *code,
            const char *extra)
{
  g_autofree char *path = write_script ("script.lua", code);
  const char *args[] = { "--no-ui", "--virtual-time", path, extra, NULL };

  run_smelt (r, args);
}

static void
test_clean_exit (void)
{
  Run r = { 0 };

  run_script (&r, "smelt.sleep(10)\nprint('done')\n", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "done\n");
  g_assert_cmpstr (r.err, ==, "");
  run_clear (&r);
}

static void
test_waits_for_spawned_tasks (void)
{
  Run r = { 0 };

  run_script (&r, "smelt.spawn(function()\n"
                  "  smelt.spawn(function() smelt.sleep(500); print('grandchild') end)\n"
                  "  smelt.sleep(100); print('child')\n"
                  "end)\n"
                  "print('main')\n", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "main\nchild\ngrandchild\n");
  run_clear (&r);
}

static void
test_uncaught_error_in_main_chunk (void)
{
  Run r = { 0 };

  run_script (&r, "local x = 1\nerror('boom')\n", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "script.lua:2: boom"));
  g_assert_nonnull (strstr (r.err, "stack traceback:"));
  run_clear (&r);
}

static void
test_uncaught_error_in_a_task (void)
{
  Run r = { 0 };

  run_script (&r, "smelt.spawn(function()\n  smelt.sleep(5)\n  error({ code = 1 })\nend)\n"
                  "smelt.spawn(function() smelt.sleep(50); print('others go on') end)\n", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "(error object is a table value)"));
  g_assert_nonnull (strstr (r.err, "script.lua:1"));
  g_assert_cmpstr (r.out, ==, "others go on\n");
  run_clear (&r);
}

static void
test_caught_errors_are_not_reported (void)
{
  Run r = { 0 };

  run_script (&r, "pcall(smelt.task.all, function() error('a') end, function() error('b') end)\n"
                  "pcall(smelt.task.race, function() error('c') end)\n"
                  "local h = smelt.spawn(function() error('d') end)\n"
                  "pcall(h.wait, h)\n"
                  "smelt.task.timeout(1, function() smelt.sleep(100) end)\n", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
}

static void
test_syntax_error (void)
{
  Run r = { 0 };

  run_script (&r, "local = 1\n", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "script.lua:1:"));
  run_clear (&r);
}

static void
test_missing_script (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "/nonexistent/script.lua", NULL };

  run_smelt (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "cannot open /nonexistent/script.lua"));
  run_clear (&r);
}

static void
test_bad_option (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "--bogus", NULL };

  run_smelt (&r, args);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--bogus"));
  run_clear (&r);
}

static void
test_help_and_version (void)
{
  Run r = { 0 };
  const char *help[] = { "--help", NULL };
  const char *version[] = { "--version", NULL };

  run_smelt (&r, help);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--no-ui"));
  g_assert_nonnull (strstr (r.out, "--virtual-time"));
  run_clear (&r);

  run_smelt (&r, version);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "smelt " PACKAGE_VERSION));
  g_assert_nonnull (strstr (r.out, "Lua 5.4"));
  run_clear (&r);
}

static void
test_execute (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "-e", "smelt.sleep(1); print('e1')", "-e", "print('e2')", NULL };

  run_smelt (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  /* both chunks are tasks: e2 prints while e1 sleeps */
  g_assert_cmpstr (r.out, ==, "e2\ne1\n");
  run_clear (&r);
}

static void
test_arg_like_lua (void)
{
  Run r = { 0 };
  g_autofree char *path = write_script ("args.lua",
    "print(arg[0]:match('args.lua$'), arg[1], arg[2], #arg, select('#', ...), ...)\n");
  const char *args[] = { "--no-ui", path, "one", "--two", NULL };

  run_smelt (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  /* options after the script belong to it */
  g_assert_cmpstr (r.out, ==, "args.lua\tone\t--two\t2\t2\tone\t--two\n");
  run_clear (&r);
}

static void
test_quit_code (void)
{
  Run r = { 0 };

  run_script (&r, "smelt.spawn(function() smelt.sleep(1000); print('never') end)\n"
                  "smelt.quit(3)\nprint('not reached')\n", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_cmpstr (r.out, ==, "");
  run_clear (&r);

  run_script (&r, "smelt.quit(256)\n", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "bad argument #1 to 'smelt.quit'"));
  run_clear (&r);
}

static void
test_virtual_time_runs_a_minute_at_once (void)
{
  Run r = { 0 };

  /* Order as in real time; meson's timeout catches a clock that does not jump. */
  run_script (&r, "local out = {}\n"
                  "local a = smelt.spawn(function() smelt.sleep(60000); out[#out+1] = 'b' end)\n"
                  "local b = smelt.spawn(function() smelt.sleep(59999); out[#out+1] = 'a' end)\n"
                  "a:wait(); b:wait(); print(table.concat(out))\n", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "ab\n");
  run_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("smelt-cli-XXXXXX", NULL);
  g_assert_nonnull (g_getenv ("SMELT_EXE"));

  g_test_add_func ("/cli/clean-exit", test_clean_exit);
  g_test_add_func ("/cli/waits-for-spawned-tasks", test_waits_for_spawned_tasks);
  g_test_add_func ("/cli/uncaught-error-in-main-chunk", test_uncaught_error_in_main_chunk);
  g_test_add_func ("/cli/uncaught-error-in-a-task", test_uncaught_error_in_a_task);
  g_test_add_func ("/cli/caught-errors-are-not-reported", test_caught_errors_are_not_reported);
  g_test_add_func ("/cli/syntax-error", test_syntax_error);
  g_test_add_func ("/cli/missing-script", test_missing_script);
  g_test_add_func ("/cli/bad-option", test_bad_option);
  g_test_add_func ("/cli/help-and-version", test_help_and_version);
  g_test_add_func ("/cli/execute", test_execute);
  g_test_add_func ("/cli/arg-like-lua", test_arg_like_lua);
  g_test_add_func ("/cli/quit-code", test_quit_code);
  g_test_add_func ("/cli/virtual-time-runs-a-minute-at-once", test_virtual_time_runs_a_minute_at_once);

  ret = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmpdir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return ret;
}
