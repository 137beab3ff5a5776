/* smelt-buffer-changes.h: "buf-changed": every edit of a document, in order, with its lines
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "smelt-document.h"
#include "smelt-host.h"

G_BEGIN_DECLS

void smelt_buffer_changes_watch      (SmeltHost     *host,
                                      SmeltDocument *document);
void smelt_buffer_changes_set_wanted (SmeltHost     *host,
                                      gboolean       wanted);

G_END_DECLS
