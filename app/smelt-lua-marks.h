/* smelt-lua-marks.h: buf:set_mark, get_marks, del_mark, clear_ns and smelt.hl.define
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <lua.h>

#include <glib.h>

G_BEGIN_DECLS

void smelt_lua_marks_open (lua_State *L,
                           int        methods_idx,
                           int        internal_idx);

G_END_DECLS
