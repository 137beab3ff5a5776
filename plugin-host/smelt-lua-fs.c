/* smelt-lua-fs.c: file operations that park the calling task on GIO (read, write, list, stat, watch)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C primitives behind lua/smelt/fs.lua.  Each resolves its task with
 * { true, value } or { false, message, code } (see smelt-bridge.c).
 */

#define G_LOG_DOMAIN "smelt-fs"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <lauxlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "smelt-bridge.h"
#include "smelt-host-private.h"
#include "smelt-lua-private.h"

#define LIST_BATCH 1000
#define WATCH_MT "smelt.FsWatch"

static inline SmeltScheduler *
sched_upvalue (lua_State *L)
{
  return lua_touserdata (L, lua_upvalueindex (1));
}

static const char *
type_name (GFileType type)
{
  switch (type)
    {
    case G_FILE_TYPE_REGULAR:
      return "file";
    case G_FILE_TYPE_DIRECTORY:
      return "directory";
    case G_FILE_TYPE_SYMBOLIC_LINK:
      return "link";
    case G_FILE_TYPE_SPECIAL:
      return "special";
    case G_FILE_TYPE_SHORTCUT:
    case G_FILE_TYPE_MOUNTABLE:
    case G_FILE_TYPE_UNKNOWN:
    default:
      return "unknown";
    }
}

/* Validates before anything is allocated: lua_error() and parking longjmp,
 * so no g_auto variable may be live across them in these functions. */
static const char *
check_path (lua_State  *L,
            int         arg,
            const char *fname)
{
  if (lua_type (L, arg) != LUA_TSTRING)
    smelt_lua_arg_error (L, arg, fname, "path expected, got %s", luaL_typename (L, arg));
  return lua_tostring (L, arg);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  lua_State *L;

  g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error);
  if (!smelt_bridge_settle (op, error))
    return;
  L = smelt_pending_op_lua (op);
  smelt_scheduler_begin_bookkeeping (op->sched);
  smelt_bridge_push_ok (L);
  lua_pushlstring (L, contents, length);
  lua_rawseti (L, -2, 2);
  smelt_scheduler_end_bookkeeping (op->sched);
  smelt_pending_op_resolve (op);
}

/* The type is looked at before the file is opened: a character device
 * (/dev/zero) never ends, and opening a FIFO with no writer blocks in
 * open(2) for good.  Only regular files are read. */
static void
read_type_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  GFileType type;

  if (!smelt_bridge_settle (op, error))
    return;
  type = g_file_info_get_file_type (info);
  if (type == G_FILE_TYPE_DIRECTORY)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, "Is a directory");
  else if (type != G_FILE_TYPE_REGULAR)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                                 "Not a regular file (a device, FIFO or socket is not read)");
  if (error != NULL)
    {
      smelt_bridge_fail (op, error);
      return;
    }
  g_file_load_contents_async (G_FILE (source), op->cancellable, read_cb, smelt_pending_op_ref (op));
}

/* internal.fs_read(path) */
static int
l_read (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.read");
  SmeltPendingOp *op = smelt_pending_op_begin (sched_upvalue (L), L, "smelt.fs.read");
  GFile *file = g_file_new_for_path (path);

  op->path = g_strdup (path);
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, op->cancellable, read_type_cb,
                           smelt_pending_op_ref (op));
  g_object_unref (file);
  return smelt_pending_op_park (op, L);
}

/* ------------------------------------------------------------------- write */

/* An atomic replace made by hand: GLib's g_file_replace*() may write over
 * the original in place (it did here: a cancelled write left it empty).  The
 * new contents go to a temporary file in the same directory, written
 * asynchronously through its descriptor; only when that is complete (and
 * synced) is it given the old file's mode and renamed over it.  A failure
 * or a cancellation removes the temporary file and leaves the old one. */
typedef struct
{
  char          *path;
  char          *tmp_path;
  GOutputStream *out;
  GBytes        *bytes;
  gboolean       backup;
} WriteState;

