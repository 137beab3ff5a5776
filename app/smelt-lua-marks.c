/* smelt-lua-marks.c: buf:set_mark, get_marks, del_mark, clear_ns and smelt.hl.define
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Lua side of smelt-marks.c.  Positions are 1-based lines and byte
 * columns, a range's end exclusive, as everywhere in the Buffer API;
 * options a mark does not know raise, naming them, rather than being
 * ignored.  Namespaces are numbers smelt.ns(name) hands out (buffer.lua).
 */

#define G_LOG_DOMAIN "smelt-marks"

#include "config.h"

#include <string.h>

#include <lauxlib.h>

#include "smelt-embed.h"
#include "smelt-lua-buffer.h"
#include "smelt-lua-marks.h"
#include "smelt-marks.h"

static guint
check_ns (lua_State  *L,
          int         arg,
          const char *fname)
{
  int is_integer = 0;
  lua_Integer ns = lua_type (L, arg) == LUA_TNUMBER ? lua_tointegerx (L, arg, &is_integer) : 0;

  if (!is_integer || ns < 1 || ns > G_MAXUINT)
    luaL_error (L, "bad argument #%d to '%s' (namespace expected (smelt.ns), got %s)", arg - 1, fname,
                lua_type (L, arg) == LUA_TNUMBER ? "another number" : luaL_typename (L, arg));
  return (guint) ns;
}

/* iter at line, col (1-based, the column up to one past the line's end);
 * what names the value in the error ("line", "end_line") */
static void
position (lua_State     *L,
          SmeltDocument *document,
          lua_Integer    line,
          lua_Integer    col,
          GtkTextIter   *iter,
          const char    *what,
          const char    *fname)
{
  int len;

  switch (smelt_document_iter_at_position (document, line, col, iter, &len))
    {
    case SMELT_POSITION_OK:
      break;
    case SMELT_POSITION_BAD_LINE:
      luaL_error (L, "%s: %s %d out of range (the buffer has %d lines)", fname, what, (int) line,
                  gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (document)));
      break;
    case SMELT_POSITION_BAD_COLUMN:
      luaL_error (L, "%s: column %d out of range on line %d (it has %d bytes)", fname, (int) col, (int) line, len);
      break;
    case SMELT_POSITION_INSIDE_CHARACTER:
      luaL_error (L, "%s: column %d of line %d is inside a character", fname, (int) col, (int) line);
      break;
    }
}

static lua_Integer
check_int (lua_State  *L,
           int         arg,
           const char *fname,
           const char *what)
{
  int is_integer = 0;
  lua_Integer value = lua_type (L, arg) == LUA_TNUMBER ? lua_tointegerx (L, arg, &is_integer) : 0;

  if (!is_integer)
    luaL_error (L, "bad argument #%d to '%s' (%s: integer expected, got %s)", arg - 1, fname, what,
                lua_type (L, arg) == LUA_TNUMBER ? "a fraction" : luaL_typename (L, arg));
  return value;
}

/* opts[key] as a string, or NULL; raises when it is something else */
static const char *
opt_string (lua_State  *L,
            int         opts,
            const char *key,
            const char *fname)
{
  const char *value;

  lua_getfield (L, opts, key);
  if (lua_isnil (L, -1))
    {
      lua_pop (L, 1);
      return NULL;
    }
  if (lua_type (L, -1) != LUA_TSTRING)
    luaL_error (L, "bad argument #4 to '%s' (%s: string expected, got %s)", fname, key, luaL_typename (L, -1));
  value = lua_tostring (L, -1);
  lua_pop (L, 1);   /* opts still holds it */
  return value;
}

static const char * const known_options[] = {
  "end_line", "end_col", "hl", "sign", "sign_hl", "message", "priority", "right_gravity", NULL,
};

