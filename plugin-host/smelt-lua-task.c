/* smelt-lua-task.c: the Lua face of the scheduler: smelt.spawn, smelt.sleep, smelt.task.*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One static function per Lua function; the scheduler is upvalue 1 of each.
 * The combinators (all, race, timeout) are Lua, in lua/smelt/task.lua, built
 * on these and on the two internal functions registered at the end.
 */

#define G_LOG_DOMAIN "smelt-lua-task"

#include "config.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "smelt-lua-private.h"
#include "smelt-scheduler.h"

#define HANDLE_MT "smelt.TaskHandle"

static inline SmeltScheduler *
sched_upvalue (lua_State *L)
{
  return lua_touserdata (L, lua_upvalueindex (1));
}

int
smelt_lua_arg_error (lua_State  *L,
                     int         arg,
                     const char *fname,
                     const char *fmt,
                     ...)
{
  va_list ap;

  luaL_checkstack (L, 4, NULL);
  lua_pushfstring (L, "bad argument #%d to '%s' (", arg, fname);
  va_start (ap, fmt);
  lua_pushvfstring (L, fmt, ap);
  va_end (ap);
  lua_pushliteral (L, ")");
  lua_concat (L, 3);
  return lua_error (L);
}

gint64
smelt_lua_check_ms (lua_State  *L,
                    int         arg,
                    const char *fname)
{
  lua_Number ms;

  if (lua_type (L, arg) != LUA_TNUMBER)
    smelt_lua_arg_error (L, arg, fname, "milliseconds expected, got %s", luaL_typename (L, arg));
  ms = lua_tonumber (L, arg);
  if (isnan (ms))
    smelt_lua_arg_error (L, arg, fname, "milliseconds must be a number, got NaN");
  if (ms < 0)
    smelt_lua_arg_error (L, arg, fname, "milliseconds must not be negative, got %f", ms);
  if (ms > 1e12)
    smelt_lua_arg_error (L, arg, fname, "milliseconds too large, got %f", ms);
  return (gint64) (ms * 1000.0);
}

guint64
smelt_lua_check_id (lua_State  *L,
                    int         arg,
                    const char *fname)
{
  lua_Integer id = 0;
  int isnum = 0;

  if (lua_type (L, arg) == LUA_TNUMBER)
    id = lua_tointegerx (L, arg, &isnum);
  if (!isnum)
    smelt_lua_arg_error (L, arg, fname, "task id must be a positive integer, got %s",
                         lua_type (L, arg) == LUA_TNUMBER ? "a fraction" : luaL_typename (L, arg));
  if (id <= 0)
    smelt_lua_arg_error (L, arg, fname, "task id must be a positive integer, got %I", id);
  return (guint64) id;
}

/* ---------------------------------------------------------------- handles */

static void
push_handle (lua_State *L,
             SmeltTask *task)
{
  SmeltTask **box = lua_newuserdatauv (L, sizeof *box, 0);

  *box = smelt_task_ref (task);
  luaL_setmetatable (L, HANDLE_MT);
}

int
smelt_lua_push_handle (lua_State *L,
                       SmeltTask *task)
{
  push_handle (L, task);
  return 1;
}

SmeltTask *
smelt_lua_check_handle (lua_State  *L,
                        int         arg,
                        const char *fname)
{
  SmeltTask **box = luaL_testudata (L, arg, HANDLE_MT);

  if (box == NULL)
    smelt_lua_arg_error (L, arg, fname, "task handle expected, got %s", luaL_typename (L, arg));
  return *box;
}

static int
handle_gc (lua_State *L)
{
  SmeltTask **box = luaL_checkudata (L, 1, HANDLE_MT);

  if (*box != NULL)
    smelt_task_unref (g_steal_pointer (box));
  return 0;
}

/* handle:cancel(): request cancellation of the task and its descendants */
static int
handle_cancel (lua_State *L)
{
  SmeltTask *task = smelt_lua_check_handle (L, 1, "task:cancel");

  smelt_task_cancel (task);
  return 0;
}

