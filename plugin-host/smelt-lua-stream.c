/* smelt-lua-stream.c: byte streams (pipes, sockets) that tasks read and write, buffered
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C half of smelt.Stream (lua/smelt/stream.lua): a GInputStream and/or
 * a GOutputStream (a process's pipes, a socket connection) with a read
 * buffer of its own.  Every read is answered from the buffer: exactly n
 * bytes, whatever is there, up to a delimiter, a line.  When the buffer
 * cannot answer, the reading task parks on a SmeltPendingOp and one GIO read
 * of up to CHUNK_SIZE bytes at a time fills the buffer until it can.
 *
 * Reads and writes run under the stream's own GCancellable, not the waiting
 * task's: a task cancelled while it waits (a timeout, a race) leaves the
 * read in flight, and what it brings stays in the buffer for the next
 * reader, so nothing is lost; a write that started is written whole, so a
 * message never reaches the other side cut in two.  Only close() (or the
 * stream's collection) cancels them.
 *
 * Writes queue: one GIO write at a time, in the order tasks asked; a queued
 * write whose task was cancelled before it started is dropped.
 *
 * Invariants: a live reader always has a fill in flight (s->filling); the
 * head of s->writers is in flight while s->writing.
 */

#define G_LOG_DOMAIN "smelt-stream"

#include "config.h"

#include <lauxlib.h>
#include <string.h>

#include "smelt-bridge.h"
#include "smelt-lua-private.h"
#include "smelt-lua-stream.h"

#define STREAM_MT "smelt.Stream"
#define CHUNK_SIZE 65536

typedef enum
{
  READ_EXACT,   /* n bytes, fewer only at end of file */
  READ_CHUNK,   /* what is there, at least one byte */
  READ_UNTIL,   /* up to and including the delimiter */
  READ_LINE,    /* up to "\n", which is left out */
} ReadMode;

typedef struct
{
  ReadMode mode;
  gsize    n;
  char    *delim;
  gsize    delim_len;
  gsize    scanned;   /* bytes at the start of the buffer known not to hold the delimiter */
} ReadRequest;

struct _SmeltStream
{
  gatomicrefcount        ref_count;
  GInputStream          *in;            /* (nullable) */
  GOutputStream         *out;           /* (nullable) */
  GIOStream             *io;            /* (nullable): closed as a whole */
  char                  *label;         /* errors name it: "127.0.0.1:8080", "cat (stdout)" */
  GCancellable          *cancellable;   /* cancelled by close: what is in flight stops */
  GByteArray            *buf;
  gsize                  start;         /* the unread bytes are buf[start..len) */
  GError                *read_error;    /* a failed read, for the next reader */
  SmeltPendingOp        *reader;        /* (nullable): the task waiting for data */
  GQueue                 writers;       /* ops waiting to write; the head in flight when writing */
  SmeltStreamWriteGuard  guard;
  gpointer               guard_data;
  GDestroyNotify         guard_destroy;
  guint                  filling : 1;
  guint                  writing : 1;
  guint                  eof : 1;
  guint                  closed : 1;
  guint                  io_closed : 1;
};

typedef struct
{
  SmeltStream *stream;
} StreamBox;

static inline SmeltScheduler *
sched_upvalue (lua_State *L)
{
  return lua_touserdata (L, lua_upvalueindex (1));
}

/* ------------------------------------------------------------- lifetime */

/**
 * smelt_stream_new:
 * @in: (nullable): what the stream reads
 * @out: (nullable): what it writes
 * @io: (nullable): the connection both belong to, closed as a whole
 * @label: what errors name ("127.0.0.1:8080")
 *
 * Returns: (transfer full): a stream holding refs on each
 */
