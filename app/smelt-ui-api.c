/* smelt-ui-api.c: the UI tier of the Lua API: dialogs that park tasks, and buffers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each dialog parks the calling task on an external id; the dialog's GTK
 * callback resolves it.  If the task is cancelled (a timeout, a race, the
 * Tasks panel), the id is discarded and the dialog closes; if the dialog is
 * closed, the task gets nil (false for confirm).
 *
 * Buffers: 1-based lines and byte columns, inclusive ranges.
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <lauxlib.h>

#include <glib/gi18n.h>

#include "smelt-host-private.h"
#include "smelt-lua-private.h"
#include "smelt-ui-api.h"
#include "smelt-window.h"
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#define BUFFER_MT "smelt.Buffer"

static GtkApplication *the_app;

static SmeltWindow *
current_window (lua_State  *L,
                const char *fname)
{
  GtkWindow *win = the_app ? gtk_application_get_active_window (the_app) : NULL;

  if (win == NULL)
    {
      GList *windows = the_app ? gtk_application_get_windows (the_app) : NULL;

      win = windows ? windows->data : NULL;
    }
  if (win == NULL || !SMELT_IS_WINDOW (win))
    luaL_error (L, "%s: no editor window is open", fname);
  return SMELT_WINDOW (win);
}

/* ---------------------------------------------------------------- dialogs */

typedef enum { DIALOG_INPUT, DIALOG_CONFIRM, DIALOG_SELECT } DialogKind;

typedef struct
{
  SmeltScheduler *sched;
  guint64         id;
  DialogKind      kind;
  GtkWindow      *dialog;
  GtkEntry       *entry;
  gboolean        done;
} DialogOp;

/* kind-specific answer: input text (NULL = nil), confirm bool, select index (0 = nil) */
static void
dialog_answer (DialogOp   *op,
               const char *text,
               gboolean    yes,
               int         index)
{
  lua_State *L;

  if (op->done)
    return;
  op->done = TRUE;
  L = smelt_scheduler_get_lua (op->sched);
  switch (op->kind)
    {
    case DIALOG_INPUT:
      if (text != NULL)
        lua_pushstring (L, text);
      else
        lua_pushnil (L);
      break;
    case DIALOG_CONFIRM:
      lua_pushboolean (L, yes);
      break;
    case DIALOG_SELECT:
    default:
      if (index > 0)
        lua_pushinteger (L, index);
      else
        lua_pushnil (L);
      break;
    }
  smelt_scheduler_resolve (op->sched, L, op->id, FALSE);
  gtk_window_destroy (op->dialog);
}

/* The waiting task was cancelled: close the dialog, resolve nothing. */
static void
on_dialog_discarded (gpointer data,
                     guint64  id)
{
  DialogOp *op = data;

  if (op->done)
    return;
  op->done = TRUE;
  gtk_window_destroy (op->dialog);
}

static gboolean
on_close_request (GtkWindow *window,
                  DialogOp  *op)
{
  dialog_answer (op, NULL, FALSE, 0);
  return TRUE;
}

static void
on_ok_clicked (GtkButton *button,
               DialogOp  *op)
{
  if (op->kind == DIALOG_INPUT)
    {
      g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (op->entry)));

      dialog_answer (op, text, TRUE, 0);
    }
  else
    dialog_answer (op, NULL, TRUE, 0);
}

static void
on_cancel_clicked (GtkButton *button,
                   DialogOp  *op)
{
  dialog_answer (op, NULL, FALSE, 0);
}

static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  DialogOp      *op)
{
  dialog_answer (op, NULL, TRUE, gtk_list_box_row_get_index (row) + 1);
}

static gboolean
on_dialog_key (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               DialogOp              *op)
{
  if (keyval == GDK_KEY_Escape)
    {
      dialog_answer (op, NULL, FALSE, 0);
      return TRUE;
    }
  return FALSE;
}

