/* smelt-watchdog.c: interrupts plugin code that runs too long without returning to the main loop
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A count hook on every coroutine would trap every VM instruction, so the
 * watchdog costs nothing until it fires:
 *  - the main thread publishes when it entered Lua (once per dispatch or
 *    plain call) and which coroutine it resumes (a plain store per resume);
 *  - a watchdog thread wakes a few times per budget; when the main thread
 *    has been inside Lua longer than the budget, it sends the main thread a
 *    signal (SIGURG, ignored by default, so a stray one is harmless);
 *  - the handler, on the main thread, sets a one-shot hook on the running
 *    coroutine, as lua.c does for Ctrl-C;
 *  - the hook checks again on the main thread and raises
 *    "smelt: plugin code ran N ms without yielding (file.lua:12)".
 * Code that catches that error and spins on is interrupted again on the
 * watchdog's next round, until it returns to the loop.
 * Plugin code may run a coroutine of its own (coroutine.resume, a
 * coroutine.wrap generator, coroutine.close running __close handlers): the
 * hook must land on that one, so those three are wrapped to publish it too.
 */

#define G_LOG_DOMAIN "smelt-watchdog"

#include "config.h"

#include <lauxlib.h>
#include <pthread.h>
#include <signal.h>

#include "smelt-watchdog.h"

#define WATCHDOG_SIGNAL SIGURG
#define MAX_WATCHDOGS 16

/* Shared with the watchdog thread: relaxed atomics (plain moves on x86). */
#define LOAD(field)        __atomic_load_n (&(field), __ATOMIC_RELAXED)
#define STORE(field, val)  __atomic_store_n (&(field), (val), __ATOMIC_RELAXED)

struct _SmeltWatchdog
{
  /* written by the main thread, read by the watchdog thread and the handler */
  gint64           entered_at;
  gint             depth;
  lua_State       *running;
  volatile gint    budget_ms;
  volatile gint    signal_pending;
  pthread_t        main_thread;

  GThread         *thread;
  GMutex           lock;
  GCond            cond;
  gboolean         stop;
};

static SmeltWatchdog *volatile watchdogs[MAX_WATCHDOGS];
static struct sigaction previous_action;
static gsize handler_installed;

static SmeltWatchdog *
watchdog_from_hook (lua_State *L)
{
  pthread_t self = pthread_self ();

  for (guint i = 0; i < MAX_WATCHDOGS; i++)
    {
      SmeltWatchdog *wd = watchdogs[i];

      if (wd != NULL && pthread_equal (wd->main_thread, self) && LOAD (wd->running) == L)
        return wd;
    }
  return NULL;
}

static void
watchdog_hook (lua_State *L,
               lua_Debug *ar)
{
  SmeltWatchdog *wd = watchdog_from_hook (L);
  gint64 elapsed_ms;
  int budget;

  lua_sethook (L, NULL, 0, 0);
  if (wd == NULL || LOAD (wd->depth) == 0)
    return;
  budget = g_atomic_int_get (&wd->budget_ms);
  elapsed_ms = (g_get_monotonic_time () - LOAD (wd->entered_at)) / 1000;
  if (budget == 0 || elapsed_ms < budget)
    return;   /* it returned to the loop since: stale */

  /* Name the innermost Lua line: the hook may fire on the call or return of
   * a C function (string.rep, a smelt.* call), which has no line. */
  lua_getinfo (L, "Sl", ar);
  for (int level = 1; ar->currentline < 0; level++)
    {
      lua_Debug caller;

      if (!lua_getstack (L, level, &caller))
        break;
      lua_getinfo (L, "Sl", &caller);
      if (caller.currentline >= 0)
        *ar = caller;
    }
  lua_pushfstring (L, "smelt: plugin code ran %d ms without yielding (%s:%d)",
                   budget, ar->short_src, ar->currentline);
  lua_error (L);
}

