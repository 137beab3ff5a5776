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
 */

#define G_LOG_DOMAIN "smelt-document"

#include "config.h"

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

      gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self), &start);
      gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self), &start);
      gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self), FALSE);
      smelt_edit_ranges_reset (self->edits);
    }
  set_loading (self, FALSE);
  if (smelt_document_is_closed (self))
    g_task_return_new_error (task, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_CLOSED,
                             _("the buffer was closed while loading"));
  else if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      g_signal_emit (self, signals[LOADED], 0);
      g_task_return_boolean (task, TRUE);
    }
}

/**
 * smelt_document_load_async:
 * @self: a #SmeltDocument
 * @location: the file to read
 * @cancellable: (nullable): a #GCancellable: the callback comes at once
 *   when it is cancelled, but the text loads on (a half-read document is
 *   never left); only smelt_document_close() stops the loader
 * @callback: called when the text is in, or the load failed
 * @user_data: for @callback
 *
 * Reads @location into the document with GtkSourceFileLoader and
 * highlights it by its name.  "loading" is %TRUE meanwhile.
 */
void
smelt_document_load_async (SmeltDocument       *self,
                           GFile               *location,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GtkSourceFileLoader) loader = NULL;
  GTask *task;

  g_return_if_fail (SMELT_IS_DOCUMENT (self));
  g_return_if_fail (G_IS_FILE (location));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, smelt_document_load_async);
  smelt_document_set_location (self, location);
  set_loading (self, TRUE);
  loader = gtk_source_file_loader_new (GTK_SOURCE_BUFFER (self), self->file);
  gtk_source_file_loader_load_async (loader, G_PRIORITY_DEFAULT, self->closing, NULL, NULL, NULL,
                                     load_cb, task);
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
    return g_strdup_printf (_("could not open %s: it is not text in a known encoding"), name);
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

/* The text of a fast save: copied out SAVE_SLICE characters (to a line's
 * end) per main-loop turn, so the window stays live; an edit meanwhile
 * starts the copy again, up to SAVE_RESTARTS times, then the rest is
 * copied in one go. */
#define SAVE_SLICE    (2 * 1024 * 1024)
#define SAVE_RESTARTS 3

typedef struct
{
  GString *text;
  int      next_offset;      /* in characters */
  guint    edits_at_start;   /* the edit counter the copy is of */
  guint    restarts;
} SaveCopy;

static void
save_copy_free (gpointer data)
{
  SaveCopy *copy = data;

  if (copy->text != NULL)
    g_string_free (copy->text, TRUE);
  g_free (copy);
}

static gboolean
can_save_fast (SmeltDocument *self)
{
  const GtkSourceEncoding *encoding = gtk_source_file_get_encoding (self->file);

  return (encoding == NULL || encoding == gtk_source_encoding_get_utf8 ()) &&
         gtk_source_file_get_compression_type (self->file) == GTK_SOURCE_COMPRESSION_TYPE_NONE &&
         gtk_source_file_get_newline_type (self->file) == GTK_SOURCE_NEWLINE_TYPE_LF &&
         g_file_is_native (smelt_document_get_location (self));
}

static void
fast_write_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SmeltDocument *self = g_task_get_source_object (task);
  SaveCopy *copy = g_task_get_task_data (task);

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
  /* what was typed after the text was copied is not in the file */
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self), self->n_edits != copy->edits_at_start);
  forget_saved_edits (self, task);
  g_signal_emit (self, signals[SAVED], 0);
  g_task_return_boolean (task, TRUE);
}

