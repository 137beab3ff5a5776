/* test-variant.c: GVariant <-> Lua conversion, both ways, by the rules written in smelt-variant.c
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <lauxlib.h>
#include <lualib.h>

#include "smelt-variant.h"

/* Pushes value as the global v, then runs check (a chunk returning a boolean
 * and an optional explanation); asserts it returned true. */
static void
assert_lua (GVariant   *value,
            const char *check)
{
  g_autoptr(GVariant) owned = value ? g_variant_ref_sink (value) : NULL;
  g_autoptr(GError) error = NULL;
  lua_State *L = luaL_newstate ();
  int top;

  luaL_openlibs (L);
  top = lua_gettop (L);
  g_assert_true (smelt_variant_push (L, owned, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lua_gettop (L), ==, top + 1);
  lua_setglobal (L, "v");
  if (luaL_loadstring (L, check) != LUA_OK || lua_pcall (L, 0, 2, 0) != LUA_OK)
    g_error ("%s: %s", check, lua_tostring (L, -1));
  if (!lua_toboolean (L, -2))
    g_error ("%s failed for %s: %s", check, owned ? g_variant_print (owned, TRUE) : "NULL",
             lua_tostring (L, -1) ? lua_tostring (L, -1) : "");
  lua_close (L);
}

/* Converts the value the chunk returns; asserts it prints as expected
 * (g_variant_print with type annotations). */
static void
assert_variant (const char *code,
                const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = NULL;
  g_autofree char *printed = NULL;
  lua_State *L = luaL_newstate ();

  luaL_openlibs (L);
  if (luaL_dostring (L, code) != LUA_OK)
    g_error ("%s: %s", code, lua_tostring (L, -1));
  v = smelt_variant_from_lua (L, -1, "x", &error);
  g_assert_no_error (error);
  g_assert_nonnull (v);
  g_assert_false (g_variant_is_floating (v));
  printed = g_variant_print (v, TRUE);
  g_assert_cmpstr (printed, ==, expected);
  lua_close (L);
}

/* Asserts converting the chunk's value fails with a message containing
 * expected, and leaves the Lua stack as it was. */
static void
assert_refused (const char *code,
                const char *expected)
{
  g_autoptr(GError) error = NULL;
  GVariant *v;
  lua_State *L = luaL_newstate ();
  int top;

  luaL_openlibs (L);
  if (luaL_dostring (L, code) != LUA_OK)
    g_error ("%s: %s", code, lua_tostring (L, -1));
  top = lua_gettop (L);
  v = smelt_variant_from_lua (L, -1, "x", &error);
  g_assert_null (v);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, expected) == NULL)
    g_error ("expected \"%s\" in \"%s\"", expected, error->message);
  g_assert_cmpint (lua_gettop (L), ==, top);
  lua_close (L);
}

static void
test_to_lua_scalars (void)
{
  assert_lua (NULL, "return v == nil");
  assert_lua (g_variant_new_maybe (G_VARIANT_TYPE_INT32, NULL), "return v == nil");
  assert_lua (g_variant_new_maybe (NULL, g_variant_new_int32 (5)), "return v == 5");
  assert_lua (g_variant_new_boolean (TRUE), "return v == true");
  assert_lua (g_variant_new_boolean (FALSE), "return v == false");
  assert_lua (g_variant_new_byte (255), "return math.type(v) == 'integer' and v == 255");
  assert_lua (g_variant_new_int16 (-3), "return v == -3");
  assert_lua (g_variant_new_uint16 (65535), "return v == 65535");
  assert_lua (g_variant_new_int32 (G_MININT32), "return v == -2147483648");
  assert_lua (g_variant_new_uint32 (G_MAXUINT32), "return v == 4294967295");
  assert_lua (g_variant_new_int64 (G_MININT64), "return v == math.mininteger");
  assert_lua (g_variant_new_handle (3), "return v == 3");
  assert_lua (g_variant_new_uint64 (G_MAXINT64), "return math.type(v) == 'integer' and v == math.maxinteger");
  assert_lua (g_variant_new_uint64 (G_MAXUINT64), "return math.type(v) == 'float' and v == 2^64");
  assert_lua (g_variant_new_double (0.5), "return math.type(v) == 'float' and v == 0.5");
  assert_lua (g_variant_new_double (2.0), "return math.type(v) == 'float' and v == 2");
  assert_lua (g_variant_new_string ("héllo"), "return v == 'h\\u{e9}llo'");
  assert_lua (g_variant_new_object_path ("/org/smelt"), "return v == '/org/smelt'");
  assert_lua (g_variant_new_signature ("a{sv}"), "return v == 'a{sv}'");
  assert_lua (g_variant_new_variant (g_variant_new_int32 (7)), "return v == 7");
}

