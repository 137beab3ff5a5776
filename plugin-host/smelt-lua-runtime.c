/* smelt-lua-runtime.c: what the Lua runtime (lua/smelt/runtime.lua) needs from C to find and load plugins
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "smelt-runtime"

#include "config.h"

#include <lauxlib.h>
#include <string.h>

#include "smelt-host-private.h"
#include "smelt-lua-private.h"
#include "smelt-paths.h"

static inline SmeltScheduler *
sched_upvalue (lua_State *L)
{
  return lua_touserdata (L, lua_upvalueindex (1));
}

/* internal.spawn_root(fn, ...): a task with no parent (a command or event handler) */
static int
l_spawn_root (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  int nargs = lua_gettop (L) - 1;
  SmeltTask *task;

  luaL_checktype (L, 1, LUA_TFUNCTION);
  task = smelt_scheduler_spawn (sched, L, nargs, NULL);
  return smelt_lua_push_handle (L, task);
}

/* internal.spawn_now(fn, ...): a task with no parent, run at once up to its
 * first park.  Returns its handle, whether it has ended, and its first
 * result if it ended so (a key map's handler that returns false declines
 * the key).  From plain code only. */
static int
l_spawn_now (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  int nargs = lua_gettop (L) - 1;
  SmeltTask *task;

  luaL_checktype (L, 1, LUA_TFUNCTION);
  if (smelt_scheduler_current (sched) != NULL)
    return luaL_error (L, "internal.spawn_now: called from a task (plain code only)");
  task = smelt_scheduler_spawn (sched, L, nargs, NULL);
  smelt_lua_push_handle (L, task);                  /* stack: handle */
  lua_pushboolean (L, smelt_scheduler_run_now (sched, task));
  if (task->state == SMELT_TASK_DONE && task->result_ref != LUA_NOREF)
    lua_rawgeti (L, LUA_REGISTRYINDEX, task->result_ref);
  else
    lua_pushnil (L);
  return 3;
}

/* The message handler of smelt_host_call(): the error, described as a
 * task's uncaught error is (smelt_lua_describe_error()), then the traceback. */
int
smelt_lua_traceback (lua_State *L)
{
  const char *msg;

  if (lua_type (L, 1) == LUA_TSTRING)
    msg = lua_tostring (L, 1);
  else
    {
      char *desc = smelt_lua_describe_error (L, 1);

      msg = lua_pushstring (L, desc);
      g_free (desc);
    }
  luaL_traceback (L, L, msg, 1);
  return 1;
}

/* internal.source(path): run a Lua file now, as plain code (it cannot park),
 * with the watchdog's clock restarted for it.  An error is reported once
 * (file, line, traceback) and returned, never raised.
 * Returns ok, milliseconds, message. */
static int
l_source (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  SmeltHost *host = smelt_host_from_lua (L);
  const char *path = luaL_checkstring (L, 1);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (L != smelt_host_get_lua (host))
    return luaL_error (L, "internal.source: runs plain code only, not inside a task");
  lua_settop (L, 1);
  if (luaL_loadfilex (L, path, "bt") != LUA_OK)   /* stack: path, chunk or message */
    message = smelt_host_report_traceback (host, path, lua_tostring (L, -1));
  else if (!smelt_host_call (host, 0, 0, path, SMELT_CALL_FRESH_BUDGET, &error))
    message = g_strdup (error->message);

  if (message != NULL)
    {
      lua_pushboolean (L, FALSE);
      lua_pushnumber (L, (g_get_monotonic_time () - start) / 1000.0);
      /* bookkeeping: at the heap cap, the push must not raise and leak message */
      smelt_scheduler_begin_bookkeeping (sched);
      lua_pushstring (L, message);
      smelt_scheduler_end_bookkeeping (sched);
      return 3;
    }
  lua_pushboolean (L, TRUE);
  lua_pushnumber (L, (g_get_monotonic_time () - start) / 1000.0);
  return 2;
}

