/* smelt-application.c: the GtkApplication: one plugin host shared by every window
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The host runs on GTK's main context, so GTK events and tasks interleave on
 * one loop.  `smelt FILE...` opens files (in the running instance, when there
 * is one); `--test-script FILE` runs FILE as a task once the window is up,
 * for GUI tests, and the process exits with the code the script passes to
 * smelt.quit().
 */

#define G_LOG_DOMAIN "smelt-app"

#include "config.h"

#include "smelt-application.h"
#include "smelt-host.h"
#include "smelt-ui-api.h"
#include "smelt-window.h"

typedef struct
{
  const SmeltOptions *opts;
  SmeltHost          *host;
  int                 exit_code;
  gboolean            test_started;
} App;

static SmeltWindow *
ensure_window (GtkApplication *app,
               App            *state)
{
  GtkWindow *win = gtk_application_get_active_window (app);

  if (win == NULL)
    {
      win = GTK_WINDOW (smelt_window_new (app, state->host));
      gtk_window_present (win);
      smelt_ui_api_emit (state->host, "ui-ready", NULL, NULL, 0, NULL, 0);
    }
  return SMELT_WINDOW (win);
}

static void
on_task_error (SmeltHost  *host,
               guint64     id,
               const char *name,
               const char *message,
               const char *traceback,
               App        *state)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (g_application_get_default ()));
  g_autofree char *text = g_strdup_printf ("%s: %s", name, message);

  g_printerr ("smelt: error in %s:\n%s\n", name, traceback);
  if (windows != NULL)
    smelt_window_show_message (windows->data, "error", text);
}

static void
on_message (SmeltHost  *host,
            const char *level,
            const char *text,
            App        *state)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (g_application_get_default ()));

  if (windows != NULL)
    smelt_window_show_message (windows->data, level, text);
}

static void
on_quit_requested (SmeltHost *host,
                   int        code,
                   App       *state)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (g_application_get_default ()));

  state->exit_code = code;
  for (GList *l = windows; l != NULL; l = l->next)
    g_object_set_data (G_OBJECT (l->data), "smelt-may-close", GINT_TO_POINTER (1));
  g_application_quit (g_application_get_default ());
}

static gboolean
start_test_script (gpointer data)
{
  App *state = data;
  g_autoptr(GError) error = NULL;

  if (smelt_host_run_file (state->host, state->opts->test_script, NULL, &error) == 0)
    {
      g_printerr ("smelt: %s\n", error->message);
      state->exit_code = 1;
      g_application_quit (g_application_get_default ());
    }
  return G_SOURCE_REMOVE;
}

static void
on_startup (GApplication *app,
            App          *state)
{
  g_autoptr(GError) error = NULL;

  state->host = g_object_new (SMELT_TYPE_HOST, "ui", TRUE, NULL);
  if (state->opts->watchdog_ms >= 0)
    smelt_host_set_watchdog_ms (state->host, (guint) state->opts->watchdog_ms);
  if (state->opts->lua_memory_mb >= 0)
    smelt_host_set_memory_limit (state->host, (guint64) state->opts->lua_memory_mb << 20);
  g_signal_connect (state->host, "task-error", G_CALLBACK (on_task_error), state);
  g_signal_connect (state->host, "message", G_CALLBACK (on_message), state);
  g_signal_connect (state->host, "quit-requested", G_CALLBACK (on_quit_requested), state);
  smelt_ui_api_install (state->host, GTK_APPLICATION (app));
  if (!smelt_host_load_runtime (state->host, &error))
    {
      g_printerr ("smelt: %s\n", error->message);
      state->exit_code = 1;
      return;
    }
  smelt_host_start (state->host, state->opts->clean, state->opts->init_file);
}

static void
maybe_start_test (GApplication *app,
                  App          *state)
{
  if (state->opts->test_script != NULL && !state->test_started)
    {
      state->test_started = TRUE;
      /* once the window has been drawn */
      g_timeout_add (200, start_test_script, state);
    }
}

static void
on_activate (GApplication *app,
             App          *state)
{
  if (state->host == NULL)
    return;
  ensure_window (GTK_APPLICATION (app), state);
  maybe_start_test (app, state);
}

static void
on_open (GApplication  *app,
         GFile        **files,
         int            n_files,
         const char    *hint,
         App           *state)
{
  SmeltWindow *win;

  if (state->host == NULL)
    return;
  win = ensure_window (GTK_APPLICATION (app), state);
  for (int i = 0; i < n_files; i++)
    smelt_window_open_file (win, files[i]);
  maybe_start_test (app, state);
}

int
smelt_application_run (const SmeltOptions *opts)
{
  GApplicationFlags flags = G_APPLICATION_HANDLES_OPEN;
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  App state = { opts, NULL, 0, FALSE };
  int status;

  /* tests run many instances side by side, without a session bus */
  if (opts->test_script != NULL)
    flags |= G_APPLICATION_NON_UNIQUE;
  app = gtk_application_new ("dev.smelt.Editor", flags);
  g_signal_connect (app, "startup", G_CALLBACK (on_startup), &state);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), &state);
  g_signal_connect (app, "open", G_CALLBACK (on_open), &state);

  g_ptr_array_add (argv, (gpointer) "smelt");
  for (guint i = 0; opts->rest != NULL && opts->rest[i] != NULL; i++)
    g_ptr_array_add (argv, opts->rest[i]);
  g_ptr_array_add (argv, NULL);

  status = g_application_run (G_APPLICATION (app), (int) argv->len - 1, (char **) argv->pdata);
  g_clear_object (&state.host);
  return status != 0 ? status : state.exit_code;
}
