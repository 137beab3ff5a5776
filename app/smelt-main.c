/* smelt-main.c: the smelt executable's entry point
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smelt"

#include "config.h"

#include <gmodule.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <lua.h>
#include <stdio.h>

#include "smelt-application.h"
#include "smelt-embed.h"
#include "smelt-headless.h"
#include "smelt-options.h"

/* Loads the GUI module (installed next to the library, or
 * $SMELT_GUI_MODULE_DIR: the build's, in `meson devenv`) and runs it. */
static int
run_gui (const SmeltOptions *opts)
{
  g_autofree char *path = smelt_path_get (SMELT_PATH_GUI_MODULE, NULL);
  GModule *module;
  gpointer run = NULL;

  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL || !g_module_symbol (module, "smelt_application_run", &run))
    {
      fprintf (stderr, _("smelt: cannot load the window (%s); run scripts with --no-ui\n"),
               module ? g_module_error () : g_module_error ());
      return 1;
    }
  g_module_make_resident (module);
  return ((SmeltApplicationRun) run) (opts);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  SmeltOptions opts = { 0 };
  int status;

  smelt_heap_pages_enable ();   /* many tasks, few page faults */
  setlocale (LC_ALL, "");
  {
    g_autofree char *localedir = smelt_path_get (SMELT_PATH_LOCALE_DIR, NULL);

    bindtextdomain (GETTEXT_PACKAGE, localedir);
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    textdomain (GETTEXT_PACKAGE);
  }

  if (!smelt_options_parse (&opts, &argc, &argv, &error))
    {
      fprintf (stderr, _("smelt: %s\nTry 'smelt --help' for more information.\n"), error->message);
      smelt_options_clear (&opts);
      return 2;
    }

  if (opts.version)
    {
      printf ("smelt %s (%s, GLib %u.%u.%u)\n", PACKAGE_VERSION, LUA_RELEASE,
              glib_major_version, glib_minor_version, glib_micro_version);
      smelt_options_clear (&opts);
      return 0;
    }

  if (opts.no_ui)
    status = smelt_headless_run (&opts);
  else
    status = run_gui (&opts);
  smelt_options_clear (&opts);
  return status;
}
