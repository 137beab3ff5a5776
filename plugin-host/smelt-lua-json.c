/* smelt-lua-json.c: smelt.json.encode and smelt.json.decode
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Decoding is yajl's event parser building Lua values as the events come,
 * with no tree in between.  The alternatives in Debian 12 build a tree
 * first: json-glib 1.6 took 5 s to parse the 10 MB document of
 * tests/bench/j1-decode-10mb.lua, where lua-cjson decodes it in 0.15-0.2 s,
 * and jansson 2.14 parses it alone in about cjson's whole time and refuses
 * a NUL in an object key (JSONTestSuite's y_object_escaped_null_in_key).
 * yajl is lax in four
 * places RFC 8259 is not, so decode adds its own checks for them, in one
 * pass over the text before parsing: a raw NUL or form feed byte (yajl takes
 * a form feed as white space), an unpaired UTF-16 surrogate escape (yajl
 * turns it into '?' or a CESU-8 sequence) and text that is not strict UTF-8
 * (yajl lets overlong forms and encoded surrogates through).
 *
 * Encoding is done here, into a GString owned by a userdata so that an
 * error raised half way frees it.
 */

#include "config.h"

#include <errno.h>
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "smelt-lua-private.h"

#define DECODE_NAME "smelt.json.decode"
#define ENCODE_NAME "smelt.json.encode"
#define DECODER_MT "smelt.json.decoder"
#define ENCODER_MT "smelt.json.encoder"
/* Deeper than any real document; keeps the Lua and C stacks bounded. */
#define MAX_DEPTH 1000

/* upvalues of decode and encode */
#define UV_ARRAY_MT lua_upvalueindex (1)

/* ---- decoding ---- */

typedef struct
{
  yajl_handle  handle;
  lua_State   *L;
  const char  *text;
  size_t       len;
  int          depth;
  const char  *error;           /* set by a callback that stops the parse */
  size_t       error_offset;
  /* per level: number of elements so far, or -1 for an object */
  lua_Integer  count[MAX_DEPTH + 1];
} Decoder;

/* back: how far before the end of the current token the fault is */
static void
decoder_set_error (Decoder    *d,
                   const char *message,
                   size_t      back)
{
  size_t at = yajl_get_bytes_consumed (d->handle);

  d->error = message;
  d->error_offset = at >= back ? at - back : 0;
}

/* Stores the value on the top of the stack into its container. */
static int
add_value (Decoder *d)
{
  lua_State *L = d->L;

  if (d->depth == 0)
    return 1;                   /* the document: stays on the stack */
  if (d->count[d->depth] < 0)
    lua_rawset (L, -3);         /* object: key at -2 */
  else
    lua_rawseti (L, -2, ++d->count[d->depth]);
  return 1;
}

static int
on_null (void *ctx)
{
  Decoder *d = ctx;

  lua_pushlightuserdata (d->L, NULL);
  return add_value (d);
}

static int
on_boolean (void *ctx,
            int   value)
{
  Decoder *d = ctx;

  lua_pushboolean (d->L, value);
  return add_value (d);
}

static int
on_number (void       *ctx,
           const char *s,
           size_t      len)
{
  Decoder *d = ctx;
  char small[64];
  char *buf = len < sizeof small ? small : g_malloc (len + 1);
  gboolean integral = memchr (s, '.', len) == NULL && memchr (s, 'e', len) == NULL
                      && memchr (s, 'E', len) == NULL;
  gboolean ok = TRUE;

  memcpy (buf, s, len);
  buf[len] = '\0';
  if (integral)
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (buf, NULL, 10);
      if (errno == 0)
        lua_pushinteger (d->L, v);
      else
        integral = FALSE;       /* beyond 64 bits: a float */
    }
  if (!integral)
    {
      double v = g_ascii_strtod (buf, NULL);

      if (isinf (v))
        ok = FALSE;
      else
        lua_pushnumber (d->L, v);
    }
  if (buf != small)
    g_free (buf);
  if (!ok)
    {
      decoder_set_error (d, "number out of range", len);
      return 0;
    }
  return add_value (d);
}

static int
on_string (void                *ctx,
           const unsigned char *s,
           size_t               len)
{
  Decoder *d = ctx;

  lua_pushlstring (d->L, (const char *) s, len);
  return add_value (d);
}

static int
on_map_key (void                *ctx,
            const unsigned char *s,
            size_t               len)
{
  Decoder *d = ctx;

  lua_pushlstring (d->L, (const char *) s, len);
  return 1;
}

