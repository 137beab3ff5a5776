/* smelt-lua-http.c: HTTP requests through libsoup 3 that park the calling task
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C primitives behind lua/smelt/http.lua.  One SoupSession per host
 * (made at the first request), so connections are reused between plugins.
 * A request is sent with soup_session_send_async() and its body read from
 * the GInputStream in chunks of READ_CHUNK bytes, each read one callback of
 * the main loop.  Either the whole body is gathered here and the task
 * resumes once, with { true, status, headers, body }, or (streaming) the
 * task resumes at the headers with { true, status, headers, response } and
 * parks in response:read() for each chunk.
 *
 * Every operation of a request runs on the request's own GCancellable:
 * cancelling a task parked on any of them, the timeout, or closing the
 * response cancels it and closes the body stream, and libsoup drops the
 * connection of a body closed before its end (it cannot be reused).
 */

#define G_LOG_DOMAIN "smelt-http"

#include "config.h"

#include <lauxlib.h>
#include <libsoup/soup.h>

#include "smelt-bridge.h"
#include "smelt-lua-private.h"

#define READ_CHUNK (64 * 1024)
#define MAX_CONNS_PER_HOST 6
#define HTTP_MT "smelt.HttpHost"
#define RESPONSE_MT "smelt.HttpResponse"
#define FNAME "smelt.http.request"

/* The upvalue of the functions: the host's session. */
typedef struct
{
  SmeltScheduler *sched;
  SoupSession    *session;      /* (nullable): made at the first request */
} HttpHost;

typedef struct
{
  guint          ref_count;
  SoupMessage   *msg;
  GInputStream  *body;          /* (nullable): until the headers came */
  GCancellable  *cancellable;   /* the transfer's */
  char          *what;          /* "GET URL": errors name it */
  GByteArray    *gathered;      /* (nullable): the body, unless streamed */
  guint          timeout_id;
  guint          timeout_ms;
  gboolean       timed_out;
  gboolean       ended;         /* the body was read to its end */
  gboolean       reading;       /* a read of body is due */
  gboolean       closed;        /* body's close was asked for */
} HttpRequest;

/* Once the headers came, cancelling the request's GCancellable stops a read
 * but not the message: libsoup drops the connection when its body stream is
 * closed before the end.  A stream cannot be closed while a read is due, so
 * the read's callback closes it then. */
