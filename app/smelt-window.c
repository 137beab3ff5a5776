/* smelt-window.c: the main window: buffers in tabs, the statusline and message area, the Tasks panel and search bar (keys: smelt-window-command-line.c; actions: smelt-window-actions.c)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smelt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "smelt-embed.h"
#include "smelt-key-typeahead.h"
#include "smelt-lua-buffer.h"
#include "smelt-search-bar.h"
#include "smelt-tasks-panel.h"
#include "smelt-ui-api.h"
#include "smelt-window-private.h"

G_DEFINE_FINAL_TYPE (SmeltWindow, smelt_window, GTK_TYPE_APPLICATION_WINDOW)

/* The window's title names the buffer shown, as GNOME Text Editor's does:
 * "• notes.txt — smelt" (set only when it changes: this runs per idle). */
static void
update_title (SmeltWindow     *self,
              SmeltEditorPage *page)
{
  g_autofree char *name = page ? smelt_editor_page_dup_title (page) : NULL;
  /* TRANSLATORS: the window's title: a buffer's name, then the program's */
  g_autofree char *title = name ? g_strdup_printf (_("%s — smelt"), name) : g_strdup ("smelt");

  if (g_strcmp0 (gtk_window_get_title (GTK_WINDOW (self)), title) != 0)
    gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
update_statusline (SmeltWindow *self)
{
  SmeltEditorPage *page = smelt_window_get_current_page (self);
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *items = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  if (self->statusline == NULL)
    return;   /* being disposed */
  update_title (self, page);
  if (page == NULL || smelt_editor_page_is_closed (page))
    {
      gtk_label_set_text (self->statusline, "");   /* a closed page on its way out */
      return;
    }
  buffer = GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (page));
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  text = smelt_ui_api_render_statusline (self->host, page, &items);
  if (text == NULL)
    {
      title = smelt_editor_page_dup_title (page);
      /* TRANSLATORS: the statusline: the buffer's name, its cursor's line and column */
      text = g_strdup_printf (_("%s    Ln %d, Col %d"), title,
                              gtk_text_iter_get_line (&iter) + 1,
                              gtk_text_iter_get_line_offset (&iter) + 1);
    }
  if (items != NULL)
    {
      char *both = g_strconcat (text, "    ", items, NULL);

      g_free (text);
      text = both;
    }
  gtk_label_set_text (self->statusline, text);
}

static gboolean
statusline_idle_cb (gpointer data)
{
  SmeltWindow *self = data;

  self->statusline_id = 0;
  update_statusline (self);
  return G_SOURCE_REMOVE;
}

/**
 * smelt_window_queue_statusline:
 * @self: a #SmeltWindow
 *
 * Renders the statusline again soon (in an idle, once however often it is
 * asked: a load inserting thousands of chunks renders it, maybe through a
 * plugin, once, not once per chunk).
 */
void
smelt_window_queue_statusline (SmeltWindow *self)
{
  g_return_if_fail (SMELT_IS_WINDOW (self));

  if (self->statusline_id == 0 && self->statusline != NULL)
    /* above GtkTextView's layout (GDK_PRIORITY_REDRAW + 5), below drawing:
     * at G_PRIORITY_LOW the statusline froze while a 50 MB file laid out */
    self->statusline_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, statusline_idle_cb, self, NULL);
}

/**
 * smelt_window_update_tab_label:
 * @self: a #SmeltWindow
 * @page: one of its pages
 *
 * Shows @page's title (its file's name, "• " when modified) in its tab,
 * the statusline and the window's title: after its file changed.
 */
void
smelt_window_update_tab_label (SmeltWindow     *self,
                               SmeltEditorPage *page)
{
  g_autofree char *title = NULL;
  GtkLabel *label = g_object_get_data (G_OBJECT (page), "smelt-tab-label");

  if (self->notebook == NULL || label == NULL ||
      gtk_notebook_page_num (self->notebook, GTK_WIDGET (page)) < 0)
    return;   /* the window, or the page's tab, is gone */
  title = smelt_editor_page_dup_title (page);
  gtk_label_set_text (label, title);
  update_statusline (self);
}

