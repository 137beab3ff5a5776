/* smelt-completion-provider.c: the window's GtkSourceCompletionProvider, asking smelt.completion's Lua providers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One per window, added to every view of its pages.  populate_async starts
 * internal.completion_start (lua/smelt/completion.lua) through
 * smelt_lua_request_start(): each Lua provider runs as a task and its items
 * go into the model as it returns them, kept in the order of the
 * providers' priorities.  The model goes back to GtkSourceCompletion as
 * soon as it has an item (or every provider has answered), so a slow or
 * hung provider holds up neither typing nor the others' items; the
 * GCancellable GtkSourceCompletion cancels when the word ends or the popup
 * closes cancels the tasks still running.  Typing on in the word
 * refilters the model (a fuzzy match on the label, as GtkSourceView's
 * own providers do) without asking Lua again.
 *
 * An item with a Lua `resolve` keeps a reference to its Lua table.  When
 * its row is selected (GtkSourceCompletion asks for the selected
 * proposal's details: the DETAILS column), internal.completion_resolve
 * runs resolve as a task; what it gives replaces the item's detail and
 * documentation and the row and its details are shown again.  Selecting
 * another row or closing the popup cancels that task.
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <lauxlib.h>

#include "smelt-completion-item.h"
#include "smelt-completion-provider.h"
#include "smelt-document.h"
#include "smelt-embed.h"
#include "smelt-lua-buffer.h"
#include "smelt-lua-request.h"

/* ------------------------------------------------ the filter on the word */

#define SMELT_TYPE_FUZZY_FILTER (smelt_fuzzy_filter_get_type ())
G_DECLARE_FINAL_TYPE (SmeltFuzzyFilter, smelt_fuzzy_filter, SMELT, FUZZY_FILTER, GtkFilter)

struct _SmeltFuzzyFilter
{
  GtkFilter  parent_instance;
  char      *casefold;   /* the word typed, casefolded: "" keeps every item */
};

G_DEFINE_FINAL_TYPE (SmeltFuzzyFilter, smelt_fuzzy_filter, GTK_TYPE_FILTER)

static gboolean
fuzzy_filter_match (GtkFilter *filter,
                    gpointer   item)
{
  SmeltFuzzyFilter *self = SMELT_FUZZY_FILTER (filter);
  guint priority;

  return self->casefold[0] == '\0' ||
         gtk_source_completion_fuzzy_match (smelt_completion_item_get_label (item), self->casefold, &priority);
}

static GtkFilterMatch
fuzzy_filter_get_strictness (GtkFilter *filter)
{
  return SMELT_FUZZY_FILTER (filter)->casefold[0] == '\0' ? GTK_FILTER_MATCH_ALL : GTK_FILTER_MATCH_SOME;
}

static void
smelt_fuzzy_filter_finalize (GObject *object)
{
  g_free (SMELT_FUZZY_FILTER (object)->casefold);
  G_OBJECT_CLASS (smelt_fuzzy_filter_parent_class)->finalize (object);
}

static void
smelt_fuzzy_filter_class_init (SmeltFuzzyFilterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = smelt_fuzzy_filter_finalize;
  GTK_FILTER_CLASS (klass)->match = fuzzy_filter_match;
  GTK_FILTER_CLASS (klass)->get_strictness = fuzzy_filter_get_strictness;
}

static void
smelt_fuzzy_filter_init (SmeltFuzzyFilter *self)
{
  self->casefold = g_strdup ("");
}

static void
fuzzy_filter_set_word (SmeltFuzzyFilter *self,
                       const char       *word)
{
  g_autofree char *casefold = g_utf8_casefold (word ? word : "", -1);
  gboolean narrower = g_str_has_prefix (casefold, self->casefold);

  if (g_str_equal (casefold, self->casefold))
    return;
  g_free (self->casefold);
  self->casefold = g_steal_pointer (&casefold);
  gtk_filter_changed (GTK_FILTER (self), narrower ? GTK_FILTER_CHANGE_MORE_STRICT : GTK_FILTER_CHANGE_DIFFERENT);
}

