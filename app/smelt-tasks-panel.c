/* smelt-tasks-panel.c: the Tasks popover: live tasks, what each waits on, and a Cancel button each
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window refreshes the panel every 250 ms.  Rows are kept per task id
 * and updated in place, so a button under the pointer or holding the focus
 * survives a refresh; rows of tasks that have ended go.
 */

#define G_LOG_DOMAIN "smelt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "smelt-embed.h"
#include "smelt-task-row.h"
#include "smelt-tasks-panel.h"

/* a task this old shows in the statusline's busy spinner */
#define BUSY_AFTER_MS 500

struct _SmeltTasksPanel
{
  GtkPopover  parent_instance;

  SmeltHost  *host;
  GtkListBox *list;
  GHashTable *rows;        /* task id -> SmeltTaskRow (owned by list) */
  guint       generation;
};

G_DEFINE_FINAL_TYPE (SmeltTasksPanel, smelt_tasks_panel, GTK_TYPE_POPOVER)

typedef struct
{
  SmeltTasksPanel *self;
  SmeltTask       *busiest;
  gint64           now;
  gboolean         rows;      /* the panel is shown: its rows are kept up to date */
} Refresh;

/* A Cancel button: the task goes, and the message area says which. */
static void
on_row_cancel (SmeltTaskRow    *row,
               guint64          id,
               SmeltTasksPanel *self)
{
  const char *name = g_object_get_data (G_OBJECT (row), "smelt-task-name");
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, id);
  g_autofree char *text = NULL;

  if (self->host == NULL || !smelt_host_cancel_task (self->host, id))
    return;
  /* TRANSLATORS: a task's number, then its name */
  text = g_strdup_printf (_("cancelled task #%s (%s)"), number, name ? name : "?");
  smelt_host_notify (self->host, SMELT_LEVEL_INFO, text);
}

static void
update_row (SmeltTasksPanel *self,
            SmeltTask       *task,
            gint64           age_ms)
{
  g_autofree char *name = smelt_task_dup_name (task, NULL);
  g_autofree char *waiting = smelt_task_dup_waiting_on (task);
  g_autofree char *text = NULL;
  SmeltTaskRow *row = g_hash_table_lookup (self->rows, GSIZE_TO_POINTER (task->id));

  if (row == NULL)
    {
      row = smelt_task_row_new (task->id);
      g_signal_connect_object (row, "cancel", G_CALLBACK (on_row_cancel), self, 0);
      /* at the bottom of a list of fixed height: a task that comes or
       * goes moves no row above it, and the panel keeps its size (a popover
       * that grew would move under the pointer, and a click aimed at a
       * Cancel button could land on another row) */
      gtk_list_box_append (self->list, GTK_WIDGET (row));
      g_hash_table_insert (self->rows, GSIZE_TO_POINTER (task->id), row);
    }
  text = g_strdup_printf ("#%" G_GUINT64_FORMAT "  %s  —  %s%s%s  (%" G_GINT64_FORMAT " s)", task->id, name,
                          smelt_task_state_to_string (task->state),
                          waiting ? " on " : "", waiting ? waiting : "", age_ms / 1000);
  smelt_task_row_set_text (row, text);
  if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "smelt-task-name"), name) != 0)
    g_object_set_data_full (G_OBJECT (row), "smelt-task-name", g_strdup (name), g_free);
  g_object_set_data (G_OBJECT (row), "generation", GUINT_TO_POINTER (self->generation));
}

static void
visit_task (gpointer data,
            gpointer user_data)
{
  SmeltTask *task = data;
  Refresh *refresh = user_data;
  gint64 age_ms = (refresh->now - task->created_at) / 1000;

  if (refresh->rows)
    update_row (refresh->self, task, age_ms);
  /* a combinator's branch (timeout's deadline, a race's runner) is not the
   * work: the task that awaits it is, and it is as old; a background task
   * (a server's reader) is never the work */
  if (age_ms >= BUSY_AFTER_MS && !task->joined && !task->background && (refresh->busiest == NULL || task->id > refresh->busiest->id))
    refresh->busiest = task;
}

