/* smelt-lua-fs.c: file operations that park the calling task on GIO (read, write, list, stat, watch)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C primitives behind lua/smelt/fs.lua.  Each resolves its task with
 * { true, value } or { false, message, code } (see smelt-bridge.c).
 */

#define G_LOG_DOMAIN "smelt-fs"
#define _GNU_SOURCE             /* fallocate (), FALLOC_FL_KEEP_SIZE */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <lauxlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

/* GIO words its errors "Error when getting information for file “PATH”:
 * reason"; the bridge names the function and path itself, so only the
 * reason is kept. */
static const char *
gio_reason (const char *message,
            const char *path)
{
  const char *at = path != NULL ? strstr (message, path) : NULL;

  if (at == NULL)
    return message;
  at += strlen (path);
  if (g_str_has_prefix (at, "\u201d"))
    at += strlen ("\u201d");
  else if (*at == '\'' || *at == '"')
    at++;
  return g_str_has_prefix (at, ": ") ? at + 2 : message;
}

/* smelt_bridge_settle () with the reason cut out of a GIO message */
static gboolean
fs_settle (SmeltPendingOp *op,
           const GError  *error)
{
  g_autoptr(GError) reason = NULL;

  if (error != NULL && smelt_pending_op_is_live (op))
    {
      reason = g_error_new_literal (error->domain, error->code, gio_reason (error->message, op->path));
      error = reason;
    }
  return smelt_bridge_settle (op, error);
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
  if (!fs_settle (op, error))
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

  if (!fs_settle (op, error))
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

/* The write runs in a worker thread: deciding how to write (a link? other
 * names? whose file?) takes several system calls, each of which may block
 * on a slow disk, and the loop must keep running meanwhile.
 *
 *   a symlink        the target is written (a chain is followed from each
 *                    link's own folder; a dangling one's target is made),
 *                    so the link stays a link
 *   other names      (st_nlink > 1) written in place, after checking and
 *                    reserving the room, so every name sees the new text
 *   otherwise        an atomic replace: a temporary file in the target's
 *                    folder, written, synced, given the old owner, group
 *                    and mode, renamed over it
 *
 * A file nobody may write (no w bit, or no write access for the caller) is
 * refused with "read-only" unless forced.  A failure or a cancellation of
 * an atomic replace removes the temporary file and leaves the old one; an
 * in-place write, once its room is reserved, runs to the end (stopping half
 * way would leave a mix of old and new). */

#define WRITE_CHUNK (1 << 20)
#define MAX_LINK_HOPS 40

typedef struct
{
  char     *path;               /* as given */
  GBytes   *bytes;
  gboolean  backup;
  gboolean  force;
} WriteJob;

static void
write_job_free (gpointer data)
{
  WriteJob *job = data;

  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job->path);
  g_free (job);
}

/* The reason only: the bridge prefixes "smelt.fs.write: PATH: ".  When the
 * file written is a link's target, the reason names the target too. */
static gboolean
fail_errno (GError     **error,
            int          err,
            const char  *target,
            const char  *path)
{
  if (g_strcmp0 (target, path) != 0)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "%s (the link's target %s)",
                 g_strerror (err), target);
  else
    g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (err), g_strerror (err));
  return FALSE;
}

/* Follows path while it is a symlink.  Returns the file to write, with its
 * lstat() in st, or %NULL; *exists is FALSE when it is to be made. */
static char *
resolve_target (const char  *path,
                GStatBuf    *st,
                gboolean    *exists,
                GError     **error)
{
  g_autofree char *cur = g_strdup (path);

  for (int hops = 0;; hops++)
    {
      g_autofree char *link = NULL;
      g_autoptr(GError) link_error = NULL;

      if (g_lstat (cur, st) != 0)
        {
          int err = errno;

          if (err == ENOENT)
            {
              *exists = FALSE;
              return g_steal_pointer (&cur);
            }
          fail_errno (error, err, cur, path);
          return NULL;
        }
      if (!S_ISLNK (st->st_mode))
        {
          *exists = TRUE;
          return g_steal_pointer (&cur);
        }
      if (hops == MAX_LINK_HOPS)
        {
          fail_errno (error, ELOOP, cur, path);
          return NULL;
        }
      link = g_file_read_link (cur, &link_error);
      if (link == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", link_error->message);
          return NULL;
        }
      if (!g_path_is_absolute (link))
        {
          g_autofree char *dir = g_path_get_dirname (cur);

          g_free (cur);
          cur = g_build_filename (dir, link, NULL);
        }
      else
        {
          g_free (cur);
          cur = g_steal_pointer (&link);
        }
    }
}