/* handle.__close: `local h <close> = smelt.spawn(fn)` cancels the task
 * when the block is left (an ended task: nothing); it does not wait */
static int
handle_close (lua_State *L)
{
  SmeltTask *task = smelt_lua_check_handle (L, 1, "task:__close");

  if (smelt_task_is_live (task))
    smelt_task_cancel (task);
  return 0;
}

/* handle:status(): "running", "parked", "done", "failed" or "cancelled" */
static int
handle_status (lua_State *L)
{
  SmeltTask *task = smelt_lua_check_handle (L, 1, "task:status");

  lua_pushstring (L, smelt_task_state_to_string (task->state));
  return 1;
}

/* handle:wait(): park until the task ends; its first result, or its error */
static int
handle_wait (lua_State *L)
{
  SmeltScheduler *self = sched_upvalue (L);
  SmeltTask *target = smelt_lua_check_handle (L, 1, "task:wait");
  SmeltTask *task = smelt_scheduler_check_park (self, L, "task:wait");

  if (target == task)
    return luaL_error (L, "task:wait: a task cannot wait for itself");
  return smelt_scheduler_park_join (self, L, task, target, TRUE);
}

static int
handle_index (lua_State *L)
{
  SmeltTask *task = *(SmeltTask **) lua_touserdata (L, 1);
  const char *key = lua_tostring (L, 2);

  if (key != NULL && g_str_equal (key, "id"))
    {
      lua_pushinteger (L, (lua_Integer) task->id);
      return 1;
    }
  lua_getmetatable (L, 1);
  lua_getfield (L, -1, "__methods");
  lua_pushvalue (L, 2);
  lua_rawget (L, -2);
  return 1;
}

static int
handle_tostring (lua_State *L)
{
  SmeltTask *task = smelt_lua_check_handle (L, 1, "task:__tostring");

  lua_pushfstring (L, "smelt.task#%I (%s)", (lua_Integer) task->id,
                   smelt_task_state_to_string (task->state));
  return 1;
}

static int
handle_eq (lua_State *L)
{
  SmeltTask **a = luaL_testudata (L, 1, HANDLE_MT);
  SmeltTask **b = luaL_testudata (L, 2, HANDLE_MT);

  lua_pushboolean (L, a != NULL && b != NULL && *a == *b);
  return 1;
}

/* ------------------------------------------------------------- functions */

static int
spawn_common (lua_State  *L,
              const char *fname,
              gboolean    joined)
{
  SmeltScheduler *self = sched_upvalue (L);
  int nargs = lua_gettop (L) - 1;
  SmeltTask *task;

  if (lua_type (L, 1) != LUA_TFUNCTION)
    return smelt_lua_arg_error (L, 1, fname, "function expected, got %s", luaL_typename (L, 1));

  lua_checkstack (L, 2);
  task = smelt_scheduler_spawn (self, L, nargs, smelt_scheduler_current (self));
  task->joined = joined;
  push_handle (L, task);
  return 1;
}

/* smelt.spawn(fn, ...): run fn(...) as a task; returns its handle */
static int
l_spawn (lua_State *L)
{
  return spawn_common (L, "smelt.spawn", FALSE);
}

/* internal.spawn_joined(fn, named_after): a branch of a combinator, whose
 * errors belong to it; the task is named after the location of the
 * function named_after (the plugin's branch, not the combinator's wrapper),
 * or named_after itself when it is a string (a branch of the runtime's
 * own: "timeout 500 ms (deadline)"). */
static int
l_spawn_joined (lua_State *L)
{
  const char *origin = NULL;
  g_autofree char *name = NULL;
  SmeltTask *task;

  luaL_checktype (L, 1, LUA_TFUNCTION);
  if (lua_type (L, 2) == LUA_TFUNCTION)
    origin = smelt_lua_function_origin (L, 2);
  else if (lua_type (L, 2) == LUA_TSTRING)
    name = g_strdup (lua_tostring (L, 2));
  lua_settop (L, 1);
  spawn_common (L, "smelt.task (branch)", TRUE);
  task = smelt_lua_check_handle (L, -1, "smelt.task (branch)");
  if (origin != NULL)
    {
      task->name = (char *) origin;
      task->name_is_origin = TRUE;
    }
  else if (name != NULL)
    smelt_task_set_name (task, name);
  return 1;
}

