/* smelt-ui-buffer.c: smelt.buf and the Buffer object: text, lines, cursor, open, save
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Buffer holds its editor page weakly: a closed buffer raises "the
 * buffer was closed" rather than touching freed memory.  Lines are 1-based
 * and columns are 1-based byte offsets, ranges inclusive, like Lua's own
 * string functions.  open, save and reload park the calling task until GIO
 * has finished.
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <stdlib.h>

#include <lauxlib.h>

#include "smelt-embed.h"
#include "smelt-ui-api.h"
#include "smelt-ui-private.h"

#define BUFFER_MT "smelt.Buffer"

typedef struct
{
  GWeakRef page;
} BufferBox;

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
 * smelt_ui_push_buffer:
 * @L: a Lua state
 * @page: the buffer
 *
 * Pushes a Buffer object for @page; it holds @page weakly.
 */
void
smelt_ui_push_buffer (lua_State       *L,
                      SmeltEditorPage *page)
{
  BufferBox *box = lua_newuserdatauv (L, sizeof *box, 0);

  g_weak_ref_init (&box->page, page);
  luaL_setmetatable (L, BUFFER_MT);
}

/* The page of the Buffer at idx, with a reference, if it is a Buffer whose
 * tab is still open (an operation may hold a closed page a while); else NULL */
static SmeltEditorPage *
open_page (lua_State *L,
           int        idx)
{
  BufferBox *box = luaL_testudata (L, idx, BUFFER_MT);
  SmeltEditorPage *page = box ? g_weak_ref_get (&box->page) : NULL;

  if (page != NULL && smelt_editor_page_is_closed (page))
    g_clear_object (&page);
  return page;
}

static SmeltEditorPage *
check_buffer (lua_State  *L,
              const char *fname)
{
  SmeltEditorPage *page;

  if (luaL_testudata (L, 1, BUFFER_MT) == NULL)
    luaL_error (L, "calling '%s' on bad self (buffer expected, got %s)", fname, luaL_typename (L, 1));
  page = open_page (L, 1);
  if (page == NULL)
    luaL_error (L, "%s: the buffer was closed", fname);
  g_object_unref (page);   /* the notebook keeps it alive while we use it */
  return page;
}

/* the buffer at 1, for the other files of the UI API (the test hooks) */
SmeltEditorPage *
smelt_ui_check_buffer (lua_State  *L,
                       const char *fname)
{
  return check_buffer (L, fname);
}

static GtkTextBuffer *
text_buffer (SmeltEditorPage *page)
{
  return GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (page));
}

/* The buffer at 1, for a method that changes it or writes it: a read-only
 * buffer (help) raises, as Neovim's 'modifiable' off does (E21). */
static SmeltEditorPage *
check_writable (lua_State  *L,
                const char *fname)
{
  SmeltEditorPage *page = check_buffer (L, fname);

  if (smelt_editor_page_get_read_only (page))
    luaL_error (L, "%s: the buffer is read-only", fname);
  return page;
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

/* buf:set_text(s) */
static int
buf_set_text (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_writable (L, "buffer:set_text"));
  size_t len;
  const char *text = check_string (L, 2, "buffer:set_text", &len);
  GtkTextIter start, end;

  if (!g_utf8_validate (text, (gssize) len, NULL))
    return method_arg_error (L, 2, "buffer:set_text", "text must be UTF-8");
  /* not gtk_text_buffer_set_text(): that is irreversible and leaves the
   * buffer unmodified, as for a load; this is an edit, undone by Ctrl+Z */
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, text, (int) len);
  gtk_text_buffer_end_user_action (buffer);
  return 0;
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

  gtk_text_buffer_get_iter_at_line (buffer, iter, line - 1);
  len = gtk_text_iter_get_bytes_in_line (iter);
  if (!gtk_text_iter_ends_line (iter) || len > 0)
    {
      GtkTextIter end = *iter;

      if (!gtk_text_iter_ends_line (&end))
        gtk_text_iter_forward_to_line_end (&end);
      len = gtk_text_iter_get_line_index (&end);
    }
  if (col < 1 || col > len + 1)
    method_arg_error (L, col_arg, fname, "column %d out of range (the line has %d bytes)", (int) col, len);
  gtk_text_iter_set_line_index (iter, (int) col - 1);
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
  return 0;
}

