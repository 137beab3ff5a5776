/* test-cli.c: smelt --no-ui as a user runs it: exit statuses, stderr, options, arg
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>

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

/* Without a display, `smelt FILE` says so and points at --no-ui (not just
 * GTK's "cannot open display"). */
static void
test_no_display (void)
{
  g_auto(GStrv) env = g_get_environ ();
  const char *argv[] = { g_getenv ("SMELT_EXE"), "some-file.txt", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  env = g_environ_setenv (env, "LANGUAGE", "C", TRUE);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
  g_assert_nonnull (strstr (err, "smelt: cannot open a display"));
  g_assert_nonnull (strstr (err, "--no-ui"));
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
test_uncaught_table_error_in_main_chunk (void)
{
  Run r = { 0 };

  run_script (&r, "error({ code = 42, why = 'full' })\n", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "{ code = 42, why = \"full\" }"));
  g_assert_nonnull (strstr (r.err, "stack traceback:"));
  run_clear (&r);
}

/* A task spawned while a cancelled task unwinds is cancelled too: one that
 * parks on an id nobody resumes does not keep smelt alive (before, this
 * hung until the test's timeout). */
static void
test_cancel_reaches_a_task_spawned_while_unwinding (void)
{
  Run r = { 0 };

  run_script (&r, "local h = smelt.spawn(function()\n"
                  "  local c <close> = setmetatable({}, { __close = function()\n"
                  "    smelt.spawn(function() smelt.task.wait(smelt.task.alloc()) end)\n"
                  "  end })\n"
                  "  smelt.sleep(1000)\n"
                  "end)\n"
                  "smelt.sleep(1)\n"
                  "h:cancel()\n"
                  "print('cancelled')\n", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "cancelled\n");
  run_clear (&r);
}

static void
test_uncaught_error_in_a_task (void)
{
  Run r = { 0 };

  run_script (&r, "smelt.spawn(function()\n  smelt.sleep(5)\n  error({ code = 1 })\nend)\n"
                  "smelt.spawn(function() smelt.sleep(50); print('others go on') end)\n", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "{ code = 1 }"));
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
test_help_in_german (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { g_getenv ("SMELT_EXE"), "--help", NULL };
  g_auto(GStrv) env = g_get_environ ();
  int status = 0;

  env = g_environ_setenv (env, "LANGUAGE", "de", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "Ohne Fenster laufen"));
  g_assert_nonnull (strstr (out, "Ein GTK-Texteditor, erweitert durch Lua-Plugins."));
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

/* ---------------------------------------------------------------- startup */

static char *xdg;   /* a fresh XDG tree per test */

static void
put (const char *rel,
     const char *text)
{
  g_autofree char *path = g_build_filename (xdg, rel, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
xdg_setup (void)
{
  g_autofree char *config = NULL, *data = NULL, *dirs = NULL;

  xdg = g_build_filename (tmpdir, "xdg-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (xdg));
  config = g_build_filename (xdg, "config", NULL);
  data = g_build_filename (xdg, "data", NULL);
  dirs = g_strdup_printf ("%s/sys1:%s/sys2", xdg, xdg);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_DATA_DIRS", dirs, TRUE);
}

static void
xdg_teardown (void)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", xdg);

  g_assert_cmpint (system (cmd), ==, 0);
  g_clear_pointer (&xdg, g_free);
  g_unsetenv ("XDG_CONFIG_HOME");
  g_unsetenv ("XDG_DATA_HOME");
  g_unsetenv ("XDG_DATA_DIRS");
}

#define LOG_LINE(tag) "io.stdout:write('" tag "\\n')\n"

static void
test_startup_order (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "-e", "", NULL };

  xdg_setup ();
  put ("config/smelt/init.lua", LOG_LINE ("init") "smelt.on('ready', function() io.stdout:write('ready\\n') end)\n");
  put ("config/smelt/plugin/b.lua", LOG_LINE ("config/b"));
  put ("config/smelt/plugin/a.lua", LOG_LINE ("config/a"));
  put ("config/smelt/plugin/B.lua", LOG_LINE ("config/B"));
  put ("config/smelt/plugin/notes.txt", LOG_LINE ("never"));
  put ("data/smelt/site/plugin/x.lua", LOG_LINE ("site/x"));
  put ("sys1/smelt/site/plugin/y.lua", LOG_LINE ("sys1/y"));
  put ("sys2/smelt/site/plugin/z.lua", LOG_LINE ("sys2/z"));
  run_smelt (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  /* init, then entries in order, files in byte order within one, then ready */
  g_assert_cmpstr (r.out, ==, "init\nconfig/B\nconfig/a\nconfig/b\nsite/x\nsys1/y\nsys2/z\nready\n");
  g_assert_cmpstr (r.err, ==, "");
  run_clear (&r);
  xdg_teardown ();
}

static void
test_clean_and_init_file (void)
{
  Run r = { 0 };
  g_autofree char *other = NULL;

  xdg_setup ();
  put ("config/smelt/init.lua", LOG_LINE ("user init"));
  put ("config/smelt/plugin/p.lua", LOG_LINE ("user plugin"));
  put ("data/smelt/site/plugin/s.lua", LOG_LINE ("user site"));
  put ("sys1/smelt/site/plugin/y.lua", LOG_LINE ("system site"));
  put ("other.lua", LOG_LINE ("other init"));
  other = g_build_filename (xdg, "other.lua", NULL);
  {
    const char *args[] = { "--no-ui", "--clean", "-e", "", NULL };

    run_smelt (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "system site\n");
    run_clear (&r);
  }
  {
    const char *args[] = { "--no-ui", "-u", other, "-e", "", NULL };

    run_smelt (&r, args);
    g_assert_cmpstr (r.out, ==, "other init\nuser plugin\nuser site\nsystem site\n");
    run_clear (&r);
  }
  {
    const char *args[] = { "--no-ui", "-u", "NONE", "-e", "", NULL };

    run_smelt (&r, args);
    g_assert_cmpstr (r.out, ==, "user plugin\nuser site\nsystem site\n");
    run_clear (&r);
  }
  xdg_teardown ();
}

static void
test_no_config_is_quiet (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "-e", "print('ok')", NULL };

  xdg_setup ();
  run_smelt (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "ok\n");
  g_assert_cmpstr (r.err, ==, "");
  run_clear (&r);
  xdg_teardown ();
}

static void
test_failing_plugin_is_isolated (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "-e", "print(LOADED_A, LOADED_C)", NULL };

  xdg_setup ();
  put ("config/smelt/plugin/a.lua", "LOADED_A = true\n");
  put ("config/smelt/plugin/b.lua", "local t = nil\nreturn t.field\n");
  put ("config/smelt/plugin/c.lua", "LOADED_C = true\n");
  run_smelt (&r, args);
  g_assert_cmpstr (r.out, ==, "true\ttrue\n");
  /* reported once, with file, line and traceback */
  g_assert_nonnull (strstr (r.err, "plugin/b.lua:2: attempt to index a nil value"));
  g_assert_nonnull (strstr (r.err, "stack traceback:"));
  g_assert_null (strstr (strstr (r.err, "plugin/b.lua:2: attempt") + 1, "smelt: error in"));
  g_assert_cmpint (r.status, ==, 1);
  run_clear (&r);
  xdg_teardown ();
}

static void
test_commands_from_the_command_line (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "-c", "Hello big  world", "-c", "Lua print('second')", NULL };
  const char *bad[] = { "--no-ui", "-c", "Nope", NULL };

  xdg_setup ();
  put ("config/smelt/init.lua",
       "smelt.cmd.create('Hello', function(c) smelt.sleep(20); print('hello', c.args, #c.fargs) end, { nargs = '*' })\n");
  run_smelt (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  /* both run as tasks; Hello sleeps, so the Lua command prints first; smelt
   * exits when both are done */
  g_assert_cmpstr (r.out, ==, "second\nhello\tbig  world\t2\n");
  run_clear (&r);

  run_smelt (&r, bad);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "not a command: Nope"));
  run_clear (&r);
  xdg_teardown ();
}