static int
open_container (Decoder     *d,
                lua_Integer  kind)
{
  if (d->depth >= MAX_DEPTH)
    {
      decoder_set_error (d, "nested too deeply (more than 1000 levels)", 1);
      return 0;
    }
  if (!lua_checkstack (d->L, 4))
    {
      decoder_set_error (d, "out of Lua stack", 1);
      return 0;
    }
  lua_newtable (d->L);
  d->count[++d->depth] = kind;
  return 1;
}

static int
on_start_map (void *ctx)
{
  return open_container (ctx, -1);
}

static int
on_start_array (void *ctx)
{
  return open_container (ctx, 0);
}

static int
on_end_map (void *ctx)
{
  Decoder *d = ctx;

  d->depth--;
  return add_value (d);
}

static int
on_end_array (void *ctx)
{
  Decoder *d = ctx;

  /* an empty array is marked, so that it encodes as [] again */
  if (d->count[d->depth] == 0)
    {
      lua_pushvalue (d->L, UV_ARRAY_MT);
      lua_setmetatable (d->L, -2);
    }
  d->depth--;
  return add_value (d);
}

static const yajl_callbacks decode_callbacks = {
  on_null,
  on_boolean,
  NULL,
  NULL,
  on_number,
  on_string,
  on_start_map,
  on_map_key,
  on_end_map,
  on_start_array,
  on_end_array,
};

static int
hex4 (const char *p,
      const char *end)
{
  int v = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int c = g_ascii_xdigit_value (p[i]);

      if (c < 0)
        return -1;
      v = v * 16 + c;
    }
  return v;
}

/* The checks yajl does not make (see the top of the file): returns the
 * offset of the first fault and its reason, or -1. */
static gssize
find_fault (const char  *text,
            size_t       len,
            const char **reason)
{
  const char *end = text + len;
  const char *nul = memchr (text, '\0', len);
  const char *ff = memchr (text, '\f', len);
  const char *fault = NULL;
  const char *p = text;
  const char *bad_utf8;

  /* JSON text is UTF-8 as a whole (RFC 8259, 8.1), so checking it all at
   * once finds the first bad byte of any string */
  if (!g_utf8_validate_len (text, len, &bad_utf8) && *bad_utf8 != '\0')
    {
      fault = bad_utf8;
      *reason = "invalid UTF-8";
    }
  if (nul != NULL && (fault == NULL || nul < fault))
    {
      fault = nul;
      *reason = "NUL byte";
    }
  if (ff != NULL && (fault == NULL || ff < fault))
    {
      fault = ff;
      *reason = "form feed outside a string";
    }
  /* Backslashes only appear in strings (elsewhere yajl stops first), and
   * each escape is skipped whole, so "\\u" is never taken for "\u". */
  while (p < end && (fault == NULL || p < fault)
         && (p = memchr (p, '\\', end - p)) != NULL)
    {
      int u, low;

      if (p + 1 >= end || p[1] != 'u' || (u = hex4 (p + 2, end)) < 0)
        {
          p += 2;
          continue;
        }
      if (u >= 0xD800 && u <= 0xDBFF)
        {
          if (end - p >= 12 && p[6] == '\\' && p[7] == 'u'
              && (low = hex4 (p + 8, end)) >= 0xDC00 && low <= 0xDFFF)
            {
              p += 12;
              continue;
            }
          if (fault == NULL || p < fault)
            {
              fault = p;
              *reason = "high surrogate escape without a low one after it";
            }
          break;
        }
      if (u >= 0xDC00 && u <= 0xDFFF)
        {
          if (fault == NULL || p < fault)
            {
              fault = p;
              *reason = "low surrogate escape without a high one before it";
            }
          break;
        }
      p += 6;
    }
  return fault == NULL ? -1 : fault - text;
}

static int
decode_error (lua_State  *L,
              const char *text,
              size_t      len,
              size_t      offset,
              const char *reason)
{
  size_t line = 1, column = 1;

  if (offset > len)
    offset = len;
  for (size_t i = 0; i < offset; i++)
    {
      if (text[i] == '\n')
        {
          line++;
          column = 1;
        }
      else if (((unsigned char) text[i] & 0xC0) != 0x80)
        column++;             /* columns count characters, not bytes */
    }
  return luaL_error (L, DECODE_NAME ": line %d, column %d: %s",
                     (int) line, (int) column, reason);
}

