/* smelt-lua-buffer.c: smelt.buf and the Buffer object on documents, with a window or without
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Buffer is a SmeltDocument of the host's SmeltWorkspace, the same with
 * --no-ui as in the window (which shows each document in a page of its
 * own, and knows nothing of this file).  One userdata per document while
 * any Lua value holds it, so buffers work as table keys; it holds the
 * document weakly: a closed buffer raises "the buffer was closed" rather
 * than touching freed memory.  Lines are 1-based and columns are 1-based
 * byte offsets, ranges inclusive, like Lua's own string functions.  open,
 * save and reload park the calling task until GIO has finished.
 */

#define G_LOG_DOMAIN "smelt-buffer"

#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include <lauxlib.h>

#include "smelt-buffer-changes.h"
#include "smelt-embed.h"
#include "smelt-lua-buffer.h"
#include "smelt-lua-marks.h"

#define BUFFER_MT "smelt.Buffer"
/* the registry's table of live Buffer userdata, by document id (weak values) */
#define BUFFERS_KEY "smelt.buffers"

typedef struct
{
  GWeakRef document;
  guint    id;   /* kept when the document closes: a table keyed by ids still finds it */
} BufferBox;

/**
 * smelt_lua_buffer_get_workspace:
 * @host: a host
 *
 * Returns: (transfer none): the documents @host's plugins see, made on
 *   first use; the window shows the same workspace
 */
SmeltWorkspace *
smelt_lua_buffer_get_workspace (SmeltHost *host)
{
  SmeltWorkspace *workspace = g_object_get_data (G_OBJECT (host), "smelt-workspace");

  if (workspace == NULL)
    {
      workspace = smelt_workspace_new ();
      g_object_set_data_full (G_OBJECT (host), "smelt-workspace", workspace, g_object_unref);
    }
  return workspace;
}

static SmeltWorkspace *
workspace_of (lua_State *L)
{
  return smelt_lua_buffer_get_workspace (smelt_host_from_lua (L));
}

/* Raises "bad argument #N to 'buffer:lines' (...)", counting the arguments
 * after self from 1 as Lua's own messages about methods do; arg is the stack
 * index (self is 1). */
G_GNUC_PRINTF (4, 5) static int
method_arg_error (lua_State  *L,
                  int         arg,
                  const char *fname,
                  const char *fmt,
                  ...)
{
  va_list ap;

  va_start (ap, fmt);
  lua_pushvfstring (L, fmt, ap);
  va_end (ap);
  return luaL_error (L, "bad argument #%d to '%s' (%s)", arg - 1, fname, lua_tostring (L, -1));
}

static lua_Integer
check_integer (lua_State  *L,
               int         arg,
               const char *fname)
{
  int is_integer = 0;
  lua_Integer value = lua_tointegerx (L, arg, &is_integer);

  if (!is_integer)
    method_arg_error (L, arg, fname, "integer expected, got %s",
                      lua_isnumber (L, arg) ? "a fraction" : luaL_typename (L, arg));
  return value;
}

static const char *
check_string (lua_State  *L,
              int         arg,
              const char *fname,
              size_t     *len)
{
  if (lua_type (L, arg) != LUA_TSTRING && lua_type (L, arg) != LUA_TNUMBER)
    method_arg_error (L, arg, fname, "string expected, got %s", luaL_typename (L, arg));
  return lua_tolstring (L, arg, len);
}

/**
 * smelt_lua_push_buffer:
 * @L: a Lua state
 * @document: the buffer
 *
 * Pushes @document's Buffer object: the one Lua holds already, if any.
 */
void
smelt_lua_push_buffer (lua_State     *L,
                       SmeltDocument *document)
{
  lua_Integer id = smelt_document_get_id (document);
  BufferBox *box;

  lua_getfield (L, LUA_REGISTRYINDEX, BUFFERS_KEY);
  if (lua_rawgeti (L, -1, id) == LUA_TUSERDATA)
    {
      lua_remove (L, -2);
      return;
    }
  lua_pop (L, 1);
  box = lua_newuserdatauv (L, sizeof *box, 0);
  g_weak_ref_init (&box->document, document);
  box->id = (guint) id;
  luaL_setmetatable (L, BUFFER_MT);
  lua_pushvalue (L, -1);
  lua_rawseti (L, -3, id);
  lua_remove (L, -2);
}

/* The document of the Buffer at idx, with a reference, if it is a Buffer
 * that is still open (an operation may hold a closed one a while); else NULL */
static SmeltDocument *
open_document (lua_State *L,
               int        idx)
{
  BufferBox *box = luaL_testudata (L, idx, BUFFER_MT);
  SmeltDocument *document = box ? g_weak_ref_get (&box->document) : NULL;

  if (document != NULL && smelt_document_is_closed (document))
    g_clear_object (&document);
  return document;
}

/**
 * smelt_lua_check_document:
 * @L: a Lua state
 * @idx: the stack index of a Buffer
 * @fname: the Lua function's name, for the error
 *
 * Raises "calling 'fname' on bad self" when @idx is no Buffer, and
 * "fname: the buffer was closed" when it is closed.
 *
 * Returns: (transfer none): its document (the workspace keeps it alive)
 */
SmeltDocument *
smelt_lua_check_document (lua_State  *L,
                          int         idx,
                          const char *fname)
{
  SmeltDocument *document;

  if (luaL_testudata (L, idx, BUFFER_MT) == NULL)
    luaL_error (L, "calling '%s' on bad self (buffer expected, got %s)", fname, luaL_typename (L, idx));
  document = open_document (L, idx);
  if (document == NULL)
    luaL_error (L, "%s: the buffer was closed", fname);
  g_object_unref (document);
  return document;
}

static SmeltDocument *
check_buffer (lua_State  *L,
              const char *fname)
{
  return smelt_lua_check_document (L, 1, fname);
}
static GtkTextBuffer *
text_buffer (SmeltDocument *document)
{
  return GTK_TEXT_BUFFER (document);
}

