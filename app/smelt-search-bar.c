/* smelt-search-bar.c: find (Ctrl+F) and replace (Ctrl+H) in the buffer, with the matches highlighted and counted
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One GtkSourceSearchSettings for the window (the text being looked for);
 * a GtkSourceSearchContext per page, made when the page is first searched
 * (it highlights the matches and counts them, in idle time).  Typing
 * searches from the current match on; Return and Ctrl+G go to the next,
 * Shift+Return and Ctrl+Shift+G to the previous, wrapping around; Escape
 * closes the bar and clears the highlighting.  Opened for replacing, it
 * shows a second entry: Return there (or Replace) replaces the match that
 * is selected and goes to the next; Replace All replaces every match as
 * one undoable edit.
 */

#define G_LOG_DOMAIN "smelt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "smelt-search-bar.h"

struct _SmeltSearchBar
{
  GtkWidget                parent_instance;

  GtkSearchBar            *bar;
  GtkSearchEntry          *entry;
  GtkEntry                *replace_entry;
  GtkWidget               *replace_button;
  GtkWidget               *replace_all_button;
  GtkLabel                *count_label;
  GtkSourceSearchSettings *settings;
  SmeltEditorPage         *page;   /* weak */
};

G_DEFINE_FINAL_TYPE (SmeltSearchBar, smelt_search_bar, GTK_TYPE_WIDGET)

enum { CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

static GtkSourceSearchContext *
search_context (SmeltSearchBar *self)
{
  GtkSourceSearchContext *context;

  if (self->page == NULL)
    return NULL;
  context = g_object_get_data (G_OBJECT (self->page), "smelt-search-context");
  if (context == NULL)
    {
      context = gtk_source_search_context_new (smelt_editor_page_get_buffer (self->page), self->settings);
      g_object_set_data_full (G_OBJECT (self->page), "smelt-search-context", context, g_object_unref);
    }
  return context;
}

/* "2 of 7", "7 matches", "No matches" */
static void
update_count (SmeltSearchBar *self)
{
  GtkSourceSearchContext *context = search_context (self);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  int count, position = -1;

  if (context == NULL || gtk_source_search_settings_get_search_text (self->settings) == NULL)
    {
      gtk_label_set_text (self->count_label, "");
      return;
    }
  count = gtk_source_search_context_get_occurrences_count (context);
  buffer = GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (self->page));
  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    position = gtk_source_search_context_get_occurrence_position (context, &start, &end);
  if (count < 0)
    text = g_strdup ("");   /* still counting */
  else if (count == 0)
    text = g_strdup (_("No matches"));
  else if (position > 0)
    text = g_strdup_printf (_("%d of %d"), position, count);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d match", "%d matches", count), count);
  gtk_label_set_text (self->count_label, text);
}

static void
on_occurrences_count (GObject        *context,
                      GParamSpec     *pspec,
                      SmeltSearchBar *self)
{
  if (self->page != NULL && g_object_get_data (G_OBJECT (self->page), "smelt-search-context") == context)
    update_count (self);
}

/* Looks from iter on (or back), selects the match and shows it. */
static void
go_to_match (SmeltSearchBar *self,
             gboolean        forward,
             gboolean        from_selection_start)
{
  GtkSourceSearchContext *context = search_context (self);
  GtkTextBuffer *buffer;
  GtkTextIter start, end, from, match_start, match_end;
  gboolean wrapped, found;

  if (context == NULL || gtk_source_search_settings_get_search_text (self->settings) == NULL)
    return;
  buffer = GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (self->page));
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  from = forward && !from_selection_start ? end : start;
  found = forward ? gtk_source_search_context_forward (context, &from, &match_start, &match_end, &wrapped)
                  : gtk_source_search_context_backward (context, &from, &match_start, &match_end, &wrapped);
  if (found)
    {
      gtk_text_buffer_select_range (buffer, &match_start, &match_end);
      gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (smelt_editor_page_get_view (self->page)),
                                    gtk_text_buffer_get_insert (buffer), 0.2, FALSE, 0, 0);
    }
  update_count (self);
}

static void
on_search_changed (GtkSearchEntry *entry,
                   SmeltSearchBar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  gtk_source_search_settings_set_search_text (self->settings, *text ? text : NULL);
  go_to_match (self, TRUE, TRUE);   /* typing more keeps the match it is on */
}