static int
decoder_gc (lua_State *L)
{
  Decoder *d = luaL_checkudata (L, 1, DECODER_MT);

  if (d->handle != NULL)
    yajl_free (d->handle);
  d->handle = NULL;
  return 0;
}

/* yajl's message, without "parse error: " and the trailing newline */
static char *
yajl_reason (Decoder *d)
{
  unsigned char *raw = yajl_get_error (d->handle, 0, (const unsigned char *) d->text, d->len);
  char *reason = g_strstrip (g_strdup ((const char *) raw));
  const char *colon = strstr (reason, "error: ");
  char *out = g_strdup (colon != NULL ? colon + 7 : reason);

  yajl_free_error (d->handle, raw);
  g_free (reason);
  return out;
}

static int
l_decode (lua_State *L)
{
  size_t len;
  const char *text;
  const char *fault_reason = NULL;
  gssize fault;
  Decoder *d;
  yajl_status status;
  size_t offset;

  if (lua_type (L, 1) != LUA_TSTRING)
    return smelt_lua_arg_error (L, 1, DECODE_NAME, "string expected, got %s", luaL_typename (L, 1));
  text = lua_tolstring (L, 1, &len);
  lua_settop (L, 1);

  fault = find_fault (text, len, &fault_reason);

  d = lua_newuserdatauv (L, sizeof *d, 0);      /* stack: text, decoder */
  d->handle = NULL;
  luaL_setmetatable (L, DECODER_MT);
  d->L = L;
  d->text = text;
  d->len = len;
  d->depth = 0;
  d->error = NULL;
  d->handle = yajl_alloc (&decode_callbacks, NULL, d);
  if (d->handle == NULL)
    return luaL_error (L, DECODE_NAME ": out of memory");

  status = yajl_parse (d->handle, (const unsigned char *) text, len);
  /* past the token yajl stopped at: its last byte is the one to show */
  offset = yajl_get_bytes_consumed (d->handle);
  offset = offset > 0 ? offset - 1 : 0;
  if (status == yajl_status_ok)
    {
      status = yajl_complete_parse (d->handle);
      offset = len;
    }
  if (status != yajl_status_ok)
    {
      g_autofree char *reason = NULL;

      if (fault >= 0 && (size_t) fault <= offset)
        return decode_error (L, text, len, fault, fault_reason);
      if (status == yajl_status_client_canceled)
        return decode_error (L, text, len, d->error_offset, d->error);
      reason = yajl_reason (d);
      lua_pushstring (L, reason);
      g_free (g_steal_pointer (&reason));
      return decode_error (L, text, len, offset, lua_tostring (L, -1));
    }
  if (fault >= 0)
    return decode_error (L, text, len, fault, fault_reason);
  yajl_free (d->handle);
  d->handle = NULL;
  return 1;                     /* the document, on top of the decoder */
}

/* ---- encoding ---- */

typedef struct
{
  GString *out;
} Encoder;

typedef struct PathSeg PathSeg;
struct PathSeg
{
  const PathSeg *up;
  const char    *key;           /* NULL: an array index */
  lua_Integer    index;
};

typedef struct
{
  lua_State *L;
  GString   *out;
  int        indent;
  gboolean   sort_keys;
  int        seen_idx;          /* the tables being encoded (cycles) */
} Enc;

static void
path_append (GString       *s,
             const PathSeg *seg)
{
  if (seg == NULL)
    {
      g_string_append_c (s, '$');
      return;
    }
  path_append (s, seg->up);
  if (seg->key != NULL)
    g_string_append_printf (s, ".%s", seg->key);
  else
    g_string_append_printf (s, "[%" G_GINT64_FORMAT "]", (gint64) seg->index);
}

G_GNUC_PRINTF (3, 4) static int
encode_error (Enc           *e,
              const PathSeg *path,
              const char    *fmt,
              ...)
{
  GString *s = g_string_new (ENCODE_NAME ": ");
  va_list ap;

  path_append (s, path);
  g_string_append (s, ": ");
  va_start (ap, fmt);
  g_string_append_vprintf (s, fmt, ap);
  va_end (ap);
  lua_pushlstring (e->L, s->str, s->len);
  g_string_free (s, TRUE);
  return lua_error (e->L);
}

/* g_utf8_validate_len, but NUL is a character like any other */
static gboolean
utf8_valid (const char  *s,
            size_t       len,
            const char **bad)
{
  const char *end = s + len;

  while (!g_utf8_validate_len (s, end - s, bad))
    {
      if (**bad != '\0')
        return FALSE;
      s = *bad + 1;
    }
  return TRUE;
}

