/* smelt-document.c: one document: the text, its file, loading and saving; no view
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SmeltDocument is the GtkSourceBuffer itself, with the GtkSourceFile it
 * is read from and written to.  Nothing here knows a widget: the same
 * document works with no display (GtkSourceView's buffer, languages, loader
 * and saver need no gtk_init()), and a window shows it through a page that
 * watches "loading", "loaded" and "saved".
 *
 * Loading goes through GtkSourceFileLoader, which is GIO async: a large
 * file never freezes the loop.  A UTF-8 file with Unix line ends (nearly
 * every one) is saved by copying the text out a slice per main-loop turn
 * and handing it to smelt_file_write_async() (smelt-file-writer.c) in a
 * worker thread: through a symlink, keeping hard links, owner and mode,
 * atomic otherwise.  GtkSourceFileSaver, which reads the buffer in small
 * pieces a turn each (15.7 s for 50 MB), saves the rest: other encodings,
 * CR-LF files, compressed ones.  A save while the text is still loading is
 * refused: it would write a part of the file over the whole.
 *
 * A save writes the encoding the file was read in and every line end as
 * the file's first one (GtkSourceFileLoader keeps a mixed file's \r\n,
 * \r and \n as they are; the document notes that the file was mixed, and
 * the UI says so before a save makes them one kind).  A character the
 * encoding cannot hold is refused before anything is written.  The file's
 * modification time and size, taken before it is read and after each
 * save, tell a save that another program wrote it meanwhile: refused then
 * unless forced.
 */

#define G_LOG_DOMAIN "smelt-document"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "smelt-document.h"
#include "smelt-edit-ranges.h"
#include "smelt-embed.h"

struct _SmeltDocument
{
  GtkSourceBuffer  parent_instance;
  guint            id;
  GtkSourceFile   *file;
  GCancellable    *closing;   /* cancelled by smelt_document_close(): stops a load */
  char            *name;      /* the title of a document with no file, if not "untitled" */
  guint            n_edits;   /* "changed" signals so far */
  SmeltEditRanges *edits;     /* the lines edited since the last load or save */
  SmeltIndentStyle indent_style;   /* the file's own indentation (.editorconfig), */
  int              indent_width;   /* which views follow over the user's settings */
  guint            tab_width;
  guint            loading : 1;
  guint            read_only : 1;   /* help: nothing edits it, nothing saves it */
  guint            scratch : 1;     /* never asks to be saved */
  guint            mixed_newlines : 1;   /* the file read had more than one kind of line end */

  /* what a save writes: the file's encoding and line ends, as read or set */
  const GtkSourceEncoding *load_encoding;   /* the one encoding to read with; NULL: detect it */
  const GtkSourceEncoding *encoding;
  GtkSourceNewlineType     newline;

  /* the file as smelt last read or wrote it: a save over a file another
   * program changed since then asks first (stamp_location NULL: unknown) */
  GFile           *stamp_location;
  guint64          stamp_mtime;   /* in microseconds */
  goffset          stamp_size;
};

G_DEFINE_FINAL_TYPE (SmeltDocument, smelt_document, GTK_SOURCE_TYPE_BUFFER)

G_DEFINE_QUARK (smelt-document-error-quark, smelt_document_error)

G_DEFINE_ENUM_TYPE (SmeltIndentStyle, smelt_indent_style,
                    G_DEFINE_ENUM_VALUE (SMELT_INDENT_STYLE_UNSET, "unset"),
                    G_DEFINE_ENUM_VALUE (SMELT_INDENT_STYLE_TAB, "tab"),
                    G_DEFINE_ENUM_VALUE (SMELT_INDENT_STYLE_SPACE, "space"))