static void
test_to_lua_bytes (void)
{
  static const guint8 bytes[] = { 'a', 0, 0xff, 'b' };

  assert_lua (g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, bytes, sizeof bytes, 1),
              "return v == 'a\\0\\xffb', ('%q'):format(v)");
  assert_lua (g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, NULL, 0, 1), "return v == ''");
  assert_lua (g_variant_new_bytestring ("plain"), "return v == 'plain\\0'");
}

static void
test_to_lua_containers (void)
{
  const char *strv[] = { "a", "b", "c", NULL };
  GVariantBuilder b;

  assert_lua (g_variant_new_strv (strv, -1),
              "return #v == 3 and v[1] == 'a' and v[2] == 'b' and v[3] == 'c'");
  assert_lua (g_variant_new_array (G_VARIANT_TYPE_INT32, NULL, 0),
              "return type(v) == 'table' and next(v) == nil");
  assert_lua (g_variant_new ("(isb)", 1, "two", TRUE),
              "return #v == 3 and v[1] == 1 and v[2] == 'two' and v[3] == true");
  assert_lua (g_variant_new ("()"), "return type(v) == 'table' and next(v) == nil");

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "name", g_variant_new_string ("smelt"));
  g_variant_builder_add (&b, "{sv}", "size", g_variant_new_int32 (3));
  g_variant_builder_add (&b, "{sv}", "list", g_variant_new ("ai", NULL));
  g_variant_builder_add (&b, "{sv}", "nested", g_variant_new_parsed ("{'x': <[1, 2]>}"));
  assert_lua (g_variant_builder_end (&b),
              "return v.name == 'smelt' and v.size == 3 and next(v.list) == nil"
              " and v.nested.x[1] == 1 and v.nested.x[2] == 2");

  assert_lua (g_variant_new_parsed ("{1: 'one', 20: 'twenty'}"),
              "return v[1] == 'one' and v[20] == 'twenty' and v[2] == nil");
  assert_lua (g_variant_new_parsed ("{true: 1}"), "return v[true] == 1");
  assert_lua (g_variant_new_parsed ("[just 1, nothing, just 3]"),
              "return v[1] == 1 and v[2] == nil and v[3] == 3");
  assert_lua (g_variant_new_parsed ("[<'a'>, <2>, <[<true>]>]"),
              "return v[1] == 'a' and v[2] == 2 and v[3][1] == true");
  assert_lua (g_variant_new_parsed ("{'k': (1, 'x')}"), "return v.k[1] == 1 and v.k[2] == 'x'");
}

static void
test_to_lua_too_deep (void)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_new_int32 (1);
  lua_State *L = luaL_newstate ();
  int top = lua_gettop (L);

  for (int i = 0; i < SMELT_VARIANT_MAX_DEPTH + 5; i++)
    v = g_variant_new_variant (v);
  g_variant_ref_sink (v);
  g_assert_false (smelt_variant_push (L, v, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "nested deeper than"));
  g_assert_cmpint (lua_gettop (L), ==, top);
  g_variant_unref (v);
  g_clear_error (&error);

  /* just within the limit: converts */
  v = g_variant_new_int32 (1);
  for (int i = 0; i < SMELT_VARIANT_MAX_DEPTH; i++)
    v = g_variant_new_array (NULL, &v, 1);
  g_variant_ref_sink (v);
  g_assert_true (smelt_variant_push (L, v, &error));
  g_assert_no_error (error);
  g_variant_unref (v);
  lua_close (L);
}

