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

#include <glib/gi18n.h>
#include <gmodule.h>

#include "smelt-application.h"
#include "smelt-editor-page.h"
#include "smelt-embed.h"
#include "smelt-host.h"
#include "smelt-ui-api.h"
#include "smelt-window.h"

typedef struct
{
  const SmeltOptions *opts;
  SmeltHost          *host;
  GSettings          *settings;
  GtkCssProvider     *font_css;
  int                 zoom_pt;      /* Ctrl+plus/minus: points added to the font's size */
  int                 exit_code;
  gboolean            test_started;
  gboolean            commands_run; /* -c CMD: once, when the first files are in */
  guint64             test_task;    /* the --test-script's own task, while it runs */
} App;

/* the font sizes the text may have, zoomed or not */
#define MIN_FONT_PT 6
#define MAX_FONT_PT 72

/* The window, made at the first activation or open; "ui-ready" says with
 * how many files (`ev.files`: none, and the last session is restored). */
static SmeltWindow *
ensure_window (GtkApplication *app,
               App            *state,
               int             n_files)
{
  GtkWindow *win = gtk_application_get_active_window (app);

  if (win == NULL)
    {
      win = GTK_WINDOW (smelt_window_new (app, state->host));
      gtk_window_present (win);
      smelt_ui_api_emit (state->host, "ui-ready", NULL, "files", n_files, NULL, 0);
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
    smelt_window_show_message (windows->data, "error", text, traceback);
  if (id != 0 && id == state->test_task)
    {
      /* the test script itself failed: nothing will end the run, so end it
       * (a failure, not a hang until the test's timeout) */
      state->exit_code = 1;
      g_application_quit (g_application_get_default ());
    }
}

static void
on_message (SmeltHost  *host,
            const char *level,
            const char *text,
            App        *state)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (g_application_get_default ()));

  if (windows != NULL)
    smelt_window_show_message (windows->data, level, text, NULL);
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

  smelt_ui_api_install_test_hooks (state->host);
  state->test_task = smelt_host_run_file (state->host, state->opts->test_script, NULL, &error);
  if (state->test_task == 0)
    {
      g_printerr ("smelt: %s\n", error->message);
      state->exit_code = 1;
      g_application_quit (g_application_get_default ());
    }
  return G_SOURCE_REMOVE;
}

/* dev.smelt.Editor where GLib looks ($GSETTINGS_SCHEMA_DIR: the build's, in
 * `meson devenv`; $XDG_DATA_DIRS), or else in smelt's own prefix, which need
 * not be among XDG_DATA_DIRS (/opt/smelt, an install moved elsewhere). */
static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) prefix_source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "dev.smelt.Editor", TRUE);
  if (schema == NULL)
    {
      g_autofree char *dir = smelt_path_get (SMELT_PATH_SCHEMA_DIR, NULL);

      prefix_source = g_settings_schema_source_new_from_directory (dir, NULL, FALSE, NULL);
      if (prefix_source != NULL)
        schema = g_settings_schema_source_lookup (prefix_source, "dev.smelt.Editor", FALSE);
    }
  return schema ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static void
apply_font (GSettings  *settings,
            const char *key,
            App        *state)
{
  g_autofree char *font = g_settings_get_string (settings, "font");
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int size = CLAMP (pango_font_description_get_size (desc) / PANGO_SCALE + state->zoom_pt, MIN_FONT_PT, MAX_FONT_PT);
  g_autofree char *css = g_strdup_printf ("textview.smelt-editor { font-family: \"%s\"; font-size: %dpt; }",
                                          pango_font_description_get_family (desc) ?: "Monospace", size);

  pango_font_description_free (desc);
  gtk_css_provider_load_from_data (state->font_css, css, -1);
}

/* Zoom, as in GNOME Text Editor: Ctrl+plus and Ctrl+minus a point at a
 * time, Ctrl+0 back to the "font" setting's size; for every window. */
static void
zoom_by (App *state,
         int  step)
{
  g_autofree char *font = NULL;
  PangoFontDescription *desc;
  int base;

  if (state->settings == NULL)
    return;
  font = g_settings_get_string (state->settings, "font");
  desc = pango_font_description_from_string (font);
  base = pango_font_description_get_size (desc) / PANGO_SCALE;
  pango_font_description_free (desc);
  /* never past the sizes apply_font allows, so a step back always shows */
  state->zoom_pt = step == 0 ? 0 : CLAMP (state->zoom_pt + step, MIN_FONT_PT - base, MAX_FONT_PT - base);
  apply_font (state->settings, "font", state);
}

static void
action_zoom_in (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  zoom_by (user_data, 1);
}

static void
action_zoom_out (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  zoom_by (user_data, -1);
}

static void
action_zoom_reset (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  zoom_by (user_data, 0);
}

static const GActionEntry zoom_actions[] = {
  { .name = "zoom-in", .activate = action_zoom_in },
  { .name = "zoom-out", .activate = action_zoom_out },
  { .name = "zoom-reset", .activate = action_zoom_reset },
};

