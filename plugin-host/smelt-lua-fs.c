/* smelt-lua-fs.c: file operations that park the calling task on GIO (read, write, list, stat, remove, copy, watch)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C primitives behind lua/smelt/fs.lua.  Each resolves its task with
 * { true, value } or { false, message, code } (see smelt-bridge.c).
 */

#define G_LOG_DOMAIN "smelt-fs"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <lauxlib.h>
#include <string.h>
#include <sys/stat.h>

#include "smelt-bridge.h"
#include "smelt-file-writer.h"
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

typedef struct
{
  const char *data;
  gsize       length;
} Contents;

/* { true, contents } */
static void
push_contents (lua_State *L,
               gpointer   data)
{
  Contents *c = data;

  smelt_bridge_push_ok (L);
  lua_pushlstring (L, c->data, c->length);
  lua_rawseti (L, -2, 2);
}

/* { true } */
static void
push_done (lua_State *L,
           gpointer   data)
{
  smelt_bridge_push_ok (L);
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

  g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error);
  if (smelt_bridge_settle (op, error))
    {
      Contents c = { contents, length };

      smelt_pending_op_complete (op, push_contents, &c, FALSE);
    }
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

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;

  smelt_file_write_finish (result, &error);
  if (smelt_bridge_settle (op, error))
    smelt_pending_op_complete (op, push_done, NULL, FALSE);
}

/* internal.fs_write(path, data, backup, force) */
static int
l_write (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.write");
  SmeltPendingOp *op;
  GBytes *bytes;
  size_t len;
  const char *data;

  if (lua_type (L, 2) != LUA_TSTRING)
    return smelt_lua_arg_error (L, 2, "smelt.fs.write", "string expected, got %s", luaL_typename (L, 2));
  data = lua_tolstring (L, 2, &len);

  op = smelt_pending_op_begin (sched_upvalue (L), L, "smelt.fs.write");
  op->path = g_strdup (path);
  bytes = g_bytes_new (data, len);
  smelt_file_write_async (path, bytes,
                          (lua_toboolean (L, 3) ? SMELT_FILE_WRITE_BACKUP : 0) |
                          (lua_toboolean (L, 4) ? SMELT_FILE_WRITE_FORCE : 0),
                          op->cancellable, write_cb, smelt_pending_op_ref (op));
  g_bytes_unref (bytes);
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

/* { true, info } */
static void
push_stat (lua_State *L,
           gpointer   info)
{
  smelt_bridge_push_ok (L);
  push_info (L, info, FALSE);
  lua_rawseti (L, -2, 2);
}

static void
stat_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);

  if (smelt_bridge_settle (op, error))
    smelt_pending_op_complete (op, push_stat, info, FALSE);
}

/* internal.fs_stat(path) */
static int
l_stat (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.stat");
  SmeltPendingOp *op = smelt_pending_op_begin (sched_upvalue (L), L, "smelt.fs.stat");
  GFile *file = g_file_new_for_path (path);

  op->path = g_strdup (path);
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
  if (smelt_bridge_settle (op, error))
    smelt_pending_op_complete (op, push_done, NULL, FALSE);
}

/* internal.fs_mkdir(path): the folder and its parents; one that exists is fine */
static int
l_mkdir (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.mkdir");
  SmeltPendingOp *op = smelt_pending_op_begin (sched_upvalue (L), L, "smelt.fs.mkdir");
  GFile *file = g_file_new_for_path (path);
  GTask *task = g_task_new (file, op->cancellable, mkdir_cb, smelt_pending_op_ref (op));

  op->path = g_strdup (path);
  g_task_set_source_tag (task, l_mkdir);
  g_task_run_in_thread (task, mkdir_thread);
  g_object_unref (task);
  g_object_unref (file);
  return smelt_pending_op_park (op, L);
}

/* ------------------------------------------------------------------ remove */

/* What the tree removal and the copy and move report: the file an error
 * concerns, which the message names ("smelt.fs.copy: TO: File exists"). */
typedef struct
{
  GFile          *from;
  GFile          *to;          /* (nullable): remove has none */
  GFileCopyFlags  flags;
  gboolean        move;
  GFile          *blame;       /* (nullable): set with the error */
} Transfer;

