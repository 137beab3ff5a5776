/* smelt-prompt-dialog.c: the dialog behind smelt.ui.input and smelt.ui.confirm
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One template (data/ui/smelt-prompt-dialog.ui) for both kinds: a prompt,
 * then an entry (input), then Cancel and OK (smelt.ui.select has a window
 * of its own, SmeltPicker).  The dialog answers exactly once, through the
 * "answered" signal, and then destroys itself: OK or Return accept; Cancel,
 * Escape or closing the window decline.  smelt_prompt_dialog_withdraw()
 * closes it without an answer (the task that asked was cancelled).
 */

#define G_LOG_DOMAIN "smelt-dialog"

#include "config.h"

#include "smelt-prompt-dialog.h"

struct _SmeltPromptDialog
{
  GtkWindow parent_instance;

  SmeltPromptKind kind;
  gboolean        answered;
  GtkLabel       *prompt_label;
  GtkEntry       *entry;
  GtkButton      *ok_button;
  GtkButton      *cancel_button;
};

G_DEFINE_FINAL_TYPE (SmeltPromptDialog, smelt_prompt_dialog, GTK_TYPE_WINDOW)

enum { ANSWERED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Emits "answered" once, then the dialog goes. */
static void
answer (SmeltPromptDialog *self,
        gboolean           accepted,
        const char        *text,
        int                index)
{
  if (self->answered)
    return;
  self->answered = TRUE;
  g_object_ref (self);
  g_signal_emit (self, signals[ANSWERED], 0, accepted, text, index);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
accept (SmeltPromptDialog *self)
{
  switch (self->kind)
    {
    case SMELT_PROMPT_INPUT:
      {
        g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));

        answer (self, TRUE, text, 0);
      }
      break;
    case SMELT_PROMPT_CONFIRM:
    default:
      answer (self, TRUE, NULL, 0);
      break;
    }
}

/* The window it asks for went: as if the dialog were closed. */
static void
on_parent_destroyed (SmeltPromptDialog *self)
{
  answer (self, FALSE, NULL, 0);
}

static gboolean
on_close_request (GtkWindow         *window,
                  SmeltPromptDialog *self)
{
  answer (self, FALSE, NULL, 0);
  return TRUE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SmeltPromptDialog     *self)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  answer (self, FALSE, NULL, 0);
  return TRUE;
}

static void
on_ok_clicked (GtkButton         *button,
               SmeltPromptDialog *self)
{
  accept (self);
}

static void
on_cancel_clicked (GtkButton         *button,
                   SmeltPromptDialog *self)
{
  answer (self, FALSE, NULL, 0);
}

static void
smelt_prompt_dialog_class_init (SmeltPromptDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * SmeltPromptDialog::answered:
   * @self: the dialog
   * @accepted: %TRUE for OK (or a chosen item), %FALSE when dismissed
   * @text: (nullable): an input dialog's text when accepted
   * @index: always 0 (the signature of #SmeltPicker::answered)
   *
   * Emitted once, just before the dialog destroys itself; never after
   * smelt_prompt_dialog_withdraw().
   */
  signals[ANSWERED] = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 3, G_TYPE_BOOLEAN, G_TYPE_STRING, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/smelt/Editor/ui/smelt-prompt-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SmeltPromptDialog, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, SmeltPromptDialog, entry);
  gtk_widget_class_bind_template_child (widget_class, SmeltPromptDialog, ok_button);
  gtk_widget_class_bind_template_child (widget_class, SmeltPromptDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_close_request);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, on_ok_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
smelt_prompt_dialog_init (SmeltPromptDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * smelt_prompt_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @kind: what it asks for
 * @title: the dialog's title
 * @prompt: the text above the entry or the buttons
 *
 * Makes a dialog that stays above @parent (not modal: the window stays
 * usable while it asks); present it with gtk_window_present(). If @parent
 * is destroyed first, the dialog answers as if it were closed.
 *
 * Returns: (transfer none): the dialog, owned by GTK's list of toplevels
 */
SmeltPromptDialog *
smelt_prompt_dialog_new (GtkWindow       *parent,
                         SmeltPromptKind  kind,
                         const char      *title,
                         const char      *prompt)
{
  SmeltPromptDialog *self = g_object_new (SMELT_TYPE_PROMPT_DIALOG,
                                          "title", title,
                                          "transient-for", parent,
                                          NULL);

  self->kind = kind;
  if (parent != NULL)
    g_signal_connect_object (parent, "destroy", G_CALLBACK (on_parent_destroyed), self, G_CONNECT_SWAPPED);
  gtk_label_set_text (self->prompt_label, prompt);
  gtk_widget_set_visible (GTK_WIDGET (self->entry), kind == SMELT_PROMPT_INPUT);
  /* Return answers OK, the input dialog types into its entry */
  if (kind == SMELT_PROMPT_INPUT)
    gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  else if (kind == SMELT_PROMPT_CONFIRM)
    gtk_widget_grab_focus (GTK_WIDGET (self->ok_button));
  return self;
}

/**
 * smelt_prompt_dialog_set_text:
 * @self: an input dialog
 * @text: the entry's text
 *
 * Sets the text an input dialog starts with.
 */
void
smelt_prompt_dialog_set_text (SmeltPromptDialog *self,
                              const char        *text)
{
  g_return_if_fail (SMELT_IS_PROMPT_DIALOG (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

/**
 * smelt_prompt_dialog_set_buttons:
 * @self: a dialog
 * @ok: the accepting button's label
 * @cancel: the declining button's label
 *
 * Relabels the buttons (a confirm dialog's "Discard and quit", say).
 */
void
smelt_prompt_dialog_set_buttons (SmeltPromptDialog *self,
                                 const char        *ok,
                                 const char        *cancel)
{
  g_return_if_fail (SMELT_IS_PROMPT_DIALOG (self));

  gtk_button_set_label (self->ok_button, ok);
  gtk_button_set_label (self->cancel_button, cancel);
}

/**
 * smelt_prompt_dialog_withdraw:
 * @self: a dialog
 *
 * Closes the dialog without an answer: "answered" is not emitted.
 */
void
smelt_prompt_dialog_withdraw (SmeltPromptDialog *self)
{
  g_return_if_fail (SMELT_IS_PROMPT_DIALOG (self));

  if (self->answered)
    return;
  self->answered = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

/**
 * smelt_prompt_dialog_dismiss:
 * @self: a dialog
 *
 * Closes the dialog as its close button does: "answered" is emitted,
 * declined (nil for input, false for confirm), unless it was
 * answered or withdrawn already.
 */
void
smelt_prompt_dialog_dismiss (SmeltPromptDialog *self)
{
  g_return_if_fail (SMELT_IS_PROMPT_DIALOG (self));

  answer (self, FALSE, NULL, 0);
}
