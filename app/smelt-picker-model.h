/* smelt-picker-model.h: a picker's items, filtered and ranked by its query, as a GListModel
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <pango/pango.h>

G_BEGIN_DECLS

/**
 * SmeltPickerFilter:
 * @SMELT_PICKER_FILTER_NONE: every item, in order; the query is ignored
 * @SMELT_PICKER_FILTER_SUBSTRING: the items that contain the query, in order
 * @SMELT_PICKER_FILTER_FUZZY: the items with the query's characters in
 *   order, best first
 *
 * How a #SmeltPickerModel matches its query (always ignoring case).
 */
typedef enum
{
  SMELT_PICKER_FILTER_NONE,
  SMELT_PICKER_FILTER_SUBSTRING,
  SMELT_PICKER_FILTER_FUZZY,
} SmeltPickerFilter;

#define SMELT_TYPE_PICKER_ITEM (smelt_picker_item_get_type ())

G_DECLARE_FINAL_TYPE (SmeltPickerItem, smelt_picker_item, SMELT, PICKER_ITEM, GObject)

const char    *smelt_picker_item_get_label      (SmeltPickerItem *self);
PangoAttrList *smelt_picker_item_get_attributes (SmeltPickerItem *self);
guint          smelt_picker_item_get_index      (SmeltPickerItem *self);

#define SMELT_TYPE_PICKER_MODEL (smelt_picker_model_get_type ())

G_DECLARE_FINAL_TYPE (SmeltPickerModel, smelt_picker_model, SMELT, PICKER_MODEL, GObject)

SmeltPickerModel *smelt_picker_model_new       (SmeltPickerFilter  filter);
void              smelt_picker_model_append    (SmeltPickerModel  *self,
                                                const char        *label);
void              smelt_picker_model_flush     (SmeltPickerModel  *self);
void              smelt_picker_model_set_query (SmeltPickerModel  *self,
                                                const char        *query);
guint             smelt_picker_model_get_n_total (SmeltPickerModel *self);
guint             smelt_picker_model_get_index (SmeltPickerModel  *self,
                                                guint              position);

G_END_DECLS