SmeltStream *
smelt_stream_new (GInputStream  *in,
                  GOutputStream *out,
                  GIOStream     *io,
                  const char    *label)
{
  SmeltStream *s = g_new0 (SmeltStream, 1);

  g_return_val_if_fail (in != NULL || out != NULL, NULL);
  g_atomic_ref_count_init (&s->ref_count);
  s->in = in ? g_object_ref (in) : NULL;
  s->out = out ? g_object_ref (out) : NULL;
  s->io = io ? g_object_ref (io) : NULL;
  s->label = g_strdup (label);
  s->cancellable = g_cancellable_new ();
  s->buf = g_byte_array_new ();
  g_queue_init (&s->writers);
  return s;
}

/**
 * smelt_stream_set_write_guard:
 * @guard: (scope notified): asked before each write
 *
 * A write the guard refuses raises "FNAME: why" in the writing task.
 */
void
smelt_stream_set_write_guard (SmeltStream           *s,
                              SmeltStreamWriteGuard  guard,
                              gpointer               data,
                              GDestroyNotify         destroy)
{
  g_return_if_fail (s->guard == NULL);
  s->guard = guard;
  s->guard_data = data;
  s->guard_destroy = destroy;
}

static SmeltStream *
stream_ref (SmeltStream *s)
{
  g_atomic_ref_count_inc (&s->ref_count);
  return s;
}

void
smelt_stream_unref (SmeltStream *s)
{
  if (!g_atomic_ref_count_dec (&s->ref_count))
    return;
  g_assert (!s->filling && !s->writing);
  g_clear_pointer (&s->reader, smelt_pending_op_unref);
  g_queue_clear_full (&s->writers, (GDestroyNotify) smelt_pending_op_unref);
  if (s->guard_destroy != NULL)
    s->guard_destroy (s->guard_data);
  g_clear_error (&s->read_error);
  g_byte_array_unref (s->buf);
  g_clear_object (&s->cancellable);
  g_clear_object (&s->in);
  g_clear_object (&s->out);
  g_clear_object (&s->io);
  g_free (s->label);
  g_free (s);
}

/* Closes the GIO streams once closed and nothing is in flight any more. */
static void
close_io_when_idle (SmeltStream *s)
{
  if (!s->closed || s->io_closed || s->filling || s->writing)
    return;
  s->io_closed = TRUE;
  if (s->io != NULL)
    {
      /* a socket: close_notify for TLS may have to be written; nobody waits */
      g_io_stream_close_async (s->io, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  /* pipes close at once */
  if (s->in != NULL)
    g_input_stream_close (s->in, NULL, NULL);
  if (s->out != NULL)
    g_output_stream_close (s->out, NULL, NULL);
}

/* ---------------------------------------------------------------- errors */

/* The error a read or write whose stream was closed under it gets. */
static GError *
closed_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, "the stream is closed");
}

/* Pushes { false, "FNAME: LABEL: message", code } without parking. */
static void
push_failure (lua_State    *L,
              const char   *fname,
              SmeltStream  *s,
              const GError *error)
{
  g_autoptr(GError) named = g_error_new (error->domain, error->code, "%s: %s: %s", fname, s->label,
                                         error->message);

  smelt_bridge_push_error (L, named);
}

/* ----------------------------------------------------------------- reads */

static void
read_request_free (gpointer data)
{
  ReadRequest *req = data;

  g_free (req->delim);
  g_free (req);
}

typedef struct
{
  gboolean     at_eof;   /* nothing left: the reader gets nil */
  const char  *data;
  gsize        give;     /* bytes returned */
  gsize        take;     /* bytes consumed: give, and a line's "\n" */
} Answer;

/* The first @needle in @hay (both may hold NUL bytes), or NULL. */
static const char *
find_bytes (const char *hay,
            gsize       hay_len,
            const char *needle,
            gsize       needle_len)
{
  const char *end = hay + hay_len;

  while (hay_len >= needle_len)
    {
      const char *at = memchr (hay, needle[0], hay_len - needle_len + 1);

      if (at == NULL)
        return NULL;
      if (memcmp (at, needle, needle_len) == 0)
        return at;
      hay = at + 1;
      hay_len = (gsize) (end - hay);
    }
  return NULL;
}

