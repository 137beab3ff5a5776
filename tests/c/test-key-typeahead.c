/* test-key-typeahead.c: the key maps' typeahead on its own: presses typed in order, however they are queued
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The presses are the test's own, and so is the event queue: a press put
 * back is appended to it, as gdk_display_put_event() appends to GDK's. A
 * small window (deliver()) does what smelt_window_on_window_key() does
 * with each press, and a small resolver what lua/smelt/ui.lua's settle()
 * does with the keys. X11 queues one press at a time; Wayland reads a
 * burst at once: both must type the same text, in the same order.
 */

#include "config.h"

#include <string.h>

#include "smelt-key-typeahead.h"

typedef struct
{
  int      ref_count;
  char     key;
  gpointer surface;
} Press;

static GQueue   queue = G_QUEUE_INIT;   /* the event queue: Press, a ref each */
static gint64   clock_us;
static GString *log_;                    /* what happened: typed keys, [map]s that ran */
static char     pending[16];             /* the resolver's keys, as ui.lua's `pending` */
static const char * const *maps;

static gpointer
press_ref (gpointer press)
{
  ((Press *) press)->ref_count++;
  return press;
}

static void
press_unref (gpointer press)
{
  Press *p = press;

  g_assert_cmpint (p->ref_count, >, 0);
  if (--p->ref_count == 0)
    g_free (p);
}

static void
press_put_back (gpointer press)
{
  g_queue_push_tail (&queue, press_ref (press));
}

static gpointer
press_target (gpointer press)
{
  return ((Press *) press)->surface;
}

static gint64
fake_now (void)
{
  return clock_us;
}

static const SmeltTypeaheadFuncs funcs = { press_ref, press_unref, press_put_back, press_target, fake_now };

static Press *
press_new (char     key,
           gpointer surface)
{
  Press *p = g_new0 (Press, 1);

  p->ref_count = 1;
  p->key = key;
  p->surface = surface;
  return p;
}

