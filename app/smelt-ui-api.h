/* smelt-ui-api.h: the UI tier of the Lua API: dialogs that park tasks, and buffers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "smelt-host.h"

G_BEGIN_DECLS

void smelt_ui_api_install (SmeltHost      *host,
                           GtkApplication *app);

G_END_DECLS
