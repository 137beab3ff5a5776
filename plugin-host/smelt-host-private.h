/* smelt-host-private.h: what the rest of smelt (not extensions) may call on a SmeltHost
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <lua.h>

#include "smelt-host.h"
#include "smelt-scheduler.h"

G_BEGIN_DECLS

lua_State      *smelt_host_get_lua       (SmeltHost *self);
SmeltScheduler *smelt_host_get_scheduler (SmeltHost *self);
SmeltHost      *smelt_host_from_lua      (lua_State *L);
char           *smelt_host_default_runtime_dir (void);

G_END_DECLS
