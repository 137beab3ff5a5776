/* smelt-tasks-panel.h: the Tasks popover: live tasks, what each waits on, and a Cancel button each
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "smelt-host.h"

G_BEGIN_DECLS

#define SMELT_TYPE_TASKS_PANEL (smelt_tasks_panel_get_type ())

G_DECLARE_FINAL_TYPE (SmeltTasksPanel, smelt_tasks_panel, SMELT, TASKS_PANEL, GtkPopover)

void       smelt_tasks_panel_set_host          (SmeltTasksPanel *self,
                                                SmeltHost       *host);
char      *smelt_tasks_panel_refresh           (SmeltTasksPanel *self);
GtkWidget *smelt_tasks_panel_get_cancel_button (SmeltTasksPanel *self,
                                                guint64          id);
const char *smelt_tasks_panel_get_row_text     (SmeltTasksPanel *self,
                                                guint64          id);

G_END_DECLS