/* buf:path(): the file's path, or nil */
static int
buf_path (lua_State *L)
{
  GFile *file = smelt_editor_page_get_file (check_buffer (L, "buffer:path"));
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
  g_autofree char *name = smelt_editor_page_dup_name (check_buffer (L, "buffer:name"));

  lua_pushstring (L, name);
  return 1;
}

/* buf:filetype(): the highlighting language's id ("lua", "c", "python"), or nil */
static int
buf_filetype (lua_State *L)
{
  GtkSourceLanguage *lang = gtk_source_buffer_get_language (smelt_editor_page_get_buffer (check_buffer (L, "buffer:filetype")));

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
  SmeltEditorPage *page = open_page (L, 1);

  lua_pushboolean (L, page != NULL);
  g_clear_object (&page);
  return 1;
}

/* buf:modified() */
static int
buf_modified (lua_State *L)
{
  lua_pushboolean (L, gtk_text_buffer_get_modified (text_buffer (check_buffer (L, "buffer:modified"))));
  return 1;
}

/* A buffer's load or save that a task waits on: the op, and what to do
 * once loaded.  The async callback owns it. */
typedef struct
{
  SmeltPendingOp  *op;
  SmeltEditorPage *page;
  gboolean         emit_open;   /* a new buffer: emit "buf-open" once loaded */
} IoOp;

static void
push_true (lua_State *L,
           gpointer   data)
{
  lua_pushboolean (L, TRUE);
}

static void
push_page (lua_State *L,
           gpointer   page)
{
  smelt_ui_push_buffer (L, page);
}

static void
push_string (lua_State *L,
             gpointer   message)
{
  lua_pushstring (L, message);
}

static void
page_io_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data,
              gboolean      saving)
{
  IoOp *io = user_data;
  SmeltPendingOp *op = io->op;
  g_autoptr(GError) error = NULL;
  SmeltDocument *document = SMELT_DOCUMENT (source);
  SmeltEditorPage *page = io->page;
  gboolean ok = saving ? smelt_document_save_finish (document, result, &error)
                       : smelt_document_load_finish (document, result, &error);

  /* opening a file that does not exist yet gives an empty buffer for it */
  if (!saving && !ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    ok = TRUE;

  if (smelt_pending_op_is_live (op))
    {
      SmeltHost *host = smelt_host_from_lua (smelt_pending_op_lua (op));

      if (ok && saving)
        smelt_pending_op_complete (op, push_true, NULL, FALSE);
      else if (ok)
        {
          smelt_pending_op_complete (op, push_page, page, FALSE);
          if (io->emit_open)
            smelt_ui_api_emit (host, "buf-open", page, NULL, 0, NULL, 0);
        }
      else
        {
          g_autofree char *why = saving ? g_strdup (error->message)
                                        : smelt_document_describe_load_error (document, error);
          g_autofree char *message = g_strdup_printf ("%s: %s", op->fname, why);

          smelt_pending_op_complete (op, push_string, message, TRUE);
        }
    }
  /* a new buffer whose file could not be read (a directory, not text)
   * goes: nothing half-read is left to be saved over the file */
  if (!saving && !ok && io->emit_open && !smelt_editor_page_is_closed (page))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));

      if (SMELT_IS_WINDOW (root))
        smelt_window_close_page (SMELT_WINDOW (root), page);
    }
  smelt_pending_op_unref (op);
  g_object_unref (io->page);
  g_free (io);
}

static void
save_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  page_io_done (source, result, user_data, TRUE);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  page_io_done (source, result, user_data, FALSE);
}