static void
test_from_lua_scalars (void)
{
  assert_variant ("return nil", "@mv nothing");
  assert_variant ("return true", "true");
  assert_variant ("return false", "false");
  assert_variant ("return 42", "int64 42");
  assert_variant ("return math.mininteger", "int64 -9223372036854775808");
  assert_variant ("return 0.5", "0.5");
  assert_variant ("return 2.0", "2.0");
  assert_variant ("return 'héllo'", "'héllo'");
  assert_variant ("return ''", "''");
  /* not UTF-8, or containing NUL: a byte string */
  assert_variant ("return 'a\\xffb'", "[byte 0x61, 0xff, 0x62]");
  assert_variant ("return 'a\\0b'", "[byte 0x61, 0x00, 0x62]");
}

static void
test_from_lua_tables (void)
{
  assert_variant ("return {}", "@av []");
  assert_variant ("return { 1, 'two', true }", "[<int64 1>, <'two'>, <true>]");
  assert_variant ("return { { 1 }, {} }", "[<[<int64 1>]>, <@av []>]");
  assert_variant ("return { name = 'smelt' }", "{'name': <'smelt'>}");
  assert_variant ("return { opts = { deep = { 1.5 } } }", "{'opts': <{'deep': <[<1.5>]>}>}");
  /* the same table twice (not a cycle) is fine */
  assert_variant ("local s = { 1 }; return { s, s }", "[<[<int64 1>]>, <[<int64 1>]>]");
}

static void
test_from_lua_refused (void)
{
  assert_refused ("return print", "x: cannot convert a function value");
  assert_refused ("return { cb = function() end }", "x.cb: cannot convert a function value");
  assert_refused ("return { 1, { 2, io.stdout } }", "x[2][2]: cannot convert a userdata value");
  assert_refused ("return coroutine.create(print)", "x: cannot convert a thread value");
  assert_refused ("local t = {}; t.self = t; return t", "x.self: cannot convert a table that contains itself (a cycle)");
  assert_refused ("local t = { {} }; t[1][1] = t; return t", "x[1][1]: cannot convert a table that contains itself");
  assert_refused ("return { 1, a = 2 }", "x: cannot convert a table with mixed keys");
  assert_refused ("return { [1.5] = 1 }", "x: cannot convert a table with mixed keys");
  assert_refused ("return { [0] = 1 }", "x: cannot convert a table with mixed keys");
  assert_refused ("return { [true] = 1 }", "x: cannot convert a table with mixed keys");
  assert_refused ("return { 1, nil, 3 }", "x: cannot convert a sequence with holes (2 keys, the largest 3)");
  assert_refused ("local t = 1; for i = 1, 100000 do t = { t } end; return t",
                  "cannot convert tables nested deeper than");
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) in = g_variant_ref_sink (
      g_variant_new_parsed ("{'a': <[<int64 1>, <'x'>, <2.5>, <{'d': <[<true>, <b'\\377'>]>}>]>}"));
  g_autoptr(GVariant) out = NULL;
  lua_State *L = luaL_newstate ();

  /* one key per dictionary: Lua's table order is not GVariant's */
  g_assert_true (smelt_variant_push (L, in, &error));
  out = smelt_variant_from_lua (L, -1, "x", &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_equal (in, out));
  lua_close (L);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/variant/to-lua/scalars", test_to_lua_scalars);
  g_test_add_func ("/variant/to-lua/bytes", test_to_lua_bytes);
  g_test_add_func ("/variant/to-lua/containers", test_to_lua_containers);
  g_test_add_func ("/variant/to-lua/too-deep", test_to_lua_too_deep);
  g_test_add_func ("/variant/from-lua/scalars", test_from_lua_scalars);
  g_test_add_func ("/variant/from-lua/tables", test_from_lua_tables);
  g_test_add_func ("/variant/from-lua/refused", test_from_lua_refused);
  g_test_add_func ("/variant/round-trip", test_round_trip);
  return g_test_run ();
}