static void
encode_string (Enc           *e,
               int            idx,
               const PathSeg *path)
{
  size_t len;
  const char *s = lua_tolstring (e->L, idx, &len);
  const char *bad;
  static const char hex[] = "0123456789abcdef";

  if (!utf8_valid (s, len, &bad))
    encode_error (e, path, "invalid UTF-8 at byte %d of the string", (int) (bad - s) + 1);
  g_string_append_c (e->out, '"');
  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = s[i];
      size_t run = i;

      /* copy the plain run in one go */
      while (run < len && (unsigned char) s[run] >= 0x20 && s[run] != '"' && s[run] != '\\')
        run++;
      if (run > i)
        {
          g_string_append_len (e->out, s + i, run - i);
          i = run - 1;
          continue;
        }
      switch (c)
        {
        case '"': g_string_append (e->out, "\\\""); break;
        case '\\': g_string_append (e->out, "\\\\"); break;
        case '\n': g_string_append (e->out, "\\n"); break;
        case '\r': g_string_append (e->out, "\\r"); break;
        case '\t': g_string_append (e->out, "\\t"); break;
        case '\b': g_string_append (e->out, "\\b"); break;
        case '\f': g_string_append (e->out, "\\f"); break;
        default:
          g_string_append (e->out, "\\u00");
          g_string_append_c (e->out, hex[c >> 4]);
          g_string_append_c (e->out, hex[c & 15]);
        }
    }
  g_string_append_c (e->out, '"');
}

static void
encode_number (Enc           *e,
               int            idx,
               const PathSeg *path)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double v;

  if (lua_isinteger (e->L, idx))
    {
      g_string_append_printf (e->out, "%" G_GINT64_FORMAT, (gint64) lua_tointeger (e->L, idx));
      return;
    }
  v = lua_tonumber (e->L, idx);
  if (isnan (v))
    encode_error (e, path, "NaN has no JSON form");
  if (isinf (v))
    encode_error (e, path, "infinity has no JSON form");
  /* the shortest of 15..17 digits that reads back as the same double */
  for (int digits = 15; digits <= 17; digits++)
    {
      char fmt[8];

      g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (e->out, buf);
  /* a float stays a float when decoded again */
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (e->out, ".0");
}

static void
newline (Enc *e,
         int  depth)
{
  if (e->indent <= 0)
    return;
  g_string_append_c (e->out, '\n');
  for (int left = depth * e->indent; left > 0; left -= 64)
    g_string_append_len (e->out, "                                                                ", MIN (left, 64));
}

static void encode_value (Enc *e, int idx, int depth, const PathSeg *path);

typedef struct
{
  const char *s;
  size_t      len;
  int         slot;             /* index of the original key in the keys table */
} Key;