static void
transfer_free (gpointer data)
{
  Transfer *tr = data;

  g_clear_object (&tr->from);
  g_clear_object (&tr->to);
  g_clear_object (&tr->blame);
  g_free (tr);
}

static Transfer *
transfer_new (GFile *from,
              GFile *to)
{
  Transfer *tr = g_new0 (Transfer, 1);

  tr->from = from;
  tr->to = to;
  return tr;
}

/* The op fails naming the file the error concerns. */
static void
transfer_fail (SmeltPendingOp *op,
               GFile          *blame,
               const GError   *error)
{
  g_free (op->path);
  op->path = g_file_get_path (blame);
  smelt_bridge_fail (op, error);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (!smelt_pending_op_is_live (op))
    return;
  if (error != NULL)
    {
      Transfer *tr = op->data;

      transfer_fail (op, tr->blame != NULL ? tr->blame : tr->from, error);
      return;
    }
  smelt_pending_op_complete (op, push_done, NULL, FALSE);
}

/* Removes file and, for a folder, what is in it, depth first; links are
 * removed, never followed.  Sets *blame to the file that could not go. */
static gboolean
remove_tree (GFile         *file,
             GCancellable  *cancellable,
             GFile        **blame,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  /* a file, a link or an empty folder goes at once */
  if (g_file_delete (file, cancellable, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_EMPTY))
    goto failed;
  g_clear_error (&local_error);
  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                        cancellable, &local_error);
  if (children == NULL)
    goto failed;
  while ((info = g_file_enumerator_next_file (children, cancellable, &local_error)) != NULL)
    {
      g_autoptr(GFile) child = g_file_enumerator_get_child (children, info);

      g_object_unref (info);
      if (!remove_tree (child, cancellable, blame, error))
        return FALSE;
    }
  if (local_error == NULL && g_file_delete (file, cancellable, &local_error))
    return TRUE;

failed:
  *blame = g_object_ref (file);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* in a worker thread: GIO has no recursive delete */
static void
remove_tree_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Transfer *tr = task_data;
  GError *error = NULL;

  if (remove_tree (tr->from, cancellable, &tr->blame, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;

  g_file_delete_finish (G_FILE (source), result, &error);
  if (smelt_bridge_settle (op, error))
    smelt_pending_op_complete (op, push_done, NULL, FALSE);
}

/* internal.fs_remove(path, recursive) */
static int
l_remove (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.remove");
  SmeltPendingOp *op = smelt_pending_op_begin (sched_upvalue (L), L, "smelt.fs.remove");
  GFile *file = g_file_new_for_path (path);

  op->path = g_strdup (path);
  if (lua_toboolean (L, 2))
    {
      Transfer *tr = transfer_new (file, NULL);
      GTask *task = g_task_new (NULL, op->cancellable, done_cb, smelt_pending_op_ref (op));

      op->data = tr;
      op->free_data = transfer_free;
      g_task_set_source_tag (task, l_remove);
      g_task_set_task_data (task, tr, NULL);   /* the op owns it and outlives the task */
      g_task_run_in_thread (task, remove_tree_thread);
      g_object_unref (task);
    }
  else
    {
      g_file_delete_async (file, G_PRIORITY_DEFAULT, op->cancellable, delete_cb, smelt_pending_op_ref (op));
      g_object_unref (file);
    }
  return smelt_pending_op_park (op, L);
}

/* ----------------------------------------------------------- rename, copy */

/* The source is looked at first, so an error is pinned on the file it
 * concerns: one about the source names it, one after names the target. */
#define SOURCE_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ACCESS_CAN_READ "," \
                          G_FILE_ATTRIBUTE_ACCESS_CAN_DELETE

static void
transfer_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  Transfer *tr = op->data;

  if (tr->move)
    g_file_move_finish (G_FILE (source), result, &error);
  else
    g_file_copy_finish (G_FILE (source), result, &error);
  if (!smelt_pending_op_is_live (op))
    return;
  if (error != NULL)
    {
      transfer_fail (op, tr->to, error);
      return;
    }
  smelt_pending_op_complete (op, push_done, NULL, FALSE);
}