/* --------------------------------------------------------- the provider */

typedef struct _Resolve Resolve;

struct _SmeltCompletionProvider
{
  GObject    parent_instance;
  SmeltHost *host;
  Resolve   *resolving;   /* (nullable): the resolve under way, owned by its request */
};

static void provider_iface_init (GtkSourceCompletionProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmeltCompletionProvider, smelt_completion_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_COMPLETION_PROVIDER, provider_iface_init))

/* one populate_async under way */
typedef struct
{
  GTask              *task;
  GListStore         *store;     /* of SmeltCompletionItem, by rank */
  GtkFilterListModel *model;     /* store, filtered on the word */
  gboolean            returned;  /* task has returned the model */
  /* GtkSourceView 5.6 hands a GCancellable to the first populate of a view
   * only (it clears its own when it cancels, and never makes another), so
   * the end of the completion is watched here too, as GtkSourceCompletion
   * sees it: the word ended, the cursor left it, the popup hidden. */
  GCancellable               *cancellable;   /* (owned): cancels the request */
  GCancellable               *given;         /* (owned) (nullable): populate_async's */
  gulong                      given_id;
  GtkSourceCompletionContext *context;       /* (owned) */
  GtkTextBuffer              *buffer;        /* (owned) */
  GtkSourceCompletion        *completion;    /* (owned) */
  gulong                      changed_id;
  gulong                      mark_set_id;
  gulong                      hide_id;
} Populate;

static void
populate_free (gpointer data)
{
  Populate *p = data;

  g_clear_signal_handler (&p->given_id, p->given);
  g_clear_signal_handler (&p->changed_id, p->buffer);
  g_clear_signal_handler (&p->mark_set_id, p->buffer);
  g_clear_signal_handler (&p->hide_id, p->completion);
  g_clear_object (&p->given);
  g_clear_object (&p->buffer);
  g_clear_object (&p->completion);
  g_clear_object (&p->context);
  g_clear_object (&p->cancellable);
  g_clear_object (&p->task);
  g_clear_object (&p->model);
  g_clear_object (&p->store);
  g_free (p);
}

static void
populate_return_model (Populate *p)
{
  if (p->returned)
    return;
  p->returned = TRUE;
  g_task_return_pointer (p->task, g_object_ref (p->model), g_object_unref);
}

static char *
dup_field (lua_State  *L,
           int         idx,
           const char *key)
{
  char *s;

  lua_getfield (L, idx, key);
  s = lua_type (L, -1) == LUA_TSTRING ? g_strdup (lua_tostring (L, -1)) : NULL;
  lua_pop (L, 1);
  return s;
}

static int
int_field (lua_State  *L,
           int         idx,
           const char *key)
{
  int v;

  lua_getfield (L, idx, key);
  v = lua_isinteger (L, -1) ? (int) CLAMP (lua_tointeger (L, -1), 1, G_MAXINT) : 1;
  lua_pop (L, 1);
  return v;
}

/* an item's Lua table (a registry reference), for its resolve: let go
 * of while the host's Lua lives */
typedef struct
{
  SmeltHost *host;   /* (weak) */
  int        ref;
} LuaItemRef;

static void
lua_item_ref_free (gpointer data)
{
  LuaItemRef *r = data;
  lua_State *L = r->host ? smelt_host_get_lua (r->host) : NULL;

  if (L != NULL)
    luaL_unref (L, LUA_REGISTRYINDEX, r->ref);
  g_clear_weak_pointer (&r->host);
  g_free (r);
}

/* one provider's answer: its items, and whether it said there are more
 * than it gave (a language server's isIncomplete) */
typedef struct
{
  GPtrArray *items;
  gboolean   incomplete;
} Items;

static void
items_free (gpointer data)
{
  Items *r = data;

  g_ptr_array_unref (r->items);
  g_free (r);
}

/* in Lua: a provider's items, as completion.lua checked and copied them
 * (plain tables, no metatables: reading them cannot raise) */