enum
{
  PROP_0,
  PROP_LOADING,
  PROP_INDENT_STYLE,
  PROP_INDENT_WIDTH,
  PROP_TAB_WIDTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  LOADED,
  SAVED,
  REVEAL_CURSOR,
  MARKS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint last_id;

static void
smelt_document_dispose (GObject *object)
{
  SmeltDocument *self = SMELT_DOCUMENT (object);

  smelt_document_close (self);
  g_clear_object (&self->edits);
  G_OBJECT_CLASS (smelt_document_parent_class)->dispose (object);
}

static void
smelt_document_finalize (GObject *object)
{
  SmeltDocument *self = SMELT_DOCUMENT (object);

  g_clear_object (&self->closing);
  g_clear_object (&self->file);
  g_clear_object (&self->stamp_location);
  g_clear_pointer (&self->name, g_free);
  G_OBJECT_CLASS (smelt_document_parent_class)->finalize (object);
}

static void
smelt_document_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SmeltDocument *self = SMELT_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_INDENT_STYLE:
      g_value_set_enum (value, self->indent_style);
      break;
    case PROP_INDENT_WIDTH:
      g_value_set_int (value, self->indent_width);
      break;
    case PROP_TAB_WIDTH:
      g_value_set_uint (value, self->tab_width);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smelt_document_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SmeltDocument *self = SMELT_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_INDENT_STYLE:
      smelt_document_set_indent (self, g_value_get_enum (value), self->indent_width, self->tab_width);
      break;
    case PROP_INDENT_WIDTH:
      smelt_document_set_indent (self, self->indent_style, g_value_get_int (value), self->tab_width);
      break;
    case PROP_TAB_WIDTH:
      smelt_document_set_indent (self, self->indent_style, self->indent_width, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smelt_document_changed (GtkTextBuffer *buffer)
{
  SMELT_DOCUMENT (buffer)->n_edits++;
  GTK_TEXT_BUFFER_CLASS (smelt_document_parent_class)->changed (buffer);
}

static void
smelt_document_class_init (SmeltDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = smelt_document_dispose;
  object_class->finalize = smelt_document_finalize;
  object_class->get_property = smelt_document_get_property;
  object_class->set_property = smelt_document_set_property;
  GTK_TEXT_BUFFER_CLASS (klass)->changed = smelt_document_changed;

  /**
   * SmeltDocument:loading:
   *
   * Whether the text is being read from the file (a save is refused meanwhile).
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SmeltDocument:indent-style:
   *
   * What Tab inserts in the views, when the file says (its .editorconfig);
   * %SMELT_INDENT_STYLE_UNSET leaves it to the user's settings.
   */
  properties[PROP_INDENT_STYLE] =
    g_param_spec_enum ("indent-style", NULL, NULL, SMELT_TYPE_INDENT_STYLE, SMELT_INDENT_STYLE_UNSET,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SmeltDocument:indent-width:
   *
   * How many columns an indentation step takes in the views; -1: the tab width.
   */
  properties[PROP_INDENT_WIDTH] =
    g_param_spec_int ("indent-width", NULL, NULL, -1, 32, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SmeltDocument:tab-width:
   *
   * How many columns a tab character takes in the views; 0: as the user's
   * settings say.
   */
  properties[PROP_TAB_WIDTH] =
    g_param_spec_uint ("tab-width", NULL, NULL, 0, 32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmeltDocument::loaded:
   *
   * The text was read from the file, in full.
   */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * SmeltDocument::saved:
   *
   * The text was written to the file.
   */
  /**
   * SmeltDocument::reveal-cursor:
   * @self: the document
   *
   * A plugin moved the cursor and wants it seen: a view of the document
   * scrolls to it (centred when it was off screen).
   */
  signals[REVEAL_CURSOR] = g_signal_new ("reveal-cursor", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * SmeltDocument::marks-changed:
   * @self: the document
   *
   * A mark was set or removed (smelt-marks.c): views draw signs again.
   */
  signals[MARKS_CHANGED] = g_signal_new ("marks-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
smelt_document_init (SmeltDocument *self)
{
  self->id = ++last_id;
  self->closing = g_cancellable_new ();
  self->file = gtk_source_file_new ();
  self->edits = smelt_edit_ranges_new (GTK_TEXT_BUFFER (self));
  self->indent_width = -1;
  self->encoding = gtk_source_encoding_get_utf8 ();
  self->newline = GTK_SOURCE_NEWLINE_TYPE_LF;
}

/**
 * smelt_document_new:
 *
 * Returns: (transfer full): an empty document with no file
 */
SmeltDocument *
smelt_document_new (void)
{
  /* the text is exactly the file: no newline added or removed behind the
   * API's back (a construct property: init cannot set it) */
  return g_object_new (SMELT_TYPE_DOCUMENT, "implicit-trailing-newline", FALSE, NULL);
}

/**
 * smelt_document_get_id:
 * @self: a #SmeltDocument
 *
 * Returns: the document's id: positive, never given to another document of
 *   this process
 */
guint
smelt_document_get_id (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), 0);
  return self->id;
}

/**
 * smelt_document_get_file:
 * @self: a #SmeltDocument
 *
 * Returns: (transfer none): the file the text is read from and written to
 */
GtkSourceFile *
smelt_document_get_file (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), NULL);
  return self->file;
}

/**
 * smelt_document_get_location:
 * @self: a #SmeltDocument
 *
 * Returns: (transfer none) (nullable): where the document is saved
 */
GFile *
smelt_document_get_location (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), NULL);
  return gtk_source_file_get_location (self->file);
}

static void
guess_language (SmeltDocument *self,
                GFile         *location)
{
  GtkSourceLanguageManager *langs = gtk_source_language_manager_get_default ();
  g_autofree char *name = g_file_get_basename (location);

  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (self),
                                  gtk_source_language_manager_guess_language (langs, name, NULL));
}

/**
 * smelt_document_set_location:
 * @self: a #SmeltDocument
 * @location: (nullable): where the document is saved from now on ("Save
 *   As"), or %NULL for none (untitled again: a failed Save As undone)
 *
 * Points the document at @location, and highlights it by its name.
 */
void
smelt_document_set_location (SmeltDocument *self,
                             GFile         *location)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));
  g_return_if_fail (location == NULL || G_IS_FILE (location));

  gtk_source_file_set_location (self->file, location);
  if (location != NULL)
    guess_language (self, location);
}

/**
 * smelt_document_set_name:
 * @self: a #SmeltDocument
 * @name: (nullable): the title of the document while it has no file, or
 *   %NULL for "untitled"
 */
void
smelt_document_set_name (SmeltDocument *self,
                         const char    *name)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));
  g_free (self->name);
  self->name = g_strdup (name);
}

/**
 * smelt_document_dup_name:
 * @self: a #SmeltDocument
 *
 * Returns: (transfer full): the file's name, else the name it was given,
 *   else "untitled"
 */
char *
smelt_document_dup_name (SmeltDocument *self)
{
  GFile *location = smelt_document_get_location (self);

  if (location != NULL)
    return g_file_get_basename (location);
  return g_strdup (self->name != NULL ? self->name : _("untitled"));
}

/**
 * smelt_document_set_read_only:
 * @self: a #SmeltDocument
 * @read_only: whether nothing may edit or save the document (a help text)
 *
 * The views take no typing then, and saving is refused.
 */
void
smelt_document_set_read_only (SmeltDocument *self,
                              gboolean       read_only)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));
  self->read_only = !!read_only;
}

/**
 * smelt_document_get_read_only:
 * @self: a #SmeltDocument
 *
 * Returns: whether the document is read-only
 */
gboolean
smelt_document_get_read_only (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), FALSE);
  return self->read_only;
}

/**
 * smelt_document_set_scratch:
 * @self: a #SmeltDocument
 * @scratch: whether its text is scratch: closing or quitting never asks
 *   to save it, as a Neovim buffer with 'buftype' nofile
 */
void
smelt_document_set_scratch (SmeltDocument *self,
                            gboolean       scratch)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));

  self->scratch = !!scratch;
}

/**
 * smelt_document_get_scratch:
 * @self: a #SmeltDocument
 *
 * Returns: whether closing it never asks to save it
 */