/* Whether the buffer answers @req by itself (or with end of file). */
static gboolean
answer (SmeltStream *s,
        ReadRequest *req,
        Answer      *a)
{
  const char *data = (const char *) s->buf->data + s->start;
  gsize avail = s->buf->len - s->start;

  a->at_eof = FALSE;
  a->data = data;
  switch (req->mode)
    {
    case READ_EXACT:
      if (avail >= req->n)
        {
          a->give = a->take = req->n;
          return TRUE;
        }
      break;

    case READ_CHUNK:
      if (avail > 0)
        {
          a->give = a->take = avail;
          return TRUE;
        }
      break;

    case READ_UNTIL:
    case READ_LINE:
      if (avail >= req->delim_len)
        {
          const char *hit = find_bytes (data + req->scanned, avail - req->scanned, req->delim, req->delim_len);

          if (hit != NULL)
            {
              a->take = (gsize) (hit - data) + req->delim_len;
              a->give = req->mode == READ_LINE ? (gsize) (hit - data) : a->take;
              return TRUE;
            }
          /* a delimiter may start in the last delim_len - 1 bytes */
          req->scanned = avail - (req->delim_len - 1);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  if (!s->eof)
    return FALSE;
  /* the rest, then nil */
  a->give = a->take = avail;
  a->at_eof = avail == 0;
  return TRUE;
}

static void
consume (SmeltStream *s,
         gsize        n)
{
  s->start += n;
  if (s->start == s->buf->len)
    {
      g_byte_array_set_size (s->buf, 0);
      s->start = 0;
    }
}

/* { true, data } or { true } at end of file */
static void
push_answer (lua_State *L,
             gpointer   data)
{
  Answer *a = data;

  smelt_bridge_push_ok (L);
  if (!a->at_eof)
    {
      lua_pushlstring (L, a->data, a->give);
      lua_rawseti (L, -2, 2);
    }
}

static void fill (SmeltStream *s);

/* Settles what the buffer, an error or the end can settle for @req: pushes
 * the task's value on @L (no op) or completes @op.  Returns whether it did. */
static gboolean
settle_read (SmeltStream    *s,
             ReadRequest    *req,
             lua_State      *L,
             SmeltPendingOp *op,
             const char     *fname)
{
  Answer a;

  if (!s->closed && answer (s, req, &a))
    {
      if (op != NULL)
        smelt_pending_op_complete (op, push_answer, &a, FALSE);
      else
        push_answer (L, &a);
      consume (s, a.take);
      return TRUE;
    }
  if (s->read_error != NULL || s->closed)
    {
      g_autoptr(GError) error = s->closed ? closed_error () : g_steal_pointer (&s->read_error);

      /* after a failed read the stream reads as ended */
      s->eof = TRUE;
      if (op != NULL)
        smelt_bridge_fail (op, error);
      else
        push_failure (L, fname, s, error);
      return TRUE;
    }
  return FALSE;
}

/* Serves the waiting reader, if any: from the buffer, or by reading more. */
static void
serve_reader (SmeltStream *s)
{
  SmeltPendingOp *op = s->reader;

  if (op == NULL)
    return;
  if (!smelt_pending_op_is_live (op))
    {
      /* its task was cancelled: what is read stays in the buffer */
      g_clear_pointer (&s->reader, smelt_pending_op_unref);
      return;
    }
  if (settle_read (s, op->data, NULL, op, op->fname))
    {
      g_clear_pointer (&s->reader, smelt_pending_op_unref);
      return;
    }
  fill (s);
}

static void
fill_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SmeltStream) s = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  g_assert (s->filling);
  s->filling = FALSE;
  if (bytes == NULL)
    {
      if (!s->closed)
        g_propagate_error (&s->read_error, g_steal_pointer (&error));
    }
  else if (g_bytes_get_size (bytes) == 0)
    s->eof = TRUE;
  else
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      /* the read part goes when it is most of the buffer */
      if (s->start > 0 && s->start >= s->buf->len / 2)
        {
          /* a reader's scanned count is relative to start: still right */
          g_byte_array_remove_range (s->buf, 0, (guint) s->start);
          s->start = 0;
        }
      g_byte_array_append (s->buf, data, (guint) len);
    }
  close_io_when_idle (s);
  serve_reader (s);
}

