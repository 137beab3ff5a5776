/* smelt-editor-page.c: the view of one document: a GtkSourceView in a tab
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text, its file, loading and saving are the page's SmeltDocument
 * (smelt-document.c); the page shows it, with a read-only "Loading…" view
 * while it loads, and adds what it reads and writes to the recent files.
 */

#define G_LOG_DOMAIN "smelt-editor-page"

#include "config.h"

#include <glib/gi18n.h>

#include "smelt-editor-page.h"
#include "smelt-marks-view.h"

struct _SmeltEditorPage
{
  GtkBox             parent_instance;
  GtkSourceView     *view;
  GtkScrolledWindow *scroller;   /* the view's */
  SmeltDocument     *document;
  GtkWidget         *reload_bar;      /* "FILE changed on disk": above the text */
  GtkLabel          *reload_label;
  GtkWidget         *reload_button;
  GtkWidget         *keep_button;
  gint64             reveal_until;    /* monotonic µs: till when to bring the cursor on screen */
  guint              reveal_seen;     /* frames in a row it was on screen */
  GtkSourceCompletionProvider *completion;   /* the window's, added to each view of the document */
  GtkSourceHoverProvider      *hover;
};

enum
{
  RELOAD_ANSWERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SmeltEditorPage, smelt_editor_page, GTK_TYPE_BOX)

static GSettings *page_settings;   /* dev.smelt.Editor, when its schema is found */

/**
 * smelt_editor_page_set_settings:
 * @settings: (nullable): the editor's settings; pages made after this follow
 *   its tab-width and style-scheme, live
 */
void
smelt_editor_page_set_settings (GSettings *settings)
{
  g_set_object (&page_settings, settings);
}

/**
 * smelt_editor_page_get_settings:
 *
 * Returns: (transfer none) (nullable): the editor's settings, when found
 */
GSettings *
smelt_editor_page_get_settings (void)
{
  return page_settings;
}

static guint n_views;   /* alive, in a page or not */

static void
on_view_finalized (gpointer  data,
                   GObject  *view)
{
  n_views--;
}

/**
 * smelt_editor_page_count_views:
 *
 * Returns: how many of the pages' text views are alive (one per page, when
 *   none leaks)
 */
guint
smelt_editor_page_count_views (void)
{
  return n_views;
}

/* Ends a view taken out of the page. Unparented, a GtkSourceView lives on
 * (three references of its own stay: GTK 4.8 / GtkSourceView 5.6 do not
 * dispose it), still attached to its buffer: it kept
 * the whole text of a closed file alive, and it laid out every chunk loaded
 * after it (a 50 MB file took 11 s instead of 1.6). Disposing it lets it go;
 * its gutter's renderers are taken out first, or GtkSourceView 5.6 warns
 * that the gutter is finalized with children left. */
static void
dispose_view (GtkWidget *view)
{
  GtkSourceGutter *gutter = gtk_source_view_get_gutter (GTK_SOURCE_VIEW (view), GTK_TEXT_WINDOW_LEFT);
  GtkWidget *renderer;

  while ((renderer = gtk_widget_get_first_child (GTK_WIDGET (gutter))) != NULL)
    gtk_source_gutter_remove (gutter, GTK_SOURCE_GUTTER_RENDERER (renderer));
  g_object_run_dispose (G_OBJECT (view));
}

static void
smelt_editor_page_dispose (GObject *object)
{
  SmeltEditorPage *self = SMELT_EDITOR_PAGE (object);

  smelt_editor_page_close (self);
  smelt_editor_page_withdraw_reload (self);
  if (self->view != NULL)
    {
      /* taken out of the scroller it would live on (dispose_view) */
      g_autoptr(GtkWidget) view = g_object_ref (GTK_WIDGET (self->view));

      gtk_scrolled_window_set_child (self->scroller, NULL);
      self->view = NULL;
      dispose_view (view);
    }
  g_clear_object (&self->document);
  g_clear_object (&self->completion);
  g_clear_object (&self->hover);
  G_OBJECT_CLASS (smelt_editor_page_parent_class)->dispose (object);
}

