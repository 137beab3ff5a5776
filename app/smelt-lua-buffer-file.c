/* smelt-lua-buffer-file.c: the Buffer methods about its file's form: encoding and line ends
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * buf:encoding(), buf:set_encoding(name), buf:newline(), buf:set_newline(kind):
 * what the next save writes.  Kept apart from smelt-lua-buffer.c, which
 * registers them: the document's file, not its text.
 */

#define G_LOG_DOMAIN "smelt-lua-buffer"

#include "config.h"

#include <lauxlib.h>

#include "smelt-lua-buffer.h"

static SmeltDocument *
check_document (lua_State  *L,
                const char *fname)
{
  return smelt_lua_check_document (L, 1, fname);
}

static const struct
{
  const char           *name;
  GtkSourceNewlineType  type;
} newlines[] = {
  { "lf", GTK_SOURCE_NEWLINE_TYPE_LF },
  { "crlf", GTK_SOURCE_NEWLINE_TYPE_CR_LF },
  { "cr", GTK_SOURCE_NEWLINE_TYPE_CR },
};

/* buf:encoding(): the charset a save writes ("UTF-8", "ISO-8859-1") */
static int
buf_encoding (lua_State *L)
{
  SmeltDocument *document = check_document (L, "buffer:encoding");

  lua_pushstring (L, gtk_source_encoding_get_charset (smelt_document_get_encoding (document)));
  return 1;
}

/* buf:set_encoding(name): what the next save writes ("UTF-8", "latin1") */
static int
buf_set_encoding (lua_State *L)
{
  SmeltDocument *document = check_document (L, "buffer:set_encoding");
  const char *name = luaL_checkstring (L, 2);
  const GtkSourceEncoding *encoding = smelt_document_lookup_encoding (name);

  if (encoding == NULL)
    return luaL_error (L, "bad argument #1 to 'buffer:set_encoding' (unknown encoding '%s')", name);
  smelt_document_set_encoding (document, encoding);
  return 0;
}

/* buf:newline(): "lf", "crlf" or "cr", and whether the file read had more than one kind */
static int
buf_newline (lua_State *L)
{
  SmeltDocument *document = check_document (L, "buffer:newline");
  GtkSourceNewlineType type = smelt_document_get_newline_type (document);

  lua_pushstring (L, "lf");
  for (gsize i = 0; i < G_N_ELEMENTS (newlines); i++)
    if (newlines[i].type == type)
      {
        lua_pop (L, 1);
        lua_pushstring (L, newlines[i].name);
      }
  lua_pushboolean (L, smelt_document_has_mixed_newlines (document));
  return 2;
}

/* buf:set_newline(kind): what the next save writes after every line */
static int
buf_set_newline (lua_State *L)
{
  SmeltDocument *document = check_document (L, "buffer:set_newline");
  const char *name = luaL_checkstring (L, 2);

  for (gsize i = 0; i < G_N_ELEMENTS (newlines); i++)
    if (g_str_equal (name, newlines[i].name))
      {
        smelt_document_set_newline_type (document, newlines[i].type);
        return 0;
      }
  return luaL_error (L, "bad argument #1 to 'buffer:set_newline' (\"lf\", \"crlf\" or \"cr\" expected, got '%s')", name);
}

static const luaL_Reg file_methods[] = {
  { "encoding", buf_encoding },
  { "set_encoding", buf_set_encoding },
  { "newline", buf_newline },
  { "set_newline", buf_set_newline },
  { NULL, NULL },
};

/**
 * smelt_lua_buffer_add_file_methods:
 * @L: a Lua state
 * @methods_idx: the stack index of the Buffer methods table
 *
 * Adds encoding, set_encoding, newline and set_newline to it.
 */
void
smelt_lua_buffer_add_file_methods (lua_State *L,
                                   int        methods_idx)
{
  lua_pushvalue (L, methods_idx);
  luaL_setfuncs (L, file_methods, 0);
  lua_pop (L, 1);
}