static void
test_health (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "--health", NULL };

  xdg_setup ();
  put ("config/smelt/plugin/good.lua", "-- fine\n");
  put ("config/smelt/plugin/bad.lua", "error('bad plugin')\n");
  run_smelt (&r, args);
  g_assert_nonnull (strstr (r.out, "smelt " PACKAGE_VERSION));
  g_assert_nonnull (strstr (r.out, "Lua 5.4"));
  g_assert_nonnull (strstr (r.out, "GLib 2."));
  g_assert_nonnull (strstr (r.out, "runtime path:"));
  /* meson test runs it as meson devenv would: the runtime named, and why */
  g_assert_nonnull (strstr (r.out, "\nruntime: "));
  g_assert_nonnull (strstr (r.out, "/lua (from $SMELT_RUNTIME_DIR)\n"));
  g_assert_nonnull (strstr (r.out, "/smelt-gui.so (from $SMELT_GUI_MODULE_DIR)\n"));
  g_assert_nonnull (strstr (r.out, "/config/smelt"));
  g_assert_nonnull (strstr (r.out, "plugin/good.lua"));
  g_assert_nonnull (strstr (r.out, " ms  OK"));
  g_assert_nonnull (strstr (r.out, "ERROR: "));
  g_assert_nonnull (strstr (r.out, "bad plugin"));
  g_assert_nonnull (strstr (r.out, "tasks:"));
  run_clear (&r);
  xdg_teardown ();
}

