/* smelt-host.c: SmeltHost, the Lua plugin host on a GLib main context
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "smelt-host"

#include "config.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "smelt-heap-pages.h"
#include "smelt-host-private.h"
#include "smelt-lua-private.h"
#include "smelt-lua-stream.h"
#include "smelt-paths.h"
#include "smelt-scheduler.h"

#define DEFAULT_MEMORY_LIMIT (G_GUINT64_CONSTANT (2) << 30)
#define HISTORY_MAX 1000

/**
 * SmeltHost:
 *
 * The plugin host: one Lua 5.4 state, the task scheduler that drives its
 * coroutines from a #GMainContext, and the `smelt` namespace.
 *
 * All Lua runs on the thread that owns the host's main context.  A host is
 * created, then loads the bundled runtime with smelt_host_load_runtime(),
 * then runs plugin code with smelt_host_run_file() or
 * smelt_host_run_string(), each of which starts a task.
 */
struct _SmeltHost
{
  GObject         parent_instance;

  GMainContext   *context;
  lua_State      *L;
  SmeltScheduler *sched;
  char           *runtime_dir;
  char           *runtime_origin;  /* for Health and errors: "from $SMELT_RUNTIME_DIR"... */
  char           *start_dir;       /* the working directory when the host was made */
  guint64         memory_limit;
  guint64         memory_used;
  guint           watchdog_ms;
  GQueue          history;       /* SmeltMessage*, oldest first */
  int             internal_ref;  /* the runtime's internal table */
  SmeltSink      *sink;
  SmeltUiOpener   ui_opener;
  gpointer        ui_opener_data;
  guint           ui : 1;
  guint           loaded : 1;
};

G_DEFINE_FINAL_TYPE (SmeltHost, smelt_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAIN_CONTEXT,
  PROP_UI,
  PROP_RUNTIME_DIR,
  PROP_VIRTUAL_TIME,
  PROP_MEMORY_LIMIT,
  PROP_N_TASKS,
  PROP_WATCHDOG_MS,
  N_PROPS
};

enum {
  TASK_ERROR,
  IDLE,
  QUIT_REQUESTED,
  NOTIFY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/**
 * smelt_host_error_quark:
 *
 * The quark of the %SMELT_HOST_ERROR domain; its codes are #SmeltHostError.
 *
 * Returns: the error domain of #SmeltHost
 */
G_DEFINE_QUARK (smelt-host-error-quark, smelt_host_error)

/* ------------------------------------------------------------ Lua memory */

static void *
host_alloc (void   *ud,
            void   *ptr,
            size_t  osize,
            size_t  nsize)
{
  SmeltHost *self = ud;
  size_t old = ptr != NULL ? osize : 0;
  void *out;

  if (nsize == 0)
    {
      self->memory_used -= old;
      free (ptr);
      return NULL;
    }

  if (self->memory_limit > 0 && nsize > old &&
      self->memory_used - old + nsize > self->memory_limit &&
      self->sched != NULL && smelt_scheduler_cap_applies (self->sched))
    return NULL;   /* Lua raises "not enough memory" */

  out = realloc (ptr, nsize);
  if (out != NULL)
    self->memory_used = self->memory_used - old + nsize;
  smelt_heap_pages_note_growth ();
  return out;
}

static gboolean
on_heap_over_cap (gpointer user_data)
{
  SmeltHost *self = user_data;

  return self->memory_limit > 0 && self->memory_used > self->memory_limit;
}

SmeltHost *
smelt_host_from_lua (lua_State *L)
{
  return *(SmeltHost **) lua_getextraspace (L);
}

lua_State *
smelt_host_get_lua (SmeltHost *self)
{
  return self->L;
}

SmeltScheduler *
smelt_host_get_scheduler (SmeltHost *self)
{
  return self->sched;
}

/* ----------------------------------------------------------- scheduler hooks */

static void
on_task_error (gpointer    user_data,
               SmeltTask  *task,
               const char *name,
               const char *message,
               const char *traceback)
{
  smelt_host_report_error (user_data, task->id, name, message, traceback);
}

static void
smelt_message_free (gpointer data)
{
  SmeltMessage *m = data;

  g_free (m->text);
  g_free (m->traceback);
  g_free (m);
}

static void
history_push (SmeltHost  *self,
              int         level,
              const char *text,
              const char *traceback)
{
  SmeltMessage *m = g_new0 (SmeltMessage, 1);

  m->level = level;
  m->text = g_strdup (text);
  m->traceback = g_strdup (traceback);
  m->time_us = self->sched ? smelt_scheduler_now (self->sched) : g_get_monotonic_time ();
  m->real_time_us = g_get_real_time ();
  g_queue_push_tail (&self->history, m);
  while (self->history.length > HISTORY_MAX)
    smelt_message_free (g_queue_pop_head (&self->history));
}

/**
 * smelt_host_report_error: (skip)
 * @id: the task's id, or 0 for code that is not a task (a plugin file, a
 *   timer callback)
 *
 * Reports an error nobody caught: emits SmeltHost::task-error and keeps it,
 * with its traceback, in the message history.
 */
void
smelt_host_report_error (SmeltHost  *self,
                         guint64     id,
                         const char *name,
                         const char *message,
                         const char *traceback)
{
  g_autofree char *line = g_strdup_printf ("%s: %s", name, message);

  history_push (self, SMELT_LEVEL_ERROR, line, traceback);
  g_signal_emit (self, signals[TASK_ERROR], 0, id, name, message, traceback);
}

/**
 * smelt_host_report_traceback: (skip)
 * @what: how the report names the code ("plugin/x.lua", "timer callback")
 * @traceback: (nullable): what smelt_lua_traceback() made of the error: the
 *   message, then the stack traceback
 *
 * Reports an error caught around code that is not a task, the message
 * being what the traceback has before its stack.  Host bookkeeping: it works even when
 * the Lua heap is at its cap.
 *
 * Returns: (transfer full): the message
 */
char *
smelt_host_report_traceback (SmeltHost  *self,
                             const char *what,
                             const char *traceback)
{
  const char *stack;
  char *message;

  if (traceback == NULL)
    traceback = "(error object is not a string)";
  /* the whole message, every line of it: the message area shows one and
   * the rest on a click */
  stack = strstr (traceback, "\nstack traceback:");
  message = stack ? g_strndup (traceback, stack - traceback) : g_strdup (traceback);
  smelt_scheduler_begin_bookkeeping (self->sched);
  smelt_host_report_error (self, 0, what, message, traceback);
  smelt_scheduler_end_bookkeeping (self->sched);
  return message;
}

/**
 * smelt_host_notify: (skip)
 *
 * Keeps a notification in the history and emits SmeltHost::message.
 */
void
smelt_host_notify (SmeltHost  *self,
                   int         level,
                   const char *text)
{
  history_push (self, level, text, NULL);
  g_signal_emit (self, signals[NOTIFY], 0, smelt_level_to_string (level), text);
}

/**
 * smelt_host_get_history: (skip)
 *
 * Returns: (transfer none): the message history, SmeltMessage items
 */
GQueue *
smelt_host_get_history (SmeltHost *self)
{
  return &self->history;
}

static void
on_scheduler_idle (gpointer user_data)
{
  SmeltHost *self = user_data;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TASKS]);
  g_signal_emit (self, signals[IDLE], 0);
}