static gpointer
items_convert (lua_State *L,
               int        idx)
{
  Items *r = g_new0 (Items, 1);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  lua_Integer n;

  r->items = items;
  idx = lua_absindex (L, idx);
  if (!lua_istable (L, idx))
    return r;
  lua_getfield (L, idx, "incomplete");
  r->incomplete = lua_toboolean (L, -1);
  lua_pop (L, 1);
  n = (lua_Integer) lua_rawlen (L, idx);
  for (lua_Integer i = 1; i <= n; i++)
    {
      g_autofree char *label = NULL, *detail = NULL, *kind = NULL, *doc = NULL, *insert = NULL;
      SmeltCompletionItem *item;
      int t;

      lua_rawgeti (L, idx, i);
      t = lua_gettop (L);
      label = dup_field (L, t, "label");
      if (label == NULL)
        {
          lua_pop (L, 1);
          continue;
        }
      item = smelt_completion_item_new (label);
      detail = dup_field (L, t, "detail");
      kind = dup_field (L, t, "kind");
      doc = dup_field (L, t, "documentation");
      insert = dup_field (L, t, "insert_text");
      smelt_completion_item_set_texts (item, detail, kind, doc, insert);
      lua_getfield (L, t, "resolve");
      if (lua_isfunction (L, -1))
        {
          LuaItemRef *r = g_new0 (LuaItemRef, 1);

          g_set_weak_pointer (&r->host, smelt_host_from_lua (L));
          lua_pushvalue (L, t);
          r->ref = luaL_ref (L, LUA_REGISTRYINDEX);
          smelt_completion_item_set_resolver (item, r, lua_item_ref_free);
        }
      lua_pop (L, 1);
      lua_getfield (L, t, "edit");
      if (lua_istable (L, -1))
        {
          g_autofree char *text = dup_field (L, t + 1, "text");
          SmeltCompletionEdit edit = {
            int_field (L, t + 1, "first_line"), int_field (L, t + 1, "first_col"),
            int_field (L, t + 1, "last_line"), int_field (L, t + 1, "last_col"), text,
          };

          if (text != NULL)
            smelt_completion_item_set_edit (item, &edit);
        }
      lua_pop (L, 2);
      g_ptr_array_add (items, item);
    }
  return r;
}

/* from the main loop: one provider's items, in the place of its rank */
static void
items_result (gpointer data,
              int      rank,
              gpointer payload)
{
  Populate *p = data;
  Items *r = payload;
  GPtrArray *items = r->items;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (p->store));
  guint pos = n;

  /* typing on asks again rather than filtering what it has (refilter) */
  if (r->incomplete)
    g_object_set_data (G_OBJECT (p->model), "smelt-incomplete", GINT_TO_POINTER (TRUE));
  for (guint i = 0; i < items->len; i++)
    smelt_completion_item_set_rank (g_ptr_array_index (items, i), rank);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SmeltCompletionItem) at = g_list_model_get_item (G_LIST_MODEL (p->store), i);

      if (smelt_completion_item_get_rank (at) > rank)
        {
          pos = i;
          break;
        }
    }
  g_list_store_splice (p->store, pos, 0, items->pdata, items->len);
  if (items->len > 0)
    populate_return_model (p);
  items_free (r);
}

static void
items_finish (gpointer data,
              gboolean cancelled)
{
  Populate *p = data;

  if (p->returned)
    return;
  if (cancelled)
    {
      p->returned = TRUE;
      g_task_return_new_error (p->task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "completion cancelled");
    }
  else
    populate_return_model (p);
}

static const SmeltLuaRequestFuncs completion_funcs = {
  items_convert, items_result, items_finish, items_free,
};

static gboolean
is_word_char (gunichar ch)
{
  return ch == '_' || g_unichar_isalnum (ch);
}

/* whether the completion p asked for is still the one under way: the
 * cursor where the context's word (or its trigger) ends, with only word
 * characters typed since, as GtkSourceCompletion keeps a context */
