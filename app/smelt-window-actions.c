/* smelt-window-actions.c: the window's actions (win.open, win.save, ...) and their keys
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smelt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "smelt-embed.h"
#include "smelt-search-bar.h"
#include "smelt-ui-api.h"
#include "smelt-window-private.h"

/* Where a file chooser starts, as in GNOME Text Editor: the folder of the
 * buffer shown or, for an untitled one, of the nearest tab to its left
 * that has a file; NULL (the working directory) when none has. */
static GFile *
dup_start_folder (SmeltWindow *self)
{
  SmeltEditorPage *current = smelt_window_get_current_page (self);
  g_autoptr(GList) pages = g_list_reverse (smelt_window_list_pages (self));   /* last tab first */
  gboolean left_of_current = FALSE;

  if (current != NULL && smelt_editor_page_get_file (current) != NULL)
    return g_file_get_parent (smelt_editor_page_get_file (current));
  for (GList *l = pages; l != NULL; l = l->next)
    {
      GFile *file = smelt_editor_page_get_file (l->data);

      if (l->data == current)
        left_of_current = TRUE;
      else if (left_of_current && file != NULL)
        return g_file_get_parent (file);
    }
  for (GList *l = pages; l != NULL; l = l->next)
    if (smelt_editor_page_get_file (l->data) != NULL)
      return g_file_get_parent (smelt_editor_page_get_file (l->data));
  return NULL;
}

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
      smelt_ui_api_save_as (self->host, page, file, TRUE);   /* the chooser asked */
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
  if (smelt_editor_page_get_read_only (page))
    {
      /* a help buffer has nothing to write (Neovim's E382): no chooser */
      g_autofree char *title = smelt_editor_page_dup_title (page);
      g_autofree char *text = g_strdup_printf (_("%s is read-only: it cannot be written"), title);

      smelt_host_notify (self->host, SMELT_LEVEL_ERROR, text);
      return;
    }
  chooser = gtk_file_chooser_native_new (_("Save File"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  file = smelt_editor_page_get_file (page);
  if (file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL);
  else
    {
      g_autoptr(GFile) folder = dup_start_folder (self);

      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
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
  g_autoptr(GFile) folder = dup_start_folder (SMELT_WINDOW (widget));

  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_response), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
action_new_buffer (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  smelt_window_new_page (SMELT_WINDOW (widget));   /* it takes the keyboard */
}

static void
action_find (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  SmeltWindow *self = SMELT_WINDOW (widget);

  smelt_search_bar_set_page (self->search_bar, smelt_window_get_current_page (self));
  smelt_search_bar_open (self->search_bar, g_str_equal (name, "win.replace"));
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
    smelt_ui_api_close_requested (self->host, FALSE);
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

/**
 * smelt_window_class_add_actions:
 * @widget_class: #SmeltWindow's class
 *
 * Installs the window's actions and their keys (GNOME's usual ones).
 */
void
smelt_window_class_add_actions (GtkWidgetClass *widget_class)
{
  /* the window's actions, with GNOME's usual keys (key maps come first:
   * smelt.keymap.set("<C-s>", ...) overrides Ctrl+S) */
  gtk_widget_class_install_action (widget_class, "win.open", NULL, action_open);
  gtk_widget_class_install_action (widget_class, "win.new-buffer", NULL, action_new_buffer);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, action_save);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, action_save_as);
  gtk_widget_class_install_action (widget_class, "win.close-buffer", NULL, action_close_buffer);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, action_find);
  gtk_widget_class_install_action (widget_class, "win.replace", NULL, action_find);
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
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "win.replace", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_CONTROL_MASK, "win.quit", NULL);
}