static void
smelt_editor_page_class_init (SmeltEditorPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = smelt_editor_page_dispose;

  /**
   * SmeltEditorPage::reload-answered:
   * @answer: 1: Reload was clicked, 0: Keep my version, -1: the question
   *   was withdrawn
   *
   * The reload bar (smelt_editor_page_ask_reload()) was answered or went.
   */
  signals[RELOAD_ANSWERED] = g_signal_new ("reload-answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
answer_reload (SmeltEditorPage *self,
               int              answer)
{
  if (self->reload_bar == NULL || !gtk_widget_get_visible (self->reload_bar))
    return;
  gtk_widget_set_visible (self->reload_bar, FALSE);
  g_signal_emit (self, signals[RELOAD_ANSWERED], 0, answer);
}

static void
on_reload_clicked (SmeltEditorPage *self)
{
  answer_reload (self, 1);
}

static void
on_keep_clicked (SmeltEditorPage *self)
{
  answer_reload (self, 0);
}

/* A bar above the text, hidden until a question comes.  Its buttons take
 * no focus, even clicked: what is typed goes on into the text, and only a
 * click (or :e, an explicit command) reloads. */
static void
add_reload_bar (SmeltEditorPage *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->reload_bar = bar;
  gtk_widget_add_css_class (bar, "smelt-reload-bar");
  self->reload_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->reload_label, TRUE);
  gtk_label_set_xalign (self->reload_label, 0.0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->reload_label), TRUE);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->reload_label));
  self->reload_button = gtk_button_new_with_mnemonic (_("_Reload"));
  self->keep_button = gtk_button_new_with_mnemonic (_("_Keep my version"));
  for (GtkWidget **b = (GtkWidget *[]) { self->reload_button, self->keep_button, NULL }; *b != NULL; b++)
    {
      gtk_widget_set_focusable (*b, FALSE);
      gtk_widget_set_focus_on_click (*b, FALSE);
      gtk_box_append (GTK_BOX (bar), *b);
    }
  g_signal_connect_swapped (self->reload_button, "clicked", G_CALLBACK (on_reload_clicked), self);
  g_signal_connect_swapped (self->keep_button, "clicked", G_CALLBACK (on_keep_clicked), self);
  gtk_widget_set_visible (bar, FALSE);
  gtk_box_append (GTK_BOX (self), bar);
}

/**
 * smelt_editor_page_ask_reload:
 * @self: a #SmeltEditorPage
 * @message: the question ("notes.txt changed on disk. Reload it?")
 *
 * Shows the question in a bar above the text, with Reload and Keep my
 * version; the keyboard stays where it is.  "reload-answered" tells the
 * answer; a question still shown is withdrawn first.
 */
void
smelt_editor_page_ask_reload (SmeltEditorPage *self,
                              const char      *message)
{
  g_return_if_fail (SMELT_IS_EDITOR_PAGE (self));
  g_return_if_fail (message != NULL);

  smelt_editor_page_withdraw_reload (self);
  gtk_label_set_text (self->reload_label, message);
  gtk_widget_set_visible (self->reload_bar, TRUE);
}

/**
 * smelt_editor_page_withdraw_reload:
 * @self: a #SmeltEditorPage
 *
 * Hides the reload question, if shown ("reload-answered" with -1): the file
 * was read again by other means (:e), or the page goes.
 */
void
smelt_editor_page_withdraw_reload (SmeltEditorPage *self)
{
  g_return_if_fail (SMELT_IS_EDITOR_PAGE (self));
  answer_reload (self, -1);
}

/**
 * smelt_editor_page_get_reload_question:
 * @self: a #SmeltEditorPage
 *
 * Returns: (nullable): the reload question shown, or %NULL
 */
const char *
smelt_editor_page_get_reload_question (SmeltEditorPage *self)
{
  g_return_val_if_fail (SMELT_IS_EDITOR_PAGE (self), NULL);
  if (self->reload_bar == NULL || !gtk_widget_get_visible (self->reload_bar))
    return NULL;
  return gtk_label_get_text (self->reload_label);
}

/**
 * smelt_editor_page_get_reload_button:
 * @self: a #SmeltEditorPage
 * @reload: the Reload button, or else Keep my version
 *
 * Returns: (transfer none): the button, for a test's real click
 */
GtkWidget *
smelt_editor_page_get_reload_button (SmeltEditorPage *self,
                                     gboolean         reload)
{
  g_return_val_if_fail (SMELT_IS_EDITOR_PAGE (self), NULL);
  return reload ? self->reload_button : self->keep_button;
}

