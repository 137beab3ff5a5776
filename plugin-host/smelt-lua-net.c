/* smelt-lua-net.c: smelt.net.connect, a TCP or Unix socket connection as a smelt.Stream
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C half of lua/smelt/net.lua.  A GSocketClient connects asynchronously
 * under the waiting task's GCancellable (a timeout or a race cancels the
 * connect); with tls it also does the TLS handshake (glib-networking),
 * checking the server's certificate against the system's trust store or
 * against ca_file (a GTlsFileDatabase).  The connection becomes a duplex
 * smelt.Stream named "HOST:PORT" or by its socket path.
 */

#define G_LOG_DOMAIN "smelt-net"

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <lauxlib.h>

#include "smelt-bridge.h"
#include "smelt-lua-private.h"
#include "smelt-lua-stream.h"

#define CONNECT_FNAME "smelt.net.connect"

static inline SmeltScheduler *
sched_upvalue (lua_State *L)
{
  return lua_touserdata (L, lua_upvalueindex (1));
}

/* The code a failed connect returns: a short word a plugin can test. */
static const char *
connect_error_code (const GError *error)
{
  if (error->domain == G_TLS_ERROR)
    return "tls";
  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_NOT_FOUND ? "not-found" : "resolver";
  if (error->domain == G_IO_ERROR)
    switch (error->code)
      {
      case G_IO_ERROR_CONNECTION_REFUSED:
        return "refused";
      case G_IO_ERROR_TIMED_OUT:
        return "timeout";
      case G_IO_ERROR_NOT_FOUND:
      case G_IO_ERROR_HOST_NOT_FOUND:
        return "not-found";
      case G_IO_ERROR_HOST_UNREACHABLE:
      case G_IO_ERROR_NETWORK_UNREACHABLE:
        return "unreachable";
      default:
        break;
      }
  return smelt_bridge_error_code (error);
}

typedef struct
{
  const char *message;
  const char *code;
} Failure;

/* { false, message, code } */
static void
push_failure_cb (lua_State *L,
                 gpointer   data)
{
  Failure *f = data;

  lua_createtable (L, 3, 0);
  lua_pushboolean (L, FALSE);
  lua_rawseti (L, -2, 1);
  lua_pushstring (L, f->message);
  lua_rawseti (L, -2, 2);
  lua_pushstring (L, f->code);
  lua_rawseti (L, -2, 3);
}

typedef struct
{
  GSocketClient      *client;
  GSocketConnectable *address;
  GSocketConnection  *connection;   /* once connected */
} Connect;

static void
connect_free (gpointer data)
{
  Connect *c = data;

  g_clear_object (&c->client);
  g_clear_object (&c->address);
  g_clear_object (&c->connection);
  g_free (c);
}

/* { true, stream } */
static void
push_connection (lua_State *L,
                 gpointer   data)
{
  SmeltPendingOp *op = data;
  Connect *c = op->data;
  GIOStream *io = G_IO_STREAM (c->connection);

  smelt_bridge_push_ok (L);
  smelt_lua_push_stream (L, smelt_stream_new (g_io_stream_get_input_stream (io),
                                              g_io_stream_get_output_stream (io), io, op->path));
  lua_rawseti (L, -2, 2);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SmeltPendingOp) op = user_data;
  g_autoptr(GError) error = NULL;
  Connect *c = op->data;

  c->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (!smelt_pending_op_is_live (op))
    return;
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s: %s", op->fname, op->path, error->message);
      Failure f = { message, connect_error_code (error) };

      smelt_pending_op_complete (op, push_failure_cb, &f, FALSE);
      return;
    }
  smelt_pending_op_complete (op, push_connection, op, FALSE);
}

/* Hands the TLS connection the trust store of ca_file before its handshake. */
static void
on_client_event (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  GTlsDatabase *database = user_data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), database);
}

/* Pushes { false, "smelt.net.connect: LABEL: message", code } without parking. */
static int
fail_now (lua_State    *L,
          const char   *label,
          const GError *error,
          const char   *code)
{
  g_autofree char *message = g_strdup_printf ("%s: %s: %s", CONNECT_FNAME, label, error->message);
  Failure f = { message, code };

  push_failure_cb (L, &f);
  return 1;
}

/* internal.net_connect(opts) (checked by net.lua): parks until connected;
 * { true, stream } or { false, message, code }.  Parking longjmps: nothing
 * auto-freed may be live when smelt_pending_op_park() is reached. */
static int
l_connect (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  GSocketClient *client;
  GSocketConnectable *address;
  SmeltPendingOp *op;
  Connect *c;
  char *label;
  gboolean tls;
  const char *ca_file;

  luaL_checktype (L, 1, LUA_TTABLE);
  smelt_scheduler_check_park (sched, L, CONNECT_FNAME);
  lua_getfield (L, 1, "path");
  lua_getfield (L, 1, "host");
  lua_getfield (L, 1, "port");
  lua_getfield (L, 1, "tls");
  lua_getfield (L, 1, "ca_file");
  /* stack: opts, path, host, port, tls, ca_file */
  tls = lua_toboolean (L, 5);
  ca_file = lua_tostring (L, 6);

  if (lua_isstring (L, 2))
    {
      label = g_strdup (lua_tostring (L, 2));
      address = G_SOCKET_CONNECTABLE (g_unix_socket_address_new (label));
    }
  else
    {
      const char *host = luaL_checkstring (L, 3);
      guint16 port = (guint16) luaL_checkinteger (L, 4);

      /* nothing raises from here on */
      label = g_strdup_printf ("%s:%u", host, port);
      address = g_network_address_new (host, port);
    }
  client = g_socket_client_new ();
  if (tls)
    {
      g_socket_client_set_tls (client, TRUE);
      if (ca_file != NULL)
        {
          GError *error = NULL;
          GTlsDatabase *database = g_tls_file_database_new (ca_file, &error);

          if (database == NULL)
            {
              g_object_unref (client);
              g_object_unref (address);
              fail_now (L, label, error, "tls");
              g_free (label);
              g_error_free (error);
              return 1;
            }
          g_signal_connect_data (client, "event", G_CALLBACK (on_client_event), database,
                                 (GClosureNotify) (void (*) (void)) g_object_unref, 0);
        }
    }

  op = smelt_pending_op_new (sched, CONNECT_FNAME);
  c = g_new0 (Connect, 1);
  c->client = client;
  c->address = address;
  op->data = c;
  op->free_data = connect_free;
  op->path = label;
  g_socket_client_connect_async (client, address, op->cancellable, connect_cb, smelt_pending_op_ref (op));
  return smelt_pending_op_park (op, L);
}

static const luaL_Reg internal_functions[] = {
  { "net_connect", l_connect },
  { NULL, NULL },
};

void
smelt_lua_open_net (lua_State      *L,
                    SmeltScheduler *sched,
                    int             internal_idx)
{
  lua_pushvalue (L, internal_idx);
  lua_pushlightuserdata (L, sched);
  luaL_setfuncs (L, internal_functions, 1);
  lua_pop (L, 1);
}
