/* smelt-window-drop.c: files dropped on the window (from Files, a desktop) open in tabs
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkDropTarget for a GdkFileList (text/uri-list on the wire), in the
 * capture phase: it sees a drop of files before the text view, which would
 * otherwise insert their URIs as text. Text dragged from elsewhere is not a
 * file list and still goes to the view.
 */

#include "config.h"

#include "smelt-window-private.h"

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SmeltWindow   *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  for (GSList *l = files; l != NULL; l = l->next)
    smelt_window_open_file (self, l->data);   /* one already open is shown */
  g_slist_free (files);
  gtk_window_present (GTK_WINDOW (self));
  return TRUE;
}

/**
 * smelt_window_add_file_drop:
 * @self: a #SmeltWindow
 *
 * Makes files dropped anywhere on @self open in it, in the order dropped.
 */
void
smelt_window_add_file_drop (SmeltWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (target), GTK_PHASE_CAPTURE);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
