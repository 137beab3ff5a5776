/* smelt-headless.c: smelt --no-ui, the host on a plain GMainLoop with no display
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Never touches GTK, so it runs on a machine with no display.  Exit status:
 * 0 when nothing raised, 1 when the script or any task raised an uncaught
 * error, or the code given to smelt.quit().
 */

#define G_LOG_DOMAIN "smelt"

#include "config.h"

#include <stdio.h>

#include <gmodule.h>
#include <lauxlib.h>

#include "smelt-embed.h"
#include "smelt-headless.h"
#include "smelt-host.h"

typedef struct
{
  SmeltHost *host;
  GMainLoop *loop;
  gboolean   failed;
  gboolean   quit_requested;
  gboolean   quitting_at_idle;
  int        quit_code;
} Headless;

static void
on_task_error (SmeltHost  *host,
               guint64     id,
               const char *name,
               const char *message,
               const char *traceback,
               Headless   *run)
{
  run->failed = TRUE;
  if (id != 0)
    fprintf (stderr, "smelt: error in task %" G_GUINT64_FORMAT " (%s):\n%s\n", id, name, traceback);
  else
    fprintf (stderr, "smelt: error in %s:\n%s\n", name, traceback);
  fflush (stderr);
}

/* Notifications print to stderr with their level; everything else goes
 * to GLib's default writer (smelt.log.* included). */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL, *message = NULL, *notify = NULL, *level = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
      else if (g_str_equal (fields[i].key, "SMELT_NOTIFY"))
        notify = fields[i].value;
      else if (g_str_equal (fields[i].key, "SMELT_LEVEL"))
        level = fields[i].value;
    }

  if (domain != NULL && g_str_equal (domain, "smelt-lua") &&
      notify != NULL && g_str_equal (notify, "1") && message != NULL)
    {
      fprintf (stderr, "smelt: [%s] %s\n", level ? level : "info", message);
      fflush (stderr);
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

typedef void (*SmeltDocumentsOpenLua) (lua_State *L,
                                       int        internal_idx);

/* internal.load_documents(): the first use of smelt.buf (lua/smelt/buffer.lua)
 * loads the documents (smelt-documents-module.c) and installs the buffer
 * API into `internal`, its upvalue; a script that never touches a buffer
 * never maps GtkSourceView. */
static int
l_load_documents (lua_State *L)
{
  static SmeltDocumentsOpenLua open_lua;

  if (open_lua == NULL)
    {
      g_autofree char *path = smelt_path_get (SMELT_PATH_DOCUMENTS_MODULE, NULL);
      GModule *module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      gpointer symbol = NULL;

      if (module == NULL || !g_module_symbol (module, "smelt_documents_open_lua", &symbol))
        return luaL_error (L, "smelt.buf: cannot load the documents (%s)", g_module_error ());
      g_module_make_resident (module);
      open_lua = (SmeltDocumentsOpenLua) symbol;
    }
  open_lua (L, lua_upvalueindex (1));
  return 0;
}

static void
open_headless (lua_State *L,
               int        internal_idx,
               gpointer   data)
{
  lua_pushvalue (L, internal_idx);
  lua_pushcclosure (L, l_load_documents, 1);
  lua_setfield (L, internal_idx, "load_documents");
}

/* Everything ended: quit as smelt.quit() does, so "quit-pre" handlers run. */
static void
on_idle (SmeltHost *host,
         Headless  *run)
{
  if (run->quit_requested)
    {
      g_main_loop_quit (run->loop);
      return;
    }
  if (!run->quitting_at_idle)
    {
      run->quitting_at_idle = TRUE;
      smelt_host_request_quit (host, run->failed ? 1 : 0);
    }
  else
    g_main_loop_quit (run->loop);   /* the quit-pre handlers ended */
}

static void
on_quit_requested (SmeltHost *host,
                   int        code,
                   Headless  *run)
{
  if (!run->quit_requested)
    {
      run->quit_requested = TRUE;
      run->quit_code = code;
    }
  if (run->loop != NULL)
    g_main_loop_quit (run->loop);
}

/**
 * smelt_headless_run:
 * @opts: the parsed command line
 *
 * `smelt --no-ui`: runs the script or the -e chunks as tasks on a GMainLoop
 * until every task has finished, or smelt.quit().
 *
 * Returns: the exit status: 0, 1 when a task raised, or the smelt.quit() code
 */
int
smelt_headless_run (const SmeltOptions *opts)
{
  g_autoptr(SmeltHost) host = NULL;
  g_autoptr(GError) error = NULL;
  Headless run = { 0 };

  g_log_set_writer_func (log_writer, NULL, NULL);
  host = smelt_host_new (NULL);
  run.host = host;
  smelt_host_set_ui_opener (host, open_headless, NULL);
  smelt_host_set_virtual_time (host, opts->virtual_time);
  if (opts->watchdog_ms >= 0)
    smelt_host_set_watchdog_ms (host, (guint) opts->watchdog_ms);
  if (opts->lua_memory_mb >= 0)
    smelt_host_set_memory_limit (host, (guint64) opts->lua_memory_mb << 20);
  g_signal_connect (host, "task-error", G_CALLBACK (on_task_error), &run);
  g_signal_connect (host, "idle", G_CALLBACK (on_idle), &run);
  g_signal_connect (host, "quit-requested", G_CALLBACK (on_quit_requested), &run);

  if (!smelt_host_load_runtime (host, &error))
    {
      fprintf (stderr, "smelt: %s\n", error->message);
      return 1;
    }

  smelt_host_start (host, opts->clean, opts->init_file);

  if (opts->health)
    {
      g_autofree char *report = smelt_host_dup_health (host);

      printf ("%s\n", report);
      return run.failed ? 1 : 0;
    }

  for (guint i = 0; opts->execute != NULL && opts->execute[i] != NULL; i++)
    {
      if (smelt_host_run_string (host, opts->execute[i], "=(command line)", &error) == 0)
        {
          fprintf (stderr, "smelt: %s\n", error->message);
          return 1;
        }
    }

  if (opts->rest != NULL && opts->rest[0] != NULL)
    {
      if (smelt_host_run_file (host, opts->rest[0], (const char * const *) opts->rest + 1, &error) == 0)
        {
          fprintf (stderr, "smelt: %s\n", error->message);
          return 1;
        }
    }

  for (guint i = 0; opts->commands != NULL && opts->commands[i] != NULL; i++)
    {
      if (!smelt_host_run_command (host, opts->commands[i], &error))
        {
          fprintf (stderr, "smelt: -c %s: %s\n", opts->commands[i], error->message);
          g_clear_error (&error);
          run.failed = TRUE;
        }
    }

  if (!run.quit_requested)
    {
      run.loop = g_main_loop_new (NULL, FALSE);
      smelt_host_check_idle (host);
      g_main_loop_run (run.loop);
      g_clear_pointer (&run.loop, g_main_loop_unref);
    }

  if (run.quit_requested && !run.quitting_at_idle)
    return run.quit_code;
  return run.failed ? 1 : 0;
}