/* --------------------------------------------------------- Lua functions */

/* smelt.quit(code): end the program with code (default 0).  Inside a task,
 * the task parks until the host closes. */
static int
l_quit (lua_State *L)
{
  SmeltHost *self = smelt_host_from_lua (L);
  int code = 0;

  if (lua_isboolean (L, 1))
    code = lua_toboolean (L, 1) ? 0 : 1;
  else if (!lua_isnoneornil (L, 1))
    {
      int isnum = 0;
      lua_Integer n = lua_tointegerx (L, 1, &isnum);

      if (!isnum || n < 0 || n > 255)
        return smelt_lua_arg_error (L, 1, "smelt.quit", "exit code must be an integer from 0 to 255");
      code = (int) n;
    }

  smelt_host_quit (self, code);

  {
    SmeltTask *task = smelt_scheduler_current (self->sched);

    if (task != NULL && task->thread == L && lua_isyieldable (L) && !task->cancel_requested)
      return smelt_scheduler_park_external (self->sched, L, task,
                                            smelt_scheduler_alloc_id (self->sched),
                                            "smelt.quit");
  }
  return 0;
}

/* smelt.has_ui(): whether the GTK user interface runs (false with --no-ui) */
static int
l_has_ui (lua_State *L)
{
  lua_pushboolean (L, smelt_host_from_lua (L)->ui);
  return 1;
}

/* Lua calls this on an error outside any protected call: a bug in smelt. */
static int
on_lua_panic (lua_State *L)
{
  const char *msg = lua_tostring (L, -1);

  g_error ("smelt: unprotected Lua error (a bug in smelt, please report it): %s",
           msg ? msg : "(error object is not a string)");
  return 0;
}

/* smelt.cwd(): the working directory smelt was started in (a plugin's
 * relative paths, a project root search start from it) */
static int
l_cwd (lua_State *L)
{
  lua_pushstring (L, smelt_host_from_lua (L)->start_dir);
  return 1;
}

static const luaL_Reg host_functions[] = {
  { "quit", l_quit },
  { "has_ui", l_has_ui },
  { "cwd", l_cwd },
  { NULL, NULL },
};

/* --------------------------------------------------------------- GObject */