static gboolean
is_map (const char *keys,
        gsize       n)
{
  for (guint i = 0; maps[i] != NULL; i++)
    if (strlen (maps[i]) == n && strncmp (maps[i], keys, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
starts_a_map (const char *keys)
{
  for (guint i = 0; maps[i] != NULL; i++)
    if (strlen (maps[i]) > strlen (keys) && g_str_has_prefix (maps[i], keys))
      return TRUE;
  return FALSE;
}

/* settle(false) of lua/smelt/ui.lua, with maps that never decline */
static void
settle (guint *drop,
        guint *typed)
{
  *drop = *typed = 0;
  while (pending[0] != '\0')
    {
      gsize n = strlen (pending);

      if (starts_a_map (pending))
        return;
      while (n > 0 && !is_map (pending, n))
        n--;
      if (n == 0)
        {
          pending[0] = '\0';
          *typed = 1;
          return;
        }
      g_string_append_printf (log_, "[%.*s]", (int) n, pending);
      memmove (pending, pending + n, strlen (pending + n) + 1);
      *drop += n;
    }
}

/* what the window does with a press that reaches it; returns whether GTK
 * gets it (it is typed) */
static gboolean
window_key (SmeltTypeahead *ta,
            Press          *p)
{
  gsize len = strlen (pending);
  guint drop, typed;

  switch (smelt_typeahead_claim (ta, p))
    {
    case SMELT_TYPEAHEAD_TYPE:
      return TRUE;
    case SMELT_TYPEAHEAD_LATER:
      return FALSE;
    case SMELT_TYPEAHEAD_FRESH:
    case SMELT_TYPEAHEAD_FEED:
    default:
      break;
    }
  smelt_typeahead_hold (ta, p);
  g_assert_cmpuint (len + 1, <, sizeof pending);
  pending[len] = p->key;
  pending[len + 1] = '\0';
  settle (&drop, &typed);
  return !smelt_typeahead_release (ta, drop, typed, p);
}

/* the loop handles the press at the head of the queue */
static void
deliver (SmeltTypeahead *ta)
{
  Press *p = g_queue_pop_head (&queue);

  if (window_key (ta, p))
    g_string_append_c (log_, p->key);
  press_unref (p);
}

static void
run_all (SmeltTypeahead *ta)
{
  while (!g_queue_is_empty (&queue))
    deliver (ta);
}

/* types keys: every press queued at once (a burst), or each once the
 * queue is empty (X11); returns the log */
static char *
type (const char *keys,
      gboolean    burst)
{
  static int surface;
  SmeltTypeahead *ta = smelt_typeahead_new (&funcs);

  log_ = g_string_new (NULL);
  pending[0] = '\0';
  for (const char *k = keys; *k != '\0'; k++)
    {
      g_queue_push_tail (&queue, press_new (*k, &surface));
      if (!burst)
        run_all (ta);
    }
  run_all (ta);
  g_assert_cmpuint (smelt_typeahead_n_held (ta), ==, strlen (pending));
  /* what still waits for the timeout */
  if (pending[0] != '\0')
    g_string_append_printf (log_, "<%s>", pending);
  smelt_typeahead_free (ta);
  return g_string_free (g_steal_pointer (&log_), FALSE);
}

static void
test_in_order (void)
{
  static const char * const the_maps[] = { "gd", "\\r", NULL };
  g_autofree char *one = NULL, *burst = NULL;

  maps = the_maps;
  one = type ("good dog, path a\\b ok gd\\r", FALSE);
  g_assert_cmpstr (one, ==, "good dog, path a\\b ok [gd][\\r]");
  burst = type ("good dog, path a\\b ok gd\\r", TRUE);
  g_assert_cmpstr (burst, ==, one);
}

/* Keys put back while others are still on the queue: the held keys come
 * before them. Every string of a few keys over maps that overlap, typed in
 * a burst, gives what one key at a time gives. */
static void
test_burst_is_one_at_a_time (void)
{
  static const char * const the_maps[] = { "abc", "bd", "b", "cc", "ddd", NULL };
  static const char alphabet[] = "abcdx";
  guint n_cases = 0;

  maps = the_maps;
  for (guint len = 1; len <= 6; len++)
    {
      guint total = 1;

      for (guint i = 0; i < len; i++)
        total *= sizeof alphabet - 1;
      for (guint code = 0; code < total; code++)
        {
          char keys[8] = { 0 };
          g_autofree char *one = NULL, *burst = NULL;
          guint c = code;

          for (guint i = 0; i < len; i++, c /= sizeof alphabet - 1)
            keys[i] = alphabet[c % (sizeof alphabet - 1)];
          one = type (keys, FALSE);
          burst = type (keys, TRUE);
          if (g_strcmp0 (one, burst) != 0)
            g_error ("typed %s: one at a time %s, in a burst %s", keys, one, burst);
          n_cases++;
        }
    }
  g_assert_cmpuint (n_cases, ==, 5 + 25 + 125 + 625 + 3125 + 15625);
}

/* A copy of a press put back that never comes (its surface went) does not
 * stop the keyboard: after 500 ms the next press is fresh. */
static void
test_lost_copy (void)
{
  static const char * const the_maps[] = { "gd", NULL };
  static int surface;
  SmeltTypeahead *ta = smelt_typeahead_new (&funcs);
  Press *p;

  maps = the_maps;
  log_ = g_string_new (NULL);
  pending[0] = '\0';
  g_queue_push_tail (&queue, press_new ('g', &surface));
  g_queue_push_tail (&queue, press_new ('o', &surface));
  deliver (ta);   /* g: held */
  deliver (ta);   /* o: g and o put back */
  g_assert_cmpuint (g_queue_get_length (&queue), ==, 2);
  press_unref (g_queue_pop_head (&queue));   /* g's copy is lost */
  press_unref (g_queue_pop_head (&queue));   /* and o's */
  p = press_new ('k', &surface);
  g_assert_cmpint (smelt_typeahead_claim (ta, p), ==, SMELT_TYPEAHEAD_LATER);   /* soon: behind them */
  press_unref (p);
  press_unref (g_queue_pop_head (&queue));   /* lost too */
  clock_us += 600 * G_TIME_SPAN_MILLISECOND;
  p = press_new ('m', &surface);
  g_assert_cmpint (smelt_typeahead_claim (ta, p), ==, SMELT_TYPEAHEAD_FRESH);
  press_unref (p);
  smelt_typeahead_free (ta);
  g_string_free (log_, TRUE);
}

/* A press for another surface (GTK makes one for a popover's grab, anew
 * each time) is never put back: it would come back as another. */
static void
test_other_surface (void)
{
  static const char * const the_maps[] = { "gd", NULL };
  static int surface, popover;
  SmeltTypeahead *ta = smelt_typeahead_new (&funcs);
  Press *p;

  maps = the_maps;
  log_ = g_string_new (NULL);
  pending[0] = '\0';
  g_queue_push_tail (&queue, press_new ('g', &surface));
  g_queue_push_tail (&queue, press_new ('o', &surface));
  deliver (ta);
  deliver (ta);
  p = press_new ('k', &popover);
  g_assert_cmpint (smelt_typeahead_claim (ta, p), ==, SMELT_TYPEAHEAD_FRESH);
  press_unref (p);
  run_all (ta);
  g_assert_cmpstr (log_->str, ==, "go");
  smelt_typeahead_free (ta);
  g_string_free (log_, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/key-typeahead/in-order", test_in_order);
  g_test_add_func ("/key-typeahead/burst-is-one-at-a-time", test_burst_is_one_at_a_time);
  g_test_add_func ("/key-typeahead/lost-copy", test_lost_copy);
  g_test_add_func ("/key-typeahead/other-surface", test_other_surface);
  return g_test_run ();
}