/* Raises (before anything is made) when the caller cannot park. */
static IoOp *
io_op_new (lua_State       *L,
           SmeltEditorPage *page,
           const char      *fname)
{
  SmeltPendingOp *op = smelt_pending_op_begin (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, fname);
  IoOp *io = g_new0 (IoOp, 1);
  GFile *file = smelt_editor_page_get_file (page);

  op->path = file != NULL ? g_file_get_path (file) : NULL;   /* "buffer:save PATH" in the Tasks panel */
  io->op = smelt_pending_op_ref (op);   /* the callback's; parking drops the caller's */
  io->page = g_object_ref (page);
  return io;
}

/* buf:save(): parks until written; raises on failure */
static int
buf_save (lua_State *L)
{
  SmeltEditorPage *page = check_writable (L, "buffer:save");
  IoOp *io = io_op_new (L, page, "buffer:save");

  /* cancelling the task cancels the write: the saver's temporary file goes
   * and the file keeps its old text */
  smelt_document_save_async (smelt_editor_page_get_document (page), NULL, io->op->cancellable, save_done, io);
  return smelt_pending_op_park (io->op, L);
}

/* internal.buf_open(path): parks until loaded */
static int
l_buf_open (lua_State *L)
{
  const char *path = luaL_checkstring (L, 1);
  SmeltWindow *win;
  GFile *file;
  SmeltEditorPage *page;
  IoOp *io;

  /* refused outside a task even when the file is open already */
  smelt_scheduler_check_park (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, "smelt.buf.open");
  win = smelt_ui_current_window (L, "smelt.buf.open");
  file = g_file_new_for_path (path);
  page = smelt_window_find_page (win, file);
  if (page != NULL)
    {
      /* open already: that buffer, shown (as :e does in Neovim) */
      g_object_unref (file);
      smelt_window_show_page (win, page);
      smelt_ui_push_buffer (L, page);
      return 1;
    }
  page = smelt_window_new_page (win);
  io = io_op_new (L, page, "smelt.buf.open");
  io->emit_open = TRUE;
  /* A cancelled task stops waiting; the text still loads in full (the
   * loader stops only when the page closes): no half-read buffer. */
  smelt_document_load_async (smelt_editor_page_get_document (page), file, io->op->cancellable, load_done, io);
  g_object_unref (file);
  return smelt_pending_op_park (io->op, L);
}

/* internal.buf_close(buf): closes the buffer's tab at once (ui.lua asks first) */
static int
l_buf_close (lua_State *L)
{
  SmeltEditorPage *page = check_buffer (L, "buffer:close");
  SmeltWindow *win = SMELT_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)));

  if (win != NULL)
    smelt_window_close_page (win, page);
  return 0;
}

/* internal.buf_set_path(buf, path|nil): where the buffer is saved from now
 * on (Save As, and its undoing when the save failed) */
static int
l_buf_set_path (lua_State *L)
{
  SmeltEditorPage *page = check_buffer (L, "buffer:save");
  const char *path = luaL_optstring (L, 2, NULL);
  g_autoptr(GFile) file = path ? g_file_new_for_path (path) : NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));

  smelt_editor_page_set_file (page, file);
  if (SMELT_IS_WINDOW (root))
    smelt_window_update_tab_label (SMELT_WINDOW (root), page);
  return 0;
}

/* smelt.buf.current() */
static int
l_buf_current (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (smelt_ui_current_window (L, "smelt.buf.current"));

  if (page == NULL)
    return 0;
  smelt_ui_push_buffer (L, page);
  return 1;
}

/* internal.buf_set_current(buf): shows buf's tab */
static int
l_buf_set_current (lua_State *L)
{
  SmeltEditorPage *page;
  GtkRoot *root;

  if (luaL_testudata (L, 1, BUFFER_MT) == NULL)
    return luaL_error (L, "bad argument #1 to 'smelt.buf.set_current' (buffer expected, got %s)", luaL_typename (L, 1));
  page = check_buffer (L, "smelt.buf.set_current");
  root = gtk_widget_get_root (GTK_WIDGET (page));

  if (SMELT_IS_WINDOW (root))
    smelt_window_show_page (SMELT_WINDOW (root), page);
  return 0;
}