static void
smelt_host_constructed (GObject *object)
{
  SmeltHost *self = SMELT_HOST (object);
  SmeltSchedulerHooks hooks = {
    .task_error = on_task_error,
    .idle = on_scheduler_idle,
    .heap_over_cap = on_heap_over_cap,
    .user_data = self,
  };

  G_OBJECT_CLASS (smelt_host_parent_class)->constructed (object);
  self->start_dir = g_get_current_dir ();

  if (self->context == NULL)
    self->context = g_main_context_ref_thread_default ();
  if (self->runtime_dir == NULL)
    self->runtime_dir = smelt_path_get (SMELT_PATH_RUNTIME, &self->runtime_origin);
  else
    self->runtime_origin = g_strdup ("set by the program");

  self->L = lua_newstate (host_alloc, self);
  if (self->L == NULL)
    g_error ("smelt: cannot create a Lua state");
  *(SmeltHost **) lua_getextraspace (self->L) = self;
  lua_atpanic (self->L, on_lua_panic);
  luaL_openlibs (self->L);

  self->sink = smelt_sink_new (self);
  self->sched = smelt_scheduler_new (self->L, self->context, &hooks);
  smelt_scheduler_set_watchdog_ms (self->sched, self->watchdog_ms);
}

static void
smelt_host_dispose (GObject *object)
{
  SmeltHost *self = SMELT_HOST (object);

  if (self->sched != NULL)
    smelt_scheduler_shutdown (self->sched);
  if (self->L != NULL && self->internal_ref != LUA_NOREF)
    luaL_unref (self->L, LUA_REGISTRYINDEX, self->internal_ref);
  self->internal_ref = LUA_NOREF;
  g_clear_pointer (&self->L, lua_close);
  g_clear_pointer (&self->sched, smelt_scheduler_free);

  G_OBJECT_CLASS (smelt_host_parent_class)->dispose (object);
}

static void
smelt_host_finalize (GObject *object)
{
  SmeltHost *self = SMELT_HOST (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->runtime_dir, g_free);
  g_clear_pointer (&self->runtime_origin, g_free);
  g_clear_pointer (&self->start_dir, g_free);
  g_queue_clear_full (&self->history, smelt_message_free);
  g_clear_pointer (&self->sink, smelt_sink_free);

  G_OBJECT_CLASS (smelt_host_parent_class)->finalize (object);
}

