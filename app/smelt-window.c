/* smelt-window.c: the main window: buffers in tabs, a statusline, a message area, a command line
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smelt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "smelt-host-private.h"
#include "smelt-search-bar.h"
#include "smelt-tasks-panel.h"
#include "smelt-ui-api.h"
#include "smelt-window.h"

struct _SmeltWindow
{
  GtkApplicationWindow parent_instance;

  SmeltHost       *host;
  /* from the template, data/ui/smelt-window.ui */
  GtkNotebook     *notebook;
  GtkLabel        *statusline;
  GtkLabel        *message;
  GtkEntry        *command;
  GtkSpinner      *spinner;
  GtkLabel        *busy_label;
  SmeltTasksPanel *tasks_panel;
  SmeltSearchBar  *search_bar;

  guint            tick_id;
  guint            text_changed_id;
  guint            statusline_id;
};

G_DEFINE_FINAL_TYPE (SmeltWindow, smelt_window, GTK_TYPE_APPLICATION_WINDOW)

static void
update_statusline (SmeltWindow *self)
{
  SmeltEditorPage *page = smelt_window_get_current_page (self);
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  if (self->statusline == NULL)
    return;   /* being disposed */
  if (page == NULL)
    {
      gtk_label_set_text (self->statusline, "");
      return;
    }
  buffer = GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (page));
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  text = smelt_ui_api_render_statusline (self->host, page);
  if (text == NULL)
    {
      title = smelt_editor_page_dup_title (page);
      text = g_strdup_printf ("%s    Ln %d, Col %d", title,
                              gtk_text_iter_get_line (&iter) + 1,
                              gtk_text_iter_get_line_offset (&iter) + 1);
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

/* Coalesced: a load inserting thousands of chunks renders the statusline
 * (maybe through a plugin) once, not once per chunk. */
static void
queue_statusline (SmeltWindow *self)
{
  if (self->statusline_id == 0 && self->statusline != NULL)
    self->statusline_id = g_idle_add_full (G_PRIORITY_LOW, statusline_idle_cb, self, NULL);
}

static void
update_tab_label (SmeltWindow     *self,
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
  SmeltEditorPage *page = smelt_window_get_current_page (self);

  self->text_changed_id = 0;
  if (page != NULL)
    smelt_ui_api_emit (self->host, "text-changed", page, NULL, 0, NULL, 0);
  return G_SOURCE_REMOVE;
}

static void
on_buffer_changed (GtkTextBuffer *buffer,
                   SmeltWindow   *self)
{
  queue_statusline (self);
  /* debounced: one event after 300 ms without changes */
  g_clear_handle_id (&self->text_changed_id, g_source_remove);
  self->text_changed_id = g_timeout_add (300, emit_text_changed_cb, self);
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
  queue_statusline (self);
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
    update_tab_label (self, page);
}

/**
 * smelt_window_new_page:
 * @self: a #SmeltWindow
 *
 * Appends an empty, untitled buffer in a new tab and shows it.
 *
 * Returns: (transfer none): the new page
 */
SmeltEditorPage *
smelt_window_new_page (SmeltWindow *self)
{
  SmeltEditorPage *page = smelt_editor_page_new ();
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (page));
  int n;

  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_buffer_changed), self, 0);
  g_signal_connect_object (buffer, "mark-set", G_CALLBACK (on_mark_set), page, 0);
  g_signal_connect_object (buffer, "modified-changed", G_CALLBACK (on_modified_changed), page, 0);
  n = gtk_notebook_append_page (self->notebook, GTK_WIDGET (page), new_tab_label (page));
  gtk_notebook_set_tab_reorderable (self->notebook, GTK_WIDGET (page), TRUE);
  gtk_notebook_set_current_page (self->notebook, n);
  update_tab_label (self, page);
  return page;
}

/**
 * smelt_window_close_page:
 * @self: a #SmeltWindow
 * @page: one of its pages
 *
 * Closes @page's tab at once, unsaved changes and all (the callers ask
 * first).  The window always keeps one buffer: closing the last one leaves
 * an empty, untitled one.
 */
