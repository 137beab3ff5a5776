/* smelt-lua-log.c: smelt.notify, smelt.log.* and smelt.messages, through GLib's structured logging
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Everything goes to g_log_structured() in the domain "smelt-lua".  A
 * notification also carries the field SMELT_NOTIFY=1, is kept in the host's
 * message history and is emitted as SmeltHost::notify, which the GUI shows
 * and the --no-ui runner prints to stderr with its level.
 */

#define G_LOG_DOMAIN "smelt-lua"

#include "config.h"

#include <lauxlib.h>
#include <string.h>

#include "smelt-host-private.h"
#include "smelt-lua-private.h"

static const char * const level_names[] = { "debug", "info", "warn", "error", NULL };

static GLogLevelFlags
level_to_glib (int level)
{
  switch (level)
    {
    case SMELT_LEVEL_DEBUG:
      return G_LOG_LEVEL_DEBUG;
    case SMELT_LEVEL_INFO:
      return G_LOG_LEVEL_INFO;
    case SMELT_LEVEL_WARN:
      return G_LOG_LEVEL_WARNING;
    case SMELT_LEVEL_ERROR:
    default:
      /* A plugin's error is news for the user, not a bug in smelt:
       * G_LOG_LEVEL_ERROR would abort the program and CRITICAL is GLib's
       * "programmer error" (fatal under G_DEBUG=fatal-criticals, which
       * the GUI tests set); SMELT_LEVEL still says "error". */
      return G_LOG_LEVEL_WARNING;
    }
}

const char *
smelt_level_to_string (int level)
{
  g_return_val_if_fail (level >= 0 && level < (int) G_N_ELEMENTS (level_names) - 1, "info");
  return level_names[level];
}

/* Accepts "debug".."error", or smelt.log.levels.DEBUG (0) .. ERROR (3). */
static int
check_level (lua_State  *L,
             int         arg,
             const char *fname)
{
  if (lua_isnoneornil (L, arg))
    return SMELT_LEVEL_INFO;
  if (lua_type (L, arg) == LUA_TNUMBER)
    {
      int isnum;
      lua_Integer n = lua_tointegerx (L, arg, &isnum);

      if (isnum && n >= SMELT_LEVEL_DEBUG && n <= SMELT_LEVEL_ERROR)
        return (int) n;
    }
  else if (lua_type (L, arg) == LUA_TSTRING)
    {
      const char *s = lua_tostring (L, arg);

      for (int i = 0; level_names[i] != NULL; i++)
        if (strcmp (s, level_names[i]) == 0)
          return i;
    }
  return smelt_lua_arg_error (L, arg, fname,
                              "level must be \"debug\", \"info\", \"warn\" or \"error\", got %s",
                              lua_type (L, arg) == LUA_TSTRING ? lua_tostring (L, arg) : luaL_typename (L, arg));
}

static void
log_message (int         level,
             const char *message,
             gboolean    notify)
{
  /* custom fields first, as plain strings; MESSAGE last, as a format */
  g_log_structured (G_LOG_DOMAIN, level_to_glib (level),
                    "SMELT_NOTIFY", notify ? "1" : "0",
                    "SMELT_LEVEL", level_names[level],
                    "MESSAGE", "%s", message);
}

/* smelt.notify(msg, level): show a notification (message area, or stderr with --no-ui) */
static int
l_notify (lua_State *L)
{
  SmeltHost *host = smelt_host_from_lua (L);
  const char *msg;
  int level;

  if (lua_type (L, 1) != LUA_TSTRING && lua_type (L, 1) != LUA_TNUMBER)
    return smelt_lua_arg_error (L, 1, "smelt.notify", "string expected, got %s", luaL_typename (L, 1));
  msg = lua_tostring (L, 1);
  level = check_level (L, 2, "smelt.notify");

  log_message (level, msg, TRUE);
  smelt_host_notify (host, level, msg);
  return 0;
}

/* Concatenates the arguments with tostring(), separated by spaces, as print() does. */
static char *
join_args (lua_State *L)
{
  GString *out = g_string_new (NULL);
  int n = lua_gettop (L);

  for (int i = 1; i <= n; i++)
    {
      size_t len;
      const char *s = luaL_tolstring (L, i, &len);

      if (i > 1)
        g_string_append_c (out, ' ');
      g_string_append_len (out, s, len);
      lua_pop (L, 1);
    }
  return g_string_free (out, FALSE);
}

static int
log_at (lua_State *L,
        int        level)
{
  g_autofree char *msg = join_args (L);

  log_message (level, msg, FALSE);
  return 0;
}

/* smelt.log.debug(...): log at debug level (shown with G_MESSAGES_DEBUG=smelt-lua) */
static int l_log_debug (lua_State *L) { return log_at (L, SMELT_LEVEL_DEBUG); }
/* smelt.log.info(...) */
static int l_log_info (lua_State *L) { return log_at (L, SMELT_LEVEL_INFO); }
/* smelt.log.warn(...) */
static int l_log_warn (lua_State *L) { return log_at (L, SMELT_LEVEL_WARN); }
/* smelt.log.error(...) */
static int l_log_error (lua_State *L) { return log_at (L, SMELT_LEVEL_ERROR); }

/* smelt.messages(): the notification history, oldest first: { level,
 * message, time_ms, time, traceback } (traceback: an uncaught error's) */
static int
l_messages (lua_State *L)
{
  SmeltHost *host = smelt_host_from_lua (L);
  GQueue *history = smelt_host_get_history (host);
  int i = 1;

  lua_createtable (L, (int) history->length, 0);
  for (GList *l = history->head; l != NULL; l = l->next, i++)
    {
      SmeltMessage *m = l->data;

      lua_createtable (L, 0, 5);
      lua_pushstring (L, smelt_level_to_string (m->level));
      lua_setfield (L, -2, "level");
      lua_pushstring (L, m->text);
      lua_setfield (L, -2, "message");
      lua_pushnumber (L, (lua_Number) m->time_us / 1000.0);
      lua_setfield (L, -2, "time_ms");
      lua_pushnumber (L, (lua_Number) m->real_time_us / G_USEC_PER_SEC);
      lua_setfield (L, -2, "time");
      if (m->traceback != NULL)
        {
          lua_pushstring (L, m->traceback);
          lua_setfield (L, -2, "traceback");
        }
      lua_rawseti (L, -2, i);
    }
  return 1;
}

static const luaL_Reg smelt_functions[] = {
  { "notify", l_notify },
  { "messages", l_messages },
  { NULL, NULL },
};

static const luaL_Reg log_functions[] = {
  { "debug", l_log_debug },
  { "info", l_log_info },
  { "warn", l_log_warn },
  { "error", l_log_error },
  { NULL, NULL },
};

void
smelt_lua_open_log (lua_State *L,
                    int        smelt_idx)
{
  smelt_idx = lua_absindex (L, smelt_idx);
  lua_pushvalue (L, smelt_idx);
  luaL_setfuncs (L, smelt_functions, 0);
  lua_pop (L, 1);

  luaL_newlib (L, log_functions);
  lua_createtable (L, 0, 4);
  for (int i = 0; level_names[i] != NULL; i++)
    {
      g_autofree char *upper = g_ascii_strup (level_names[i], -1);

      lua_pushinteger (L, i);
      lua_setfield (L, -2, upper);
    }
  lua_setfield (L, -2, "levels");
  lua_setfield (L, smelt_idx, "log");
}