gboolean
smelt_document_get_scratch (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), FALSE);

  return self->scratch;
}

/**
 * smelt_document_reveal_cursor:
 * @self: a #SmeltDocument
 *
 * Asks its views to show the cursor (SmeltDocument::reveal-cursor).
 */
void
smelt_document_reveal_cursor (SmeltDocument *self)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));

  g_signal_emit (self, signals[REVEAL_CURSOR], 0);
}

/**
 * smelt_document_marks_changed:
 * @self: a #SmeltDocument
 *
 * Emits SmeltDocument::marks-changed.
 */
void
smelt_document_marks_changed (SmeltDocument *self)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));

  g_signal_emit (self, signals[MARKS_CHANGED], 0);
}

/**
 * smelt_document_get_loading:
 * @self: a #SmeltDocument
 *
 * Returns: whether the text is being read from the file
 */
gboolean
smelt_document_get_loading (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), FALSE);
  return self->loading;
}

/**
 * smelt_document_get_n_edits:
 * @self: a #SmeltDocument
 *
 * Returns: how many times the text changed so far
 */
guint
smelt_document_get_n_edits (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), 0);
  return self->n_edits;
}

/**
 * smelt_document_get_edit_ranges:
 * @self: a #SmeltDocument
 *
 * Returns: (transfer none): the lines edited since the document was
 *   loaded, less those a save has written
 */
SmeltEditRanges *
smelt_document_get_edit_ranges (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), NULL);
  return self->edits;
}

/**
 * smelt_document_set_indent:
 * @self: a #SmeltDocument
 * @style: what Tab inserts, or %SMELT_INDENT_STYLE_UNSET for the user's setting
 * @indent_width: columns per indentation step (1 to 32), or -1 for the tab width
 * @tab_width: columns per tab character (1 to 32), or 0 for the user's setting
 *
 * The file's own indentation (its .editorconfig says), which its views
 * follow rather than the user's settings.
 */
void
smelt_document_set_indent (SmeltDocument    *self,
                           SmeltIndentStyle  style,
                           int               indent_width,
                           guint             tab_width)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));
  g_return_if_fail (style <= SMELT_INDENT_STYLE_SPACE);
  g_return_if_fail (indent_width >= -1 && indent_width <= 32 && indent_width != 0);
  g_return_if_fail (tab_width <= 32);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->indent_style != style)
    {
      self->indent_style = style;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDENT_STYLE]);
    }
  if (self->indent_width != indent_width)
    {
      self->indent_width = indent_width;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDENT_WIDTH]);
    }
  if (self->tab_width != tab_width)
    {
      self->tab_width = tab_width;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAB_WIDTH]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * smelt_document_get_indent_style:
 * @self: a #SmeltDocument
 *
 * Returns: what Tab inserts, or %SMELT_INDENT_STYLE_UNSET
 */
SmeltIndentStyle
smelt_document_get_indent_style (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), SMELT_INDENT_STYLE_UNSET);
  return self->indent_style;
}

/**
 * smelt_document_get_indent_width:
 * @self: a #SmeltDocument
 *
 * Returns: columns per indentation step, or -1 (the tab width)
 */
int
smelt_document_get_indent_width (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), -1);
  return self->indent_width;
}

/**
 * smelt_document_get_tab_width:
 * @self: a #SmeltDocument
 *
 * Returns: columns per tab character, or 0 (the user's setting)
 */
guint
smelt_document_get_tab_width (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), 0);
  return self->tab_width;
}

/**
 * smelt_document_iter_at_position:
 * @self: a #SmeltDocument
 * @line: a line, from 1
 * @col: a byte column, from 1 up to one past the line's last byte
 * @iter: (out): the position, when it is one
 * @line_bytes: (out) (optional): the line's length in bytes (without its
 *   end), for an error message; 0 when there is no such line
 *
 * One check of a position for every API that takes one: GTK aborts on an
 * index inside a character, callers raise an error that says which.
 *
 * Returns: %SMELT_POSITION_OK, or what is wrong with the position
 */
SmeltPosition
smelt_document_iter_at_position (SmeltDocument *self,
                                 gint64         line,
                                 gint64         col,
                                 GtkTextIter   *iter,
                                 int           *line_bytes)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self);
  GtkTextIter end;
  g_autofree char *bytes = NULL;
  int len;

  if (line_bytes != NULL)
    *line_bytes = 0;
  if (line < 1 || line > gtk_text_buffer_get_line_count (buffer))
    return SMELT_POSITION_BAD_LINE;
  gtk_text_buffer_get_iter_at_line (buffer, iter, (int) line - 1);
  end = *iter;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  len = gtk_text_iter_get_line_index (&end);
  if (line_bytes != NULL)
    *line_bytes = len;
  if (col < 1 || col > len + 1)
    return SMELT_POSITION_BAD_COLUMN;
  bytes = gtk_text_iter_get_slice (iter, &end);
  if (col <= len && ((guchar) bytes[col - 1] & 0xC0) == 0x80)
    return SMELT_POSITION_INSIDE_CHARACTER;
  gtk_text_iter_set_line_index (iter, (int) col - 1);
  return SMELT_POSITION_OK;
}

/**
 * smelt_document_close:
 * @self: a #SmeltDocument
 *
 * The document is closing: a load in flight stops (its callback reports
 * %SMELT_DOCUMENT_ERROR_CLOSED), and handles on it see it closed, even
 * while an operation still holds it.
 */
void
smelt_document_close (SmeltDocument *self)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));

  if (self->closing != NULL)
    g_cancellable_cancel (self->closing);
}

/**
 * smelt_document_is_closed:
 * @self: a #SmeltDocument
 *
 * Returns: whether smelt_document_close() was called
 */
gboolean
smelt_document_is_closed (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), TRUE);
  return self->closing == NULL || g_cancellable_is_cancelled (self->closing);
}

