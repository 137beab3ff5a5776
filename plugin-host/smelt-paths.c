/* smelt-paths.c: where the installed smelt keeps its runtime, window module, translations and schema
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Only the prefix and the folders under it are compiled in, never a path of
 * the source or build tree.  The prefix is the one the library itself sits
 * in: libsmelt-host-1 at PREFIX/LIBDIR means PREFIX, so an installed tree
 * moved elsewhere (or run from a DESTDIR) still uses its own runtime.  The
 * runtime and the window module are tied to this library (its internal API,
 * its ABI), so it is the library's place that counts, not the program's.
 */

#define _GNU_SOURCE   /* dladdr */
#define G_LOG_DOMAIN "smelt-paths"

#include "config.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "smelt-paths.h"

/* PREFIX/SUB, or SUB when the build put it outside the prefix */
static char *
under_prefix (const char *prefix,
              const char *sub)
{
  if (g_path_is_absolute (sub))
    return g_strdup (sub);
  return g_build_filename (prefix, sub, NULL);
}

/**
 * _smelt_paths_prefix_of:
 * @library: the library's file, absolute and with symbolic links resolved
 * @libdir: meson's libdir: relative to the prefix, or absolute when outside it
 *
 * Returns: (transfer full) (nullable): PREFIX when @library is in
 *   PREFIX/@libdir, else %NULL
 */
char *
_smelt_paths_prefix_of (const char *library,
                        const char *libdir)
{
  g_autofree char *dir = NULL;
  size_t dir_len, libdir_len = strlen (libdir);

  if (!g_path_is_absolute (library) || g_path_is_absolute (libdir))
    return NULL;
  dir = g_path_get_dirname (library);
  dir_len = strlen (dir);
  if (dir_len <= libdir_len || dir[dir_len - libdir_len - 1] != '/'
      || strcmp (dir + dir_len - libdir_len, libdir) != 0)
    return NULL;
  if (dir_len == libdir_len + 1)
    return g_strdup ("/");   /* /LIBDIR: the root is the prefix */
  dir[dir_len - libdir_len - 1] = '\0';
  return g_steal_pointer (&dir);
}

/* The prefix the library is installed in, if it sits at PREFIX/LIBDIR. */
static char *
prefix_of_library (void)
{
  Dl_info info;
  char real[PATH_MAX];

  if (dladdr ((void *) smelt_install_prefix, &info) == 0 || info.dli_fname == NULL)
    return NULL;
  /* the real folder: a merged /lib -> /usr/lib, a symlinked prefix */
  if (realpath (info.dli_fname, real) == NULL)
    return NULL;
  return _smelt_paths_prefix_of (real, SMELT_LIBDIR);
}

/**
 * smelt_install_prefix:
 *
 * The prefix smelt runs from: where libsmelt-host-1 is installed, or the
 * configured prefix when the library is not in an installed tree (an
 * uninstalled build, a program that links the library statically).
 *
 * Returns: (transfer none): an absolute path
 */
const char *
smelt_install_prefix (void)
{
  static char *prefix;

  if (g_once_init_enter (&prefix))
    {
      char *found = prefix_of_library ();

      g_once_init_leave (&prefix, found ? found : g_strdup (SMELT_PREFIX));
    }
  return prefix;
}

/**
 * smelt_path_get:
 * @what: which folder
 * @origin: (out) (optional) (transfer full): where the answer came from, for
 *   Health and error messages: "from $SMELT_RUNTIME_DIR" or "installed in PREFIX"
 *
 * Returns: (transfer full): the folder (for the modules, the file)
 */
char *
smelt_path_get (SmeltPath   what,
                char      **origin)
{
  static const struct {
    const char *variable;   /* names the folder */
    const char *sub;        /* the folder under the prefix */
    const char *file;       /* in the folder, or NULL for the folder itself */
  } paths[] = {
    [SMELT_PATH_RUNTIME] = { "SMELT_RUNTIME_DIR", SMELT_RUNTIME_SUBDIR, NULL },
    [SMELT_PATH_GUI_MODULE] = { "SMELT_GUI_MODULE_DIR", SMELT_GUI_MODULE_SUBDIR, "smelt-gui.so" },
    [SMELT_PATH_DOCUMENTS_MODULE] = { "SMELT_GUI_MODULE_DIR", SMELT_GUI_MODULE_SUBDIR, "smelt-documents.so" },
    [SMELT_PATH_LOCALE_DIR] = { "SMELT_LOCALEDIR", SMELT_LOCALE_SUBDIR, NULL },
    [SMELT_PATH_SCHEMA_DIR] = { NULL, SMELT_SCHEMA_SUBDIR, NULL },
  };
  const char *env;
  g_autofree char *dir = NULL;

  g_return_val_if_fail ((guint) what < G_N_ELEMENTS (paths), NULL);

  env = paths[what].variable ? g_getenv (paths[what].variable) : NULL;
  if (env != NULL && *env != '\0')
    {
      if (origin != NULL)
        *origin = g_strdup_printf ("from $%s", paths[what].variable);
      dir = g_strdup (env);
    }
  else
    {
      if (origin != NULL)
        *origin = g_strdup_printf ("installed in %s", smelt_install_prefix ());
      dir = under_prefix (smelt_install_prefix (), paths[what].sub);
    }
  if (paths[what].file == NULL)
    return g_steal_pointer (&dir);
  return g_build_filename (dir, paths[what].file, NULL);
}