/* smelt.buf.list() */
static int
l_buf_list (lua_State *L)
{
  GList *pages = smelt_window_list_pages (smelt_ui_current_window (L, "smelt.buf.list"));
  int i = 0;

  lua_newtable (L);
  for (GList *l = pages; l != NULL; l = l->next)
    {
      smelt_ui_push_buffer (L, l->data);
      lua_rawseti (L, -2, ++i);
    }
  g_list_free (pages);
  return 1;
}

static int
buf_gc (lua_State *L)
{
  BufferBox *box = luaL_checkudata (L, 1, BUFFER_MT);

  g_weak_ref_clear (&box->page);
  return 0;
}

static int
buf_eq (lua_State *L)
{
  BufferBox *a = luaL_testudata (L, 1, BUFFER_MT);
  BufferBox *b = luaL_testudata (L, 2, BUFFER_MT);
  gpointer pa = a ? g_weak_ref_get (&a->page) : NULL;
  gpointer pb = b ? g_weak_ref_get (&b->page) : NULL;

  lua_pushboolean (L, pa != NULL && pa == pb);
  g_clear_object (&pa);
  g_clear_object (&pb);
  return 1;
}

/* buf:reload(): reads the file again (parks until loaded) */
static int
buf_reload (lua_State *L)
{
  SmeltEditorPage *page = check_buffer (L, "buffer:reload");
  GFile *file = smelt_editor_page_get_file (page);
  IoOp *io;

  if (file == NULL)
    return luaL_error (L, "buffer:reload: the buffer has no file");
  io = io_op_new (L, page, "buffer:reload");
  smelt_document_load_async (smelt_editor_page_get_document (page), file, io->op->cancellable, load_done, io);
  return smelt_pending_op_park (io->op, L);
}

/* The language language_id defined in dir/<id>.lang (the help files'
 * highlighting, which lives with them in the runtime), through a language
 * manager of dir's own: the default manager takes no new search path once
 * it has loaded its languages.  Its search path keeps the default one
 * after dir, for def.lang's styles.  The managers live as long as the
 * program (one per directory, and a runtime has one). */
static GtkSourceLanguage *
language_in (const char *dir,
             const char *language_id)
{
  static GHashTable *managers;   /* dir -> GtkSourceLanguageManager */
  GtkSourceLanguageManager *manager;

  if (managers == NULL)
    managers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  manager = g_hash_table_lookup (managers, dir);
  if (manager == NULL)
    {
      GtkSourceLanguageManager *defaults = gtk_source_language_manager_get_default ();
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) path = NULL;

      g_strv_builder_add (builder, dir);
      g_strv_builder_addv (builder, (const char **) gtk_source_language_manager_get_search_path (defaults));
      path = g_strv_builder_end (builder);
      manager = gtk_source_language_manager_new ();
      gtk_source_language_manager_set_search_path (manager, (const char * const *) path);
      g_hash_table_insert (managers, g_strdup (dir), manager);
    }
  return gtk_source_language_manager_get_language (manager, language_id);
}

/* A task waiting on the page's "changed on disk" bar; freed when the bar
 * is answered or withdrawn. */
typedef struct
{
  SmeltPendingOp  *op;
  SmeltEditorPage *page;
} ReloadAsk;

static void
push_reload_answer (lua_State *L,
                    gpointer   answer)
{
  int a = GPOINTER_TO_INT (answer);

  if (a < 0)
    lua_pushnil (L);
  else
    lua_pushboolean (L, a > 0);
}

static void
on_reload_answered (SmeltEditorPage *page,
                    int              answer,
                    ReloadAsk       *ask)
{
  g_signal_handlers_disconnect_by_func (page, on_reload_answered, ask);
  smelt_pending_op_complete (ask->op, push_reload_answer, GINT_TO_POINTER (answer), FALSE);
  ask->op->data = NULL;
  smelt_pending_op_unref (ask->op);
  g_object_unref (ask->page);
  g_free (ask);
}

