/* smelt-application.h: the GtkApplication: one plugin host shared by every window
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "smelt-options.h"

G_BEGIN_DECLS

int smelt_application_run (const SmeltOptions *opts);

G_END_DECLS