/* All of data to fd at offset (-1: the file position), in chunks, so a
 * cancellation is seen within one chunk when cancellable is given. */
static gboolean
write_fully (int            fd,
             const guint8  *data,
             gsize          len,
             goffset        offset,
             GCancellable  *cancellable,
             int           *err)
{
  gsize done = 0;

  while (done < len)
    {
      gsize n = MIN (len - done, WRITE_CHUNK);
      gssize w;

      if (g_cancellable_is_cancelled (cancellable))
        {
          *err = ECANCELED;
          return FALSE;
        }
      w = offset < 0 ? write (fd, data + done, n) : pwrite (fd, data + done, n, offset + done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        {
          *err = errno;
          return FALSE;
        }
      done += w;
    }
  return TRUE;
}

static gboolean
is_read_only (const char     *target,
              const GStatBuf *st)
{
  if ((st->st_mode & 0222) == 0)
    return TRUE;                /* root could write it: the mode says nobody should */
  return access (target, W_OK) != 0 && errno == EACCES;
}

/* target~ as a copy of target (a link would be a third name for the inode
 * an in-place write changes; for a replace, a link is enough). */
static gboolean
make_backup (const char  *target,
             gboolean     in_place,
             GError     **error)
{
  g_autofree char *bak = g_strconcat (target, "~", NULL);
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(GError) copy_error = NULL;

  g_unlink (bak);
  if (!in_place && link (target, bak) == 0)
    return TRUE;
  from = g_file_new_for_path (target);
  to = g_file_new_for_path (bak);
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE | G_FILE_COPY_ALL_METADATA | G_FILE_COPY_NOFOLLOW_SYMLINKS,
                    NULL, NULL, NULL, &copy_error))
    {
      g_set_error (error, copy_error->domain, copy_error->code, "cannot make the backup %s: %s",
                   bak, copy_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_in_place (WriteJob        *job,
                const char      *target,
                const GStatBuf  *st,
                GError         **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (job->bytes, &len);
  struct statvfs fs;
  guint64 room, held = (guint64) st->st_blocks * 512;
  int fd, err;

  /* The old blocks are reused: only what goes past them needs free room. */
  if (statvfs (target, &fs) == 0)
    {
      room = (guint64) (geteuid () == 0 ? fs.f_bfree : fs.f_bavail) * fs.f_frsize;
      if (len > held && len - held > room)
        {
          g_autofree char *need = g_format_size (len);
          g_autofree char *free_ = g_format_size (room + held);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       "No space left on device (%s to write in place, room for %s); the file is unchanged",
                       need, free_);
          return FALSE;
        }
    }
  if (job->backup && !make_backup (target, TRUE, error))
    return FALSE;

  fd = g_open (target, O_WRONLY | O_CLOEXEC, 0);
  if (fd < 0 && errno == EACCES && job->force && st->st_uid == geteuid ())
    {
      /* forced: the owner may lend the file a w bit for the open */
      if (g_chmod (target, (st->st_mode & 07777) | S_IWUSR) == 0)
        {
          fd = g_open (target, O_WRONLY | O_CLOEXEC, 0);
          err = errno;
          g_chmod (target, st->st_mode & 07777);
          errno = err;
        }
    }
  if (fd < 0)
    return fail_errno (error, errno, target, job->path);

  /* Reserve the room before touching a byte: a full disk fails here, with
   * the old contents whole. */
  if (len > 0 && fallocate (fd, FALLOC_FL_KEEP_SIZE, 0, len) != 0 &&
      errno != EOPNOTSUPP && errno != ENOSYS)
    {
      err = errno;
      if (ftruncate (fd, st->st_size) != 0)   /* frees what was reserved past the end */
        g_debug ("%s: cannot drop the reserved room: %s", target, g_strerror (errno));
      close (fd);
      return fail_errno (error, err, target, job->path);
    }
  if (!write_fully (fd, data, len, 0, NULL, &err) ||
      (ftruncate (fd, len) != 0 && (err = errno)) ||
      (fsync (fd) != 0 && (err = errno)))
    {
      close (fd);
      return fail_errno (error, err, target, job->path);
    }
  if (close (fd) != 0)
    return fail_errno (error, errno, target, job->path);
  return TRUE;
}

static gboolean
write_atomic (WriteJob        *job,
              const char      *target,
              const GStatBuf  *st,
              gboolean         exists,
              GCancellable    *cancellable,
              GError         **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (job->bytes, &len);
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *tmp = g_strdup_printf ("%s/.%s.smelt-XXXXXX", dir, base);
  int fd, err = 0;

  /* A new file gets 0666 less the umask, as any program's; an existing
   * one's temporary is private until it has the old mode. */
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, exists ? 0600 : 0666);
  if (fd < 0)
    return fail_errno (error, errno, target, job->path);

  if (!write_fully (fd, data, len, -1, cancellable, &err) || (fsync (fd) != 0 && (err = errno)))
    goto failed;
  if (exists)
    {
      /* owner first: chown() clears the set-user-ID and set-group-ID bits */
      if ((st->st_uid != geteuid () || st->st_gid != getegid ()) && fchown (fd, st->st_uid, st->st_gid) != 0)
        g_debug ("%s: cannot keep owner %u:%u: %s", target, st->st_uid, st->st_gid, g_strerror (errno));
      if (fchmod (fd, st->st_mode & 07777) != 0)
        {
          err = errno;
          goto failed;
        }
    }
  if (close (fd) != 0)
    {
      err = errno;
      fd = -1;
      goto failed;
    }
  fd = -1;
  if (g_cancellable_is_cancelled (cancellable))
    {
      err = ECANCELED;
      goto failed;
    }
  if (exists && job->backup && !make_backup (target, FALSE, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, target) != 0)
    {
      err = errno;
      goto failed;
    }
  return TRUE;

failed:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  if (err == ECANCELED)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }
  return fail_errno (error, err, target, job->path);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteJob *job = task_data;
  GError *error = NULL;
  g_autofree char *target = NULL;
  GStatBuf st;
  gboolean exists = FALSE, ok = FALSE;

  target = resolve_target (job->path, &st, &exists, &error);
  if (target == NULL)
    ;
  else if (exists && S_ISDIR (st.st_mode))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, "Is a directory");
  else if (exists && !S_ISREG (st.st_mode))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                         "Not a regular file (a device, FIFO or socket is not replaced)");
  else if (exists && !job->force && is_read_only (target, &st))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_READ_ONLY,
                         "Read-only file (write with { force = true } to replace it)");
  else if (exists && st.st_nlink > 1)
    ok = write_in_place (job, target, &st, &error);
  else
    ok = write_atomic (job, target, &st, exists, cancellable, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (!fs_settle (op, error))
    return;
  smelt_bridge_push_ok (smelt_pending_op_lua (op));
  smelt_pending_op_resolve (op);
}