static void
set_loading (SmeltDocument *self,
             gboolean       loading)
{
  if (self->loading == !!loading)
    return;
  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The text is read and written SAVE_SLICE characters (to a line's end)
 * per main-loop turn, so the window stays live. */
#define SAVE_SLICE    (2 * 1024 * 1024)

/* What a stamp compares: a write by another program changes one of them. */
#define STAMP_ATTRIBUTES G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC "," \
                         G_FILE_ATTRIBUTE_STANDARD_SIZE

static guint64
info_mtime (GFileInfo *info)
{
  return g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * G_USEC_PER_SEC +
         g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
}

/* Remembers location as info describes it; NULL info: nothing is known
 * (no file there yet), so the next save does not ask. */
static void
set_stamp (SmeltDocument *self,
           GFile         *location,
           GFileInfo     *info)
{
  g_clear_object (&self->stamp_location);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))
    return;
  self->stamp_location = g_object_ref (location);
  self->stamp_mtime = info_mtime (info);
  self->stamp_size = g_file_info_get_size (info);
}

static gboolean
changed_since_stamp (SmeltDocument *self,
                     GFile         *location,
                     GFileInfo     *info)
{
  return self->stamp_location != NULL && g_file_equal (self->stamp_location, location) &&
         g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) &&
         (info_mtime (info) != self->stamp_mtime || g_file_info_get_size (info) != self->stamp_size);
}

/* The count of each kind of line end in a text just read, a slice per
 * main-loop turn (50 MB take 80-160 ms: in one go, the window would stall
 * that long); the document is "loading" until it is done. */
typedef struct
{
  int   next_offset;   /* in characters */
  guint lf, crlf, cr;
} NewlineScan;

static void
finish_load (SmeltDocument *self,
             GTask         *task)
{
  set_loading (self, FALSE);
  if (smelt_document_is_closed (self))
    g_task_return_new_error (task, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_CLOSED,
                             _("the buffer was closed while loading"));
  else
    {
      g_signal_emit (self, signals[LOADED], 0);
      g_task_return_boolean (task, TRUE);
    }
}

static gboolean
newline_scan_step (gpointer data)
{
  GTask *task = data;
  SmeltDocument *self = g_task_get_source_object (task);
  NewlineScan *scan = g_task_get_task_data (task);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self);
  GtkTextIter start, end;
  g_autofree char *slice = NULL;

  if (smelt_document_is_closed (self))
    {
      finish_load (self, task);
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  /* a slice ends after a whole line end: no \r\n is cut in two */
  gtk_text_buffer_get_iter_at_offset (buffer, &start, scan->next_offset);
  end = start;
  if (!gtk_text_iter_forward_chars (&end, SAVE_SLICE) || !gtk_text_iter_forward_line (&end))
    gtk_text_buffer_get_end_iter (buffer, &end);
  slice = gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
  for (const char *p = slice; (p = strpbrk (p, "\r\n")) != NULL; p++)
    {
      if (*p == '\n')
        scan->lf++;
      else if (p[1] == '\n')
        scan->crlf++, p++;
      else
        scan->cr++;
    }
  scan->next_offset = gtk_text_iter_get_offset (&end);
  if (!gtk_text_iter_is_end (&end))
    return G_SOURCE_CONTINUE;
  self->mixed_newlines = (scan->lf > 0) + (scan->crlf > 0) + (scan->cr > 0) > 1;
  finish_load (self, task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SmeltDocument *self = g_task_get_source_object (task);
  gboolean ok = gtk_source_file_loader_load_finish (GTK_SOURCE_FILE_LOADER (source), result, &error);

  /* the cursor is at the start before "loading" goes false: whoever waits
   * for that (the window's -c 42) moves it from there */
  if (ok && !smelt_document_is_closed (self))
    {
      GtkTextIter start;
      const GtkSourceEncoding *encoding = gtk_source_file_get_encoding (self->file);
      GSource *idle;

      gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self), &start);
      gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self), &start);
      gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self), FALSE);
      smelt_edit_ranges_reset (self->edits);
      /* a save writes what was read: GtkSourceFileLoader keeps every line
       * end as it is, and names the first one the file's */
      self->encoding = encoding != NULL ? encoding : gtk_source_encoding_get_utf8 ();
      self->newline = gtk_source_file_get_newline_type (self->file);
      self->mixed_newlines = FALSE;
      g_task_set_task_data (task, g_new0 (NewlineScan, 1), g_free);
      idle = g_idle_source_new ();
      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_static_name (idle, "smelt_document_scan_newlines");
      g_source_set_callback (idle, newline_scan_step, g_steal_pointer (&task), NULL);
      g_source_attach (idle, g_main_context_get_thread_default ());
      g_source_unref (idle);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      /* a new file: written as asked, else UTF-8 with Unix line ends */
      self->encoding = self->load_encoding != NULL ? self->load_encoding : gtk_source_encoding_get_utf8 ();
      self->newline = GTK_SOURCE_NEWLINE_TYPE_LF;
      self->mixed_newlines = FALSE;
    }
  if (ok || smelt_document_is_closed (self))
    finish_load (self, task);   /* closed: says so */
  else
    {
      set_loading (self, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

/* The file's stamp is taken before it is read: a change made while it
 * loads is a change too. */
static void
load_stamp_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  SmeltDocument *self = g_task_get_source_object (task);
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, NULL);
  g_autoptr(GtkSourceFileLoader) loader = NULL;

  if (smelt_document_is_closed (self))
    {
      set_loading (self, FALSE);
      g_task_return_new_error (task, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_CLOSED,
                               _("the buffer was closed while loading"));
      g_object_unref (task);
      return;
    }
  set_stamp (self, G_FILE (source), info);
  loader = gtk_source_file_loader_new (GTK_SOURCE_BUFFER (self), self->file);
  if (self->load_encoding != NULL)
    {
      GSList only = { (gpointer) self->load_encoding, NULL };

      gtk_source_file_loader_set_candidate_encodings (loader, &only);   /* copies it */
    }
  gtk_source_file_loader_load_async (loader, G_PRIORITY_DEFAULT, self->closing, NULL, NULL, NULL,
                                     load_cb, task);
}

