/* smelt-task-row.c: one live task in the Tasks panel: what it is and waits on, and a Cancel button
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smelt-window"

#include "config.h"

#include "smelt-task-row.h"

struct _SmeltTaskRow
{
  GtkBox     parent_instance;

  guint64    id;
  GtkLabel  *label;
  GtkButton *cancel_button;
};

G_DEFINE_FINAL_TYPE (SmeltTaskRow, smelt_task_row, GTK_TYPE_BOX)

enum { CANCEL, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_cancel_clicked (GtkButton    *button,
                   SmeltTaskRow *self)
{
  g_signal_emit (self, signals[CANCEL], 0, self->id);
}

static void
smelt_task_row_class_init (SmeltTaskRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * SmeltTaskRow::cancel:
   * @self: the row
   * @id: the task's id
   *
   * The row's Cancel button was clicked.
   */
  signals[CANCEL] = g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/smelt/Editor/ui/smelt-task-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SmeltTaskRow, label);
  gtk_widget_class_bind_template_child (widget_class, SmeltTaskRow, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
smelt_task_row_init (SmeltTaskRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * smelt_task_row_new:
 * @id: the task's id
 *
 * Returns: (transfer floating): a row for task @id
 */
SmeltTaskRow *
smelt_task_row_new (guint64 id)
{
  SmeltTaskRow *self = g_object_new (SMELT_TYPE_TASK_ROW, NULL);

  self->id = id;
  return self;
}

/**
 * smelt_task_row_get_id:
 * @self: a #SmeltTaskRow
 *
 * Returns: the id of the task the row shows
 */
guint64
smelt_task_row_get_id (SmeltTaskRow *self)
{
  g_return_val_if_fail (SMELT_IS_TASK_ROW (self), 0);

  return self->id;
}

/**
 * smelt_task_row_set_text:
 * @self: a #SmeltTaskRow
 * @text: the task's id, name, state and what it waits on
 *
 * Sets what the row says, in place (a click or focus on the button survives).
 */
void
smelt_task_row_set_text (SmeltTaskRow *self,
                         const char   *text)
{
  g_return_if_fail (SMELT_IS_TASK_ROW (self));

  /* a new label lays the whole popover out again: only when it changed */
  if (g_strcmp0 (gtk_label_get_text (self->label), text) != 0)
    gtk_label_set_text (self->label, text);
}

/**
 * smelt_task_row_get_text:
 * @self: a #SmeltTaskRow
 *
 * Returns: (transfer none): what the row says
 */
const char *
smelt_task_row_get_text (SmeltTaskRow *self)
{
  g_return_val_if_fail (SMELT_IS_TASK_ROW (self), NULL);

  return gtk_label_get_text (self->label);
}

/**
 * smelt_task_row_get_cancel_button:
 * @self: a #SmeltTaskRow
 *
 * Returns: (transfer none): the row's Cancel button
 */
GtkWidget *
smelt_task_row_get_cancel_button (SmeltTaskRow *self)
{
  g_return_val_if_fail (SMELT_IS_TASK_ROW (self), NULL);

  return GTK_WIDGET (self->cancel_button);
}