/* GSettings "style-scheme": an unknown id keeps the scheme the page has */
static void
apply_style_scheme (GSettings       *settings,
                    const char      *key,
                    SmeltEditorPage *self)
{
  g_autofree char *scheme_id = g_settings_get_string (settings, "style-scheme");
  GtkSourceStyleScheme *scheme =
    gtk_source_style_scheme_manager_get_scheme (gtk_source_style_scheme_manager_get_default (), scheme_id);

  if (scheme != NULL && self->document != NULL)
    gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (self->document), scheme);
}

/* wrap-text: a boolean setting for GtkTextView's wrap-mode */
static gboolean
wrap_mode_from_setting (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  g_value_set_enum (value, g_variant_get_boolean (variant) ? GTK_WRAP_WORD_CHAR : GTK_WRAP_NONE);
  return TRUE;
}

/* The view's tab width and what Tab inserts: the document's own (its
 * .editorconfig) where it has them, else the settings; both live. */
static void
apply_indent (SmeltEditorPage *self)
{
  SmeltDocument *doc = self->document;
  guint tab_width = smelt_document_get_tab_width (doc);
  gboolean spaces = FALSE;

  if (self->view == NULL || gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view)) != GTK_TEXT_BUFFER (doc))
    return;   /* the "Loading…" view: it follows once the text is in */
  if (tab_width == 0)
    tab_width = page_settings != NULL ? g_settings_get_uint (page_settings, "tab-width") : 8;
  switch (smelt_document_get_indent_style (doc))
    {
    case SMELT_INDENT_STYLE_TAB:
      break;
    case SMELT_INDENT_STYLE_SPACE:
      spaces = TRUE;
      break;
    case SMELT_INDENT_STYLE_UNSET:
    default:
      spaces = page_settings != NULL && g_settings_get_boolean (page_settings, "insert-spaces");
    }
  gtk_source_view_set_tab_width (self->view, tab_width);
  gtk_source_view_set_indent_width (self->view, smelt_document_get_indent_width (doc));
  gtk_source_view_set_insert_spaces_instead_of_tabs (self->view, spaces);
}

/* the window's completion and hover providers, on the view of the document */
static void
add_providers (SmeltEditorPage *self)
{
  if (self->completion != NULL)
    gtk_source_completion_add_provider (gtk_source_view_get_completion (self->view), self->completion);
  if (self->hover != NULL)
    gtk_source_hover_add_provider (gtk_source_view_get_hover (self->view), self->hover);
}

/* A new view of buffer in the page's scroller, in place of the one there:
 * line numbers, the settings (live), the editor's CSS class. A view is
 * never handed another buffer: GTK 4.8's text view, its buffer swapped for
 * a placeholder while a file loaded and back, crashed now and then in an
 * idle of its own (the input method's cursor location, on stale lines). */
static void
show_view_of (SmeltEditorPage *self,
              GtkSourceBuffer *buffer,
              gboolean         editable)
{
  g_autoptr(GtkWidget) old = self->view != NULL ? g_object_ref (GTK_WIDGET (self->view)) : NULL;
  gboolean had_focus = old != NULL && gtk_widget_has_focus (old);

  self->view = GTK_SOURCE_VIEW (gtk_source_view_new_with_buffer (buffer));
  n_views++;
  g_object_weak_ref (G_OBJECT (self->view), on_view_finalized, NULL);
  gtk_source_view_set_show_line_numbers (self->view, TRUE);
  gtk_source_view_set_highlight_current_line (self->view, TRUE);
  gtk_source_view_set_auto_indent (self->view, TRUE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), editable);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "smelt-editor");
  if (buffer == GTK_SOURCE_BUFFER (self->document))
    {
      smelt_marks_view_attach (self->view, self->document);   /* signs */
      add_providers (self);
    }
  if (page_settings != NULL)
    {
      /* they follow the settings live, as `gsettings set` changes them */
      g_settings_bind_with_mapping (page_settings, "wrap-text", self->view, "wrap-mode", G_SETTINGS_BIND_GET,
                                    wrap_mode_from_setting, NULL, NULL, NULL);
    }
  if (buffer == GTK_SOURCE_BUFFER (self->document))
    apply_indent (self);
  gtk_scrolled_window_set_child (self->scroller, GTK_WIDGET (self->view));
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->view));   /* the keyboard stays in the text */
  if (old != NULL)
    dispose_view (old);   /* and its idles with it */
}

