/* smelt-ui-buffer.c: what buffers do only in the window: the changed-on-disk bar, help pages, scrolling
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Buffer object itself is a document and works without a window
 * (smelt-lua-buffer.c); this file adds the internal.* calls that need the
 * buffer's page.
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <lauxlib.h>

#include "smelt-embed.h"
#include "smelt-lua-buffer.h"
#include "smelt-ui-api.h"
#include "smelt-ui-private.h"

/**
 * smelt_ui_push_buffer:
 * @L: a Lua state
 * @page: the buffer's page
 *
 * Pushes the Buffer object of @page's document.
 */
void
smelt_ui_push_buffer (lua_State       *L,
                      SmeltEditorPage *page)
{
  smelt_lua_push_buffer (L, smelt_editor_page_get_document (page));
}

/* the buffer at 1's page, for the other files of the UI API (the test
 * hooks); raises when the window shows no page of it */
SmeltEditorPage *
smelt_ui_check_buffer (lua_State  *L,
                       const char *fname)
{
  SmeltDocument *document = smelt_lua_check_document (L, 1, fname);
  SmeltEditorPage *page = smelt_window_get_page (smelt_ui_current_window (L, fname), document);

  if (page == NULL)
    luaL_error (L, "%s: the window shows no page of this buffer", fname);
  return page;
}

static SmeltEditorPage *
check_buffer (lua_State  *L,
              const char *fname)
{
  return smelt_ui_check_buffer (L, fname);
}

static GtkTextBuffer *
text_buffer (SmeltEditorPage *page)
{
  return GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (page));
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
  GtkSourceView *view = smelt_editor_page_get_view (page);
  GtkTextIter iter;

  smelt_lua_buffer_check_iter (L, smelt_editor_page_get_document (page), 2, &iter, "smelt.help");
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
  { "buf_open_read_only", l_buf_open_read_only },
  { "buf_ask_reload", l_buf_ask_reload },
  { "buf_withdraw_reload", l_buf_withdraw_reload },
  { "buf_view_line", l_buf_view_line },
  { NULL, NULL },
};

/**
 * smelt_ui_open_buffers:
 * @L: the host's Lua state
 * @internal_idx: the stack index of the `internal` table
 *
 * Builds the Buffer object and internal.buf_* (smelt-lua-buffer.c), and the
 * window's own internal.buf_* calls.
 */
void
smelt_ui_open_buffers (lua_State *L,
                       int        internal_idx)
{
  internal_idx = lua_absindex (L, internal_idx);
  smelt_lua_buffer_open (L, internal_idx);
  lua_pushvalue (L, internal_idx);
  luaL_setfuncs (L, buffer_functions, 0);
  lua_pop (L, 1);
}