/* The buffer at 1, for a method that changes it or writes it: a read-only
 * buffer (help) raises, as Neovim's 'modifiable' off does (E21). */
static SmeltDocument *
check_writable (lua_State  *L,
                const char *fname)
{
  SmeltDocument *document = check_buffer (L, fname);

  if (smelt_document_get_read_only (document))
    luaL_error (L, "%s: the buffer is read-only", fname);
  return document;
}

static int
check_line (lua_State     *L,
            int            arg,
            GtkTextBuffer *buffer,
            const char    *fname,
            gboolean       allow_past_end)
{
  lua_Integer line = check_integer (L, arg, fname);
  int n = gtk_text_buffer_get_line_count (buffer);

  if (line < 1 || line > n + (allow_past_end ? 1 : 0))
    method_arg_error (L, arg, fname, "line %d out of range (the buffer has %d lines)", (int) line, n);
  return (int) line;
}

/* buf:lines(a, b): lines a..b (default: all), without their newlines */
static int
buf_lines (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_buffer (L, "buffer:lines"));
  int n = gtk_text_buffer_get_line_count (buffer);
  int a = lua_isnoneornil (L, 2) ? 1 : check_line (L, 2, buffer, "buffer:lines", FALSE);
  int b = lua_isnoneornil (L, 3) ? n : check_line (L, 3, buffer, "buffer:lines", FALSE);

  lua_createtable (L, MAX (b - a + 1, 0), 0);
  for (int i = a; i <= b; i++)
    {
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_iter_at_line (buffer, &start, i - 1);
      end = start;
      if (!gtk_text_iter_ends_line (&end))
        gtk_text_iter_forward_to_line_end (&end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      lua_pushstring (L, text);
      lua_rawseti (L, -2, i - a + 1);
    }
  return 1;
}

/* buf:set_lines(a, b, lines): replace lines a..b (b = a - 1 inserts before a) */
static int
buf_set_lines (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_writable (L, "buffer:set_lines"));
  int n = gtk_text_buffer_get_line_count (buffer);
  int a = check_line (L, 2, buffer, "buffer:set_lines", TRUE);
  int b = (int) check_integer (L, 3, "buffer:set_lines");
  GString *text;
  GtkTextIter start, end;
  lua_Integer count;

  if (!lua_istable (L, 4))
    return method_arg_error (L, 4, "buffer:set_lines", "table expected, got %s", luaL_typename (L, 4));
  if (b < a - 1 || b > n)
    return method_arg_error (L, 3, "buffer:set_lines", "line %d out of range", b);
  text = g_string_new (NULL);   /* nothing below raises */
  count = luaL_len (L, 4);
  for (lua_Integer i = 1; i <= count; i++)
    {
      lua_rawgeti (L, 4, i);
      g_string_append (text, lua_tostring (L, -1) ? lua_tostring (L, -1) : "");
      lua_pop (L, 1);
      if (i < count || b < n)
        g_string_append_c (text, '\n');
    }
  if (a > n)
    {
      gtk_text_buffer_get_end_iter (buffer, &start);
      g_string_prepend_c (text, '\n');
      end = start;
    }
  else
    {
      gtk_text_buffer_get_iter_at_line (buffer, &start, a - 1);
      if (b >= n)
        gtk_text_buffer_get_end_iter (buffer, &end);
      else
        gtk_text_buffer_get_iter_at_line (buffer, &end, b);
    }
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, text->str, (int) text->len);
  gtk_text_buffer_end_user_action (buffer);
  g_string_free (text, TRUE);
  return 0;
}

static void
iter_at (lua_State     *L,
         GtkTextBuffer *buffer,
         GtkTextIter   *iter,
         int            line,
         int            col_arg,
         const char    *fname)
{
  lua_Integer col = check_integer (L, col_arg, fname);
  int len;

  switch (smelt_document_iter_at_position (SMELT_DOCUMENT (buffer), line, col, iter, &len))
    {
    case SMELT_POSITION_OK:
    case SMELT_POSITION_BAD_LINE:   /* check_line's */
      break;
    case SMELT_POSITION_BAD_COLUMN:
      method_arg_error (L, col_arg, fname, "column %d out of range (the line has %d bytes)", (int) col, len);
      break;
    case SMELT_POSITION_INSIDE_CHARACTER:
      method_arg_error (L, col_arg, fname, "column %d is inside a character", (int) col);
      break;
    }
}

/* the range (l1, c1, l2, c2) from arg on: 1-based lines, 1-based byte
 * columns, the end exclusive (the column after the last byte), as Neovim's
 * nvim_buf_get_text is with 1-based numbers */
static void
check_range (lua_State     *L,
             GtkTextBuffer *buffer,
             int            arg,
             GtkTextIter   *start,
             GtkTextIter   *end,
             const char    *fname)
{
  int l1 = check_line (L, arg, buffer, fname, FALSE);
  int l2;

  iter_at (L, buffer, start, l1, arg + 1, fname);
  l2 = check_line (L, arg + 2, buffer, fname, FALSE);
  iter_at (L, buffer, end, l2, arg + 3, fname);
  if (gtk_text_iter_compare (end, start) < 0)
    method_arg_error (L, arg + 2, fname, "the range ends (%d, %d) before it starts (%d, %d)", l2,
                      (int) lua_tointeger (L, arg + 3), l1, (int) lua_tointeger (L, arg + 1));
}

/* buf:get_text(l1, c1, l2, c2): the text of a range (end exclusive) */
static int
buf_get_text (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_buffer (L, "buffer:get_text"));
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  check_range (L, buffer, 2, &start, &end, "buffer:get_text");
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  lua_pushstring (L, text);
  return 1;
}

/**
 * smelt_lua_buffer_check_iter:
 * @L: a Lua state
 * @document: the buffer
 * @arg: the stack index of a line; its column is at @arg + 1
 * @iter: (out): that position
 * @fname: the function's name, for the error
 *
 * Raises "bad argument" (counting from a method's self) when the line or
 * column is out of range.
 */