/* The view lays each loaded chunk out as it arrives (Pango, line by line):
 * with no view on the buffer it fills 7 times faster (a 50 MB file: 1.6 s
 * rather than 11 s; a hidden view costs as much as a shown one), and the
 * new view lays the text out once, incrementally in idle time, when the
 * load is done. Meanwhile a read-only view says "Loading…". */
static void
on_loading_changed (SmeltEditorPage *self)
{
  if (smelt_document_get_loading (self->document))
    {
      g_autoptr(GtkSourceBuffer) loading = gtk_source_buffer_new (NULL);

      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (loading), _("Loading…"), -1);
      show_view_of (self, loading, FALSE);
    }
  else if (self->view != NULL && !smelt_document_is_closed (self->document))
    show_view_of (self, GTK_SOURCE_BUFFER (self->document), !smelt_document_get_read_only (self->document));
}

/* a file read or written is one of the user's recent documents, as in
 * every GTK program: the file choosers' Recent, the desktop's list */
static void
add_to_recent (SmeltEditorPage *self)
{
  GFile *location = smelt_document_get_location (self->document);
  g_autofree char *uri = location ? g_file_get_uri (location) : NULL;

  if (uri != NULL)
    gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}

/* whether the cursor's line is on screen: between the lines at the top and
 * the bottom of the view (lines, not pixels: what the user sees) */
static gboolean
cursor_on_screen (SmeltEditorPage *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->view);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->document);
  GdkRectangle visible;
  GtkTextIter iter, top, bottom;
  int line;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_visible_rect (view, &visible);
  if (visible.height <= 0)
    return FALSE;
  gtk_text_view_get_line_at_y (view, &top, visible.y, NULL);
  gtk_text_view_get_line_at_y (view, &bottom, visible.y + visible.height - 1, NULL);
  line = gtk_text_iter_get_line (&iter);
  return line >= gtk_text_iter_get_line (&top) && line <= gtk_text_iter_get_line (&bottom);
}

static void
scroll_cursor_to_middle (SmeltEditorPage *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->view);

  gtk_text_view_scroll_to_mark (view, gtk_text_buffer_get_insert (gtk_text_view_get_buffer (view)),
                                0.0, TRUE, 0.0, 0.5);
}

/* A new view lays its lines out over its first frames, estimating the
 * heights of those it has not laid out yet: a scroll asked before then
 * stops short.  It is asked again each frame until the cursor has been on
 * screen for a few frames in a row, for at most 2 s (a user scrolling
 * away meanwhile is brought back no later than that). */
static gboolean
on_reveal_tick (GtkWidget     *view,
                GdkFrameClock *clock,
                gpointer       data)
{
  SmeltEditorPage *self = data;

  if (self->view == NULL || GTK_WIDGET (self->view) != view || g_get_monotonic_time () > self->reveal_until)
    {
      self->reveal_until = 0;
      return G_SOURCE_REMOVE;
    }
  if (!cursor_on_screen (self))
    {
      self->reveal_seen = 0;
      scroll_cursor_to_middle (self);
    }
  else if (++self->reveal_seen >= 10)
    {
      /* on screen for 10 frames: the layout has settled (the first frames
       * place lines by estimated heights, and the real ones move them) */
      self->reveal_until = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* A plugin moved the cursor (buf:set_cursor): a line already on screen is
 * scrolled to just enough; one off screen comes to the middle, as Neovim's
 * jumps do, so the lines around it show too (a grep result's context). */
static void
on_reveal_cursor (SmeltEditorPage *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->view);

  if (view == NULL || smelt_document_get_loading (self->document))
    return;
  if (cursor_on_screen (self))
    {
      gtk_text_view_scroll_mark_onscreen (view, gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->document)));
      return;
    }
  scroll_cursor_to_middle (self);
  if (self->reveal_until == 0)
    gtk_widget_add_tick_callback (GTK_WIDGET (view), on_reveal_tick, self, NULL);
  /* until the layout has settled: the estimated height of the text first
   * caps how far the view scrolls, and lines laid out later move the rest */
  self->reveal_until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  self->reveal_seen = 0;
}

