/* smelt-command-complete.c: what Tab offers on the command line: command names, file paths for :e and :w, a command's own list
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first word completes to the editor's own commands (w, wa, wq, e, bd, q)
 * and every smelt command; the argument of :e and :w completes to paths
 * (directories with a trailing "/"; dot files only when the word starts
 * with "."); any other command's argument to what its `complete` option
 * gives.  Each candidate replaces the line's last word whole.  The window
 * asks asynchronously: paths are read in a worker thread, so a slow mount
 * never freezes it.
 */

#define G_LOG_DOMAIN "smelt-window"

#include "config.h"

#include <string.h>

#include "smelt-command-complete.h"
#include "smelt-ui-api.h"

/* at most this many candidates are listed (the directory is still read whole) */
#define MAX_PATHS 500

static const char * const editor_commands[] = { "bd", "e", "q", "w", "wa", "wq", NULL };

/**
 * smelt_command_path_to_file:
 * @arg: a path as typed: absolute, relative to the working directory, or
 *   starting with "~/"
 *
 * Returns: (transfer full): the file @arg names
 */
GFile *
smelt_command_path_to_file (const char *arg)
{
  g_return_val_if_fail (arg != NULL, NULL);

  if (g_str_equal (arg, "~") || g_str_has_prefix (arg, "~/"))
    return g_file_new_build_filename (g_get_home_dir (), arg + 1, NULL);
  return g_file_new_for_commandline_arg (arg);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The entries of arglead's directory whose names start with its last part. */
static void
complete_path (const char *arglead,
               GPtrArray  *out)
{
  const char *slash = strrchr (arglead, '/');
  g_autofree char *head = slash ? g_strndup (arglead, slash - arglead + 1) : g_strdup ("");
  const char *base = slash ? slash + 1 : arglead;
  g_autoptr(GFile) dir = smelt_command_path_to_file (*head ? head : ".");
  g_autoptr(GFileEnumerator) entries = NULL;
  GFileInfo *info;

  /* blocking: smelt_command_complete_async() calls this in a worker thread */
  entries = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                       G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (entries == NULL)
    return;
  while (out->len < MAX_PATHS &&
         g_file_enumerator_iterate (entries, &info, NULL, NULL, NULL) && info != NULL)
    {
      const char *name = g_file_info_get_name (info);
      gboolean is_dir = g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY;

      if (!g_str_has_prefix (name, base) || (name[0] == '.' && base[0] != '.'))
        continue;
      g_ptr_array_add (out, g_strconcat (head, name, is_dir ? "/" : "", NULL));
    }
  g_ptr_array_sort (out, compare_strings);
}

/* the argument of :e or :w, when line is one: the path typed so far */
static const char *
path_argument (const char *line)
{
  const char *rest;

  while (*line == ' ')
    line++;
  rest = strchr (line, ' ');
  if (rest == NULL || !(rest - line == 1 && (line[0] == 'e' || line[0] == 'w')))
    return NULL;
  return strrchr (line, ' ') + 1;
}

static GStrv
steal_strv (GPtrArray *out)
{
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (out, FALSE);
}

static void
complete_path_thread (GTask        *task,
                      gpointer      source,
                      gpointer      arglead,
                      GCancellable *cancellable)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  complete_path (arglead, out);
  g_task_return_pointer (task, steal_strv (out), (GDestroyNotify) g_strfreev);
}

/**
 * smelt_command_complete_async:
 * @host: the GUI's host
 * @line: the command line typed so far, without its ":"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the completions
 * @user_data: for @callback
 *
 * What smelt_command_complete() gives, without blocking: the paths of :e
 * and :w are read in a worker thread; the rest (Lua's) is asked at once.
 * @callback runs later in any case, never from this call.
 */
void
smelt_command_complete_async (SmeltHost           *host,
                              const char          *line,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  const char *arglead = path_argument (line);

  g_task_set_source_tag (task, smelt_command_complete_async);
  if (arglead != NULL)
    {
      g_task_set_task_data (task, g_strdup (arglead), g_free);
      g_task_run_in_thread (task, complete_path_thread);
    }
  else
    g_task_return_pointer (task, smelt_command_complete (host, line), (GDestroyNotify) g_strfreev);
}

/**
 * smelt_command_complete_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError (%G_IO_ERROR_CANCELLED only)
 *
 * Returns: (transfer full) (nullable): the completions, sorted, or %NULL
 *   when cancelled
 */
GStrv
smelt_command_complete_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * smelt_command_complete:
 * @host: the GUI's host
 * @line: the command line typed so far, without its ":"
 *
 * Returns: (transfer full): the completions of @line's last word, sorted
 *   (empty when there is none)
 */
GStrv
smelt_command_complete (SmeltHost  *host,
                        const char *line)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  const char *rest;
  const char *arglead;

  g_return_val_if_fail (line != NULL, NULL);

  arglead = path_argument (line);
  while (*line == ' ')
    line++;
  rest = strchr (line, ' ');
  name = rest ? g_strndup (line, rest - line) : g_strdup (line);
  if (arglead != NULL)
    complete_path (arglead, out);
  else
    {
      /* smelt.cmd.complete: command names, or the command's own list */
      g_auto(GStrv) plugin = smelt_ui_api_complete (host, line);

      for (guint i = 0; rest == NULL && editor_commands[i] != NULL; i++)
        if (g_str_has_prefix (editor_commands[i], name))
          g_ptr_array_add (out, g_strdup (editor_commands[i]));
      for (guint i = 0; plugin != NULL && plugin[i] != NULL; i++)
        g_ptr_array_add (out, g_strdup (plugin[i]));
      if (rest == NULL)
        g_ptr_array_sort (out, compare_strings);
    }
  return steal_strv (out);
}