static void
on_tab_close_clicked (GtkButton       *button,
                      SmeltEditorPage *page)
{
  SmeltWindow *self = SMELT_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)));

  if (self != NULL && self->host != NULL)
    smelt_ui_api_close_buffer (self->host, page, FALSE);
}

/* The tab: the buffer's title and a close button (which asks first when
 * the buffer has unsaved changes). */
static GtkWidget *
new_tab_label (SmeltEditorPage *page)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *label = gtk_label_new ("");
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_widget_add_css_class (close, "flat");
  gtk_widget_add_css_class (close, "tab-close");
  gtk_widget_set_focus_on_click (close, FALSE);
  gtk_widget_set_tooltip_text (close, _("Close the buffer (Ctrl+W)"));
  g_signal_connect_object (close, "clicked", G_CALLBACK (on_tab_close_clicked), page, 0);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), close);
  g_object_set_data (G_OBJECT (page), "smelt-tab-label", label);
  return box;
}

static gboolean
emit_text_changed_cb (gpointer data)
{
  SmeltWindow *self = data;
  g_autoptr(GHashTable) changed = g_steal_pointer (&self->changed_pages);
  GHashTableIter iter;
  gpointer page;

  self->text_changed_id = 0;
  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &page, NULL))
    if (!smelt_editor_page_is_closed (page))
      smelt_ui_api_emit (self->host, "text-changed", page, NULL, 0, NULL, 0);
  return G_SOURCE_REMOVE;
}

#define TEXT_CHANGED_QUIET_MS 300    /* the event waits for this long a pause */
#define TEXT_CHANGED_LATEST_MS 1000  /* but comes no later than this after the first change */

/* Debounced: TEXT_CHANGED_QUIET_MS after the last change, one event for each
 * buffer that changed (the one edited, not the one shown: a plugin may edit
 * another). Edits that never pause (a plugin appending a log line every
 * 100 ms) do not hold it back past TEXT_CHANGED_LATEST_MS. */
static void
on_buffer_changed (GtkTextBuffer   *buffer,
                   SmeltEditorPage *page)
{
  SmeltWindow *self = SMELT_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)));

  if (self == NULL || self->notebook == NULL)
    return;   /* the page's tab, or the window, is gone */
  smelt_window_queue_statusline (self);
  if (self->changed_pages == NULL)
    {
      self->changed_pages = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
      self->first_change_us = g_get_monotonic_time ();
    }
  if (!g_hash_table_contains (self->changed_pages, page))
    g_hash_table_add (self->changed_pages, g_object_ref (page));
  if (self->text_changed_id != 0 &&
      g_get_monotonic_time () - self->first_change_us >= (TEXT_CHANGED_LATEST_MS - TEXT_CHANGED_QUIET_MS) * 1000)
    return;   /* the timer set now would fire too late: the one set fires */
  g_clear_handle_id (&self->text_changed_id, g_source_remove);
  self->text_changed_id = g_timeout_add (TEXT_CHANGED_QUIET_MS, emit_text_changed_cb, self);
}

static void
on_mark_set (GtkTextBuffer     *buffer,
             const GtkTextIter *iter,
             GtkTextMark       *mark,
             SmeltEditorPage   *page)
{
  SmeltWindow *self = SMELT_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)));

  if (self == NULL || mark != gtk_text_buffer_get_insert (buffer))
    return;
  smelt_window_queue_statusline (self);
  if (self->host != NULL)
    smelt_ui_api_emit (self->host, "cursor-moved", page,
                       "line", gtk_text_iter_get_line (iter) + 1,
                       "col", gtk_text_iter_get_line_index (iter) + 1);
}

static void
on_modified_changed (GtkTextBuffer   *buffer,
                     SmeltEditorPage *page)
{
  SmeltWindow *self = SMELT_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)));

  if (self != NULL)
    smelt_window_update_tab_label (self, page);
}