static gboolean
context_is_current (Populate *p)
{
  GtkTextIter begin, end, insert;

  if (!gtk_source_completion_context_get_bounds (p->context, &begin, &end))
    return FALSE;
  gtk_text_buffer_get_iter_at_mark (p->buffer, &insert, gtk_text_buffer_get_insert (p->buffer));
  if (gtk_text_iter_compare (&insert, &begin) < 0 || gtk_text_iter_get_line (&insert) != gtk_text_iter_get_line (&begin))
    return FALSE;
  for (GtkTextIter i = begin; gtk_text_iter_compare (&i, &insert) < 0; gtk_text_iter_forward_char (&i))
    if (!is_word_char (gtk_text_iter_get_char (&i)))
      return FALSE;
  return TRUE;
}

static void
on_buffer_changed (GtkTextBuffer *buffer,
                   Populate      *p)
{
  if (!context_is_current (p))
    g_cancellable_cancel (p->cancellable);
}

static void
on_mark_set (GtkTextBuffer     *buffer,
             const GtkTextIter *iter,
             GtkTextMark       *mark,
             Populate          *p)
{
  if (mark == gtk_text_buffer_get_insert (buffer) && !context_is_current (p))
    g_cancellable_cancel (p->cancellable);
}

static void
on_completion_over (gpointer  instance,
                    Populate *p)
{
  g_cancellable_cancel (p->cancellable);
}

static void
provider_populate_async (GtkSourceCompletionProvider *provider,
                         GtkSourceCompletionContext  *context,
                         GCancellable                *cancellable,
                         GAsyncReadyCallback          callback,
                         gpointer                     user_data)
{
  SmeltCompletionProvider *self = SMELT_COMPLETION_PROVIDER (provider);
  GtkSourceBuffer *buffer = gtk_source_completion_context_get_buffer (context);
  g_autofree char *word = gtk_source_completion_context_get_word (context);
  char trigger[8] = { 0 };
  Populate *p = g_new0 (Populate, 1);
  GtkTextIter begin, end, before;
  lua_State *L;

  p->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (p->task, provider_populate_async);
  p->store = g_list_store_new (SMELT_TYPE_COMPLETION_ITEM);
  p->model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (p->store)),
                                        g_object_new (SMELT_TYPE_FUZZY_FILTER, NULL));
  fuzzy_filter_set_word (SMELT_FUZZY_FILTER (gtk_filter_list_model_get_filter (p->model)), word);

  if (self->host == NULL || !SMELT_IS_DOCUMENT (buffer) ||
      !gtk_source_completion_context_get_bounds (context, &begin, &end))
    {
      populate_return_model (p);
      populate_free (p);
      return;
    }
  p->cancellable = g_cancellable_new ();
  p->context = g_object_ref (context);
  p->buffer = g_object_ref (GTK_TEXT_BUFFER (buffer));
  p->completion = g_object_ref (gtk_source_completion_context_get_completion (context));
  if (cancellable != NULL)
    {
      p->given = g_object_ref (cancellable);
      p->given_id = g_signal_connect (cancellable, "cancelled", G_CALLBACK (on_completion_over), p);
      if (g_cancellable_is_cancelled (cancellable))
        g_cancellable_cancel (p->cancellable);
    }
  p->changed_id = g_signal_connect_after (buffer, "changed", G_CALLBACK (on_buffer_changed), p);
  p->mark_set_id = g_signal_connect_after (buffer, "mark-set", G_CALLBACK (on_mark_set), p);
  p->hide_id = g_signal_connect (p->completion, "hide", G_CALLBACK (on_completion_over), p);

  /* after a character that is no word's: it may be a provider's trigger */
  before = end;
  if (word[0] == '\0' && gtk_text_iter_backward_char (&before) && !is_word_char (gtk_text_iter_get_char (&before)))
    g_unichar_to_utf8 (gtk_text_iter_get_char (&before), trigger);

  L = smelt_host_get_lua (self->host);
  smelt_lua_push_buffer (L, SMELT_DOCUMENT (buffer));
  lua_pushinteger (L, gtk_text_iter_get_line (&end) + 1);
  lua_pushinteger (L, gtk_text_iter_get_line_index (&end) + 1);
  if (trigger[0] != '\0')
    lua_pushstring (L, trigger);
  else
    lua_pushnil (L);
  smelt_lua_request_start (self->host, "completion_start", 4, p->cancellable,
                           GTK_WIDGET (gtk_source_completion_get_view (p->completion)), &completion_funcs, p, populate_free);
}

