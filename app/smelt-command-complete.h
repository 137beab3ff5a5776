/* smelt-command-complete.h: what Tab offers on the command line, and the paths its :e and :w take
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "smelt-host.h"

G_BEGIN_DECLS

GStrv  smelt_command_complete        (SmeltHost           *host,
                                      const char          *line);
void   smelt_command_complete_async  (SmeltHost           *host,
                                      const char          *line,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
GStrv  smelt_command_complete_finish (GAsyncResult        *result,
                                      GError             **error);
GFile *smelt_command_path_to_file    (const char          *arg);

G_END_DECLS