/* internal.fs_write(path, data, backup, force) */
static int
l_write (lua_State *L)
{
  const char *path = check_path (L, 1, "smelt.fs.write");
  SmeltPendingOp *op;
  WriteJob *job;
  GTask *task;
  size_t len;
  const char *data;

  if (lua_type (L, 2) != LUA_TSTRING)
    return smelt_lua_arg_error (L, 2, "smelt.fs.write", "string expected, got %s", luaL_typename (L, 2));
  data = lua_tolstring (L, 2, &len);

  op = smelt_pending_op_begin (sched_upvalue (L), L, "smelt.fs.write");
  op->path = g_strdup (path);
  job = g_new0 (WriteJob, 1);
  job->path = g_strdup (path);
  job->bytes = g_bytes_new (data, len);
  job->backup = lua_toboolean (L, 3);
  job->force = lua_toboolean (L, 4);
  task = g_task_new (NULL, op->cancellable, write_cb, smelt_pending_op_ref (op));
  g_task_set_source_tag (task, l_write);
  g_task_set_task_data (task, job, write_job_free);
  g_task_run_in_thread (task, write_thread);
  g_object_unref (task);
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

  if (!fs_settle (op, error))
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
  if (!fs_settle (op, error))
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

  op->path = g_strdup (path);
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
  if (!fs_settle (op, error))
    return;
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
  if (!fs_settle (op, error))
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
  {
    /* a missing folder would be watched for its creation, silently */
    struct stat st;

    if (g_stat (path, &st) != 0)
      return luaL_error (L, "smelt.fs.watch: %s: %s", path, g_strerror (errno));
  }
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
      return luaL_error (L, "smelt.fs.watch: %s: cannot watch it", lua_tostring (L, 1));
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