static GListModel *
provider_populate_finish (GtkSourceCompletionProvider  *provider,
                          GAsyncResult                 *result,
                          GError                      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* the answer asked again for an incomplete list: it takes the list's place */
static void
asked_again_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GtkSourceCompletionContext) context = user_data;
  g_autoptr(GListModel) model = provider_populate_finish (GTK_SOURCE_COMPLETION_PROVIDER (source), result, NULL);
  g_autofree char *word = NULL;

  if (model == NULL)
    return;
  /* keys typed while it was asked: the answer is filtered on the word as
   * it is now, and a partial answer to an older word is asked for again */
  word = gtk_source_completion_context_get_word (context);
  if (GTK_IS_FILTER_LIST_MODEL (model))
    {
      GtkFilter *filter = gtk_filter_list_model_get_filter (GTK_FILTER_LIST_MODEL (model));
      g_autofree char *casefold = g_utf8_casefold (word, -1);

      if (SMELT_IS_FUZZY_FILTER (filter) && !g_str_equal (SMELT_FUZZY_FILTER (filter)->casefold, casefold))
        {
          fuzzy_filter_set_word (SMELT_FUZZY_FILTER (filter), word);
          if (g_object_steal_data (G_OBJECT (model), "smelt-incomplete") != NULL)
            provider_populate_async (GTK_SOURCE_COMPLETION_PROVIDER (source), context, NULL, asked_again_cb,
                                     g_object_ref (context));
        }
    }
  gtk_source_completion_context_set_proposals_for_provider (context, GTK_SOURCE_COMPLETION_PROVIDER (source), model);
}

static void
provider_refilter (GtkSourceCompletionProvider *provider,
                   GtkSourceCompletionContext  *context,
                   GListModel                  *model)
{
  g_autofree char *word = gtk_source_completion_context_get_word (context);
  GtkFilter *filter;

  if (!GTK_IS_FILTER_LIST_MODEL (model))
    return;
  if (g_object_steal_data (G_OBJECT (model), "smelt-incomplete") != NULL)
    {
      /* a provider gave part of the list (a server's first 100 items of
       * "g"): the word typed since may match items it did not give. Ask
       * again, once per list: keys typed meanwhile filter this one, and the
       * answer comes with the flag again if it is partial too. */
      provider_populate_async (provider, context, NULL, asked_again_cb, g_object_ref (context));
    }
  filter = gtk_filter_list_model_get_filter (GTK_FILTER_LIST_MODEL (model));
  if (SMELT_IS_FUZZY_FILTER (filter))
    fuzzy_filter_set_word (SMELT_FUZZY_FILTER (filter), word);
}

/* GtkSourceView's own icons for what an item is (LSP's kinds, by name) */
static const char *
icon_of_kind (const char *kind)
{
  static const struct { const char *kind, *icon; } icons[] = {
    { "function", "lang-function-symbolic" }, { "method", "lang-method-symbolic" },
    { "constructor", "lang-method-symbolic" }, { "variable", "lang-variable-symbolic" },
    { "field", "lang-struct-field-symbolic" }, { "property", "lang-struct-field-symbolic" },
    { "class", "lang-class-symbolic" }, { "interface", "lang-class-symbolic" },
    { "struct", "lang-struct-symbolic" }, { "enum", "lang-enum-symbolic" },
    { "enummember", "lang-enum-value-symbolic" }, { "constant", "lang-enum-value-symbolic" },
    { "module", "lang-namespace-symbolic" }, { "keyword", "lang-define-symbolic" },
    { "snippet", "completion-snippet-symbolic" }, { "text", "completion-word-symbolic" },
    { "typeparameter", "lang-typedef-symbolic" },
  };

  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (icons); i++)
    if (g_ascii_strcasecmp (kind, icons[i].kind) == 0)
      return icons[i].icon;
  return NULL;
}