void
smelt_lua_buffer_check_iter (lua_State     *L,
                             SmeltDocument *document,
                             int            arg,
                             GtkTextIter   *iter,
                             const char    *fname)
{
  int line = check_line (L, arg, GTK_TEXT_BUFFER (document), fname, FALSE);

  iter_at (L, GTK_TEXT_BUFFER (document), iter, line, arg + 1, fname);
}

/* buf:text() */
static int
buf_text (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_buffer (L, "buffer:text"));
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  lua_pushstring (L, text);
  return 1;
}

/* buf:set_text(s), buf:set_text(l1, c1, l2, c2, s) */
static int
buf_set_text (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_writable (L, "buffer:set_text"));
  gboolean ranged = lua_gettop (L) > 2;
  int text_arg = ranged ? 6 : 2;
  size_t len;
  const char *text;
  GtkTextIter start, end;

  if (ranged)
    check_range (L, buffer, 2, &start, &end, "buffer:set_text");
  text = check_string (L, text_arg, "buffer:set_text", &len);
  if (!g_utf8_validate (text, (gssize) len, NULL))
    return method_arg_error (L, text_arg, "buffer:set_text", "text must be UTF-8");
  /* not gtk_text_buffer_set_text(): that is irreversible and leaves the
   * buffer unmodified, as for a load; this is an edit, undone by Ctrl+Z */
  gtk_text_buffer_begin_user_action (buffer);
  if (!ranged)
    gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, text, (int) len);
  gtk_text_buffer_end_user_action (buffer);
  return 0;
}

/* buf:insert(line, col, text) */
static int
buf_insert (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_writable (L, "buffer:insert"));
  int line = check_line (L, 2, buffer, "buffer:insert", FALSE);
  const char *text = check_string (L, 4, "buffer:insert", NULL);
  GtkTextIter iter;

  iter_at (L, buffer, &iter, line, 3, "buffer:insert");
  gtk_text_buffer_insert (buffer, &iter, text, -1);
  return 0;
}

/* buf:cursor(): line, col */
static int
buf_cursor (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_buffer (L, "buffer:cursor"));
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  lua_pushinteger (L, gtk_text_iter_get_line (&iter) + 1);
  lua_pushinteger (L, gtk_text_iter_get_line_index (&iter) + 1);
  return 2;
}

/* buf:set_cursor(line, col) */
static int
buf_set_cursor (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_buffer (L, "buffer:set_cursor"));
  int line = check_line (L, 2, buffer, "buffer:set_cursor", FALSE);
  GtkTextIter iter;

  iter_at (L, buffer, &iter, line, 3, "buffer:set_cursor");
  gtk_text_buffer_place_cursor (buffer, &iter);
  smelt_document_reveal_cursor (SMELT_DOCUMENT (buffer));   /* a window scrolls to it */
  return 0;
}

/* pushes the line and column (1-based) of iter */
static void
push_position (lua_State         *L,
               const GtkTextIter *iter)
{
  lua_pushinteger (L, gtk_text_iter_get_line (iter) + 1);
  lua_pushinteger (L, gtk_text_iter_get_line_index (iter) + 1);
}

/* buf:selection(): l1, c1, l2, c2 (the end exclusive), or nil when nothing
 * is selected */
static int
buf_selection (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_buffer (L, "buffer:selection"));
  GtkTextIter start, end;

  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return 0;
  push_position (L, &start);
  push_position (L, &end);
  return 4;
}

/* buf:set_selection(l1, c1, l2, c2): selects the range; the cursor at its
 * end, shown */
static int
buf_set_selection (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_buffer (L, "buffer:set_selection"));
  GtkTextIter start, end;

  check_range (L, buffer, 2, &start, &end, "buffer:set_selection");
  gtk_text_buffer_select_range (buffer, &end, &start);
  smelt_document_reveal_cursor (SMELT_DOCUMENT (buffer));
  return 0;
}

/* buf:path(): the file's path, or nil */
static int
buf_path (lua_State *L)
{
  GFile *file = smelt_document_get_location (check_buffer (L, "buffer:path"));
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path == NULL)
    return 0;
  lua_pushstring (L, path);
  return 1;
}

/* buf:name(): what its tab calls it: the file's name, "untitled", a help
 * buffer's "tasks.txt [help]" */
static int
buf_name (lua_State *L)
{
  g_autofree char *name = smelt_document_dup_name (check_buffer (L, "buffer:name"));

  lua_pushstring (L, name);
  return 1;
}

/* buf:filetype(): the highlighting language's id ("lua", "c", "python"), or nil */
static int
buf_filetype (lua_State *L)
{
  GtkSourceLanguage *lang = gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (check_buffer (L, "buffer:filetype")));

  if (lang == NULL)
    return 0;
  lua_pushstring (L, gtk_source_language_get_id (lang));
  return 1;
}

/* buf:line_count(): how many lines (an empty buffer has one); O(1) */
static int
buf_line_count (lua_State *L)
{
  lua_pushinteger (L, gtk_text_buffer_get_line_count (text_buffer (check_buffer (L, "buffer:line_count"))));
  return 1;
}

/* buf:char_count(): how many characters (not bytes); O(1), so a plugin can
 * skip a huge buffer without copying its text out */
static int
buf_char_count (lua_State *L)
{
  lua_pushinteger (L, gtk_text_buffer_get_char_count (text_buffer (check_buffer (L, "buffer:char_count"))));
  return 1;
}

/* buf:valid(): whether the buffer is still open (never raises) */
static int
buf_valid (lua_State *L)
{
  SmeltDocument *document = open_document (L, 1);

  lua_pushboolean (L, document != NULL);
  g_clear_object (&document);
  return 1;
}

/* buf:modified() */
static int
buf_modified (lua_State *L)
{
  lua_pushboolean (L, gtk_text_buffer_get_modified (text_buffer (check_buffer (L, "buffer:modified"))));
  return 1;
}


/* buf:changedtick(): grows with every change of the text */
static int
buf_changedtick (lua_State *L)
{
  lua_pushinteger (L, smelt_document_get_n_edits (check_buffer (L, "buffer:changedtick")));
  return 1;
}

