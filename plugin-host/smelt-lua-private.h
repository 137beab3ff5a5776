/* smelt-lua-private.h: helpers shared by the C functions that make up the smelt namespace
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <lua.h>

#include "smelt-scheduler.h"

G_BEGIN_DECLS

/* Raises "bad argument #arg to 'fname' (message)", like luaL_argerror but
 * with the full dotted name of the function. */
int        smelt_lua_arg_error    (lua_State      *L,
                                   int             arg,
                                   const char     *fname,
                                   const char     *fmt,
                                   ...);
gint64     smelt_lua_check_ms     (lua_State      *L,
                                   int             arg,
                                   const char     *fname);
guint64    smelt_lua_check_id     (lua_State      *L,
                                   int             arg,
                                   const char     *fname);
SmeltTask *smelt_lua_check_handle (lua_State      *L,
                                   int             arg,
                                   const char     *fname);
void       smelt_lua_open_task    (lua_State      *L,
                                   SmeltScheduler *sched,
                                   int             smelt_idx,
                                   int             internal_idx);

void       smelt_lua_open_queue   (lua_State      *L,
                                   SmeltScheduler *sched,
                                   int             task_idx);

void       smelt_lua_open_timer   (lua_State      *L,
                                   SmeltScheduler *sched,
                                   int             smelt_idx);

void       smelt_lua_open_log     (lua_State      *L,
                                   int             smelt_idx);
void       smelt_lua_open_i18n    (lua_State      *L,
                                   int             smelt_idx);
void       smelt_lua_open_json    (lua_State      *L,
                                   int             smelt_idx);

/* A lua_pcall message handler: the error (any value) as a string followed
 * by the stack traceback. */
int        smelt_lua_traceback    (lua_State      *L);

void       smelt_lua_open_runtime (lua_State      *L,
                                   SmeltScheduler *sched,
                                   int             internal_idx);
int        smelt_lua_push_handle  (lua_State      *L,
                                   SmeltTask      *task);

void       smelt_lua_open_fs      (lua_State      *L,
                                   SmeltScheduler *sched,
                                   int             internal_idx);
void       smelt_lua_open_fs_lock (lua_State      *L,
                                   int             internal_idx);
void       smelt_lua_open_http    (lua_State      *L,
                                   SmeltScheduler *sched,
                                   int             internal_idx);
void       smelt_lua_open_process (lua_State      *L,
                                   SmeltScheduler *sched,
                                   int             internal_idx);
void       smelt_lua_open_net     (lua_State      *L,
                                   SmeltScheduler *sched,
                                   int             internal_idx);

G_END_DECLS