static void
smelt_host_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SmeltHost *self = SMELT_HOST (object);

  switch (prop_id)
    {
    case PROP_MAIN_CONTEXT:
      g_value_set_boxed (value, self->context);
      break;
    case PROP_UI:
      g_value_set_boolean (value, self->ui);
      break;
    case PROP_RUNTIME_DIR:
      g_value_set_string (value, self->runtime_dir);
      break;
    case PROP_VIRTUAL_TIME:
      g_value_set_boolean (value, smelt_host_get_virtual_time (self));
      break;
    case PROP_MEMORY_LIMIT:
      g_value_set_uint64 (value, self->memory_limit);
      break;
    case PROP_N_TASKS:
      g_value_set_uint (value, smelt_host_get_n_tasks (self));
      break;
    case PROP_WATCHDOG_MS:
      g_value_set_uint (value, smelt_host_get_watchdog_ms (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smelt_host_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SmeltHost *self = SMELT_HOST (object);

  switch (prop_id)
    {
    case PROP_MAIN_CONTEXT:
      self->context = g_value_dup_boxed (value);
      break;
    case PROP_UI:
      self->ui = g_value_get_boolean (value);
      break;
    case PROP_RUNTIME_DIR:
      self->runtime_dir = g_value_dup_string (value);
      break;
    case PROP_VIRTUAL_TIME:
      smelt_host_set_virtual_time (self, g_value_get_boolean (value));
      break;
    case PROP_MEMORY_LIMIT:
      smelt_host_set_memory_limit (self, g_value_get_uint64 (value));
      break;
    case PROP_WATCHDOG_MS:
      smelt_host_set_watchdog_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smelt_host_class_init (SmeltHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = smelt_host_constructed;
  object_class->dispose = smelt_host_dispose;
  object_class->finalize = smelt_host_finalize;
  object_class->get_property = smelt_host_get_property;
  object_class->set_property = smelt_host_set_property;

  /**
   * SmeltHost:main-context:
   *
   * The #GMainContext whose loop runs the tasks.  %NULL at construction
   * means the thread-default context.
   */
  properties[PROP_MAIN_CONTEXT] =
    g_param_spec_boxed ("main-context", NULL, NULL,
                        G_TYPE_MAIN_CONTEXT,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * SmeltHost:ui:
   *
   * Whether the GTK user interface runs.  Without it, the UI-tier functions
   * (`smelt.ui.*`, `smelt.buf.*`, ...) raise "requires the GUI".
   */
  properties[PROP_UI] =
    g_param_spec_boolean ("ui", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * SmeltHost:runtime-dir:
   *
   * The directory of smelt's bundled Lua runtime.  %NULL at construction
   * means `$SMELT_RUNTIME_DIR`, or else the runtime installed with the
   * library (`PREFIX/share/smelt/lua`, PREFIX being where the library is).
   */
  properties[PROP_RUNTIME_DIR] =
    g_param_spec_string ("runtime-dir", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * SmeltHost:virtual-time:
   *
   * Whether the scheduler's clock is virtual: it jumps to the next deadline
   * whenever no task is ready, so sleeps take no real time.
   */
  properties[PROP_VIRTUAL_TIME] =
    g_param_spec_boolean ("virtual-time", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * SmeltHost:memory-limit:
   *
   * The most bytes the Lua heap may use; 0 means no limit.  An allocation
   * past it makes Lua raise "not enough memory".
   */
  properties[PROP_MEMORY_LIMIT] =
    g_param_spec_uint64 ("memory-limit", NULL, NULL, 0, G_MAXUINT64, DEFAULT_MEMORY_LIMIT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * SmeltHost:n-tasks:
   *
   * The number of live tasks.  Notified when it drops to zero.
   */
  properties[PROP_N_TASKS] =
    g_param_spec_uint ("n-tasks", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * SmeltHost:watchdog-ms:
   *
   * How long Lua code may run without returning to the main loop before it
   * is interrupted with an error; 0 turns the watchdog off.  Defaults to
   * `$SMELT_WATCHDOG_MS`, or 2000.
   */
  properties[PROP_WATCHDOG_MS] =
    g_param_spec_uint ("watchdog-ms", NULL, NULL, 0, G_MAXINT, 2000,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmeltHost::task-error:
   * @self: the host
   * @id: the task's id
   * @name: the task's name
   * @message: the error message
   * @traceback: the message followed by the task's stack traceback
   *
   * A task ended with an error that nobody waited for.
   */
  signals[TASK_ERROR] =
    g_signal_new ("task-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_UINT64, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * SmeltHost::idle:
   * @self: the host
   *
   * The last live task ended.  Emitted from the main loop.
   */
  signals[IDLE] =
    g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * SmeltHost::quit-requested:
   * @self: the host
   * @code: the exit status asked for
   *
   * Lua called `smelt.quit(code)` (or C called smelt_host_quit()).
   */
  signals[QUIT_REQUESTED] =
    g_signal_new ("quit-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  /**
   * SmeltHost::message:
   * @self: the host
   * @level: "debug", "info", "warn" or "error"
   * @message: the text
   *
   * Lua called `smelt.notify(message, level)`.
   */
  signals[NOTIFY] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
smelt_host_init (SmeltHost *self)
{
  self->memory_limit = DEFAULT_MEMORY_LIMIT;
  self->watchdog_ms = 2000;
  self->internal_ref = LUA_NOREF;
  {
    /* the default budget may come from the environment (slow sanitizer builds) */
    const char *env = g_getenv ("SMELT_WATCHDOG_MS");

    if (env != NULL && g_ascii_isdigit (env[0]))
      self->watchdog_ms = (guint) g_ascii_strtoull (env, NULL, 10);
  }
}

/* -------------------------------------------------------------- public API */

/**
 * smelt_host_new:
 * @context: (nullable): the main context whose loop will run the tasks, or
 *   %NULL for the thread-default one
 *
 * Creates a host with no user interface.
 *
 * Returns: (transfer full): a new #SmeltHost
 */
SmeltHost *
smelt_host_new (GMainContext *context)
{
  return g_object_new (SMELT_TYPE_HOST, "main-context", context, NULL);
}

/**
 * smelt_host_call: (skip)
 * @nargs: the arguments above the function on the main state's stack
 * @nresults: how many results to leave (or %LUA_MULTRET)
 * @what: how an error report names the code ("statusline", "timer
 *   callback (x.lua:3)", "plugin/x.lua")
 * @flags: #SmeltCallFlags
 * @error: (nullable): return location for the error's message (its first
 *   line), %SMELT_HOST_ERROR_RUN
 *
 * The one gate from C into plugin Lua that is not a task (a plugin file, a
 * timer callback, an event handler, a statusline renderer, a completion
 * function, a key press): it cannot park.  The call runs under the
 * watchdog (which interrupts it after the host's watchdog-ms, naming the
 * Lua line), with a traceback; an error or an interruption is reported
 * with smelt_host_report_traceback() (unless %SMELT_CALL_QUIET), never
 * raised.
 *
 * On success the function and its arguments are replaced by @nresults
 * results; on failure they are popped and nothing is pushed: the caller
 * gets no result and goes on with its own default.
 *
 * Returns: whether the call succeeded
 */
gboolean
smelt_host_call (SmeltHost       *self,
                 int              nargs,
                 int              nresults,
                 const char      *what,
                 SmeltCallFlags   flags,
                 GError         **error)
{
  lua_State *L = self->L;
  lua_State *previous;
  int base = lua_gettop (L) - nargs;
  g_autofree char *message = NULL;
  int status;

  g_assert (base >= 1);
  /* stack: fn, args... -> handler, fn, args... */
  lua_pushcfunction (L, smelt_lua_traceback);
  lua_insert (L, base);
  previous = smelt_scheduler_enter_plain (self->sched);
  if (flags & SMELT_CALL_FRESH_BUDGET)
    smelt_scheduler_restart_watchdog (self->sched);
  status = lua_pcall (L, nargs, nresults, base);
  smelt_scheduler_leave_plain (self->sched, previous);
  if (status == LUA_OK)
    {
      lua_remove (L, base);
      return TRUE;
    }

  /* stack: handler, traceback */
  if (flags & SMELT_CALL_QUIET)
    {
      const char *traceback = lua_tostring (L, -1);
      const char *nl = traceback ? strchr (traceback, '\n') : NULL;

      if (traceback == NULL)
        message = g_strdup ("(error object is not a string)");
      else
        message = nl ? g_strndup (traceback, nl - traceback) : g_strdup (traceback);
    }
  else
    message = smelt_host_report_traceback (self, what, lua_tostring (L, -1));
  lua_settop (L, base - 1);
  g_set_error_literal (error, SMELT_HOST_ERROR, SMELT_HOST_ERROR_RUN, message);
  return FALSE;
}

/**
 * smelt_host_load_runtime:
 * @self: a #SmeltHost
 * @error: return location for a #GError
 *
 * Creates the `smelt` namespace and runs the bundled runtime's bootstrap.
 * Call it once, before running plugin code.
 *
 * Returns: %TRUE on success
 */
gboolean
smelt_host_load_runtime (SmeltHost  *self,
                         GError    **error)
{
  lua_State *L;
  g_autofree char *bootstrap = NULL;
  int top;

  g_return_val_if_fail (SMELT_IS_HOST (self), FALSE);
  g_return_val_if_fail (!self->loaded, FALSE);

  L = self->L;
  top = lua_gettop (L);
  bootstrap = g_build_filename (self->runtime_dir, "smelt", "bootstrap.lua", NULL);

  /* package.path: the runtime first */
  lua_getglobal (L, "package");
  lua_pushfstring (L, "%s/?.lua;%s/?/init.lua;", self->runtime_dir, self->runtime_dir);
  lua_getfield (L, -2, "path");
  lua_concat (L, 2);
  lua_setfield (L, -2, "path");
  lua_pop (L, 1);

  lua_newtable (L);                        /* stack: smelt */
  luaL_setfuncs (L, host_functions, 0);
  lua_newtable (L);                        /* stack: smelt, internal */
  lua_pushliteral (L, PACKAGE_VERSION);
  lua_setfield (L, -3, "version");
  smelt_lua_open_task (L, self->sched, -2, -1);
  smelt_lua_open_timer (L, self->sched, -2);
  smelt_lua_open_log (L, -2);
  smelt_lua_open_i18n (L, -2);
  smelt_lua_open_json (L, -2);
  smelt_lua_open_runtime (L, self->sched, -1);
  smelt_lua_open_fs (L, self->sched, -1);
  smelt_lua_open_fs_lock (L, -1);
  smelt_lua_open_stream (L, self->sched, -1);
  smelt_lua_open_process (L, self->sched, -1);
  smelt_lua_open_http (L, self->sched, -1);
  smelt_lua_open_net (L, self->sched, -1);
  smelt_lua_open_ext (L, lua_absindex (L, -1));
  lua_newtable (L);
  smelt_sink_install (self->sink, L, -1);
  lua_setfield (L, -3, "ext");
  if (self->ui_opener != NULL)
    self->ui_opener (L, lua_absindex (L, -1), self->ui_opener_data);
  lua_pushcfunction (L, l_quit);
  lua_setfield (L, -2, "quit");             /* internal.quit: quit without quit-pre */

  lua_pushvalue (L, -2);
  lua_setglobal (L, "smelt");
  luaL_getsubtable (L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushvalue (L, -3);
  lua_setfield (L, -2, "smelt");
  lua_getfield (L, -3, "task");
  lua_setfield (L, -2, "smelt.task");
  lua_pop (L, 1);                          /* stack: smelt, internal */

  lua_pushboolean (L, self->ui);
  lua_setfield (L, -2, "ui");
  lua_pushvalue (L, -1);
  self->internal_ref = luaL_ref (L, LUA_REGISTRYINDEX);

  if (luaL_loadfilex (L, bootstrap, "t") != LUA_OK)
    {
      /* no runtime there at all: most likely a build run by hand */
      gboolean absent = !g_file_test (bootstrap, G_FILE_TEST_EXISTS);

      g_set_error (error, SMELT_HOST_ERROR, SMELT_HOST_ERROR_RUNTIME,
                   "cannot load smelt's runtime from %s (%s): %s%s", self->runtime_dir,
                   self->runtime_origin, lua_tostring (L, -1),
                   absent ? "; to run smelt from its build folder use `meson devenv -C BUILDDIR -w . smelt`,"
                            " or set SMELT_RUNTIME_DIR to a runtime (the lua/ folder of smelt's sources)" : "");
      lua_settop (L, top);
      return FALSE;
    }
  lua_insert (L, -3);                      /* stack: bootstrap, smelt, internal */
  if (!smelt_host_call (self, 2, 0, "smelt's runtime", SMELT_CALL_DEFAULT, error))
    {
      g_prefix_error (error, "smelt's runtime failed to start: ");
      if (*error)
        (*error)->code = SMELT_HOST_ERROR_RUNTIME;
      lua_settop (L, top);
      return FALSE;
    }

  lua_settop (L, top);
  self->loaded = TRUE;
  return TRUE;
}

static guint64
spawn_chunk (SmeltHost   *self,
             int          nargs,
             const char  *name)
{
  SmeltTask *task = smelt_scheduler_spawn (self->sched, self->L, nargs, NULL);

  smelt_task_set_name (task, name);
  return task->id;
}

/**
 * smelt_host_run_file:
 * @self: a #SmeltHost
 * @path: (type filename): a Lua file
 * @args: (array zero-terminated=1) (nullable): the script's arguments
 * @error: return location for a #GError
 *
 * Compiles @path and starts its main chunk as a task, with @args as its
 * `...`.  As Lua's standalone interpreter does, sets the global `arg` to a
 * table with the script at index 0 and the arguments from 1.
 *
 * Returns: the task's id, or 0 if @path cannot be read or compiled
 */
guint64
smelt_host_run_file (SmeltHost           *self,
                     const char          *path,
                     const char * const  *args,
                     GError             **error)
{
  lua_State *L;
  int nargs = 0;
  guint64 id;

  g_return_val_if_fail (SMELT_IS_HOST (self), 0);
  g_return_val_if_fail (path != NULL, 0);

  L = self->L;
  smelt_scheduler_begin_bookkeeping (self->sched);
  if (luaL_loadfilex (L, path, "bt") != LUA_OK)
    {
      g_set_error (error, SMELT_HOST_ERROR, SMELT_HOST_ERROR_LOAD, "%s", lua_tostring (L, -1));
      lua_pop (L, 1);
      smelt_scheduler_end_bookkeeping (self->sched);
      return 0;
    }

  lua_createtable (L, args ? (int) g_strv_length ((char **) args) : 0, 1);
  lua_pushstring (L, path);
  lua_rawseti (L, -2, 0);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      lua_pushstring (L, args[i]);
      lua_rawseti (L, -2, i + 1);
    }
  lua_setglobal (L, "arg");

  for (guint i = 0; args != NULL && args[i] != NULL; i++, nargs++)
    {
      luaL_checkstack (L, 1, "too many arguments to script");
      lua_pushstring (L, args[i]);
    }

  id = spawn_chunk (self, nargs, path);
  smelt_scheduler_end_bookkeeping (self->sched);
  return id;
}

/**
 * smelt_host_run_string:
 * @self: a #SmeltHost
 * @code: Lua source
 * @chunkname: (nullable): the name error messages give the chunk
 * @error: return location for a #GError
 *
 * Compiles @code and starts it as a task.
 *
 * Returns: the task's id, or 0 if @code does not compile
 */
guint64
smelt_host_run_string (SmeltHost   *self,
                       const char  *code,
                       const char  *chunkname,
                       GError     **error)
{
  lua_State *L;
  guint64 id;

  g_return_val_if_fail (SMELT_IS_HOST (self), 0);
  g_return_val_if_fail (code != NULL, 0);

  L = self->L;
  if (chunkname == NULL)
    chunkname = "=(string)";
  smelt_scheduler_begin_bookkeeping (self->sched);
  if (luaL_loadbufferx (L, code, strlen (code), chunkname, "t") != LUA_OK)
    {
      g_set_error (error, SMELT_HOST_ERROR, SMELT_HOST_ERROR_LOAD, "%s", lua_tostring (L, -1));
      lua_pop (L, 1);
      smelt_scheduler_end_bookkeeping (self->sched);
      return 0;
    }
  id = spawn_chunk (self, 0, chunkname[0] == '=' || chunkname[0] == '@' ? chunkname + 1 : chunkname);
  smelt_scheduler_end_bookkeeping (self->sched);
  return id;
}

/**
 * smelt_host_alloc:
 * @self: a #SmeltHost
 *
 * Allocates an external task id, as `smelt.task.alloc()` does, for C to
 * resolve with smelt_host_resume() or smelt_host_reject() from any thread.
 *
 * Returns: a positive id, never returned before by this host
 */
guint64
smelt_host_alloc (SmeltHost *self)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), 0);
  return smelt_sink_alloc (self->sink, NULL);
}

SmeltSink *
smelt_host_get_sink (SmeltHost *self)
{
  return self->sink;
}

typedef struct
{
  guint64    id;
  SmeltTask *found;
} FindTask;

static void
find_task_cb (gpointer data,
              gpointer user_data)
{
  SmeltTask *task = data;
  FindTask *find = user_data;

  if (task->id == find->id)
    find->found = task;
}

/**
 * smelt_host_cancel_task:
 * @self: a #SmeltHost
 * @id: a task id
 *
 * Cancels the live task @id and its descendants.
 *
 * Returns: whether @id was a live task
 */
gboolean
smelt_host_cancel_task (SmeltHost *self,
                        guint64    id)
{
  FindTask find = { id, NULL };

  g_return_val_if_fail (SMELT_IS_HOST (self), FALSE);

  smelt_scheduler_foreach_live (self->sched, find_task_cb, &find);
  if (find.found == NULL)
    return FALSE;
  smelt_task_cancel (find.found);
  return TRUE;
}

/**
 * smelt_host_get_n_tasks:
 * @self: a #SmeltHost
 *
 * Returns: the number of live tasks
 */
guint
smelt_host_get_n_tasks (SmeltHost *self)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), 0);
  return smelt_scheduler_n_live (self->sched);
}

/**
 * smelt_host_get_main_context:
 * @self: a #SmeltHost
 *
 * Returns: (transfer none): the main context that runs the tasks
 */
GMainContext *
smelt_host_get_main_context (SmeltHost *self)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), NULL);
  return self->context;
}

/**
 * smelt_host_get_runtime_dir:
 * @self: a #SmeltHost
 *
 * Returns: (type filename): the directory of the bundled Lua runtime
 */
const char *
smelt_host_get_runtime_dir (SmeltHost *self)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), NULL);
  return self->runtime_dir;
}

/* Where the runtime directory came from: "from $SMELT_RUNTIME_DIR",
 * "installed in PREFIX" or "set by the program". */
const char *
smelt_host_get_runtime_origin (SmeltHost *self)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), NULL);
  return self->runtime_origin;
}

