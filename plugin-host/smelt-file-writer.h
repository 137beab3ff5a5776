/* smelt-file-writer.h: writes a file safely: through symlinks, keeping hard links, owner and mode
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SMELT_FILE_WRITE_NONE   = 0,
  SMELT_FILE_WRITE_BACKUP = 1 << 0,   /* keep the old text as PATH~ */
  SMELT_FILE_WRITE_FORCE  = 1 << 1,   /* write a read-only file too */
} SmeltFileWriteFlags;

void     smelt_file_write_async  (const char           *path,
                                  GBytes               *bytes,
                                  SmeltFileWriteFlags   flags,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
gboolean smelt_file_write_finish (GAsyncResult         *result,
                                  GError              **error);

G_END_DECLS