/**
 * smelt_document_load_encoded_async:
 * @self: a #SmeltDocument
 * @location: the file to read
 * @encoding: (nullable): the encoding to read it in, or %NULL to detect it
 *   (UTF-8, the locale's, ISO-8859-15, UTF-16: GtkSourceView's candidates)
 * @cancellable: (nullable): a #GCancellable: the callback comes at once
 *   when it is cancelled, but the text loads on (a half-read document is
 *   never left); only smelt_document_close() stops the loader
 * @callback: called when the text is in, or the load failed
 * @user_data: for @callback
 *
 * Reads @location into the document with GtkSourceFileLoader and
 * highlights it by its name.  "loading" is %TRUE meanwhile.  A save writes
 * the encoding and the line ends read (see smelt_document_set_encoding()).
 */
void
smelt_document_load_encoded_async (SmeltDocument           *self,
                                   GFile                   *location,
                                   const GtkSourceEncoding *encoding,
                                   GCancellable            *cancellable,
                                   GAsyncReadyCallback      callback,
                                   gpointer                 user_data)
{
  GTask *task;

  g_return_if_fail (SMELT_IS_DOCUMENT (self));
  g_return_if_fail (G_IS_FILE (location));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, smelt_document_load_async);
  smelt_document_set_location (self, location);
  self->load_encoding = encoding;
  set_loading (self, TRUE);
  g_file_query_info_async (location, STAMP_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                           self->closing, load_stamp_cb, task);
}

/**
 * smelt_document_load_async:
 * @self: a #SmeltDocument
 * @location: the file to read
 * @cancellable: (nullable): as for smelt_document_load_encoded_async()
 * @callback: called when the text is in, or the load failed
 * @user_data: for @callback
 *
 * smelt_document_load_encoded_async() in the encoding the document was
 * last read in by choice, or saved in since; else the one detected.  So a
 * Latin-1 file read again ("changed on disk: reload") stays Latin-1, where
 * the guess would refuse it.
 */
void
smelt_document_load_async (SmeltDocument       *self,
                           GFile               *location,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));
  smelt_document_load_encoded_async (self, location, self->load_encoding, cancellable, callback, user_data);
}

/**
 * smelt_document_load_finish:
 * @self: a #SmeltDocument
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the file was read
 */
gboolean
smelt_document_load_finish (SmeltDocument  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* "UTF-8, ISO-8859-15 or UTF-16": the encodings a file is tried in */
static char *
dup_candidate_names (void)
{
  GSList *candidates = gtk_source_encoding_get_default_candidates ();
  GString *names = g_string_new (NULL);
  guint n = g_slist_length (candidates), i = 0;

  for (GSList *l = candidates; l != NULL; l = l->next, i++)
    {
      if (i > 0)
        g_string_append (names, i + 1 == n ? _(" or ") : ", ");
      g_string_append (names, gtk_source_encoding_get_charset (l->data));
    }
  g_slist_free (candidates);
  return g_string_free (names, FALSE);
}

/**
 * smelt_document_describe_load_error:
 * @self: a #SmeltDocument whose file could not be read
 * @error: why
 *
 * Returns: (transfer full): "could not open PATH: WHY", for the message
 *   area and for smelt.buf.open's error
 */
char *
smelt_document_describe_load_error (SmeltDocument *self,
                                    const GError  *error)
{
  GFile *location = smelt_document_get_location (self);
  g_autofree char *name = location ? g_file_get_parse_name (location) : g_strdup (_("untitled"));

  if (g_error_matches (error, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup (error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    return g_strdup_printf (_("could not open %s: it is a directory"), name);
  if (g_error_matches (error, GTK_SOURCE_FILE_LOADER_ERROR, GTK_SOURCE_FILE_LOADER_ERROR_CONVERSION_FALLBACK) ||
      g_error_matches (error, GTK_SOURCE_FILE_LOADER_ERROR, GTK_SOURCE_FILE_LOADER_ERROR_ENCODING_AUTO_DETECTION_FAILED))
    {
      g_autofree char *tried = NULL;

      if (self->load_encoding != NULL)
        return g_strdup_printf (_("could not open %s: it is not text in %s"), name,
                                gtk_source_encoding_get_charset (self->load_encoding));
      tried = dup_candidate_names ();
      return g_strdup_printf (_("could not open %s: it is not text in a known encoding (%s); "
                                "to read it in another one: :e ++enc=latin1 %s"), name, tried, name);
    }
  return g_strdup_printf (_("could not open %s: %s"), name, error->message);
}

/* A save takes a checkpoint of the edited lines as it starts; once the
 * file is written, what was edited before it is in the file (trimming on
 * save looks at the rest), and what was typed meanwhile stays edited. */
#define EDIT_CHECKPOINT "smelt-edit-checkpoint"

static void
take_edit_checkpoint (SmeltDocument *self,
                      GTask         *task)
{
  g_object_set_data (G_OBJECT (task), EDIT_CHECKPOINT,
                     GUINT_TO_POINTER (smelt_edit_ranges_checkpoint (self->edits)));
}

static void
forget_saved_edits (SmeltDocument *self,
                    GTask         *task)
{
  smelt_edit_ranges_clear_until (self->edits, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), EDIT_CHECKPOINT)));
}

/**
 * smelt_document_lookup_encoding:
 * @name: a charset ("ISO-8859-1", "utf-8") or a name Vim knows it by
 *   ("latin1", "utf8", "cp1252")
 *
 * Returns: (transfer none) (nullable): the encoding, or %NULL when
 *   GtkSourceView knows none by that name
 */
const GtkSourceEncoding *
smelt_document_lookup_encoding (const char *name)
{
  static const struct { const char *alias, *charset; } aliases[] = {
    { "latin1", "ISO-8859-1" },
    { "latin-1", "ISO-8859-1" },
    { "latin9", "ISO-8859-15" },
    { "utf8", "UTF-8" },
    { "cp1252", "WINDOWS-1252" },
    { "utf16", "UTF-16" },
  };

  g_return_val_if_fail (name != NULL, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (name, aliases[i].alias) == 0)
      name = aliases[i].charset;
  return gtk_source_encoding_get_from_charset (name);
}

/**
 * smelt_document_get_encoding:
 * @self: a #SmeltDocument
 *
 * Returns: (transfer none): the encoding a save writes: the file's as it
 *   was read, else what smelt_document_set_encoding() set, else UTF-8
 */
const GtkSourceEncoding *
smelt_document_get_encoding (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), NULL);
  return self->encoding;
}

