/* smelt-marks.c: marks that move with the text, in namespaces, with highlights; no view
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mark is one GtkTextMark, or two for a range, so it follows every edit
 * as the text around it does: the start has right gravity by default (text
 * typed at a range's start is not in it) and the end left gravity (nor is
 * text typed at its end), as Neovim's extmarks.  A highlight is a
 * GtkTextTag over the range, "smelt-hl:NAME", styled from the document's
 * style scheme (a style of that id: "def:error", "search-match") or from a
 * smelt.hl.define, and styled again when the scheme changes.  Signs and
 * messages are kept for the views to show; this file draws nothing.
 */

#define G_LOG_DOMAIN "smelt-marks"

#include "config.h"

#include <string.h>

#include "smelt-marks.h"

#define HL_PREFIX "smelt-hl:"

typedef struct
{
  GHashTable *by_ns;     /* ns -> (id -> SmeltMark) */
  guint       next_id;
  gulong      scheme_id;
} Marks;

/* smelt.hl.define's styles, for every document: name -> SmeltHlStyle copy */
static GHashTable *defined;

typedef struct
{
  char           *fg;
  char           *bg;
  PangoUnderline  underline;
  gboolean        bold;
  gboolean        italic;
} HlStyle;

static void
hl_style_free (gpointer data)
{
  HlStyle *style = data;

  g_free (style->fg);
  g_free (style->bg);
  g_free (style);
}

static void
mark_free (gpointer data)
{
  SmeltMark *mark = data;

  g_free (mark->hl);
  g_free (mark->sign);
  g_free (mark->sign_hl);
  g_free (mark->message);
  g_free (mark);
}

static void
marks_free (gpointer data)
{
  Marks *marks = data;

  g_hash_table_unref (marks->by_ns);
  g_free (marks);
}

static GtkSourceStyleScheme *
scheme_of (SmeltDocument *document)
{
  GtkSourceStyleScheme *scheme = gtk_source_buffer_get_style_scheme (GTK_SOURCE_BUFFER (document));

  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (gtk_source_style_scheme_manager_get_default (), "classic");
  return scheme;
}

/* tag takes the look of the highlight name: a definition of smelt's, else
 * the scheme's style of that id */
static void
style_tag (SmeltDocument *document,
           GtkTextTag    *tag,
           const char    *name)
{
  HlStyle *style = defined ? g_hash_table_lookup (defined, name) : NULL;

  /* from nothing: a scheme with no style of that name leaves no trace of
   * the last one's */
  g_object_set (tag, "foreground-set", FALSE, "background-set", FALSE, "underline-set", FALSE,
                "weight-set", FALSE, "style-set", FALSE, "strikethrough-set", FALSE, NULL);
  if (style != NULL)
    {
      g_object_set (tag,
                    "foreground", style->fg, "foreground-set", style->fg != NULL,
                    "background", style->bg, "background-set", style->bg != NULL,
                    "underline", style->underline, "underline-set", style->underline != PANGO_UNDERLINE_NONE,
                    "weight", style->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL, "weight-set", style->bold,
                    "style", style->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL, "style-set", style->italic,
                    NULL);
      return;
    }
  {
    GtkSourceStyleScheme *scheme = scheme_of (document);
    GtkSourceStyle *source_style = scheme ? gtk_source_style_scheme_get_style (scheme, name) : NULL;

    if (source_style != NULL)
      gtk_source_style_apply (source_style, tag);
  }
}

static void
on_style_scheme (SmeltDocument *document,
                 GParamSpec    *pspec,
                 gpointer       data);

static Marks *
marks_of (SmeltDocument *document)
{
  Marks *marks = g_object_get_data (G_OBJECT (document), "smelt-marks");

  if (marks == NULL)
    {
      marks = g_new0 (Marks, 1);
      marks->by_ns = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_hash_table_unref);
      g_object_set_data_full (G_OBJECT (document), "smelt-marks", marks, marks_free);
      g_signal_connect (document, "notify::style-scheme", G_CALLBACK (on_style_scheme), NULL);
    }
  return marks;
}