/* internal.report(name, message, traceback): report an uncaught error */
static int
l_report (lua_State *L)
{
  smelt_host_report_error (smelt_host_from_lua (L), 0, luaL_checkstring (L, 1),
                           luaL_checkstring (L, 2), luaL_optstring (L, 3, luaL_checkstring (L, 2)));
  return 0;
}

/* internal.info(): facts for Health */
static int
l_info (lua_State *L)
{
  SmeltHost *host = smelt_host_from_lua (L);
  g_autofree char *glib = g_strdup_printf ("%u.%u.%u", glib_major_version, glib_minor_version, glib_micro_version);

  lua_createtable (L, 0, 11);
  lua_pushstring (L, glib);
  lua_setfield (L, -2, "glib");
  lua_pushstring (L, LUA_RELEASE);
  lua_setfield (L, -2, "lua");
  lua_pushinteger (L, smelt_host_get_watchdog_ms (host));
  lua_setfield (L, -2, "watchdog_ms");
  lua_pushinteger (L, (lua_Integer) smelt_host_get_memory_used (host));
  lua_setfield (L, -2, "memory_used");
  lua_pushinteger (L, (lua_Integer) smelt_host_get_memory_limit (host));
  lua_setfield (L, -2, "memory_limit");
  lua_pushstring (L, smelt_host_get_runtime_dir (host));
  lua_setfield (L, -2, "runtime_dir");
  lua_pushstring (L, smelt_host_get_runtime_origin (host));
  lua_setfield (L, -2, "runtime_origin");
  {
    /* the other folders smelt reads, and why those: what Health shows */
    g_autofree char *origin = NULL;
    g_autofree char *module = smelt_path_get (SMELT_PATH_GUI_MODULE, &origin);
    g_autofree char *locale_origin = NULL;
    g_autofree char *locale = smelt_path_get (SMELT_PATH_LOCALE_DIR, &locale_origin);

    lua_pushstring (L, module);
    lua_setfield (L, -2, "gui_module");
    lua_pushstring (L, origin);
    lua_setfield (L, -2, "gui_module_origin");
    lua_pushstring (L, locale);
    lua_setfield (L, -2, "locale_dir");
    lua_pushstring (L, locale_origin);
    lua_setfield (L, -2, "locale_origin");
  }
  return 1;
}

/* internal.list_dir(dir): the names in dir (unsorted), or nil, message */
static int
l_list_dir (lua_State *L)
{
  const char *path = luaL_checkstring (L, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  const char *name;
  int i = 0;

  if (dir == NULL)
    {
      lua_pushnil (L);
      lua_pushstring (L, error->message);
      return 2;
    }
  lua_newtable (L);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      lua_pushstring (L, name);
      lua_rawseti (L, -2, ++i);
    }
  return 1;
}

/* internal.is_file(path) */
static int
l_is_file (lua_State *L)
{
  lua_pushboolean (L, g_file_test (luaL_checkstring (L, 1), G_FILE_TEST_IS_REGULAR));
  return 1;
}

/* internal.is_dir(path) */
static int
l_is_dir (lua_State *L)
{
  lua_pushboolean (L, g_file_test (luaL_checkstring (L, 1), G_FILE_TEST_IS_DIR));
  return 1;
}

static const luaL_Reg internal_functions[] = {
  { "list_dir", l_list_dir },
  { "is_file", l_is_file },
  { "is_dir", l_is_dir },
  { "spawn_root", l_spawn_root },
  { "spawn_now", l_spawn_now },
  { "source", l_source },
  { "report", l_report },
  { "info", l_info },
  { NULL, NULL },
};

void
smelt_lua_open_runtime (lua_State      *L,
                        SmeltScheduler *sched,
                        int             internal_idx)
{
  lua_pushvalue (L, internal_idx);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, internal_functions, 1);
  lua_pop (L, 1);
}
