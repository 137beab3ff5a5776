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
 *
 * The presses are opaque here (SmeltTypeaheadFuncs): GdkEvents for the
 * window, a test's own in tests/c/test-key-typeahead.c.
 */

#define G_LOG_DOMAIN "smelt-keys"

#include "config.h"

#include "smelt-key-typeahead.h"

#define STALE_US (500 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  gpointer event;     /* a ref */
  gboolean feed;      /* through the key maps again, rather than typed */
  guint    copies;    /* on the event queue this many times */
} Replay;

struct _SmeltTypeahead
{
  SmeltTypeaheadFuncs funcs;
  GQueue held;        /* presses (a ref each) of a sequence that may still be a key map's */
  GQueue replay;      /* Replay: the presses put back, in the order they are handled */
  gint64 moved_us;    /* when replay last moved */
};

/**
 * smelt_typeahead_new:
 * @funcs: what to do with presses
 *
 * Returns: (transfer full): a typeahead that holds nothing
 */
SmeltTypeahead *
smelt_typeahead_new (const SmeltTypeaheadFuncs *funcs)
{
  SmeltTypeahead *self = g_new0 (SmeltTypeahead, 1);

  g_return_val_if_fail (funcs != NULL, NULL);
  self->funcs = *funcs;
  g_queue_init (&self->held);
  g_queue_init (&self->replay);
  return self;
}

/**
 * smelt_typeahead_free:
 * @self: a typeahead
 *
 * Drops every press held or put back, and @self.
 */
void
smelt_typeahead_free (SmeltTypeahead *self)
{
  if (self == NULL)
    return;
  smelt_typeahead_clear (self);
  g_free (self);
}

static void
replay_free (SmeltTypeahead *self,
             Replay         *r)
{
  self->funcs.unref (r->event);
  g_free (r);
}

static void
put_back (SmeltTypeahead *self,
          Replay         *r)
{
  r->copies++;
  self->funcs.put_back (r->event);
}

static gpointer
gdk_press_ref (gpointer press)
{
  return gdk_event_ref (press);
}

static void
gdk_press_unref (gpointer press)
{
  gdk_event_unref (press);
}

static void
gdk_press_put_back (gpointer press)
{
  /* deprecated in GTK 4.10, which has no replacement; 4.8 is the target */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gdk_display_put_event (gdk_event_get_display (press), press);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static gpointer
gdk_press_target (gpointer press)
{
  return gdk_event_get_surface (press);
}

/**
 * smelt_typeahead_get_default:
 *
 * The window's typeahead: its presses are GdkEvents, put back on GDK's
 * event queue. One for the program, as the key maps are.
 *
 * Returns: (transfer none): the typeahead
 */
SmeltTypeahead *
smelt_typeahead_get_default (void)
{
  static const SmeltTypeaheadFuncs funcs = {
    gdk_press_ref, gdk_press_unref, gdk_press_put_back, gdk_press_target, g_get_monotonic_time,
  };
  static SmeltTypeahead *the_typeahead;

  if (the_typeahead == NULL)
    the_typeahead = smelt_typeahead_new (&funcs);
  return the_typeahead;
}

/**
 * smelt_typeahead_claim:
 * @self: a typeahead
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
smelt_typeahead_claim (SmeltTypeahead *self,
                       gpointer        event)
{
  gint64 now = self->funcs.now ();
  Replay *head;

  g_return_val_if_fail (event != NULL, SMELT_TYPEAHEAD_FRESH);

  if (g_queue_is_empty (&self->replay))
    return SMELT_TYPEAHEAD_FRESH;
  for (GList *l = self->replay.head; l != NULL; l = l->next)
    {
      Replay *r = l->data;
      SmeltTypeaheadClaim claim;

      if (r->event != event)
        continue;
      if (--r->copies > 0)
        return SMELT_TYPEAHEAD_LATER;
      /* its last copy: the head, unless the copies of those before it were lost */
      while (self->replay.head != l)
        replay_free (self, g_queue_pop_head (&self->replay));
      g_queue_pop_head (&self->replay);
      claim = r->feed ? SMELT_TYPEAHEAD_FEED : SMELT_TYPEAHEAD_TYPE;
      replay_free (self, r);
      self->moved_us = now;
      return claim;
    }

  head = g_queue_peek_head (&self->replay);
  if (now - self->moved_us > STALE_US)
    {
      g_debug ("key presses put back never came: %u given up", g_queue_get_length (&self->replay));
      while (!g_queue_is_empty (&self->replay))
        replay_free (self, g_queue_pop_head (&self->replay));
      return SMELT_TYPEAHEAD_FRESH;
    }
  /* a press GTK made for another surface (a popover's grab): never put
   * back, it would be made again each time */
  if (self->funcs.target (event) != self->funcs.target (head->event))
    return SMELT_TYPEAHEAD_FRESH;
  {
    Replay *r = g_new0 (Replay, 1);

    r->event = self->funcs.ref (event);
    r->feed = TRUE;
    g_queue_push_tail (&self->replay, r);
    put_back (self, r);
  }
  return SMELT_TYPEAHEAD_LATER;
}

/**
 * smelt_typeahead_hold:
 * @self: a typeahead
 * @event: a key press the key maps take for now
 *
 * Holds @event back, after the presses held before it.
 */
void
smelt_typeahead_hold (SmeltTypeahead *self,
                      gpointer        event)
{
  g_return_if_fail (event != NULL);
  g_queue_push_tail (&self->held, self->funcs.ref (event));
}

/**
 * smelt_typeahead_n_held:
 * @self: a typeahead
 *
 * Returns: how many presses are held
 */
guint
smelt_typeahead_n_held (SmeltTypeahead *self)
{
  return g_queue_get_length (&self->held);
}

/**
 * smelt_typeahead_release:
 * @self: a typeahead
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
smelt_typeahead_release (SmeltTypeahead *self,
                         guint           drop,
                         guint           typed,
                         gpointer        current)
{
  GQueue order = G_QUEUE_INIT;
  guint i = 0;

  g_return_val_if_fail (drop + typed <= g_queue_get_length (&self->held), TRUE);

  for (; drop > 0; drop--)
    self->funcs.unref (g_queue_pop_head (&self->held));
  if (typed == 0)
    return TRUE;
  if (current != NULL && typed == 1 && g_queue_get_length (&self->held) == 1 &&
      g_queue_peek_head (&self->held) == current)
    {
      /* any press being put back was typed after this one */
      self->funcs.unref (g_queue_pop_head (&self->held));
      return FALSE;
    }

  /* in order: the held presses, then every one put back before them */
  while (!g_queue_is_empty (&self->held))
    {
      Replay *r = g_new0 (Replay, 1);

      r->event = g_queue_pop_head (&self->held);   /* its ref */
      r->feed = i++ >= typed;
      g_queue_push_tail (&order, r);
    }
  while (!g_queue_is_empty (&self->replay))
    g_queue_push_tail (&order, g_queue_pop_head (&self->replay));
  self->replay = order;
  for (GList *l = self->replay.head; l != NULL; l = l->next)
    put_back (self, l->data);
  self->moved_us = self->funcs.now ();
  return TRUE;
}

/**
 * smelt_typeahead_clear:
 * @self: a typeahead
 *
 * Forgets every press held or being put back (the window is going).
 */
void
smelt_typeahead_clear (SmeltTypeahead *self)
{
  while (!g_queue_is_empty (&self->held))
    self->funcs.unref (g_queue_pop_head (&self->held));
  while (!g_queue_is_empty (&self->replay))
    replay_free (self, g_queue_pop_head (&self->replay));
}