/**
 * smelt_document_set_encoding:
 * @self: a #SmeltDocument
 * @encoding: (nullable): what the next saves write, %NULL for UTF-8
 */
void
smelt_document_set_encoding (SmeltDocument           *self,
                             const GtkSourceEncoding *encoding)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));
  self->encoding = encoding != NULL ? encoding : gtk_source_encoding_get_utf8 ();
}

/**
 * smelt_document_get_newline_type:
 * @self: a #SmeltDocument
 *
 * Returns: the line end a save writes after every line: the file's first
 *   one as it was read, else what smelt_document_set_newline_type() set
 */
GtkSourceNewlineType
smelt_document_get_newline_type (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), GTK_SOURCE_NEWLINE_TYPE_LF);
  return self->newline;
}

/**
 * smelt_document_set_newline_type:
 * @self: a #SmeltDocument
 * @newline: what the next saves write after every line
 */
void
smelt_document_set_newline_type (SmeltDocument        *self,
                                 GtkSourceNewlineType  newline)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));
  self->newline = newline;
}

/**
 * smelt_document_has_mixed_newlines:
 * @self: a #SmeltDocument
 *
 * Returns: whether the file read had more than one kind of line end (a
 *   save writes them all as smelt_document_get_newline_type()); %FALSE again
 *   once it is saved
 */
gboolean
smelt_document_has_mixed_newlines (SmeltDocument *self)
{
  g_return_val_if_fail (SMELT_IS_DOCUMENT (self), FALSE);
  return self->mixed_newlines;
}

/**
 * smelt_document_error_code:
 * @error: an error in %SMELT_DOCUMENT_ERROR
 *
 * Returns: the word a script tests for it: "loading", "no-file", "closed",
 *   "read-only", "changed-on-disk" or "encoding" (GIO's errors have their
 *   nicks: smelt_bridge_error_code())
 */
const char *
smelt_document_error_code (const GError *error)
{
  g_return_val_if_fail (error != NULL && error->domain == SMELT_DOCUMENT_ERROR, "failed");

  switch ((SmeltDocumentError) error->code)
    {
    case SMELT_DOCUMENT_ERROR_LOADING:         return "loading";
    case SMELT_DOCUMENT_ERROR_NO_FILE:         return "no-file";
    case SMELT_DOCUMENT_ERROR_CLOSED:          return "closed";
    case SMELT_DOCUMENT_ERROR_READ_ONLY:       return "read-only";
    case SMELT_DOCUMENT_ERROR_CHANGED_ON_DISK: return "changed-on-disk";
    case SMELT_DOCUMENT_ERROR_ENCODING:        return "encoding";
    default:                                   return "failed";
    }
}

/* A save: how it was asked, and the edit counter of the text written. */
typedef struct
{
  SmeltDocumentSaveFlags flags;
  guint edits_at_start;
} SaveJob;

static gboolean
can_save_fast (SmeltDocument *self)
{
  return self->encoding == gtk_source_encoding_get_utf8 () &&
         gtk_source_file_get_compression_type (self->file) == GTK_SOURCE_COMPRESSION_TYPE_NONE &&
         self->newline == GTK_SOURCE_NEWLINE_TYPE_LF &&
         g_file_is_native (smelt_document_get_location (self));
}

/* The file is written: its new stamp, then "saved". */
static void
saved_stamp_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, NULL);
  SmeltDocument *self = g_task_get_source_object (task);
  SaveJob *job = g_task_get_task_data (task);

  set_stamp (self, G_FILE (source), info);
  self->mixed_newlines = FALSE;   /* every line end is written as self->newline */
  if (self->load_encoding != NULL)
    self->load_encoding = self->encoding;   /* read again, the file is in what was written */
  /* what was typed after the text was read out is not in the file: the
   * document stays modified then, so closing it still asks */
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self), self->n_edits != job->edits_at_start);
  forget_saved_edits (self, task);
  g_signal_emit (self, signals[SAVED], 0);
  g_task_return_boolean (task, TRUE);
}

static void
finish_save (SmeltDocument *self,
             GTask         *task)
{
  /* not cancellable: the file is written, and the stamp must follow it */
  g_file_query_info_async (smelt_document_get_location (self), STAMP_ATTRIBUTES, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, NULL, saved_stamp_cb, task);
}

static void
fast_write_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SmeltDocument *self = g_task_get_source_object (task);

  if (!smelt_file_write_finish (result, &error))
    {
      g_autofree char *name = g_file_get_parse_name (smelt_document_get_location (self));

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_READ_ONLY,
                                 _("%s: the file is read-only (nobody may write it)"), name);
      else
        {
          g_prefix_error (&error, "%s: ", name);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      return;
    }
  finish_save (self, g_steal_pointer (&task));
}

/* slice with every \r\n and lone \r written as \n: a save writes one kind
 * of line end (GtkTextBuffer takes all three as line ends) */
static void
append_with_lf (GString    *text,
                const char *slice)
{
  for (const char *p = slice; *p != '\0'; p++)
    {
      if (*p != '\r')
        g_string_append_c (text, *p);
      else
        {
          g_string_append_c (text, '\n');
          if (p[1] == '\n')
            p++;
        }
    }
}