/* buf:undo(), buf:redo(): whether there was a step to undo or redo */
static int
buf_undo_redo (lua_State *L,
               gboolean   redo)
{
  const char *fname = redo ? "buffer:redo" : "buffer:undo";
  GtkTextBuffer *buffer = text_buffer (check_writable (L, fname));
  gboolean can = redo ? gtk_text_buffer_get_can_redo (buffer) : gtk_text_buffer_get_can_undo (buffer);

  if (can)
    {
      if (redo)
        gtk_text_buffer_redo (buffer);
      else
        gtk_text_buffer_undo (buffer);
    }
  lua_pushboolean (L, can);
  return 1;
}

static int
buf_undo (lua_State *L)
{
  return buf_undo_redo (L, FALSE);
}

static int
buf_redo (lua_State *L)
{
  return buf_undo_redo (L, TRUE);
}

/* buf:undo_group(fn): the edits fn makes are one undo step.  fn runs at
 * once and may not park: typing meanwhile would join the step. */
static int
buf_undo_group (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_writable (L, "buffer:undo_group"));
  int status;

  luaL_checktype (L, 2, LUA_TFUNCTION);
  lua_settop (L, 2);
  g_object_ref (buffer);   /* fn may close the buffer */
  gtk_text_buffer_begin_user_action (buffer);
  status = lua_pcall (L, 0, LUA_MULTRET, 0);
  gtk_text_buffer_end_user_action (buffer);
  g_object_unref (buffer);
  if (status != LUA_OK)
    return lua_error (L);
  return lua_gettop (L) - 1;
}

/* buf:loaded(): whether its text is in (false while the file is read) */
static int
buf_loaded (lua_State *L)
{
  lua_pushboolean (L, !smelt_document_get_loading (check_buffer (L, "buffer:loaded")));
  return 1;
}

/* The code a failed save or load gives Lua: "loading", "read-only",
 * "permission-denied", "no-space", ... */
static const char *
error_code (const GError *error)
{
  if (error->domain == SMELT_DOCUMENT_ERROR)
    return smelt_document_error_code (error);
  return smelt_bridge_error_code (error);
}

/* A buffer's load or save that a task waits on; the async callback owns it. */
typedef struct
{
  SmeltPendingOp *op;
  SmeltDocument  *document;
  char           *message;   /* a failure's: "FNAME: PATH: reason" */
  const char     *code;
} IoOp;

static void
io_op_free (IoOp *io)
{
  smelt_pending_op_unref (io->op);
  g_object_unref (io->document);
  g_free (io->message);
  g_free (io);
}

/* Raises (before anything is made) when the caller cannot park. */
static IoOp *
io_op_new (lua_State     *L,
           SmeltDocument *document,
           const char    *fname)
{
  SmeltPendingOp *op = smelt_pending_op_begin (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, fname);
  IoOp *io = g_new0 (IoOp, 1);
  GFile *file = smelt_document_get_location (document);

  op->path = file != NULL ? g_file_get_path (file) : NULL;   /* "buffer:save PATH" in the Tasks panel */
  io->op = smelt_pending_op_ref (op);   /* the callback's; parking drops the caller's */
  io->document = g_object_ref (document);
  return io;
}

static void
push_true (lua_State *L,
           gpointer   data)
{
  lua_pushboolean (L, TRUE);
}

/* a failed save: { message = ..., code = ... }, which buffer.lua returns
 * as nil, message, code */
static void
push_failure (lua_State *L,
              gpointer   data)
{
  IoOp *io = data;

  lua_createtable (L, 0, 2);
  lua_pushstring (L, io->message);
  lua_setfield (L, -2, "message");
  lua_pushstring (L, io->code);
  lua_setfield (L, -2, "code");
}

static void
push_document (lua_State *L,
               gpointer   document)
{
  smelt_lua_push_buffer (L, document);
}

static void
push_message (lua_State *L,
              gpointer   data)
{
  lua_pushstring (L, ((IoOp *) data)->message);
}

/* "fname: why", where why names the path (GIO's and the document's do) */
static char *
describe (IoOp         *io,
          const GError *error,
          gboolean      loading)
{
  g_autofree char *why = loading ? smelt_document_describe_load_error (io->document, error)
                                 : g_strdup (error->message);

  return g_strdup_printf ("%s: %s", io->op->fname, why);
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  IoOp *io = user_data;
  g_autoptr(GError) error = NULL;

  if (smelt_document_save_finish (SMELT_DOCUMENT (source), result, &error))
    smelt_pending_op_complete (io->op, push_true, NULL, FALSE);
  else
    {
      io->message = describe (io, error, FALSE);
      io->code = error_code (error);
      smelt_pending_op_complete (io->op, push_failure, io, FALSE);
    }
  io_op_free (io);
}

/* internal.buf_save(buf, force): parks until written: true, or
 * { message, code }; force writes over another program's change */
static int
l_buf_save (lua_State *L)
{
  SmeltDocument *document = check_writable (L, "buffer:save");
  SmeltDocumentSaveFlags flags = lua_toboolean (L, 2) ? SMELT_DOCUMENT_SAVE_FORCE : SMELT_DOCUMENT_SAVE_NONE;
  IoOp *io = io_op_new (L, document, "buffer:save");

  /* cancelling the task cancels the write: the temporary file goes and the
   * file keeps its old text */
  smelt_document_save_async (document, NULL, flags, io->op->cancellable, save_done, io);
  return smelt_pending_op_park (io->op, L);
}