static void
on_signal (int        signum,
           siginfo_t *info,
           void      *context)
{
  gboolean ours = FALSE;
  pthread_t self = pthread_self ();

  for (guint i = 0; i < MAX_WATCHDOGS; i++)
    {
      SmeltWatchdog *wd = watchdogs[i];

      if (wd == NULL || !pthread_equal (wd->main_thread, self))
        continue;
      if (g_atomic_int_compare_and_exchange (&wd->signal_pending, 1, 0))
        {
          lua_State *co = LOAD (wd->running);

          ours = TRUE;
          if (co != NULL && LOAD (wd->depth) > 0)
            lua_sethook (co, watchdog_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
        }
    }

  if (!ours)
    {
      if (previous_action.sa_flags & SA_SIGINFO)
        {
          if (previous_action.sa_sigaction != NULL)
            previous_action.sa_sigaction (signum, info, context);
        }
      else if (previous_action.sa_handler != SIG_IGN && previous_action.sa_handler != SIG_DFL &&
               previous_action.sa_handler != NULL)
        previous_action.sa_handler (signum);
    }
}

static gpointer
watchdog_thread (gpointer data)
{
  SmeltWatchdog *wd = data;

  g_mutex_lock (&wd->lock);
  while (!wd->stop)
    {
      int budget = g_atomic_int_get (&wd->budget_ms);
      gint64 period;

      if (budget == 0)
        {
          g_cond_wait (&wd->cond, &wd->lock);
          continue;
        }

      if (LOAD (wd->depth) > 0 && (g_get_monotonic_time () - LOAD (wd->entered_at)) / 1000 >= budget)
        {
          g_atomic_int_set (&wd->signal_pending, 1);
          pthread_kill (wd->main_thread, WATCHDOG_SIGNAL);
        }

      period = CLAMP (budget / 4, 5, 250);
      g_cond_wait_until (&wd->cond, &wd->lock, g_get_monotonic_time () + period * G_TIME_SPAN_MILLISECOND);
    }
  g_mutex_unlock (&wd->lock);
  return NULL;
}

SmeltWatchdog *
smelt_watchdog_new (void)
{
  SmeltWatchdog *wd = g_new0 (SmeltWatchdog, 1);
  guint i;

  if (g_once_init_enter (&handler_installed))
    {
      struct sigaction sa = { 0 };

      sa.sa_sigaction = on_signal;
      sa.sa_flags = SA_SIGINFO | SA_RESTART;
      sigemptyset (&sa.sa_mask);
      sigaction (WATCHDOG_SIGNAL, &sa, &previous_action);
      g_once_init_leave (&handler_installed, 1);
    }

  wd->main_thread = pthread_self ();
  g_mutex_init (&wd->lock);
  g_cond_init (&wd->cond);

  for (i = 0; i < MAX_WATCHDOGS; i++)
    if (g_atomic_pointer_compare_and_exchange (&watchdogs[i], NULL, wd))
      break;
  if (i == MAX_WATCHDOGS)
    g_warning ("more than %d hosts: the watchdog of this one is off", MAX_WATCHDOGS);
  return wd;
}

void
smelt_watchdog_free (SmeltWatchdog *wd)
{
  if (wd == NULL)
    return;

  for (guint i = 0; i < MAX_WATCHDOGS; i++)
    g_atomic_pointer_compare_and_exchange (&watchdogs[i], wd, NULL);

  if (wd->thread != NULL)
    {
      g_mutex_lock (&wd->lock);
      wd->stop = TRUE;
      g_cond_signal (&wd->cond);
      g_mutex_unlock (&wd->lock);
      g_thread_join (wd->thread);
    }
  g_mutex_clear (&wd->lock);
  g_cond_clear (&wd->cond);
  g_free (wd);
}

void
smelt_watchdog_set_budget (SmeltWatchdog *wd,
                           guint          budget_ms)
{
  g_atomic_int_set (&wd->budget_ms, (gint) MIN (budget_ms, (guint) G_MAXINT));
  if (budget_ms > 0 && wd->thread == NULL)
    wd->thread = g_thread_new ("smelt-watchdog", watchdog_thread, wd);
  g_mutex_lock (&wd->lock);
  g_cond_signal (&wd->cond);
  g_mutex_unlock (&wd->lock);
}

guint
smelt_watchdog_get_budget (SmeltWatchdog *wd)
{
  return (guint) g_atomic_int_get (&wd->budget_ms);
}

lua_State *
smelt_watchdog_enter (SmeltWatchdog *wd,
                      lua_State     *L)
{
  lua_State *previous = LOAD (wd->running);
  gint depth = LOAD (wd->depth);

  if (depth == 0)
    STORE (wd->entered_at, g_get_monotonic_time ());
  STORE (wd->running, L);
  STORE (wd->depth, depth + 1);
  return previous;
}

void
smelt_watchdog_leave (SmeltWatchdog *wd,
                      lua_State     *previous)
{
  STORE (wd->depth, LOAD (wd->depth) - 1);
  STORE (wd->running, previous);
}

void
smelt_watchdog_running (SmeltWatchdog *wd,
                        lua_State     *co)
{
  STORE (wd->running, co);
}

void
smelt_watchdog_forget (SmeltWatchdog *wd,
                       lua_State     *co)
{
  if (LOAD (wd->running) == co)
    STORE (wd->running, NULL);
}

void
smelt_watchdog_restart (SmeltWatchdog *wd)
{
  STORE (wd->entered_at, g_get_monotonic_time ());
}

/* ------------------------------------------------- the plugins' own coroutines */

/* upvalues: 1 the watchdog (lightuserdata), 2 the original function,
 * 3 the coroutine it runs (for a wrap generator; otherwise argument 1). */
static int
tracked_call (lua_State *L)
{
  SmeltWatchdog *wd = lua_touserdata (L, lua_upvalueindex (1));
  lua_State *co = lua_tothread (L, lua_upvalueindex (3));
  lua_State *previous = LOAD (wd->running);
  int status;

  if (co == NULL)
    {
      co = lua_tothread (L, 1);
      if (co == NULL)
        luaL_checktype (L, 1, LUA_TTHREAD);
    }
  /* stack: args... -> original, args... */
  lua_pushvalue (L, lua_upvalueindex (2));
  lua_insert (L, 1);
  if (co != NULL)
    STORE (wd->running, co);
  status = lua_pcall (L, lua_gettop (L) - 1, LUA_MULTRET, 0);
  STORE (wd->running, previous);
  if (status != LUA_OK)
    return lua_error (L);
  return lua_gettop (L);
}

static void
push_tracked (lua_State     *L,
              SmeltWatchdog *wd,
              int            original,
              int            thread)
{
  original = lua_absindex (L, original);
  thread = thread != 0 ? lua_absindex (L, thread) : 0;
  lua_pushlightuserdata (L, wd);
  lua_pushvalue (L, original);
  if (thread != 0)
    lua_pushvalue (L, thread);
  else
    lua_pushnil (L);
  lua_pushcclosure (L, tracked_call, 3);
}

/* coroutine.wrap(f): the original generator, called through tracked_call
 * with its coroutine (the generator's first upvalue in lcorolib). */
static int
tracked_wrap (lua_State *L)
{
  SmeltWatchdog *wd = lua_touserdata (L, lua_upvalueindex (1));

  luaL_checktype (L, 1, LUA_TFUNCTION);
  lua_settop (L, 1);
  lua_pushvalue (L, lua_upvalueindex (2));
  lua_insert (L, 1);
  lua_call (L, 1, 1);                   /* stack: generator */
  if (lua_getupvalue (L, 1, 1) == NULL) /* stack: generator, co? */
    lua_pushnil (L);
  if (!lua_isthread (L, 2))
    {
      lua_pop (L, 1);
      return 1;                         /* not lcorolib's: leave it alone */
    }
  push_tracked (L, wd, 1, 2);
  return 1;
}

/**
 * smelt_watchdog_track_coroutines:
 * @wd: the watchdog
 * @L: the main state, with the standard libraries open
 *
 * Wraps coroutine.resume, coroutine.close and coroutine.wrap of @L so that a
 * coroutine run by plugin code is the one the watchdog interrupts.  Does
 * nothing when @L has no coroutine library.
 */
void
smelt_watchdog_track_coroutines (SmeltWatchdog *wd,
                                 lua_State     *L)
{
  static const char *const plain[] = { "resume", "close" };

  if (lua_getglobal (L, "coroutine") != LUA_TTABLE)
    {
      lua_pop (L, 1);
      return;
    }
  /* stack: coroutine */
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      if (lua_getfield (L, -1, plain[i]) == LUA_TFUNCTION)
        {
          push_tracked (L, wd, -1, 0);
          lua_setfield (L, -3, plain[i]);
        }
      lua_pop (L, 1);
    }
  if (lua_getfield (L, -1, "wrap") == LUA_TFUNCTION)
    {
      lua_pushlightuserdata (L, wd);
      lua_insert (L, -2);
      lua_pushcclosure (L, tracked_wrap, 2);
      lua_setfield (L, -2, "wrap");
    }
  else
    lua_pop (L, 1);
  lua_pop (L, 1);
}