/* internal.self(): the running task's handle, or nil */
static int
l_self (lua_State *L)
{
  SmeltTask *task = smelt_scheduler_current (sched_upvalue (L));

  if (task == NULL)
    return 0;
  push_handle (L, task);
  return 1;
}

/* internal.join(handle): park until the task ends; returns its status.
 * Raises only if the caller itself is cancelled. */
static int
l_join (lua_State *L)
{
  SmeltScheduler *self = sched_upvalue (L);
  SmeltTask *target = smelt_lua_check_handle (L, 1, "smelt.task (join)");
  SmeltTask *task = smelt_scheduler_check_park (self, L, "smelt.task (join)");

  return smelt_scheduler_park_join (self, L, task, target, FALSE);
}

/* internal.join_unwinding(handle): as join, but in a task already being
 * cancelled, between internal.shield_hold() and internal.shield_leave():
 * a scope's caller waits there for its tasks to unwind */
static int
l_join_unwinding (lua_State *L)
{
  SmeltScheduler *self = sched_upvalue (L);
  SmeltTask *target = smelt_lua_check_handle (L, 1, "smelt.task (join)");
  SmeltTask *task = smelt_scheduler_current (self);

  if (task == NULL || task->thread != L || !lua_isyieldable (L) || task->shields == 0)
    return luaL_error (L, "smelt.task (join_unwinding): only in a task's own coroutine, in a shield");
  if (target == task)
    return luaL_error (L, "smelt.task (join_unwinding): a task cannot wait for itself");
  return smelt_scheduler_park_join (self, L, task, target, FALSE);
}

/* internal.check_park(fname): raise unless the caller may park */
static int
l_check_park (lua_State *L)
{
  const char *fname = luaL_checkstring (L, 1);

  smelt_scheduler_check_park (sched_upvalue (L), L, fname);
  return 0;
}

/* smelt.sleep(ms): park for ms milliseconds; sleep(0) yields to the loop once */
static int
l_sleep (lua_State *L)
{
  SmeltScheduler *self = sched_upvalue (L);
  gint64 delay = smelt_lua_check_ms (L, 1, "smelt.sleep");
  SmeltTask *task = smelt_scheduler_check_park (self, L, "smelt.sleep");

  return smelt_scheduler_park_sleep (self, L, task, delay);
}

/* coroutine.yield(...): at a task's own level, smelt.sleep(0) (a park that a
 * cancel interrupts, where the plain yield came back normally even to a
 * cancelled task); in a coroutine plugin code runs itself, the plain yield
 * to its resumer */
static int
l_coroutine_yield (lua_State *L)
{
  SmeltScheduler *self = sched_upvalue (L);
  SmeltTask *task = smelt_scheduler_current (self);

  /* not at a task's own level, or where nothing can yield (the plain
   * yield raises Lua's own error there) */
  if (task == NULL || task->thread != L || !lua_isyieldable (L))
    return lua_yield (L, lua_gettop (L));
  smelt_scheduler_check_park (self, L, "coroutine.yield");
  return smelt_scheduler_park_sleep (self, L, task, 0);
}

/* smelt.now(): milliseconds on the scheduler's clock (virtual with --virtual-time) */
static int
l_now (lua_State *L)
{
  lua_pushnumber (L, (lua_Number) smelt_scheduler_now (sched_upvalue (L)) / 1000.0);
  return 1;
}

/* smelt.task.alloc(): a fresh external id */
static int
l_alloc (lua_State *L)
{
  lua_pushinteger (L, (lua_Integer) smelt_scheduler_alloc_id (sched_upvalue (L)));
  return 1;
}

/* smelt.task.resume(id, value): deliver value to the wait on id */
static int
l_resume (lua_State *L)
{
  SmeltScheduler *self = sched_upvalue (L);
  guint64 id = smelt_lua_check_id (L, 1, "smelt.task.resume");

  lua_settop (L, 2);
  smelt_scheduler_resolve (self, L, id, FALSE);
  return 0;
}

