/* smelt-bridge.h: how a GIO operation's result reaches the task that waits on it
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <lua.h>

#include "smelt-pending-op.h"

G_BEGIN_DECLS

void        smelt_bridge_push_ok    (lua_State      *L);
void        smelt_bridge_push_error (lua_State      *L,
                                     const GError   *error);
void        smelt_bridge_push_error_with_code (lua_State    *L,
                                               const GError *error,
                                               const char   *code);
const char *smelt_bridge_error_code (const GError   *error);
void        smelt_bridge_fail       (SmeltPendingOp *op,
                                     const GError   *error);
void        smelt_bridge_fail_with_code (SmeltPendingOp *op,
                                         const GError   *error,
                                         const char     *code);
gboolean    smelt_bridge_settle     (SmeltPendingOp *op,
                                     const GError   *error);

G_END_DECLS