/**
 * smelt_tasks_panel_refresh:
 * @self: a #SmeltTasksPanel
 *
 * Brings the rows up to date with the host's live tasks while the panel is
 * shown; hidden, it keeps no rows (widgets for thousands of tasks, 4 times
 * a second, would be work nobody sees) and only finds the busiest task.
 *
 * Returns: (transfer full) (nullable): the name of the newest task that has
 *   run for half a second or more, for the statusline's spinner, or %NULL
 */
char *
smelt_tasks_panel_refresh (SmeltTasksPanel *self)
{
  Refresh refresh = { self, NULL, 0, FALSE };
  GHashTableIter iter;
  gpointer row;

  g_return_val_if_fail (SMELT_IS_TASKS_PANEL (self), NULL);

  if (self->host == NULL || self->rows == NULL)
    return NULL;
  refresh.now = smelt_scheduler_now (smelt_host_get_scheduler (self->host));
  refresh.rows = gtk_widget_get_mapped (GTK_WIDGET (self));
  self->generation++;
  smelt_scheduler_foreach_live (smelt_host_get_scheduler (self->host), visit_task, &refresh);
  /* rows not brought up to date go: their tasks ended, or the panel is hidden */
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    if (GPOINTER_TO_UINT (g_object_get_data (row, "generation")) != self->generation)
      {
        gtk_list_box_remove (self->list, gtk_widget_get_parent (row));
        g_hash_table_iter_remove (&iter);
      }
  return refresh.busiest != NULL ? smelt_task_dup_name (refresh.busiest, NULL) : NULL;
}

/* shown: the rows at once, not at the next tick */
static void
on_map (GtkWidget *widget)
{
  g_free (smelt_tasks_panel_refresh (SMELT_TASKS_PANEL (widget)));
}

/**
 * smelt_tasks_panel_set_host:
 * @self: a #SmeltTasksPanel
 * @host: (nullable): the host whose tasks it lists
 */
void
smelt_tasks_panel_set_host (SmeltTasksPanel *self,
                            SmeltHost       *host)
{
  g_return_if_fail (SMELT_IS_TASKS_PANEL (self));

  g_set_object (&self->host, host);
}

/**
 * smelt_tasks_panel_get_cancel_button:
 * @self: a #SmeltTasksPanel
 * @id: a task id
 *
 * Finds the Cancel button of @id's row, for tests that click it with real
 * pointer events.
 *
 * Returns: (transfer none) (nullable): the button, or %NULL when the panel
 *   shows no row for @id
 */
GtkWidget *
smelt_tasks_panel_get_cancel_button (SmeltTasksPanel *self,
                                     guint64          id)
{
  SmeltTaskRow *row;

  g_return_val_if_fail (SMELT_IS_TASKS_PANEL (self), NULL);

  row = self->rows ? g_hash_table_lookup (self->rows, GSIZE_TO_POINTER (id)) : NULL;
  return row != NULL ? smelt_task_row_get_cancel_button (row) : NULL;
}

/**
 * smelt_tasks_panel_get_row_text:
 * @self: a #SmeltTasksPanel
 * @id: a task id
 *
 * What @id's row says ("#12  indexer  —  parked on queue get  (3 s)"),
 * for tests.
 *
 * Returns: (transfer none) (nullable): the text, or %NULL when the panel
 *   shows no row for @id
 */
const char *
smelt_tasks_panel_get_row_text (SmeltTasksPanel *self,
                                guint64          id)
{
  SmeltTaskRow *row;

  g_return_val_if_fail (SMELT_IS_TASKS_PANEL (self), NULL);

  row = self->rows ? g_hash_table_lookup (self->rows, GSIZE_TO_POINTER (id)) : NULL;
  return row != NULL ? smelt_task_row_get_text (row) : NULL;
}

static void
smelt_tasks_panel_dispose (GObject *object)
{
  SmeltTasksPanel *self = SMELT_TASKS_PANEL (object);

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_object (&self->host);
  G_OBJECT_CLASS (smelt_tasks_panel_parent_class)->dispose (object);
}

static void
smelt_tasks_panel_class_init (SmeltTasksPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = smelt_tasks_panel_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/smelt/Editor/ui/smelt-tasks-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SmeltTasksPanel, list);
}

static void
smelt_tasks_panel_init (SmeltTasksPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}