/* Starts a GIO read into the buffer unless one is in flight. */
static void
fill (SmeltStream *s)
{
  if (s->filling || s->eof || s->closed)
    return;
  s->filling = TRUE;
  g_input_stream_read_bytes_async (s->in, CHUNK_SIZE, G_PRIORITY_DEFAULT, s->cancellable,
                                   fill_cb, stream_ref (s));
}

static const char *const read_modes[] = { "n", "chunk", "until", "line", NULL };

static SmeltStream *
check_stream (lua_State  *L,
              const char *fname)
{
  StreamBox *box = luaL_testudata (L, 1, STREAM_MT);

  if (box == NULL)
    smelt_lua_arg_error (L, 1, fname, "stream expected, got %s", luaL_typename (L, 1));
  return box->stream;
}

/* s:read(mode, arg, fname) (internal; the Lua side checks the arguments):
 * { true, data }, { true } at end of file, or { false, message, code }.
 * Answers from the buffer without parking when it can. */
static int
l_read (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  const char *fname = g_intern_string (luaL_checkstring (L, 4));
  SmeltStream *s = check_stream (L, fname);
  ReadRequest stack_req = { 0 };
  ReadRequest *req;
  SmeltPendingOp *op;

  stack_req.mode = (ReadMode) luaL_checkoption (L, 2, NULL, read_modes);
  smelt_scheduler_check_park (sched, L, fname);
  if (s->in == NULL)
    return luaL_error (L, "%s: the stream is not readable", fname);
  if (s->reader != NULL && smelt_pending_op_is_live (s->reader))
    return luaL_error (L, "%s: another task is reading this stream", fname);
  g_clear_pointer (&s->reader, smelt_pending_op_unref);

  if (stack_req.mode == READ_EXACT)
    stack_req.n = (gsize) luaL_checkinteger (L, 3);
  else if (stack_req.mode == READ_UNTIL || stack_req.mode == READ_LINE)
    {
      stack_req.delim = (char *) (stack_req.mode == READ_LINE ? "\n" : luaL_checklstring (L, 3, &stack_req.delim_len));
      if (stack_req.mode == READ_LINE)
        stack_req.delim_len = 1;
    }
  if (settle_read (s, &stack_req, L, NULL, fname))
    return 1;

  /* stack_req.scanned stays valid: nothing was consumed */
  req = g_memdup2 (&stack_req, sizeof stack_req);
  req->delim = g_memdup2 (stack_req.delim, stack_req.delim_len);
  op = smelt_pending_op_begin (sched, L, fname);
  op->data = req;
  op->free_data = read_request_free;
  op->path = g_strdup (s->label);
  s->reader = smelt_pending_op_ref (op);
  fill (s);
  return smelt_pending_op_park (op, L);
}

/* ---------------------------------------------------------------- writes */

static void pump_writes (SmeltStream *s);

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
  g_autoptr(SmeltStream) s = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltPendingOp) op = g_queue_pop_head (&s->writers);

  g_assert (s->writing && op != NULL);
  s->writing = FALSE;
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  if (error != NULL && s->closed && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = closed_error ();
    }
  if (smelt_bridge_settle (op, error))
    smelt_pending_op_complete (op, push_written, NULL, FALSE);
  close_io_when_idle (s);
  pump_writes (s);
}

