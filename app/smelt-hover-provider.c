/* smelt-hover-provider.c: the window's GtkSourceHoverProvider: the marks' messages and smelt.hover's Lua providers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One per window, added to every view of its pages.  When the pointer
 * rests on the text it shows, in GtkSourceView's hover popover, the
 * messages of the marks whose range holds that place (diagnostics; the
 * marks live in the document, smelt-marks.c), highest priority first, then
 * what the Lua hover providers return (lua/smelt/hover.lua), each as its
 * provider answers, in the order of their priorities; Markdown is shown as
 * Pango markup (smelt-markdown.c).  The popover shows when every provider
 * has answered, or GATHER_MS after it began if it has something by then,
 * so a slow provider never holds up the marks' messages nor the others
 * (what it says later is added while the popover shows); the GCancellable GtkSourceView cancels when the pointer moves
 * away cancels the providers' tasks still running.
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <lauxlib.h>

#include "smelt-document.h"
#include "smelt-embed.h"
#include "smelt-hover-provider.h"
#include "smelt-lua-buffer.h"
#include "smelt-lua-request.h"
#include "smelt-markdown.h"
#include "smelt-marks.h"

struct _SmeltHoverProvider
{
  GObject    parent_instance;
  SmeltHost *host;   /* NULL: the marks' messages only */
};

static void hover_provider_iface_init (GtkSourceHoverProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmeltHoverProvider, smelt_hover_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_HOVER_PROVIDER, hover_provider_iface_init))

static int
by_priority (gconstpointer a,
             gconstpointer b)
{
  const SmeltMark *ma = *(SmeltMark **) a, *mb = *(SmeltMark **) b;

  return (mb->priority > ma->priority) - (mb->priority < ma->priority);
}

/* the messages of the marks whose range holds at (a point mark: its line),
 * highest priority first, a line each; NULL when there is none */
static char *
dup_mark_messages (SmeltDocument     *document,
                   const GtkTextIter *at)
{
  g_autoptr(GPtrArray) marks = smelt_marks_list (document, 0, gtk_text_iter_get_line (at), gtk_text_iter_get_line (at));
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  GString *text;

  for (guint i = 0; i < marks->len; i++)
    {
      SmeltMark *mark = g_ptr_array_index (marks, i);
      GtkTextIter start, end;

      if (mark->message == NULL)
        continue;
      gtk_text_buffer_get_iter_at_mark (GTK_TEXT_BUFFER (document), &start, mark->start);
      if (mark->end != NULL)
        {
          gtk_text_buffer_get_iter_at_mark (GTK_TEXT_BUFFER (document), &end, mark->end);
          if (gtk_text_iter_compare (at, &start) < 0 || gtk_text_iter_compare (at, &end) >= 0)
            continue;
        }
      g_ptr_array_add (shown, mark);
    }
  if (shown->len == 0)
    return NULL;
  g_ptr_array_sort (shown, by_priority);
  text = g_string_new (NULL);
  for (guint i = 0; i < shown->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, ((SmeltMark *) g_ptr_array_index (shown, i))->message);
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
new_text_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 80);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

/* one populate_async under way */
typedef struct
{
  GTask                 *task;
  GtkSourceHoverDisplay *display;   /* ref */
  GArray                *shown;     /* of Shown: the labels in the popover, by rank */
  gboolean               returned;
  gboolean               has_text;
  guint                  gather_id;   /* while the first answers are gathered */
} Populate;

/* How long the popover waits for the providers' answers once it has
 * something to show: what comes after this is added to it while it shows.
 * A popover that grows under the pointer's motion is dismissed by GTK 4.8
 * (its surface moves, the root sees a motion outside it): this keeps the
 * usual case, providers that answer at once, to one showing. */
#define GATHER_MS 250

typedef struct
{
  GtkWidget *label;
  int        rank;       /* 0: the marks' messages */
} Shown;

typedef struct
{
  char     *text;
  gboolean  markdown;
} HoverText;

static void
hover_text_free (gpointer data)
{
  HoverText *h = data;

  g_free (h->text);
  g_free (h);
}

static void
populate_free (gpointer data)
{
  Populate *p = data;

  g_clear_handle_id (&p->gather_id, g_source_remove);
  g_clear_object (&p->task);
  g_clear_object (&p->display);
  g_clear_pointer (&p->shown, g_array_unref);
  g_free (p);
}

static void
populate_return (Populate *p)
{
  if (p->returned)
    return;
  p->returned = TRUE;
  if (p->has_text)
    g_task_return_boolean (p->task, TRUE);
  else
    g_task_return_new_error (p->task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "nothing to show here");
}

/* in Lua: { text, markup } as hover.lua checked and copied it */
static gpointer
text_convert (lua_State *L,
              int        idx)
{
  HoverText *h;

  if (!lua_istable (L, idx))
    return NULL;
  h = g_new0 (HoverText, 1);
  lua_getfield (L, idx, "text");
  h->text = g_strdup (lua_type (L, -1) == LUA_TSTRING ? lua_tostring (L, -1) : "");
  lua_getfield (L, idx, "markup");
  h->markdown = lua_type (L, -1) == LUA_TSTRING && g_str_equal (lua_tostring (L, -1), "markdown");
  lua_pop (L, 2);
  return h;
}

