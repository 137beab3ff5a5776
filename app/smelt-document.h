/* smelt-document.h: one document: the text, its file, loading and saving; no view
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "smelt-edit-ranges.h"

G_BEGIN_DECLS

#define SMELT_DOCUMENT_ERROR (smelt_document_error_quark ())

typedef enum
{
  SMELT_DOCUMENT_ERROR_LOADING,   /* a save while the text is still loading */
  SMELT_DOCUMENT_ERROR_NO_FILE,   /* a save of a document that has no file */
  SMELT_DOCUMENT_ERROR_CLOSED,    /* the document was closed while loading */
  SMELT_DOCUMENT_ERROR_READ_ONLY, /* a save of a read-only document */
  SMELT_DOCUMENT_ERROR_CHANGED_ON_DISK, /* another program changed the file since it was read */
  SMELT_DOCUMENT_ERROR_ENCODING,  /* a character the file's encoding cannot hold */
} SmeltDocumentError;

/**
 * SmeltIndentStyle:
 * @SMELT_INDENT_STYLE_UNSET: as the user's settings say
 * @SMELT_INDENT_STYLE_TAB: Tab inserts a tab character
 * @SMELT_INDENT_STYLE_SPACE: Tab inserts spaces
 *
 * What the Tab key inserts in a document's views.
 */
typedef enum
{
  SMELT_INDENT_STYLE_UNSET,
  SMELT_INDENT_STYLE_TAB,
  SMELT_INDENT_STYLE_SPACE,
} SmeltIndentStyle;

#define SMELT_TYPE_INDENT_STYLE (smelt_indent_style_get_type ())
GType smelt_indent_style_get_type (void);

/**
 * SmeltDocumentSaveFlags:
 * @SMELT_DOCUMENT_SAVE_NONE: refuse to write over a file another program
 *   changed since it was read or written
 * @SMELT_DOCUMENT_SAVE_FORCE: write over it all the same (the user said so)
 */
typedef enum
{
  SMELT_DOCUMENT_SAVE_NONE  = 0,
  SMELT_DOCUMENT_SAVE_FORCE = 1 << 0,
} SmeltDocumentSaveFlags;

/**
 * SmeltPosition:
 * @SMELT_POSITION_OK: the position is in the text
 * @SMELT_POSITION_BAD_LINE: no such line
 * @SMELT_POSITION_BAD_COLUMN: the column is past the line's end
 * @SMELT_POSITION_INSIDE_CHARACTER: the column falls inside a character
 *
 * What smelt_document_iter_at_position() made of a line and a column.
 */
typedef enum
{
  SMELT_POSITION_OK,
  SMELT_POSITION_BAD_LINE,
  SMELT_POSITION_BAD_COLUMN,
  SMELT_POSITION_INSIDE_CHARACTER,
} SmeltPosition;

#define SMELT_TYPE_DOCUMENT (smelt_document_get_type ())

G_DECLARE_FINAL_TYPE (SmeltDocument, smelt_document, SMELT, DOCUMENT, GtkSourceBuffer)

GQuark         smelt_document_error_quark   (void);
SmeltDocument *smelt_document_new           (void);
guint          smelt_document_get_id        (SmeltDocument        *self);
GtkSourceFile *smelt_document_get_file      (SmeltDocument        *self);
GFile         *smelt_document_get_location  (SmeltDocument        *self);
void           smelt_document_set_location  (SmeltDocument        *self,
                                             GFile                *location);
void           smelt_document_set_name      (SmeltDocument        *self,
                                             const char           *name);
char          *smelt_document_dup_name      (SmeltDocument        *self);
void           smelt_document_set_read_only (SmeltDocument        *self,
                                             gboolean              read_only);
gboolean       smelt_document_get_read_only (SmeltDocument        *self);
void           smelt_document_set_scratch   (SmeltDocument        *self,
                                             gboolean              scratch);
gboolean       smelt_document_get_scratch   (SmeltDocument        *self);
void           smelt_document_reveal_cursor (SmeltDocument        *self);
void           smelt_document_marks_changed (SmeltDocument        *self);
gboolean       smelt_document_get_loading   (SmeltDocument        *self);
guint          smelt_document_get_n_edits   (SmeltDocument        *self);
SmeltEditRanges *smelt_document_get_edit_ranges (SmeltDocument    *self);
void           smelt_document_set_indent    (SmeltDocument        *self,
                                             SmeltIndentStyle      style,
                                             int                   indent_width,
                                             guint                 tab_width);
SmeltIndentStyle smelt_document_get_indent_style (SmeltDocument  *self);
int            smelt_document_get_indent_width (SmeltDocument     *self);
guint          smelt_document_get_tab_width (SmeltDocument        *self);
SmeltPosition  smelt_document_iter_at_position (SmeltDocument     *self,
                                                gint64             line,
                                                gint64             col,
                                                GtkTextIter       *iter,
                                                int               *line_bytes);
void           smelt_document_close         (SmeltDocument        *self);
gboolean       smelt_document_is_closed     (SmeltDocument        *self);
void           smelt_document_load_async    (SmeltDocument        *self,
                                             GFile                *location,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       smelt_document_load_finish   (SmeltDocument        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void           smelt_document_load_encoded_async (SmeltDocument           *self,
                                                  GFile                   *location,
                                                  const GtkSourceEncoding *encoding,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
char          *smelt_document_describe_load_error (SmeltDocument  *self,
                                                   const GError   *error);
const GtkSourceEncoding *smelt_document_lookup_encoding (const char *name);
const GtkSourceEncoding *smelt_document_get_encoding    (SmeltDocument           *self);
void           smelt_document_set_encoding  (SmeltDocument           *self,
                                             const GtkSourceEncoding *encoding);
GtkSourceNewlineType smelt_document_get_newline_type (SmeltDocument        *self);
void           smelt_document_set_newline_type (SmeltDocument        *self,
                                                GtkSourceNewlineType  newline);
gboolean       smelt_document_has_mixed_newlines (SmeltDocument     *self);
const char    *smelt_document_error_code    (const GError         *error);
void           smelt_document_save_async    (SmeltDocument        *self,
                                             GFile                *location,
                                             SmeltDocumentSaveFlags flags,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       smelt_document_save_finish   (SmeltDocument        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void           smelt_document_copy_text_async  (SmeltDocument       *self,
                                                const char          *prefix,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GBytes        *smelt_document_copy_text_finish (SmeltDocument       *self,
                                                GAsyncResult        *result,
                                                guint               *n_edits,
                                                GError             **error);

G_END_DECLS
