/* smelt-window.c: the main window: buffers in tabs, a statusline, a message area, a command line
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smelt-window"

#include "config.h"

#include "smelt-window.h"

struct _SmeltWindow
{
  GtkApplicationWindow parent_instance;

  SmeltHost   *host;
  GtkNotebook *notebook;
  GtkLabel    *statusline;
  GtkLabel    *message;
  GtkEntry    *command;
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
  title = smelt_editor_page_dup_title (page);
  text = g_strdup_printf ("%s    Ln %d, Col %d    %u tasks", title,
                          gtk_text_iter_get_line (&iter) + 1,
                          gtk_text_iter_get_line_offset (&iter) + 1,
                          smelt_host_get_n_tasks (self->host));
  gtk_label_set_text (self->statusline, text);
}

static void
update_tab_label (SmeltWindow     *self,
                  SmeltEditorPage *page)
{
  g_autofree char *title = NULL;

  if (self->notebook == NULL)
    return;
  title = smelt_editor_page_dup_title (page);
  gtk_notebook_set_tab_label_text (self->notebook, GTK_WIDGET (page), title);
  update_statusline (self);
}

static void
on_buffer_changed (GtkTextBuffer *buffer,
                   SmeltWindow   *self)
{
  update_statusline (self);
}

static void
on_mark_set (GtkTextBuffer     *buffer,
             const GtkTextIter *iter,
             GtkTextMark       *mark,
             SmeltWindow       *self)
{
  if (mark == gtk_text_buffer_get_insert (buffer))
    update_statusline (self);
}

static void
on_modified_changed (GtkTextBuffer   *buffer,
                     SmeltEditorPage *page)
{
  SmeltWindow *self = SMELT_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)));

  if (self != NULL)
    update_tab_label (self, page);
}

SmeltEditorPage *
smelt_window_new_page (SmeltWindow *self)
{
  SmeltEditorPage *page = smelt_editor_page_new ();
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (page));
  int n;

  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_buffer_changed), self, 0);
  g_signal_connect_object (buffer, "mark-set", G_CALLBACK (on_mark_set), self, 0);
  g_signal_connect_object (buffer, "modified-changed", G_CALLBACK (on_modified_changed), page, 0);
  n = gtk_notebook_append_page (self->notebook, GTK_WIDGET (page), NULL);
  gtk_notebook_set_tab_reorderable (self->notebook, GTK_WIDGET (page), TRUE);
  gtk_notebook_set_current_page (self->notebook, n);
  update_tab_label (self, page);
  return page;
}

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

/* Returns: (transfer container) (element-type SmeltEditorPage) */
GList *
smelt_window_list_pages (SmeltWindow *self)
{
  GList *pages = NULL;

  for (int i = gtk_notebook_get_n_pages (self->notebook) - 1; i >= 0; i--)
    pages = g_list_prepend (pages, gtk_notebook_get_nth_page (self->notebook, i));
  return pages;
}

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

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SmeltWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SmeltEditorPage *page = SMELT_EDITOR_PAGE (source);

  if (!smelt_editor_page_load_finish (page, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    smelt_window_show_message (self, "error", error->message);
  update_tab_label (self, page);
}

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
      g_autofree char *text = g_strdup_printf ("written %s", title);

      smelt_window_show_message (self, "info", text);
    }
  update_tab_label (self, page);
  if (g_object_get_data (G_OBJECT (page), "smelt-close-after-save"))
    gtk_window_close (GTK_WINDOW (self));
}

/* Runs :w, :e path, :q, :wq, or any smelt command ("Lua code", plugin commands). */
void
smelt_window_run_command_line (SmeltWindow *self,
                               const char  *line)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (line[0] == ':' ? line + 1 : line));
  SmeltEditorPage *page = smelt_window_get_current_page (self);
  g_autoptr(GError) error = NULL;

  if (*trimmed == '\0')
    return;
  if (g_str_equal (trimmed, "w") || g_str_has_prefix (trimmed, "w ") || g_str_equal (trimmed, "wq"))
    {
      g_autoptr(GFile) file = NULL;

      if (page == NULL)
        return;
      if (g_str_has_prefix (trimmed, "w "))
        file = g_file_new_for_commandline_arg (g_strstrip (trimmed + 2));
      if (g_str_equal (trimmed, "wq"))
        g_object_set_data (G_OBJECT (page), "smelt-close-after-save", GINT_TO_POINTER (1));
      smelt_editor_page_save_async (page, file, NULL, save_done_cb, g_object_ref (self));
      return;
    }
  if (g_str_has_prefix (trimmed, "e "))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (g_strstrip (trimmed + 2));

      smelt_window_open_file (self, file);
      return;
    }
  if (g_str_equal (trimmed, "q"))
    {
      gtk_window_close (GTK_WINDOW (self));
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

static gboolean
on_command_key (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SmeltWindow           *self)
{
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

static void
on_switch_page (GtkNotebook *notebook,
                GtkWidget   *page,
                guint        n,
                SmeltWindow *self)
{
  update_statusline (self);
}

static void
smelt_window_dispose (GObject *object)
{
  SmeltWindow *self = SMELT_WINDOW (object);

  /* the children go with the window; callbacks see NULL from here on */
  self->notebook = NULL;
  self->statusline = NULL;
  self->message = NULL;
  g_clear_object (&self->host);
  G_OBJECT_CLASS (smelt_window_parent_class)->dispose (object);
}

static void
smelt_window_class_init (SmeltWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = smelt_window_dispose;
  gtk_widget_class_add_binding (widget_class, GDK_KEY_semicolon, GDK_CONTROL_MASK,
                                command_line_shortcut, NULL);
}

static void
smelt_window_init (SmeltWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->notebook = GTK_NOTEBOOK (gtk_notebook_new ());
  gtk_notebook_set_scrollable (self->notebook, TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->notebook), TRUE);
  g_signal_connect (self->notebook, "switch-page", G_CALLBACK (on_switch_page), self);

  self->command = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->command), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->command), "monospace");
  g_signal_connect (self->command, "activate", G_CALLBACK (on_command_activate), self);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_command_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->command), keys);

  self->statusline = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->statusline, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->statusline), TRUE);
  self->message = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->message, 1);
  gtk_label_set_ellipsize (self->message, PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 3);
  gtk_widget_set_margin_bottom (bar, 3);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->statusline));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->message));

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->notebook));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->command));
  gtk_box_append (GTK_BOX (box), bar);
  gtk_window_set_child (GTK_WINDOW (self), box);
  gtk_window_set_default_size (GTK_WINDOW (self), 900, 620);
  gtk_window_set_title (GTK_WINDOW (self), "smelt");
}

SmeltWindow *
smelt_window_new (GtkApplication *app,
                  SmeltHost      *host)
{
  SmeltWindow *self = g_object_new (SMELT_TYPE_WINDOW, "application", app, NULL);

  self->host = g_object_ref (host);
  smelt_window_new_page (self);
  return self;
}