/* a page for a document new in the workspace */
static SmeltEditorPage *
add_page (SmeltWindow   *self,
          SmeltDocument *document)
{
  SmeltEditorPage *page = smelt_editor_page_new (document);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (document);

  smelt_editor_page_set_providers (page, GTK_SOURCE_COMPLETION_PROVIDER (self->completion),
                                   GTK_SOURCE_HOVER_PROVIDER (self->hover));

  g_hash_table_insert (self->pages, g_object_ref (document), g_object_ref (page));
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_buffer_changed), page, 0);
  g_signal_connect_object (buffer, "mark-set", G_CALLBACK (on_mark_set), page, 0);
  g_signal_connect_object (buffer, "modified-changed", G_CALLBACK (on_modified_changed), page, 0);
  gtk_notebook_append_page (self->notebook, GTK_WIDGET (page), new_tab_label (page));
  gtk_notebook_set_tab_reorderable (self->notebook, GTK_WIDGET (page), TRUE);
  smelt_window_update_tab_label (self, page);
  return page;
}

/* the document's page goes with it */
static void
remove_page (SmeltWindow   *self,
             SmeltDocument *document)
{
  SmeltEditorPage *page = g_hash_table_lookup (self->pages, document);
  int n;

  if (page == NULL)
    return;
  smelt_editor_page_close (page);
  n = gtk_notebook_page_num (self->notebook, GTK_WIDGET (page));
  if (n >= 0)
    gtk_notebook_remove_page (self->notebook, n);
  g_hash_table_remove (self->pages, document);
}

/* The workspace changed: a page for each new document, none for one that
 * went.  The window always keeps one buffer: closing the last one leaves an
 * empty, untitled one. */
static void
on_documents_changed (GListModel  *documents,
                      guint        position,
                      guint        removed,
                      guint        added,
                      SmeltWindow *self)
{
  SmeltDocument *current;

  if (self->notebook == NULL)
    return;   /* being disposed */
  if (removed > 0)
    {
      g_autoptr(GList) shown = g_hash_table_get_keys (self->pages);

      for (GList *l = shown; l != NULL; l = l->next)
        if (smelt_workspace_index_of (self->workspace, l->data) < 0)
          remove_page (self, l->data);
    }
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SmeltDocument) document = g_list_model_get_item (documents, i);

      if (!g_hash_table_contains (self->pages, document))
        add_page (self, document);
    }
  if (g_list_model_get_n_items (documents) == 0)
    {
      g_autoptr(SmeltDocument) untitled = smelt_document_new ();

      smelt_workspace_add (self->workspace, untitled);   /* back here, with one added */
      return;
    }
  current = smelt_workspace_get_current (self->workspace);
  if (current != NULL && g_hash_table_contains (self->pages, current))
    smelt_window_show_page (self, g_hash_table_lookup (self->pages, current));
}

/* the current document changed (a plugin's smelt.buf.set_current, an open):
 * its page is shown */
static void
on_current_changed (SmeltWorkspace *workspace,
                    GParamSpec     *pspec,
                    SmeltWindow    *self)
{
  SmeltDocument *current = smelt_workspace_get_current (workspace);
  SmeltEditorPage *page = current ? g_hash_table_lookup (self->pages, current) : NULL;

  if (page != NULL)
    smelt_window_show_page (self, page);
}

/**
 * smelt_window_new_page:
 * @self: a #SmeltWindow
 *
 * Adds an empty, untitled document to the workspace: its page is shown,
 * and takes the keyboard, as in GNOME Text Editor (at startup it was not in
 * the text, and what was typed went nowhere).
 *
 * Returns: (transfer none): the new page
 */
SmeltEditorPage *
smelt_window_new_page (SmeltWindow *self)
{
  g_autoptr(SmeltDocument) document = smelt_document_new ();

  smelt_workspace_add (self->workspace, document);
  return g_hash_table_lookup (self->pages, document);
}