static DialogOp *
dialog_new (lua_State   *L,
            SmeltWindow *parent,
            DialogKind   kind,
            const char  *title,
            GtkWidget  **content)
{
  SmeltHost *host = smelt_host_from_lua (L);
  DialogOp *op = g_new0 (DialogOp, 1);
  GtkEventController *keys = gtk_event_controller_key_new ();

  op->sched = smelt_host_get_scheduler (host);
  op->kind = kind;
  op->dialog = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (op->dialog, title);
  gtk_window_set_transient_for (op->dialog, GTK_WINDOW (parent));
  gtk_window_set_modal (op->dialog, TRUE);
  gtk_window_set_default_size (op->dialog, 360, -1);
  g_signal_connect (op->dialog, "close-request", G_CALLBACK (on_close_request), op);
  g_signal_connect_swapped (op->dialog, "destroy", G_CALLBACK (g_free), op);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_dialog_key), op);
  gtk_widget_add_controller (GTK_WIDGET (op->dialog), keys);

  *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (*content, 18);
  gtk_widget_set_margin_end (*content, 18);
  gtk_widget_set_margin_top (*content, 18);
  gtk_widget_set_margin_bottom (*content, 18);
  gtk_window_set_child (op->dialog, *content);
  return op;
}

static void
add_buttons (DialogOp   *op,
             GtkWidget  *content,
             const char *ok,
             const char *cancel)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *ok_button = gtk_button_new_with_label (ok);
  GtkWidget *cancel_button = gtk_button_new_with_label (cancel);

  gtk_widget_set_halign (row, GTK_ALIGN_END);
  gtk_widget_add_css_class (ok_button, "suggested-action");
  g_signal_connect (ok_button, "clicked", G_CALLBACK (on_ok_clicked), op);
  g_signal_connect (cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), op);
  gtk_box_append (GTK_BOX (row), cancel_button);
  gtk_box_append (GTK_BOX (row), ok_button);
  gtk_box_append (GTK_BOX (content), row);
  gtk_window_set_default_widget (op->dialog, ok_button);
  gtk_widget_grab_focus (ok_button);   /* Return answers OK; the input dialog focuses its entry after */
}

static int
park_on_dialog (lua_State  *L,
                DialogOp   *op,
                SmeltTask  *task,
                const char *fname)
{
  op->id = smelt_scheduler_alloc_id (op->sched);
  smelt_scheduler_set_discard (op->sched, op->id, on_dialog_discarded, op);
  gtk_window_present (op->dialog);
  return smelt_scheduler_park_external (op->sched, L, task, op->id, fname);
}

/* internal.ui_input(prompt, default) */
static int
l_ui_input (lua_State *L)
{
  const char *prompt = luaL_checkstring (L, 1);
  const char *initial = luaL_checkstring (L, 2);
  SmeltTask *task = smelt_scheduler_check_park (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, "smelt.ui.input");
  SmeltWindow *parent = current_window (L, "smelt.ui.input");
  GtkWidget *content, *label;
  DialogOp *op = dialog_new (L, parent, DIALOG_INPUT, prompt, &content);

  label = gtk_label_new (prompt);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  op->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_text (GTK_EDITABLE (op->entry), initial);
  gtk_entry_set_activates_default (op->entry, TRUE);
  gtk_box_append (GTK_BOX (content), label);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (op->entry));
  add_buttons (op, content, _("OK"), _("Cancel"));
  gtk_widget_grab_focus (GTK_WIDGET (op->entry));
  return park_on_dialog (L, op, task, "smelt.ui.input");
}

/* internal.ui_confirm(message, ok, cancel) */
static int
l_ui_confirm (lua_State *L)
{
  const char *message = luaL_checkstring (L, 1);
  const char *ok = luaL_checkstring (L, 2);
  const char *cancel = luaL_checkstring (L, 3);
  SmeltTask *task = smelt_scheduler_check_park (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, "smelt.ui.confirm");
  SmeltWindow *parent = current_window (L, "smelt.ui.confirm");
  GtkWidget *content, *label;
  DialogOp *op = dialog_new (L, parent, DIALOG_CONFIRM, _("Confirm"), &content);

  label = gtk_label_new (message);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (content), label);
  add_buttons (op, content, ok, cancel);
  return park_on_dialog (L, op, task, "smelt.ui.confirm");
}