static void
smelt_editor_page_init (SmeltEditorPage *self)
{
  self->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->scroller), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->scroller), TRUE);
  add_reload_bar (self);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->scroller));
}

/**
 * smelt_editor_page_set_providers:
 * @self: a page
 * @completion: the window's completion provider
 * @hover: the window's hover provider
 *
 * Adds them to the view of the page's document, now and to each view made
 * of it later.  Call it once, when the page is new.
 */
void
smelt_editor_page_set_providers (SmeltEditorPage             *self,
                                 GtkSourceCompletionProvider *completion,
                                 GtkSourceHoverProvider      *hover)
{
  g_return_if_fail (SMELT_IS_EDITOR_PAGE (self));
  g_return_if_fail (self->completion == NULL && self->hover == NULL);

  self->completion = g_object_ref (completion);
  self->hover = g_object_ref (hover);
  if (self->view != NULL && gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view)) == GTK_TEXT_BUFFER (self->document))
    add_providers (self);
}

/**
 * smelt_editor_page_new:
 * @document: the document to show
 *
 * Returns: (transfer floating): a view of @document (a "Loading…" one
 *   while it loads)
 */
SmeltEditorPage *
smelt_editor_page_new (SmeltDocument *document)
{
  SmeltEditorPage *self = g_object_new (SMELT_TYPE_EDITOR_PAGE, "orientation", GTK_ORIENTATION_VERTICAL, NULL);
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();

  self->document = g_object_ref (document);
  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (self->document),
                                      gtk_source_style_scheme_manager_get_scheme (schemes, "classic"));
  g_signal_connect_object (self->document, "notify::loading", G_CALLBACK (on_loading_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "loaded", G_CALLBACK (add_to_recent), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "saved", G_CALLBACK (add_to_recent), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "reveal-cursor", G_CALLBACK (on_reveal_cursor), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::indent-style", G_CALLBACK (apply_indent), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::indent-width", G_CALLBACK (apply_indent), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "notify::tab-width", G_CALLBACK (apply_indent), self, G_CONNECT_SWAPPED);
  if (smelt_document_get_loading (self->document))
    on_loading_changed (self);
  else
    show_view_of (self, GTK_SOURCE_BUFFER (self->document), !smelt_document_get_read_only (self->document));
  if (page_settings != NULL)
    {
      apply_style_scheme (page_settings, "style-scheme", self);
      g_signal_connect_object (page_settings, "changed::style-scheme", G_CALLBACK (apply_style_scheme), self, 0);
      g_signal_connect_object (page_settings, "changed::tab-width", G_CALLBACK (apply_indent), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (page_settings, "changed::insert-spaces", G_CALLBACK (apply_indent), self,
                               G_CONNECT_SWAPPED);
    }
  return self;
}

/**
 * smelt_editor_page_get_document:
 * @self: a #SmeltEditorPage
 *
 * Returns: (transfer none): the document the page shows
 */
SmeltDocument *
smelt_editor_page_get_document (SmeltEditorPage *self)
{
  return self->document;
}

/**
 * smelt_editor_page_get_buffer:
 * @self: a #SmeltEditorPage
 *
 * Returns: (transfer none): the page's text: its document
 */
GtkSourceBuffer *
smelt_editor_page_get_buffer (SmeltEditorPage *self)
{
  return GTK_SOURCE_BUFFER (self->document);
}

/**
 * smelt_editor_page_get_view:
 * @self: a #SmeltEditorPage
 *
 * Returns: (transfer none) (nullable): the page's view, %NULL once disposed
 */
GtkSourceView *
smelt_editor_page_get_view (SmeltEditorPage *self)
{
  return self->view;
}

/**
 * smelt_editor_page_get_file:
 * @self: a #SmeltEditorPage
 *
 * Returns: (transfer none) (nullable): the file the buffer is saved to
 */
GFile *
smelt_editor_page_get_file (SmeltEditorPage *self)
{
  return smelt_document_get_location (self->document);
}

/**
 * smelt_editor_page_dup_name:
 * @self: a #SmeltEditorPage
 *
 * Returns: (transfer full): the buffer's name: its file's, "untitled", or
 *   the one smelt_editor_page_set_read_only() gave it
 */
char *
smelt_editor_page_dup_name (SmeltEditorPage *self)
{
  return smelt_document_dup_name (self->document);
}

/**
 * smelt_editor_page_dup_title:
 * @self: a #SmeltEditorPage
 *
 * Returns: (transfer full): the tab's title: the buffer's name, after a
 *   "• " when it has unsaved changes
 */
char *
smelt_editor_page_dup_title (SmeltEditorPage *self)
{
  g_autofree char *name = smelt_editor_page_dup_name (self);
  gboolean modified = gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->document));

  return g_strdup_printf ("%s%s", modified ? "• " : "", name);
}

