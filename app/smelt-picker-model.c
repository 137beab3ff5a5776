/* smelt-picker-model.c: a picker's items, filtered and ranked by its query, as a GListModel
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Items come in while the picker is open (a producer task pushes them):
 * appending only stores them, and a flush (the picker's, every few
 * frames) puts the new ones through the query and emits one
 * items-changed for the lot, so a producer that pushes 100,000 items
 * costs the list a few dozen updates, not 100,000.  A new query ranks every item again in one pass
 * (in C: GtkFilterListModel's per-item callbacks and GtkSortListModel's
 * comparisons through GObjects cost more than the matching itself), and
 * one that extends the last one only looks at the items shown, since an
 * item that did not match "ab" cannot match "abc".
 *
 * Invariant: shown holds, in the order shown, exactly the entries among
 * the first n_seen that match query; entries past n_seen wait for the
 * flush.  The GListModel is shown.
 */

#define G_LOG_DOMAIN "smelt-picker"

#include "config.h"

#include <string.h>

#include "smelt-fuzzy.h"
#include "smelt-picker-model.h"

/* SmeltPickerItem: one shown item, made when the list asks for it */

struct _SmeltPickerItem
{
  GObject        parent_instance;
  char          *label;
  PangoAttrList *attributes;
  guint          index;
};

G_DEFINE_FINAL_TYPE (SmeltPickerItem, smelt_picker_item, G_TYPE_OBJECT)

static void
smelt_picker_item_finalize (GObject *object)
{
  SmeltPickerItem *self = SMELT_PICKER_ITEM (object);

  g_free (self->label);
  g_clear_pointer (&self->attributes, pango_attr_list_unref);
  G_OBJECT_CLASS (smelt_picker_item_parent_class)->finalize (object);
}

static void
smelt_picker_item_class_init (SmeltPickerItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = smelt_picker_item_finalize;
}

static void
smelt_picker_item_init (SmeltPickerItem *self)
{
}

/**
 * smelt_picker_item_get_label:
 * @self: an item
 *
 * Returns: (transfer none): the item as shown
 */
const char *
smelt_picker_item_get_label (SmeltPickerItem *self)
{
  g_return_val_if_fail (SMELT_IS_PICKER_ITEM (self), NULL);

  return self->label;
}

/**
 * smelt_picker_item_get_attributes:
 * @self: an item
 *
 * Returns: (transfer none) (nullable): the label's attributes: the
 *   characters the query matched, highlighted
 */
PangoAttrList *
smelt_picker_item_get_attributes (SmeltPickerItem *self)
{
  g_return_val_if_fail (SMELT_IS_PICKER_ITEM (self), NULL);

  return self->attributes;
}

/**
 * smelt_picker_item_get_index:
 * @self: an item
 *
 * Returns: the item's 1-based place in the order it was appended
 */
guint
smelt_picker_item_get_index (SmeltPickerItem *self)
{
  g_return_val_if_fail (SMELT_IS_PICKER_ITEM (self), 0);

  return self->index;
}

/* SmeltPickerModel */

typedef struct
{
  char  *label;
  char  *folded;       /* == label when casefolding changes nothing */
  guint  folded_len;
} Entry;

typedef struct
{
  guint entry;
  int   score;
  guint len;
} Match;

struct _SmeltPickerModel
{
  GObject            parent_instance;

  SmeltPickerFilter  filter;
  GArray            *entries;   /* Entry, in the order appended */
  guint              n_seen;
  char              *query;     /* casefolded; "" for none */
  gsize              query_len;
  GArray            *shown;     /* Match, in the order shown */
};

