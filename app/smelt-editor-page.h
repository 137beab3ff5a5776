/* smelt-editor-page.h: the view of one document: a GtkSourceView in a tab
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "smelt-document.h"

G_BEGIN_DECLS

#define SMELT_TYPE_EDITOR_PAGE (smelt_editor_page_get_type ())

G_DECLARE_FINAL_TYPE (SmeltEditorPage, smelt_editor_page, SMELT, EDITOR_PAGE, GtkBox)

SmeltEditorPage *smelt_editor_page_new          (SmeltDocument       *document);
void             smelt_editor_page_set_settings (GSettings           *settings);
GSettings       *smelt_editor_page_get_settings (void);
SmeltDocument   *smelt_editor_page_get_document (SmeltEditorPage     *self);
GtkSourceBuffer *smelt_editor_page_get_buffer   (SmeltEditorPage     *self);
GtkSourceView   *smelt_editor_page_get_view     (SmeltEditorPage     *self);
guint            smelt_editor_page_count_views  (void);
GFile           *smelt_editor_page_get_file     (SmeltEditorPage     *self);
void             smelt_editor_page_set_file     (SmeltEditorPage     *self,
                                                 GFile               *file);
void             smelt_editor_page_set_providers (SmeltEditorPage    *self,
                                                  GtkSourceCompletionProvider *completion,
                                                  GtkSourceHoverProvider      *hover);
void             smelt_editor_page_close        (SmeltEditorPage     *self);
gboolean         smelt_editor_page_is_closed    (SmeltEditorPage     *self);
char            *smelt_editor_page_dup_title    (SmeltEditorPage     *self);
char            *smelt_editor_page_dup_name     (SmeltEditorPage     *self);
void             smelt_editor_page_go_to_line   (SmeltEditorPage     *self,
                                                 int                  line);
void             smelt_editor_page_ask_reload   (SmeltEditorPage     *self,
                                                 const char          *message);
void             smelt_editor_page_withdraw_reload (SmeltEditorPage  *self);
const char      *smelt_editor_page_get_reload_question (SmeltEditorPage *self);
GtkWidget       *smelt_editor_page_get_reload_button (SmeltEditorPage *self,
                                                      gboolean         reload);
void             smelt_editor_page_set_read_only (SmeltEditorPage    *self,
                                                  const char         *text,
                                                  const char         *name);
gboolean         smelt_editor_page_get_read_only (SmeltEditorPage    *self);

G_END_DECLS