/* the task waiting on the answer was cancelled: the question goes */
static void
on_reload_ask_cancelled (SmeltPendingOp *op)
{
  ReloadAsk *ask = op->data;

  if (ask != NULL)
    smelt_editor_page_withdraw_reload (ask->page);
}

/* internal.buf_ask_reload(buf, message): shows the question in a bar above
 * the buffer's text (the keyboard stays in the text) and parks until it is
 * answered: true (Reload), false (Keep my version), nil (withdrawn) */
static int
l_buf_ask_reload (lua_State *L)
{
  SmeltEditorPage *page = check_buffer (L, "smelt.buf.ask_reload");
  const char *message = luaL_checkstring (L, 2);
  SmeltPendingOp *op = smelt_pending_op_begin (smelt_host_get_scheduler (smelt_host_from_lua (L)), L,
                                               "smelt.buf.ask_reload");
  ReloadAsk *ask = g_new0 (ReloadAsk, 1);

  smelt_editor_page_ask_reload (page, message);   /* withdraws an older one first */
  ask->op = smelt_pending_op_ref (op);
  ask->page = g_object_ref (page);
  op->data = ask;
  op->on_cancel = on_reload_ask_cancelled;
  g_signal_connect (page, "reload-answered", G_CALLBACK (on_reload_answered), ask);
  return smelt_pending_op_park (op, L);
}

/* internal.buf_set_modified(buf, modified): its file was deleted on disk,
 * so the buffer holds the only copy of the text */
static int
l_buf_set_modified (lua_State *L)
{
  gtk_text_buffer_set_modified (text_buffer (check_buffer (L, "smelt.buf.set_modified")), lua_toboolean (L, 2));
  return 0;
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

/* internal.buf_withdraw_reload(buf): the file was read again another way */
static int
l_buf_withdraw_reload (lua_State *L)
{
  smelt_editor_page_withdraw_reload (check_buffer (L, "smelt.buf.withdraw_reload"));
  return 0;
}

/* internal.buf_open_read_only(name, text[, lang_dir, lang_id]): a new tab
 * titled name holding text, read-only and with no file (help), highlighted
 * as lang_id of lang_dir/lang_id.lang when given; shown, and returned */
static int
l_buf_open_read_only (lua_State *L)
{
  const char *name = luaL_checkstring (L, 1);
  size_t len;
  const char *text = luaL_checklstring (L, 2, &len);
  const char *lang_dir = luaL_optstring (L, 3, NULL);
  const char *lang_id = luaL_optstring (L, 4, NULL);
  SmeltWindow *win = smelt_ui_current_window (L, "smelt.help");
  SmeltEditorPage *page;

  if (!g_utf8_validate (text, (gssize) len, NULL))
    return luaL_error (L, "smelt.help: %s is not UTF-8", name);
  page = smelt_window_new_page (win);
  smelt_editor_page_set_read_only (page, text, name);
  if (lang_dir != NULL && lang_id != NULL)
    gtk_source_buffer_set_language (smelt_editor_page_get_buffer (page), language_in (lang_dir, lang_id));
  smelt_window_update_tab_label (win, page);
  smelt_ui_push_buffer (L, page);
  return 1;
}

/* The cursor's line at the top of view; TRUE once it is there (or as near
 * the end as the text allows). */
static gboolean
scroll_cursor_to_top (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter cursor, top;
  GdkRectangle visible;
  double value, upper, page;

  gtk_text_view_scroll_to_mark (view, gtk_text_buffer_get_insert (buffer), 0.0, TRUE, 0.0, 0.0);
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_line_at_y (view, &top, visible.y, NULL);
  value = gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view)));
  upper = gtk_adjustment_get_upper (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view)));
  page = gtk_adjustment_get_page_size (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view)));
  return gtk_text_iter_get_line (&top) == gtk_text_iter_get_line (&cursor) ||
         (page > 0 && value >= upper - page);
}

