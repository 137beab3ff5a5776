/* smelt-headless.h: smelt --no-ui, the host on a plain GMainLoop with no display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "smelt-options.h"

G_BEGIN_DECLS

int smelt_headless_run (const SmeltOptions *opts);

G_END_DECLS