enum { PROP_0, PROP_N_TOTAL, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmeltPickerModel, smelt_picker_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
entry_clear (gpointer data)
{
  Entry *e = data;

  if (e->folded != e->label)
    g_free (e->folded);
  g_free (e->label);
}

/* best first; equal scores: the shorter, then the earlier */
static int
compare_matches (gconstpointer a,
                 gconstpointer b)
{
  const Match *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return x->entry < y->entry ? -1 : (x->entry > y->entry);
}

/* Sorts matches best first (compare_matches' order).  A radix sort of
 * one 64-bit key each (score, length, entry: unique), four 16-bit passes:
 * 100,000 matches in about a millisecond, a fifth of what qsort took;
 * qsort when a length or an entry does not fit the key's 20 bits. */
static void
sort_matches (GArray *matches)
{
  guint n = matches->len;
  g_autofree guint64 *keys = NULL;
  g_autofree guint64 *spare = NULL;
  g_autofree guint *counts = NULL;

  for (guint i = 0; i < n; i++)
    {
      const Match *m = &g_array_index (matches, Match, i);

      if (m->entry >= (1u << 20) || m->len >= (1u << 20) || m->score <= -(1 << 23) || m->score >= (1 << 23))
        {
          g_array_sort (matches, compare_matches);
          return;
        }
    }
  keys = g_new (guint64, n);
  spare = g_new (guint64, n);
  counts = g_new (guint, 1 << 16);
  for (guint i = 0; i < n; i++)
    {
      const Match *m = &g_array_index (matches, Match, i);
      guint64 score = (guint64) ((1 << 23) - 1 - m->score);   /* higher scores first */

      keys[i] = score << 40 | (guint64) m->len << 20 | m->entry;
    }
  for (guint shift = 0; shift < 64; shift += 16)
    {
      guint sum = 0;
      guint64 *tmp;

      memset (counts, 0, sizeof (guint) << 16);
      for (guint i = 0; i < n; i++)
        counts[(keys[i] >> shift) & 0xFFFF]++;
      if (n > 0 && counts[(keys[0] >> shift) & 0xFFFF] == n)
        continue;   /* one digit for all: the order stands */
      for (guint d = 0; d < (1 << 16); d++)
        {
          guint c = counts[d];

          counts[d] = sum;
          sum += c;
        }
      for (guint i = 0; i < n; i++)
        spare[counts[(keys[i] >> shift) & 0xFFFF]++] = keys[i];
      tmp = keys;
      keys = spare;
      spare = tmp;
    }
  for (guint i = 0; i < n; i++)
    {
      Match *m = &g_array_index (matches, Match, i);

      m->entry = (guint) (keys[i] & 0xFFFFF);
      m->len = (guint) ((keys[i] >> 20) & 0xFFFFF);
      m->score = (1 << 23) - 1 - (int) (keys[i] >> 40);
    }
}

static gboolean
ranks (SmeltPickerModel *self)
{
  return self->filter == SMELT_PICKER_FILTER_FUZZY && self->query_len > 0;
}

/* Appends to out the entries that match the query: those of from (a
 * Match array) when given, else entries first..last-1. */
static void
collect (SmeltPickerModel *self,
         GArray           *from,
         guint             first,
         guint             last,
         GArray           *out)
{
  guint n = from != NULL ? from->len : last - first;
  gboolean no_query = self->filter == SMELT_PICKER_FILTER_NONE || self->query_len == 0;

  for (guint k = 0; k < n; k++)
    {
      guint at = from != NULL ? g_array_index (from, Match, k).entry : first + k;
      const Entry *e = &g_array_index (self->entries, Entry, at);
      Match m = { at, 0, e->folded_len };

      if (no_query)
        ;
      else if (self->filter == SMELT_PICKER_FILTER_SUBSTRING)
        {
          if (!smelt_substring_match (e->folded, self->query, NULL))
            continue;
        }
      else if (!smelt_fuzzy_match (e->folded, e->folded_len, self->query, self->query_len, &m.score, NULL))
        continue;
      g_array_append_val (out, m);
    }
  if (ranks (self))
    sort_matches (out);
}

/* Puts the entries that came in since the last flush through the query,
 * with one items-changed. */
static void
flush (SmeltPickerModel *self)
{
  g_autoptr(GArray) fresh = NULL;
  guint first;

  if (self->n_seen == self->entries->len)
    return;
  fresh = g_array_new (FALSE, FALSE, sizeof (Match));
  collect (self, NULL, self->n_seen, self->entries->len, fresh);
  self->n_seen = self->entries->len;
  if (fresh->len > 0)
    {
      guint old_n = self->shown->len;

      if (!ranks (self))
        {
          first = old_n;
          g_array_append_vals (self->shown, fresh->data, fresh->len);
        }
      else
        {
          /* merge the two sorted runs: everything before the first fresh
           * one stays where it is */
          g_autoptr(GArray) merged = g_array_sized_new (FALSE, FALSE, sizeof (Match), old_n + fresh->len);
          guint a = 0, b = 0;

          first = G_MAXUINT;
          while (a < old_n || b < fresh->len)
            {
              if (b == fresh->len
                  || (a < old_n && compare_matches (&g_array_index (self->shown, Match, a),
                                                    &g_array_index (fresh, Match, b)) < 0))
                g_array_append_val (merged, g_array_index (self->shown, Match, a++));
              else
                {
                  if (first == G_MAXUINT)
                    first = merged->len;
                  g_array_append_val (merged, g_array_index (fresh, Match, b++));
                }
            }
          g_array_unref (self->shown);
          self->shown = g_steal_pointer (&merged);
        }
      /* in two changes, as set_query() does */
      if (old_n > first)
        g_list_model_items_changed (G_LIST_MODEL (self), first, old_n - first, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), first, 0, self->shown->len - first);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
}

static GType
list_model_get_item_type (GListModel *model)
{
  return SMELT_TYPE_PICKER_ITEM;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return SMELT_PICKER_MODEL (model)->shown->len;
}

/* Adds the highlight of bytes start..end-1 to attrs. */
static void
highlight (PangoAttrList *attrs,
           guint          start,
           guint          end)
{
  PangoAttribute *weight = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
  PangoAttribute *underline = pango_attr_underline_new (PANGO_UNDERLINE_SINGLE);

  weight->start_index = underline->start_index = start;
  weight->end_index = underline->end_index = end;
  pango_attr_list_insert (attrs, weight);
  pango_attr_list_insert (attrs, underline);
}

/* The matched characters of e, highlighted; NULL when nothing is, or
 * when casefolding changed the label's length (its byte offsets are not
 * the label's then). */
static PangoAttrList *
attributes_for (SmeltPickerModel *self,
                const Entry      *e)
{
  PangoAttrList *attrs;

  if (self->filter == SMELT_PICKER_FILTER_NONE || self->query_len == 0
      || (e->folded != e->label && strlen (e->label) != e->folded_len))
    return NULL;
  attrs = pango_attr_list_new ();
  if (self->filter == SMELT_PICKER_FILTER_SUBSTRING)
    {
      guint start;

      if (smelt_substring_match (e->folded, self->query, &start))
        highlight (attrs, start, start + (guint) self->query_len);
    }
  else
    {
      glong n = g_utf8_strlen (self->query, (gssize) self->query_len);
      g_autofree guint *positions = g_new (guint, n);
      int score;

      if (smelt_fuzzy_match (e->folded, e->folded_len, self->query, self->query_len, &score, positions))
        {
          /* one run per stretch of consecutive characters */
          for (glong k = 0; k < n;)
            {
              guint start = positions[k];
              guint end = start + (guint) (g_utf8_next_char (e->folded + start) - (e->folded + start));

              while (++k < n && positions[k] == end)
                end += (guint) (g_utf8_next_char (e->folded + end) - (e->folded + end));
              highlight (attrs, start, end);
            }
        }
    }
  return attrs;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  SmeltPickerModel *self = SMELT_PICKER_MODEL (model);
  SmeltPickerItem *item;
  const Entry *e;
  guint at;

  if (position >= self->shown->len)
    return NULL;
  at = g_array_index (self->shown, Match, position).entry;
  e = &g_array_index (self->entries, Entry, at);
  item = g_object_new (SMELT_TYPE_PICKER_ITEM, NULL);
  item->label = g_strdup (e->label);
  item->attributes = attributes_for (self, e);
  item->index = at + 1;
  return item;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
smelt_picker_model_finalize (GObject *object)
{
  SmeltPickerModel *self = SMELT_PICKER_MODEL (object);

  g_array_unref (self->entries);
  g_array_unref (self->shown);
  g_free (self->query);
  G_OBJECT_CLASS (smelt_picker_model_parent_class)->finalize (object);
}

static void
smelt_picker_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SmeltPickerModel *self = SMELT_PICKER_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_TOTAL:
      g_value_set_uint (value, self->n_seen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smelt_picker_model_class_init (SmeltPickerModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = smelt_picker_model_finalize;
  object_class->get_property = smelt_picker_model_get_property;

  /**
   * SmeltPickerModel:n-total:
   *
   * How many items it holds, shown or not (those the query did not match
   * too; not those appended since the last flush).
   */
  properties[PROP_N_TOTAL] = g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
smelt_picker_model_init (SmeltPickerModel *self)
{
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->shown = g_array_new (FALSE, FALSE, sizeof (Match));
  self->query = g_strdup ("");
}

/**
 * smelt_picker_model_new:
 * @filter: how the query matches
 *
 * Returns: (transfer full): an empty model
 */
SmeltPickerModel *
smelt_picker_model_new (SmeltPickerFilter filter)
{
  SmeltPickerModel *self = g_object_new (SMELT_TYPE_PICKER_MODEL, NULL);

  self->filter = filter;
  return self;
}

/**
 * smelt_picker_model_append:
 * @self: a model
 * @label: the item as shown (UTF-8)
 *
 * Appends an item; it shows, if the query matches it, at the next
 * smelt_picker_model_flush() or smelt_picker_model_set_query().
 */
void
smelt_picker_model_append (SmeltPickerModel *self,
                           const char       *label)
{
  Entry e;

  g_return_if_fail (SMELT_IS_PICKER_MODEL (self));
  g_return_if_fail (label != NULL);

  e.label = g_utf8_make_valid (label, -1);
  e.folded = g_utf8_casefold (e.label, -1);
  if (strcmp (e.folded, e.label) == 0)
    {
      g_free (e.folded);
      e.folded = e.label;
    }
  e.folded_len = (guint) strlen (e.folded);
  g_array_append_val (self->entries, e);
}

/**
 * smelt_picker_model_flush:
 * @self: a model
 *
 * Shows the items appended since the last flush now.
 */
void
smelt_picker_model_flush (SmeltPickerModel *self)
{
  g_return_if_fail (SMELT_IS_PICKER_MODEL (self));

  flush (self);
}

/**
 * smelt_picker_model_set_query:
 * @self: a model
 * @query: what the user typed (ignored when the filter is
 *   %SMELT_PICKER_FILTER_NONE)
 *
 * Filters (and, fuzzy, ranks) every item by @query now, with one
 * items-changed.
 */
void
smelt_picker_model_set_query (SmeltPickerModel *self,
                              const char       *query)
{
  g_autofree char *folded = NULL;
  g_autoptr(GArray) shown = NULL;
  gboolean narrows;
  guint old_n;

  g_return_if_fail (SMELT_IS_PICKER_MODEL (self));
  g_return_if_fail (query != NULL);

  if (self->filter == SMELT_PICKER_FILTER_NONE)
    return;
  folded = g_utf8_casefold (query, -1);
  if (strcmp (folded, self->query) == 0)
    return;
  narrows = self->query_len > 0 && g_str_has_prefix (folded, self->query);
  g_free (self->query);
  self->query = g_steal_pointer (&folded);
  self->query_len = strlen (self->query);

  shown = g_array_sized_new (FALSE, FALSE, sizeof (Match), narrows ? self->shown->len : self->entries->len);
  collect (self, narrows ? self->shown : NULL, 0, self->n_seen, shown);
  /* two changes, not one: a list view looks for the items it showed
   * among every item a change adds (to keep their rows), which here are
   * all new: getting 100,000 items took most of a key's time */
  old_n = self->shown->len;
  g_array_set_size (self->shown, 0);
  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
  g_array_unref (self->shown);
  self->shown = g_steal_pointer (&shown);
  if (self->shown->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->shown->len);
  /* and the items that were waiting for a flush */
  flush (self);
}

/**
 * smelt_picker_model_get_n_total:
 * @self: a model
 *
 * Returns: the #SmeltPickerModel:n-total property
 */
guint
smelt_picker_model_get_n_total (SmeltPickerModel *self)
{
  g_return_val_if_fail (SMELT_IS_PICKER_MODEL (self), 0);

  return self->n_seen;
}

/**
 * smelt_picker_model_get_index:
 * @self: a model
 * @position: a position in the list
 *
 * Returns: the 1-based place, in the order appended, of the item shown at
 *   @position; 0 when there is none
 */
guint
smelt_picker_model_get_index (SmeltPickerModel *self,
                              guint             position)
{
  g_return_val_if_fail (SMELT_IS_PICKER_MODEL (self), 0);

  if (position >= self->shown->len)
    return 0;
  return g_array_index (self->shown, Match, position).entry + 1;
}