/* ------------------------------------------- resolving the row selected */

/* one internal.completion_resolve under way */
struct _Resolve
{
  SmeltCompletionProvider    *self;         /* (owned) */
  SmeltCompletionItem        *item;         /* (owned) */
  GtkSourceCompletionContext *context;      /* (owned) */
  GtkWidget                  *popup;        /* (owned): the popup of the rows */
  gulong                      hide_id;
  GCancellable               *cancellable;  /* (owned): cancels the request */
};

typedef struct
{
  char *detail;
  char *documentation;
} Resolved;

static void
resolved_free (gpointer data)
{
  Resolved *r = data;

  g_free (r->detail);
  g_free (r->documentation);
  g_free (r);
}

static void
resolve_free (gpointer data)
{
  Resolve *r = data;

  if (r->self->resolving == r)
    r->self->resolving = NULL;
  g_clear_signal_handler (&r->hide_id, r->popup);
  g_clear_object (&r->popup);
  g_clear_object (&r->context);
  g_clear_object (&r->cancellable);
  g_clear_object (&r->item);
  g_clear_object (&r->self);
  g_free (r);
}

/* in Lua: the item resolve gave (completion.lua checked its fields) */
static gpointer
resolved_convert (lua_State *L,
                  int        idx)
{
  Resolved *r = g_new0 (Resolved, 1);

  idx = lua_absindex (L, idx);
  if (lua_istable (L, idx))
    {
      r->detail = dup_field (L, idx, "detail");
      r->documentation = dup_field (L, idx, "documentation");
    }
  return r;
}

/* the row of r's item shown again, and with it the details of the row
 * selected: the same item in the same place (the selection stays) */
static void
resolve_redisplay (Resolve *r)
{
  GListModel *model = gtk_source_completion_context_get_proposals_for_provider (
    r->context, GTK_SOURCE_COMPLETION_PROVIDER (r->self));
  GListModel *store;
  guint pos;

  if (!GTK_IS_FILTER_LIST_MODEL (model))
    return;
  store = gtk_filter_list_model_get_model (GTK_FILTER_LIST_MODEL (model));
  if (G_IS_LIST_STORE (store) && g_list_store_find (G_LIST_STORE (store), r->item, &pos))
    g_list_store_splice (G_LIST_STORE (store), pos, 1, (gpointer *) &r->item, 1);
}

static void
resolved_result (gpointer data,
                 int      rank,
                 gpointer payload)
{
  Resolve *r = data;
  Resolved *got = payload;

  smelt_completion_item_set_resolved (r->item, got->detail, got->documentation);
  resolved_free (got);
  resolve_redisplay (r);
}

static void
resolved_finish (gpointer data,
                 gboolean cancelled)
{
  Resolve *r = data;

  /* cancelled: resolved again when selected again; else it is done with */
  if (!cancelled)
    smelt_completion_item_set_resolver (r->item, NULL, NULL);
}

static const SmeltLuaRequestFuncs resolve_funcs = {
  resolved_convert, resolved_result, resolved_finish, resolved_free,
};

static void
on_resolve_over (gpointer  instance,
                 Resolve  *r)
{
  g_cancellable_cancel (r->cancellable);
}

/* the popup of the rows, from the cell of its details: GtkSourceView 5.6
 * shows them in a popover attached inside the rows' popover, and Escape
 * hides that one without GtkSourceCompletion's "hide" */
static GtkWidget *
popup_of_details (GtkSourceCompletionCell *cell)
{
  GtkWidget *info = gtk_widget_get_ancestor (GTK_WIDGET (cell), GTK_TYPE_POPOVER);
  GtkWidget *parent = info ? gtk_widget_get_parent (info) : NULL;

  return parent ? gtk_widget_get_ancestor (parent, GTK_TYPE_POPOVER) : NULL;
}