/**
 * smelt_window_get_page:
 * @self: a #SmeltWindow
 * @document: a document of its workspace
 *
 * Returns: (transfer none) (nullable): @document's page
 */
SmeltEditorPage *
smelt_window_get_page (SmeltWindow   *self,
                       SmeltDocument *document)
{
  g_return_val_if_fail (SMELT_IS_WINDOW (self), NULL);

  return self->pages != NULL ? g_hash_table_lookup (self->pages, document) : NULL;
}

/**
 * smelt_window_close_page:
 * @self: a #SmeltWindow
 * @page: one of its pages
 *
 * Closes @page's document at once, unsaved changes and all (the callers
 * ask first); its page goes with it.
 */
void
smelt_window_close_page (SmeltWindow     *self,
                         SmeltEditorPage *page)
{
  g_return_if_fail (SMELT_IS_WINDOW (self));

  if (self->workspace != NULL)
    smelt_workspace_close (self->workspace, smelt_editor_page_get_document (page));
}

/**
 * smelt_window_get_current_page:
 * @self: a #SmeltWindow
 *
 * Returns: (transfer none) (nullable): the buffer shown
 */
SmeltEditorPage *
smelt_window_get_current_page (SmeltWindow *self)
{
  int n;

  if (self->notebook == NULL)
    return NULL;
  n = gtk_notebook_get_current_page (self->notebook);

  if (n < 0)
    return NULL;
  return SMELT_EDITOR_PAGE (gtk_notebook_get_nth_page (self->notebook, n));
}

/**
 * smelt_window_list_pages:
 * @self: a #SmeltWindow
 *
 * Returns: (transfer container) (element-type SmeltEditorPage): the buffers,
 *   in tab order
 */
GList *
smelt_window_list_pages (SmeltWindow *self)
{
  GList *pages = NULL;

  for (int i = gtk_notebook_get_n_pages (self->notebook) - 1; i >= 0; i--)
    pages = g_list_prepend (pages, gtk_notebook_get_nth_page (self->notebook, i));
  return pages;
}

/**
 * smelt_window_show_message:
 * @self: a #SmeltWindow
 * @level: "info", "warn", "error", ...
 * @text: the message; its first line shows, the whole of it on a click
 * @traceback: (nullable): an uncaught error's traceback, shown on a click
 *
 * Shows a message in the message area (errors in the error style).
 */
void
smelt_window_show_message (SmeltWindow *self,
                           const char  *level,
                           const char  *text,
                           const char  *traceback)
{
  if (self->message != NULL)
    smelt_message_area_show (self->message, level, text, traceback);
}

/**
 * smelt_window_get_message_area:
 * @self: a #SmeltWindow
 *
 * Returns: (transfer none) (nullable): the message area, %NULL once the
 *   window is disposed
 */
SmeltMessageArea *
smelt_window_get_message_area (SmeltWindow *self)
{
  g_return_val_if_fail (SMELT_IS_WINDOW (self), NULL);

  return self->message;
}

/**
 * smelt_window_dup_message:
 * @self: a #SmeltWindow
 *
 * Returns: (transfer full): the message area's line: the last message's
 *   first line, as "[level] text" (with "(+N lines)" when it has more), or
 *   "" before any
 */
char *
smelt_window_dup_message (SmeltWindow *self)
{
  g_return_val_if_fail (SMELT_IS_WINDOW (self), NULL);

  return g_strdup (self->message ? smelt_message_area_get_line (self->message) : "");
}

/**
 * smelt_window_dup_statusline:
 * @self: a #SmeltWindow
 *
 * Returns: (transfer full): the statusline's text: a plugin's renderer's, or
 *   the window's own (the buffer's name, line and column)
 */
char *
smelt_window_dup_statusline (SmeltWindow *self)
{
  g_return_val_if_fail (SMELT_IS_WINDOW (self), NULL);

  return g_strdup (gtk_label_get_text (self->statusline));
}