static void
reload_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  IoOp *io = user_data;
  g_autoptr(GError) error = NULL;

  if (smelt_document_load_finish (SMELT_DOCUMENT (source), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    smelt_pending_op_complete (io->op, push_document, io->document, FALSE);
  else
    {
      io->message = describe (io, error, TRUE);
      smelt_pending_op_complete (io->op, push_message, io, TRUE);
    }
  io_op_free (io);
}

/* buf:reload(): reads the file again (parks until loaded) */
static int
buf_reload (lua_State *L)
{
  SmeltDocument *document = check_buffer (L, "buffer:reload");
  GFile *file = smelt_document_get_location (document);
  IoOp *io;

  if (file == NULL)
    return luaL_error (L, "buffer:reload: the buffer has no file");
  io = io_op_new (L, document, "buffer:reload");
  smelt_document_load_async (document, file, io->op->cancellable, reload_done, io);
  return smelt_pending_op_park (io->op, L);
}

static void
open_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  IoOp *io = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) document = smelt_workspace_open_finish (SMELT_WORKSPACE (source), result, &error);

  if (document != NULL)
    smelt_pending_op_complete (io->op, push_document, document, FALSE);
  else
    {
      /* "could not open PATH: why" (smelt_workspace_open_async) */
      io->message = g_strdup_printf ("%s: %s", io->op->fname, error->message);
      smelt_pending_op_complete (io->op, push_message, io, TRUE);
    }
  io_op_free (io);
}

/* the load of a buffer opened outside a task failed: say so, as the window
 * does for a file it cannot open */
static void
open_unwaited_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SmeltHost *host = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) document = smelt_workspace_open_finish (SMELT_WORKSPACE (source), result, &error);

  if (document == NULL && !g_error_matches (error, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_CLOSED))
    {
      g_autofree char *message = g_strdup_printf ("smelt.buf.open: %s", error->message);

      smelt_host_notify (host, SMELT_LEVEL_ERROR, message);
    }
  g_object_unref (host);
}

/* A copy of a buffer's text on its way to a file (a draft): the task's op
 * and the file.  The async callbacks own it. */
typedef struct
{
  SmeltPendingOp *op;
  char           *path;
} CopyOp;

static void
push_string (lua_State *L,
             gpointer   message)
{
  lua_pushstring (L, message);
}

static void
copy_op_finish (CopyOp       *copy,
                const GError *error)
{
  if (error == NULL)
    smelt_pending_op_complete (copy->op, push_true, NULL, FALSE);
  else
    {
      g_autofree char *message = g_strdup_printf ("%s: %s: %s", copy->op->fname, copy->path, error->message);

      smelt_pending_op_complete (copy->op, push_string, message, TRUE);   /* raised in the task */
    }
  smelt_pending_op_unref (copy->op);
  g_free (copy->path);
  g_free (copy);
}

static void
copy_written_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  smelt_file_write_finish (result, &error);
  copy_op_finish (user_data, error);
}

static void
copy_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CopyOp *copy = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = smelt_document_copy_text_finish (SMELT_DOCUMENT (source), result, NULL, &error);

  if (bytes == NULL)
    {
      copy_op_finish (copy, error);
      return;
    }
  smelt_file_write_async (copy->path, bytes, SMELT_FILE_WRITE_NONE, copy->op->cancellable, copy_written_cb, copy);
}

/* internal.buf_write_copy(buf, path, prefix): writes prefix and the text to
 * path (atomically), the buffer's own file and modified flag untouched;
 * parks until written, raises on failure.  The text is copied out a slice
 * per main-loop turn, then written in a worker thread: a draft of a 50 MB
 * buffer does not freeze the window. */
static int
l_buf_write_copy (lua_State *L)
{
  SmeltDocument *document = check_buffer (L, "buffer:write_copy");
  const char *path = luaL_checkstring (L, 2);
  const char *prefix = luaL_optstring (L, 3, NULL);
  SmeltPendingOp *op = smelt_pending_op_begin (smelt_host_get_scheduler (smelt_host_from_lua (L)), L,
                                               "buffer:write_copy");
  CopyOp *copy = g_new0 (CopyOp, 1);

  op->path = g_strdup (path);
  copy->op = smelt_pending_op_ref (op);
  copy->path = g_strdup (path);
  smelt_document_copy_text_async (document, prefix, op->cancellable, copy_text_cb, copy);
  return smelt_pending_op_park (op, L);
}

/* internal.buf_open(path[, encoding]): inside a task, parks until loaded;
 * outside one, returns the buffer at once (buf:loaded() says when it is
 * in).  In encoding when given ("ISO-8859-1"), else in the one detected; a
 * buffer of the file read in another encoding is read again in this one. */
static int
l_buf_open (lua_State *L)
{
  const char *path = luaL_checkstring (L, 1);
  const char *encoding_name = luaL_optstring (L, 2, NULL);
  const GtkSourceEncoding *encoding = encoding_name ? smelt_document_lookup_encoding (encoding_name) : NULL;
  SmeltHost *host = smelt_host_from_lua (L);
  SmeltWorkspace *workspace = smelt_lua_buffer_get_workspace (host);
  SmeltPendingOp *op;
  SmeltDocument *document;
  GFile *file;
  IoOp *io;

  /* nothing below is freed by a cleanup attribute: parking, like raising,
   * jumps out of this function */
  if (encoding_name != NULL && encoding == NULL)
    return luaL_error (L, "smelt.buf.open: %s: unknown encoding '%s'", path, encoding_name);
  document = NULL;
  if (encoding != NULL)
    {
      file = g_file_new_for_path (path);
      document = smelt_workspace_find (workspace, file);
      g_object_unref (file);
    }
  if (document != NULL && encoding != smelt_document_get_encoding (document))
    {
      /* open already, read in another encoding: read again in this one */
      if (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (document)))
        return luaL_error (L, "smelt.buf.open: %s has unsaved changes: save or discard them before "
                           "reading it as %s", path, gtk_source_encoding_get_charset (encoding));
      io = io_op_new (L, document, "smelt.buf.open");   /* raises when the caller cannot park */
      smelt_workspace_set_current (workspace, document);
      file = g_file_new_for_path (path);
      smelt_document_load_encoded_async (document, file, encoding, io->op->cancellable, reload_done, io);
      g_object_unref (file);
      return smelt_pending_op_park (io->op, L);
    }
  if (!lua_isyieldable (L))
    {
      file = g_file_new_for_path (path);
      document = smelt_workspace_open_encoded_async (workspace, file, encoding, NULL, NULL,
                                                     open_unwaited_done, g_object_ref (host));
      g_object_unref (file);
      smelt_lua_push_buffer (L, document);
      return 1;
    }
  /* the op first: it raises when the task cannot park, before anything opens */
  op = smelt_pending_op_begin (smelt_host_get_scheduler (host), L, "smelt.buf.open");
  file = g_file_new_for_path (path);
  io = g_new0 (IoOp, 1);
  io->op = smelt_pending_op_ref (op);
  op->path = g_file_get_path (file);
  /* a cancelled task stops waiting; the text still loads in full */
  document = smelt_workspace_open_encoded_async (workspace, file, encoding, NULL, NULL, open_done, io);
  g_object_unref (file);
  io->document = g_object_ref (document);
  return smelt_pending_op_park (io->op, L);
}

