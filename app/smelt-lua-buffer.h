/* smelt-lua-buffer.h: smelt.buf and the Buffer object on documents, with a window or without
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <lua.h>

#include "smelt-document.h"
#include "smelt-host.h"
#include "smelt-workspace.h"

G_BEGIN_DECLS

SmeltWorkspace *smelt_lua_buffer_get_workspace (SmeltHost     *host);
void            smelt_lua_buffer_open          (lua_State     *L,
                                                int            internal_idx);
void            smelt_lua_push_buffer          (lua_State     *L,
                                                SmeltDocument *document);
SmeltDocument  *smelt_lua_check_document       (lua_State     *L,
                                                int            idx,
                                                const char    *fname);
void            smelt_lua_buffer_check_iter    (lua_State     *L,
                                                SmeltDocument *document,
                                                int            arg,
                                                GtkTextIter   *iter,
                                                const char    *fname);
void            smelt_lua_buffer_add_file_methods (lua_State  *L,
                                                   int         methods_idx);
void            smelt_lua_buffer_emit          (SmeltHost     *host,
                                                const char    *event,
                                                SmeltDocument *document,
                                                const char    *key1,
                                                int            value1,
                                                const char    *key2,
                                                int            value2);

G_END_DECLS