static void
test_watchdog_everywhere (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "--watchdog-ms", "200", "-c", "Spin", NULL };

  xdg_setup ();
  put ("config/smelt/plugin/spin.lua", "local n = 0\nwhile true do n = n + 1 end\n");
  put ("config/smelt/plugin/zz.lua", "LOADED = true\n");
  put ("config/smelt/init.lua",
       "smelt.cmd.create('Spin', function() while true do end end)\n"
       "smelt.timer.set(5, function() while true do end end)\n"
       "smelt.on('ready', function() smelt.sleep(1500); print('alive', LOADED) end)\n");
  run_smelt (&r, args);
  g_assert_nonnull (strstr (r.err, "smelt: plugin code ran 200 ms without yielding ("));
  g_assert_nonnull (strstr (r.err, "plugin/spin.lua:2)"));                  /* a plugin file */
  g_assert_nonnull (strstr (r.err, "error in timer callback ("));           /* a timer */
  g_assert_nonnull (strstr (r.err, "init.lua:2)"));
  g_assert_nonnull (strstr (r.err, "init.lua:1)"));                        /* a command handler */
  g_assert_cmpstr (r.out, ==, "alive\ttrue\n");                           /* the rest went on */
  g_assert_cmpint (r.status, ==, 1);
  run_clear (&r);
  xdg_teardown ();
}

/* A plugin's own coroutine (coroutine.wrap, coroutine.resume) spinning
 * inside a task or an event handler is interrupted too, and the generators
 * still behave as Lua's own. */
static void
test_watchdog_nested_coroutines (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "--watchdog-ms", "200", "-e",
                         "smelt.spawn(function()\n"
                         "  print(pcall(coroutine.wrap(function() while true do end end)))\n"
                         "end):wait()\n"
                         "smelt.on('spin', function()\n"
                         "  local co = coroutine.create(function() while true do end end)\n"
                         "  print(coroutine.resume(co))\n"
                         "end)\n"
                         "smelt.emit('spin')[1]:wait()\n"
                         "local gen = coroutine.wrap(function(a) coroutine.yield(a + 1) error('boom', 0) end)\n"
                         "print(gen(1), pcall(gen))\n", NULL };

  xdg_setup ();
  run_smelt (&r, args);
  g_assert_cmpstr (r.out, ==,
                   "false\tsmelt: plugin code ran 200 ms without yielding ((command line):2)\n"
                   "false\tsmelt: plugin code ran 200 ms without yielding ((command line):5)\n"
                   "2\tfalse\tboom\n");
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  xdg_teardown ();
}

/* Interrupted on the return of a long C function (string.rep), the error
 * names the Lua line that called it, not "[C]:-1". */
static void
test_watchdog_names_the_lua_line (void)
{
  Run r = { 0 };
  /* 1 s: startup itself must fit in the budget, also under ASan on a loaded
   * machine (100 ms did not, once); string.rep of 1e9 bytes takes 7 s here,
   * 21 s under ASan */
  const char *args[] = { "--no-ui", "--watchdog-ms", "1000", "-e",
                         "smelt.spawn(function()\n"
                         "  print(pcall(string.rep, 'x', 1e9))\n"
                         "end)\n", NULL };

  xdg_setup ();
  run_smelt (&r, args);
  if (r.status != 0)
    g_test_message ("stderr: %s", r.err);
  g_assert_cmpstr (r.out, ==, "false\tsmelt: plugin code ran 1000 ms without yielding ((command line):2)\n");
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  xdg_teardown ();
}

static void
test_watchdog_off (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "--watchdog-ms", "0", "-e",
                         "local t = os.clock() while os.clock() - t < 0.4 do end print('finished')", NULL };

  xdg_setup ();
  run_smelt (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "finished\n");
  run_clear (&r);
  xdg_teardown ();
}

