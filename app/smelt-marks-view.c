/* smelt-marks-view.c: a view's sign column, drawn from the document's marks
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The marks live in the document (smelt-marks.c), which draws nothing;
 * this is what a GtkSourceView shows of them: each line's sign (the one of
 * the highest priority among the marks that start there) in a column of
 * the left gutter, shown while some mark has a sign, as Neovim's
 * signcolumn=auto.  Their messages show in the hover popover
 * (smelt-hover-provider.c).
 */

#define G_LOG_DOMAIN "smelt-marks"

#include "config.h"

#include <string.h>

#include "smelt-marks-view.h"
#include "smelt-marks.h"

/* ------------------------------------------------------- the sign column */

typedef struct
{
  GtkSourceView               *view;        /* weak: owns the renderers */
  SmeltDocument               *document;    /* ref */
  GtkSourceGutterRendererText *text;
  GtkSourceGutterRendererPixbuf *icons;
  gulong                       changed_id;
} Signs;

static void
signs_free (gpointer data)
{
  Signs *signs = data;

  g_clear_signal_handler (&signs->changed_id, signs->document);
  g_object_unref (signs->document);
  g_free (signs);
}

/* the sign of line (0-based): the highest priority among the marks that
 * start on it */
static SmeltMark *
sign_of_line (SmeltDocument *document,
              int            line)
{
  g_autoptr(GPtrArray) marks = smelt_marks_list (document, 0, line, line);
  SmeltMark *best = NULL;

  for (guint i = 0; i < marks->len; i++)
    {
      SmeltMark *mark = g_ptr_array_index (marks, i);
      GtkTextIter start;

      if (mark->sign == NULL)
        continue;
      gtk_text_buffer_get_iter_at_mark (GTK_TEXT_BUFFER (document), &start, mark->start);
      if (gtk_text_iter_get_line (&start) != line)
        continue;
      if (best == NULL || mark->priority > best->priority)
        best = mark;
    }
  return best;
}

static gboolean
is_icon (const char *sign)
{
  return strchr (sign, '-') != NULL;
}

/* the colour of a highlight, for a sign: its foreground, else its background */
static char *
colour_of (SmeltDocument *document,
           const char    *hl)
{
  GtkTextTag *tag = smelt_marks_get_hl_tag (document, hl);
  gboolean fg_set = FALSE, bg_set = FALSE;
  GdkRGBA *fg = NULL, *bg = NULL;
  char *colour = NULL;

  g_object_get (tag, "foreground-set", &fg_set, "background-set", &bg_set,
                "foreground-rgba", &fg, "background-rgba", &bg, NULL);
  /* as Pango's markup takes it: #rrggbb */
  if (fg_set && fg != NULL)
    colour = g_strdup_printf ("#%02x%02x%02x", (int) (fg->red * 255), (int) (fg->green * 255), (int) (fg->blue * 255));
  else if (bg_set && bg != NULL)
    colour = g_strdup_printf ("#%02x%02x%02x", (int) (bg->red * 255), (int) (bg->green * 255), (int) (bg->blue * 255));
  g_clear_pointer (&fg, gdk_rgba_free);
  g_clear_pointer (&bg, gdk_rgba_free);
  return colour;
}

static void
query_text (GtkSourceGutterRenderer *renderer,
            GtkSourceGutterLines    *lines,
            guint                    line,
            Signs                   *signs)
{
  SmeltMark *mark = sign_of_line (signs->document, (int) line);
  g_autofree char *colour = NULL;
  g_autofree char *markup = NULL;

  if (mark == NULL || is_icon (mark->sign))
    {
      gtk_source_gutter_renderer_text_set_text (signs->text, "", -1);
      return;
    }
  colour = mark->sign_hl ? colour_of (signs->document, mark->sign_hl) : NULL;
  if (colour != NULL)
    markup = g_markup_printf_escaped ("<span foreground=\"%s\" weight=\"bold\">%s</span>", colour, mark->sign);
  else
    markup = g_markup_printf_escaped ("<b>%s</b>", mark->sign);
  gtk_source_gutter_renderer_text_set_markup (signs->text, markup, -1);
}

static void
query_icon (GtkSourceGutterRenderer *renderer,
            GtkSourceGutterLines    *lines,
            guint                    line,
            Signs                   *signs)
{
  SmeltMark *mark = sign_of_line (signs->document, (int) line);

  gtk_source_gutter_renderer_pixbuf_set_icon_name (signs->icons,
                                                   mark != NULL && is_icon (mark->sign) ? mark->sign : NULL);
}

/* the column shows while a mark has a sign (of its kind: text or icon) */
static void
on_marks_changed (SmeltDocument *document,
                  Signs         *signs)
{
  g_autoptr(GPtrArray) marks = smelt_marks_list (document, 0, 0, -1);
  gboolean text = FALSE, icons = FALSE;

  for (guint i = 0; i < marks->len; i++)
    {
      SmeltMark *mark = g_ptr_array_index (marks, i);

      if (mark->sign != NULL)
        {
          icons |= is_icon (mark->sign);
          text |= !is_icon (mark->sign);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (signs->text), text);
  gtk_widget_set_visible (GTK_WIDGET (signs->icons), icons);
  gtk_widget_queue_draw (GTK_WIDGET (signs->text));
  gtk_widget_queue_draw (GTK_WIDGET (signs->icons));
}

/**
 * smelt_marks_view_attach:
 * @view: a view of @document
 * @document: the document whose marks it shows
 *
 * Adds the sign column to @view's left gutter.
 */
void
smelt_marks_view_attach (GtkSourceView *view,
                         SmeltDocument *document)
{
  GtkSourceGutter *gutter = gtk_source_view_get_gutter (view, GTK_TEXT_WINDOW_LEFT);
  Signs *signs = g_new0 (Signs, 1);

  signs->view = view;
  signs->document = g_object_ref (document);
  signs->text = GTK_SOURCE_GUTTER_RENDERER_TEXT (gtk_source_gutter_renderer_text_new ());
  signs->icons = GTK_SOURCE_GUTTER_RENDERER_PIXBUF (gtk_source_gutter_renderer_pixbuf_new ());
  gtk_widget_add_css_class (GTK_WIDGET (signs->text), "smelt-signs");
  gtk_widget_set_size_request (GTK_WIDGET (signs->text), 18, -1);
  gtk_source_gutter_renderer_set_xpad (GTK_SOURCE_GUTTER_RENDERER (signs->text), 2);
  gtk_source_gutter_renderer_set_xpad (GTK_SOURCE_GUTTER_RENDERER (signs->icons), 2);
  g_signal_connect (signs->text, "query-data", G_CALLBACK (query_text), signs);
  g_signal_connect (signs->icons, "query-data", G_CALLBACK (query_icon), signs);
  /* before the line numbers, as Neovim's sign column */
  gtk_source_gutter_insert (gutter, GTK_SOURCE_GUTTER_RENDERER (signs->text), -30);
  gtk_source_gutter_insert (gutter, GTK_SOURCE_GUTTER_RENDERER (signs->icons), -29);
  signs->changed_id = g_signal_connect (document, "marks-changed", G_CALLBACK (on_marks_changed), signs);
  g_object_set_data_full (G_OBJECT (view), "smelt-signs", signs, signs_free);
  on_marks_changed (document, signs);
}
