/* smelt-completion-item.c: one item a Lua completion provider gave, as GtkSourceCompletion shows it
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What lua/smelt/completion.lua checked and copied: a label (what the
 * popup shows and filters on), optional texts, and either the text that
 * goes in for the word typed or a range edit, and what completes its
 * detail and documentation once its row is selected (its resolver, kept
 * for the provider until it has resolved).  The rank is its provider's
 * place by priority: the popup keeps the items of a higher one first.
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include "smelt-completion-item.h"

struct _SmeltCompletionItem
{
  GObject              parent_instance;
  char                *label;
  char                *detail;
  char                *kind;
  char                *documentation;
  char                *insert_text;
  SmeltCompletionEdit  edit;
  gboolean             has_edit;
  int                  rank;
  gpointer             resolver;         /* (owned) (nullable): until resolved */
  GDestroyNotify       resolver_free;
};

static void proposal_iface_init (GtkSourceCompletionProposalInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmeltCompletionItem, smelt_completion_item, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_COMPLETION_PROPOSAL, proposal_iface_init))

static char *
item_get_typed_text (GtkSourceCompletionProposal *proposal)
{
  return g_strdup (SMELT_COMPLETION_ITEM (proposal)->label);
}

static void
proposal_iface_init (GtkSourceCompletionProposalInterface *iface)
{
  iface->get_typed_text = item_get_typed_text;
}

static void
smelt_completion_item_finalize (GObject *object)
{
  SmeltCompletionItem *self = SMELT_COMPLETION_ITEM (object);

  g_free (self->label);
  g_free (self->detail);
  g_free (self->kind);
  g_free (self->documentation);
  g_free (self->insert_text);
  g_free (self->edit.text);
  smelt_completion_item_set_resolver (self, NULL, NULL);
  G_OBJECT_CLASS (smelt_completion_item_parent_class)->finalize (object);
}

static void
smelt_completion_item_class_init (SmeltCompletionItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = smelt_completion_item_finalize;
}

static void
smelt_completion_item_init (SmeltCompletionItem *self)
{
}

/**
 * smelt_completion_item_new:
 * @label: what the popup shows and filters on
 *
 * Returns: (transfer full): a new item
 */
SmeltCompletionItem *
smelt_completion_item_new (const char *label)
{
  SmeltCompletionItem *self;

  g_return_val_if_fail (label != NULL, NULL);

  self = g_object_new (SMELT_TYPE_COMPLETION_ITEM, NULL);
  self->label = g_strdup (label);
  return self;
}

const char *
smelt_completion_item_get_label (SmeltCompletionItem *self)
{
  g_return_val_if_fail (SMELT_IS_COMPLETION_ITEM (self), NULL);
  return self->label;
}

const char *
smelt_completion_item_get_detail (SmeltCompletionItem *self)
{
  g_return_val_if_fail (SMELT_IS_COMPLETION_ITEM (self), NULL);
  return self->detail;
}

const char *
smelt_completion_item_get_kind (SmeltCompletionItem *self)
{
  g_return_val_if_fail (SMELT_IS_COMPLETION_ITEM (self), NULL);
  return self->kind;
}

const char *
smelt_completion_item_get_documentation (SmeltCompletionItem *self)
{
  g_return_val_if_fail (SMELT_IS_COMPLETION_ITEM (self), NULL);
  return self->documentation;
}

/**
 * smelt_completion_item_get_insert_text:
 * @self: an item
 *
 * Returns: what goes in for the word typed: its insert_text, else its label
 */
const char *
smelt_completion_item_get_insert_text (SmeltCompletionItem *self)
{
  g_return_val_if_fail (SMELT_IS_COMPLETION_ITEM (self), NULL);
  return self->insert_text ? self->insert_text : self->label;
}

/**
 * smelt_completion_item_get_edit:
 * @self: an item
 *
 * Returns: (nullable): its range edit, or %NULL when it has none
 */