/* internal.buf_create(name, text, scratch): a buffer with no file */
static int
l_buf_create (lua_State *L)
{
  const char *name = luaL_optstring (L, 1, NULL);
  size_t len = 0;
  const char *text = luaL_optlstring (L, 2, NULL, &len);
  g_autoptr(SmeltDocument) document = NULL;
  GtkTextIter start;

  if (text != NULL && !g_utf8_validate (text, (gssize) len, NULL))
    return luaL_error (L, "bad argument #1 to 'smelt.buf.create' (text must be UTF-8)");
  document = smelt_document_new ();
  if (name != NULL)
    smelt_document_set_name (document, name);
  if (text != NULL)
    {
      /* the buffer starts with it: not an edit to undo, and not unsaved */
      gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (document));
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (document), text, (int) len);
      gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (document));
      gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (document), FALSE);
      gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (document), &start);
      gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (document), &start);   /* as after a load */
    }
  smelt_document_set_scratch (document, lua_toboolean (L, 3));
  smelt_workspace_add (workspace_of (L), document);
  smelt_lua_push_buffer (L, document);
  return 1;
}

/* smelt.buf.get(id): the open buffer with that id, or nil */
static int
l_buf_get (lua_State *L)
{
  int is_integer = 0;
  lua_Integer id = lua_type (L, 1) == LUA_TNUMBER ? lua_tointegerx (L, 1, &is_integer) : 0;
  SmeltDocument *document;

  if (!is_integer)
    return luaL_error (L, "bad argument #1 to 'smelt.buf.get' (buffer id expected, got %s)",
                       lua_type (L, 1) == LUA_TNUMBER ? "a fraction" : luaL_typename (L, 1));
  document = id > 0 && id <= G_MAXUINT ? smelt_workspace_lookup (workspace_of (L), (guint) id) : NULL;
  if (document == NULL)
    return 0;
  smelt_lua_push_buffer (L, document);
  return 1;
}

/* internal.buf_close(buf): closes the buffer at once (buffer.lua asks first) */
static int
l_buf_close (lua_State *L)
{
  smelt_workspace_close (workspace_of (L), check_buffer (L, "buffer:close"));
  return 0;
}

/* internal.buf_set_path(buf, path|nil): where the buffer is saved from now
 * on (Save As, and its undoing when the save failed) */
static int
l_buf_set_path (lua_State *L)
{
  SmeltDocument *document = check_buffer (L, "buffer:save");
  const char *path = luaL_optstring (L, 2, NULL);
  g_autoptr(GFile) file = path ? g_file_new_for_path (path) : NULL;

  smelt_document_set_location (document, file);
  return 0;
}

/* smelt.buf.current() */
static int
l_buf_current (lua_State *L)
{
  SmeltDocument *document = smelt_workspace_get_current (workspace_of (L));

  if (document == NULL)
    return 0;
  smelt_lua_push_buffer (L, document);
  return 1;
}

/* smelt.buf.set_current(buf): a window shows it */
static int
l_buf_set_current (lua_State *L)
{
  if (luaL_testudata (L, 1, BUFFER_MT) == NULL)
    return luaL_error (L, "bad argument #1 to 'smelt.buf.set_current' (buffer expected, got %s)", luaL_typename (L, 1));
  smelt_workspace_set_current (workspace_of (L), smelt_lua_check_document (L, 1, "smelt.buf.set_current"));
  return 0;
}

/* smelt.buf.list(): in the workspace's order (a window lists its tabs' own) */
static int
l_buf_list (lua_State *L)
{
  GListModel *documents = G_LIST_MODEL (workspace_of (L));
  guint n = g_list_model_get_n_items (documents);

  lua_createtable (L, (int) n, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SmeltDocument) document = g_list_model_get_item (documents, i);

      smelt_lua_push_buffer (L, document);
      lua_rawseti (L, -2, (lua_Integer) i + 1);
    }
  return 1;
}

/* internal.buf_set_modified(buf, modified): its file was deleted on disk,
 * so the buffer holds the only copy of the text */
static int
l_buf_set_modified (lua_State *L)
{
  gtk_text_buffer_set_modified (text_buffer (check_buffer (L, "smelt.buf.set_modified")), lua_toboolean (L, 2));
  return 0;
}

/* internal.buf_scratch(buf): whether it never asks to be saved */
static int
l_buf_scratch (lua_State *L)
{
  lua_pushboolean (L, smelt_document_get_scratch (check_buffer (L, "buffer:scratch")));
  return 1;
}

/* internal.realpath(path): the file path names, symlinks resolved; nil
 * when it does not exist (the watcher watches a symlinked file at its
 * target) */
static int
l_realpath (lua_State *L)
{
  g_autofree char *real = realpath (luaL_checkstring (L, 1), NULL);

  lua_pushstring (L, real);
  return 1;
}

static int
buf_gc (lua_State *L)
{
  BufferBox *box = luaL_checkudata (L, 1, BUFFER_MT);

  g_weak_ref_clear (&box->document);
  return 0;
}