static void
test_lua_memory_cap (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "--lua-memory-mb", "64", "--watchdog-ms", "0", "-e",
                         "local t = {} local ok, e = pcall(function() while true do t[#t+1] = ('x'):rep(1 << 20) .. #t end end)"
                         " t = nil collectgarbage() print(e)"
                         " smelt.spawn(function() local h = {} while true do h[#h+1] = {} end end)"
                         " smelt.sleep(1) collectgarbage() print('survived')", NULL };

  xdg_setup ();
  run_smelt (&r, args);
  g_assert_cmpstr (r.out, ==, "not enough memory\nsurvived\n");
  g_assert_nonnull (strstr (r.err, "not enough memory"));
  g_assert_cmpint (r.status, ==, 1);
  run_clear (&r);
  xdg_teardown ();
}

static void
test_quit_pre (void)
{
  Run r = { 0 };
  const char *quit[] = { "--no-ui", "--virtual-time", "-e", "smelt.quit(4)", NULL };
  const char *natural[] = { "--no-ui", "--virtual-time", "-e", "print('main')", NULL };
  const char *stuck[] = { "--no-ui", "--virtual-time", "-e", "smelt.quit(0)", NULL };

  xdg_setup ();
  put ("config/smelt/init.lua",
       "smelt.on('quit-pre', function(d) smelt.sleep(100); print('saved state', d.code) end)\n");
  run_smelt (&r, quit);
  g_assert_cmpint (r.status, ==, 4);
  g_assert_cmpstr (r.out, ==, "saved state\t4\n");
  run_clear (&r);

  run_smelt (&r, natural);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "main\nsaved state\t0\n");
  run_clear (&r);

  /* a handler that never ends is bounded by the timeout */
  put ("config/smelt/init.lua", "smelt.on('quit-pre', function() smelt.sleep(1e9) end)\n");
  run_smelt (&r, stuck);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  xdg_teardown ();
}

static void
test_notify_prints_with_level (void)
{
  Run r = { 0 };
  const char *args[] = { "--no-ui", "-e", "smelt.notify('careful', 'warn') smelt.notify('done')", NULL };

  xdg_setup ();
  run_smelt (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "smelt: [warn] careful\nsmelt: [info] done\n");
  run_clear (&r);
  xdg_teardown ();
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
  g_test_add_func ("/cli/uncaught-table-error-in-main-chunk", test_uncaught_table_error_in_main_chunk);
  g_test_add_func ("/cli/cancel-reaches-a-task-spawned-while-unwinding",
                   test_cancel_reaches_a_task_spawned_while_unwinding);
  g_test_add_func ("/cli/uncaught-error-in-a-task", test_uncaught_error_in_a_task);
  g_test_add_func ("/cli/caught-errors-are-not-reported", test_caught_errors_are_not_reported);
  g_test_add_func ("/cli/syntax-error", test_syntax_error);
  g_test_add_func ("/cli/missing-script", test_missing_script);
  g_test_add_func ("/cli/bad-option", test_bad_option);
  g_test_add_func ("/cli/help-and-version", test_help_and_version);
  g_test_add_func ("/cli/execute", test_execute);
  g_test_add_func ("/cli/help-in-german", test_help_in_german);
  g_test_add_func ("/cli/arg-like-lua", test_arg_like_lua);
  g_test_add_func ("/cli/quit-code", test_quit_code);
  g_test_add_func ("/cli/virtual-time-runs-a-minute-at-once", test_virtual_time_runs_a_minute_at_once);
  g_test_add_func ("/startup/order", test_startup_order);
  g_test_add_func ("/startup/clean-and-init-file", test_clean_and_init_file);
  g_test_add_func ("/startup/no-config-is-quiet", test_no_config_is_quiet);
  g_test_add_func ("/startup/failing-plugin-is-isolated", test_failing_plugin_is_isolated);
  g_test_add_func ("/startup/commands-from-the-command-line", test_commands_from_the_command_line);
  g_test_add_func ("/startup/health", test_health);
  g_test_add_func ("/watchdog/everywhere", test_watchdog_everywhere);
  g_test_add_func ("/watchdog/nested-coroutines", test_watchdog_nested_coroutines);
  g_test_add_func ("/watchdog/names-the-lua-line", test_watchdog_names_the_lua_line);
  g_test_add_func ("/watchdog/off", test_watchdog_off);
  g_test_add_func ("/host/lua-memory-cap", test_lua_memory_cap);
  g_test_add_func ("/host/quit-pre", test_quit_pre);
  g_test_add_func ("/gui/no-display", test_no_display);
  g_test_add_func ("/host/notify-prints-with-level", test_notify_prints_with_level);

  ret = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmpdir);
    g_free (tmpdir);
  }
  return ret;
}