/* A copy of the text (for a fast save or a draft), a slice per main-loop
 * turn; an edit between two slices starts it again, up to SAVE_RESTARTS
 * times, then the rest is copied in one go. */
#define SAVE_RESTARTS 3

typedef struct
{
  GString *text;
  gsize    prefix_len;       /* bytes before the text, kept over a restart */
  int      next_offset;      /* in characters */
  guint    edits_at_start;   /* the edit counter the copy is of */
  guint    restarts;
  gboolean to_lf;            /* every line end as \n (a save), or as it is */
} TextCopy;

static void
text_copy_free (gpointer data)
{
  TextCopy *copy = data;

  if (copy->text != NULL)
    g_string_free (copy->text, TRUE);
  g_free (copy);
}

static gboolean
copy_text_step (gpointer data)
{
  GTask *task = data;
  SmeltDocument *self = g_task_get_source_object (task);
  TextCopy *copy = g_task_get_task_data (task);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self);
  GtkTextIter start, end;
  g_autofree char *slice = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  if (self->n_edits != copy->edits_at_start)
    {
      /* an edit came between two slices: the copy would mix two texts */
      g_string_truncate (copy->text, copy->prefix_len);
      copy->next_offset = 0;
      copy->edits_at_start = self->n_edits;
      copy->restarts++;
    }
  gtk_text_buffer_get_iter_at_offset (buffer, &start, copy->next_offset);
  end = start;
  /* to a whole line end: a \r\n is never cut in two */
  if (copy->restarts >= SAVE_RESTARTS ||
      !gtk_text_iter_forward_chars (&end, SAVE_SLICE) || !gtk_text_iter_forward_line (&end))
    gtk_text_buffer_get_end_iter (buffer, &end);
  slice = gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
  if (copy->to_lf && strchr (slice, '\r') != NULL)
    append_with_lf (copy->text, slice);
  else
    g_string_append (copy->text, slice);
  copy->next_offset = gtk_text_iter_get_offset (&end);
  if (!gtk_text_iter_is_end (&end))
    return G_SOURCE_CONTINUE;

  g_task_return_pointer (task, g_string_free_to_bytes (g_steal_pointer (&copy->text)),
                         (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
copy_text_start (SmeltDocument       *self,
                 const char          *prefix,
                 gboolean             to_lf,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task;
  TextCopy *copy;
  GSource *source;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, smelt_document_copy_text_async);
  copy = g_new0 (TextCopy, 1);
  copy->to_lf = to_lf;
  copy->prefix_len = prefix != NULL ? strlen (prefix) : 0;
  copy->text = g_string_sized_new (copy->prefix_len + gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (self)) + 1);
  if (prefix != NULL)
    g_string_append (copy->text, prefix);
  copy->edits_at_start = self->n_edits;
  g_task_set_task_data (task, copy, text_copy_free);
  source = g_idle_source_new ();
  /* the loop's normal priority: a copy goes on while the window is busy */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "smelt_document_copy_text");
  g_source_set_callback (source, copy_text_step, task, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

/**
 * smelt_document_copy_text_async:
 * @self: a #SmeltDocument
 * @prefix: (nullable): bytes to put before the text (a draft's header)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the copy
 * @user_data: for @callback
 *
 * Copies the text out as UTF-8, line ends as they are, a slice per
 * main-loop turn (a 50 MB text in 2 MB slices never freezes the window);
 * the copy is of one moment's text: an edit between two slices starts it
 * again.
 */
void
smelt_document_copy_text_async (SmeltDocument       *self,
                                const char          *prefix,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (SMELT_IS_DOCUMENT (self));

  copy_text_start (self, prefix, FALSE, cancellable, callback, user_data);
}

/**
 * smelt_document_copy_text_finish:
 * @self: a #SmeltDocument
 * @result: the result given to the callback
 * @n_edits: (out) (optional): the edit counter the copy is of (see
 *   smelt_document_get_n_edits())
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the prefix and the text, or %NULL
 *   when cancelled
 */
GBytes *
smelt_document_copy_text_finish (SmeltDocument  *self,
                                 GAsyncResult   *result,
                                 guint          *n_edits,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  if (n_edits != NULL)
    *n_edits = ((TextCopy *) g_task_get_task_data (G_TASK (result)))->edits_at_start;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The text of a fast save is copied: then it is written. */
static void
save_copied_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  SmeltDocument *self = SMELT_DOCUMENT (source);
  SaveJob *job = g_task_get_task_data (task);
  GCancellable *cancellable;

  bytes = smelt_document_copy_text_finish (self, result, &job->edits_at_start, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  path = g_file_get_path (smelt_document_get_location (self));
  cancellable = g_task_get_cancellable (task);
  smelt_file_write_async (path, bytes, SMELT_FILE_WRITE_NONE, cancellable, fast_write_cb, g_steal_pointer (&task));
}

static void
save_fast (SmeltDocument *self,
           GTask         *task)
{
  /* the copy runs at the loop's normal priority: a save goes on while the
   * window is busy */
  copy_text_start (self, NULL, TRUE, g_task_get_cancellable (task), save_copied_cb, task);
}

static void
saver_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SmeltDocument *self = g_task_get_source_object (task);

  if (!gtk_source_file_saver_save_finish (GTK_SOURCE_FILE_SAVER (source), result, &error))
    {
      g_autofree char *name = g_file_get_parse_name (smelt_document_get_location (self));

      g_prefix_error (&error, "%s: ", name);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  finish_save (self, g_steal_pointer (&task));
}

static void
save_with_saver (SmeltDocument *self,
                 GTask         *task)
{
  g_autoptr(GtkSourceFileSaver) saver = gtk_source_file_saver_new (GTK_SOURCE_BUFFER (self), self->file);
  SaveJob *job = g_task_get_task_data (task);

  job->edits_at_start = self->n_edits;
  gtk_source_file_saver_set_encoding (saver, self->encoding);
  gtk_source_file_saver_set_newline_type (saver, self->newline);
  /* the check is save_check_cb's, for both ways of writing: the saver's
   * own compares a time only it updates, and the fast writer does not */
  gtk_source_file_saver_set_flags (saver, GTK_SOURCE_FILE_SAVER_FLAGS_IGNORE_MODIFICATION_TIME);
  gtk_source_file_saver_save_async (saver, G_PRIORITY_DEFAULT, g_task_get_cancellable (task), NULL, NULL, NULL,
                                    saver_cb, task);
}

/* Whether the text fits the encoding a save writes; else an error that
 * names the file, the first character that does not fit and where it is. */
static gboolean
check_encodable (SmeltDocument  *self,
                 GError        **error)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self);
  const char *charset = gtk_source_encoding_get_charset (self->encoding);
  g_autoptr(GError) conversion_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *converted = NULL;
  g_autofree char *name = NULL;
  GtkTextIter start, end;
  gsize bytes_read = 0;
  gunichar c;
  char ch[8] = { 0 };

  if (self->encoding == gtk_source_encoding_get_utf8 ())
    return TRUE;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  converted = g_convert (text, -1, charset, "UTF-8", &bytes_read, NULL, &conversion_error);
  if (converted != NULL || !g_error_matches (conversion_error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE))
    return TRUE;   /* it fits, or iconv knows no such charset: the saver says so */

  c = g_utf8_get_char (text + bytes_read);
  g_unichar_to_utf8 (c, ch);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) g_utf8_pointer_to_offset (text, text + bytes_read));
  name = g_file_get_parse_name (smelt_document_get_location (self));
  g_set_error (error, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_ENCODING,
               _("%s: line %d has “%s” (U+%04X), which %s cannot hold; "
                 "save it as UTF-8 (buffer:set_encoding(\"UTF-8\")) or take the character out"),
               name, gtk_text_iter_get_line (&start) + 1, ch, c, charset);
  return FALSE;
}