/* the scheme changed: every highlight takes its new look */
static void
restyle (GtkTextTag *tag,
         gpointer    document)
{
  const char *name = NULL;

  g_object_get (tag, "name", &name, NULL);
  if (name != NULL && g_str_has_prefix (name, HL_PREFIX))
    style_tag (document, tag, name + strlen (HL_PREFIX));
  g_free ((char *) name);
}

static void
on_style_scheme (SmeltDocument *document,
                 GParamSpec    *pspec,
                 gpointer       data)
{
  gtk_text_tag_table_foreach (gtk_text_buffer_get_tag_table (GTK_TEXT_BUFFER (document)), restyle, document);
}

static GtkTextTag *
hl_tag (SmeltDocument *document,
        const char    *name)
{
  g_autofree char *tag_name = g_strconcat (HL_PREFIX, name, NULL);
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (GTK_TEXT_BUFFER (document));
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, tag_name);

  if (tag == NULL)
    {
      tag = gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (document), tag_name, NULL);
      style_tag (document, tag, name);
    }
  return tag;
}

static void
get_bounds (SmeltDocument *document,
            SmeltMark     *mark,
            GtkTextIter   *start,
            GtkTextIter   *end)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (document);

  gtk_text_buffer_get_iter_at_mark (buffer, start, mark->start);
  gtk_text_buffer_get_iter_at_mark (buffer, end, mark->end ? mark->end : mark->start);
  if (gtk_text_iter_compare (end, start) < 0)
    *end = *start;   /* an edit collapsed the range */
}

/**
 * smelt_marks_set:
 * @document: a document
 * @ns: a namespace id
 * @start: where the mark is
 * @end: (nullable): where its range ends (exclusive), or %NULL for a point
 * @options: what else it carries
 *
 * Returns: the new mark's id, unique in @document
 */
guint
smelt_marks_set (SmeltDocument          *document,
                 guint                   ns,
                 const GtkTextIter      *start,
                 const GtkTextIter      *end,
                 const SmeltMarkOptions *options)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (document);
  Marks *marks = marks_of (document);
  GHashTable *in_ns = g_hash_table_lookup (marks->by_ns, GUINT_TO_POINTER (ns));
  SmeltMark *mark = g_new0 (SmeltMark, 1);

  if (in_ns == NULL)
    {
      in_ns = g_hash_table_new_full (NULL, NULL, NULL, mark_free);
      g_hash_table_insert (marks->by_ns, GUINT_TO_POINTER (ns), in_ns);
    }
  mark->id = ++marks->next_id;
  mark->ns = ns;
  mark->start = gtk_text_buffer_create_mark (buffer, NULL, start, !options->right_gravity);
  if (end != NULL)
    mark->end = gtk_text_buffer_create_mark (buffer, NULL, end, TRUE);
  mark->hl = g_strdup (options->hl);
  mark->sign = g_strdup (options->sign);
  mark->sign_hl = g_strdup (options->sign_hl);
  mark->message = g_strdup (options->message);
  mark->priority = options->priority;
  g_hash_table_insert (in_ns, GUINT_TO_POINTER (mark->id), mark);
  if (mark->hl != NULL && end != NULL)
    gtk_text_buffer_apply_tag (buffer, hl_tag (document, mark->hl), start, end);
  smelt_document_marks_changed (document);
  return mark->id;
}

/**
 * smelt_marks_get:
 * @document: a document
 * @ns: a namespace id
 * @id: a mark's id
 *
 * Returns: (transfer none) (nullable): the mark
 */
