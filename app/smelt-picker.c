/* smelt-picker.c: the window behind smelt.ui.select: a filter entry over a list that may still be filling
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An entry (left out with no filter), a count ("1,234 / 100,000", with a
 * spinner while a producer still pushes items) and a GtkListView of a
 * SmeltPickerModel, which it flushes every FLUSH_MS while items come.
 * The selection is the picker's own (GtkSingleSelection's autoselect
 * looks for the selected item among every item added by a change: 100,000
 * new items made to find one), kept at its place when items come and on
 * the first item after a new query.  The keyboard stays in the entry; the window takes
 * Up, Down, Ctrl+N, Ctrl+P, Page Up and Page Down to move the selection,
 * Return to pick and Escape to decline before the entry sees them.  Like
 * SmeltPromptDialog it answers exactly once, through "answered", and then
 * destroys itself; smelt_picker_withdraw() closes it without an answer.
 */

#define G_LOG_DOMAIN "smelt-picker"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "smelt-picker.h"

#define FLUSH_MS 30

struct _SmeltPicker
{
  GtkWindow           parent_instance;

  SmeltPickerModel   *model;
  GtkSingleSelection *selection;
  GtkWidget          *entry;
  GtkLabel           *count_label;
  GtkWidget          *spinner;
  GtkListView        *list;
  gboolean            answered;
  guint               flush_id;

  /* the last query's time to the screen (smelt_picker_get_filter_ms) */
  gint64              query_changed_at;
  double              filter_ms;
  gulong              after_paint_id;
  GdkFrameClock      *frame_clock;
};

G_DEFINE_FINAL_TYPE (SmeltPicker, smelt_picker, GTK_TYPE_WINDOW)

enum { ANSWERED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
answer (SmeltPicker *self,
        gboolean     accepted,
        int          index)
{
  if (self->answered)
    return;
  self->answered = TRUE;
  g_object_ref (self);
  g_signal_emit (self, signals[ANSWERED], 0, accepted, NULL, index);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
accept_selected (SmeltPicker *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  guint index = smelt_picker_model_get_index (self->model, position);

  if (index > 0)
    answer (self, TRUE, (int) index);
}

static void
select_position (SmeltPicker *self,
                 guint        position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  if (n == 0)
    return;
  position = MIN (position, n - 1);
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list), "list.scroll-to-item", "u", position);
}

static void
move_selection (SmeltPicker *self,
                int          by)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position == GTK_INVALID_LIST_POSITION)
    position = 0;
  else if (by < 0)
    position = (guint) -by > position ? 0 : position + by;
  else
    position += by;
  select_position (self, position);
}