/* Starts the next queued write; fails them all once the stream is closed. */
static void
pump_writes (SmeltStream *s)
{
  SmeltPendingOp *op;

  if (s->writing)
    return;
  while ((op = g_queue_peek_head (&s->writers)) != NULL)
    {
      GBytes *bytes = op->data;

      if (!smelt_pending_op_is_live (op) || s->closed)
        {
          g_autoptr(GError) error = closed_error ();

          g_queue_pop_head (&s->writers);
          if (smelt_pending_op_is_live (op))
            smelt_bridge_fail (op, error);
          smelt_pending_op_unref (op);
          continue;
        }
      s->writing = TRUE;
      g_output_stream_write_all_async (s->out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                       G_PRIORITY_DEFAULT, s->cancellable, write_cb, stream_ref (s));
      return;
    }
}

/* s:write(data, fname) (internal): parks until written; { true } or { false, message, code } */
static int
l_write (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  const char *fname = g_intern_string (luaL_checkstring (L, 3));
  SmeltStream *s = check_stream (L, fname);
  SmeltPendingOp *op;
  const char *data;
  size_t len;

  data = luaL_checklstring (L, 2, &len);
  smelt_scheduler_check_park (sched, L, fname);
  if (s->out == NULL)
    return luaL_error (L, "%s: the stream is not writable", fname);
  if (s->closed)
    return luaL_error (L, "%s: %s: the stream is closed", fname, s->label);
  if (s->guard != NULL)
    {
      char *why = s->guard (s->guard_data);

      if (why != NULL)
        {
          lua_pushfstring (L, "%s: %s", fname, why);
          g_free (why);
          return lua_error (L);
        }
    }

  op = smelt_pending_op_begin (sched, L, fname);
  op->data = g_bytes_new (data, len);
  op->free_data = (GDestroyNotify) g_bytes_unref;
  op->path = g_strdup (s->label);
  g_queue_push_tail (&s->writers, smelt_pending_op_ref (op));
  pump_writes (s);
  return smelt_pending_op_park (op, L);
}

/* ----------------------------------------------------------------- close */

static void
stream_close (SmeltStream *s)
{
  if (s->closed)
    return;
  s->closed = TRUE;
  g_cancellable_cancel (s->cancellable);
  close_io_when_idle (s);
}

/* s:close(): harmless twice; a waiting read or write fails with "closed" */
static int
l_close (lua_State *L)
{
  SmeltStream *s = check_stream (L, "stream:close");

  stream_close (s);
  return 0;
}

/* s:closed() */
static int
l_is_closed (lua_State *L)
{
  SmeltStream *s = check_stream (L, "stream:closed");

  lua_pushboolean (L, s->closed);
  return 1;
}

static int
stream_gc (lua_State *L)
{
  StreamBox *box = luaL_checkudata (L, 1, STREAM_MT);

  if (box->stream != NULL)
    {
      stream_close (box->stream);
      g_clear_pointer (&box->stream, smelt_stream_unref);
    }
  return 0;
}

/**
 * smelt_lua_push_stream:
 * @stream: (transfer full): the stream
 *
 * Pushes a smelt.Stream userdata (lua/smelt/stream.lua wraps it) owning
 * @stream; its collection closes the stream.
 */
void
smelt_lua_push_stream (lua_State   *L,
                       SmeltStream *stream)
{
  StreamBox *box = lua_newuserdatauv (L, sizeof *box, 0);

  box->stream = stream;
  luaL_setmetatable (L, STREAM_MT);
}

static const luaL_Reg stream_methods[] = {
  { "read", l_read },
  { "write", l_write },
  { "close", l_close },
  { "closed", l_is_closed },
  { NULL, NULL },
};

void
smelt_lua_open_stream (lua_State      *L,
                       SmeltScheduler *sched,
                       int             internal_idx)
{
  luaL_newmetatable (L, STREAM_MT);
  lua_pushcfunction (L, stream_gc);
  lua_setfield (L, -2, "__gc");
  lua_newtable (L);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, stream_methods, 1);
  lua_setfield (L, -2, "__index");
  lua_pop (L, 1);
}
