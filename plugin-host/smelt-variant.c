/* smelt-variant.c: GVariant and Lua values, converted both ways by written rules
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GVariant to Lua:
 *   NULL, a maybe with no value        nil
 *   b                                  boolean
 *   y n q i u x h, and t up to 2^63-1  integer (a larger t: float)
 *   d                                  number
 *   s o g                              string
 *   ay                                 string of bytes (NUL bytes kept)
 *   v, a maybe with a value            the value inside
 *   a{..} (any dictionary)             table keyed by the converted keys
 *   any other array, any tuple         sequence (1-based)
 * Lua to GVariant:
 *   nil                                @mv nothing
 *   boolean                            b
 *   integer                            x
 *   float                              d
 *   string                             s if valid UTF-8, else ay
 *   table: empty                       @av []
 *          a sequence 1..n             av
 *          only string keys            a{sv}
 * A function, userdata, thread, a table that contains itself, a table with
 * mixed keys or keys that are neither strings nor a sequence (holes, 0,
 * negative or float keys): an error that names where the value is
 * (args[2].opts.cb) and why.
 * Both ways, values nested deeper than SMELT_VARIANT_MAX_DEPTH levels are
 * refused with an error (so no input can exhaust the C stack), and neither
 * direction raises a Lua error for bad input: smelt_variant_push() runs
 * outside any protected call.
 */

#define G_LOG_DOMAIN "smelt-variant"

#include "config.h"

#include <gio/gio.h>
#include <lauxlib.h>
#include <string.h>

#include "smelt-variant.h"

static gboolean
push_value (lua_State *L,
            GVariant  *value,
            guint      depth,
            GError   **error)
{
  const GVariantType *type;

  if (depth > SMELT_VARIANT_MAX_DEPTH)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "cannot convert a GVariant nested deeper than %d levels", SMELT_VARIANT_MAX_DEPTH);
      return FALSE;
    }
  if (!lua_checkstack (L, 4))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           "cannot convert a GVariant: the Lua stack is full");
      return FALSE;
    }
  if (value == NULL)
    {
      lua_pushnil (L);
      return TRUE;
    }

  type = g_variant_get_type (value);
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      lua_pushboolean (L, g_variant_get_boolean (value));
      return TRUE;
    case G_VARIANT_CLASS_BYTE:
      lua_pushinteger (L, g_variant_get_byte (value));
      return TRUE;
    case G_VARIANT_CLASS_INT16:
      lua_pushinteger (L, g_variant_get_int16 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT16:
      lua_pushinteger (L, g_variant_get_uint16 (value));
      return TRUE;
    case G_VARIANT_CLASS_INT32:
      lua_pushinteger (L, g_variant_get_int32 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT32:
      lua_pushinteger (L, g_variant_get_uint32 (value));
      return TRUE;
    case G_VARIANT_CLASS_HANDLE:
      lua_pushinteger (L, g_variant_get_handle (value));
      return TRUE;
    case G_VARIANT_CLASS_INT64:
      lua_pushinteger (L, g_variant_get_int64 (value));
      return TRUE;
    case G_VARIANT_CLASS_UINT64:
      {
        guint64 u = g_variant_get_uint64 (value);

        if (u <= G_MAXINT64)
          lua_pushinteger (L, (lua_Integer) u);
        else
          lua_pushnumber (L, (lua_Number) u);
      }
      return TRUE;
    case G_VARIANT_CLASS_DOUBLE:
      lua_pushnumber (L, g_variant_get_double (value));
      return TRUE;
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      lua_pushstring (L, g_variant_get_string (value, NULL));
      return TRUE;
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr(GVariant) inner = g_variant_get_variant (value);

        return push_value (L, inner, depth + 1, error);
      }
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (value);

        return push_value (L, inner, depth + 1, error);
      }
    case G_VARIANT_CLASS_ARRAY:
      if (g_variant_type_equal (type, G_VARIANT_TYPE_BYTESTRING))
        {
          gsize len;
          const char *data = g_variant_get_fixed_array (value, &len, 1);

          lua_pushlstring (L, data ? data : "", len);
          return TRUE;
        }
      if (g_variant_type_is_dict_entry (g_variant_type_element (type)))
        {
          gsize n = g_variant_n_children (value);

          lua_createtable (L, 0, (int) MIN (n, G_MAXINT));
          for (gsize i = 0; i < n; i++)
            {
              g_autoptr(GVariant) entry = g_variant_get_child_value (value, i);
              g_autoptr(GVariant) k = g_variant_get_child_value (entry, 0);
              g_autoptr(GVariant) v = g_variant_get_child_value (entry, 1);

              if (!push_value (L, k, depth + 1, error))
                {
                  lua_pop (L, 1);
                  return FALSE;
                }
              if (!push_value (L, v, depth + 1, error))
                {
                  lua_pop (L, 2);
                  return FALSE;
                }
              if (lua_isnil (L, -2))
                lua_pop (L, 2);
              else
                lua_rawset (L, -3);
            }
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
    default:
      {
        gsize n = g_variant_n_children (value);

        lua_createtable (L, (int) MIN (n, G_MAXINT), 0);
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

            if (!push_value (L, child, depth + 1, error))
              {
                lua_pop (L, 1);
                return FALSE;
              }
            lua_rawseti (L, -2, (lua_Integer) i + 1);
          }
      }
      return TRUE;
    }
}

