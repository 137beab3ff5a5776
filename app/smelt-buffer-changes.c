/* smelt-buffer-changes.c: "buf-changed": every edit of a document, in order, with its lines
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each insertion or deletion becomes one event: the old lines FIRST..LAST
 * became FIRST..NEW_LAST, with the new lines' text, so a plugin (an LSP
 * client's incremental sync) keeps an exact copy of the buffer from the
 * events alone, whenever its handler runs.  The text is taken at the edit,
 * in the buffer's own signal: an edit's handler may run while a task that
 * made the edit is still on the C stack, so Lua is not called there.  The
 * events wait in a queue, and an idle of high priority hands them to
 * smelt.emit in order.  Nothing is queued while no handler listens.
 *
 * A load (or reload) is one event for the whole text once it is in, not one
 * per chunk the loader inserts.
 */

#define G_LOG_DOMAIN "smelt-buffer"

#include "config.h"

#include <string.h>

#include <lauxlib.h>

#include "smelt-buffer-changes.h"
#include "smelt-embed.h"
#include "smelt-lua-buffer.h"

typedef struct
{
  SmeltDocument *document;   /* ref */
  int            first;      /* 1-based */
  int            last;
  int            new_last;
  guint          tick;
  char          *text;       /* lines first..new_last, joined by \n */
} Change;

typedef struct
{
  GWeakRef  host;
  GQueue    queue;      /* Change */
  guint     flush_id;
  gboolean  wanted;     /* some handler listens */
} Changes;

/* what an edit under way started as, between the signal's two halves */
typedef struct
{
  Changes *changes;
  int      first;
  int      last;
  int      lines_before_load;
} Pending;

static void
change_free (Change *change)
{
  g_object_unref (change->document);
  g_free (change->text);
  g_free (change);
}

static void
changes_free (gpointer data)
{
  Changes *changes = data;

  g_clear_handle_id (&changes->flush_id, g_source_remove);
  g_queue_clear_full (&changes->queue, (GDestroyNotify) change_free);
  g_weak_ref_clear (&changes->host);
  g_free (changes);
}

static Changes *
changes_of (SmeltHost *host)
{
  Changes *changes = g_object_get_data (G_OBJECT (host), "smelt-buffer-changes");

  if (changes == NULL)
    {
      changes = g_new0 (Changes, 1);
      g_weak_ref_init (&changes->host, host);
      g_queue_init (&changes->queue);
      g_object_set_data_full (G_OBJECT (host), "smelt-buffer-changes", changes, changes_free);
    }
  return changes;
}

/* pushes text split at its line breaks, as a list of lines */
static void
push_lines (lua_State  *L,
            const char *text)
{
  lua_Integer n = 0;

  lua_newtable (L);
  for (;;)
    {
      const char *nl = strchr (text, '\n');

      lua_pushlstring (L, text, nl ? (size_t) (nl - text) : strlen (text));
      lua_rawseti (L, -2, ++n);
      if (nl == NULL)
        break;
      text = nl + 1;
    }
}

static gboolean
flush_cb (gpointer data)
{
  Changes *changes = data;
  g_autoptr(SmeltHost) host = g_weak_ref_get (&changes->host);
  Change *change;

  changes->flush_id = 0;
  while (host != NULL && (change = g_queue_pop_head (&changes->queue)) != NULL)
    {
      lua_State *L = smelt_host_get_lua (host);

      if (!smelt_document_is_closed (change->document))
        {
          lua_rawgeti (L, LUA_REGISTRYINDEX, smelt_host_get_internal_ref (host));
          lua_getfield (L, -1, "emit_buf_changed");
          lua_remove (L, -2);
          if (lua_isfunction (L, -1))
            {
              lua_createtable (L, 0, 6);
              smelt_lua_push_buffer (L, change->document);
              lua_setfield (L, -2, "buf");
              lua_pushinteger (L, change->first);
              lua_setfield (L, -2, "first_line");
              lua_pushinteger (L, change->last);
              lua_setfield (L, -2, "last_line");
              lua_pushinteger (L, change->new_last);
              lua_setfield (L, -2, "new_last_line");
              lua_pushinteger (L, change->tick);
              lua_setfield (L, -2, "changedtick");
              push_lines (L, change->text);
              lua_setfield (L, -2, "lines");
              smelt_host_call_plain (host, 1, "buf-changed");
            }
          else
            lua_pop (L, 1);
        }
      change_free (change);
    }
  return G_SOURCE_REMOVE;
}

