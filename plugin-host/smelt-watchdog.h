/* smelt-watchdog.h: interrupts plugin code that runs too long without returning to the main loop
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <lua.h>

G_BEGIN_DECLS

typedef struct _SmeltWatchdog SmeltWatchdog;

SmeltWatchdog *smelt_watchdog_new        (void);
void           smelt_watchdog_free       (SmeltWatchdog *wd);
void           smelt_watchdog_set_budget (SmeltWatchdog *wd,
                                          guint          budget_ms);
guint          smelt_watchdog_get_budget (SmeltWatchdog *wd);

/* The main thread enters Lua (a dispatch of tasks, a plain call); nested
 * entries count from the outermost.  Returns the state that was running. */
lua_State     *smelt_watchdog_enter      (SmeltWatchdog *wd,
                                          lua_State     *L);
void           smelt_watchdog_leave      (SmeltWatchdog *wd,
                                          lua_State     *previous);
/* Restart the clock of the current entry (each plugin file gets a budget). */
void           smelt_watchdog_restart    (SmeltWatchdog *wd);
/* The coroutine about to run: a plain store, cheap enough for every resume. */
void           smelt_watchdog_running    (SmeltWatchdog *wd,
                                          lua_State     *co);
/* Before a coroutine may be freed. */
void           smelt_watchdog_forget     (SmeltWatchdog *wd,
                                          lua_State     *co);
/* Wrap coroutine.resume/close/wrap of @L so that a plugin's own coroutine
 * is the one interrupted. */
void           smelt_watchdog_track_coroutines (SmeltWatchdog *wd,
                                                lua_State     *L);

G_END_DECLS
