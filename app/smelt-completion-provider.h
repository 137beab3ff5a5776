/* smelt-completion-provider.h: the window's GtkSourceCompletionProvider, asking smelt.completion's Lua providers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "smelt-host.h"

G_BEGIN_DECLS

#define SMELT_TYPE_COMPLETION_PROVIDER (smelt_completion_provider_get_type ())
G_DECLARE_FINAL_TYPE (SmeltCompletionProvider, smelt_completion_provider, SMELT, COMPLETION_PROVIDER, GObject)

SmeltCompletionProvider *smelt_completion_provider_new (SmeltHost *host);

G_END_DECLS