/* item's row is selected: resolve it unless that is under way or done,
 * cancelling the resolve of the row selected before */
static void
resolve_selected (SmeltCompletionProvider    *self,
                  GtkSourceCompletionContext *context,
                  SmeltCompletionItem        *item,
                  GtkSourceCompletionCell    *cell)
{
  LuaItemRef *ref = smelt_completion_item_get_resolver (item);
  GtkSourceCompletion *completion = gtk_source_completion_context_get_completion (context);
  GtkWidget *popup = popup_of_details (cell);
  Resolve *r;
  lua_State *L;

  if (self->resolving != NULL && self->resolving->item == item)
    return;
  if (self->resolving != NULL)
    {
      /* its request ends now, or from an idle if it never started */
      g_cancellable_cancel (self->resolving->cancellable);
      self->resolving = NULL;
    }
  if (ref == NULL || ref->host == NULL || self->host == NULL || completion == NULL || popup == NULL)
    return;

  r = g_new0 (Resolve, 1);
  r->self = g_object_ref (self);
  r->item = g_object_ref (item);
  r->context = g_object_ref (context);
  r->popup = g_object_ref (popup);
  r->cancellable = g_cancellable_new ();
  r->hide_id = g_signal_connect (popup, "hide", G_CALLBACK (on_resolve_over), r);
  self->resolving = r;

  L = smelt_host_get_lua (self->host);
  lua_rawgeti (L, LUA_REGISTRYINDEX, ref->ref);
  smelt_lua_request_start (self->host, "completion_resolve", 1, r->cancellable,
                           GTK_WIDGET (gtk_source_completion_get_view (completion)), &resolve_funcs, r, resolve_free);
}

static void
provider_display (GtkSourceCompletionProvider *provider,
                  GtkSourceCompletionContext  *context,
                  GtkSourceCompletionProposal *proposal,
                  GtkSourceCompletionCell     *cell)
{
  SmeltCompletionItem *item = SMELT_COMPLETION_ITEM (proposal);

  switch (gtk_source_completion_cell_get_column (cell))
    {
    case GTK_SOURCE_COMPLETION_COLUMN_ICON:
      gtk_source_completion_cell_set_icon_name (cell, icon_of_kind (smelt_completion_item_get_kind (item)));
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_TYPED_TEXT:
      {
        g_autofree char *word = gtk_source_completion_context_get_word (context);
        const char *label = smelt_completion_item_get_label (item);
        PangoAttrList *attrs = gtk_source_completion_fuzzy_highlight (label, word);

        gtk_source_completion_cell_set_text_with_attributes (cell, label, attrs);
        g_clear_pointer (&attrs, pango_attr_list_unref);
      }
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_AFTER:
      gtk_source_completion_cell_set_text (cell, smelt_completion_item_get_detail (item));
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_DETAILS:
      /* asked for the row selected only (its details) */
      resolve_selected (SMELT_COMPLETION_PROVIDER (provider), context, item, cell);
      gtk_source_completion_cell_set_text (cell, smelt_completion_item_get_documentation (item));
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_BEFORE:
    case GTK_SOURCE_COMPLETION_COLUMN_COMMENT:
    default:
      gtk_source_completion_cell_set_text (cell, NULL);
      break;
    }
}

/* the iterator at line, col (1-based, col in bytes), kept inside the text */
static void
iter_at (GtkTextBuffer *buffer,
         int            line,
         int            col,
         GtkTextIter   *iter)
{
  if (line > gtk_text_buffer_get_line_count (buffer))
    {
      gtk_text_buffer_get_end_iter (buffer, iter);
      return;
    }
  gtk_text_buffer_get_iter_at_line (buffer, iter, line - 1);
  if (!gtk_text_iter_ends_line (iter))
    {
      GtkTextIter eol = *iter;

      gtk_text_iter_forward_to_line_end (&eol);
      col = MIN (col - 1, gtk_text_iter_get_line_index (&eol));
      gtk_text_iter_set_line_index (iter, col);
    }
}

