/* smelt-prompt-dialog.h: the dialog behind smelt.ui.input and smelt.ui.confirm
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * SmeltPromptKind:
 * @SMELT_PROMPT_INPUT: a line of text (smelt.ui.input)
 * @SMELT_PROMPT_CONFIRM: yes or no (smelt.ui.confirm)
 * @SMELT_PROMPT_SELECT: one item of a list (smelt.ui.select): a
 *   #SmeltPicker, never a #SmeltPromptDialog
 *
 * What a plugin's dialog asks for.
 */
typedef enum
{
  SMELT_PROMPT_INPUT,
  SMELT_PROMPT_CONFIRM,
  SMELT_PROMPT_SELECT,
} SmeltPromptKind;

#define SMELT_TYPE_PROMPT_DIALOG (smelt_prompt_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SmeltPromptDialog, smelt_prompt_dialog, SMELT, PROMPT_DIALOG, GtkWindow)

SmeltPromptDialog *smelt_prompt_dialog_new          (GtkWindow         *parent,
                                                     SmeltPromptKind    kind,
                                                     const char        *title,
                                                     const char        *prompt);
void               smelt_prompt_dialog_set_text     (SmeltPromptDialog *self,
                                                     const char        *text);
void               smelt_prompt_dialog_set_buttons  (SmeltPromptDialog *self,
                                                     const char        *ok,
                                                     const char        *cancel);
void               smelt_prompt_dialog_withdraw     (SmeltPromptDialog *self);
void               smelt_prompt_dialog_dismiss      (SmeltPromptDialog *self);

G_END_DECLS