/**
 * smelt_variant_push:
 * @L: a Lua state
 * @value: (nullable): the value (%NULL is nil)
 * @error: return location for a #GError
 *
 * Pushes @value converted to Lua.  Never raises a Lua error for bad input
 * (memory errors aside), so it is safe outside a protected call.
 *
 * Returns: %TRUE with one value pushed, or %FALSE with nothing pushed and
 *   @error set
 */
gboolean
smelt_variant_push (lua_State *L,
                    GVariant  *value,
                    GError   **error)
{
  return push_value (L, value, 0, error);
}

static GVariant *from_lua (lua_State *L, int idx, GString *path, GHashTable *seen, guint depth, GError **error);

static GVariant *
table_from_lua (lua_State  *L,
                int         idx,
                GString    *path,
                GHashTable *seen,
                guint       depth,
                GError    **error)
{
  const void *id = lua_topointer (L, idx);
  gboolean has_string = FALSE, has_other = FALSE;
  lua_Integer n = 0, count = 0;
  GVariantBuilder builder;
  gsize path_len = path->len;

  if (g_hash_table_contains (seen, id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: cannot convert a table that contains itself (a cycle)", path->str);
      return NULL;
    }

  lua_pushnil (L);
  while (lua_next (L, idx))
    {
      count++;
      if (lua_type (L, -2) == LUA_TSTRING)
        has_string = TRUE;
      else if (lua_isinteger (L, -2) && lua_tointeger (L, -2) >= 1)
        n = MAX (n, lua_tointeger (L, -2));
      else
        has_other = TRUE;
      lua_pop (L, 1);
    }

  if (count == 0)
    return g_variant_new_array (G_VARIANT_TYPE_VARIANT, NULL, 0);
  if (!has_other && !has_string && n != count)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: cannot convert a sequence with holes (%" G_GINT64_FORMAT " keys, the largest %"
                   G_GINT64_FORMAT ")", path->str, (gint64) count, (gint64) n);
      return NULL;
    }
  if (has_other || (has_string && n > 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: cannot convert a table with mixed keys (use a sequence 1..n, or string keys only)",
                   path->str);
      return NULL;
    }

  g_hash_table_add (seen, (gpointer) id);
  if (has_string)
    {
      g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
      lua_pushnil (L);
      while (lua_next (L, idx))
        {
          const char *key = lua_tostring (L, -2);
          GVariant *child;

          g_string_append_printf (path, ".%s", key);
          child = from_lua (L, lua_gettop (L), path, seen, depth + 1, error);
          g_string_truncate (path, path_len);
          lua_pop (L, 1);
          if (child == NULL)
            {
              lua_pop (L, 1);
              g_variant_builder_clear (&builder);
              g_hash_table_remove (seen, id);
              return NULL;
            }
          g_variant_builder_add (&builder, "{sv}", key, child);
        }
    }
  else
    {
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("av"));
      for (lua_Integer i = 1; i <= n; i++)
        {
          GVariant *child;

          lua_rawgeti (L, idx, i);
          g_string_append_printf (path, "[%" G_GINT64_FORMAT "]", (gint64) i);
          child = from_lua (L, lua_gettop (L), path, seen, depth + 1, error);
          g_string_truncate (path, path_len);
          lua_pop (L, 1);
          if (child == NULL)
            {
              g_variant_builder_clear (&builder);
              g_hash_table_remove (seen, id);
              return NULL;
            }
          g_variant_builder_add (&builder, "v", child);
        }
    }
  g_hash_table_remove (seen, id);
  return g_variant_builder_end (&builder);
}

static GVariant *
from_lua (lua_State  *L,
          int         idx,
          GString    *path,
          GHashTable *seen,
          guint       depth,
          GError    **error)
{
  if (depth > SMELT_VARIANT_MAX_DEPTH)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: cannot convert tables nested deeper than %d levels", path->str, SMELT_VARIANT_MAX_DEPTH);
      return NULL;
    }
  if (!lua_checkstack (L, 4))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "%s: cannot convert: the Lua stack is full", path->str);
      return NULL;
    }
  switch (lua_type (L, idx))
    {
    case LUA_TNIL:
    case LUA_TNONE:
      return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
    case LUA_TBOOLEAN:
      return g_variant_new_boolean (lua_toboolean (L, idx));
    case LUA_TNUMBER:
      if (lua_isinteger (L, idx))
        return g_variant_new_int64 (lua_tointeger (L, idx));
      return g_variant_new_double (lua_tonumber (L, idx));
    case LUA_TSTRING:
      {
        size_t len;
        const char *s = lua_tolstring (L, idx, &len);

        if (g_utf8_validate (s, (gssize) len, NULL) && memchr (s, '\0', len) == NULL)
          return g_variant_new_string (s);
        return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, s, len, 1);
      }
    case LUA_TTABLE:
      return table_from_lua (L, lua_absindex (L, idx), path, seen, depth, error);
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: cannot convert a %s value to a GVariant", path->str, luaL_typename (L, idx));
      return NULL;
    }
}

/**
 * smelt_variant_from_lua:
 * @what: how error messages name the value ("args[2]")
 *
 * Returns: (transfer full) (nullable): a new GVariant (not floating), or
 *   %NULL with @error set
 */
GVariant *
smelt_variant_from_lua (lua_State  *L,
                        int         idx,
                        const char *what,
                        GError    **error)
{
  g_autoptr(GString) path = g_string_new (what);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  GVariant *v = from_lua (L, lua_absindex (L, idx), path, seen, 0, error);

  return v ? g_variant_ref_sink (v) : NULL;
}