void
smelt_window_close_page (SmeltWindow     *self,
                         SmeltEditorPage *page)
{
  int n;

  g_return_if_fail (SMELT_IS_WINDOW (self));

  if (self->notebook == NULL)
    return;
  n = gtk_notebook_page_num (self->notebook, GTK_WIDGET (page));
  if (n < 0)
    return;
  smelt_editor_page_close (page);
  gtk_notebook_remove_page (self->notebook, n);
  if (gtk_notebook_get_n_pages (self->notebook) == 0)
    smelt_window_new_page (self);
  page = smelt_window_get_current_page (self);
  gtk_widget_grab_focus (GTK_WIDGET (smelt_editor_page_get_view (page)));
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
 * @text: the message; its first line shows, the whole of it in the tooltip
 *
 * Shows a message in the message area (errors in the error style).
 */
void
smelt_window_show_message (SmeltWindow *self,
                           const char  *level,
                           const char  *text)
{
  g_autofree char *line = g_strdup_printf ("[%s] %s", level, text);
  const char *first_nl = strchr (line, '\n');

  if (self->message == NULL)
    return;
  if (first_nl != NULL)
    line[first_nl - line] = '\0';
  gtk_label_set_text (self->message, line);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->message), text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->message), "error");
  if (g_str_equal (level, "error"))
    gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
}

/**
 * smelt_window_dup_message:
 * @self: a #SmeltWindow
 *
 * Returns: (transfer full): the message area's text: the last message's
 *   first line, as "[level] text", or "" before any
 */
char *
smelt_window_dup_message (SmeltWindow *self)
{
  g_return_val_if_fail (SMELT_IS_WINDOW (self), NULL);

  return g_strdup (self->message ? gtk_label_get_text (self->message) : "");
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

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SmeltWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SmeltEditorPage *page = SMELT_EDITOR_PAGE (source);

  if (!smelt_editor_page_load_finish (page, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the tab was closed while it loaded */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    smelt_window_show_message (self, "error", error->message);
  update_tab_label (self, page);
  if (self->host != NULL)
    smelt_ui_api_emit (self->host, "buf-open", page, NULL, 0, NULL, 0);
}

/**
 * smelt_window_open_file:
 * @self: a #SmeltWindow
 * @file: the file to open
 *
 * Opens @file in a new tab (or in the untouched empty one), loading it
 * asynchronously; emits "buf-open" when it is in.
 */
void
smelt_window_open_file (SmeltWindow *self,
                        GFile       *file)
{
  SmeltEditorPage *page = smelt_window_get_current_page (self);
  GtkTextBuffer *buffer = page ? GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (page)) : NULL;

  /* reuse an untouched empty buffer */
  if (page == NULL || smelt_editor_page_get_file (page) != NULL ||
      gtk_text_buffer_get_modified (buffer) || gtk_text_buffer_get_char_count (buffer) > 0)
    page = smelt_window_new_page (self);
  smelt_editor_page_load_async (page, file, NULL, load_done_cb, g_object_ref (self));
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SmeltWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SmeltEditorPage *page = SMELT_EDITOR_PAGE (source);

  if (!smelt_editor_page_save_finish (page, result, &error))
    smelt_window_show_message (self, "error", error->message);
  else
    {
      g_autofree char *title = smelt_editor_page_dup_title (page);
      g_autofree char *text = g_strdup_printf (_("written %s"), title);

      smelt_window_show_message (self, "info", text);
    }
  update_tab_label (self, page);
  if (g_object_get_data (G_OBJECT (page), "smelt-close-after-save"))
    gtk_window_close (GTK_WINDOW (self));
}

/**
 * smelt_window_run_command_line:
 * @self: a #SmeltWindow
 * @line: a command line, with or without its ":"
 *
 * Runs `:w`, `:w PATH`, `:wq`, `:e PATH`, `:bd`, `:bd!`, `:q`, or any smelt
 * command (`Lua code`, plugin commands); errors go to the message area.
 */
void
smelt_window_run_command_line (SmeltWindow *self,
                               const char  *line)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (line[0] == ':' ? line + 1 : line));
  SmeltEditorPage *page = smelt_window_get_current_page (self);
  g_autoptr(GError) error = NULL;

  if (*trimmed == '\0')
    return;
  if (g_str_equal (trimmed, "w") || g_str_equal (trimmed, "wq"))
    {
      if (page != NULL && smelt_editor_page_get_file (page) == NULL && g_str_equal (trimmed, "w"))
        gtk_widget_activate_action (GTK_WIDGET (self), "win.save-as", NULL);   /* asks where */
      else if (page != NULL)
        smelt_ui_api_save (self->host, page, g_str_equal (trimmed, "wq"));
      return;
    }
  if (g_str_has_prefix (trimmed, "w "))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (g_strstrip (trimmed + 2));

      if (page != NULL)
        smelt_editor_page_save_async (page, file, NULL, save_done_cb, g_object_ref (self));
      return;
    }
  if (g_str_has_prefix (trimmed, "e "))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (g_strstrip (trimmed + 2));

      smelt_window_open_file (self, file);
      return;
    }
  if (g_str_equal (trimmed, "bd") || g_str_equal (trimmed, "bd!"))
    {
      if (page != NULL)
        smelt_ui_api_close_buffer (self->host, page, trimmed[2] == '!');
      return;
    }
  if (g_str_equal (trimmed, "q"))
    {
      smelt_ui_api_close_requested (self->host);
      return;
    }
  if (!smelt_host_run_command (self->host, trimmed, &error))
    smelt_window_show_message (self, "error", error->message);
}