static void
source_info_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  Transfer *tr = op->data;

  if (!smelt_pending_op_is_live (op))
    return;
  if (info != NULL && !tr->move)
    {
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, "Is a directory (a folder is not copied)");
      else if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ) &&
               !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ))
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "Permission denied");
    }
  else if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_DELETE) &&
           !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_DELETE))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "Permission denied");
  if (error != NULL)
    {
      transfer_fail (op, tr->from, error);
      return;
    }
  if (tr->move)
    g_file_move_async (tr->from, tr->to, tr->flags, G_PRIORITY_DEFAULT, op->cancellable, NULL, NULL,
                       transfer_cb, smelt_pending_op_ref (op));
  else
    g_file_copy_async (tr->from, tr->to, tr->flags, G_PRIORITY_DEFAULT, op->cancellable, NULL, NULL,
                       transfer_cb, smelt_pending_op_ref (op));
}

/* internal.fs_rename(from, to, overwrite) and internal.fs_copy(from, to, overwrite) */
static int
start_transfer (lua_State  *L,
                const char *fname,
                gboolean    move)
{
  const char *from = check_path (L, 1, fname);
  const char *to = check_path (L, 2, fname);
  SmeltPendingOp *op = smelt_pending_op_begin (sched_upvalue (L), L, fname);
  Transfer *tr = transfer_new (g_file_new_for_path (from), g_file_new_for_path (to));

  op->path = g_strdup (from);
  op->data = tr;
  op->free_data = transfer_free;
  tr->move = move;
  /* a link is moved as a link; a copy copies what it points to, as cp does */
  tr->flags = (lua_toboolean (L, 3) ? G_FILE_COPY_OVERWRITE : G_FILE_COPY_NONE) |
              (move ? G_FILE_COPY_NOFOLLOW_SYMLINKS : 0);
  g_file_query_info_async (tr->from, SOURCE_ATTRIBUTES,
                           move ? G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS : G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, op->cancellable, source_info_cb, smelt_pending_op_ref (op));
  return smelt_pending_op_park (op, L);
}

static int
l_rename (lua_State *L)
{
  return start_transfer (L, "smelt.fs.rename", TRUE);
}

