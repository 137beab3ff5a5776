/* smelt-variant.h: GVariant and Lua values, converted both ways by written rules
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <lua.h>

G_BEGIN_DECLS

/* How deeply values may nest, both ways. */
#define SMELT_VARIANT_MAX_DEPTH 64

gboolean  smelt_variant_push     (lua_State  *L,
                                  GVariant   *value,
                                  GError    **error);
GVariant *smelt_variant_from_lua (lua_State  *L,
                                  int         idx,
                                  const char *what,
                                  GError    **error);

G_END_DECLS
