/* smelt-message-area.c: the message area: the last message on a line, the whole of it a click away
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message never loses its reason to the room it has: the line shows the
 * message's first line, ellipsized when it is wider than the room, and beside
 * it, never cut, how many lines more there are ("(+12 lines)"). The line is a flat button:
 * a click (or Return on it) opens a popover with the whole message and, for
 * an uncaught error, its traceback, in a label that can be selected and
 * copied. The popover keeps the message it opened with while newer ones
 * replace the line.
 */

#define G_LOG_DOMAIN "smelt-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "smelt-message-area.h"

struct _SmeltMessageArea
{
  GtkWidget   parent_instance;

  GtkWidget  *button;     /* the line: a flat button holding the labels */
  GtkLabel   *line;       /* the first line, ellipsized */
  GtkLabel   *more;       /* "(+12 lines)", never ellipsized */
  char       *shown_line; /* both, for smelt_message_area_get_line() */
  GtkWidget  *popover;
  GtkLabel   *whole;      /* in the popover, selectable */
  char       *text;       /* the whole message: "[level] text", then the traceback */
  guint       more_lines; /* lines of text that the line does not show */
};

G_DEFINE_FINAL_TYPE (SmeltMessageArea, smelt_message_area, GTK_TYPE_WIDGET)

static guint
count_lines (const char *s)
{
  guint n = 1;

  for (; *s != '\0'; s++)
    if (*s == '\n' && s[1] != '\0')
      n++;
  return n;
}

static void
on_line_clicked (GtkButton        *button,
                 SmeltMessageArea *self)
{
  if (self->text == NULL)
    return;
  gtk_label_set_text (self->whole, self->text);
  gtk_popover_popup (GTK_POPOVER (self->popover));
  gtk_label_select_region (self->whole, 0, 0);   /* focused, a label selects all of itself */
}

/**
 * smelt_message_area_show:
 * @self: a #SmeltMessageArea
 * @level: "info", "warn", "error", ...
 * @text: the message, any length, any number of lines
 * @traceback: (nullable): an uncaught error's traceback, shown only in full
 *
 * Shows @text as the last message: its first line on the line (errors in
 * the error style), the whole of it, with @traceback, on a click.
 */
void
smelt_message_area_show (SmeltMessageArea *self,
                         const char       *level,
                         const char       *text,
                         const char       *traceback)
{
  g_autofree char *more = NULL;
  g_autofree char *first = NULL;
  const char *nl, *stack;
  GString *whole;

  g_return_if_fail (SMELT_IS_MESSAGE_AREA (self));
  g_return_if_fail (level != NULL && text != NULL);

  whole = g_string_new (NULL);
  g_string_append_printf (whole, "[%s] %s", level, text);
  while (whole->len > 0 && whole->str[whole->len - 1] == '\n')
    g_string_truncate (whole, whole->len - 1);
  /* a Lua traceback starts with the error message: when the text ends with
   * it already, only the stack follows */
  stack = traceback ? strstr (traceback, "\nstack traceback:") : NULL;
  if (stack != NULL)
    {
      g_autofree char *said = g_strndup (traceback, stack - traceback);

      stack = g_str_has_suffix (text, said) ? stack + 1 : traceback;
    }
  else
    stack = traceback;
  if (stack != NULL && *stack != '\0')
    g_string_append_printf (whole, "\n%s", stack);
  g_free (self->text);
  self->text = g_string_free (whole, FALSE);

  nl = strchr (self->text, '\n');
  self->more_lines = count_lines (self->text) - 1;
  if (self->more_lines > 0)
    /* TRANSLATORS: after a message's first line: how many more the whole of it has */
    more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "(+%u line)", "(+%u lines)", self->more_lines),
                            self->more_lines);
  first = nl ? g_strndup (self->text, nl - self->text) : g_strdup (self->text);
  gtk_label_set_text (self->line, first);
  gtk_label_set_text (self->more, more ? more : "");
  gtk_widget_set_visible (GTK_WIDGET (self->more), more != NULL);
  g_free (self->shown_line);
  self->shown_line = more ? g_strdup_printf ("%s %s", first, more) : g_steal_pointer (&first);
  gtk_widget_remove_css_class (GTK_WIDGET (self->line), "error");
  if (g_str_equal (level, "error"))
    gtk_widget_add_css_class (GTK_WIDGET (self->line), "error");
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

