/* smelt-options.c: the command line of the smelt executable, parsed by GOptionContext
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smelt"

#include "config.h"

#include <glib/gi18n.h>

#include "smelt-options.h"

/**
 * smelt_options_parse:
 * @opts: (out caller-allocates): where the options go
 * @argc: (inout): the argument count
 * @argv: (inout) (array length=argc): the arguments; options are removed
 * @error: return location for a #GError
 *
 * Parses smelt's command line with GOptionContext; options stop at the
 * script, whose arguments are left in @opts->rest.
 *
 * Returns: %FALSE with @error set on a bad command line
 */
gboolean
smelt_options_parse (SmeltOptions  *opts,
                     int           *argc,
                     char        ***argv,
                     GError       **error)
{
  const GOptionEntry entries[] = {
    { "no-ui", 0, 0, G_OPTION_ARG_NONE, &opts->no_ui,
      N_("Run without a window: execute SCRIPT (or -e code) and exit"), NULL },
    { "execute", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &opts->execute,
      N_("Run Lua code as a task (repeatable)"), N_("CODE") },
    { "command", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &opts->commands,
      N_("Run a command after startup, as nvim -c (repeatable)"), N_("CMD") },
    { "clean", 0, 0, G_OPTION_ARG_NONE, &opts->clean,
      N_("Skip the user's config and site directories"), NULL },
    { "init", 'u', 0, G_OPTION_ARG_FILENAME, &opts->init_file,
      N_("Run FILE instead of the user's init.lua (NONE: no init file)"), N_("FILE") },
    { "health", 0, 0, G_OPTION_ARG_NONE, &opts->health,
      N_("Start up, print the Health report and exit"), NULL },
    { "watchdog-ms", 0, 0, G_OPTION_ARG_INT, &opts->watchdog_ms,
      N_("Interrupt Lua code that runs this long without yielding (default 2000; 0: off)"), N_("MS") },
    { "lua-memory-mb", 0, 0, G_OPTION_ARG_INT, &opts->lua_memory_mb,
      N_("Cap the Lua heap (default 2048; 0: no cap)"), N_("MB") },
    { "virtual-time", 0, 0, G_OPTION_ARG_NONE, &opts->virtual_time,
      N_("Run on a virtual clock that jumps to the next deadline when no task is ready"), NULL },
    { "test-script", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &opts->test_script,
      N_("Run FILE as a task once the window is up, then exit with its smelt.quit() code"), N_("FILE") },
    { "test-unique", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opts->test_unique,
      N_("With --test-script: register on the session bus, so that a second smelt opens its files here"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &opts->version,
      N_("Print the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts->rest,
      NULL, N_("[SCRIPT [ARGS…]]") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("A GTK text editor extended by Lua plugins.\n"
      "With --no-ui, runs SCRIPT's main chunk as a task, with ARGS as its arguments,\n"
      "and exits when it and every task it spawned have finished."));
  /* Options end at the script: what follows belongs to it, as with lua(1). */
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  opts->watchdog_ms = -1;
  opts->lua_memory_mb = -1;
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (opts->watchdog_ms < -1 || opts->lua_memory_mb < -1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--watchdog-ms and --lua-memory-mb take a number of 0 or more"));
      return FALSE;
    }
  return TRUE;
}

/**
 * smelt_options_clear:
 * @opts: options filled by smelt_options_parse()
 *
 * Frees what @opts holds (not @opts itself).
 */
void
smelt_options_clear (SmeltOptions *opts)
{
  g_clear_pointer (&opts->execute, g_strfreev);
  g_clear_pointer (&opts->commands, g_strfreev);
  g_clear_pointer (&opts->init_file, g_free);
  g_clear_pointer (&opts->test_script, g_free);
  g_clear_pointer (&opts->rest, g_strfreev);
}