static void
provider_activate (GtkSourceCompletionProvider *provider,
                   GtkSourceCompletionContext  *context,
                   GtkSourceCompletionProposal *proposal)
{
  SmeltCompletionItem *item = SMELT_COMPLETION_ITEM (proposal);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (gtk_source_completion_context_get_buffer (context));
  const SmeltCompletionEdit *edit = smelt_completion_item_get_edit (item);
  GtkTextIter begin, end;

  gtk_text_buffer_begin_user_action (buffer);
  if (edit != NULL)
    {
      iter_at (buffer, edit->first_line, edit->first_col, &begin);
      iter_at (buffer, edit->last_line, edit->last_col, &end);
      gtk_text_buffer_delete (buffer, &begin, &end);
      gtk_text_buffer_insert (buffer, &begin, edit->text, -1);
    }
  else if (gtk_source_completion_context_get_bounds (context, &begin, &end))
    {
      gtk_text_buffer_delete (buffer, &begin, &end);
      gtk_text_buffer_insert (buffer, &begin, smelt_completion_item_get_insert_text (item), -1);
    }
  gtk_text_buffer_end_user_action (buffer);
}

/* internal.completion_is_trigger(buf, ch), as plain code */
static gboolean
provider_is_trigger (GtkSourceCompletionProvider *provider,
                     const GtkTextIter           *iter,
                     gunichar                     ch)
{
  SmeltCompletionProvider *self = SMELT_COMPLETION_PROVIDER (provider);
  GtkTextBuffer *buffer = gtk_text_iter_get_buffer (iter);
  char utf8[8] = { 0 };
  gboolean is_trigger = FALSE;
  lua_State *L;

  if (self->host == NULL || !SMELT_IS_DOCUMENT (buffer))
    return FALSE;
  L = smelt_host_get_lua (self->host);
  lua_rawgeti (L, LUA_REGISTRYINDEX, smelt_host_get_internal_ref (self->host));
  lua_getfield (L, -1, "completion_is_trigger");
  lua_remove (L, -2);
  if (!lua_isfunction (L, -1))
    {
      lua_pop (L, 1);
      return FALSE;
    }
  smelt_lua_push_buffer (L, SMELT_DOCUMENT (buffer));
  g_unichar_to_utf8 (ch, utf8);
  lua_pushstring (L, utf8);
  if (smelt_host_call (self->host, 2, 1, "completion triggers", SMELT_CALL_DEFAULT, NULL))
    {
      is_trigger = lua_toboolean (L, -1);
      lua_pop (L, 1);
    }
  return is_trigger;
}

static void
provider_iface_init (GtkSourceCompletionProviderInterface *iface)
{
  iface->populate_async = provider_populate_async;
  iface->populate_finish = provider_populate_finish;
  iface->refilter = provider_refilter;
  iface->display = provider_display;
  iface->activate = provider_activate;
  iface->is_trigger = provider_is_trigger;
}

static void
smelt_completion_provider_dispose (GObject *object)
{
  SmeltCompletionProvider *self = SMELT_COMPLETION_PROVIDER (object);

  if (self->resolving != NULL)
    g_cancellable_cancel (self->resolving->cancellable);
  g_clear_object (&SMELT_COMPLETION_PROVIDER (object)->host);
  G_OBJECT_CLASS (smelt_completion_provider_parent_class)->dispose (object);
}

static void
smelt_completion_provider_class_init (SmeltCompletionProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = smelt_completion_provider_dispose;
}

static void
smelt_completion_provider_init (SmeltCompletionProvider *self)
{
}

/**
 * smelt_completion_provider_new:
 * @host: the host whose Lua providers it asks
 *
 * Returns: (transfer full): a provider to add to the window's views
 */
SmeltCompletionProvider *
smelt_completion_provider_new (SmeltHost *host)
{
  SmeltCompletionProvider *self;

  g_return_val_if_fail (SMELT_IS_HOST (host), NULL);

  self = g_object_new (SMELT_TYPE_COMPLETION_PROVIDER, NULL);
  self->host = g_object_ref (host);
  return self;
}
