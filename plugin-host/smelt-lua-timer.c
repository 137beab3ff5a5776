/* smelt-lua-timer.c: smelt.timer.set and smelt.timer.every, plain callbacks on the scheduler's clock
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A timer is a SmeltDeadline in the scheduler's heap, so it follows the
 * virtual clock too.  Its callback is a plain call, not a task: parking in it
 * raises the usual "must be called from inside a task" error.  A pending
 * timer is anchored in the registry (it fires even if its handle is dropped)
 * and keeps a --no-ui run alive until it fires or is removed, like a libuv
 * handle.  A repeating timer keeps its schedule when its callback fails.
 */

#define G_LOG_DOMAIN "smelt-timer"

#include "config.h"

#include <lauxlib.h>
#include <string.h>

#include "smelt-host-private.h"
#include "smelt-lua-private.h"

#define TIMER_MT "smelt.Timer"

typedef struct
{
  SmeltDeadline   deadline;      /* first */
  SmeltScheduler *sched;
  int             self_ref;      /* anchors the userdata while pending */
  int             fn_ref;
  gint64          interval_us;   /* 0: fires once */
  char           *where;         /* "file.lua:12" of the callback */
  guint           pending : 1;
} SmeltTimer;

static void
timer_stop (SmeltTimer *timer,
            lua_State  *L)
{
  if (!timer->pending)
    return;
  timer->pending = FALSE;
  smelt_scheduler_remove_deadline (timer->sched, &timer->deadline);
  luaL_unref (L, LUA_REGISTRYINDEX, timer->self_ref);
  timer->self_ref = LUA_NOREF;
  smelt_scheduler_release (timer->sched);
}

static void
on_timer_fired (SmeltScheduler *sched,
                SmeltDeadline  *deadline)
{
  SmeltTimer *timer = (SmeltTimer *) deadline;
  lua_State *L = smelt_scheduler_get_lua (sched);
  SmeltHost *host = smelt_host_from_lua (L);
  g_autofree char *what = g_strdup_printf ("timer callback (%s)", timer->where);
  int self_ref = timer->self_ref;

  /* Keep the userdata alive through the call, even if the callback removes
   * the timer and nothing else holds it. */
  lua_rawgeti (L, LUA_REGISTRYINDEX, self_ref);
  if (timer->interval_us > 0)
    smelt_scheduler_add_deadline (sched, &timer->deadline,
                                  timer->deadline.node.deadline + timer->interval_us);
  lua_rawgeti (L, LUA_REGISTRYINDEX, timer->fn_ref);
  smelt_host_call_plain (host, 0, what);
  if (timer->interval_us == 0)
    timer_stop (timer, L);
  lua_pop (L, 1);
}

static int
timer_new (lua_State  *L,
              const char *fname,
              gboolean    repeat)
{
  SmeltScheduler *sched = lua_touserdata (L, lua_upvalueindex (1));
  gint64 delay = smelt_lua_check_ms (L, 1, fname);
  SmeltTimer *timer;
  lua_Debug ar;

  if (lua_type (L, 2) != LUA_TFUNCTION)
    return smelt_lua_arg_error (L, 2, fname, "function expected, got %s", luaL_typename (L, 2));
  if (repeat && delay <= 0)
    return smelt_lua_arg_error (L, 1, fname, "a repeating timer needs a period above 0 ms");

  lua_pushvalue (L, 2);
  lua_getinfo (L, ">S", &ar);

  timer = lua_newuserdatauv (L, sizeof *timer, 0);
  memset (timer, 0, sizeof *timer);
  luaL_setmetatable (L, TIMER_MT);
  timer->sched = sched;
  timer->deadline.fire = on_timer_fired;
  smelt_heap_node_init (&timer->deadline.node);
  timer->interval_us = repeat ? delay : 0;
  timer->where = g_strdup_printf ("%s:%d", ar.short_src, ar.linedefined);
  lua_pushvalue (L, 2);
  timer->fn_ref = luaL_ref (L, LUA_REGISTRYINDEX);
  lua_pushvalue (L, -1);
  timer->self_ref = luaL_ref (L, LUA_REGISTRYINDEX);
  timer->pending = TRUE;
  smelt_scheduler_hold (sched);
  smelt_scheduler_add_deadline (sched, &timer->deadline, smelt_scheduler_now (sched) + delay);
  return 1;
}

/* smelt.timer.set(ms, fn): call fn once, ms milliseconds from now */
static int
l_timer_set (lua_State *L)
{
  return timer_new (L, "smelt.timer.set", FALSE);
}

/* smelt.timer.every(ms, fn): call fn every ms milliseconds until removed */
static int
l_timer_every (lua_State *L)
{
  return timer_new (L, "smelt.timer.every", TRUE);
}

/* timer:remove(): cancel the timer; harmless if it already fired */
static int
timer_remove (lua_State *L)
{
  SmeltTimer *timer = luaL_checkudata (L, 1, TIMER_MT);

  timer_stop (timer, L);
  return 0;
}

/* timer:pending(): whether it will still fire */
static int
timer_pending (lua_State *L)
{
  SmeltTimer *timer = luaL_checkudata (L, 1, TIMER_MT);

  lua_pushboolean (L, timer->pending);
  return 1;
}

static int
timer_gc (lua_State *L)
{
  SmeltTimer *timer = luaL_checkudata (L, 1, TIMER_MT);

  /* Only reached once the timer is no longer pending (it is anchored while
   * it is), or when the state closes. */
  if (timer->pending)
    {
      timer->pending = FALSE;
      smelt_scheduler_remove_deadline (timer->sched, &timer->deadline);
    }
  luaL_unref (L, LUA_REGISTRYINDEX, timer->fn_ref);
  timer->fn_ref = LUA_NOREF;
  g_clear_pointer (&timer->where, g_free);
  return 0;
}

static int
timer_tostring (lua_State *L)
{
  SmeltTimer *timer = luaL_checkudata (L, 1, TIMER_MT);

  lua_pushfstring (L, "smelt.timer (%s, %s)", timer->where ? timer->where : "?",
                   timer->pending ? "pending" : "done");
  return 1;
}

static const luaL_Reg timer_methods[] = {
  { "remove", timer_remove },
  { "pending", timer_pending },
  { NULL, NULL },
};

static const luaL_Reg timer_functions[] = {
  { "set", l_timer_set },
  { "every", l_timer_every },
  { NULL, NULL },
};

void
smelt_lua_open_timer (lua_State      *L,
                      SmeltScheduler *sched,
                      int             smelt_idx)
{
  smelt_idx = lua_absindex (L, smelt_idx);

  luaL_newmetatable (L, TIMER_MT);
  lua_pushcfunction (L, timer_gc);
  lua_setfield (L, -2, "__gc");
  lua_pushcfunction (L, timer_tostring);
  lua_setfield (L, -2, "__tostring");
  luaL_newlib (L, timer_methods);
  lua_setfield (L, -2, "__index");
  lua_pop (L, 1);

  lua_newtable (L);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, timer_functions, 1);
  lua_setfield (L, smelt_idx, "timer");
}