/**
 * smelt_window_dup_busy:
 * @self: a #SmeltWindow
 *
 * Returns: (transfer full) (nullable): the name the statusline shows beside
 *   its spinning spinner, or %NULL when the spinner is hidden
 */
char *
smelt_window_dup_busy (SmeltWindow *self)
{
  g_return_val_if_fail (SMELT_IS_WINDOW (self), NULL);

  if (self->spinner == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->spinner)) ||
      !gtk_spinner_get_spinning (self->spinner))
    return NULL;
  return g_strdup (gtk_label_get_text (self->busy_label));
}

/* the file the window asked to open */
typedef struct
{
  SmeltWindow *window;
  GFile       *file;
} WindowOpen;

static void
window_open_free (WindowOpen *open)
{
  g_object_unref (open->window);
  g_object_unref (open->file);
  g_free (open);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WindowOpen, window_open_free)

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WindowOpen) open = user_data;
  SmeltWindow *self = open->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) document = smelt_workspace_open_finish (SMELT_WORKSPACE (source), result, &error);
  g_autofree char *path = g_file_get_path (open->file);

  /* a directory, no permission, not text: the workspace closed the
   * document, so nothing half-read can be saved over the file; not text as
   * detected: it may be Latin-1, which the window offers */
  if (document == NULL && self->host != NULL && path != NULL &&
      (g_error_matches (error, GTK_SOURCE_FILE_LOADER_ERROR, GTK_SOURCE_FILE_LOADER_ERROR_CONVERSION_FALLBACK) ||
       g_error_matches (error, GTK_SOURCE_FILE_LOADER_ERROR, GTK_SOURCE_FILE_LOADER_ERROR_ENCODING_AUTO_DETECTION_FAILED)))
    smelt_ui_api_offer_latin1 (self->host, path, error->message);
  else if (document == NULL && !g_error_matches (error, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_CLOSED) &&
           self->host != NULL)
    smelt_host_notify (self->host, SMELT_LEVEL_ERROR, error->message);   /* shown, and in :Messages */
  else if (document != NULL)
    {
      SmeltEditorPage *page = smelt_window_get_page (self, document);

      if (page != NULL)
        smelt_window_update_tab_label (self, page);
    }
}

/**
 * smelt_window_find_page:
 * @self: a #SmeltWindow
 * @file: a file
 *
 * Returns: (transfer none) (nullable): the buffer of @file (the same file,
 *   by g_file_equal()), or %NULL when it is not open
 */
SmeltEditorPage *
smelt_window_find_page (SmeltWindow *self,
                        GFile       *file)
{
  SmeltDocument *document;

  g_return_val_if_fail (SMELT_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  document = self->workspace ? smelt_workspace_find (self->workspace, file) : NULL;
  return document ? smelt_window_get_page (self, document) : NULL;
}

/**
 * smelt_window_show_page:
 * @self: a #SmeltWindow
 * @page: one of its buffers
 *
 * Shows @page's tab and gives its text the keyboard.
 */
void
smelt_window_show_page (SmeltWindow     *self,
                        SmeltEditorPage *page)
{
  int n;

  g_return_if_fail (SMELT_IS_WINDOW (self));
  g_return_if_fail (SMELT_IS_EDITOR_PAGE (page));

  if (self->notebook == NULL || (n = gtk_notebook_page_num (self->notebook, GTK_WIDGET (page))) < 0)
    return;
  gtk_notebook_set_current_page (self->notebook, n);
  gtk_widget_grab_focus (GTK_WIDGET (smelt_editor_page_get_view (page)));
}

/**
 * smelt_window_open_file:
 * @self: a #SmeltWindow
 * @file: the file to open
 *
 * Opens @file in a new tab (or in the untouched empty one), loading it
 * asynchronously; emits "buf-open" when it is in. A file already open is
 * shown, not opened twice: two buffers of one file would overwrite each
 * other's changes.
 */
void
smelt_window_open_file (SmeltWindow *self,
                        GFile       *file)
{
  SmeltEditorPage *page = smelt_window_get_current_page (self);
  SmeltDocument *reuse = page ? smelt_editor_page_get_document (page) : NULL;
  WindowOpen *open;

  g_return_if_fail (SMELT_IS_WINDOW (self));

  /* an untouched empty buffer takes the file */
  if (reuse != NULL && (smelt_document_get_location (reuse) != NULL || smelt_document_get_read_only (reuse) ||
                        gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (reuse)) ||
                        gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (reuse)) > 0))
    reuse = NULL;
  open = g_new0 (WindowOpen, 1);
  open->window = g_object_ref (self);
  open->file = g_object_ref (file);
  smelt_workspace_open_async (self->workspace, file, reuse, NULL, open_done_cb, open);
}

