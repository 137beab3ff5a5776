/* smelt-hover-provider.h: the window's GtkSourceHoverProvider: the marks' messages and smelt.hover's Lua providers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "smelt-host.h"

G_BEGIN_DECLS

#define SMELT_TYPE_HOVER_PROVIDER (smelt_hover_provider_get_type ())
G_DECLARE_FINAL_TYPE (SmeltHoverProvider, smelt_hover_provider, SMELT, HOVER_PROVIDER, GObject)

SmeltHoverProvider *smelt_hover_provider_new (SmeltHost *host);

G_END_DECLS