static void
write_state_free (gpointer data)
{
  WriteState *ws = data;

  g_clear_object (&ws->out);    /* closes the descriptor */
  if (ws->tmp_path != NULL)
    g_unlink (ws->tmp_path);    /* still here: the write did not complete */
  g_clear_pointer (&ws->bytes, g_bytes_unref);
  g_free (ws->tmp_path);
  g_free (ws->path);
  g_free (ws);
}

static gboolean
commit_write (WriteState  *ws,
              GError     **error)
{
  GStatBuf st;
  int saved_errno;

  if (g_stat (ws->path, &st) == 0)
    {
      g_chmod (ws->tmp_path, st.st_mode & 07777);
      if (ws->backup)
        {
          g_autofree char *bak = g_strconcat (ws->path, "~", NULL);

          g_unlink (bak);
          if (link (ws->path, bak) != 0)
            {
              g_autoptr(GFile) from = g_file_new_for_path (ws->path);
              g_autoptr(GFile) to = g_file_new_for_path (bak);

              if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE | G_FILE_COPY_ALL_METADATA,
                                NULL, NULL, NULL, error))
                return FALSE;
            }
        }
    }
  else
    {
      mode_t mask = umask (0);

      umask (mask);
      g_chmod (ws->tmp_path, 0666 & ~mask);
    }

  if (g_rename (ws->tmp_path, ws->path) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot replace %s: %s", ws->path, g_strerror (saved_errno));
      return FALSE;
    }
  g_clear_pointer (&ws->tmp_path, g_free);
  return TRUE;
}

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  WriteState *ws = op->data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  if (!smelt_pending_op_is_live (op))
    return;                     /* the op's free removes the temporary file */
  if (error == NULL)
    {
      int fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (ws->out));

      if (fsync (fd) != 0)
        g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno),
                     "Cannot write %s: %s", ws->path, g_strerror (errno));
    }
  if (error == NULL && g_output_stream_close (ws->out, NULL, &error))
    commit_write (ws, &error);
  if (error != NULL)
    {
      smelt_bridge_fail (op, error);
      return;
    }
  smelt_bridge_push_ok (smelt_pending_op_lua (op));
  smelt_pending_op_resolve (op);
}

/* internal.fs_write(path, data, backup) */
static int
l_write (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.write");
  gboolean backup = lua_toboolean (L, 3);
  SmeltScheduler *sched = sched_upvalue (L);
  SmeltPendingOp *op;
  WriteState *ws;
  size_t len;
  const char *data;
  int fd, saved_errno;

  if (lua_type (L, 2) != LUA_TSTRING)
    return smelt_lua_arg_error (L, 2, "smelt.fs.write", "string expected, got %s", luaL_typename (L, 2));
  data = lua_tolstring (L, 2, &len);

  smelt_scheduler_check_park (sched, L, "smelt.fs.write");
  {
    char *dir = g_path_get_dirname (path);
    char *base = g_path_get_basename (path);
    char *tmpl = g_strdup_printf ("%s/.%s.smelt-XXXXXX", dir, base);

    g_free (dir);
    g_free (base);
    fd = g_mkstemp_full (tmpl, O_WRONLY, 0600);
    saved_errno = errno;
    if (fd < 0)
      {
        GError *error = g_error_new (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                     "Cannot write %s: %s", path, g_strerror (saved_errno));

        g_free (tmpl);
        smelt_bridge_push_error (L, error);
        g_error_free (error);
        return 1;
      }
    ws = g_new0 (WriteState, 1);
    ws->tmp_path = tmpl;
    ws->out = g_unix_output_stream_new (fd, TRUE);
  }
  ws->path = g_strdup (path);
  ws->backup = backup;
  ws->bytes = g_bytes_new (data, len);

  op = smelt_pending_op_begin (sched, L, "smelt.fs.write");
  op->data = ws;
  op->free_data = write_state_free;
  g_output_stream_write_all_async (ws->out, g_bytes_get_data (ws->bytes, NULL), len,
                                   G_PRIORITY_DEFAULT, op->cancellable, write_cb,
                                   smelt_pending_op_ref (op));
  return smelt_pending_op_park (op, L);
}

