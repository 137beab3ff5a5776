/* smelt-search-bar.h: find (Ctrl+F) and replace (Ctrl+H) in the buffer, with the matches highlighted and counted
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "smelt-editor-page.h"

G_BEGIN_DECLS

#define SMELT_TYPE_SEARCH_BAR (smelt_search_bar_get_type ())

G_DECLARE_FINAL_TYPE (SmeltSearchBar, smelt_search_bar, SMELT, SEARCH_BAR, GtkWidget)

void     smelt_search_bar_set_page  (SmeltSearchBar  *self,
                                     SmeltEditorPage *page);
void     smelt_search_bar_open      (SmeltSearchBar  *self,
                                     gboolean         replacing);
gboolean smelt_search_bar_has_focus (SmeltSearchBar  *self);

G_END_DECLS