static void
on_next (GtkWidget      *widget,
         SmeltSearchBar *self)
{
  go_to_match (self, TRUE, FALSE);
}

static void
on_previous (GtkWidget      *widget,
             SmeltSearchBar *self)
{
  go_to_match (self, FALSE, FALSE);
}

/* Whether the buffer may be edited here (not while its file loads). */
static gboolean
page_is_editable (SmeltSearchBar *self)
{
  return self->page != NULL && !smelt_editor_page_is_closed (self->page) &&
         gtk_text_view_get_editable (GTK_TEXT_VIEW (smelt_editor_page_get_view (self->page)));
}

/* The match to replace: the selection, or the match that starts at the
 * cursor when nothing is selected.  The second case is not only for the
 * user: on X11 a text buffer that loses the PRIMARY selection deselects, and
 * GDK can deliver the loss of a claim the buffer made before the one for the
 * match go_to_match() just selected, leaving the cursor at that match's start. */
static gboolean
match_to_replace (GtkSourceSearchContext *context,
                  GtkTextBuffer          *buffer,
                  GtkTextIter            *start,
                  GtkTextIter            *end)
{
  GtkTextIter match_start, match_end;
  gboolean wrapped;

  if (gtk_text_buffer_get_selection_bounds (buffer, start, end))
    return TRUE;
  if (!gtk_source_search_context_forward (context, start, &match_start, &match_end, &wrapped) ||
      wrapped || !gtk_text_iter_equal (&match_start, start))
    return FALSE;
  *end = match_end;
  return TRUE;
}

/* Replace (Return in the replace entry): the selected match, if the
 * selection is one, then on to the next match.  Whether it is one is left to
 * gtk_source_search_context_replace(), which searches the text itself: the
 * context's occurrence count lags behind an edit (it rescans in idle time). */
static void
on_replace (GtkWidget      *widget,
            SmeltSearchBar *self)
{
  GtkSourceSearchContext *context = search_context (self);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (context == NULL || !page_is_editable (self) ||
      gtk_source_search_settings_get_search_text (self->settings) == NULL)
    return;
  buffer = GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (self->page));
  if (match_to_replace (context, buffer, &start, &end) &&
      gtk_source_search_context_replace (context, &start, &end,
                                         gtk_editable_get_text (GTK_EDITABLE (self->replace_entry)), -1, NULL))
    gtk_text_buffer_place_cursor (buffer, &end);   /* the next match is after the replacement */
  go_to_match (self, TRUE, FALSE);
}

static void
on_replace_all (GtkWidget      *widget,
                SmeltSearchBar *self)
{
  GtkSourceSearchContext *context = search_context (self);
  g_autofree char *text = NULL;
  guint n;

  if (context == NULL || !page_is_editable (self) ||
      gtk_source_search_settings_get_search_text (self->settings) == NULL)
    return;
  n = gtk_source_search_context_replace_all (context, gtk_editable_get_text (GTK_EDITABLE (self->replace_entry)),
                                             -1, NULL);
  /* until the count of what is left comes in */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u replaced", "%u replaced", n), n);
  gtk_label_set_text (self->count_label, text);
}

static gboolean
on_replace_key (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SmeltSearchBar        *self);

static void
close_bar (SmeltSearchBar *self)
{
  gtk_search_bar_set_search_mode (self->bar, FALSE);
  gtk_source_search_settings_set_search_text (self->settings, NULL);   /* no highlighting left */
  gtk_label_set_text (self->count_label, "");
  g_signal_emit (self, signals[CLOSED], 0);
}

/* Escape in the replace entry closes the bar, as in the find entry. */
static gboolean
on_replace_key (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SmeltSearchBar        *self)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  close_bar (self);
  return TRUE;
}

static void
on_stop_search (GtkSearchEntry *entry,
                SmeltSearchBar *self)
{
  close_bar (self);
}

static void
on_search_mode (GObject        *bar,
                GParamSpec     *pspec,
                SmeltSearchBar *self)
{
  /* the bar's own close button */
  if (!gtk_search_bar_get_search_mode (self->bar) &&
      gtk_source_search_settings_get_search_text (self->settings) != NULL)
    close_bar (self);
}