/* -------------------------------------------------------------------- stat */

#define STAT_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
                        G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED "," \
                        G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC "," G_FILE_ATTRIBUTE_UNIX_MODE

static void
push_info (lua_State *L,
           GFileInfo *info,
           gboolean   with_name)
{
  lua_createtable (L, 0, 5);
  if (with_name)
    {
      lua_pushstring (L, g_file_info_get_name (info));
      lua_setfield (L, -2, "name");
    }
  lua_pushstring (L, type_name (g_file_info_get_file_type (info)));
  lua_setfield (L, -2, "type");
  lua_pushinteger (L, (lua_Integer) g_file_info_get_size (info));
  lua_setfield (L, -2, "size");
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))
    {
      guint64 secs = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
      guint32 usec = g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);

      lua_pushnumber (L, (lua_Number) secs + usec / 1e6);
      lua_setfield (L, -2, "mtime");
    }
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_MODE))
    {
      lua_pushinteger (L, g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE) & 07777);
      lua_setfield (L, -2, "mode");
    }
}

static void
stat_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  lua_State *L;

  if (!smelt_bridge_settle (op, error))
    return;
  L = smelt_pending_op_lua (op);
  smelt_bridge_push_ok (L);
  push_info (L, info, FALSE);
  lua_rawseti (L, -2, 2);
  smelt_pending_op_resolve (op);
}

/* internal.fs_stat(path) */
static int
l_stat (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.stat");
  SmeltPendingOp *op = smelt_pending_op_begin (sched_upvalue (L), L, "smelt.fs.stat");
  GFile *file = g_file_new_for_path (path);

  g_file_query_info_async (file, STAT_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                           G_PRIORITY_DEFAULT, op->cancellable, stat_cb, smelt_pending_op_ref (op));
  g_object_unref (file);
  return smelt_pending_op_park (op, L);
}

/* ------------------------------------------------------------------- mkdir */

/* in a worker thread: GIO has no asynchronous "with parents" */
static void
mkdir_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (g_file_make_directory_with_parents (G_FILE (source), cancellable, &error) ||
      (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS) &&
       g_file_query_file_type (G_FILE (source), G_FILE_QUERY_INFO_NONE, cancellable) == G_FILE_TYPE_DIRECTORY))
    {
      g_clear_error (&error);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);
}

static void
mkdir_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (!smelt_bridge_settle (op, error))
    return;
  smelt_bridge_push_ok (smelt_pending_op_lua (op));
  smelt_pending_op_resolve (op);
}

/* internal.fs_mkdir(path): the folder and its parents; one that exists is fine */
static int
l_mkdir (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.mkdir");
  SmeltPendingOp *op = smelt_pending_op_begin (sched_upvalue (L), L, "smelt.fs.mkdir");
  GFile *file = g_file_new_for_path (path);
  GTask *task = g_task_new (file, op->cancellable, mkdir_cb, smelt_pending_op_ref (op));

  g_task_set_source_tag (task, l_mkdir);
  g_task_run_in_thread (task, mkdir_thread);
  g_object_unref (task);
  g_object_unref (file);
  return smelt_pending_op_park (op, L);
}

/* -------------------------------------------------------------------- list */

typedef struct
{
  GFileEnumerator *enumerator;
  GPtrArray       *infos;
} ListState;

static void
list_state_free (gpointer data)
{
  ListState *ls = data;

  if (ls->enumerator != NULL)
    g_file_enumerator_close_async (ls->enumerator, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&ls->enumerator);
  g_clear_pointer (&ls->infos, g_ptr_array_unref);
  g_free (ls);
}