SmeltMark *
smelt_marks_get (SmeltDocument *document,
                 guint          ns,
                 guint          id)
{
  Marks *marks = g_object_get_data (G_OBJECT (document), "smelt-marks");
  GHashTable *in_ns = marks ? g_hash_table_lookup (marks->by_ns, GUINT_TO_POINTER (ns)) : NULL;

  return in_ns ? g_hash_table_lookup (in_ns, GUINT_TO_POINTER (id)) : NULL;
}

static int
by_position (gconstpointer a,
             gconstpointer b,
             gpointer      document)
{
  SmeltMark *ma = *(SmeltMark **) a, *mb = *(SmeltMark **) b;
  GtkTextIter sa, ea, sb, eb;
  int c;

  get_bounds (document, ma, &sa, &ea);
  get_bounds (document, mb, &sb, &eb);
  c = gtk_text_iter_compare (&sa, &sb);
  return c != 0 ? c : (ma->id > mb->id) - (ma->id < mb->id);
}

/* whether mark touches lines first..last (0-based; last -1: to the end) */
static gboolean
in_lines (SmeltDocument *document,
          SmeltMark     *mark,
          int            first,
          int            last)
{
  GtkTextIter start, end;

  get_bounds (document, mark, &start, &end);
  return gtk_text_iter_get_line (&end) >= first && (last < 0 || gtk_text_iter_get_line (&start) <= last);
}

/**
 * smelt_marks_list:
 * @document: a document
 * @ns: a namespace id, or 0 for every namespace
 * @first_line: the first line (0-based) a mark must touch
 * @last_line: the last one, or -1 for the end
 *
 * Returns: (transfer container) (element-type SmeltMark): the marks, in
 *   the order of their starts (then of their ids)
 */
GPtrArray *
smelt_marks_list (SmeltDocument *document,
                  guint          ns,
                  int            first_line,
                  int            last_line)
{
  Marks *marks = g_object_get_data (G_OBJECT (document), "smelt-marks");
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter spaces;
  gpointer key, in_ns;

  if (marks == NULL)
    return list;
  g_hash_table_iter_init (&spaces, marks->by_ns);
  while (g_hash_table_iter_next (&spaces, &key, &in_ns))
    {
      GHashTableIter iter;
      gpointer mark;

      if (ns != 0 && GPOINTER_TO_UINT (key) != ns)
        continue;
      g_hash_table_iter_init (&iter, in_ns);
      while (g_hash_table_iter_next (&iter, NULL, &mark))
        if (in_lines (document, mark, first_line, last_line))
          g_ptr_array_add (list, mark);
    }
  g_ptr_array_sort_with_data (list, by_position, document);
  return list;
}

/* takes mark's highlight away, keeping the same highlight of other marks
 * over the same text */
static void
unhighlight (SmeltDocument *document,
             SmeltMark     *mark)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (document);
  g_autoptr(GPtrArray) others = NULL;
  GtkTextTag *tag;
  GtkTextIter start, end;

  if (mark->hl == NULL || mark->end == NULL)
    return;
  tag = hl_tag (document, mark->hl);
  get_bounds (document, mark, &start, &end);
  gtk_text_buffer_remove_tag (buffer, tag, &start, &end);
  others = smelt_marks_list (document, 0, gtk_text_iter_get_line (&start), gtk_text_iter_get_line (&end));
  for (guint i = 0; i < others->len; i++)
    {
      SmeltMark *other = g_ptr_array_index (others, i);
      GtkTextIter os, oe;

      if (other == mark || other->end == NULL || g_strcmp0 (other->hl, mark->hl) != 0)
        continue;
      get_bounds (document, other, &os, &oe);
      gtk_text_buffer_apply_tag (buffer, tag, &os, &oe);
    }
}

static void
remove_mark (SmeltDocument *document,
             GHashTable    *in_ns,
             SmeltMark     *mark)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (document);
  GtkTextMark *start = mark->start, *end = mark->end;

  g_hash_table_steal (in_ns, GUINT_TO_POINTER (mark->id));
  unhighlight (document, mark);
  gtk_text_buffer_delete_mark (buffer, start);
  if (end != NULL)
    gtk_text_buffer_delete_mark (buffer, end);
  mark_free (mark);
}