/**
 * smelt_search_bar_set_page:
 * @self: a #SmeltSearchBar
 * @page: (nullable): the page searches go to (the current one)
 */
void
smelt_search_bar_set_page (SmeltSearchBar  *self,
                           SmeltEditorPage *page)
{
  g_return_if_fail (SMELT_IS_SEARCH_BAR (self));

  if (self->page == page)
    return;
  g_set_weak_pointer (&self->page, page);
  if (page != NULL)
    g_signal_connect_object (search_context (self), "notify::occurrences-count",
                             G_CALLBACK (on_occurrences_count), self, 0);
  update_count (self);
}

/**
 * smelt_search_bar_open:
 * @self: a #SmeltSearchBar
 * @replacing: show the replace entry and buttons too (Ctrl+H), or not (Ctrl+F)
 *
 * Shows the bar and puts the keyboard in its entry, filled with the
 * selection when it is on one line, else with the last search.
 */
void
smelt_search_bar_open (SmeltSearchBar *self,
                       gboolean        replacing)
{
  GtkTextIter start, end;

  g_return_if_fail (SMELT_IS_SEARCH_BAR (self));

  gtk_widget_set_visible (GTK_WIDGET (self->replace_entry), replacing);
  gtk_widget_set_visible (self->replace_button, replacing);
  gtk_widget_set_visible (self->replace_all_button, replacing);

  if (self->page != NULL &&
      gtk_text_buffer_get_selection_bounds (GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (self->page)),
                                            &start, &end) &&
      gtk_text_iter_get_line (&start) == gtk_text_iter_get_line (&end))
    {
      g_autofree char *selected = gtk_text_iter_get_visible_text (&start, &end);

      gtk_editable_set_text (GTK_EDITABLE (self->entry), selected);
    }
  gtk_search_bar_set_search_mode (self->bar, TRUE);
  on_search_changed (self->entry, self);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

/**
 * smelt_search_bar_has_focus:
 * @self: a #SmeltSearchBar
 *
 * Returns: whether the keyboard is in the bar (its keys are text, not key maps)
 */
gboolean
smelt_search_bar_has_focus (SmeltSearchBar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  g_return_val_if_fail (SMELT_IS_SEARCH_BAR (self), FALSE);

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self));
}

static void
smelt_search_bar_dispose (GObject *object)
{
  SmeltSearchBar *self = SMELT_SEARCH_BAR (object);

  g_clear_weak_pointer (&self->page);
  gtk_widget_dispose_template (GTK_WIDGET (self), SMELT_TYPE_SEARCH_BAR);
  G_OBJECT_CLASS (smelt_search_bar_parent_class)->dispose (object);
}

static void
smelt_search_bar_finalize (GObject *object)
{
  SmeltSearchBar *self = SMELT_SEARCH_BAR (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (smelt_search_bar_parent_class)->finalize (object);
}

static void
smelt_search_bar_class_init (SmeltSearchBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = smelt_search_bar_dispose;
  object_class->finalize = smelt_search_bar_finalize;

  /**
   * SmeltSearchBar::closed:
   *
   * The bar closed (Escape or its close button): the editor may take the
   * keyboard back.
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/smelt/Editor/ui/smelt-search-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SmeltSearchBar, bar);
  gtk_widget_class_bind_template_child (widget_class, SmeltSearchBar, entry);
  gtk_widget_class_bind_template_child (widget_class, SmeltSearchBar, count_label);
  gtk_widget_class_bind_template_child (widget_class, SmeltSearchBar, replace_entry);
  gtk_widget_class_bind_template_child (widget_class, SmeltSearchBar, replace_button);
  gtk_widget_class_bind_template_child (widget_class, SmeltSearchBar, replace_all_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_next);
  gtk_widget_class_bind_template_callback (widget_class, on_previous);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_replace);
  gtk_widget_class_bind_template_callback (widget_class, on_replace_all);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
smelt_search_bar_init (SmeltSearchBar *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = gtk_source_search_settings_new ();
  gtk_source_search_settings_set_wrap_around (self->settings, TRUE);
  g_signal_connect (self->bar, "notify::search-mode-enabled", G_CALLBACK (on_search_mode), self);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_replace_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->replace_entry), keys);
}