/* 1234567 as "1,234,567" (the locale's separator when it has one) */
static char *
format_count (guint n)
{
  const char *sep = localeconv ()->thousands_sep;
  g_autofree char *digits = g_strdup_printf ("%u", n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  if (sep == NULL || *sep == '\0')
    sep = ",";
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static void
update_count (SmeltPicker *self)
{
  g_autofree char *shown = format_count (g_list_model_get_n_items (G_LIST_MODEL (self->model)));
  g_autofree char *total = format_count (smelt_picker_model_get_n_total (self->model));
  g_autofree char *text = g_strdup_printf ("%s / %s", shown, total);

  gtk_label_set_text (self->count_label, text);
}

static void
on_items_changed (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  SmeltPicker *self)
{
  update_count (self);
}

static void
on_after_paint (GdkFrameClock *clock,
                SmeltPicker   *self)
{
  self->filter_ms = (g_get_monotonic_time () - self->query_changed_at) / 1000.0;
  g_clear_signal_handler (&self->after_paint_id, clock);
}

static void
on_query_changed (GtkEditable *editable,
                  SmeltPicker *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  self->query_changed_at = g_get_monotonic_time ();
  self->filter_ms = -1;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  smelt_picker_model_set_query (self->model, gtk_editable_get_text (editable));
  select_position (self, 0);
  /* the time the list takes to show it is until the frame that draws it */
  if (clock != NULL && self->after_paint_id == 0)
    {
      g_set_object (&self->frame_clock, clock);
      self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->list));
}

/* Shows the items appended since the last flush; the selection stays at
 * its place (the first item, when there was none). */
static void
flush (SmeltPicker *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  smelt_picker_model_flush (self->model);
  selected = selected == GTK_INVALID_LIST_POSITION ? 0 : selected;
  if (selected < g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    gtk_single_selection_set_selected (self->selection, selected);
}

static gboolean
on_flush_due (gpointer data)
{
  SmeltPicker *self = data;

  self->flush_id = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SmeltPicker           *self)
{
  gboolean ctrl = (state & GDK_CONTROL_MASK) != 0;

  switch (keyval)
    {
    case GDK_KEY_Escape:
      answer (self, FALSE, 0);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      accept_selected (self);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_selection (self, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_selection (self, 1);
      return TRUE;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      move_selection (self, -10);
      return TRUE;
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      move_selection (self, 10);
      return TRUE;
    case GDK_KEY_p:
    case GDK_KEY_n:
      if (!ctrl)
        return FALSE;
      move_selection (self, keyval == GDK_KEY_n ? 1 : -1);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
on_activate (GtkListView *list,
             guint        position,
             SmeltPicker *self)
{
  guint index = smelt_picker_model_get_index (self->model, position);

  if (index > 0)
    answer (self, TRUE, (int) index);
}

static gboolean
on_close_request (GtkWindow *window)
{
  answer (SMELT_PICKER (window), FALSE, 0);
  return TRUE;
}

static void
on_parent_destroyed (SmeltPicker *self)
{
  answer (self, FALSE, 0);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  SmeltPickerItem *item = gtk_list_item_get_item (list_item);

  gtk_label_set_text (label, smelt_picker_item_get_label (item));
  gtk_label_set_attributes (label, smelt_picker_item_get_attributes (item));
}

static void
smelt_picker_dispose (GObject *object)
{
  SmeltPicker *self = SMELT_PICKER (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  G_OBJECT_CLASS (smelt_picker_parent_class)->dispose (object);
}

static void
smelt_picker_class_init (SmeltPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = smelt_picker_dispose;
  window_class->close_request = on_close_request;

  /**
   * SmeltPicker::answered:
   * @self: the picker
   * @accepted: %TRUE for a picked item, %FALSE when declined
   * @text: (nullable): always %NULL (the signature of
   *   #SmeltPromptDialog::answered)
   * @index: the picked item's 1-based place in the order appended, else 0
   *
   * Emitted once, just before the picker destroys itself; never after
   * smelt_picker_withdraw().
   */
  signals[ANSWERED] = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 3, G_TYPE_BOOLEAN, G_TYPE_STRING, G_TYPE_INT);
}

static void
smelt_picker_init (SmeltPicker *self)
{
  self->filter_ms = -1;
}

/**
 * smelt_picker_new:
 * @parent: (nullable): the window the picker belongs to
 * @prompt: its title, and the entry's placeholder
 * @filter: how typing filters the items (%SMELT_PICKER_FILTER_NONE: no entry)
 *
 * Makes an empty picker that stays above @parent (not modal); append
 * items to smelt_picker_get_model() and present it.  If @parent is
 * destroyed first, it answers as if closed.
 *
 * Returns: (transfer none): the picker, owned by GTK's list of toplevels
 */
SmeltPicker *
smelt_picker_new (GtkWindow         *parent,
                  const char        *prompt,
                  SmeltPickerFilter  filter)
{
  SmeltPicker *self = g_object_new (SMELT_TYPE_PICKER,
                                    "title", prompt,
                                    "transient-for", parent,
                                    "modal", FALSE,
                                    "default-width", 560,
                                    "default-height", 440,
                                    NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->model = smelt_picker_model_new (filter);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect_swapped (self->model, "notify::n-total", G_CALLBACK (update_count), self);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);

  self->entry = gtk_search_entry_new ();
  g_object_set (self->entry, "placeholder-text", prompt, NULL);
  gtk_widget_set_hexpand (self->entry, TRUE);
  gtk_widget_set_visible (self->entry, filter != SMELT_PICKER_FILTER_NONE);
  g_signal_connect (self->entry, "changed", G_CALLBACK (on_query_changed), self);
  gtk_box_append (GTK_BOX (top), self->entry);
  if (filter == SMELT_PICKER_FILTER_NONE)
    {
      GtkWidget *title = gtk_label_new (prompt);

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_set_hexpand (title, TRUE);
      gtk_box_append (GTK_BOX (top), title);
    }
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_box_append (GTK_BOX (top), self->spinner);
  self->count_label = GTK_LABEL (gtk_label_new ("0 / 0"));
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "numeric");
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->count_label));
  gtk_box_append (GTK_BOX (box), top);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  self->list = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)), factory));
  gtk_list_view_set_single_click_activate (self->list, FALSE);
  g_signal_connect (self->list, "activate", G_CALLBACK (on_activate), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_add_css_class (scroller, "frame");
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_window_set_child (GTK_WINDOW (self), box);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  if (parent != NULL)
    g_signal_connect_object (parent, "destroy", G_CALLBACK (on_parent_destroyed), self, G_CONNECT_SWAPPED);
  if (filter != SMELT_PICKER_FILTER_NONE)
    gtk_widget_grab_focus (self->entry);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->list));
  return self;
}