/* smelt.task.wait(id): park until id is resumed; returns the value */
static int
l_wait (lua_State *L)
{
  SmeltScheduler *self = sched_upvalue (L);
  guint64 id = smelt_lua_check_id (L, 1, "smelt.task.wait");
  SmeltTask *task = smelt_scheduler_check_park (self, L, "smelt.task.wait");

  return smelt_scheduler_park_external (self, L, task, id, "smelt.task.wait");
}

/* smelt.task.external(start): alloc an id, call start(id), wait on it */
static int
l_external (lua_State *L)
{
  SmeltScheduler *self = sched_upvalue (L);
  SmeltTask *task;
  guint64 id;

  if (lua_type (L, 1) != LUA_TFUNCTION)
    return smelt_lua_arg_error (L, 1, "smelt.task.external", "function expected, got %s",
                                luaL_typename (L, 1));
  task = smelt_scheduler_check_park (self, L, "smelt.task.external");

  id = smelt_scheduler_alloc_id (self);
  lua_settop (L, 1);
  lua_pushinteger (L, (lua_Integer) id);
  if (lua_pcall (L, 1, 0, 0) != LUA_OK)
    {
      /* Nothing is left parked: the id dies with the error. */
      smelt_scheduler_discard (self, id);
      return lua_error (L);
    }
  if (task->cancel_requested)
    {
      smelt_scheduler_discard (self, id);
      lua_pushliteral (L, "cancelled");
      return lua_error (L);
    }
  return smelt_scheduler_park_external (self, L, task, id, "smelt.task.external");
}

/* smelt.task.name(s): rename the running task; returns its name */
static int
l_name (lua_State *L)
{
  SmeltScheduler *self = sched_upvalue (L);
  SmeltTask *task = smelt_scheduler_current (self);
  g_autofree char *name = NULL;

  if (task == NULL)
    return luaL_error (L, "smelt.task.name: must be called from inside a task (smelt.spawn)");
  if (!lua_isnoneornil (L, 1))
    {
      if (lua_type (L, 1) != LUA_TSTRING)
        return smelt_lua_arg_error (L, 1, "smelt.task.name", "string expected, got %s", luaL_typename (L, 1));
      smelt_task_set_name (task, lua_tostring (L, 1));
    }
  name = smelt_task_dup_name (task, NULL);
  lua_pushstring (L, name);
  return 1;
}

/* smelt.task.background(): the running task is a service that lives as
 * long as what it serves (a language server's reader); the statusline's
 * busy spinner leaves it out */
static int
l_background (lua_State *L)
{
  SmeltTask *task = smelt_scheduler_current (sched_upvalue (L));

  if (task == NULL)
    return luaL_error (L, "smelt.task.background: must be called from inside a task (smelt.spawn)");
  task->background = TRUE;
  return 0;
}

typedef struct
{
  lua_State      *L;
  SmeltScheduler *sched;
  int             i;
} ListState;

static void
list_one (gpointer data,
          gpointer user_data)
{
  SmeltTask *task = data;
  ListState *ls = user_data;
  lua_State *L = ls->L;
  g_autofree char *name = smelt_task_dup_name (task, NULL);
  g_autofree char *waiting = smelt_task_dup_waiting_on (task);

  lua_createtable (L, 0, 6);
  lua_pushinteger (L, (lua_Integer) task->id);
  lua_setfield (L, -2, "id");
  lua_pushstring (L, name);
  lua_setfield (L, -2, "name");
  lua_pushstring (L, smelt_task_state_to_string (task->state));
  lua_setfield (L, -2, "status");
  if (waiting != NULL)
    {
      lua_pushstring (L, waiting);
      lua_setfield (L, -2, "waiting_on");
    }
  if (task->background)
    {
      lua_pushboolean (L, TRUE);
      lua_setfield (L, -2, "background");
    }
  if (task->parent != NULL)
    {
      lua_pushinteger (L, (lua_Integer) task->parent->id);
      lua_setfield (L, -2, "parent");
    }
  lua_pushnumber (L, (lua_Number) (smelt_scheduler_now (ls->sched) - task->created_at) / 1000.0);
  lua_setfield (L, -2, "age_ms");
  lua_rawseti (L, -2, ++ls->i);
}