/* buf.id, then the methods */
static int
buf_index (lua_State *L)
{
  const char *key = lua_tostring (L, 2);

  if (key != NULL && g_str_equal (key, "id"))
    {
      BufferBox *box = luaL_checkudata (L, 1, BUFFER_MT);

      lua_pushinteger (L, box->id);
      return 1;
    }
  lua_pushvalue (L, 2);
  lua_rawget (L, lua_upvalueindex (1));
  return 1;
}

static int
buf_tostring (lua_State *L)
{
  g_autoptr(SmeltDocument) document = open_document (L, 1);
  g_autofree char *name = document ? smelt_document_dup_name (document) : NULL;

  if (document == NULL)
    lua_pushliteral (L, "smelt.Buffer (closed)");
  else
    lua_pushfstring (L, "smelt.Buffer %d (%s)", (int) smelt_document_get_id (document), name);
  return 1;
}

/* internal.buf_changes_wanted(wanted): whether a buf-changed handler
 * listens (events.lua says so as handlers come and go) */
static int
l_buf_changes_wanted (lua_State *L)
{
  smelt_buffer_changes_set_wanted (smelt_host_from_lua (L), lua_toboolean (L, 1));
  return 0;
}

/* every document of the workspace reports its edits (buf-changed) */
static void
on_documents_changed (GListModel *documents,
                      guint       position,
                      guint       removed,
                      guint       added,
                      SmeltHost  *host)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SmeltDocument) document = g_list_model_get_item (documents, i);

      smelt_buffer_changes_watch (host, document);
    }
}

/* the workspace opened a new document: "buf-open" */
static void
on_document_opened (SmeltWorkspace *workspace,
                    SmeltDocument  *document,
                    SmeltHost      *host)
{
  smelt_lua_buffer_emit (host, "buf-open", document, NULL, 0, NULL, 0);
}

/**
 * smelt_lua_buffer_emit:
 * @host: the host
 * @event: the event's name ("buf-open", "cursor-moved", ...)
 * @document: (nullable): the buffer, as the event's `buf`
 * @key1: (nullable): an integer field of the event, or %NULL
 * @value1: its value
 * @key2: (nullable): a second integer field, or %NULL
 * @value2: its value
 *
 * smelt.emit(event, { buf = document, key1 = value1, key2 = value2 }).
 */
void
smelt_lua_buffer_emit (SmeltHost     *host,
                       const char    *event,
                       SmeltDocument *document,
                       const char    *key1,
                       int            value1,
                       const char    *key2,
                       int            value2)
{
  lua_State *L = smelt_host_get_lua (host);

  lua_getglobal (L, "smelt");
  if (!lua_istable (L, -1))
    {
      lua_pop (L, 1);
      return;   /* the runtime is gone (quitting) */
    }
  lua_getfield (L, -1, "emit");
  lua_remove (L, -2);
  lua_pushstring (L, event);
  lua_newtable (L);
  if (document != NULL)
    {
      smelt_lua_push_buffer (L, document);
      lua_setfield (L, -2, "buf");
    }
  if (key1 != NULL)
    {
      lua_pushinteger (L, value1);
      lua_setfield (L, -2, key1);
    }
  if (key2 != NULL)
    {
      lua_pushinteger (L, value2);
      lua_setfield (L, -2, key2);
    }
  smelt_host_call_plain (host, 2, event);
}

/* buf:edited_lines(): { {first, last}, ... }, 1-based and inclusive: the
 * lines edited since the buffer was loaded that no save has written */
static int
buf_edited_lines (lua_State *L)
{
  SmeltDocument *document = check_buffer (L, "buffer:edited_lines");
  g_autoptr(GArray) lines = smelt_edit_ranges_get_lines (smelt_document_get_edit_ranges (document));

  lua_createtable (L, (int) lines->len, 0);
  for (guint i = 0; i < lines->len; i++)
    {
      SmeltLineRange *range = &g_array_index (lines, SmeltLineRange, i);

      lua_createtable (L, 2, 0);
      lua_pushinteger (L, range->first + 1);
      lua_rawseti (L, -2, 1);
      lua_pushinteger (L, range->last + 1);
      lua_rawseti (L, -2, 2);
      lua_rawseti (L, -2, (lua_Integer) i + 1);
    }
  return 1;
}

/* A width field of opts (at 2): nil keeps current, false gives unset,
 * else an integer 1..32 */
static int
opt_width (lua_State  *L,
           const char *field,
           int         current,
           int         unset)
{
  int width = current;

  lua_getfield (L, 2, field);
  if (lua_type (L, -1) == LUA_TBOOLEAN && !lua_toboolean (L, -1))
    width = unset;
  else if (!lua_isnil (L, -1))
    {
      int is_integer = 0;
      lua_Integer value = lua_tointegerx (L, -1, &is_integer);

      if (!is_integer || value < 1 || value > 32)
        method_arg_error (L, 2, "buffer:set_indent", "%s must be an integer from 1 to 32", field);
      width = (int) value;
    }
  lua_pop (L, 1);
  return width;
}

/* buf:set_indent({ style = "tab"|"space"|"unset", size = n, tab_width = n }):
 * how the views indent this buffer; a field left out keeps its value, and
 * false forgets it (the user's settings again) */
static int
buf_set_indent (lua_State *L)
{
  SmeltDocument *document = check_buffer (L, "buffer:set_indent");
  SmeltIndentStyle style = smelt_document_get_indent_style (document);
  int size = smelt_document_get_indent_width (document);
  int tab_width = (int) smelt_document_get_tab_width (document);

  if (!lua_istable (L, 2))
    return method_arg_error (L, 2, "buffer:set_indent", "table expected, got %s", luaL_typename (L, 2));
  lua_getfield (L, 2, "style");
  if (lua_type (L, -1) == LUA_TSTRING)
    {
      const char *name = lua_tostring (L, -1);

      if (g_str_equal (name, "tab"))
        style = SMELT_INDENT_STYLE_TAB;
      else if (g_str_equal (name, "space"))
        style = SMELT_INDENT_STYLE_SPACE;
      else if (g_str_equal (name, "unset"))
        style = SMELT_INDENT_STYLE_UNSET;
      else
        return method_arg_error (L, 2, "buffer:set_indent", "style must be \"tab\", \"space\" or \"unset\", got \"%s\"", name);
    }
  else if (lua_type (L, -1) == LUA_TBOOLEAN && !lua_toboolean (L, -1))
    style = SMELT_INDENT_STYLE_UNSET;
  else if (!lua_isnil (L, -1))
    return method_arg_error (L, 2, "buffer:set_indent", "style must be a string, got %s", luaL_typename (L, -1));
  lua_pop (L, 1);
  size = opt_width (L, "size", size, -1);
  tab_width = opt_width (L, "tab_width", tab_width, 0);
  smelt_document_set_indent (document, style, size, (guint) tab_width);
  return 0;
}