static void
on_command_activate (GtkEntry    *entry,
                     SmeltWindow *self)
{
  g_autofree char *line = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  SmeltEditorPage *page = smelt_window_get_current_page (self);

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_set_visible (GTK_WIDGET (entry), FALSE);
  if (page != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (smelt_editor_page_get_view (page)));
  smelt_window_run_command_line (self, line);
}

/**
 * smelt_window_focus_command_line:
 * @self: a #SmeltWindow
 *
 * Opens the command line with ":" in it and gives it the keyboard.
 */
void
smelt_window_focus_command_line (SmeltWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->command), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->command), ":");
  gtk_widget_grab_focus (GTK_WIDGET (self->command));
  gtk_editable_set_position (GTK_EDITABLE (self->command), -1);
}

static gboolean
command_line_shortcut (GtkWidget *widget,
                       GVariant  *args,
                       gpointer   user_data)
{
  smelt_window_focus_command_line (SMELT_WINDOW (widget));
  return TRUE;
}

/* Tab: complete the command line through smelt.cmd.complete (command names,
 * then what the command's `complete` option gives); several candidates are
 * listed in the message area and their common prefix is filled in. */
static void
complete_command_line (SmeltWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->command));
  const char *line = text[0] == ':' ? text + 1 : text;
  g_auto(GStrv) candidates = smelt_ui_api_complete (self->host, line);
  g_autofree char *prefix = NULL;
  g_autofree char *joined = NULL;
  const char *word_start;
  guint n = candidates ? g_strv_length (candidates) : 0;

  if (n == 0)
    return;
  prefix = g_strdup (candidates[0]);
  for (guint i = 1; i < n; i++)
    {
      guint k = 0;

      while (prefix[k] != '\0' && prefix[k] == candidates[i][k])
        k++;
      prefix[k] = '\0';
    }
  word_start = strrchr (line, ' ');
  word_start = word_start ? word_start + 1 : line;
  {
    g_autofree char *head = g_strndup (text, word_start - text);
    g_autofree char *completed = g_strconcat (head, prefix, n == 1 ? " " : "", NULL);

    gtk_editable_set_text (GTK_EDITABLE (self->command), completed);
    gtk_editable_set_position (GTK_EDITABLE (self->command), -1);
  }
  if (n > 1)
    {
      joined = g_strjoinv ("  ", candidates);
      smelt_window_show_message (self, "info", joined);
    }
}

static gboolean
on_command_key (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SmeltWindow           *self)
{
  if (keyval == GDK_KEY_Tab)
    {
      complete_command_line (self);
      return TRUE;
    }
  if (keyval == GDK_KEY_Escape)
    {
      SmeltEditorPage *page = smelt_window_get_current_page (self);

      gtk_widget_set_visible (GTK_WIDGET (self->command), FALSE);
      if (page != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (smelt_editor_page_get_view (page)));
      return TRUE;
    }
  return FALSE;
}