static void next_files_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
list_finish (SmeltPendingOp *op)
{
  ListState *ls = op->data;
  lua_State *L = smelt_pending_op_lua (op);

  smelt_scheduler_begin_bookkeeping (op->sched);
  smelt_bridge_push_ok (L);
  lua_createtable (L, (int) ls->infos->len, 0);
  for (guint i = 0; i < ls->infos->len; i++)
    {
      push_info (L, g_ptr_array_index (ls->infos, i), TRUE);
      lua_rawseti (L, -2, i + 1);
    }
  lua_rawseti (L, -2, 2);
  smelt_scheduler_end_bookkeeping (op->sched);
  smelt_pending_op_resolve (op);
}

static void
next_files_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  ListState *ls = op->data;
  GList *files = g_file_enumerator_next_files_finish (G_FILE_ENUMERATOR (source), result, &error);

  if (!smelt_pending_op_is_live (op))
    {
      g_list_free_full (files, g_object_unref);
      return;
    }
  if (error != NULL)
    {
      smelt_bridge_fail (op, error);
      return;
    }
  if (files == NULL)
    {
      list_finish (op);
      return;
    }
  for (GList *l = files; l != NULL; l = l->next)
    g_ptr_array_add (ls->infos, l->data);
  g_list_free (files);
  /* one batch per callback: the loop runs between batches */
  g_file_enumerator_next_files_async (ls->enumerator, LIST_BATCH, G_PRIORITY_DEFAULT,
                                      op->cancellable, next_files_cb, smelt_pending_op_ref (op));
}

static void
enumerate_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  GFileEnumerator *enumerator = g_file_enumerate_children_finish (G_FILE (source), result, &error);
  ListState *ls = op->data;

  if (enumerator != NULL)
    ls->enumerator = enumerator;
  if (!smelt_bridge_settle (op, error))
    return;
  g_file_enumerator_next_files_async (ls->enumerator, LIST_BATCH, G_PRIORITY_DEFAULT,
                                      op->cancellable, next_files_cb, smelt_pending_op_ref (op));
}

/* internal.fs_list(dir) */
static int
l_list (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.list");
  SmeltPendingOp *op = smelt_pending_op_begin (sched_upvalue (L), L, "smelt.fs.list");
  ListState *ls = g_new0 (ListState, 1);
  GFile *file = g_file_new_for_path (path);

  ls->infos = g_ptr_array_new_with_free_func (g_object_unref);
  op->data = ls;
  op->free_data = list_state_free;
  g_file_enumerate_children_async (file, STAT_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                   G_PRIORITY_DEFAULT, op->cancellable, enumerate_cb,
                                   smelt_pending_op_ref (op));
  g_object_unref (file);
  return smelt_pending_op_park (op, L);
}

/* ------------------------------------------------------------------- watch */

typedef struct
{
  SmeltScheduler *sched;
  GPtrArray      *monitors;     /* GFileMonitor*, one per watched directory */
  int             fn_ref;
  gboolean        recursive;
  gboolean        removed;
} SmeltWatch;

static void watch_add (SmeltWatch *w, GFile *dir, gboolean walk);

static const char *
event_kind (GFileMonitorEvent event)
{
  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
      return "changed";
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      return "deleted";
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      return "created";
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
      return "attribute-changed";
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_MOVED:
      return "renamed";
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    default:
      return "unmounted";
    }
}

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  SmeltWatch *w = user_data;
  lua_State *L;
  g_autofree char *path = NULL;

  if (w->removed || event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
    return;

  if (w->recursive && event == G_FILE_MONITOR_EVENT_CREATED &&
      g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) == G_FILE_TYPE_DIRECTORY)
    watch_add (w, file, TRUE);

  L = smelt_scheduler_get_lua (w->sched);
  path = g_file_get_path (file);
  lua_rawgeti (L, LUA_REGISTRYINDEX, w->fn_ref);
  lua_createtable (L, 0, 3);
  lua_pushstring (L, event_kind (event));
  lua_setfield (L, -2, "kind");
  lua_pushstring (L, path);
  lua_setfield (L, -2, "path");
  if (other != NULL)
    {
      g_autofree char *other_path = g_file_get_path (other);

      lua_pushstring (L, other_path);
      lua_setfield (L, -2, "other_path");
    }
  smelt_scheduler_spawn (w->sched, L, 1, NULL);
}