/* The file as it is now, against its stamp: then the write. */
static void
save_check_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, NULL);
  SmeltDocument *self = g_task_get_source_object (task);
  SaveJob *job = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->loading)
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (source));

      /* a reload began while the file was looked at */
      g_task_return_new_error (task, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_LOADING,
                               _("%s is still loading: save it once it has loaded"), name);
      return;
    }
  /* a file deleted meanwhile (no info) is written again: the buffer is all
   * that is left of it; one that cannot be looked at, the write reports */
  if (info != NULL && !(job->flags & SMELT_DOCUMENT_SAVE_FORCE) && changed_since_stamp (self, G_FILE (source), info))
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (source));

      g_task_return_new_error (task, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_CHANGED_ON_DISK,
                               _("%s changed on disk since it was read; a forced save writes over it"), name);
      return;
    }
  if (!check_encodable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (can_save_fast (self))
    save_fast (self, g_steal_pointer (&task));
  else
    save_with_saver (self, g_steal_pointer (&task));
}

/**
 * smelt_document_save_async:
 * @self: a #SmeltDocument
 * @location: (nullable): a new file to save to ("Save As"), or %NULL for
 *   its own
 * @flags: %SMELT_DOCUMENT_SAVE_FORCE to write over a file another program
 *   changed since it was read or written
 * @cancellable: (nullable): a #GCancellable: cancelling it stops the
 *   write, and the file keeps its old text
 * @callback: called when written, or when the write failed or was refused
 * @user_data: for @callback
 *
 * Writes the text in the document's encoding, every line end as its
 * newline type: UTF-8 with Unix line ends through the safe writer
 * (smelt-file-writer.c), the rest with GtkSourceFileSaver.  Refused with
 * %SMELT_DOCUMENT_ERROR_LOADING while the text is loading,
 * %SMELT_DOCUMENT_ERROR_NO_FILE without a file,
 * %SMELT_DOCUMENT_ERROR_READ_ONLY for a read-only document,
 * %SMELT_DOCUMENT_ERROR_CHANGED_ON_DISK when the file's modification time
 * or size is not what it was when the document last read or wrote it
 * (unless forced; a file deleted meanwhile is written again), and
 * %SMELT_DOCUMENT_ERROR_ENCODING when a character does not fit the
 * encoding (nothing is written then).
 */
void
smelt_document_save_async (SmeltDocument          *self,
                           GFile                  *location,
                           SmeltDocumentSaveFlags  flags,
                           GCancellable           *cancellable,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  g_return_if_fail (SMELT_IS_DOCUMENT (self));
  g_return_if_fail (location == NULL || G_IS_FILE (location));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, smelt_document_save_async);
  if (self->read_only)
    {
      g_task_return_new_error (task, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_READ_ONLY,
                               _("the buffer is read-only"));
      return;
    }
  if (self->loading)
    {
      GFile *file = smelt_document_get_location (self);
      g_autofree char *name = file ? g_file_get_parse_name (file) : smelt_document_dup_name (self);

      g_task_return_new_error (task, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_LOADING,
                               _("%s is still loading: save it once it has loaded"), name);
      return;
    }
  if (location != NULL)
    smelt_document_set_location (self, location);
  if (smelt_document_get_location (self) == NULL)
    {
      g_task_return_new_error (task, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_NO_FILE,
                               _("the buffer has no file name"));
      return;
    }
  take_edit_checkpoint (self, task);
  job = g_new0 (SaveJob, 1);
  job->flags = flags;
  g_task_set_task_data (task, job, g_free);
  g_file_query_info_async (smelt_document_get_location (self), STAMP_ATTRIBUTES, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, cancellable, save_check_cb, g_steal_pointer (&task));
}

/**
 * smelt_document_save_finish:
 * @self: a #SmeltDocument
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the file was written
 */
gboolean
smelt_document_save_finish (SmeltDocument  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
