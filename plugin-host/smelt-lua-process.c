/* smelt-lua-process.c: processes through GSubprocess: run to completion, or spawn and talk to them
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C primitives behind lua/smelt/process.lua.  Never a shell, unless the
 * caller runs one.  Cancelling the task waiting on a process (directly, by a
 * timeout or a race) terminates it: SIGTERM, then SIGKILL after a grace of
 * KILL_GRACE_MS; GLib's child watch reaps it, and its pipes close with the
 * GSubprocess, so no zombie and no descriptor is left behind.
 */

#define G_LOG_DOMAIN "smelt-process"

#include "config.h"

#include <lauxlib.h>
#include <signal.h>
#include <string.h>

#include "smelt-bridge.h"
#include "smelt-host-private.h"
#include "smelt-lua-private.h"

#define KILL_GRACE_MS 200
#define PROCESS_MT "smelt.Process"

static inline SmeltScheduler *
sched_upvalue (lua_State *L)
{
  return lua_touserdata (L, lua_upvalueindex (1));
}

/* ---------------------------------------------------------------- killing */

static gboolean
kill_after_grace_cb (gpointer data)
{
  GSubprocess *proc = data;

  if (g_subprocess_get_identifier (proc) != NULL)
    g_subprocess_force_exit (proc);
  return G_SOURCE_REMOVE;
}

/* SIGTERM now, SIGKILL after the grace if it still runs. */
static void
terminate (GSubprocess *proc)
{
  if (g_subprocess_get_identifier (proc) == NULL)
    return;   /* already exited */
  g_subprocess_send_signal (proc, SIGTERM);
  g_timeout_add_full (G_PRIORITY_DEFAULT, KILL_GRACE_MS, kill_after_grace_cb,
                      g_object_ref (proc), g_object_unref);
}

/* --------------------------------------------------------------- launching */

/* Builds a launcher from the arguments at 2.. : cwd, env, clear_env, flags. */
static GSubprocessLauncher *
make_launcher (lua_State      *L,
               int             opts,
               GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  lua_getfield (L, opts, "cwd");
  if (lua_type (L, -1) == LUA_TSTRING)
    g_subprocess_launcher_set_cwd (launcher, lua_tostring (L, -1));
  lua_pop (L, 1);

  lua_getfield (L, opts, "clear_env");
  if (lua_toboolean (L, -1))
    {
      const char *empty[] = { NULL };

      g_subprocess_launcher_set_environ (launcher, (char **) empty);
    }
  lua_pop (L, 1);

  lua_getfield (L, opts, "env");
  if (lua_istable (L, -1))
    {
      lua_pushnil (L);
      while (lua_next (L, -2))
        {
          if (lua_type (L, -2) == LUA_TSTRING && lua_isstring (L, -1))
            g_subprocess_launcher_setenv (launcher, lua_tostring (L, -2), lua_tostring (L, -1), TRUE);
          lua_pop (L, 1);
        }
    }
  lua_pop (L, 1);
  return launcher;
}

/* The argv table at index 1 (validated by the Lua wrapper). */
static GStrv
check_argv (lua_State *L)
{
  int n = (int) luaL_len (L, 1);
  GStrv argv = g_new0 (char *, n + 1);

  for (int i = 1; i <= n; i++)
    {
      lua_rawgeti (L, 1, i);
      argv[i - 1] = g_strdup (lua_tostring (L, -1));
      lua_pop (L, 1);
    }
  return argv;
}

/* -------------------------------------------------------------------- run */

typedef struct
{
  GSubprocess *proc;
  GBytes      *out;
  GBytes      *err;
} RunState;

static void
run_state_free (gpointer data)
{
  RunState *rs = data;

  g_clear_object (&rs->proc);
  g_clear_pointer (&rs->out, g_bytes_unref);
  g_clear_pointer (&rs->err, g_bytes_unref);
  g_free (rs);
}

static void
push_bytes (lua_State *L,
            GBytes    *bytes)
{
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  lua_pushlstring (L, data ? data : "", len);
}

/* Pushes code and signal: (n, nil) when it exited, (nil, s) when killed. */
static void
push_status (lua_State   *L,
             GSubprocess *proc)
{
  if (g_subprocess_get_if_exited (proc))
    {
      lua_pushinteger (L, g_subprocess_get_exit_status (proc));
      lua_pushnil (L);
    }
  else if (g_subprocess_get_if_signaled (proc))
    {
      lua_pushnil (L);
      lua_pushinteger (L, g_subprocess_get_term_sig (proc));
    }
  else
    {
      lua_pushnil (L);
      lua_pushnil (L);
    }
}

/* { true, { code, signal, stdout, stderr } } */
static void
push_run_result (lua_State *L,
                 gpointer   data)
{
  RunState *rs = data;

  smelt_bridge_push_ok (L);
  lua_createtable (L, 0, 4);
  push_status (L, rs->proc);
  lua_setfield (L, -3, "signal");
  lua_setfield (L, -2, "code");
  push_bytes (L, rs->out);
  lua_setfield (L, -2, "stdout");
  push_bytes (L, rs->err);
  lua_setfield (L, -2, "stderr");
  lua_rawseti (L, -2, 2);
}