/* A key press as Neovim writes it: "a", "<C-k>", "<CR>", "<A-x>", "<S-Tab>". */
static char *
key_token (guint           keyval,
           GdkModifierType state)
{
  static const struct { guint keyval; const char *name; } specials[] = {
    { GDK_KEY_Return, "CR" }, { GDK_KEY_KP_Enter, "CR" }, { GDK_KEY_Escape, "Esc" },
    { GDK_KEY_Tab, "Tab" }, { GDK_KEY_ISO_Left_Tab, "Tab" }, { GDK_KEY_BackSpace, "BS" },
    { GDK_KEY_space, "Space" }, { GDK_KEY_Up, "Up" }, { GDK_KEY_Down, "Down" },
    { GDK_KEY_Left, "Left" }, { GDK_KEY_Right, "Right" }, { GDK_KEY_Delete, "Del" },
  };
  const char *special = NULL;
  GString *mods = g_string_new (NULL);
  gunichar ch = gdk_keyval_to_unicode (keyval);
  char buf[8] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (specials); i++)
    if (specials[i].keyval == keyval)
      special = specials[i].name;
  if (special == NULL && keyval >= GDK_KEY_F1 && keyval <= GDK_KEY_F12)
    {
      g_snprintf (buf, sizeof buf, "F%u", keyval - GDK_KEY_F1 + 1);
      special = buf;
    }
  if (state & GDK_CONTROL_MASK)
    g_string_append (mods, "C-");
  if (state & GDK_ALT_MASK)
    g_string_append (mods, "A-");
  if ((state & GDK_SHIFT_MASK) && special != NULL)
    g_string_append (mods, "S-");

  if (special == NULL)
    {
      if (ch == 0 || g_unichar_iscntrl (ch))
        {
          g_string_free (mods, TRUE);
          return NULL;   /* a modifier alone, and the like */
        }
      if (mods->len > 0)
        ch = g_unichar_tolower (ch);
      g_unichar_to_utf8 (ch, buf);
      special = buf;
      if (mods->len == 0)
        {
          g_string_free (mods, TRUE);
          return g_strdup (buf);
        }
    }
  {
    char *token = g_strdup_printf ("<%s%s>", mods->str, special);

    g_string_free (mods, TRUE);
    return token;
  }
}

static gboolean
on_window_key (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               SmeltWindow           *self)
{
  g_autofree char *token = key_token (keyval, state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  const char *answer;

  /* the entry's own GtkText child holds the focus while the command line is
   * typed into: its keys are text, never key maps */
  if (token == NULL || self->host == NULL ||
      (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->command))) ||
      (self->search_bar != NULL && smelt_search_bar_has_focus (self->search_bar)))
    return FALSE;
  /* Ctrl+; opens the command line anywhere; caught here, in the capture
   * phase, because GtkTextView binds the same key to its emoji chooser */
  if (g_str_equal (token, "<C-;>"))
    {
      smelt_window_focus_command_line (self);
      return TRUE;
    }
  /* ":" opens the command line when the text is not being typed into */
  if (g_str_equal (token, ":"))
    {
      if (focus == NULL || !GTK_IS_TEXT_VIEW (focus))
        {
          smelt_window_focus_command_line (self);
          return TRUE;
        }
    }
  answer = smelt_ui_api_feed_key (self->host, token);
  return !g_str_equal (answer, "pass");
}

static gboolean
on_close_request (GtkWindow   *window,
                  SmeltWindow *self)
{
  if (g_object_get_data (G_OBJECT (self), "smelt-may-close"))
    return FALSE;
  smelt_ui_api_close_requested (self->host);
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
 * smelt_window_show_tasks:
 * @self: a #SmeltWindow
 *
 * Opens the Tasks panel, up to date.
 */
void
smelt_window_show_tasks (SmeltWindow *self)
{
  tick_cb (self);
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
  update_statusline (self);
}

static void
on_search_closed (SmeltSearchBar *bar,
                  SmeltWindow    *self)
{
  SmeltEditorPage *page = smelt_window_get_current_page (self);

  if (page != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (smelt_editor_page_get_view (page)));
}

/* ------------------------------------------------------------- actions */

static void
save_as_response (GtkNativeDialog *chooser,
                  int              response,
                  SmeltWindow     *self)
{
  g_autoptr(GFile) file = NULL;
  SmeltEditorPage *page = g_object_get_data (G_OBJECT (chooser), "page");

  if (response == GTK_RESPONSE_ACCEPT && page != NULL && self->host != NULL &&
      gtk_notebook_page_num (self->notebook, GTK_WIDGET (page)) >= 0)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      smelt_editor_page_set_file (page, file);
      update_tab_label (self, page);
      smelt_ui_api_save (self->host, page, FALSE);
    }
  g_object_unref (chooser);
}