typedef struct
{
  guint frames_left;
} Scrolling;

/* A new view lays its text out over its first frames, estimating the
 * heights of lines it has not laid out yet: a scroll asked before then
 * stops short. It is asked again each frame until the line is at the top,
 * for at most a few frames (a user scrolling meanwhile wins). */
static gboolean
on_scroll_tick (GtkWidget     *view,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Scrolling *scrolling = user_data;

  if (scrolling->frames_left-- == 0 || scroll_cursor_to_top (GTK_TEXT_VIEW (view)))
    return G_SOURCE_REMOVE;
  return G_SOURCE_CONTINUE;
}

/* internal.buf_view_line(buf, line, col): the cursor there, and that line
 * scrolled to the top of the view (a help entry, read from its tag down).
 */
static int
l_buf_view_line (lua_State *L)
{
  SmeltEditorPage *page = check_buffer (L, "smelt.help");
  GtkTextBuffer *buffer = text_buffer (page);
  int line = check_line (L, 2, buffer, "smelt.help", FALSE);
  GtkSourceView *view = smelt_editor_page_get_view (page);
  GtkTextIter iter;

  iter_at (L, buffer, &iter, line, 3, "smelt.help");
  gtk_text_buffer_place_cursor (buffer, &iter);
  if (view != NULL && !scroll_cursor_to_top (GTK_TEXT_VIEW (view)))
    {
      Scrolling *scrolling = g_new0 (Scrolling, 1);

      scrolling->frames_left = 30;
      gtk_widget_add_tick_callback (GTK_WIDGET (view), on_scroll_tick, scrolling, g_free);
    }
  return 0;
}

static const luaL_Reg buffer_functions[] = {
  { "buf_open", l_buf_open },
  { "buf_current", l_buf_current },
  { "buf_set_current", l_buf_set_current },
  { "buf_list", l_buf_list },
  { "buf_close", l_buf_close },
  { "buf_set_path", l_buf_set_path },
  { "buf_open_read_only", l_buf_open_read_only },
  { "buf_ask_reload", l_buf_ask_reload },
  { "buf_withdraw_reload", l_buf_withdraw_reload },
  { "buf_set_modified", l_buf_set_modified },
  { "realpath", l_realpath },
  { "buf_view_line", l_buf_view_line },
  { NULL, NULL },
};

static const luaL_Reg buffer_methods[] = {
  { "text", buf_text },
  { "set_text", buf_set_text },
  { "lines", buf_lines },
  { "set_lines", buf_set_lines },
  { "insert", buf_insert },
  { "cursor", buf_cursor },
  { "set_cursor", buf_set_cursor },
  { "path", buf_path },
  { "name", buf_name },
  { "modified", buf_modified },
  { "filetype", buf_filetype },
  { "valid", buf_valid },
  { "line_count", buf_line_count },
  { "char_count", buf_char_count },
  { "save", buf_save },
  { "reload", buf_reload },
  { NULL, NULL },
};

/**
 * smelt_ui_open_buffers:
 * @L: the host's Lua state
 * @internal_idx: the stack index of the `internal` table
 *
 * Builds the Buffer metatable and internal.buf_open/current/list/close.
 */
void
smelt_ui_open_buffers (lua_State *L,
                       int        internal_idx)
{
  luaL_newmetatable (L, BUFFER_MT);
  lua_pushcfunction (L, buf_gc);
  lua_setfield (L, -2, "__gc");
  lua_pushcfunction (L, buf_eq);
  lua_setfield (L, -2, "__eq");
  luaL_newlib (L, buffer_methods);
  lua_pushvalue (L, -1);
  lua_setfield (L, internal_idx, "buffer_methods");   /* ui.lua wraps save */
  lua_setfield (L, -2, "__index");
  lua_pop (L, 1);

  lua_pushvalue (L, internal_idx);
  luaL_setfuncs (L, buffer_functions, 0);
  lua_pop (L, 1);
}