/**
 * smelt_editor_page_close:
 * @self: a #SmeltEditorPage
 *
 * The page's tab is closing: a load in flight stops (its callback reports
 * "the buffer was closed while loading") and Lua's handles on the buffer
 * see it closed, even while an operation still holds the page.
 */
void
smelt_editor_page_close (SmeltEditorPage *self)
{
  g_return_if_fail (SMELT_IS_EDITOR_PAGE (self));

  if (self->document != NULL)
    smelt_document_close (self->document);
}

/**
 * smelt_editor_page_is_closed:
 * @self: a #SmeltEditorPage
 *
 * Returns: whether smelt_editor_page_close() was called
 */
gboolean
smelt_editor_page_is_closed (SmeltEditorPage *self)
{
  g_return_val_if_fail (SMELT_IS_EDITOR_PAGE (self), TRUE);

  return self->document == NULL || smelt_document_is_closed (self->document);
}

/**
 * smelt_editor_page_go_to_line:
 * @self: a #SmeltEditorPage
 * @line: a line number, 1-based (past the last line: the end of the buffer)
 *
 * Puts the cursor at the start of @line and scrolls it into the middle of
 * the view (`:42`).
 */
void
smelt_editor_page_go_to_line (SmeltEditorPage *self,
                              int              line)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_return_if_fail (SMELT_IS_EDITOR_PAGE (self));

  buffer = GTK_TEXT_BUFFER (self->document);
  gtk_text_buffer_get_iter_at_line (buffer, &iter, MAX (line, 1) - 1);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->view), gtk_text_buffer_get_insert (buffer),
                                0.0, TRUE, 0.0, 0.5);
}

/**
 * smelt_editor_page_set_file:
 * @self: a #SmeltEditorPage
 * @file: (nullable): where the buffer is saved from now on ("Save As"), or
 *   %NULL for none (untitled again: a failed Save As undone)
 *
 * Points the buffer at @file, and highlights it by @file's name.
 */
void
smelt_editor_page_set_file (SmeltEditorPage *self,
                            GFile           *file)
{
  g_return_if_fail (SMELT_IS_EDITOR_PAGE (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  smelt_document_set_location (self->document, file);
}

/**
 * smelt_editor_page_set_read_only:
 * @self: a #SmeltEditorPage
 * @text: the buffer's text from now on
 * @name: the title shown for it (it has no file)
 *
 * Makes @self's document a read-only one holding @text, as Neovim's help
 * buffers: the view takes no typing (nor a paste, nor a replace: the search
 * bar checks), there is no undo history, the Lua edit methods and saving
 * refuse, and it is never modified, so closing it or quitting never asks.
 */
void
smelt_editor_page_set_read_only (SmeltEditorPage *self,
                                 const char      *text,
                                 const char      *name)
{
  GtkTextBuffer *buffer;
  GtkTextIter start;

  g_return_if_fail (SMELT_IS_EDITOR_PAGE (self));
  g_return_if_fail (text != NULL && name != NULL);

  buffer = GTK_TEXT_BUFFER (self->document);
  smelt_document_set_location (self->document, NULL);
  smelt_document_set_name (self->document, name);
  smelt_document_set_read_only (self->document, TRUE);
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_buffer_set_modified (buffer, FALSE);
  if (self->view != NULL)
    gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), FALSE);
}

/**
 * smelt_editor_page_get_read_only:
 * @self: a #SmeltEditorPage
 *
 * Returns: whether the page's document is read-only
 */
gboolean
smelt_editor_page_get_read_only (SmeltEditorPage *self)
{
  g_return_val_if_fail (SMELT_IS_EDITOR_PAGE (self), FALSE);

  return smelt_document_get_read_only (self->document);
}
