/* smelt-picker.h: the window behind smelt.ui.select: a filter entry over a list that may still be filling
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "smelt-picker-model.h"

G_BEGIN_DECLS

#define SMELT_TYPE_PICKER (smelt_picker_get_type ())

G_DECLARE_FINAL_TYPE (SmeltPicker, smelt_picker, SMELT, PICKER, GtkWindow)

SmeltPicker      *smelt_picker_new           (GtkWindow         *parent,
                                              const char        *prompt,
                                              SmeltPickerFilter  filter);
SmeltPickerModel *smelt_picker_get_model     (SmeltPicker       *self);
void              smelt_picker_append        (SmeltPicker       *self,
                                              const char        *label);
void              smelt_picker_flush         (SmeltPicker       *self);
GtkSingleSelection *smelt_picker_get_selection (SmeltPicker     *self);
void              smelt_picker_set_streaming (SmeltPicker       *self,
                                              gboolean           streaming);
gboolean          smelt_picker_is_answered   (SmeltPicker       *self);
void              smelt_picker_withdraw      (SmeltPicker       *self);
void              smelt_picker_dismiss       (SmeltPicker       *self);
char             *smelt_picker_dup_count     (SmeltPicker       *self);
char             *smelt_picker_dup_query     (SmeltPicker       *self);
double            smelt_picker_get_filter_ms (SmeltPicker       *self);

G_END_DECLS