static gboolean
on_close_request (GtkWindow   *window,
                  SmeltWindow *self)
{
  if (g_object_get_data (G_OBJECT (self), "smelt-may-close"))
    return FALSE;
  smelt_ui_api_close_requested (self->host, FALSE);
  return TRUE;
}

/* Every 250 ms: the Tasks panel, and the busy spinner with the name of the
 * newest task that has run for half a second. */
static gboolean
tick_cb (gpointer data)
{
  SmeltWindow *self = data;
  g_autofree char *busy = NULL;

  if (self->host == NULL || self->tasks_panel == NULL)
    return G_SOURCE_CONTINUE;
  busy = smelt_tasks_panel_refresh (self->tasks_panel);
  gtk_label_set_text (self->busy_label, busy ? busy : "");
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy != NULL);
  if (busy != NULL)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  return G_SOURCE_CONTINUE;
}

/**
 * smelt_window_get_task_cancel_button:
 * @self: a #SmeltWindow
 * @id: a task id
 *
 * Finds the Cancel button of @id's row in the Tasks panel, for tests that
 * click it with real pointer events.
 *
 * Returns: (transfer none) (nullable): the button, or %NULL when the panel
 *   shows no row for @id
 */
GtkWidget *
smelt_window_get_task_cancel_button (SmeltWindow *self,
                                     guint64      id)
{
  g_return_val_if_fail (SMELT_IS_WINDOW (self), NULL);

  if (self->tasks_panel == NULL)
    return NULL;
  return smelt_tasks_panel_get_cancel_button (self->tasks_panel, id);
}

/**
 * smelt_window_get_task_row_text:
 * @self: a #SmeltWindow
 * @id: a task id
 *
 * Returns: (transfer none) (nullable): what @id's row in the Tasks panel
 *   says, or %NULL when the panel shows no row for @id
 */
const char *
smelt_window_get_task_row_text (SmeltWindow *self,
                                guint64      id)
{
  g_return_val_if_fail (SMELT_IS_WINDOW (self), NULL);

  if (self->tasks_panel == NULL)
    return NULL;
  return smelt_tasks_panel_get_row_text (self->tasks_panel, id);
}

/**
 * smelt_window_show_tasks:
 * @self: a #SmeltWindow
 *
 * Opens the Tasks panel, up to date; when it is open already, brings its
 * rows up to date.
 */
void
smelt_window_show_tasks (SmeltWindow *self)
{
  tick_cb (self);
  /* an open panel is left where it is: popping it up again would present
   * its surface again under the user's pointer for nothing */
  if (!gtk_widget_get_visible (GTK_WIDGET (self->tasks_panel)))
    gtk_popover_popup (GTK_POPOVER (self->tasks_panel));
}

static void
on_switch_page (GtkNotebook *notebook,
                GtkWidget   *page,
                guint        n,
                SmeltWindow *self)
{
  if (self->search_bar != NULL)
    smelt_search_bar_set_page (self->search_bar, SMELT_EDITOR_PAGE (page));
  if (self->workspace != NULL && !smelt_editor_page_is_closed (SMELT_EDITOR_PAGE (page)))
    smelt_workspace_set_current (self->workspace, smelt_editor_page_get_document (SMELT_EDITOR_PAGE (page)));
  /* in an idle: the notebook makes page current after this signal */
  smelt_window_queue_statusline (self);
}