static void
close_body (HttpRequest *req)
{
  if (req->body == NULL || req->closed || req->reading)
    return;
  req->closed = TRUE;
  g_input_stream_close_async (req->body, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static HttpRequest *
request_ref (HttpRequest *req)
{
  req->ref_count++;
  return req;
}

static void
request_unref (gpointer data)
{
  HttpRequest *req = data;

  if (--req->ref_count > 0)
    return;
  g_clear_handle_id (&req->timeout_id, g_source_remove);
  close_body (req);
  g_clear_object (&req->body);
  g_clear_object (&req->msg);
  g_clear_object (&req->cancellable);
  g_clear_pointer (&req->gathered, g_byte_array_unref);
  g_free (req->what);
  g_free (req);
}

/* Stops the transfer unless it ended: the connection is closed. */
static void
request_abort (HttpRequest *req)
{
  g_clear_handle_id (&req->timeout_id, g_source_remove);
  if (req->ended)
    return;
  g_cancellable_cancel (req->cancellable);
  close_body (req);
}

static void
read_body_async (HttpRequest         *req,
                 GAsyncReadyCallback  callback,
                 SmeltPendingOp      *op)
{
  req->reading = TRUE;
  g_input_stream_read_bytes_async (req->body, READ_CHUNK, G_PRIORITY_DEFAULT, req->cancellable,
                                   callback, smelt_pending_op_ref (op));
}

static gboolean
on_timeout_fired (gpointer data)
{
  HttpRequest *req = data;

  req->timeout_id = 0;
  req->timed_out = TRUE;
  request_abort (req);
  return G_SOURCE_REMOVE;
}

/* The waiting task was cancelled: so is the transfer. */
static void
on_op_cancelled (SmeltPendingOp *op)
{
  request_abort (op->data);
}

static SmeltPendingOp *
begin_op (HttpHost    *host,
          lua_State   *L,
          HttpRequest *req)
{
  SmeltPendingOp *op = smelt_pending_op_begin (host->sched, L, FNAME);

  op->path = g_strdup (req->what);
  op->data = request_ref (req);
  op->free_data = request_unref;
  op->on_cancel = on_op_cancelled;
  return op;
}

/* The code of a transfer's failure, in HTTP's words where GIO has none. */
static const char *
failure_code (HttpRequest  *req,
              const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return "resolve";
  if (error->domain == G_TLS_ERROR)
    return "tls";
  if (error->domain == SOUP_SESSION_ERROR)
    return "protocol";
  if (error->domain != G_IO_ERROR)
    return NULL;
  switch (error->code)
    {
    case G_IO_ERROR_CONNECTION_REFUSED:
      return "refused";
    case G_IO_ERROR_TIMED_OUT:
      return "timeout";
    case G_IO_ERROR_HOST_UNREACHABLE:
    case G_IO_ERROR_NETWORK_UNREACHABLE:
      return "unreachable";
    case G_IO_ERROR_CONNECTION_CLOSED:
    case G_IO_ERROR_PARTIAL_INPUT:
      return "closed";
    default:
      return NULL;
    }
}

static GError *
timeout_error (HttpRequest *req)
{
  return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "no complete answer after %u ms", req->timeout_ms);
}

static void
request_fail (SmeltPendingOp *op,
              HttpRequest    *req,
              const GError   *error)
{
  if (req->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GError) timeout = timeout_error (req);

      smelt_bridge_fail_with_code (op, timeout, "timeout");
      return;
    }
  smelt_bridge_fail_with_code (op, error, failure_code (req, error));
}

/* ---------------------------------------------------------------- results */

static void
push_headers (lua_State   *L,
              SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  lua_newtable (L);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);

      /* a header given twice: its values joined, as RFC 9110 allows */
      if (lua_getfield (L, -1, lower) == LUA_TSTRING)
        {
          lua_pushliteral (L, ", ");
          lua_pushstring (L, value);
          lua_concat (L, 3);
        }
      else
        {
          lua_pop (L, 1);
          lua_pushstring (L, value);
        }
      lua_setfield (L, -2, lower);
    }
}

/* { true, status, headers, body } or, streaming, { true, status, headers, response } */
static void
push_response (lua_State *L,
               gpointer   data)
{
  HttpRequest *req = data;

  smelt_bridge_push_ok (L);
  lua_pushinteger (L, soup_message_get_status (req->msg));
  lua_rawseti (L, -2, 2);
  push_headers (L, req->msg);
  lua_rawseti (L, -2, 3);
  if (req->gathered != NULL)
    lua_pushlstring (L, (const char *) req->gathered->data, req->gathered->len);
  else
    {
      HttpRequest **slot = lua_newuserdatauv (L, sizeof *slot, 0);

      *slot = request_ref (req);
      luaL_setmetatable (L, RESPONSE_MT);
    }
  lua_rawseti (L, -2, 4);
}

/* { true, chunk }, or { true } at the end */
static void
push_chunk (lua_State *L,
            gpointer   data)
{
  GBytes *bytes = data;

  smelt_bridge_push_ok (L);
  if (bytes != NULL)
    {
      gsize len;
      const char *chunk = g_bytes_get_data (bytes, &len);

      lua_pushlstring (L, chunk, len);
      lua_rawseti (L, -2, 2);
    }
}

/* ---------------------------------------------------------------- reading */

/* The common start of a read's callback: the chunk (empty at the end of
 * the body), or NULL when there is nothing more to do (the task is gone,
 * or it has been told of the failure). */