static void
add_zoom_actions (GtkApplication *app,
                  App            *state)
{
  static const char * const in[] = { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL };
  static const char * const out[] = { "<Control>minus", "<Control>KP_Subtract", NULL };
  static const char * const reset[] = { "<Control>0", "<Control>KP_0", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (app), zoom_actions, G_N_ELEMENTS (zoom_actions), state);
  gtk_application_set_accels_for_action (app, "app.zoom-in", in);
  gtk_application_set_accels_for_action (app, "app.zoom-out", out);
  gtk_application_set_accels_for_action (app, "app.zoom-reset", reset);
}

/* GSettings "timeoutlen": how long a key that starts a key map waits */
static void
apply_timeoutlen (GSettings  *settings,
                  const char *key,
                  App        *state)
{
  smelt_ui_api_set_timeoutlen (state->host, g_settings_get_uint (settings, key));
}

static void
on_startup (GApplication *app,
            App          *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (css, "/dev/smelt/Editor/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  state->settings = load_settings ();
  smelt_editor_page_set_settings (state->settings);
  if (state->settings != NULL)
    {
      state->font_css = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (state->font_css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      apply_font (state->settings, "font", state);
      g_signal_connect (state->settings, "changed::font", G_CALLBACK (apply_font), state);
      add_zoom_actions (GTK_APPLICATION (app), state);
    }

  state->host = g_object_new (SMELT_TYPE_HOST, "ui", TRUE, NULL);
  if (state->opts->watchdog_ms >= 0)
    smelt_host_set_watchdog_ms (state->host, (guint) state->opts->watchdog_ms);
  else if (state->settings != NULL)
    smelt_host_set_watchdog_ms (state->host, g_settings_get_uint (state->settings, "watchdog-ms"));
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
  if (state->settings != NULL)
    {
      g_autofree char *leader = g_settings_get_string (state->settings, "leader");

      smelt_ui_api_set_leader (state->host, leader);
      apply_timeoutlen (state->settings, "timeoutlen", state);
      g_signal_connect (state->settings, "changed::timeoutlen", G_CALLBACK (apply_timeoutlen), state);
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

static void run_startup_commands (App *state);

static void
on_document_loading (SmeltDocument *document,
                     GParamSpec    *pspec,
                     App           *state)
{
  if (smelt_document_get_loading (document))
    return;
  g_signal_handlers_disconnect_by_func (document, on_document_loading, state);
  run_startup_commands (state);
}

/* `-c CMD`, as `nvim -c`: each command runs once, on the command line of
 * the window, after the files given have loaded (so `-c 42` goes to line
 * 42 of the file, not of the text read so far). */
static void
run_startup_commands (App *state)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (g_application_get_default ()));
  g_autoptr(GList) pages = NULL;
  gboolean waiting = FALSE;

  if (state->commands_run || state->opts->commands == NULL || !SMELT_IS_WINDOW (active))
    return;
  pages = smelt_window_list_pages (SMELT_WINDOW (active));
  for (GList *l = pages; l != NULL; l = l->next)
    {
      SmeltDocument *document = smelt_editor_page_get_document (l->data);

      if (smelt_document_get_loading (document))
        {
          g_signal_handlers_disconnect_by_func (document, on_document_loading, state);
          g_signal_connect (document, "notify::loading", G_CALLBACK (on_document_loading), state);
          waiting = TRUE;
        }
    }
  if (waiting)
    return;
  state->commands_run = TRUE;
  for (guint i = 0; state->opts->commands[i] != NULL; i++)
    smelt_window_run_command_line (SMELT_WINDOW (active), state->opts->commands[i]);
}

static void
on_activate (GApplication *app,
             App          *state)
{
  if (state->host == NULL)
    return;
  ensure_window (GTK_APPLICATION (app), state, 0);
  run_startup_commands (state);
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
  win = ensure_window (GTK_APPLICATION (app), state, n_files);
  for (int i = 0; i < n_files; i++)
    smelt_window_open_file (win, files[i]);
  run_startup_commands (state);
  maybe_start_test (app, state);
}

/**
 * smelt_application_run:
 * @opts: the parsed command line
 *
 * The window module's entry point: runs the GtkApplication (opening the
 * files of @opts, or handing them to the running instance) until it quits.
 *
 * Returns: the process's exit status
 */
G_MODULE_EXPORT int
smelt_application_run (const SmeltOptions *opts)
{
  GApplicationFlags flags = G_APPLICATION_HANDLES_OPEN;
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  App state = { opts, NULL, 0, FALSE };
  int status;

  if (!gtk_init_check ())
    {
      g_printerr (_("smelt: cannot open a display (DISPLAY and WAYLAND_DISPLAY are not set, or not reachable); "
                    "run scripts with --no-ui\n"));
      return 1;
    }
  /* tests run many instances side by side, and must never reach a
   * developer's own running smelt: not unique, unless a test asks (on a
   * private session bus, for the second-instance test) */
  if (opts->test_script != NULL && !opts->test_unique)
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
  smelt_editor_page_set_settings (NULL);
  g_clear_object (&state.host);
  g_clear_object (&state.settings);
  g_clear_object (&state.font_css);
  return status != 0 ? status : state.exit_code;
}
