/* smelt-key-typeahead.c: key presses held while they may start a key map, put back in order
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A key that starts a key map ("g" of "gd") is held back from GTK until the
 * next key, or the timeout, says whether a map was typed. When none was, the
 * held presses are typed as if never intercepted: each goes back on GDK's
 * event queue (gdk_display_put_event), so GTK handles it as it handles any
 * press: a letter goes in at the cursor, Return and Backspace do what they
 * do, in whatever widget has the keyboard then.
 *
 * GDK appends what is put back, behind presses already queued (typed fast,
 * or a burst under load), and the window must see every press in the order
 * it was typed. So:
 *
 * Invariant: `replay` lists the presses put back, in the order they are to
 * be handled; each is on GDK's queue `copies` times, and its last copy is
 * behind the last copy of every press before it. A press that reaches the
 * window is handled at its last copy (the head of `replay`); an earlier
 * copy is swallowed. A press that is not in `replay` while `replay` is not
 * empty came first but was typed after them: it is put back behind them.
 * Putting back presses typed before the ones in `replay` puts every one of
 * those back again, behind them.
 *
 * A copy GDK never delivers (its surface went away) would stop the keyboard:
 * after STALE_US with no press handled, `replay` is given up.
 */

#define G_LOG_DOMAIN "smelt-keys"

#include "config.h"

#include "smelt-key-typeahead.h"

#define STALE_US (500 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  GdkEvent *event;    /* a ref */
  gboolean  feed;     /* through the key maps again, rather than typed */
  guint     copies;   /* on GDK's queue this many times */
} Replay;

static struct
{
  GQueue held;        /* GdkEvent (a ref each): the presses of a sequence that may still be a key map's */
  GQueue replay;      /* Replay: the presses put back, in the order they are handled */
  gint64 moved_us;    /* when replay last moved */
} ta = { G_QUEUE_INIT, G_QUEUE_INIT, 0 };

static void
replay_free (gpointer data)
{
  Replay *r = data;

  gdk_event_unref (r->event);
  g_free (r);
}

static void
put_back (Replay *r)
{
  r->copies++;
  /* deprecated in GTK 4.10, which has no replacement; 4.8 is the target */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gdk_display_put_event (gdk_event_get_display (r->event), r->event);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/**
 * smelt_typeahead_claim:
 * @event: a key press that reached the window
 *
 * Says what the window does with @event: whether it is a press put back
 * (to type, or to go through the key maps again), an early copy of one, or
 * a fresh press. A fresh press typed while others are being put back is
 * put back behind them (%SMELT_TYPEAHEAD_LATER).
 *
 * Returns: what to do with @event
 */
SmeltTypeaheadClaim
smelt_typeahead_claim (GdkEvent *event)
{
  gint64 now = g_get_monotonic_time ();
  Replay *head;

  g_return_val_if_fail (event != NULL, SMELT_TYPEAHEAD_FRESH);

  if (g_queue_is_empty (&ta.replay))
    return SMELT_TYPEAHEAD_FRESH;
  for (GList *l = ta.replay.head; l != NULL; l = l->next)
    {
      Replay *r = l->data;
      SmeltTypeaheadClaim claim;

      if (r->event != event)
        continue;
      if (--r->copies > 0)
        return SMELT_TYPEAHEAD_LATER;
      /* its last copy: the head, unless the copies of those before it were lost */
      while (ta.replay.head != l)
        replay_free (g_queue_pop_head (&ta.replay));
      g_queue_pop_head (&ta.replay);
      claim = r->feed ? SMELT_TYPEAHEAD_FEED : SMELT_TYPEAHEAD_TYPE;
      replay_free (r);
      ta.moved_us = now;
      return claim;
    }

  head = g_queue_peek_head (&ta.replay);
  if (now - ta.moved_us > STALE_US)
    {
      g_debug ("key presses put back never came: %u given up", g_queue_get_length (&ta.replay));
      g_queue_clear_full (&ta.replay, replay_free);
      return SMELT_TYPEAHEAD_FRESH;
    }
  /* a press GTK made for another surface (a popover's grab): never put
   * back, it would be made again each time */
  if (gdk_event_get_surface (event) != gdk_event_get_surface (head->event))
    return SMELT_TYPEAHEAD_FRESH;
  {
    Replay *r = g_new0 (Replay, 1);

    r->event = gdk_event_ref (event);
    r->feed = TRUE;
    g_queue_push_tail (&ta.replay, r);
    put_back (r);
  }
  return SMELT_TYPEAHEAD_LATER;
}

/**
 * smelt_typeahead_hold:
 * @event: a key press the key maps take for now
 *
 * Holds @event back, after the presses held before it.
 */
void
smelt_typeahead_hold (GdkEvent *event)
{
  g_return_if_fail (event != NULL);
  g_queue_push_tail (&ta.held, gdk_event_ref (event));
}

/**
 * smelt_typeahead_n_held:
 *
 * Returns: how many presses are held
 */
guint
smelt_typeahead_n_held (void)
{
  return g_queue_get_length (&ta.held);
}

/**
 * smelt_typeahead_release:
 * @drop: how many of the first presses held a key map took (they are forgotten)
 * @typed: how many presses after those are typed
 * @current: (nullable): the press the window is handling, if it is held
 *
 * Settles the first presses held: @drop are forgotten, then, when @typed is
 * not 0, the next @typed are typed and the rest go through the key maps
 * again, in order, behind whatever is being put back. With @typed 0 the rest
 * stay held.
 *
 * Returns: whether @current is taken (held, forgotten or put back); %FALSE
 *   when it is the one press to type: the window lets GTK have it now
 */
gboolean
smelt_typeahead_release (guint     drop,
                         guint     typed,
                         GdkEvent *current)
{
  GQueue order = G_QUEUE_INIT;
  guint i = 0;

  g_return_val_if_fail (drop + typed <= g_queue_get_length (&ta.held), TRUE);

  for (; drop > 0; drop--)
    gdk_event_unref (g_queue_pop_head (&ta.held));
  if (typed == 0)
    return TRUE;
  if (current != NULL && typed == 1 && g_queue_get_length (&ta.held) == 1 &&
      g_queue_peek_head (&ta.held) == current)
    {
      /* any press being put back was typed after this one */
      gdk_event_unref (g_queue_pop_head (&ta.held));
      return FALSE;
    }

  /* in order: the held presses, then every one put back before them */
  while (!g_queue_is_empty (&ta.held))
    {
      Replay *r = g_new0 (Replay, 1);

      r->event = g_queue_pop_head (&ta.held);   /* its ref */
      r->feed = i++ >= typed;
      g_queue_push_tail (&order, r);
    }
  while (!g_queue_is_empty (&ta.replay))
    g_queue_push_tail (&order, g_queue_pop_head (&ta.replay));
  ta.replay = order;
  for (GList *l = ta.replay.head; l != NULL; l = l->next)
    put_back (l->data);
  ta.moved_us = g_get_monotonic_time ();
  return TRUE;
}

/**
 * smelt_typeahead_clear:
 *
 * Forgets every press held or being put back (the window is going).
 */
void
smelt_typeahead_clear (void)
{
  while (!g_queue_is_empty (&ta.held))
    gdk_event_unref (g_queue_pop_head (&ta.held));
  g_queue_clear_full (&ta.replay, replay_free);
}