/**
 * smelt_picker_get_model:
 * @self: a picker
 *
 * Returns: (transfer none): its items
 */
SmeltPickerModel *
smelt_picker_get_model (SmeltPicker *self)
{
  g_return_val_if_fail (SMELT_IS_PICKER (self), NULL);

  return self->model;
}

/**
 * smelt_picker_get_selection:
 * @self: a picker
 *
 * Returns: (transfer none): the list's selection (the item Return picks)
 */
GtkSingleSelection *
smelt_picker_get_selection (SmeltPicker *self)
{
  g_return_val_if_fail (SMELT_IS_PICKER (self), NULL);

  return self->selection;
}

/**
 * smelt_picker_append:
 * @self: a picker
 * @label: an item as shown (UTF-8)
 *
 * Appends an item; it shows within FLUSH_MS (if the query matches it).
 */
void
smelt_picker_append (SmeltPicker *self,
                     const char  *label)
{
  g_return_if_fail (SMELT_IS_PICKER (self));
  g_return_if_fail (label != NULL);

  smelt_picker_model_append (self->model, label);
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (FLUSH_MS, on_flush_due, self);
}

/**
 * smelt_picker_flush:
 * @self: a picker
 *
 * Shows the items appended so far now.
 */
void
smelt_picker_flush (SmeltPicker *self)
{
  g_return_if_fail (SMELT_IS_PICKER (self));

  flush (self);
}

/**
 * smelt_picker_set_streaming:
 * @self: a picker
 * @streaming: whether items are still coming
 *
 * Shows the spinner beside the count while items are still coming; when
 * they stop, shows the last ones at once.
 */
void
smelt_picker_set_streaming (SmeltPicker *self,
                            gboolean     streaming)
{
  g_return_if_fail (SMELT_IS_PICKER (self));

  if (!streaming)
    flush (self);
  gtk_widget_set_visible (self->spinner, streaming);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), streaming);
}

/**
 * smelt_picker_is_answered:
 * @self: a picker
 *
 * Returns: whether it answered or was withdrawn (it is going)
 */
gboolean
smelt_picker_is_answered (SmeltPicker *self)
{
  g_return_val_if_fail (SMELT_IS_PICKER (self), TRUE);

  return self->answered;
}

/**
 * smelt_picker_withdraw:
 * @self: a picker
 *
 * Closes it without an answer: "answered" is not emitted.
 */
void
smelt_picker_withdraw (SmeltPicker *self)
{
  g_return_if_fail (SMELT_IS_PICKER (self));

  if (self->answered)
    return;
  self->answered = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

/**
 * smelt_picker_dismiss:
 * @self: a picker
 *
 * Closes it as its close button does: "answered" is emitted, declined.
 */
void
smelt_picker_dismiss (SmeltPicker *self)
{
  g_return_if_fail (SMELT_IS_PICKER (self));

  answer (self, FALSE, 0);
}

/**
 * smelt_picker_dup_count:
 * @self: a picker
 *
 * Returns: (transfer full): what the count says: "shown / total"
 */
char *
smelt_picker_dup_count (SmeltPicker *self)
{
  g_return_val_if_fail (SMELT_IS_PICKER (self), NULL);

  return g_strdup (gtk_label_get_text (self->count_label));
}

/**
 * smelt_picker_dup_query:
 * @self: a picker
 *
 * Returns: (transfer full): what the entry says
 */
char *
smelt_picker_dup_query (SmeltPicker *self)
{
  g_return_val_if_fail (SMELT_IS_PICKER (self), NULL);

  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

/**
 * smelt_picker_get_filter_ms:
 * @self: a picker
 *
 * How long the last change of the query took to show: from the entry's
 * change to the end of the first frame painted after it (the
 * benchmark's figure).
 *
 * Returns: milliseconds, or -1 before that frame (or before any query)
 */
double
smelt_picker_get_filter_ms (SmeltPicker *self)
{
  g_return_val_if_fail (SMELT_IS_PICKER (self), -1);

  return self->filter_ms;
}