/**
 * smelt_host_get_ui:
 * @self: a #SmeltHost
 *
 * Returns: whether the GTK user interface runs
 */
gboolean
smelt_host_get_ui (SmeltHost *self)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), FALSE);
  return self->ui;
}

/**
 * smelt_host_get_virtual_time:
 * @self: a #SmeltHost
 *
 * Returns: whether the scheduler runs on a virtual clock
 */
gboolean
smelt_host_get_virtual_time (SmeltHost *self)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), FALSE);
  return smelt_scheduler_get_virtual_time (self->sched);
}

/**
 * smelt_host_set_virtual_time:
 * @self: a #SmeltHost
 * @virtual_time: whether to use a virtual clock
 *
 * Switches the scheduler's clock.  On a virtual clock, whenever no task is
 * ready the clock jumps to the next deadline: sleeps and timers take no real
 * time, and still happen in the order they would in real time.
 */
void
smelt_host_set_virtual_time (SmeltHost *self,
                             gboolean   virtual_time)
{
  g_return_if_fail (SMELT_IS_HOST (self));

  if (!!virtual_time == smelt_scheduler_get_virtual_time (self->sched))
    return;
  smelt_scheduler_set_virtual_time (self->sched, virtual_time);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIRTUAL_TIME]);
}

/**
 * smelt_host_get_memory_limit:
 * @self: a #SmeltHost
 *
 * Returns: the cap on the Lua heap in bytes, 0 for none
 */
