/* smelt-message-area.h: the message area: the last message on a line, the whole of it a click away
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SMELT_TYPE_MESSAGE_AREA (smelt_message_area_get_type ())

G_DECLARE_FINAL_TYPE (SmeltMessageArea, smelt_message_area, SMELT, MESSAGE_AREA, GtkWidget)

void        smelt_message_area_show          (SmeltMessageArea *self,
                                              const char       *level,
                                              const char       *text,
                                              const char       *traceback);
const char *smelt_message_area_get_line      (SmeltMessageArea *self);
gboolean    smelt_message_area_is_truncated  (SmeltMessageArea *self);
const char *smelt_message_area_get_shown     (SmeltMessageArea *self);
GtkWidget  *smelt_message_area_get_button    (SmeltMessageArea *self);

G_END_DECLS
