/* smelt-workspace.c: the open documents, in order, with the current one; no view
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of SmeltDocuments, as GNOME Text Editor's EditorSession
 * holds its documents: the window is a view of it (a page per item, added
 * and removed on "items-changed"), and with --no-ui the same workspace is
 * all there is.  Opening goes through one function, which never opens a
 * file twice: two documents of one file would overwrite each other's
 * changes.  "current" is the document shown, or with no window the one
 * opened or set last.
 */

#define G_LOG_DOMAIN "smelt-workspace"

#include "config.h"

#include "smelt-workspace.h"

struct _SmeltWorkspace
{
  GObject        parent_instance;
  GPtrArray     *documents;   /* SmeltDocument, owned */
  SmeltDocument *current;     /* weak: one of documents, or NULL */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmeltWorkspace, smelt_workspace, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  PROP_0,
  PROP_CURRENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  DOCUMENT_OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
get_item_type (GListModel *model)
{
  return SMELT_TYPE_DOCUMENT;
}

static guint
get_n_items (GListModel *model)
{
  return SMELT_WORKSPACE (model)->documents->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  SmeltWorkspace *self = SMELT_WORKSPACE (model);

  if (position >= self->documents->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->documents, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
smelt_workspace_dispose (GObject *object)
{
  SmeltWorkspace *self = SMELT_WORKSPACE (object);

  self->current = NULL;
  if (self->documents != NULL)
    {
      /* a load still under way stops, and its callback sees a closed document */
      for (guint i = 0; i < self->documents->len; i++)
        smelt_document_close (g_ptr_array_index (self->documents, i));
      g_clear_pointer (&self->documents, g_ptr_array_unref);
    }
  G_OBJECT_CLASS (smelt_workspace_parent_class)->dispose (object);
}

static void
smelt_workspace_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_object (value, SMELT_WORKSPACE (object)->current);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smelt_workspace_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_CURRENT:
      smelt_workspace_set_current (SMELT_WORKSPACE (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smelt_workspace_class_init (SmeltWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = smelt_workspace_dispose;
  object_class->get_property = smelt_workspace_get_property;
  object_class->set_property = smelt_workspace_set_property;

  /**
   * SmeltWorkspace:current:
   *
   * The document shown (the window sets it), or with no window the one
   * opened, added or set last; %NULL when there is none.
   */
  properties[PROP_CURRENT] =
    g_param_spec_object ("current", NULL, NULL, SMELT_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmeltWorkspace::document-opened:
   * @self: the workspace
   * @document: a document just opened by smelt_workspace_open_async()
   *
   * A new document's file has been read (or did not exist: a new file):
   * the plugin API's "buf-open".
   */
  signals[DOCUMENT_OPENED] =
    g_signal_new ("document-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SMELT_TYPE_DOCUMENT);
}

static void
smelt_workspace_init (SmeltWorkspace *self)
{
  self->documents = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * smelt_workspace_new:
 *
 * Returns: (transfer full): an empty workspace
 */
SmeltWorkspace *
smelt_workspace_new (void)
{
  return g_object_new (SMELT_TYPE_WORKSPACE, NULL);
}

/**
 * smelt_workspace_add:
 * @self: a #SmeltWorkspace
 * @document: a document in no workspace
 *
 * Appends @document; it becomes the current one.
 */
void
smelt_workspace_add (SmeltWorkspace *self,
                     SmeltDocument  *document)
{
  g_return_if_fail (SMELT_IS_WORKSPACE (self));
  g_return_if_fail (SMELT_IS_DOCUMENT (document));
  g_return_if_fail (smelt_workspace_index_of (self, document) < 0);

  g_ptr_array_add (self->documents, g_object_ref (document));
  g_list_model_items_changed (G_LIST_MODEL (self), self->documents->len - 1, 0, 1);
  smelt_workspace_set_current (self, document);
}

/**
 * smelt_workspace_close:
 * @self: a #SmeltWorkspace
 * @document: one of its documents
 *
 * Closes @document (a load under way stops) and removes it, unsaved
 * changes and all: the callers ask first.  When it was the current one,
 * the one before it (else the first) becomes current.
 */
void
smelt_workspace_close (SmeltWorkspace *self,
                       SmeltDocument  *document)
{
  g_autoptr(SmeltDocument) keep = NULL;
  int i;

  g_return_if_fail (SMELT_IS_WORKSPACE (self));
  g_return_if_fail (SMELT_IS_DOCUMENT (document));

  i = smelt_workspace_index_of (self, document);
  if (i < 0)
    return;
  keep = g_object_ref (document);
  smelt_document_close (document);
  g_ptr_array_remove_index (self->documents, (guint) i);
  if (self->current == document)
    {
      self->current = self->documents->len == 0 ? NULL
                    : g_ptr_array_index (self->documents, i > 0 ? (guint) i - 1 : 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), (guint) i, 1, 0);
}

/**
 * smelt_workspace_index_of:
 * @self: a #SmeltWorkspace
 * @document: a document
 *
 * Returns: @document's position, or -1 when it is not in @self
 */
int
smelt_workspace_index_of (SmeltWorkspace *self,
                          SmeltDocument  *document)
{
  guint i;

  g_return_val_if_fail (SMELT_IS_WORKSPACE (self), -1);

  if (self->documents != NULL && g_ptr_array_find (self->documents, document, &i))
    return (int) i;
  return -1;
}

/**
 * smelt_workspace_find:
 * @self: a #SmeltWorkspace
 * @location: a file
 *
 * Returns: (transfer none) (nullable): the document of @location (by
 *   g_file_equal()), or %NULL when it is not open
 */
SmeltDocument *
smelt_workspace_find (SmeltWorkspace *self,
                      GFile          *location)
{
  g_return_val_if_fail (SMELT_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (location), NULL);

  for (guint i = 0; self->documents != NULL && i < self->documents->len; i++)
    {
      GFile *file = smelt_document_get_location (g_ptr_array_index (self->documents, i));

      if (file != NULL && g_file_equal (file, location))
        return g_ptr_array_index (self->documents, i);
    }
  return NULL;
}

/**
 * smelt_workspace_lookup:
 * @self: a #SmeltWorkspace
 * @id: a document's id (smelt_document_get_id())
 *
 * Returns: (transfer none) (nullable): the open document with that id
 */
SmeltDocument *
smelt_workspace_lookup (SmeltWorkspace *self,
                        guint           id)
{
  g_return_val_if_fail (SMELT_IS_WORKSPACE (self), NULL);

  for (guint i = 0; self->documents != NULL && i < self->documents->len; i++)
    if (smelt_document_get_id (g_ptr_array_index (self->documents, i)) == id)
      return g_ptr_array_index (self->documents, i);
  return NULL;
}

/**
 * smelt_workspace_get_current:
 * @self: a #SmeltWorkspace
 *
 * Returns: (transfer none) (nullable): the current document
 */
SmeltDocument *
smelt_workspace_get_current (SmeltWorkspace *self)
{
  g_return_val_if_fail (SMELT_IS_WORKSPACE (self), NULL);

  return self->current;
}

/**
 * smelt_workspace_set_current:
 * @self: a #SmeltWorkspace
 * @document: one of its documents
 *
 * Makes @document the current one (a window shows it).
 */
void
smelt_workspace_set_current (SmeltWorkspace *self,
                             SmeltDocument  *document)
{
  g_return_if_fail (SMELT_IS_WORKSPACE (self));
  g_return_if_fail (document == NULL || smelt_workspace_index_of (self, document) >= 0);

  if (self->current == document)
    return;
  self->current = document;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

/* an open under way: the task's data */
typedef struct
{
  SmeltDocument *document;
  gulong         loading_id;   /* waiting for another open of the same file */
} Opening;

static void
opening_free (gpointer data)
{
  Opening *opening = data;

  g_clear_signal_handler (&opening->loading_id, opening->document);
  g_object_unref (opening->document);
  g_free (opening);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SmeltWorkspace *self = g_task_get_source_object (task);
  SmeltDocument *document = SMELT_DOCUMENT (source);
  g_autoptr(GError) error = NULL;

  /* a file that does not exist yet: a new, empty document for it */
  if (!smelt_document_load_finish (document, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      /* a directory, no permission, not text: the document goes, so nothing
       * half-read can be saved over the file */
      g_autofree char *why = smelt_document_describe_load_error (document, error);

      smelt_workspace_close (self, document);
      g_task_return_new_error (task, error->domain, error->code, "%s", why);
      return;
    }
  g_signal_emit (self, signals[DOCUMENT_OPENED], 0, document);
  g_task_return_pointer (task, g_object_ref (document), g_object_unref);
}

/* another open of the same file, still loading, has ended */
static void
on_other_load_done (SmeltDocument *document,
                    GParamSpec    *pspec,
                    GTask         *task)
{
  Opening *opening = g_task_get_task_data (task);

  if (smelt_document_get_loading (document))
    return;
  g_clear_signal_handler (&opening->loading_id, document);
  if (smelt_document_is_closed (document))
    g_task_return_new_error (task, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_CLOSED,
                             "the buffer was closed while loading");
  else
    g_task_return_pointer (task, g_object_ref (document), g_object_unref);
  g_object_unref (task);
}

/**
 * smelt_workspace_open_async:
 * @self: a #SmeltWorkspace
 * @location: the file to open
 * @reuse: (nullable): an empty, untitled document of @self to read the
 *   file into instead of a new one (the window's untouched first tab)
 * @cancellable: (nullable): stops the wait, not the load: the text loads
 *   on in full (see smelt_document_load_async())
 * @callback: called once the text is in, or the load failed
 * @user_data: for @callback
 *
 * Opens @location: when it is open already, its document (once it has
 * loaded, when it is loading); else a new document, added to @self and
 * made current, loaded asynchronously.  A new document that cannot be read
 * (other than not existing yet) is closed again, and the error's message
 * is "could not open PATH: why".  Emits
 * SmeltWorkspace::document-opened once a new one is in.
 *
 * Returns: (transfer none): the document, at once (it may still load)
 */
SmeltDocument *
smelt_workspace_open_async (SmeltWorkspace      *self,
                            GFile               *location,
                            SmeltDocument       *reuse,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  return smelt_workspace_open_encoded_async (self, location, NULL, reuse, cancellable, callback, user_data);
}

/**
 * smelt_workspace_open_encoded_async:
 * @self: a #SmeltWorkspace
 * @location: the file to open
 * @encoding: (nullable): the encoding a new document reads it in, or %NULL
 *   to detect it (see smelt_document_load_encoded_async())
 * @reuse: (nullable): as for smelt_workspace_open_async()
 * @cancellable: (nullable): as for smelt_workspace_open_async()
 * @callback: called once the text is in, or the load failed
 * @user_data: for @callback
 *
 * smelt_workspace_open_async() in @encoding.  A document of @location that
 * is open already is returned as it is.
 *
 * Returns: (transfer none): the document, at once (it may still load)
 */
SmeltDocument *
smelt_workspace_open_encoded_async (SmeltWorkspace          *self,
                                    GFile                   *location,
                                    const GtkSourceEncoding *encoding,
                                    SmeltDocument           *reuse,
                                    GCancellable            *cancellable,
                                    GAsyncReadyCallback      callback,
                                    gpointer                 user_data)
{
  SmeltDocument *document;
  Opening *opening;
  GTask *task;

  g_return_val_if_fail (SMELT_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (location), NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, smelt_workspace_open_async);
  opening = g_new0 (Opening, 1);
  g_task_set_task_data (task, opening, opening_free);

  document = smelt_workspace_find (self, location);
  if (document != NULL)
    {
      opening->document = g_object_ref (document);
      smelt_workspace_set_current (self, document);   /* as Neovim's :e of an open file */
      if (smelt_document_get_loading (document))
        {
          opening->loading_id = g_signal_connect (document, "notify::loading", G_CALLBACK (on_other_load_done), task);
          return document;
        }
      g_task_return_pointer (task, g_object_ref (document), g_object_unref);
      g_object_unref (task);
      return document;
    }

  if (reuse != NULL && smelt_workspace_index_of (self, reuse) >= 0 &&
      smelt_document_get_location (reuse) == NULL && !smelt_document_get_loading (reuse))
    {
      document = reuse;
      smelt_workspace_set_current (self, document);
    }
  else
    {
      g_autoptr(SmeltDocument) created = smelt_document_new ();

      document = created;
      smelt_workspace_add (self, document);
    }
  opening->document = g_object_ref (document);
  smelt_document_load_encoded_async (document, location, encoding, NULL, load_cb, task);
  return document;
}

/**
 * smelt_workspace_open_finish:
 * @self: a #SmeltWorkspace
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the document, loaded; %NULL with
 *   @error set when it could not be read
 */
SmeltDocument *
smelt_workspace_open_finish (SmeltWorkspace  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
