/* smelt-options.c: the command line of the smelt executable, parsed by GOptionContext
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smelt"

#include "config.h"

#include "smelt-options.h"

gboolean
smelt_options_parse (SmeltOptions  *opts,
                     int           *argc,
                     char        ***argv,
                     GError       **error)
{
  const GOptionEntry entries[] = {
    { "no-ui", 0, 0, G_OPTION_ARG_NONE, &opts->no_ui,
      "Run without a window: execute SCRIPT (or -e code) and exit", NULL },
    { "execute", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &opts->execute,
      "Run Lua code as a task (repeatable)", "CODE" },
    { "virtual-time", 0, 0, G_OPTION_ARG_NONE, &opts->virtual_time,
      "Run on a virtual clock that jumps to the next deadline when no task is ready", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &opts->version,
      "Print the version and exit", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts->rest,
      NULL, "[SCRIPT [ARGS…]]" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context,
    "A GTK text editor extended by Lua plugins.\n"
    "With --no-ui, runs SCRIPT's main chunk as a task, with ARGS as its arguments,\n"
    "and exits when it and every task it spawned have finished.");
  /* Options end at the script: what follows belongs to it, as with lua(1). */
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  return g_option_context_parse (context, argc, argv, error);
}

void
smelt_options_clear (SmeltOptions *opts)
{
  g_clear_pointer (&opts->execute, g_strfreev);
  g_clear_pointer (&opts->rest, g_strfreev);
}