static void
watch_add (SmeltWatch *w,
           GFile      *dir,
           gboolean    walk)
{
  g_autoptr(GError) error = NULL;
  GFileMonitor *monitor = g_file_monitor (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);

  if (monitor == NULL)
    {
      g_debug ("cannot watch: %s", error->message);
      return;
    }
  g_signal_connect (monitor, "changed", G_CALLBACK (on_monitor_changed), w);
  g_ptr_array_add (w->monitors, monitor);

  if (walk && w->recursive)
    {
      g_autoptr(GFileEnumerator) children =
        g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
      GFileInfo *info;

      while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            {
              g_autoptr(GFile) child = g_file_enumerator_get_child (children, info);

              watch_add (w, child, TRUE);
            }
          g_object_unref (info);
        }
    }
}

static void
watch_stop (SmeltWatch *w,
            lua_State  *L)
{
  if (w->removed)
    return;
  w->removed = TRUE;
  for (guint i = 0; i < w->monitors->len; i++)
    {
      GFileMonitor *m = g_ptr_array_index (w->monitors, i);

      g_signal_handlers_disconnect_by_data (m, w);
      g_file_monitor_cancel (m);
    }
  g_ptr_array_set_size (w->monitors, 0);
  luaL_unref (L, LUA_REGISTRYINDEX, w->fn_ref);
  w->fn_ref = LUA_NOREF;
}

/* internal.fs_watch(path, fn, recursive): a handle with :remove() */
static int
l_watch (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.watch");
  GFile *file;
  SmeltWatch *w;

  luaL_checktype (L, 2, LUA_TFUNCTION);
  w = lua_newuserdatauv (L, sizeof *w, 1);
  memset (w, 0, sizeof *w);
  luaL_setmetatable (L, WATCH_MT);
  w->sched = sched_upvalue (L);
  w->recursive = lua_toboolean (L, 3);
  w->monitors = g_ptr_array_new_with_free_func (g_object_unref);
  lua_pushvalue (L, 2);
  w->fn_ref = luaL_ref (L, LUA_REGISTRYINDEX);
  file = g_file_new_for_path (path);
  watch_add (w, file, TRUE);
  g_object_unref (file);
  if (w->monitors->len == 0)
    {
      watch_stop (w, L);
      return luaL_error (L, "smelt.fs.watch: cannot watch %s", lua_tostring (L, 1));
    }
  return 1;
}

/* watch:remove(): stop watching */
static int
watch_remove (lua_State *L)
{
  watch_stop (luaL_checkudata (L, 1, WATCH_MT), L);
  return 0;
}

static int
watch_gc (lua_State *L)
{
  SmeltWatch *w = luaL_checkudata (L, 1, WATCH_MT);

  watch_stop (w, L);
  g_clear_pointer (&w->monitors, g_ptr_array_unref);
  return 0;
}

static const luaL_Reg internal_functions[] = {
  { "fs_read", l_read },
  { "fs_write", l_write },
  { "fs_stat", l_stat },
  { "fs_mkdir", l_mkdir },
  { "fs_list", l_list },
  { "fs_watch", l_watch },
  { NULL, NULL },
};

void
smelt_lua_open_fs (lua_State      *L,
                   SmeltScheduler *sched,
                   int             internal_idx)
{
  internal_idx = lua_absindex (L, internal_idx);
  luaL_newmetatable (L, WATCH_MT);
  lua_pushcfunction (L, watch_gc);
  lua_setfield (L, -2, "__gc");
  lua_newtable (L);
  lua_pushcfunction (L, watch_remove);
  lua_setfield (L, -2, "remove");
  lua_setfield (L, -2, "__index");
  lua_pop (L, 1);

  lua_pushvalue (L, internal_idx);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, internal_functions, 1);
  lua_pop (L, 1);
}