guint64
smelt_host_get_memory_limit (SmeltHost *self)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), 0);
  return self->memory_limit;
}

/**
 * smelt_host_set_memory_limit:
 * @self: a #SmeltHost
 * @bytes: the cap on the Lua heap, 0 for none
 *
 * Sets the most memory Lua may use; past it, allocations fail and Lua
 * raises "not enough memory" in the code that asked.
 */
void
smelt_host_set_memory_limit (SmeltHost *self,
                             guint64    bytes)
{
  g_return_if_fail (SMELT_IS_HOST (self));

  if (self->memory_limit == bytes)
    return;
  self->memory_limit = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_LIMIT]);
}

/**
 * smelt_host_get_watchdog_ms:
 * @self: a #SmeltHost
 *
 * Returns: the watchdog's budget in milliseconds, 0 when it is off
 */
guint
smelt_host_get_watchdog_ms (SmeltHost *self)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), 0);
  return self->watchdog_ms;
}

/**
 * smelt_host_set_watchdog_ms:
 * @self: a #SmeltHost
 * @budget_ms: milliseconds, 0 to turn the watchdog off
 *
 * Sets how long Lua code may run without returning to the main loop; past
 * it, the code is interrupted with the error
 * "smelt: plugin code ran N ms without yielding (file.lua:12)".
 */