static int
key_compare (const void *a,
             const void *b)
{
  const Key *x = a, *y = b;
  int c = memcmp (x->s, y->s, MIN (x->len, y->len));

  if (c != 0)
    return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

/* "array", "object" or NULL: the __jsontype of a table's metatable */
static const char *
table_kind (lua_State *L,
            int        idx)
{
  const char *kind = NULL;

  if (lua_getmetatable (L, idx))
    {
      if (lua_getfield (L, -1, "__jsontype") == LUA_TSTRING)
        kind = lua_tostring (L, -1);    /* anchored by the metatable */
      lua_pop (L, 2);
    }
  return kind;
}

static void
encode_table (Enc           *e,
              int            idx,
              int            depth,
              const PathSeg *path)
{
  lua_State *L = e->L;
  lua_Integer n = 0, max = 0;
  gboolean has_string = FALSE, has_integer = FALSE, array;
  const char *kind;
  int keys_idx;

  if (depth >= MAX_DEPTH)
    encode_error (e, path, "nested too deeply (more than 1000 levels)");
  luaL_checkstack (L, 8, ENCODE_NAME);
  lua_pushvalue (L, idx);
  if (lua_rawget (L, e->seen_idx) != LUA_TNIL)
    encode_error (e, path, "a table that contains itself");
  lua_pop (L, 1);
  lua_pushvalue (L, idx);
  lua_pushboolean (L, 1);
  lua_rawset (L, e->seen_idx);

  /* what the keys make it: 1..n an array, strings an object */
  lua_pushnil (L);
  while (lua_next (L, idx) != 0)
    {
      lua_pop (L, 1);
      n++;
      if (lua_type (L, -1) == LUA_TSTRING)
        has_string = TRUE;
      else if (lua_isinteger (L, -1))
        {
          lua_Integer k = lua_tointeger (L, -1);

          has_integer = TRUE;
          if (k > max)
            max = k;
          if (k < 1)
            max = G_MAXINT64;   /* never an array */
        }
      else
        {
          const char *tn = luaL_typename (L, -1);

          if (lua_type (L, -1) == LUA_TNUMBER)
            encode_error (e, path, "key %s is not an integer: keys must be strings or integers",
                          lua_tostring (L, -1));
          encode_error (e, path, "a %s key: keys must be strings or integers", tn);
        }
      if (has_string && has_integer)
        {
          if (lua_type (L, -1) == LUA_TSTRING)
            encode_error (e, path, "key \"%s\": string and integer keys mixed", lua_tostring (L, -1));
          encode_error (e, path, "key %s: string and integer keys mixed", lua_tostring (L, -1));
        }
    }
  kind = table_kind (L, idx);
  if (n == 0)
    array = kind != NULL && strcmp (kind, "array") == 0;
  else
    array = has_integer && max == n && !(kind != NULL && strcmp (kind, "object") == 0);

  if (array)
    {
      g_string_append_c (e->out, '[');
      for (lua_Integer i = 1; i <= n; i++)
        {
          PathSeg seg = { path, NULL, i };

          if (i > 1)
            g_string_append_c (e->out, ',');
          newline (e, depth + 1);
          lua_rawgeti (L, idx, i);
          encode_value (e, lua_gettop (L), depth + 1, &seg);
          lua_pop (L, 1);
        }
      if (n > 0)
        newline (e, depth);
      g_string_append_c (e->out, ']');
    }
  else
    {
      Key *keys;
      lua_Integer i = 0;

      if (!e->sort_keys)
        {
          /* in the order of next: no copy of the keys */
          g_string_append_c (e->out, '{');
          lua_pushnil (L);
          while (lua_next (L, idx) != 0)
            {
              int key = lua_gettop (L) - 1, value = key + 1, text = key;
              PathSeg seg = { path, NULL, 0 };

              if (i++ > 0)
                g_string_append_c (e->out, ',');
              newline (e, depth + 1);
              if (lua_type (L, key) != LUA_TSTRING)
                {
                  lua_pushvalue (L, key);         /* converted, not the key next needs */
                  lua_tostring (L, -1);
                  text = lua_gettop (L);
                }
              seg.key = lua_tostring (L, text);
              encode_string (e, text, &seg);
              g_string_append (e->out, e->indent > 0 ? ": " : ":");
              encode_value (e, value, depth + 1, &seg);
              lua_settop (L, key);
            }
          if (n > 0)
            newline (e, depth);
          g_string_append_c (e->out, '}');
          goto done;
        }

      /* the keys as strings, anchored in a table, then maybe sorted */
      lua_createtable (L, (int) (2 * n), 0);
      keys_idx = lua_gettop (L);
      keys = lua_newuserdatauv (L, (size_t) MAX (n, 1) * sizeof (Key), 0);
      lua_pushnil (L);
      while (lua_next (L, idx) != 0)
        {
          lua_pop (L, 1);
          lua_pushvalue (L, -1);
          lua_rawseti (L, keys_idx, 2 * i + 2);         /* the original key */
          lua_pushvalue (L, -1);
          keys[i].s = lua_tolstring (L, -1, &keys[i].len);   /* integers become text */
          lua_rawseti (L, keys_idx, 2 * i + 1);
          lua_rawgeti (L, keys_idx, 2 * i + 1);
          keys[i].s = lua_tolstring (L, -1, &keys[i].len);
          lua_pop (L, 1);
          keys[i].slot = (int) (2 * i + 2);
          i++;
        }
      if (e->sort_keys)
        qsort (keys, (size_t) n, sizeof (Key), key_compare);
      g_string_append_c (e->out, '{');
      for (i = 0; i < n; i++)
        {
          PathSeg seg = { path, keys[i].s, 0 };

          if (i > 0)
            g_string_append_c (e->out, ',');
          newline (e, depth + 1);
          lua_rawgeti (L, keys_idx, keys[i].slot - 1);
          encode_string (e, lua_gettop (L), &seg);
          lua_pop (L, 1);
          g_string_append (e->out, e->indent > 0 ? ": " : ":");
          lua_rawgeti (L, keys_idx, keys[i].slot);
          lua_rawget (L, idx);
          encode_value (e, lua_gettop (L), depth + 1, &seg);
          lua_pop (L, 1);
        }
      if (n > 0)
        newline (e, depth);
      g_string_append_c (e->out, '}');
      lua_pop (L, 2);
    }

done:
  lua_pushvalue (L, idx);
  lua_pushnil (L);
  lua_rawset (L, e->seen_idx);
}

static void
encode_value (Enc           *e,
              int            idx,
              int            depth,
              const PathSeg *path)
{
  lua_State *L = e->L;

  switch (lua_type (L, idx))
    {
    case LUA_TNIL:
      g_string_append (e->out, "null");
      break;
    case LUA_TBOOLEAN:
      g_string_append (e->out, lua_toboolean (L, idx) ? "true" : "false");
      break;
    case LUA_TNUMBER:
      encode_number (e, idx, path);
      break;
    case LUA_TSTRING:
      encode_string (e, idx, path);
      break;
    case LUA_TTABLE:
      encode_table (e, idx, depth, path);
      break;
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata (L, idx) == NULL)
        {
          g_string_append (e->out, "null");
          break;
        }
      G_GNUC_FALLTHROUGH;
    default:
      encode_error (e, path, "a %s has no JSON form", luaL_typename (L, idx));
    }
}

