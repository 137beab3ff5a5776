/* smelt-lua-process.c: processes through GSubprocess: run to completion, or spawn and talk to them
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C primitives behind lua/smelt/process.lua.  Never a shell, unless the
 * caller runs one.  Cancelling the task waiting on a process (directly, by a
 * timeout or a race) terminates it: SIGTERM, then SIGKILL after a grace of
 * KILL_GRACE_MS; GLib's child watch reaps it, and its pipes close with the
 * GSubprocess, so no zombie and no descriptor is left behind.
 *
 * A spawned process's pipes are smelt.Streams (smelt-lua-stream.c).  While
 * it runs it is real work for the scheduler's clock, whether or not a task
 * waits on it: with --virtual-time a sleeping task does not see the clock
 * jump past what the process does meanwhile.
 *
 * SIGPIPE is ignored in smelt, so a write to a process that went away fails
 * (EPIPE) instead of killing the editor; GLib's spawning sets it back to the
 * default in each child.
 */

#define G_LOG_DOMAIN "smelt-process"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <lauxlib.h>
#include <signal.h>
#include <string.h>

#include "smelt-bridge.h"
#include "smelt-host-private.h"
#include "smelt-lua-private.h"
#include "smelt-lua-stream.h"

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
  GSubprocess *proc;
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

/* The process exited and was reaped: it is no longer real work. */
static void
running_ended_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  if (smelt_pending_op_is_live (op))
    smelt_scheduler_discard (op->sched, op->id);
}

/* Real work while @proc runs: an op no task parks on, whose slot holds the
 * scheduler's count until the process is reaped or the host closes. */
static void
count_as_real_work (SmeltScheduler *sched,
                    GSubprocess    *proc)
{
  SmeltPendingOp *op = smelt_pending_op_new (sched, "smelt.process.spawn");

  g_subprocess_wait_async (proc, op->cancellable, running_ended_cb, op);
}

/* Why stdin may not be written to: the process is gone. */
static char *
exited_guard (gpointer data)
{
  GSubprocess *proc = data;

  if (g_subprocess_get_identifier (proc) != NULL)
    return NULL;
  if (g_subprocess_get_if_exited (proc))
    return g_strdup_printf ("the process exited with status %d", g_subprocess_get_exit_status (proc));
  if (g_subprocess_get_if_signaled (proc))
    return g_strdup_printf ("the process was killed by signal %d", g_subprocess_get_term_sig (proc));
  return g_strdup ("the process has exited");
}

/* Pushes a stream for a pipe of @proc, named "PROGRAM (WHICH)" in errors. */
static void
push_pipe (lua_State     *L,
           GSubprocess   *proc,
           const char    *program,
           const char    *which,
           GInputStream  *in,
           GOutputStream *out)
{
  g_autofree char *label = g_strdup_printf ("%s (%s)", program, which);
  SmeltStream *stream = smelt_stream_new (in, out, NULL, label);

  /* GSubprocess's pipes block: a write larger than the room in the pipe
   * would stop the main loop until the program reads it all */
  if (G_IS_UNIX_OUTPUT_STREAM (out))
    g_unix_set_fd_nonblocking (g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (out)), TRUE, NULL);
  if (G_IS_UNIX_INPUT_STREAM (in))
    g_unix_set_fd_nonblocking (g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (in)), TRUE, NULL);

  if (out != NULL)
    smelt_stream_set_write_guard (stream, exited_guard, g_object_ref (proc), g_object_unref);
  smelt_lua_push_stream (L, stream);
}

/* internal.proc_spawn(argv, opts): a process handle; the calling task owns
 * it.  Its user values are its stdin, stdout and (with opts.stderr = "pipe")
 * stderr streams. */
static int
l_spawn (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = check_argv (L);   /* nothing below raises or parks */
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE;
  SmeltTask *owner = smelt_scheduler_current (sched);
  g_autofree char *program = NULL;
  Process *p;

  lua_getfield (L, 2, "stderr");
  if (lua_type (L, -1) == LUA_TSTRING && strcmp (lua_tostring (L, -1), "stdout") == 0)
    flags |= G_SUBPROCESS_FLAGS_STDERR_MERGE;
  else if (lua_type (L, -1) == LUA_TSTRING && strcmp (lua_tostring (L, -1), "pipe") == 0)
    flags |= G_SUBPROCESS_FLAGS_STDERR_PIPE;
  else if (lua_type (L, -1) == LUA_TSTRING && strcmp (lua_tostring (L, -1), "inherit") == 0)
    ;
  else
    flags |= G_SUBPROCESS_FLAGS_STDERR_SILENCE;
  lua_pop (L, 1);

  launcher = make_launcher (L, 2, flags);
  p = lua_newuserdatauv (L, sizeof *p, 3);
  memset (p, 0, sizeof *p);
  luaL_setmetatable (L, PROCESS_MT);
  p->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  if (p->proc == NULL)
    {
      smelt_bridge_push_error (L, error);
      return 1;
    }
  program = g_path_get_basename (argv[0]);
  /* stack: process */
  push_pipe (L, p->proc, program, "stdin", NULL, g_subprocess_get_stdin_pipe (p->proc));
  lua_setiuservalue (L, -2, 1);
  push_pipe (L, p->proc, program, "stdout", g_subprocess_get_stdout_pipe (p->proc), NULL);
  lua_setiuservalue (L, -2, 2);
  if (flags & G_SUBPROCESS_FLAGS_STDERR_PIPE)
    {
      push_pipe (L, p->proc, program, "stderr", g_subprocess_get_stderr_pipe (p->proc), NULL);
      lua_setiuservalue (L, -2, 3);
    }
  count_as_real_work (sched, p->proc);
  if (owner != NULL)
    smelt_task_add_cleanup (owner, on_owner_finished, g_object_ref (p->proc));
  return 1;
}

/* proc:streams() (internal): stdin, stdout, stderr (nil unless piped) */
static int
l_streams (lua_State *L)
{
  check_process (L, "process:streams");
  for (int i = 1; i <= 3; i++)
    lua_getiuservalue (L, 1, i);
  return 3;
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

  g_clear_object (&p->proc);
  return 0;
}

static const luaL_Reg process_methods[] = {
  { "streams", l_streams },
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
  struct sigaction previous;

  /* unless the embedding program chose otherwise (a handler of its own) */
  if (sigaction (SIGPIPE, NULL, &previous) == 0 && previous.sa_handler == SIG_DFL)
    signal (SIGPIPE, SIG_IGN);

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
