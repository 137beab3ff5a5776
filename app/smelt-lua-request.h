/* smelt-lua-request.h: a question the window asks Lua providers as a task, answered piece by piece, cancelled by a GCancellable
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <lua.h>

#include "smelt-host.h"

G_BEGIN_DECLS

/**
 * SmeltLuaRequestFuncs:
 * @convert: called inside Lua (the request's task) with one provider's
 *   result at @idx: makes of it what @result takes (or %NULL for nothing);
 *   it must not raise
 * @result: called from the main loop, outside Lua, with one provider's
 *   converted result and its rank (the provider's place by priority, from
 *   1); takes @payload
 * @finish: called once, from the main loop: every provider has answered
 *   (@cancelled %FALSE), or the GCancellable was cancelled (%TRUE)
 * @payload_free: frees a payload never handed to @result
 */
typedef struct
{
  gpointer (*convert)      (lua_State *L,
                            int        idx);
  void     (*result)       (gpointer   data,
                            int        rank,
                            gpointer   payload);
  void     (*finish)       (gpointer   data,
                            gboolean   cancelled);
  GDestroyNotify payload_free;
} SmeltLuaRequestFuncs;

void smelt_lua_request_start (SmeltHost                  *host,
                              const char                 *name,
                              int                         nargs,
                              GCancellable               *cancellable,
                              GtkWidget                  *view,
                              const SmeltLuaRequestFuncs *funcs,
                              gpointer                    data,
                              GDestroyNotify              destroy);

G_END_DECLS