/* smelt.task.list(): the live tasks, oldest first: { id, name, status, waiting_on, parent, age_ms } */
static int
l_list (lua_State *L)
{
  SmeltScheduler *self = sched_upvalue (L);
  ListState ls = { L, self, 0 };

  lua_createtable (L, (int) smelt_scheduler_n_live (self), 0);
  smelt_scheduler_foreach_live (self, list_one, &ls);
  return 1;
}

/* internal.set_waiting(desc, handle): what a task (default: the running one)
 * says it waits on, until it next runs */
static int
l_set_waiting (lua_State *L)
{
  SmeltTask *task = lua_isnoneornil (L, 2) ? smelt_scheduler_current (sched_upvalue (L))
                                          : smelt_lua_check_handle (L, 2, "smelt.task (set_waiting)");

  if (task != NULL)
    {
      g_free (task->wait_desc);
      task->wait_desc = g_strdup (luaL_optstring (L, 1, NULL));
    }
  return 0;
}

/* internal.scope_own(h): h (a scope's body, not started yet) owns the
 * failures of the tasks it spawns */
static int
l_scope_own (lua_State *L)
{
  smelt_lua_check_handle (L, 1, "smelt.task.scope")->owns_errors = TRUE;
  return 0;
}

/* internal.scope_children(h): the live children of a scope's body */
static int
l_scope_children (lua_State *L)
{
  SmeltTask *body = smelt_lua_check_handle (L, 1, "smelt.task.scope");
  lua_Integer n = 0;

  lua_newtable (L);
  for (SmeltTask *c = body->children; c != NULL; c = c->next_sibling)
    if (smelt_task_is_live (c))
      {
        push_handle (L, c);
        lua_rawseti (L, -2, ++n);
      }
  return 1;
}

/* internal.scope_failure(h): true and the first error of the scope (its
 * body's own, or a child's of it), or nothing */
static int
l_scope_failure (lua_State *L)
{
  SmeltTask *body = smelt_lua_check_handle (L, 1, "smelt.task.scope");

  if (body->scope_failed == NULL && !body->scope_self_failed)
    return 0;
  lua_pushboolean (L, TRUE);
  lua_rawgeti (L, LUA_REGISTRYINDEX,
               body->scope_self_failed ? body->result_ref : body->scope_failed->result_ref);
  return 2;
}

/* h:detach(): out of its scope (and its parent's tree); returns h */
static int
handle_detach (lua_State *L)
{
  SmeltTask *task = smelt_lua_check_handle (L, 1, "handle:detach");

  if (smelt_task_is_live (task))
    smelt_task_detach (task);
  lua_settop (L, 1);
  return 1;
}

/* internal.shield_enter(): the running task's cancels wait (smelt.task.shield) */
static int
l_shield_enter (lua_State *L)
{
  smelt_task_shield_enter (smelt_scheduler_check_park (sched_upvalue (L), L, "smelt.task.shield"));
  return 0;
}

/* internal.shield_hold(): as shield_enter, also in a task being cancelled
 * (a scope's caller waiting for its tasks to unwind) */
static int
l_shield_hold (lua_State *L)
{
  SmeltTask *task = smelt_scheduler_current (sched_upvalue (L));

  if (task == NULL)
    return luaL_error (L, "smelt.task.scope: must be called from inside a task (smelt.spawn)");
  smelt_task_shield_enter (task);
  return 0;
}

/* internal.shield_leave(): the shield is over; whether a cancel came */
static int
l_shield_leave (lua_State *L)
{
  SmeltTask *task = smelt_scheduler_current (sched_upvalue (L));

  if (task == NULL || task->shields == 0)
    return luaL_error (L, "smelt.task.shield: not in a shield");
  lua_pushboolean (L, smelt_task_shield_leave (task));
  return 1;
}

