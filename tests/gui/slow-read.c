/* slow-read.c: LD_PRELOAD for a GUI spec: a slow disk, for files whose name ends in ".slow"
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A read() of such a file past its first SLOW_AFTER bytes waits while the
 * file $SMELT_TEST_SLOW_GATE exists: the loader gets the start of the
 * file, then its reads hang as on a stalled network disk, until the spec
 * removes the gate.  So "Ctrl+S while it loads" holds by construction, on
 * any machine, with no clock in the test.  Other files, and every read when
 * the variable is unset, go straight to the C library's read().
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLOW_AFTER (256 * 1024)

static ssize_t (*real_read) (int, void *, size_t);

static int
is_slow (int fd)
{
  char link[64];
  char target[4096];
  ssize_t len;

  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  len = readlink (link, target, sizeof target - 1);
  return len > 5 && memcmp (target + len - 5, ".slow", 5) == 0;
}

ssize_t
read (int     fd,
      void   *buf,
      size_t  count)
{
  const char *gate = getenv ("SMELT_TEST_SLOW_GATE");

  if (real_read == NULL)
    real_read = (ssize_t (*) (int, void *, size_t)) dlsym (RTLD_NEXT, "read");
  if (gate != NULL && is_slow (fd) && lseek (fd, 0, SEEK_CUR) >= SLOW_AFTER)
    {
      struct timespec nap = { 0, 10 * 1000 * 1000 };

      while (access (gate, F_OK) == 0)
        nanosleep (&nap, NULL);
    }
  return real_read (fd, buf, count);
}