void
smelt_host_set_watchdog_ms (SmeltHost *self,
                            guint      budget_ms)
{
  g_return_if_fail (SMELT_IS_HOST (self));

  if (self->watchdog_ms == budget_ms)
    return;
  self->watchdog_ms = budget_ms;
  if (self->sched != NULL)
    smelt_scheduler_set_watchdog_ms (self->sched, budget_ms);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHDOG_MS]);
}

/**
 * smelt_host_get_memory_used:
 * @self: a #SmeltHost
 *
 * Returns: the bytes the Lua heap uses now
 */
guint64
smelt_host_get_memory_used (SmeltHost *self)
{
  g_return_val_if_fail (SMELT_IS_HOST (self), 0);
  return self->memory_used;
}

/**
 * smelt_host_quit:
 * @self: a #SmeltHost
 * @code: the exit status asked for
 *
 * Emits #SmeltHost::quit-requested; the program embedding the host decides
 * what quitting means.
 */
void
smelt_host_quit (SmeltHost *self,
                 int        code)
{
  g_return_if_fail (SMELT_IS_HOST (self));
  g_signal_emit (self, signals[QUIT_REQUESTED], 0, code);
}

/* Pushes internal[name] (or smelt[...] when name has a dot: "smelt.cmd.run"). */
static void
push_runtime_function (SmeltHost  *self,
                       const char *name)
{
  lua_State *L = self->L;
  g_auto(GStrv) parts = NULL;

  if (!g_str_has_prefix (name, "smelt."))
    {
      lua_rawgeti (L, LUA_REGISTRYINDEX, self->internal_ref);
      lua_getfield (L, -1, name);
      lua_remove (L, -2);
      return;
    }
  parts = g_strsplit (name, ".", -1);
  lua_getglobal (L, parts[0]);
  for (guint i = 1; parts[i] != NULL && lua_istable (L, -1); i++)
    {
      lua_getfield (L, -1, parts[i]);
      lua_remove (L, -2);
    }
}