static void
action_save_as (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  SmeltWindow *self = SMELT_WINDOW (widget);
  SmeltEditorPage *page = smelt_window_get_current_page (self);
  GtkFileChooserNative *chooser;
  GFile *file;

  if (page == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save File"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  file = smelt_editor_page_get_file (page);
  if (file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL);
  g_object_set_data_full (G_OBJECT (chooser), "page", g_object_ref (page), g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_as_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
action_save (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  SmeltWindow *self = SMELT_WINDOW (widget);
  SmeltEditorPage *page = smelt_window_get_current_page (self);

  if (page == NULL || self->host == NULL)
    return;
  if (smelt_editor_page_get_file (page) == NULL)
    action_save_as (widget, "win.save-as", NULL);
  else
    smelt_ui_api_save (self->host, page, FALSE);
}

static void
open_response (GtkNativeDialog *chooser,
               int              response,
               SmeltWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          smelt_window_open_file (self, file);
        }
    }
  g_object_unref (chooser);
}

static void
action_open (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Open Files"), GTK_WINDOW (widget),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Open"), _("_Cancel"));

  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_response), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
action_new_buffer (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  SmeltEditorPage *page = smelt_window_new_page (SMELT_WINDOW (widget));

  gtk_widget_grab_focus (GTK_WIDGET (smelt_editor_page_get_view (page)));
}

static void
action_find (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  SmeltWindow *self = SMELT_WINDOW (widget);

  smelt_search_bar_set_page (self->search_bar, smelt_window_get_current_page (self));
  smelt_search_bar_open (self->search_bar);
}

static void
action_close_buffer (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  SmeltWindow *self = SMELT_WINDOW (widget);
  SmeltEditorPage *page = smelt_window_get_current_page (self);

  if (page != NULL && self->host != NULL)
    smelt_ui_api_close_buffer (self->host, page, FALSE);
}

static void
action_quit (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  SmeltWindow *self = SMELT_WINDOW (widget);

  if (self->host != NULL)
    smelt_ui_api_close_requested (self->host);
}

static void
action_show_tasks (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  smelt_window_show_tasks (SMELT_WINDOW (widget));
}

static void
action_command_line (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  smelt_window_focus_command_line (SMELT_WINDOW (widget));
}

static void
smelt_window_dispose (GObject *object)
{
  SmeltWindow *self = SMELT_WINDOW (object);

  /* the children go with the window; callbacks see NULL from here on */
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->text_changed_id, g_source_remove);
  g_clear_handle_id (&self->statusline_id, g_source_remove);
  self->notebook = NULL;
  self->statusline = NULL;
  self->message = NULL;
  self->tasks_panel = NULL;
  self->search_bar = NULL;
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
  gtk_widget_class_bind_template_callback (widget_class, on_window_key);
  gtk_widget_class_bind_template_callback (widget_class, on_switch_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_closed);
  gtk_widget_class_bind_template_callback (widget_class, on_command_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_command_key);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_semicolon, GDK_CONTROL_MASK,
                                command_line_shortcut, NULL);

  /* the window's actions, with GNOME's usual keys (key maps come first:
   * smelt.keymap.set("<C-s>", ...) overrides Ctrl+S) */
  gtk_widget_class_install_action (widget_class, "win.open", NULL, action_open);
  gtk_widget_class_install_action (widget_class, "win.new-buffer", NULL, action_new_buffer);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, action_save);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, action_save_as);
  gtk_widget_class_install_action (widget_class, "win.close-buffer", NULL, action_close_buffer);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, action_find);
  gtk_widget_class_install_action (widget_class, "win.quit", NULL, action_quit);
  gtk_widget_class_install_action (widget_class, "win.show-tasks", NULL, action_show_tasks);
  gtk_widget_class_install_action (widget_class, "win.command-line", NULL, action_command_line);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-buffer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "win.close-buffer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_CONTROL_MASK, "win.quit", NULL);
}

static void
smelt_window_init (SmeltWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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

  self->host = g_object_ref (host);
  smelt_tasks_panel_set_host (self->tasks_panel, host);
  smelt_window_new_page (self);
  return self;
}
