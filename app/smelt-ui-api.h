/* smelt-ui-api.h: the UI tier of the Lua API: dialogs that park tasks, and buffers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "smelt-editor-page.h"
#include "smelt-host.h"

G_BEGIN_DECLS

void        smelt_ui_api_install           (SmeltHost       *host,
                                            GtkApplication  *app);
void        smelt_ui_api_emit              (SmeltHost       *host,
                                            const char      *event,
                                            SmeltEditorPage *page,
                                            const char      *key1,
                                            int              value1,
                                            const char      *key2,
                                            int              value2);
void        smelt_ui_api_save              (SmeltHost       *host,
                                            SmeltEditorPage *page,
                                            gboolean         then_quit);
void        smelt_ui_api_save_as           (SmeltHost       *host,
                                            SmeltEditorPage *page,
                                            GFile           *file,
                                            gboolean         overwrite);
void        smelt_ui_api_reload_buffer     (SmeltHost       *host,
                                            SmeltEditorPage *page,
                                            gboolean         force);
void        smelt_ui_api_save_all          (SmeltHost       *host);
void        smelt_ui_api_open_file_encoded (SmeltHost       *host,
                                            const char      *path,
                                            const char      *encoding);
void        smelt_ui_api_offer_latin1      (SmeltHost       *host,
                                            const char      *path,
                                            const char      *message);
void        smelt_ui_api_close_requested   (SmeltHost       *host,
                                            gboolean         discard);
void        smelt_ui_api_close_buffer      (SmeltHost       *host,
                                            SmeltEditorPage *page,
                                            gboolean         force);
void        smelt_ui_api_install_test_hooks (SmeltHost      *host);
gboolean    smelt_ui_api_feed_key          (SmeltHost       *host,
                                            GdkEvent        *event,
                                            const char      *token);
void        smelt_ui_api_set_leader        (SmeltHost       *host,
                                            const char      *leader);
void        smelt_ui_api_set_timeoutlen    (SmeltHost       *host,
                                            guint            ms);
GStrv       smelt_ui_api_complete          (SmeltHost       *host,
                                            const char      *line);
char       *smelt_ui_api_render_statusline (SmeltHost       *host,
                                            SmeltEditorPage *page,
                                            char           **items);

G_END_DECLS