static GBytes *
read_body_settle (SmeltPendingOp *op,
                  GAsyncResult   *result)
{
  HttpRequest *req = op->data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (req->body, result, &error);

  req->reading = FALSE;
  if (g_cancellable_is_cancelled (req->cancellable))
    close_body (req);
  if (!smelt_pending_op_is_live (op))
    return NULL;
  if (bytes == NULL)
    {
      request_fail (op, req, error);
      return NULL;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      req->ended = TRUE;
      g_clear_handle_id (&req->timeout_id, g_source_remove);
    }
  return g_steal_pointer (&bytes);
}

static void
gather_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GBytes) bytes = read_body_settle (op, result);
  HttpRequest *req = op->data;

  if (bytes == NULL)
    return;
  if (req->ended)
    {
      smelt_pending_op_complete (op, push_response, req, FALSE);
      return;
    }
  g_byte_array_append (req->gathered, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_body_async (req, gather_cb, op);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  GInputStream *body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  HttpRequest *req = op->data;

  if (body != NULL)
    req->body = body;
  if (!smelt_pending_op_is_live (op))
    return;
  if (body == NULL)
    {
      request_fail (op, req, error);
      return;
    }
  if (req->gathered != NULL)
    read_body_async (req, gather_cb, op);
  else
    smelt_pending_op_complete (op, push_response, req, FALSE);
}

static void
read_chunk_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GBytes) bytes = read_body_settle (op, result);
  HttpRequest *req = op->data;

  if (bytes != NULL)
    smelt_pending_op_complete (op, push_chunk, req->ended ? NULL : bytes, FALSE);
}

/* ------------------------------------------------------------ the request */

static void
add_request_headers (lua_State   *L,
                     int          idx,
                     SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (!lua_istable (L, idx))
    return;
  lua_pushnil (L);
  while (lua_next (L, idx) != 0)
    {
      /* stack: ..., name, value (checked by lua/smelt/http.lua) */
      soup_message_headers_append (headers, lua_tostring (L, -2), lua_tostring (L, -1));
      lua_pop (L, 1);
    }
}

/* The URL, or NULL with error set: only absolute http and https URLs. */
static GUri *
parse_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, error);
  const char *scheme;

  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME, "not an http or https URL");
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_HOST, "no host in the URL");
      return NULL;
    }
  return g_steal_pointer (&uri);
}

/* internal.http_request(method, url, headers, body, timeout_ms, stream):
 * parks; the arguments are checked by lua/smelt/http.lua */
static int
l_request (lua_State *L)
{
  HttpHost *host = lua_touserdata (L, lua_upvalueindex (1));
  const char *method = luaL_checkstring (L, 1);
  const char *url = luaL_checkstring (L, 2);
  lua_Integer timeout_ms = luaL_optinteger (L, 5, 0);
  gboolean stream = lua_toboolean (L, 6);
  GError *error = NULL;
  GUri *uri;
  SmeltPendingOp *op;
  HttpRequest *req;

  /* it raises outside a task: before anything is allocated */
  smelt_scheduler_check_park (host->sched, L, FNAME);
  uri = parse_url (url, &error);
  if (uri == NULL)
    {
      GError *named = g_error_new (error->domain, error->code, FNAME ": %s %s: %s", method, url, error->message);

      g_error_free (error);
      smelt_bridge_push_error_with_code (L, named, "bad-url");
      g_error_free (named);
      return 1;
    }
  req = g_new0 (HttpRequest, 1);
  req->ref_count = 1;
  req->what = g_strdup_printf ("%s %s", method, url);
  req->cancellable = g_cancellable_new ();
  req->msg = soup_message_new_from_uri (method, uri);
  g_uri_unref (uri);
  if (!stream)
    req->gathered = g_byte_array_new ();
  add_request_headers (L, 3, req->msg);
  if (lua_type (L, 4) == LUA_TSTRING)
    {
      size_t len;
      const char *data = lua_tolstring (L, 4, &len);
      g_autoptr(GBytes) bytes = g_bytes_new (data, len);

      soup_message_set_request_body_from_bytes (req->msg, NULL, bytes);
    }
  if (timeout_ms > 0)
    {
      req->timeout_ms = (guint) MIN (timeout_ms, G_MAXUINT);
      req->timeout_id = g_timeout_add (req->timeout_ms, on_timeout_fired, req);
    }

  /* libsoup's 2 connections per host would queue a third plugin's
   * request behind two long downloads; browsers allow 6 */
  if (host->session == NULL)
    host->session = soup_session_new_with_options ("max-conns-per-host", MAX_CONNS_PER_HOST, NULL);
  op = begin_op (host, L, req);
  soup_session_send_async (host->session, req->msg, G_PRIORITY_DEFAULT, req->cancellable,
                           send_cb, smelt_pending_op_ref (op));
  request_unref (req);          /* the op's */
  return smelt_pending_op_park (op, L);
}

