/* smelt-options.h: the command line of the smelt executable
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean   no_ui;
  gboolean   virtual_time;
  gboolean   version;
  gboolean   clean;
  gboolean   health;
  char      *init_file;     /* -u FILE */
  int        watchdog_ms;   /* -1: the default */
  int        lua_memory_mb; /* -1: the default */
  char     **commands;      /* -c CMD, in order */
  char      *test_script;   /* --test-script FILE (GUI tests) */
  gboolean   test_unique;   /* --test-unique: a test instance that a second smelt reaches */
  char     **execute;       /* -e CODE, in order */
  char     **rest;          /* the script and its arguments, or files to open */
} SmeltOptions;

gboolean smelt_options_parse (SmeltOptions  *opts,
                              int           *argc,
                              char        ***argv,
                              GError       **error);
void     smelt_options_clear (SmeltOptions  *opts);

G_END_DECLS