static void
run_wait_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  if (smelt_bridge_settle (op, error))
    smelt_pending_op_complete (op, push_run_result, op->data, FALSE);
}

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  RunState *rs = op->data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &rs->out, &rs->err, &error);
  if (!smelt_pending_op_is_live (op))
    return;
  if (error != NULL)
    {
      terminate (rs->proc);
      smelt_bridge_fail (op, error);
      return;
    }
  g_subprocess_wait_async (rs->proc, op->cancellable, run_wait_cb, smelt_pending_op_ref (op));
}

static void
run_cancelled (SmeltPendingOp *op)
{
  RunState *rs = op->data;

  terminate (rs->proc);
}

/* internal.proc_run(argv, opts, stdin).  Parking longjmps: nothing auto-freed
 * may be live when smelt_pending_op_park() is reached. */
static int
l_run (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  GSubprocessLauncher *launcher;
  GError *error = NULL;
  GBytes *input = NULL;
  GStrv argv;
  GSubprocess *proc;
  SmeltPendingOp *op;
  RunState *rs;

  smelt_scheduler_check_park (sched, L, "smelt.process.run");
  if (lua_type (L, 3) == LUA_TSTRING)
    {
      size_t len;
      const char *data = lua_tolstring (L, 3, &len);

      input = g_bytes_new (data, len);
    }
  /* Without opts.stdin, the child reads /dev/null. */
  launcher = make_launcher (L, 2, (input ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0) |
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  argv = check_argv (L);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_strfreev (argv);
  g_object_unref (launcher);
  if (proc == NULL)
    {
      g_clear_pointer (&input, g_bytes_unref);
      smelt_bridge_push_error (L, error);   /* cannot start: no park */
      g_error_free (error);
      return 1;
    }

  op = smelt_pending_op_begin (sched, L, "smelt.process.run");
  rs = g_new0 (RunState, 1);
  rs->proc = proc;
  op->data = rs;
  op->free_data = run_state_free;
  op->on_cancel = run_cancelled;
  g_subprocess_communicate_async (proc, input, op->cancellable, communicate_cb, smelt_pending_op_ref (op));
  g_clear_pointer (&input, g_bytes_unref);
  return smelt_pending_op_park (op, L);
}

/* ------------------------------------------------------------------ spawn */

typedef struct
{
  GSubprocess      *proc;
  GDataInputStream *lines;
} Process;

static Process *
check_process (lua_State  *L,
               const char *fname)
{
  Process *p = luaL_testudata (L, 1, PROCESS_MT);

  if (p == NULL)
    smelt_lua_arg_error (L, 1, fname, "process expected, got %s", luaL_typename (L, 1));
  return p;
}

static void
on_owner_finished (gpointer       data,
                   SmeltTaskState state)
{
  GSubprocess *proc = data;

  if (state == SMELT_TASK_CANCELLED)
    terminate (proc);
  g_object_unref (proc);
}

/* internal.proc_spawn(argv, opts): a process handle; the calling task owns it */
static int
l_spawn (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = check_argv (L);   /* nothing below raises or parks */
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE;
  SmeltTask *owner = smelt_scheduler_current (sched);
  Process *p;

  lua_getfield (L, 2, "stderr");
  if (lua_type (L, -1) == LUA_TSTRING && strcmp (lua_tostring (L, -1), "stdout") == 0)
    flags |= G_SUBPROCESS_FLAGS_STDERR_MERGE;
  else if (lua_type (L, -1) == LUA_TSTRING && strcmp (lua_tostring (L, -1), "inherit") == 0)
    ;
  else
    flags |= G_SUBPROCESS_FLAGS_STDERR_SILENCE;
  lua_pop (L, 1);

  launcher = make_launcher (L, 2, flags);
  p = lua_newuserdatauv (L, sizeof *p, 0);
  memset (p, 0, sizeof *p);
  luaL_setmetatable (L, PROCESS_MT);
  p->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  if (p->proc == NULL)
    {
      smelt_bridge_push_error (L, error);
      return 1;
    }
  p->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->proc));
  g_data_input_stream_set_newline_type (p->lines, G_DATA_STREAM_NEWLINE_TYPE_LF);
  if (owner != NULL)
    smelt_task_add_cleanup (owner, on_owner_finished, g_object_ref (p->proc));
  return 1;
}

/* { true } */
static void
push_written (lua_State *L,
              gpointer   data)
{
  smelt_bridge_push_ok (L);
}

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  if (smelt_bridge_settle (op, error))
    smelt_pending_op_complete (op, push_written, NULL, FALSE);
}

