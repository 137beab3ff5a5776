/* smelt-task-row.h: one live task in the Tasks panel: what it is and waits on, and a Cancel button
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SMELT_TYPE_TASK_ROW (smelt_task_row_get_type ())

G_DECLARE_FINAL_TYPE (SmeltTaskRow, smelt_task_row, SMELT, TASK_ROW, GtkBox)

SmeltTaskRow *smelt_task_row_new               (guint64       id);
guint64       smelt_task_row_get_id            (SmeltTaskRow *self);
void          smelt_task_row_set_text          (SmeltTaskRow *self,
                                                const char   *text);
GtkWidget    *smelt_task_row_get_cancel_button (SmeltTaskRow *self);
const char   *smelt_task_row_get_text          (SmeltTaskRow *self);

G_END_DECLS