/* internal.ui_select(prompt, labels) */
static int
l_ui_select (lua_State *L)
{
  const char *prompt = luaL_checkstring (L, 1);
  SmeltTask *task;
  SmeltWindow *parent;
  GtkWidget *content, *label, *list;
  DialogOp *op;
  lua_Integer n;

  luaL_checktype (L, 2, LUA_TTABLE);
  task = smelt_scheduler_check_park (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, "smelt.ui.select");
  parent = current_window (L, "smelt.ui.select");
  op = dialog_new (L, parent, DIALOG_SELECT, prompt, &content);
  label = gtk_label_new (prompt);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  list = gtk_list_box_new ();
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (list), FALSE);
  n = luaL_len (L, 2);
  for (lua_Integer i = 1; i <= n; i++)
    {
      GtkWidget *item;

      lua_rawgeti (L, 2, i);
      item = gtk_label_new (lua_tostring (L, -1));
      lua_pop (L, 1);
      gtk_label_set_xalign (GTK_LABEL (item), 0);
      gtk_list_box_append (GTK_LIST_BOX (list), item);
    }
  g_signal_connect (list, "row-activated", G_CALLBACK (on_row_activated), op);
  gtk_box_append (GTK_BOX (content), label);
  gtk_box_append (GTK_BOX (content), list);
  if (n > 0)
    {
      GtkListBoxRow *first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);

      gtk_list_box_select_row (GTK_LIST_BOX (list), first);
      gtk_widget_grab_focus (GTK_WIDGET (first));
    }
  return park_on_dialog (L, op, task, "smelt.ui.select");
}

/* ---------------------------------------------------------------- buffers */

typedef struct
{
  GWeakRef page;
} BufferBox;

static void
push_buffer (lua_State       *L,
             SmeltEditorPage *page)
{
  BufferBox *box = lua_newuserdatauv (L, sizeof *box, 0);

  g_weak_ref_init (&box->page, page);
  luaL_setmetatable (L, BUFFER_MT);
}

static SmeltEditorPage *
check_buffer (lua_State  *L,
              const char *fname)
{
  BufferBox *box = luaL_testudata (L, 1, BUFFER_MT);
  SmeltEditorPage *page;

  if (box == NULL)
    smelt_lua_arg_error (L, 1, fname, "buffer expected, got %s", luaL_typename (L, 1));
  page = g_weak_ref_get (&box->page);
  if (page == NULL)
    luaL_error (L, "%s: the buffer was closed", fname);
  g_object_unref (page);   /* the notebook keeps it alive while we use it */
  return page;
}

static GtkTextBuffer *
text_buffer (SmeltEditorPage *page)
{
  return GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (page));
}

static int
check_line (lua_State     *L,
            int            arg,
            GtkTextBuffer *buffer,
            const char    *fname,
            gboolean       allow_past_end)
{
  lua_Integer line = luaL_checkinteger (L, arg);
  int n = gtk_text_buffer_get_line_count (buffer);

  if (line < 1 || line > n + (allow_past_end ? 1 : 0))
    smelt_lua_arg_error (L, arg, fname, "line %d out of range (the buffer has %d lines)", (int) line, n);
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
  GtkTextBuffer *buffer = text_buffer (check_buffer (L, "buffer:set_text"));
  size_t len;
  const char *text = luaL_checklstring (L, 2, &len);

  if (!g_utf8_validate (text, (gssize) len, NULL))
    return smelt_lua_arg_error (L, 2, "buffer:set_text", "text must be UTF-8");
  gtk_text_buffer_set_text (buffer, text, (int) len);
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
  GtkTextBuffer *buffer = text_buffer (check_buffer (L, "buffer:set_lines"));
  int n = gtk_text_buffer_get_line_count (buffer);
  int a = check_line (L, 2, buffer, "buffer:set_lines", TRUE);
  int b = (int) luaL_checkinteger (L, 3);
  GString *text;
  GtkTextIter start, end;
  lua_Integer count;

  luaL_checktype (L, 4, LUA_TTABLE);
  if (b < a - 1 || b > n)
    return smelt_lua_arg_error (L, 3, "buffer:set_lines", "line %d out of range", b);
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
  lua_Integer col = luaL_checkinteger (L, col_arg);
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
    smelt_lua_arg_error (L, col_arg, fname, "column %d out of range (the line has %d bytes)", (int) col, len);
  gtk_text_iter_set_line_index (iter, (int) col - 1);
}