/* proc:write(data) (internal form): parks until written */
static int
l_write (lua_State *L)
{
  Process *p = check_process (L, "process:write");
  SmeltPendingOp *op;
  GBytes *bytes;
  size_t len;
  const char *data;

  if (lua_type (L, 2) != LUA_TSTRING)
    return smelt_lua_arg_error (L, 2, "process:write", "string expected, got %s", luaL_typename (L, 2));
  data = lua_tolstring (L, 2, &len);
  op = smelt_pending_op_begin (sched_upvalue (L), L, "process:write");
  bytes = g_bytes_new (data, len);
  op->data = bytes;
  op->free_data = (GDestroyNotify) g_bytes_unref;
  g_output_stream_write_all_async (g_subprocess_get_stdin_pipe (p->proc),
                                   g_bytes_get_data (bytes, NULL), len, G_PRIORITY_DEFAULT,
                                   op->cancellable, write_cb, smelt_pending_op_ref (op));
  return smelt_pending_op_park (op, L);
}

/* proc:close_stdin() */
static int
l_close_stdin (lua_State *L)
{
  Process *p = check_process (L, "process:close_stdin");

  g_output_stream_close (g_subprocess_get_stdin_pipe (p->proc), NULL, NULL);
  return 0;
}

typedef struct
{
  const char *text;   /* NULL at the end of the output */
  gsize       len;
} Line;

/* { true, line } (no line at the end) */
static void
push_line (lua_State *L,
           gpointer   data)
{
  Line *l = data;

  smelt_bridge_push_ok (L);
  if (l->text != NULL)
    {
      lua_pushlstring (L, l->text, l->len);
      lua_rawseti (L, -2, 2);
    }
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, &len, &error);
  Line l = { line, len };

  if (smelt_bridge_settle (op, error))
    smelt_pending_op_complete (op, push_line, &l, FALSE);
}

/* proc:read_line() (internal): parks until the next line of stdout; nil at EOF */
static int
l_read_line (lua_State *L)
{
  Process *p = check_process (L, "process:lines");
  SmeltPendingOp *op = smelt_pending_op_begin (sched_upvalue (L), L, "process:lines");

  g_data_input_stream_read_line_async (p->lines, G_PRIORITY_DEFAULT, op->cancellable,
                                       read_line_cb, smelt_pending_op_ref (op));
  return smelt_pending_op_park (op, L);
}

/* { true, code, signal } */
static void
push_exit (lua_State *L,
           gpointer   proc)
{
  smelt_bridge_push_ok (L);
  push_status (L, proc);
  lua_rawseti (L, -3, 3);
  lua_rawseti (L, -2, 2);
}

static void
spawn_wait_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  if (smelt_bridge_settle (op, error))
    smelt_pending_op_complete (op, push_exit, source, FALSE);
}

/* proc:wait() (internal): parks until exit */
static int
l_wait (lua_State *L)
{
  Process *p = check_process (L, "process:wait");
  SmeltPendingOp *op = smelt_pending_op_begin (sched_upvalue (L), L, "process:wait");

  g_subprocess_wait_async (p->proc, op->cancellable, spawn_wait_cb, smelt_pending_op_ref (op));
  return smelt_pending_op_park (op, L);
}

/* proc:kill(sig): send a signal (default SIGTERM) */
static int
l_kill (lua_State *L)
{
  Process *p = check_process (L, "process:kill");
  int sig = (int) luaL_optinteger (L, 2, SIGTERM);

  if (sig <= 0 || sig >= NSIG)
    return smelt_lua_arg_error (L, 2, "process:kill", "signal number expected, got %d", sig);
  if (g_subprocess_get_identifier (p->proc) != NULL)
    g_subprocess_send_signal (p->proc, sig);
  return 0;
}

/* proc:pid() */
static int
l_pid (lua_State *L)
{
  Process *p = check_process (L, "process:pid");
  const char *id = g_subprocess_get_identifier (p->proc);

  if (id == NULL)
    return 0;
  lua_pushinteger (L, g_ascii_strtoll (id, NULL, 10));
  return 1;
}

static int
process_gc (lua_State *L)
{
  Process *p = luaL_checkudata (L, 1, PROCESS_MT);

  g_clear_object (&p->lines);
  g_clear_object (&p->proc);
  return 0;
}

static const luaL_Reg process_methods[] = {
  { "write", l_write },
  { "close_stdin", l_close_stdin },
  { "read_line", l_read_line },
  { "wait", l_wait },
  { "kill", l_kill },
  { "pid", l_pid },
  { NULL, NULL },
};

static const luaL_Reg internal_functions[] = {
  { "proc_run", l_run },
  { "proc_spawn", l_spawn },
  { NULL, NULL },
};

void
smelt_lua_open_process (lua_State      *L,
                        SmeltScheduler *sched,
                        int             internal_idx)
{
  internal_idx = lua_absindex (L, internal_idx);
  luaL_newmetatable (L, PROCESS_MT);
  lua_pushcfunction (L, process_gc);
  lua_setfield (L, -2, "__gc");
  lua_newtable (L);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, process_methods, 1);
  lua_setfield (L, -2, "__index");
  lua_pop (L, 1);

  lua_pushvalue (L, internal_idx);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, internal_functions, 1);
  lua_pop (L, 1);
}
