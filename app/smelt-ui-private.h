/* smelt-ui-private.h: what the files of the Lua UI tier share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <lua.h>

#include "smelt-editor-page.h"
#include "smelt-picker.h"
#include "smelt-window.h"

G_BEGIN_DECLS

/* The window Lua calls act on (the active one, else the first); raises
 * "fname: no editor window is open" when there is none. */
SmeltWindow *smelt_ui_current_window (lua_State       *L,
                                      const char      *fname);

/* Buffers (smelt-ui-buffer.c): pushes a Buffer userdata, which holds its
 * page weakly; builds the Buffer metatable and internal.buf_* */
SmeltEditorPage *smelt_ui_check_buffer (lua_State     *L,
                                        const char    *fname);
void         smelt_ui_push_buffer    (lua_State       *L,
                                      SmeltEditorPage *page);
void         smelt_ui_open_buffers   (lua_State       *L,
                                      int              internal_idx);

/* Dialogs (smelt-ui-dialogs.c): internal.ui_input, ui_confirm, picker_* */
void         smelt_ui_open_dialogs   (lua_State       *L,
                                      int              internal_idx);
SmeltPicker *smelt_ui_dialogs_get_picker (void);

/* Popups (smelt-ui-popup.c): internal.ui_popup */
void         smelt_ui_open_popups    (lua_State       *L,
                                      int              internal_idx);
GtkWidget   *smelt_ui_popup_get_newest (void);

G_END_DECLS