static HttpRequest *
check_response (lua_State *L)
{
  return *(HttpRequest **) luaL_checkudata (L, 1, RESPONSE_MT);
}

/* response:read(): parks; { true, chunk }, { true } at the end, or { false, message, code } */
static int
response_read (lua_State *L)
{
  HttpRequest *req = check_response (L);
  HttpHost *host = lua_touserdata (L, lua_upvalueindex (1));
  SmeltPendingOp *op;

  if (req->ended)
    {
      smelt_bridge_push_ok (L);
      return 1;
    }
  /* the timeout ran out while the task was not reading, or it closed the response */
  if (g_cancellable_is_cancelled (req->cancellable))
    {
      g_autoptr(GError) why = req->timed_out ? timeout_error (req) :
        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, "the response was closed");
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, why->code, FNAME ": %s: %s", req->what, why->message);

      smelt_bridge_push_error_with_code (L, error, req->timed_out ? "timeout" : "closed");
      return 1;
    }
  op = begin_op (host, L, req);
  read_body_async (req, read_chunk_cb, op);
  return smelt_pending_op_park (op, L);
}

/* response:close() (and __close, __gc): the rest of the body is not read */
static int
response_close (lua_State *L)
{
  request_abort (check_response (L));
  return 0;
}

static int
response_gc (lua_State *L)
{
  HttpRequest **slot = luaL_checkudata (L, 1, RESPONSE_MT);

  if (*slot != NULL)
    {
      request_abort (*slot);
      request_unref (g_steal_pointer (slot));
    }
  return 0;
}

static int
host_gc (lua_State *L)
{
  HttpHost *host = luaL_checkudata (L, 1, HTTP_MT);

  if (host->session != NULL)
    soup_session_abort (host->session);
  g_clear_object (&host->session);
  return 0;
}

void
smelt_lua_open_http (lua_State      *L,
                     SmeltScheduler *sched,
                     int             internal_idx)
{
  HttpHost *host;

  internal_idx = lua_absindex (L, internal_idx);
  host = lua_newuserdatauv (L, sizeof *host, 0);   /* stack: host */
  host->sched = sched;
  host->session = NULL;
  luaL_newmetatable (L, HTTP_MT);
  lua_pushcfunction (L, host_gc);
  lua_setfield (L, -2, "__gc");
  lua_setmetatable (L, -2);

  luaL_newmetatable (L, RESPONSE_MT);              /* stack: host, mt */
  lua_pushcfunction (L, response_gc);
  lua_setfield (L, -2, "__gc");
  lua_pushcfunction (L, response_close);
  lua_setfield (L, -2, "__close");
  lua_newtable (L);                                /* stack: host, mt, methods */
  lua_pushvalue (L, -3);
  lua_pushcclosure (L, response_read, 1);
  lua_setfield (L, -2, "read");
  lua_pushcfunction (L, response_close);
  lua_setfield (L, -2, "close");
  lua_setfield (L, -2, "__index");
  lua_pop (L, 1);                                  /* stack: host */

  lua_pushcclosure (L, l_request, 1);
  lua_setfield (L, internal_idx, "http_request");
}
