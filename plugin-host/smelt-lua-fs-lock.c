/* smelt-lua-fs-lock.c: smelt.fs.lock, an advisory lock on a file that lasts while its process lives
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * flock(2) on a file of its own: the kernel drops the lock when the
 * process ends, however it ends (SIGKILL, a crash), so a lock that can be
 * taken says its last holder is gone, and no process id that may have been
 * reused is trusted.  The holder's pid is written into the file, for
 * people.  Synchronous: open, flock with LOCK_NB and a write of a few
 * bytes never wait on the disk for long.
 */

#define G_LOG_DOMAIN "smelt-fs"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <lauxlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "smelt-bridge.h"
#include "smelt-lua-private.h"

#define LOCK_MT "smelt.FsLock"

typedef struct
{
  int   fd;     /* -1 once released */
  char *path;
} FsLock;

static void
push_failure (lua_State  *L,
              GIOErrorEnum code,
              const char *path,
              const char *reason)
{
  g_autoptr(GError) error = g_error_new (G_IO_ERROR, code, "smelt.fs.lock: %s: %s", path, reason);

  smelt_bridge_push_error (L, error);
}

/* The fd of path, locked; -1 with errno set (EWOULDBLOCK: another holds it).
 * The file may be removed and made again between the open and the flock (its
 * last holder cleaning up): the lock is then on a file no one else finds, so
 * it is taken again on the file the path names now. */
static int
lock_path (const char *path)
{
  for (int attempt = 0; attempt < 3; attempt++)
    {
      struct stat by_fd, by_path;
      int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (fd < 0)
        return -1;
      if (flock (fd, LOCK_EX | LOCK_NB) != 0)
        {
          int saved = errno;

          close (fd);
          errno = saved;
          return -1;
        }
      if (fstat (fd, &by_fd) == 0 && stat (path, &by_path) == 0 &&
          by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino)
        return fd;
      close (fd);
    }
  errno = EAGAIN;
  return -1;
}

/* internal.fs_lock(path): { true, lock } or { false, message, code } */
static int
l_lock (lua_State *L)
{
  const char *path;
  FsLock *lock;
  char pid[32];
  int fd;

  if (lua_type (L, 1) != LUA_TSTRING)
    return smelt_lua_arg_error (L, 1, "smelt.fs.lock", "path expected, got %s", luaL_typename (L, 1));
  path = lua_tostring (L, 1);
  fd = lock_path (path);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == EWOULDBLOCK || saved == EAGAIN)
        push_failure (L, G_IO_ERROR_BUSY, path, "locked by another process");
      else
        push_failure (L, g_io_error_from_errno (saved), path, g_strerror (saved));
      return 1;
    }
  g_snprintf (pid, sizeof pid, "%ld\n", (long) getpid ());
  if (ftruncate (fd, 0) != 0 || write (fd, pid, strlen (pid)) < 0)
    g_debug ("smelt.fs.lock: %s: the pid was not written: %s", path, g_strerror (errno));

  smelt_bridge_push_ok (L);
  lock = lua_newuserdatauv (L, sizeof *lock, 0);
  lock->fd = fd;
  lock->path = g_strdup (path);
  luaL_setmetatable (L, LOCK_MT);
  lua_rawseti (L, -2, 2);
  return 1;
}

static FsLock *
check_lock (lua_State *L)
{
  return luaL_checkudata (L, 1, LOCK_MT);
}

static void
release (FsLock *lock)
{
  if (lock->fd >= 0)
    close (lock->fd);   /* the lock goes with the last fd of its open file */
  lock->fd = -1;
  g_clear_pointer (&lock->path, g_free);
}

/* lock:release([remove]): let go; with remove, the file goes first (while
 * still held, so no one takes a lock on a file about to vanish) */
static int
lock_release (lua_State *L)
{
  FsLock *lock = check_lock (L);

  if (lock->fd >= 0 && lua_toboolean (L, 2))
    g_unlink (lock->path);
  release (lock);
  return 0;
}

/* lock:held(): whether it is still held (not released) */
static int
lock_held (lua_State *L)
{
  lua_pushboolean (L, check_lock (L)->fd >= 0);
  return 1;
}

static int
lock_gc (lua_State *L)
{
  release (check_lock (L));
  return 0;
}

static const luaL_Reg internal_functions[] = {
  { "fs_lock", l_lock },
  { NULL, NULL },
};

void
smelt_lua_open_fs_lock (lua_State *L,
                        int        internal_idx)
{
  internal_idx = lua_absindex (L, internal_idx);
  luaL_newmetatable (L, LOCK_MT);
  lua_pushcfunction (L, lock_gc);
  lua_setfield (L, -2, "__gc");
  lua_newtable (L);
  lua_pushcfunction (L, lock_release);
  lua_setfield (L, -2, "release");
  lua_pushcfunction (L, lock_held);
  lua_setfield (L, -2, "held");
  lua_setfield (L, -2, "__index");
  lua_pop (L, 1);

  lua_pushvalue (L, internal_idx);
  luaL_setfuncs (L, internal_functions, 0);
  lua_pop (L, 1);
}