/* buf:indent(): { style = "tab"|"space"|nil, size = n|nil, tab_width = n|nil }:
 * what set_indent set (nil: the user's settings; size nil: the tab width) */
static int
buf_indent (lua_State *L)
{
  SmeltDocument *document = check_buffer (L, "buffer:indent");
  SmeltIndentStyle style = smelt_document_get_indent_style (document);

  lua_createtable (L, 0, 3);
  if (style != SMELT_INDENT_STYLE_UNSET)
    {
      lua_pushstring (L, style == SMELT_INDENT_STYLE_TAB ? "tab" : "space");
      lua_setfield (L, -2, "style");
    }
  if (smelt_document_get_indent_width (document) > 0)
    {
      lua_pushinteger (L, smelt_document_get_indent_width (document));
      lua_setfield (L, -2, "size");
    }
  if (smelt_document_get_tab_width (document) > 0)
    {
      lua_pushinteger (L, smelt_document_get_tab_width (document));
      lua_setfield (L, -2, "tab_width");
    }
  return 1;
}

static const luaL_Reg buffer_functions[] = {
  { "buf_open", l_buf_open },
  { "buf_create", l_buf_create },
  { "buf_get", l_buf_get },
  { "buf_current", l_buf_current },
  { "buf_set_current", l_buf_set_current },
  { "buf_list", l_buf_list },
  { "buf_close", l_buf_close },
  { "buf_save", l_buf_save },
  { "buf_set_path", l_buf_set_path },
  { "buf_set_modified", l_buf_set_modified },
  { "buf_write_copy", l_buf_write_copy },
  { "buf_scratch", l_buf_scratch },
  { "buf_changes_wanted", l_buf_changes_wanted },
  { "realpath", l_realpath },
  { NULL, NULL },
};

static const luaL_Reg buffer_methods[] = {
  { "text", buf_text },
  { "get_text", buf_get_text },
  { "changedtick", buf_changedtick },
  { "undo", buf_undo },
  { "redo", buf_redo },
  { "undo_group", buf_undo_group },
  { "set_text", buf_set_text },
  { "lines", buf_lines },
  { "set_lines", buf_set_lines },
  { "insert", buf_insert },
  { "cursor", buf_cursor },
  { "set_cursor", buf_set_cursor },
  { "selection", buf_selection },
  { "set_selection", buf_set_selection },
  { "path", buf_path },
  { "name", buf_name },
  { "modified", buf_modified },
  { "filetype", buf_filetype },
  { "valid", buf_valid },
  { "loaded", buf_loaded },
  { "line_count", buf_line_count },
  { "char_count", buf_char_count },
  { "edited_lines", buf_edited_lines },
  { "set_indent", buf_set_indent },
  { "indent", buf_indent },
  { "reload", buf_reload },
  { NULL, NULL },
};

/**
 * smelt_lua_buffer_open:
 * @L: the host's Lua state
 * @internal_idx: the stack index of the `internal` table
 *
 * Builds the Buffer metatable (its methods also as internal.buffer_methods,
 * which lua/smelt/buffer.lua completes) and internal.buf_*, on the host's
 * workspace.
 */
void
smelt_lua_buffer_open (lua_State *L,
                       int        internal_idx)
{
  SmeltHost *host = smelt_host_from_lua (L);

  internal_idx = lua_absindex (L, internal_idx);
  luaL_newmetatable (L, BUFFER_MT);
  lua_pushcfunction (L, buf_gc);
  lua_setfield (L, -2, "__gc");
  lua_pushcfunction (L, buf_tostring);
  lua_setfield (L, -2, "__tostring");
  lua_pushliteral (L, "smelt.Buffer");
  lua_setfield (L, -2, "__name");
  luaL_newlib (L, buffer_methods);
  smelt_lua_marks_open (L, -1, internal_idx);
  smelt_lua_buffer_add_file_methods (L, lua_gettop (L));   /* smelt-lua-buffer-file.c */
  lua_pushvalue (L, -1);
  lua_setfield (L, internal_idx, "buffer_methods");
  lua_pushvalue (L, -1);
  lua_setfield (L, -3, "__methods");   /* for what lists them: __index is a function */
  lua_pushcclosure (L, buf_index, 1);
  lua_setfield (L, -2, "__index");
  lua_pop (L, 1);

  /* one userdata per document while Lua holds it */
  lua_newtable (L);
  lua_createtable (L, 0, 1);
  lua_pushliteral (L, "v");
  lua_setfield (L, -2, "__mode");
  lua_setmetatable (L, -2);
  lua_setfield (L, LUA_REGISTRYINDEX, BUFFERS_KEY);

  lua_pushvalue (L, internal_idx);
  luaL_setfuncs (L, buffer_functions, 0);
  lua_pop (L, 1);

  g_signal_connect_object (smelt_lua_buffer_get_workspace (host), "document-opened",
                           G_CALLBACK (on_document_opened), host, 0);
  g_signal_connect_object (smelt_lua_buffer_get_workspace (host), "items-changed",
                           G_CALLBACK (on_documents_changed), host, 0);
  {
    GListModel *documents = G_LIST_MODEL (smelt_lua_buffer_get_workspace (host));

    on_documents_changed (documents, 0, 0, g_list_model_get_n_items (documents), host);
  }
}
