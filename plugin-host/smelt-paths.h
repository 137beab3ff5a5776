/* smelt-paths.h: where the installed smelt keeps its runtime, window module, translations and schema
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SmeltPath:
 * @SMELT_PATH_RUNTIME: the bundled Lua runtime (`$SMELT_RUNTIME_DIR`)
 * @SMELT_PATH_GUI_MODULE: the window module, smelt-gui.so in `$SMELT_GUI_MODULE_DIR`
 * @SMELT_PATH_DOCUMENTS_MODULE: the documents for --no-ui, smelt-documents.so
 *   beside it
 * @SMELT_PATH_LOCALE_DIR: the message catalogs (`$SMELT_LOCALEDIR`)
 * @SMELT_PATH_SCHEMA_DIR: the compiled GSettings schemas of smelt's prefix
 *   (no variable of smelt's: GLib reads `$GSETTINGS_SCHEMA_DIR` itself)
 *
 * The folders smelt reads at run time.  Each is its environment variable
 * when set (an uninstalled build sets them through `meson devenv`), or else
 * the folder under the prefix smelt is installed in.
 */
typedef enum {
  SMELT_PATH_RUNTIME,
  SMELT_PATH_GUI_MODULE,
  SMELT_PATH_DOCUMENTS_MODULE,
  SMELT_PATH_LOCALE_DIR,
  SMELT_PATH_SCHEMA_DIR,
} SmeltPath;

char       *smelt_path_get        (SmeltPath   what,
                                   char      **origin);
const char *smelt_install_prefix  (void);

/* for tests/c/test-paths.c */
char       *_smelt_paths_prefix_of (const char *library,
                                    const char *libdir);

G_END_DECLS
