/* smelt-window.h: the main window: buffers in tabs, a statusline, a message area, a command line
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "smelt-editor-page.h"
#include "smelt-host.h"
#include "smelt-message-area.h"

G_BEGIN_DECLS

#define SMELT_TYPE_WINDOW (smelt_window_get_type ())

G_DECLARE_FINAL_TYPE (SmeltWindow, smelt_window, SMELT, WINDOW, GtkApplicationWindow)

SmeltWindow     *smelt_window_new              (GtkApplication *app,
                                                SmeltHost      *host);
SmeltEditorPage *smelt_window_new_page         (SmeltWindow    *self);
SmeltEditorPage *smelt_window_get_current_page (SmeltWindow    *self);
SmeltEditorPage *smelt_window_get_page         (SmeltWindow    *self,
                                                SmeltDocument  *document);
void             smelt_window_close_page       (SmeltWindow    *self,
                                                SmeltEditorPage *page);
void             smelt_window_update_tab_label (SmeltWindow    *self,
                                                SmeltEditorPage *page);
GList           *smelt_window_list_pages       (SmeltWindow    *self);
void             smelt_window_open_file        (SmeltWindow    *self,
                                                GFile          *file);
void             smelt_window_show_message     (SmeltWindow    *self,
                                                const char     *level,
                                                const char     *text,
                                                const char     *traceback);
SmeltMessageArea *smelt_window_get_message_area (SmeltWindow   *self);
char            *smelt_window_dup_message      (SmeltWindow    *self);
char            *smelt_window_dup_busy         (SmeltWindow    *self);
char            *smelt_window_dup_statusline   (SmeltWindow    *self);
void             smelt_window_queue_statusline (SmeltWindow    *self);
SmeltEditorPage *smelt_window_find_page        (SmeltWindow    *self,
                                                GFile          *file);
void             smelt_window_show_page        (SmeltWindow    *self,
                                                SmeltEditorPage *page);
char            *smelt_window_dup_command_line (SmeltWindow    *self);
void             smelt_window_run_command_line (SmeltWindow    *self,
                                                const char     *line);
void             smelt_window_focus_command_line (SmeltWindow  *self);
void             smelt_window_show_tasks       (SmeltWindow    *self);
GtkWidget       *smelt_window_get_task_cancel_button (SmeltWindow *self,
                                                      guint64      id);
const char      *smelt_window_get_task_row_text     (SmeltWindow *self,
                                                     guint64      id);

G_END_DECLS