static gboolean
save_copy_step (gpointer data)
{
  GTask *task = data;
  SmeltDocument *self = g_task_get_source_object (task);
  SaveCopy *copy = g_task_get_task_data (task);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self);
  GtkTextIter start, end;
  g_autofree char *slice = NULL;
  g_autofree char *path = NULL;
  GBytes *bytes;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  if (self->n_edits != copy->edits_at_start)
    {
      /* an edit came between two slices: the copy would mix two texts */
      g_string_truncate (copy->text, 0);
      copy->next_offset = 0;
      copy->edits_at_start = self->n_edits;
      copy->restarts++;
    }
  gtk_text_buffer_get_iter_at_offset (buffer, &start, copy->next_offset);
  end = start;
  if (copy->restarts >= SAVE_RESTARTS ||
      !gtk_text_iter_forward_chars (&end, SAVE_SLICE) || !gtk_text_iter_forward_line (&end))
    gtk_text_buffer_get_end_iter (buffer, &end);
  slice = gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
  g_string_append (copy->text, slice);
  copy->next_offset = gtk_text_iter_get_offset (&end);
  if (!gtk_text_iter_is_end (&end))
    return G_SOURCE_CONTINUE;

  bytes = g_string_free_to_bytes (g_steal_pointer (&copy->text));
  path = g_file_get_path (smelt_document_get_location (self));
  smelt_file_write_async (path, bytes, SMELT_FILE_WRITE_NONE, g_task_get_cancellable (task), fast_write_cb, task);
  g_bytes_unref (bytes);
  return G_SOURCE_REMOVE;   /* fast_write_cb has the task's ref now */
}

static void
save_fast (SmeltDocument *self,
           GTask         *task)
{
  SaveCopy *copy = g_new0 (SaveCopy, 1);
  GSource *source = g_idle_source_new ();

  copy->text = g_string_sized_new (gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (self)) + 1);
  copy->edits_at_start = self->n_edits;
  g_task_set_task_data (task, copy, save_copy_free);
  /* the loop's normal priority: a save goes on while the window is busy */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "smelt_document_save");
  g_source_set_callback (source, save_copy_step, task, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SmeltDocument *self = g_task_get_source_object (task);
  guint edits_at_start = GPOINTER_TO_UINT (g_task_get_task_data (task));

  if (!gtk_source_file_saver_save_finish (GTK_SOURCE_FILE_SAVER (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* what was typed while the saver read the text may not be in the file:
   * the document stays modified then, so closing it still asks (the saver
   * itself marks it unmodified) */
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self), self->n_edits != edits_at_start);
  forget_saved_edits (self, task);
  g_signal_emit (self, signals[SAVED], 0);
  g_task_return_boolean (task, TRUE);
}

/**
 * smelt_document_save_async:
 * @self: a #SmeltDocument
 * @location: (nullable): a new file to save to ("Save As"), or %NULL for
 *   its own
 * @cancellable: (nullable): a #GCancellable: cancelling it stops the
 *   write, and the file keeps its old text
 * @callback: called when written, or when the write failed or was refused
 * @user_data: for @callback
 *
 * Writes the text: UTF-8 with Unix line ends through the safe writer
 * (smelt-file-writer.c), the rest with GtkSourceFileSaver.  Refused with %SMELT_DOCUMENT_ERROR_LOADING while the text
 * is loading, %SMELT_DOCUMENT_ERROR_NO_FILE without a file, and
 * %SMELT_DOCUMENT_ERROR_READ_ONLY for a read-only document.
 */
void
smelt_document_save_async (SmeltDocument       *self,
                           GFile               *location,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GtkSourceFileSaver) saver = NULL;
  g_autoptr(GTask) task = NULL;

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
  if (can_save_fast (self))
    {
      save_fast (self, g_steal_pointer (&task));
      return;
    }
  g_task_set_task_data (task, GUINT_TO_POINTER (self->n_edits), NULL);
  saver = gtk_source_file_saver_new (GTK_SOURCE_BUFFER (self), self->file);
  /* ignore "the file changed on disk" here: the window asks before saving */
  gtk_source_file_saver_set_flags (saver, GTK_SOURCE_FILE_SAVER_FLAGS_IGNORE_MODIFICATION_TIME);
  gtk_source_file_saver_save_async (saver, G_PRIORITY_DEFAULT, cancellable, NULL, NULL, NULL,
                                    save_cb, g_steal_pointer (&task));
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
