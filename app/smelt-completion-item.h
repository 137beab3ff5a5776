/* smelt-completion-item.h: one item a Lua completion provider gave, as GtkSourceCompletion shows it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define SMELT_TYPE_COMPLETION_ITEM (smelt_completion_item_get_type ())
G_DECLARE_FINAL_TYPE (SmeltCompletionItem, smelt_completion_item, SMELT, COMPLETION_ITEM, GObject)

/* a range replaced when the item is chosen: 1-based, columns in bytes, the end exclusive */
typedef struct
{
  int   first_line;
  int   first_col;
  int   last_line;
  int   last_col;
  char *text;
} SmeltCompletionEdit;

SmeltCompletionItem *smelt_completion_item_new        (const char *label);
const char          *smelt_completion_item_get_label  (SmeltCompletionItem *self);
const char          *smelt_completion_item_get_detail (SmeltCompletionItem *self);
const char          *smelt_completion_item_get_kind   (SmeltCompletionItem *self);
const char          *smelt_completion_item_get_documentation (SmeltCompletionItem *self);
const char          *smelt_completion_item_get_insert_text (SmeltCompletionItem *self);
const SmeltCompletionEdit *smelt_completion_item_get_edit (SmeltCompletionItem *self);
void                 smelt_completion_item_set_texts  (SmeltCompletionItem *self,
                                                       const char          *detail,
                                                       const char          *kind,
                                                       const char          *documentation,
                                                       const char          *insert_text);
void                 smelt_completion_item_set_edit   (SmeltCompletionItem *self,
                                                       const SmeltCompletionEdit *edit);
int                  smelt_completion_item_get_rank   (SmeltCompletionItem *self);
void                 smelt_completion_item_set_rank   (SmeltCompletionItem *self,
                                                       int                  rank);
void                 smelt_completion_item_set_resolver (SmeltCompletionItem *self,
                                                         gpointer             resolver,
                                                         GDestroyNotify       resolver_free);
gpointer             smelt_completion_item_get_resolver (SmeltCompletionItem *self);
void                 smelt_completion_item_set_resolved (SmeltCompletionItem *self,
                                                         const char          *detail,
                                                         const char          *documentation);

G_END_DECLS