static void
on_search_closed (SmeltSearchBar *bar,
                  SmeltWindow    *self)
{
  SmeltEditorPage *page = smelt_window_get_current_page (self);

  if (page != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (smelt_editor_page_get_view (page)));
}

static void
smelt_window_dispose (GObject *object)
{
  SmeltWindow *self = SMELT_WINDOW (object);

  /* the children go with the window; callbacks see NULL from here on */
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->text_changed_id, g_source_remove);
  g_clear_handle_id (&self->statusline_id, g_source_remove);
  g_clear_pointer (&self->changed_pages, g_hash_table_unref);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  smelt_typeahead_clear (smelt_typeahead_get_default ());   /* keys held back for a key map: the window's */
  self->notebook = NULL;
  self->statusline = NULL;
  self->message = NULL;
  self->tasks_panel = NULL;
  self->search_bar = NULL;
  if (self->completing != NULL)
    g_cancellable_cancel (self->completing);
  g_clear_object (&self->completing);
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_object (&self->completion);
  g_clear_object (&self->hover);
  g_clear_object (&self->host);
  G_OBJECT_CLASS (smelt_window_parent_class)->dispose (object);
}

static void
smelt_window_class_init (SmeltWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = smelt_window_dispose;
  g_type_ensure (SMELT_TYPE_TASKS_PANEL);
  g_type_ensure (SMELT_TYPE_SEARCH_BAR);
  g_type_ensure (SMELT_TYPE_MESSAGE_AREA);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/smelt/Editor/ui/smelt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmeltWindow, notebook);
  gtk_widget_class_bind_template_child (widget_class, SmeltWindow, statusline);
  gtk_widget_class_bind_template_child (widget_class, SmeltWindow, message);
  gtk_widget_class_bind_template_child (widget_class, SmeltWindow, command);
  gtk_widget_class_bind_template_child (widget_class, SmeltWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SmeltWindow, busy_label);
  gtk_widget_class_bind_template_child (widget_class, SmeltWindow, tasks_panel);
  gtk_widget_class_bind_template_child (widget_class, SmeltWindow, search_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_close_request);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_window_key", G_CALLBACK (smelt_window_on_window_key));
  gtk_widget_class_bind_template_callback (widget_class, on_switch_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_closed);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_command_activate", G_CALLBACK (smelt_window_on_command_activate));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_command_key", G_CALLBACK (smelt_window_on_command_key));
  gtk_widget_class_add_binding (widget_class, GDK_KEY_semicolon, GDK_CONTROL_MASK,
                                smelt_window_command_line_shortcut, NULL);

  smelt_window_class_add_actions (widget_class);
}

static void
smelt_window_init (SmeltWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  smelt_window_add_file_drop (self);
  self->tick_id = g_timeout_add (250, tick_cb, self);
}

/**
 * smelt_window_new:
 * @app: the application
 * @host: the plugin host the window's Lua calls go to
 *
 * Returns: (transfer none): a window with one empty buffer, owned by @app
 */
SmeltWindow *
smelt_window_new (GtkApplication *app,
                  SmeltHost      *host)
{
  SmeltWindow *self = g_object_new (SMELT_TYPE_WINDOW, "application", app, NULL);
  GListModel *documents;

  self->host = g_object_ref (host);
  self->completion = smelt_completion_provider_new (host);
  self->hover = smelt_hover_provider_new (host);
  smelt_tasks_panel_set_host (self->tasks_panel, host);
  self->workspace = g_object_ref (smelt_lua_buffer_get_workspace (host));
  self->pages = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  documents = G_LIST_MODEL (self->workspace);
  g_signal_connect (documents, "items-changed", G_CALLBACK (on_documents_changed), self);
  g_signal_connect (documents, "notify::current", G_CALLBACK (on_current_changed), self);
  /* the documents plugins made before the window opened, or a first one */
  on_documents_changed (documents, 0, 0, g_list_model_get_n_items (documents), self);
  return self;
}