static void
show_label (Populate  *p,
            GtkWidget *label,
            int        rank)
{
  GtkWidget *after = NULL;
  Shown shown = { label, rank };

  /* after the marks' messages and the texts of higher priority */
  for (guint i = 0; i < p->shown->len; i++)
    if (g_array_index (p->shown, Shown, i).rank <= rank)
      after = g_array_index (p->shown, Shown, i).label;
  if (after != NULL)
    gtk_source_hover_display_insert_after (p->display, label, after);
  else
    gtk_source_hover_display_prepend (p->display, label);
  g_array_append_val (p->shown, shown);
  p->has_text = TRUE;
}

static void
text_result (gpointer data,
             int      rank,
             gpointer payload)
{
  Populate *p = data;
  HoverText *h = payload;
  GtkWidget *label;
  g_autofree char *markup = NULL;

  if (h == NULL)
    return;
  markup = h->markdown ? smelt_markdown_to_pango (h->text) : g_markup_escape_text (h->text, -1);
  label = new_text_label ("smelt-hover-text");
  gtk_label_set_markup (GTK_LABEL (label), markup);
  hover_text_free (h);
  show_label (p, label, rank);
  if (p->gather_id == 0)
    populate_return (p);
}

static void
text_finish (gpointer data,
             gboolean cancelled)
{
  Populate *p = data;

  if (!p->returned && cancelled)
    {
      p->returned = TRUE;
      g_task_return_new_error (p->task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "hover cancelled");
    }
  populate_return (p);
}

static gboolean
on_gathered (gpointer data)
{
  Populate *p = data;

  p->gather_id = 0;
  if (p->has_text)
    populate_return (p);
  return G_SOURCE_REMOVE;
}

static const SmeltLuaRequestFuncs hover_funcs = {
  text_convert, text_result, text_finish, hover_text_free,
};

static void
hover_populate_async (GtkSourceHoverProvider *provider,
                      GtkSourceHoverContext  *context,
                      GtkSourceHoverDisplay  *display,
                      GCancellable           *cancellable,
                      GAsyncReadyCallback     callback,
                      gpointer                user_data)
{
  SmeltHoverProvider *self = SMELT_HOVER_PROVIDER (provider);
  GtkSourceBuffer *buffer = gtk_source_hover_context_get_buffer (context);
  g_autoptr(GCancellable) own = cancellable ? NULL : g_cancellable_new ();
  g_autofree char *messages = NULL;
  Populate *p = g_new0 (Populate, 1);
  GtkTextIter at;
  lua_State *L;

  p->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (p->task, hover_populate_async);
  p->display = g_object_ref (display);
  p->shown = g_array_new (FALSE, FALSE, sizeof (Shown));
  if (!SMELT_IS_DOCUMENT (buffer) || !gtk_source_hover_context_get_iter (context, &at))
    {
      populate_return (p);
      populate_free (p);
      return;
    }
  messages = dup_mark_messages (SMELT_DOCUMENT (buffer), &at);
  if (messages != NULL)
    {
      GtkWidget *label = new_text_label ("smelt-mark-message");

      gtk_label_set_text (GTK_LABEL (label), messages);
      show_label (p, label, 0);
    }
  if (self->host == NULL)
    {
      populate_return (p);
      populate_free (p);
      return;
    }
  /* the marks' messages, and what answers meanwhile, show at the latest
   * then: none of them waits on a slow provider */
  p->gather_id = g_timeout_add (GATHER_MS, on_gathered, p);
  L = smelt_host_get_lua (self->host);
  smelt_lua_push_buffer (L, SMELT_DOCUMENT (buffer));
  lua_pushinteger (L, gtk_text_iter_get_line (&at) + 1);
  lua_pushinteger (L, gtk_text_iter_get_line_index (&at) + 1);
  smelt_lua_request_start (self->host, "hover_start", 3, cancellable ? cancellable : own,
                           GTK_WIDGET (gtk_source_hover_context_get_view (context)), &hover_funcs, p, populate_free);
}

static gboolean
hover_populate_finish (GtkSourceHoverProvider  *provider,
                       GAsyncResult            *result,
                       GError                 **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
hover_provider_iface_init (GtkSourceHoverProviderInterface *iface)
{
  iface->populate_async = hover_populate_async;
  iface->populate_finish = hover_populate_finish;
}

static void
smelt_hover_provider_dispose (GObject *object)
{
  g_clear_object (&SMELT_HOVER_PROVIDER (object)->host);
  G_OBJECT_CLASS (smelt_hover_provider_parent_class)->dispose (object);
}

static void
smelt_hover_provider_class_init (SmeltHoverProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = smelt_hover_provider_dispose;
}

static void
smelt_hover_provider_init (SmeltHoverProvider *self)
{
}

/**
 * smelt_hover_provider_new:
 * @host: (nullable): the host whose Lua providers it asks; %NULL: the
 *   marks' messages only
 *
 * Returns: (transfer full): a provider to add to the window's views
 */
SmeltHoverProvider *
smelt_hover_provider_new (SmeltHost *host)
{
  SmeltHoverProvider *self = g_object_new (SMELT_TYPE_HOVER_PROVIDER, NULL);

  g_return_val_if_fail (host == NULL || SMELT_IS_HOST (host), self);

  self->host = host ? g_object_ref (host) : NULL;
  return self;
}