/**
 * smelt_host_start:
 * @self: a #SmeltHost whose runtime is loaded
 * @clean: skip the user's config and site directories
 * @init_file: (nullable) (type filename): a file to run instead of the
 *   user's init.lua ("NONE" for none)
 *
 * Starts up like Neovim: builds the runtime path, runs init.lua, every
 * plugin/ *.lua of every runtime path entry (entries in order, files in byte
 * order), then emits the event "ready".  An error in one file is reported
 * (SmeltHost::task-error with id 0) and the others still load.
 */
void
smelt_host_start (SmeltHost  *self,
                  gboolean    clean,
                  const char *init_file)
{
  lua_State *L;

  g_return_if_fail (SMELT_IS_HOST (self));
  g_return_if_fail (self->loaded);

  L = self->L;
  push_runtime_function (self, "startup");
  lua_createtable (L, 0, 2);
  lua_pushboolean (L, clean);
  lua_setfield (L, -2, "clean");
  if (init_file != NULL)
    {
      lua_pushstring (L, init_file);
      lua_setfield (L, -2, "init");
    }
  smelt_host_call (self, 1, 0, "startup", SMELT_CALL_DEFAULT, NULL);
}

/* Calls a runtime function with one string (or nil) from C, quietly: the
 * caller reports the error its own way. */
static char *
call_runtime_string (SmeltHost   *self,
                     const char  *name,
                     const char  *arg,
                     GError     **error)
{
  lua_State *L = self->L;
  char *out = NULL;

  push_runtime_function (self, name);
  if (arg != NULL)
    lua_pushstring (L, arg);
  else
    lua_pushnil (L);
  if (!smelt_host_call (self, 1, 1, name, SMELT_CALL_QUIET, error))
    return NULL;
  out = g_strdup (lua_isstring (L, -1) ? lua_tostring (L, -1) : "");
  lua_pop (L, 1);
  return out;
}

/**
 * smelt_host_run_command:
 * @self: a #SmeltHost
 * @line: a command line, such as "Lua print(1)"
 * @error: return location for a #GError
 *
 * Runs a command as `smelt.cmd.run()` does: its handler starts as a task.
 *
 * Returns: %FALSE if the line is not a valid command (unknown name, wrong
 *   number of arguments)
 */
gboolean
smelt_host_run_command (SmeltHost   *self,
                        const char  *line,
                        GError     **error)
{
  g_autofree char *unused = NULL;

  g_return_val_if_fail (SMELT_IS_HOST (self), FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  unused = call_runtime_string (self, "smelt.cmd.run", line, error);
  return unused != NULL;
}

/**
 * smelt_host_dup_health:
 * @self: a #SmeltHost
 *
 * Returns: (transfer full): the Health report
 */
char *
smelt_host_dup_health (SmeltHost *self)
{
  g_autoptr(GError) error = NULL;
  char *report;

  g_return_val_if_fail (SMELT_IS_HOST (self), NULL);

  report = call_runtime_string (self, "health_report", NULL, &error);
  if (report == NULL)
    report = g_strdup_printf ("Health failed: %s", error->message);
  return report;
}

/**
 * smelt_host_request_quit:
 * @self: a #SmeltHost
 * @code: the exit status
 *
 * Quits as `smelt.quit(code)` does: the "quit-pre" handlers run first (for
 * at most 5 seconds), then SmeltHost::quit-requested is emitted.
 */
void
smelt_host_request_quit (SmeltHost *self,
                         int        code)
{
  g_return_if_fail (SMELT_IS_HOST (self));

  push_runtime_function (self, "smelt.quit");
  lua_pushinteger (self->L, CLAMP (code, 0, 255));
  smelt_host_call (self, 1, 0, "smelt.quit", SMELT_CALL_DEFAULT, NULL);
}

/**
 * smelt_host_check_idle:
 * @self: a #SmeltHost
 *
 * Emits SmeltHost::idle from the main loop if no task is live and no timer
 * is pending now (the signal is otherwise emitted when the last one ends).
 */
void
smelt_host_check_idle (SmeltHost *self)
{
  g_return_if_fail (SMELT_IS_HOST (self));
  smelt_scheduler_check_idle (self->sched);
}

void
smelt_host_set_ui_opener (SmeltHost     *self,
                          SmeltUiOpener  opener,
                          gpointer       data)
{
  self->ui_opener = opener;
  self->ui_opener_data = data;
}

int
smelt_host_get_internal_ref (SmeltHost *self)
{
  return self->internal_ref;
}