/* buf:set_mark(ns, line, col, opts): a mark's id */
static int
buf_set_mark (lua_State *L)
{
  const char *fname = "buffer:set_mark";
  SmeltDocument *document = smelt_lua_check_document (L, 1, fname);
  guint ns = check_ns (L, 2, fname);
  lua_Integer line = check_int (L, 3, fname, "line");
  lua_Integer col = check_int (L, 4, fname, "col");
  SmeltMarkOptions options = { .right_gravity = TRUE };
  GtkTextIter start, end;
  gboolean ranged = FALSE;

  if (!lua_isnoneornil (L, 5))
    {
      luaL_checktype (L, 5, LUA_TTABLE);
      lua_pushnil (L);
      while (lua_next (L, 5) != 0)
        {
          gboolean known = FALSE;

          lua_pop (L, 1);
          for (guint i = 0; known_options[i] != NULL; i++)
            known |= lua_type (L, -1) == LUA_TSTRING && g_str_equal (lua_tostring (L, -1), known_options[i]);
          if (!known)
            return luaL_error (L, "bad argument #4 to '%s' (unknown option %s)", fname,
                               lua_type (L, -1) == LUA_TSTRING ? lua_tostring (L, -1) : luaL_typename (L, -1));
        }
      options.hl = opt_string (L, 5, "hl", fname);
      options.sign = opt_string (L, 5, "sign", fname);
      options.sign_hl = opt_string (L, 5, "sign_hl", fname);
      options.message = opt_string (L, 5, "message", fname);
      lua_getfield (L, 5, "priority");
      if (!lua_isnil (L, -1))
        options.priority = (int) check_int (L, lua_gettop (L), fname, "priority");
      lua_pop (L, 1);
      lua_getfield (L, 5, "right_gravity");
      if (!lua_isnil (L, -1))
        options.right_gravity = lua_toboolean (L, -1);
      lua_pop (L, 1);
      lua_getfield (L, 5, "end_line");
      lua_getfield (L, 5, "end_col");
      if (!lua_isnil (L, -2) || !lua_isnil (L, -1))
        {
          lua_Integer end_line, end_col;

          if (lua_isnil (L, -2) || lua_isnil (L, -1))
            return luaL_error (L, "bad argument #4 to '%s' (end_line and end_col go together)", fname);
          end_line = check_int (L, lua_gettop (L) - 1, fname, "end_line");
          end_col = check_int (L, lua_gettop (L), fname, "end_col");
          position (L, document, end_line, end_col, &end, "end_line", fname);
          ranged = TRUE;
        }
      lua_pop (L, 2);
    }
  position (L, document, line, col, &start, "line", fname);
  if (ranged && gtk_text_iter_compare (&end, &start) < 0)
    return luaL_error (L, "%s: the range ends before it starts", fname);
  if (options.sign != NULL && strchr (options.sign, '-') == NULL && g_utf8_strlen (options.sign, -1) > 2)
    return luaL_error (L, "bad argument #4 to '%s' (sign: up to two characters or an icon name, got \"%s\")",
                       fname, options.sign);
  if (options.hl != NULL && !smelt_marks_hl_exists (document, options.hl))
    return luaL_error (L, "bad argument #4 to '%s' (hl: no highlight \"%s\" (smelt.hl.define makes one))",
                       fname, options.hl);
  if (options.sign_hl != NULL && !smelt_marks_hl_exists (document, options.sign_hl))
    return luaL_error (L, "bad argument #4 to '%s' (sign_hl: no highlight \"%s\" (smelt.hl.define makes one))",
                       fname, options.sign_hl);
  lua_pushinteger (L, smelt_marks_set (document, ns, &start, ranged ? &end : NULL, &options));
  return 1;
}

static void
set_string (lua_State  *L,
            const char *key,
            const char *value)
{
  if (value == NULL)
    return;
  lua_pushstring (L, value);
  lua_setfield (L, -2, key);
}

static void
set_integer (lua_State   *L,
             const char  *key,
             lua_Integer  value)
{
  lua_pushinteger (L, value);
  lua_setfield (L, -2, key);
}

/* pushes a mark as { id, ns, line, col, end_line, end_col, hl, ... } */
static void
push_mark (lua_State     *L,
           SmeltDocument *document,
           SmeltMark     *mark)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (document);
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_mark (buffer, &start, mark->start);
  lua_createtable (L, 0, 10);
  set_integer (L, "id", mark->id);
  set_integer (L, "ns", mark->ns);
  set_integer (L, "line", gtk_text_iter_get_line (&start) + 1);
  set_integer (L, "col", gtk_text_iter_get_line_index (&start) + 1);
  if (mark->end != NULL)
    {
      gtk_text_buffer_get_iter_at_mark (buffer, &end, mark->end);
      if (gtk_text_iter_compare (&end, &start) < 0)
        end = start;   /* an edit collapsed the range */
      set_integer (L, "end_line", gtk_text_iter_get_line (&end) + 1);
      set_integer (L, "end_col", gtk_text_iter_get_line_index (&end) + 1);
    }
  set_string (L, "hl", mark->hl);
  set_string (L, "sign", mark->sign);
  set_string (L, "sign_hl", mark->sign_hl);
  set_string (L, "message", mark->message);
  set_integer (L, "priority", mark->priority);
}

/* lines first..last (1-based, inclusive) at arg, arg + 1 as 0-based; nil
 * for either: from the start, to the end */
static void
check_lines (lua_State  *L,
             int         arg,
             const char *fname,
             int        *first,
             int        *last)
{
  *first = lua_isnoneornil (L, arg) ? 0 : (int) check_int (L, arg, fname, "first_line") - 1;
  *last = lua_isnoneornil (L, arg + 1) ? -1 : (int) check_int (L, arg + 1, fname, "last_line") - 1;
}

/* buf:get_marks(ns[, first_line, last_line]): the marks at their current
 * positions, in order */