/**
 * smelt_marks_delete:
 * @document: a document
 * @ns: the mark's namespace
 * @id: its id
 *
 * Returns: whether there was such a mark
 */
gboolean
smelt_marks_delete (SmeltDocument *document,
                    guint          ns,
                    guint          id)
{
  Marks *marks = g_object_get_data (G_OBJECT (document), "smelt-marks");
  GHashTable *in_ns = marks ? g_hash_table_lookup (marks->by_ns, GUINT_TO_POINTER (ns)) : NULL;
  SmeltMark *mark = in_ns ? g_hash_table_lookup (in_ns, GUINT_TO_POINTER (id)) : NULL;

  if (mark == NULL)
    return FALSE;
  remove_mark (document, in_ns, mark);
  smelt_document_marks_changed (document);
  return TRUE;
}

/**
 * smelt_marks_clear:
 * @document: a document
 * @ns: a namespace
 * @first_line: the first line (0-based) whose marks go
 * @last_line: the last, or -1 for the end
 *
 * Returns: how many marks went
 */
guint
smelt_marks_clear (SmeltDocument *document,
                   guint          ns,
                   int            first_line,
                   int            last_line)
{
  Marks *marks = g_object_get_data (G_OBJECT (document), "smelt-marks");
  GHashTable *in_ns = marks ? g_hash_table_lookup (marks->by_ns, GUINT_TO_POINTER (ns)) : NULL;
  g_autoptr(GPtrArray) going = NULL;

  if (in_ns == NULL)
    return 0;
  going = smelt_marks_list (document, ns, first_line, last_line);
  for (guint i = 0; i < going->len; i++)
    remove_mark (document, in_ns, g_ptr_array_index (going, i));
  if (going->len > 0)
    smelt_document_marks_changed (document);
  return going->len;
}

/**
 * smelt_marks_define_hl:
 * @name: a highlight name
 * @style: its look
 *
 * Defines (or redefines) a highlight for every document; tags of that
 * name made from now on take it (smelt.hl.define).
 */
void
smelt_marks_define_hl (const char         *name,
                       const SmeltHlStyle *style)
{
  HlStyle *copy = g_new0 (HlStyle, 1);

  if (defined == NULL)
    defined = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, hl_style_free);
  copy->fg = g_strdup (style->fg);
  copy->bg = g_strdup (style->bg);
  copy->underline = style->underline;
  copy->bold = style->bold;
  copy->italic = style->italic;
  g_hash_table_replace (defined, g_strdup (name), copy);
}

/**
 * smelt_marks_get_hl_tag:
 * @document: a document
 * @name: a highlight name (smelt_marks_hl_exists())
 *
 * Returns: (transfer none): the tag that draws it in @document
 */
GtkTextTag *
smelt_marks_get_hl_tag (SmeltDocument *document,
                        const char    *name)
{
  return hl_tag (document, name);
}

/**
 * smelt_marks_restyle:
 * @document: a document
 *
 * Its highlights take their look again (after smelt_marks_define_hl()).
 */
void
smelt_marks_restyle (SmeltDocument *document)
{
  on_style_scheme (document, NULL, NULL);
}

/**
 * smelt_marks_hl_exists:
 * @document: a document
 * @name: a highlight name
 *
 * Returns: whether @name is defined, or a style of @document's scheme
 */
gboolean
smelt_marks_hl_exists (SmeltDocument *document,
                       const char    *name)
{
  GtkSourceStyleScheme *scheme;

  if (defined != NULL && g_hash_table_contains (defined, name))
    return TRUE;
  scheme = scheme_of (document);
  return scheme != NULL && gtk_source_style_scheme_get_style (scheme, name) != NULL;
}