/**
 * smelt_message_area_get_line:
 * @self: a #SmeltMessageArea
 *
 * Returns: (transfer none): what the line says: "[level] first line",
 *   with "(+N lines)" when there is more; "" before any message
 */
const char *
smelt_message_area_get_line (SmeltMessageArea *self)
{
  g_return_val_if_fail (SMELT_IS_MESSAGE_AREA (self), "");

  return self->shown_line ? self->shown_line : "";
}

/**
 * smelt_message_area_is_truncated:
 * @self: a #SmeltMessageArea
 *
 * Returns: whether the line shows less than the whole message: it has more
 *   lines, or its first is wider than the room and ellipsized
 */
gboolean
smelt_message_area_is_truncated (SmeltMessageArea *self)
{
  g_return_val_if_fail (SMELT_IS_MESSAGE_AREA (self), FALSE);

  return self->more_lines > 0 || pango_layout_is_ellipsized (gtk_label_get_layout (self->line));
}

/**
 * smelt_message_area_get_shown:
 * @self: a #SmeltMessageArea
 *
 * Returns: (transfer none) (nullable): the whole message the popover shows,
 *   or %NULL while it is closed
 */
const char *
smelt_message_area_get_shown (SmeltMessageArea *self)
{
  g_return_val_if_fail (SMELT_IS_MESSAGE_AREA (self), NULL);

  return gtk_widget_get_visible (self->popover) ? gtk_label_get_text (self->whole) : NULL;
}

/**
 * smelt_message_area_get_button:
 * @self: a #SmeltMessageArea
 *
 * Returns: (transfer none): the line's button, the one a click opens the
 *   whole message with
 */
GtkWidget *
smelt_message_area_get_button (SmeltMessageArea *self)
{
  g_return_val_if_fail (SMELT_IS_MESSAGE_AREA (self), NULL);

  return self->button;
}

static void
smelt_message_area_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  SmeltMessageArea *self = SMELT_MESSAGE_AREA (widget);

  gtk_widget_measure (self->button, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

/* the button fills the area; the popover, a surface of its own, is only
 * placed against it (as GtkMenuButton does) */
static void
smelt_message_area_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  SmeltMessageArea *self = SMELT_MESSAGE_AREA (widget);

  gtk_widget_size_allocate (self->button, &(GtkAllocation) { 0, 0, width, height }, baseline);
  gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
smelt_message_area_dispose (GObject *object)
{
  SmeltMessageArea *self = SMELT_MESSAGE_AREA (object);

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_pointer (&self->button, gtk_widget_unparent);
  self->line = NULL;
  self->more = NULL;
  self->whole = NULL;
  G_OBJECT_CLASS (smelt_message_area_parent_class)->dispose (object);
}

static void
smelt_message_area_finalize (GObject *object)
{
  SmeltMessageArea *self = SMELT_MESSAGE_AREA (object);

  g_free (self->text);
  g_free (self->shown_line);
  G_OBJECT_CLASS (smelt_message_area_parent_class)->finalize (object);
}

static void
smelt_message_area_class_init (SmeltMessageAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = smelt_message_area_dispose;
  object_class->finalize = smelt_message_area_finalize;
  widget_class->measure = smelt_message_area_measure;
  widget_class->size_allocate = smelt_message_area_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "smelt-message-area");
}

static void
smelt_message_area_init (SmeltMessageArea *self)
{
  GtkWidget *scrolled, *box;

  self->line = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->line, 1);
  gtk_label_set_ellipsize (self->line, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->line, TRUE);
  self->more = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->more), "dim-label");
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->line));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->more));
  self->button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->button), box);
  gtk_button_set_has_frame (GTK_BUTTON (self->button), FALSE);
  gtk_widget_add_css_class (self->button, "smelt-message");
  gtk_widget_set_tooltip_text (self->button, _("The whole message (:Messages lists them all)"));
  g_signal_connect (self->button, "clicked", G_CALLBACK (on_line_clicked), self);
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));

  self->whole = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_selectable (self->whole, TRUE);
  gtk_label_set_wrap (self->whole, TRUE);
  gtk_label_set_wrap_mode (self->whole, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (self->whole, 100);
  gtk_label_set_xalign (self->whole, 0);
  gtk_label_set_yalign (self->whole, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->whole), "smelt-message-whole");
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 400);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->whole));
  self->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->popover), scrolled);
  gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_TOP);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);   /* until the first message */
}