static int
buf_get_marks (lua_State *L)
{
  const char *fname = "buffer:get_marks";
  SmeltDocument *document = smelt_lua_check_document (L, 1, fname);
  guint ns = check_ns (L, 2, fname);
  g_autoptr(GPtrArray) list = NULL;
  int first, last;

  check_lines (L, 3, fname, &first, &last);
  list = smelt_marks_list (document, ns, first, last);
  lua_createtable (L, (int) list->len, 0);
  for (guint i = 0; i < list->len; i++)
    {
      push_mark (L, document, g_ptr_array_index (list, i));
      lua_rawseti (L, -2, (lua_Integer) i + 1);
    }
  return 1;
}

/* buf:del_mark(ns, id): whether there was such a mark */
static int
buf_del_mark (lua_State *L)
{
  const char *fname = "buffer:del_mark";
  SmeltDocument *document = smelt_lua_check_document (L, 1, fname);
  guint ns = check_ns (L, 2, fname);
  lua_Integer id = check_int (L, 3, fname, "id");

  lua_pushboolean (L, id > 0 && id <= G_MAXUINT && smelt_marks_delete (document, ns, (guint) id));
  return 1;
}

/* buf:clear_ns(ns[, first_line, last_line]): how many marks went */
static int
buf_clear_ns (lua_State *L)
{
  const char *fname = "buffer:clear_ns";
  SmeltDocument *document = smelt_lua_check_document (L, 1, fname);
  guint ns = check_ns (L, 2, fname);
  int first, last;

  check_lines (L, 3, fname, &first, &last);
  lua_pushinteger (L, smelt_marks_clear (document, ns, first, last));
  return 1;
}

/* internal.hl_define(name, fg, bg, underline, bold, italic) (buffer.lua
 * checks the table smelt.hl.define takes) */
static int
l_hl_define (lua_State *L)
{
  static const struct { const char *name; PangoUnderline value; } underlines[] = {
    { "none", PANGO_UNDERLINE_NONE }, { "single", PANGO_UNDERLINE_SINGLE },
    { "double", PANGO_UNDERLINE_DOUBLE }, { "low", PANGO_UNDERLINE_LOW },
    { "error", PANGO_UNDERLINE_ERROR },
  };
  const char *name = luaL_checkstring (L, 1);
  const char *underline = luaL_optstring (L, 4, "none");
  SmeltHlStyle style = {
    .fg = luaL_optstring (L, 2, NULL),
    .bg = luaL_optstring (L, 3, NULL),
    .bold = lua_toboolean (L, 5),
    .italic = lua_toboolean (L, 6),
  };
  GdkRGBA rgba;
  GListModel *documents;
  gboolean found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (underlines); i++)
    if (g_str_equal (underline, underlines[i].name))
      {
        style.underline = underlines[i].value;
        found = TRUE;
      }
  if (!found)
    return luaL_error (L, "bad argument #2 to 'smelt.hl.define' (underline: \"none\", \"single\", \"double\", "
                          "\"low\" or \"error\" expected, got \"%s\")", underline);
  if (style.fg != NULL && !gdk_rgba_parse (&rgba, style.fg))
    return luaL_error (L, "bad argument #2 to 'smelt.hl.define' (fg: not a colour: \"%s\")", style.fg);
  if (style.bg != NULL && !gdk_rgba_parse (&rgba, style.bg))
    return luaL_error (L, "bad argument #2 to 'smelt.hl.define' (bg: not a colour: \"%s\")", style.bg);
  smelt_marks_define_hl (name, &style);
  /* the buffers that show it already take its new look */
  documents = G_LIST_MODEL (smelt_lua_buffer_get_workspace (smelt_host_from_lua (L)));
  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(SmeltDocument) document = g_list_model_get_item (documents, i);

      smelt_marks_restyle (document);
    }
  return 0;
}

static const luaL_Reg mark_methods[] = {
  { "set_mark", buf_set_mark },
  { "get_marks", buf_get_marks },
  { "del_mark", buf_del_mark },
  { "clear_ns", buf_clear_ns },
  { NULL, NULL },
};

/**
 * smelt_lua_marks_open:
 * @L: the host's Lua state
 * @methods_idx: the stack index of the Buffer methods table
 * @internal_idx: the stack index of the `internal` table
 *
 * Adds the mark methods to the Buffer object, and internal.hl_define.
 */
void
smelt_lua_marks_open (lua_State *L,
                      int        methods_idx,
                      int        internal_idx)
{
  methods_idx = lua_absindex (L, methods_idx);
  internal_idx = lua_absindex (L, internal_idx);
  lua_pushvalue (L, methods_idx);
  luaL_setfuncs (L, mark_methods, 0);
  lua_pop (L, 1);
  lua_pushcfunction (L, l_hl_define);
  lua_setfield (L, internal_idx, "hl_define");
}
