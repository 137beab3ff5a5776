/* smelt-application.h: the GtkApplication: one plugin host shared by every window
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once


#include "smelt-options.h"

G_BEGIN_DECLS

/* The entry point of the GUI module (smelt-gui.so), loaded by smelt-main.c. */
typedef int (*SmeltApplicationRun) (const SmeltOptions *opts);

int smelt_application_run (const SmeltOptions *opts);

G_END_DECLS