static int
l_copy (lua_State *L)
{
  return start_transfer (L, "smelt.fs.copy", FALSE);
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

/* { true, { info... } } */
static void
push_list (lua_State *L,
           gpointer   data)
{
  ListState *ls = data;

  smelt_bridge_push_ok (L);
  lua_createtable (L, (int) ls->infos->len, 0);
  for (guint i = 0; i < ls->infos->len; i++)
    {
      push_info (L, g_ptr_array_index (ls->infos, i), TRUE);
      lua_rawseti (L, -2, i + 1);
    }
  lua_rawseti (L, -2, 2);
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
  if (!smelt_bridge_settle (op, error))
    return;
  if (files == NULL)
    {
      smelt_pending_op_complete (op, push_list, ls, FALSE);
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

  op->path = g_strdup (path);
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

/* A recursive watch has one GFileMonitor per folder.  The folders below
 * the root are found by a walk that never holds the loop long (2,040
 * folders walked in one call held it 128 ms): a worker thread lists up to
 * WALK_LIST folders at a time (the listing is what may block on a disk),
 * and the loop makes the monitors of the folders found, WALK_BATCH per
 * idle callback (a monitor must be made on the loop's thread: its events
 * come to the context it was made in).
 *
 * Invariant: every folder in monitors has its monitor and is listed, in
 * unlisted, or in the thread's hands; found holds folders listed but not
 * watched yet.  A folder gets its monitor before it is listed, so a child
 * made meanwhile is seen by the listing, by the monitor's "created" event,
 * or by both: monitors, keyed by path, watches it once.
 *
 * While walking, exactly one of the idle source and the listing thread's
 * callback is due, and it holds a reference: a handle collected mid-walk
 * leaves it a stopped watch to find and free. */

#define WALK_LIST 64
#define WALK_BATCH 100
#define WALK_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE

typedef struct
{
  guint            ref_count;
  SmeltScheduler  *sched;
  char            *path;        /* as given: errors name it */
  char            *root;        /* its key in monitors */
  GHashTable      *monitors;    /* folder path -> GFileMonitor */
  int              fn_ref;
  gboolean         recursive;
  gboolean         removed;
  GQueue           unlisted;    /* GFile: watched, still to list */
  GQueue           found;       /* GFile: listed, still to watch */
  GCancellable    *cancellable; /* the walk's; cancelled on remove */
  guint            idle_id;
  gboolean         walking;     /* the idle or the listing is due */
  GPtrArray       *waiters;     /* SmeltPendingOp: tasks parked in ready() */
} SmeltWatch;

static void walk_kick (SmeltWatch *w);

static SmeltWatch *
watch_ref (SmeltWatch *w)
{
  w->ref_count++;
  return w;
}

static void
watch_unref (SmeltWatch *w)
{
  if (--w->ref_count > 0)
    return;
  g_assert (w->removed);
  g_clear_pointer (&w->monitors, g_hash_table_unref);
  g_queue_clear_full (&w->unlisted, g_object_unref);
  g_queue_clear_full (&w->found, g_object_unref);
  g_clear_object (&w->cancellable);
  g_clear_pointer (&w->waiters, g_ptr_array_unref);
  g_free (w->root);
  g_free (w->path);
  g_free (w);
}

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

static void on_monitor_changed (GFileMonitor *monitor, GFile *file, GFile *other,
                                GFileMonitorEvent event, gpointer user_data);

static void
monitor_free (gpointer data)
{
  GFileMonitor *monitor = data;

  g_signal_handlers_disconnect_matched (monitor, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, on_monitor_changed, NULL);
  g_file_monitor_cancel (monitor);
  g_object_unref (monitor);
}

/* Watches dir (once) and, for a recursive watch, queues it to be listed.
 * Returns FALSE, with error set if asked, when it cannot be watched. */
static gboolean
watch_folder (SmeltWatch  *w,
              GFile       *dir,
              GError     **error)
{
  g_autofree char *path = g_file_get_path (dir);
  g_autoptr(GError) local_error = NULL;
  GFileMonitor *monitor;

  if (path == NULL || g_hash_table_contains (w->monitors, path))
    return TRUE;
  /* g_file_monitor () looks whether it is a folder: the root may be a file */
  monitor = g_file_monitor (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &local_error);
  if (monitor == NULL)
    {
      g_debug ("cannot watch %s: %s", path, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_signal_connect (monitor, "changed", G_CALLBACK (on_monitor_changed), w);
  g_hash_table_insert (w->monitors, g_steal_pointer (&path), monitor);
  if (w->recursive)
    {
      g_queue_push_tail (&w->unlisted, g_object_ref (dir));
      walk_kick (w);
    }
  return TRUE;
}

/* A folder gone (or renamed): its monitor and those below it go too, so a
 * folder made again under that name is watched afresh. */
static void
unwatch_folder (SmeltWatch *w,
                GFile      *dir)
{
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *below = NULL;
  GHashTableIter iter;
  const char *key;

  /* the root stays: GLib's monitor of a missing folder waits for it */
  if (path == NULL || g_strcmp0 (path, w->root) == 0 || !g_hash_table_remove (w->monitors, path))
    return;
  below = g_strconcat (path, "/", NULL);
  g_hash_table_iter_init (&iter, w->monitors);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (g_str_has_prefix (key, below))
      g_hash_table_iter_remove (&iter);
}

static gboolean
is_folder (GFile *file)
{
  return g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) == G_FILE_TYPE_DIRECTORY;
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

  if (w->recursive && file != NULL)
    switch (event)
      {
      case G_FILE_MONITOR_EVENT_CREATED:
      case G_FILE_MONITOR_EVENT_MOVED_IN:
        if (is_folder (file))
          watch_folder (w, file, NULL);
        break;
      case G_FILE_MONITOR_EVENT_DELETED:
      case G_FILE_MONITOR_EVENT_MOVED_OUT:
        unwatch_folder (w, file);
        break;
      case G_FILE_MONITOR_EVENT_RENAMED:
        unwatch_folder (w, file);
        if (other != NULL && is_folder (other))
          watch_folder (w, other, NULL);
        break;
      default:
        break;
      }

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

/* Every folder is watched: the tasks in ready() get true. */
static void
walk_done (SmeltWatch *w)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&w->waiters);

  w->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) smelt_pending_op_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      SmeltPendingOp *op = g_ptr_array_index (waiters, i);

      /* an op whose task was cancelled is left alone */
      smelt_pending_op_complete (op, push_done, NULL, FALSE);
    }
}

/* in the worker thread: the folders below dirs (GFile), as GFiles */
static void
list_folders_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GPtrArray *dirs = task_data;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < dirs->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      GFile *dir = g_ptr_array_index (dirs, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GFileEnumerator) children =
        g_file_enumerate_children (dir, WALK_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, &error);
      GFileInfo *info;

      if (children == NULL)
        {
          /* gone or unreadable: the rest is still watched */
          g_debug ("cannot list %s: %s", g_file_peek_path (dir), error->message);
          continue;
        }
      while ((info = g_file_enumerator_next_file (children, cancellable, NULL)) != NULL)
        {
          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            g_ptr_array_add (found, g_file_enumerator_get_child (children, info));
          g_object_unref (info);
        }
    }
  g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static void walk_step (SmeltWatch *w);