/* buf:insert(line, col, text) */
static int
buf_insert (lua_State *L)
{
  GtkTextBuffer *buffer = text_buffer (check_buffer (L, "buffer:insert"));
  int line = check_line (L, 2, buffer, "buffer:insert", FALSE);
  const char *text = luaL_checkstring (L, 4);
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

/* buf:modified() */
static int
buf_modified (lua_State *L)
{
  lua_pushboolean (L, gtk_text_buffer_get_modified (text_buffer (check_buffer (L, "buffer:modified"))));
  return 1;
}

typedef struct
{
  SmeltScheduler *sched;
  guint64         id;
  gboolean        discarded;
  gboolean        emit_open;   /* a new buffer: emit "buf-open" once loaded */
} IoOp;

static void
on_io_discarded (gpointer data,
                 guint64  id)
{
  ((IoOp *) data)->discarded = TRUE;
}

static void
page_io_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data,
              gboolean      saving)
{
  IoOp *op = user_data;
  g_autoptr(GError) error = NULL;
  SmeltEditorPage *page = SMELT_EDITOR_PAGE (source);
  gboolean ok = saving ? smelt_editor_page_save_finish (page, result, &error)
                       : smelt_editor_page_load_finish (page, result, &error);
  lua_State *L;

  /* opening a file that does not exist yet gives an empty buffer for it */
  if (!saving && !ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    ok = TRUE;

  if (!op->discarded)
    {
      L = smelt_scheduler_get_lua (op->sched);
      if (ok)
        {
          if (saving)
            lua_pushboolean (L, TRUE);
          else
            push_buffer (L, page);
          smelt_scheduler_resolve (op->sched, L, op->id, FALSE);
          if (!saving && op->emit_open)
            smelt_ui_api_emit (smelt_host_from_lua (L), "buf-open", page, NULL, 0, NULL, 0);
        }
      else
        {
          lua_pushfstring (L, "%s: %s", saving ? "buffer:save" : "smelt.buf.open", error->message);
          smelt_scheduler_resolve (op->sched, L, op->id, TRUE);
        }
    }
  g_free (op);
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

static IoOp *
io_op_new (lua_State *L)
{
  IoOp *op = g_new0 (IoOp, 1);

  op->sched = smelt_host_get_scheduler (smelt_host_from_lua (L));
  op->id = smelt_scheduler_alloc_id (op->sched);
  smelt_scheduler_set_discard (op->sched, op->id, on_io_discarded, op);
  return op;
}

/* buf:save(): parks until written; raises on failure */
static int
buf_save (lua_State *L)
{
  SmeltEditorPage *page = check_buffer (L, "buffer:save");
  SmeltTask *task = smelt_scheduler_check_park (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, "buffer:save");
  IoOp *op = io_op_new (L);

  smelt_editor_page_save_async (page, NULL, NULL, save_done, op);
  return smelt_scheduler_park_external (op->sched, L, task, op->id, "buffer:save");
}

/* internal.buf_open(path): parks until loaded */
static int
l_buf_open (lua_State *L)
{
  const char *path = luaL_checkstring (L, 1);
  SmeltTask *task = smelt_scheduler_check_park (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, "smelt.buf.open");
  SmeltWindow *win = current_window (L, "smelt.buf.open");
  SmeltEditorPage *page = smelt_window_new_page (win);
  GFile *file = g_file_new_for_path (path);
  IoOp *op = io_op_new (L);

  op->emit_open = TRUE;
  smelt_editor_page_load_async (page, file, NULL, load_done, op);
  g_object_unref (file);
  return smelt_scheduler_park_external (op->sched, L, task, op->id, "smelt.buf.open");
}

/* smelt.buf.current() */
static int
l_buf_current (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (current_window (L, "smelt.buf.current"));

  if (page == NULL)
    return 0;
  push_buffer (L, page);
  return 1;
}

/* smelt.buf.list() */
static int
l_buf_list (lua_State *L)
{
  GList *pages = smelt_window_list_pages (current_window (L, "smelt.buf.list"));
  int i = 0;

  lua_newtable (L);
  for (GList *l = pages; l != NULL; l = l->next)
    {
      push_buffer (L, l->data);
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

static int buf_reload (lua_State *L);

void smelt_ui_api_emit (SmeltHost *host, const char *event, SmeltEditorPage *page,
                        const char *key1, int value1, const char *key2, int value2);

static const luaL_Reg buffer_methods[] = {
  { "text", buf_text },
  { "set_text", buf_set_text },
  { "lines", buf_lines },
  { "set_lines", buf_set_lines },
  { "insert", buf_insert },
  { "cursor", buf_cursor },
  { "set_cursor", buf_set_cursor },
  { "path", buf_path },
  { "modified", buf_modified },
  { "save", buf_save },
  { "reload", buf_reload },
  { NULL, NULL },
};

/* internal.show_tasks_panel(): the GUI's Tasks command */
static int
l_show_tasks_panel (lua_State *L)
{
  smelt_window_show_tasks (current_window (L, "Tasks"));
  return 0;
}

/* internal.task_cancel_point(id): the X11 window and the point inside it
 * where the Cancel button of task id's row in the Tasks panel is, so a test
 * can click it with real pointer events; nil when the row is not shown. */
static int
l_task_cancel_point (lua_State *L)
{
  guint64 id = (guint64) luaL_checkinteger (L, 1);
  GtkWidget *button = smelt_window_get_task_cancel_button (current_window (L, "task_cancel_point"), id);
  GtkNative *native;
  graphene_point_t centre, in_native;
  double dx, dy;

  if (button == NULL || !gtk_widget_get_mapped (button))
    return 0;
  native = gtk_widget_get_native (button);
  centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (button) / 2.0, gtk_widget_get_height (button) / 2.0);
  if (!gtk_widget_compute_point (button, GTK_WIDGET (native), &centre, &in_native))
    return 0;
  gtk_native_get_surface_transform (native, &dx, &dy);
#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_SURFACE (gtk_native_get_surface (native)))
    {
      lua_pushinteger (L, (lua_Integer) gdk_x11_surface_get_xid (gtk_native_get_surface (native)));
      lua_pushinteger (L, (lua_Integer) (in_native.x + dx));
      lua_pushinteger (L, (lua_Integer) (in_native.y + dy));
      return 3;
    }
#endif
  return 0;
}

static const luaL_Reg internal_functions[] = {
  { "show_tasks_panel", l_show_tasks_panel },
  { "ui_input", l_ui_input },
  { "ui_confirm", l_ui_confirm },
  { "ui_select", l_ui_select },
  { "buf_open", l_buf_open },
  { "buf_current", l_buf_current },
  { "buf_list", l_buf_list },
  { NULL, NULL },
};

static void
open_ui (lua_State *L,
         int        internal_idx,
         gpointer   data)
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
  luaL_setfuncs (L, internal_functions, 0);
  lua_pop (L, 1);
}

/* ------------------------------------------------------- calls into Lua */

/* Pushes internal[name] on the main state, or returns FALSE. */
static gboolean
push_internal (SmeltHost  *host,
               const char *name)
{
  lua_State *L = smelt_host_get_lua (host);

  lua_getglobal (L, "smelt");
  if (!lua_istable (L, -1))
    {
      lua_pop (L, 1);
      return FALSE;
    }
  lua_pop (L, 1);
  lua_rawgeti (L, LUA_REGISTRYINDEX, smelt_host_get_internal_ref (host));
  lua_getfield (L, -1, name);
  lua_remove (L, -2);
  if (!lua_isfunction (L, -1))
    {
      lua_pop (L, 1);
      return FALSE;
    }
  return TRUE;
}

/* smelt.emit(event, { buf = page, ... extra integer fields }) */
void
smelt_ui_api_emit (SmeltHost       *host,
                   const char      *event,
                   SmeltEditorPage *page,
                   const char      *key1,
                   int              value1,
                   const char      *key2,
                   int              value2)
{
  lua_State *L = smelt_host_get_lua (host);

  lua_getglobal (L, "smelt");
  lua_getfield (L, -1, "emit");
  lua_remove (L, -2);
  lua_pushstring (L, event);
  lua_newtable (L);
  if (page != NULL)
    {
      push_buffer (L, page);
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

void
smelt_ui_api_save (SmeltHost       *host,
                   SmeltEditorPage *page,
                   gboolean         then_quit)
{
  lua_State *L = smelt_host_get_lua (host);

  if (!push_internal (host, "save_buffer"))
    return;
  push_buffer (L, page);
  lua_pushboolean (L, then_quit);
  smelt_host_call_plain (host, 2, "save");
}

void
smelt_ui_api_close_requested (SmeltHost *host)
{
  if (push_internal (host, "close_requested"))
    smelt_host_call_plain (host, 0, "close");
}

/* Returns "run", "pending" or "pass". */
const char *
smelt_ui_api_feed_key (SmeltHost  *host,
                       const char *token)
{
  lua_State *L = smelt_host_get_lua (host);
  const char *answer = "pass";
  int top = lua_gettop (L);

  if (!push_internal (host, "keymap_feed"))
    return answer;
  lua_pushstring (L, token);
  if (lua_pcall (L, 1, 1, 0) == LUA_OK && lua_isstring (L, -1))
    {
      const char *s = lua_tostring (L, -1);

      answer = g_str_equal (s, "run") ? "run" : g_str_equal (s, "pending") ? "pending" : "pass";
    }
  lua_settop (L, top);
  return answer;
}

/* Returns: (transfer full) (nullable): completions of a command line */
GStrv
smelt_ui_api_complete (SmeltHost  *host,
                       const char *line)
{
  lua_State *L = smelt_host_get_lua (host);
  int top = lua_gettop (L);
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv out;

  lua_getglobal (L, "smelt");
  if (lua_istable (L, -1))
    {
      lua_getfield (L, -1, "cmd");
      lua_getfield (L, -1, "complete");
      lua_pushstring (L, line);
      if (lua_pcall (L, 1, 1, 0) == LUA_OK && lua_istable (L, -1))
        {
          lua_Integer n = luaL_len (L, -1);

          for (lua_Integer i = 1; i <= n; i++)
            {
              lua_rawgeti (L, -1, i);
              if (lua_isstring (L, -1))
                g_strv_builder_add (builder, lua_tostring (L, -1));
              lua_pop (L, 1);
            }
        }
    }
  lua_settop (L, top);
  out = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return out;
}

/* buf:reload(): reads the file again (parks until loaded) */
static int
buf_reload (lua_State *L)
{
  SmeltEditorPage *page = check_buffer (L, "buffer:reload");
  SmeltTask *task = smelt_scheduler_check_park (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, "buffer:reload");
  GFile *file = smelt_editor_page_get_file (page);
  IoOp *op;

  if (file == NULL)
    return luaL_error (L, "buffer:reload: the buffer has no file");
  op = io_op_new (L);
  smelt_editor_page_load_async (page, file, NULL, load_done, op);
  return smelt_scheduler_park_external (op->sched, L, task, op->id, "buffer:reload");
}

/* Returns: (transfer full) (nullable): the plugin's statusline, or NULL */
char *
smelt_ui_api_render_statusline (SmeltHost       *host,
                                SmeltEditorPage *page)
{
  lua_State *L = smelt_host_get_lua (host);
  int top = lua_gettop (L);
  char *out = NULL;

  if (!push_internal (host, "render_statusline"))
    return NULL;
  push_buffer (L, page);
  if (lua_pcall (L, 1, 1, 0) == LUA_OK && lua_isstring (L, -1))
    out = g_strdup (lua_tostring (L, -1));
  lua_settop (L, top);
  return out;
}

void
smelt_ui_api_install (SmeltHost      *host,
                      GtkApplication *app)
{
  the_app = app;
  smelt_host_set_ui_opener (host, open_ui, NULL);
}

/* The key <leader> stands for in key maps (GSettings "leader"). */
void
smelt_ui_api_set_leader (SmeltHost  *host,
                         const char *leader)
{
  lua_State *L = smelt_host_get_lua (host);

  lua_rawgeti (L, LUA_REGISTRYINDEX, smelt_host_get_internal_ref (host));
  lua_pushstring (L, leader);
  lua_setfield (L, -2, "leader");
  lua_pop (L, 1);
}

/**
 * smelt_ui_api_install_test_hooks:
 * @host: the GUI's host
 *
 * For `--test-script` only: a global table `smelt_test` with what a GUI test
 * needs beyond the public API, `task_cancel_point(id)` (the X11 window id
 * and the point in it of the Tasks panel's Cancel button for task id, or
 * nil), so the test can click it with real pointer events.
 */
void
smelt_ui_api_install_test_hooks (SmeltHost *host)
{
  lua_State *L;

  g_return_if_fail (SMELT_IS_HOST (host));

  L = smelt_host_get_lua (host);
  lua_newtable (L);
  lua_pushcfunction (L, l_task_cancel_point);
  lua_setfield (L, -2, "task_cancel_point");
  lua_setglobal (L, "smelt_test");
}