const SmeltCompletionEdit *
smelt_completion_item_get_edit (SmeltCompletionItem *self)
{
  g_return_val_if_fail (SMELT_IS_COMPLETION_ITEM (self), NULL);
  return self->has_edit ? &self->edit : NULL;
}

static void
replace_str (char       **field,
             const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/**
 * smelt_completion_item_set_texts:
 * @self: an item
 * @detail: (nullable): shown after the label
 * @kind: (nullable): "function", "variable", ...: its icon
 * @documentation: (nullable): shown for the row selected
 * @insert_text: (nullable): what goes in (%NULL: the label)
 */
void
smelt_completion_item_set_texts (SmeltCompletionItem *self,
                                 const char          *detail,
                                 const char          *kind,
                                 const char          *documentation,
                                 const char          *insert_text)
{
  g_return_if_fail (SMELT_IS_COMPLETION_ITEM (self));

  replace_str (&self->detail, detail);
  replace_str (&self->kind, kind);
  replace_str (&self->documentation, documentation);
  replace_str (&self->insert_text, insert_text);
}

/**
 * smelt_completion_item_set_edit:
 * @self: an item
 * @edit: the range replaced when it is chosen (copied)
 */
void
smelt_completion_item_set_edit (SmeltCompletionItem       *self,
                                const SmeltCompletionEdit *edit)
{
  g_return_if_fail (SMELT_IS_COMPLETION_ITEM (self));
  g_return_if_fail (edit != NULL && edit->text != NULL);

  g_free (self->edit.text);
  self->edit = *edit;
  self->edit.text = g_strdup (edit->text);
  self->has_edit = TRUE;
}

int
smelt_completion_item_get_rank (SmeltCompletionItem *self)
{
  g_return_val_if_fail (SMELT_IS_COMPLETION_ITEM (self), 0);
  return self->rank;
}

void
smelt_completion_item_set_rank (SmeltCompletionItem *self,
                                int                  rank)
{
  g_return_if_fail (SMELT_IS_COMPLETION_ITEM (self));
  self->rank = rank;
}

/**
 * smelt_completion_item_set_resolver:
 * @self: an item
 * @resolver: (nullable) (transfer full): what resolves it, for its
 *   provider; %NULL: nothing (left to resolve)
 * @resolver_free: (nullable): frees @resolver
 *
 * Frees the resolver it had.
 */
void
smelt_completion_item_set_resolver (SmeltCompletionItem *self,
                                    gpointer             resolver,
                                    GDestroyNotify       resolver_free)
{
  gpointer old = self->resolver;
  GDestroyNotify old_free = self->resolver_free;

  g_return_if_fail (SMELT_IS_COMPLETION_ITEM (self));

  self->resolver = resolver;
  self->resolver_free = resolver_free;
  if (old != NULL && old_free != NULL)
    old_free (old);
}

/**
 * smelt_completion_item_get_resolver:
 * @self: an item
 *
 * Returns: (nullable) (transfer none): what resolves it, or %NULL when it
 *   has nothing left to resolve
 */
gpointer
smelt_completion_item_get_resolver (SmeltCompletionItem *self)
{
  g_return_val_if_fail (SMELT_IS_COMPLETION_ITEM (self), NULL);
  return self->resolver;
}

/**
 * smelt_completion_item_set_resolved:
 * @self: an item
 * @detail: (nullable): its detail resolved (%NULL: the one it had)
 * @documentation: (nullable): its documentation resolved (%NULL: the one it had)
 *
 * Takes what resolving it gave and drops its resolver: it is resolved.
 */
void
smelt_completion_item_set_resolved (SmeltCompletionItem *self,
                                    const char          *detail,
                                    const char          *documentation)
{
  g_return_if_fail (SMELT_IS_COMPLETION_ITEM (self));

  if (detail != NULL)
    replace_str (&self->detail, detail);
  if (documentation != NULL)
    replace_str (&self->documentation, documentation);
  smelt_completion_item_set_resolver (self, NULL, NULL);
}
