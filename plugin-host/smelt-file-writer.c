/* smelt-file-writer.c: writes a file safely: through symlinks, keeping hard links, owner and mode
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Used by smelt.fs.write and by a document's save.
 *
 * The write runs in a worker thread: deciding how to write (a link? other
 * names? whose file?) takes several system calls, each of which may block
 * on a slow disk, and the loop must keep running meanwhile.
 *
 *   a symlink        the target is written (a chain is followed from each
 *                    link's own folder; a dangling one's target is made),
 *                    so the link stays a link
 *   other names      (st_nlink > 1) written in place, after checking and
 *                    reserving the room, so every name sees the new text;
 *                    so is a file in a folder the caller may not write to
 *                    (no temporary file can be made there)
 *   otherwise        an atomic replace: a temporary file in the target's
 *                    folder, written, synced, given the old owner, group
 *                    and mode, renamed over it
 *
 * A file nobody may write (no w bit, or no write access for the caller) is
 * refused with "read-only" unless forced.  A failure or a cancellation of
 * an atomic replace removes the temporary file and leaves the old one; an
 * in-place write, once its room is reserved, runs to the end (stopping half
 * way would leave a mix of old and new). */

#define G_LOG_DOMAIN "smelt-file-writer"
#define _GNU_SOURCE             /* fallocate (), FALLOC_FL_KEEP_SIZE */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "smelt-file-writer.h"


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

/* The reason only: the caller names the function and the path (the bridge
 * prefixes "smelt.fs.write: PATH: ").  When the file written is a link's
 * target, the reason names the target too. */
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

/* A temporary file can be made next to target (a read-only file system
 * says so later, when the replace fails with "read-only"). */
static gboolean
folder_writable (const char *target)
{
  g_autofree char *dir = g_path_get_dirname (target);

  return access (dir, W_OK) == 0 || errno != EACCES;
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
  else if (exists && (st.st_nlink > 1 || !folder_writable (target)))
    ok = write_in_place (job, target, &st, &error);
  else
    ok = write_atomic (job, target, &st, exists, cancellable, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}


/**
 * smelt_file_write_async:
 * @path: the file to write (a symlink is written through)
 * @bytes: the new contents
 * @flags: %SMELT_FILE_WRITE_BACKUP keeps the old text as PATH~ first;
 *   %SMELT_FILE_WRITE_FORCE writes a read-only file too
 * @cancellable: (nullable): stops an atomic replace (the file keeps its
 *   old text); an in-place write, once its room is reserved, runs to the end
 * @callback: called when written, or when the write failed or was refused
 * @user_data: for @callback
 *
 * Writes @bytes to @path in a worker thread, as the comment at the top of
 * smelt-file-writer.c says.  Errors are %G_IO_ERROR ones ("read-only",
 * "no-space", "not-regular-file", ...) whose messages give the reason only.
 */
void
smelt_file_write_async (const char          *path,
                        GBytes              *bytes,
                        SmeltFileWriteFlags  flags,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteJob *job;

  g_return_if_fail (path != NULL);
  g_return_if_fail (bytes != NULL);

  job = g_new0 (WriteJob, 1);
  job->path = g_strdup (path);
  job->bytes = g_bytes_ref (bytes);
  job->backup = (flags & SMELT_FILE_WRITE_BACKUP) != 0;
  job->force = (flags & SMELT_FILE_WRITE_FORCE) != 0;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, smelt_file_write_async);
  g_task_set_task_data (task, job, write_job_free);
  g_task_run_in_thread (task, write_thread);
}

/**
 * smelt_file_write_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the file was written
 */
gboolean
smelt_file_write_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