static void
list_folders_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SmeltWatch *w = user_data;
  g_autoptr(GPtrArray) found = g_task_propagate_pointer (G_TASK (result), NULL);

  if (!w->removed)
    {
      for (guint i = 0; found != NULL && i < found->len; i++)
        g_queue_push_tail (&w->found, g_object_ref (g_ptr_array_index (found, i)));
      walk_step (w);
    }
  watch_unref (w);
}

static gboolean
walk_idle_cb (gpointer data)
{
  SmeltWatch *w = data;

  w->idle_id = 0;
  walk_step (w);
  return G_SOURCE_REMOVE;
}

static void
walk_schedule (SmeltWatch *w)
{
  w->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, walk_idle_cb, watch_ref (w),
                                (GDestroyNotify) watch_unref);
}

/* One step of the walk, on the loop: watch up to WALK_BATCH folders found,
 * else hand up to WALK_LIST unlisted folders to the thread, else done. */
static void
walk_step (SmeltWatch *w)
{
  GFile *dir;
  guint n = 0;

  g_assert (w->walking && !w->removed);
  while (n < WALK_BATCH && (dir = g_queue_pop_head (&w->found)) != NULL)
    {
      watch_folder (w, dir, NULL);
      g_object_unref (dir);
      n++;
    }
  if (!g_queue_is_empty (&w->found))
    {
      walk_schedule (w);
      return;
    }
  if (!g_queue_is_empty (&w->unlisted))
    {
      GPtrArray *dirs = g_ptr_array_new_with_free_func (g_object_unref);
      GTask *task;

      while (dirs->len < WALK_LIST && (dir = g_queue_pop_head (&w->unlisted)) != NULL)
        g_ptr_array_add (dirs, dir);
      task = g_task_new (NULL, w->cancellable, list_folders_cb, watch_ref (w));
      g_task_set_source_tag (task, walk_step);
      g_task_set_task_data (task, dirs, (GDestroyNotify) g_ptr_array_unref);
      g_task_run_in_thread (task, list_folders_thread);
      g_object_unref (task);
      return;
    }
  w->walking = FALSE;
  walk_done (w);
}

/* A folder was queued: start the walk unless it runs. */
static void
walk_kick (SmeltWatch *w)
{
  if (w->walking || w->removed)
    return;
  w->walking = TRUE;
  walk_schedule (w);
}

/* Stops the monitors and the walk.  The tasks in ready() get "cancelled",
 * except when the handle is collected (resolve is FALSE): no task can be
 * waiting then but at the host's end, which discards them itself. */
static void
watch_stop (SmeltWatch *w,
            lua_State  *L,
            gboolean    resolve)
{
  g_autoptr(GPtrArray) waiters = NULL;

  if (w->removed)
    return;
  w->removed = TRUE;
  g_cancellable_cancel (w->cancellable);
  g_hash_table_remove_all (w->monitors);
  g_clear_handle_id (&w->idle_id, g_source_remove);
  g_queue_clear_full (&w->unlisted, g_object_unref);
  g_queue_clear_full (&w->found, g_object_unref);
  luaL_unref (L, LUA_REGISTRYINDEX, w->fn_ref);
  w->fn_ref = LUA_NOREF;

  waiters = g_steal_pointer (&w->waiters);
  for (guint i = 0; resolve && i < waiters->len; i++)
    {
      SmeltPendingOp *op = g_ptr_array_index (waiters, i);
      g_autoptr(GError) error = NULL;

      if (!smelt_pending_op_is_live (op))
        continue;
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "the watch was removed");
      smelt_bridge_fail (op, error);
    }
}