/* smelt.task.virtual_time(): whether the clock is virtual (--virtual-time) */
static int
l_virtual_time (lua_State *L)
{
  lua_pushboolean (L, smelt_scheduler_get_virtual_time (sched_upvalue (L)));
  return 1;
}

/* smelt.task.is_cancelled(err): whether err is the cancellation error */
static int
l_is_cancelled (lua_State *L)
{
  size_t len = 0;
  const char *s = lua_type (L, 1) == LUA_TSTRING ? lua_tolstring (L, 1, &len) : NULL;

  lua_pushboolean (L, s != NULL && len == 9 && memcmp (s, "cancelled", 9) == 0);
  return 1;
}

static const luaL_Reg handle_methods[] = {
  { "cancel", handle_cancel },
  { "detach", handle_detach },
  { "remove", handle_cancel },
  { "status", handle_status },
  { "wait", handle_wait },
  { NULL, NULL },
};

static const luaL_Reg smelt_functions[] = {
  { "spawn", l_spawn },
  { "sleep", l_sleep },
  { "now", l_now },
  { NULL, NULL },
};

static const luaL_Reg task_functions[] = {
  { "alloc", l_alloc },
  { "resume", l_resume },
  { "wait", l_wait },
  { "external", l_external },
  { "is_cancelled", l_is_cancelled },
  { "virtual_time", l_virtual_time },
  { "name", l_name },
  { "background", l_background },
  { "list", l_list },
  { NULL, NULL },
};

static const luaL_Reg internal_functions[] = {
  { "spawn_joined", l_spawn_joined },
  { "join", l_join },
  { "check_park", l_check_park },
  { "set_waiting", l_set_waiting },
  { "self", l_self },
  { "shield_enter", l_shield_enter },
  { "shield_hold", l_shield_hold },
  { "join_unwinding", l_join_unwinding },
  { "scope_own", l_scope_own },
  { "scope_children", l_scope_children },
  { "scope_failure", l_scope_failure },
  { "shield_leave", l_shield_leave },
  { NULL, NULL },
};

/**
 * smelt_lua_open_task:
 *
 * Fills the tables at @smelt_idx (the smelt namespace) and @internal_idx
 * (what only the bundled runtime sees).  Creates smelt.task.
 */
void
smelt_lua_open_task (lua_State      *L,
                     SmeltScheduler *sched,
                     int             smelt_idx,
                     int             internal_idx)
{
  smelt_idx = lua_absindex (L, smelt_idx);
  internal_idx = lua_absindex (L, internal_idx);

  luaL_newmetatable (L, HANDLE_MT);
  lua_pushcfunction (L, handle_gc);
  lua_setfield (L, -2, "__gc");
  lua_pushcfunction (L, handle_tostring);
  lua_setfield (L, -2, "__tostring");
  lua_pushcfunction (L, handle_eq);
  lua_setfield (L, -2, "__eq");
  lua_pushcfunction (L, handle_close);
  lua_setfield (L, -2, "__close");
  lua_pushcfunction (L, handle_index);
  lua_setfield (L, -2, "__index");
  lua_pushliteral (L, "smelt.task");
  lua_setfield (L, -2, "__name");
  lua_newtable (L);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, handle_methods, 1);
  lua_setfield (L, -2, "__methods");
  lua_pop (L, 1);

  lua_pushvalue (L, smelt_idx);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, smelt_functions, 1);
  lua_pop (L, 1);

  lua_newtable (L);                        /* stack: task */
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, task_functions, 1);
  smelt_lua_open_queue (L, sched, -1);
  lua_setfield (L, smelt_idx, "task");

  lua_pushvalue (L, internal_idx);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, internal_functions, 1);
  lua_pop (L, 1);

  if (lua_getglobal (L, "coroutine") == LUA_TTABLE)
    {
      /* stack: coroutine */
      lua_pushlightuserdata (L, sched);
      lua_pushcclosure (L, l_coroutine_yield, 1);
      lua_setfield (L, -2, "yield");
    }
  lua_pop (L, 1);
}