/* lines first..new_last (1-based) of the text as it is now */
static char *
dup_lines (GtkTextBuffer *buffer,
           int            first,
           int            new_last)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_line (buffer, &start, first - 1);
  gtk_text_buffer_get_iter_at_line (buffer, &end, new_last - 1);
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static void
queue_change (Changes       *changes,
              SmeltDocument *document,
              int            first,
              int            last,
              int            new_last)
{
  Change *change = g_new0 (Change, 1);

  change->document = g_object_ref (document);
  change->first = first;
  change->last = last;
  change->new_last = new_last;
  change->tick = smelt_document_get_n_edits (document);
  change->text = dup_lines (GTK_TEXT_BUFFER (document), first, new_last);
  g_queue_push_tail (&changes->queue, change);
  if (changes->flush_id == 0)
    changes->flush_id = g_idle_add_full (G_PRIORITY_HIGH, flush_cb, changes, NULL);
}

static gboolean
wanted (Pending       *pending,
        SmeltDocument *document)
{
  return pending->changes->wanted && !smelt_document_get_loading (document) &&
         !smelt_document_is_closed (document);
}

static void
before_insert (GtkTextBuffer *buffer,
               GtkTextIter   *location,
               const char    *text,
               int            len,
               Pending       *pending)
{
  pending->first = gtk_text_iter_get_line (location) + 1;
}

static void
after_insert (GtkTextBuffer *buffer,
              GtkTextIter   *location,
              const char    *text,
              int            len,
              Pending       *pending)
{
  SmeltDocument *document = SMELT_DOCUMENT (buffer);

  if (wanted (pending, document))
    queue_change (pending->changes, document, pending->first, pending->first,
                  gtk_text_iter_get_line (location) + 1);
}

static void
before_delete (GtkTextBuffer *buffer,
               GtkTextIter   *start,
               GtkTextIter   *end,
               Pending       *pending)
{
  pending->first = MIN (gtk_text_iter_get_line (start), gtk_text_iter_get_line (end)) + 1;
  pending->last = MAX (gtk_text_iter_get_line (start), gtk_text_iter_get_line (end)) + 1;
}

static void
after_delete (GtkTextBuffer *buffer,
              GtkTextIter   *start,
              GtkTextIter   *end,
              Pending       *pending)
{
  SmeltDocument *document = SMELT_DOCUMENT (buffer);

  if (wanted (pending, document))
    queue_change (pending->changes, document, pending->first, pending->last, pending->first);
}

/* a load replaces the whole text: one change, once it is in */
static void
on_loading (SmeltDocument *document,
            GParamSpec    *pspec,
            Pending       *pending)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (document);

  if (smelt_document_get_loading (document))
    pending->lines_before_load = gtk_text_buffer_get_line_count (buffer);
  else if (pending->changes->wanted && !smelt_document_is_closed (document) && pending->lines_before_load > 0)
    queue_change (pending->changes, document, 1, pending->lines_before_load,
                  gtk_text_buffer_get_line_count (buffer));
}

/**
 * smelt_buffer_changes_watch:
 * @host: the host whose plugins hear of the edits
 * @document: a document of its workspace
 *
 * From now on every edit of @document is a "buf-changed" event, while a
 * handler listens (smelt_buffer_changes_set_wanted()).
 */
void
smelt_buffer_changes_watch (SmeltHost     *host,
                            SmeltDocument *document)
{
  Pending *pending;

  if (g_object_get_data (G_OBJECT (document), "smelt-buffer-changes") != NULL)
    return;
  pending = g_new0 (Pending, 1);
  pending->changes = changes_of (host);
  g_object_set_data_full (G_OBJECT (document), "smelt-buffer-changes", pending, g_free);
  g_signal_connect (document, "insert-text", G_CALLBACK (before_insert), pending);
  g_signal_connect_after (document, "insert-text", G_CALLBACK (after_insert), pending);
  g_signal_connect (document, "delete-range", G_CALLBACK (before_delete), pending);
  g_signal_connect_after (document, "delete-range", G_CALLBACK (after_delete), pending);
  g_signal_connect (document, "notify::loading", G_CALLBACK (on_loading), pending);
}

/**
 * smelt_buffer_changes_set_wanted:
 * @host: a host
 * @wanted: whether a "buf-changed" handler listens
 *
 * With none, an edit costs nothing here: no text is copied.
 */
void
smelt_buffer_changes_set_wanted (SmeltHost *host,
                                 gboolean   wanted)
{
  changes_of (host)->wanted = wanted;
}