static int
encoder_gc (lua_State *L)
{
  Encoder *enc = luaL_checkudata (L, 1, ENCODER_MT);

  if (enc->out != NULL)
    g_string_free (enc->out, TRUE);
  enc->out = NULL;
  return 0;
}

static int
l_encode (lua_State *L)
{
  Enc e = { L, NULL, 0, FALSE, 0 };
  Encoder *enc;

  if (lua_isnone (L, 1))
    return smelt_lua_arg_error (L, 1, ENCODE_NAME, "value expected");
  if (!lua_isnoneornil (L, 2))
    {
      if (!lua_istable (L, 2))
        return smelt_lua_arg_error (L, 2, ENCODE_NAME, "options table expected, got %s", luaL_typename (L, 2));
      if (lua_getfield (L, 2, "indent") != LUA_TNIL)
        {
          if (!lua_isinteger (L, -1) || lua_tointeger (L, -1) < 0 || lua_tointeger (L, -1) > 16)
            return smelt_lua_arg_error (L, 2, ENCODE_NAME, "indent must be an integer from 0 to 16");
          e.indent = (int) lua_tointeger (L, -1);
        }
      lua_getfield (L, 2, "sort_keys");
      e.sort_keys = lua_toboolean (L, -1);
    }
  lua_settop (L, 1);
  lua_newtable (L);
  e.seen_idx = lua_gettop (L);
  enc = lua_newuserdatauv (L, sizeof *enc, 0);
  enc->out = NULL;
  luaL_setmetatable (L, ENCODER_MT);
  enc->out = g_string_sized_new (256);
  e.out = enc->out;
  encode_value (&e, 1, 0, NULL);
  lua_pushlstring (L, e.out->str, e.out->len);
  return 1;
}

/**
 * smelt_lua_open_json:
 * @L: the Lua state
 * @smelt_idx: index of the smelt namespace
 *
 * Sets smelt.json: encode, decode, null, empty_array and empty_object.
 */
void
smelt_lua_open_json (lua_State *L,
                     int        smelt_idx)
{
  int json_idx, array_mt;

  smelt_idx = lua_absindex (L, smelt_idx);
  luaL_newmetatable (L, DECODER_MT);
  lua_pushcfunction (L, decoder_gc);
  lua_setfield (L, -2, "__gc");
  lua_pop (L, 1);
  luaL_newmetatable (L, ENCODER_MT);
  lua_pushcfunction (L, encoder_gc);
  lua_setfield (L, -2, "__gc");
  lua_pop (L, 1);

  lua_createtable (L, 0, 6);
  json_idx = lua_gettop (L);

  /* the metatable of decoded empty arrays */
  lua_createtable (L, 0, 2);
  array_mt = lua_gettop (L);
  lua_pushliteral (L, "array");
  lua_setfield (L, -2, "__jsontype");
  lua_pushliteral (L, "smelt.json.array");
  lua_setfield (L, -2, "__name");

  lua_pushvalue (L, array_mt);
  lua_pushcclosure (L, l_decode, 1);
  lua_setfield (L, json_idx, "decode");
  lua_pushcfunction (L, l_encode);
  lua_setfield (L, json_idx, "encode");
  lua_pushlightuserdata (L, NULL);
  lua_setfield (L, json_idx, "null");
  lua_pop (L, 1);
  lua_setfield (L, smelt_idx, "json");
}