static SmeltWatch *
check_watch (lua_State *L)
{
  return *(SmeltWatch **) luaL_checkudata (L, 1, WATCH_MT);
}

/* internal.fs_watch(path, fn, recursive): a handle with :remove(), :ready(), :status() */
static int
l_watch (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.watch");
  SmeltWatch **slot, *w;
  GFile *file;
  GError *error = NULL;
  gboolean ok;

  luaL_checktype (L, 2, LUA_TFUNCTION);
  {
    /* a missing folder would be watched for its creation, silently */
    GStatBuf st;

    if (g_stat (path, &st) != 0)
      return luaL_error (L, "smelt.fs.watch: %s: %s", path, g_strerror (errno));
  }
  slot = lua_newuserdatauv (L, sizeof *slot, 0);
  *slot = w = g_new0 (SmeltWatch, 1);
  luaL_setmetatable (L, WATCH_MT);
  w->ref_count = 1;             /* the handle's */
  w->sched = sched_upvalue (L);
  w->path = g_strdup (path);
  w->recursive = lua_toboolean (L, 3);
  w->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, monitor_free);
  w->cancellable = g_cancellable_new ();
  w->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) smelt_pending_op_unref);
  g_queue_init (&w->unlisted);
  g_queue_init (&w->found);
  lua_pushvalue (L, 2);
  w->fn_ref = luaL_ref (L, LUA_REGISTRYINDEX);

  file = g_file_new_for_path (path);
  w->root = g_file_get_path (file);
  ok = watch_folder (w, file, &error);
  g_object_unref (file);
  if (!ok)
    {
      lua_pushfstring (L, "smelt.fs.watch: %s: %s", path, error->message);
      g_error_free (error);
      watch_stop (w, L, FALSE);
      return lua_error (L);
    }
  return 1;                     /* stack: ..., handle */
}

/* watch:remove(): stop watching (and walking) */
static int
watch_remove (lua_State *L)
{
  watch_stop (check_watch (L), L, TRUE);
  return 0;
}

/* watch:status(): "walking", "watching" or "removed" */
static int
watch_status (lua_State *L)
{
  SmeltWatch *w = check_watch (L);

  lua_pushstring (L, w->removed ? "removed" : w->walking ? "walking" : "watching");
  return 1;
}

/* watch:ready(): parks until every folder below is watched; { true } or
 * { false, message, "cancelled" } (unpacked in lua/smelt/fs.lua) */
static int
watch_ready (lua_State *L)
{
  SmeltWatch *w = check_watch (L);
  SmeltPendingOp *op;

  if (w->removed)
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "smelt.fs.watch: %s: the watch was removed", w->path);

      smelt_bridge_push_error (L, error);
      return 1;
    }
  if (!w->walking)
    {
      smelt_bridge_push_ok (L);
      return 1;
    }
  op = smelt_pending_op_begin (w->sched, L, "smelt.fs.watch");
  op->path = g_strdup (w->path);
  g_ptr_array_add (w->waiters, smelt_pending_op_ref (op));
  return smelt_pending_op_park (op, L);
}

static int
watch_gc (lua_State *L)
{
  SmeltWatch *w = check_watch (L);

  watch_stop (w, L, FALSE);
  watch_unref (w);
  return 0;
}

static const luaL_Reg internal_functions[] = {
  { "fs_read", l_read },
  { "fs_write", l_write },
  { "fs_stat", l_stat },
  { "fs_mkdir", l_mkdir },
  { "fs_list", l_list },
  { "fs_remove", l_remove },
  { "fs_rename", l_rename },
  { "fs_copy", l_copy },
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
  lua_pushcfunction (L, watch_ready);
  lua_setfield (L, -2, "ready");
  lua_pushcfunction (L, watch_status);
  lua_setfield (L, -2, "status");
  lua_setfield (L, -2, "__index");
  lua_pop (L, 1);

  lua_pushvalue (L, internal_idx);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, internal_functions, 1);
  lua_pop (L, 1);
}
