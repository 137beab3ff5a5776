/* smelt-ui-popup.c: smelt.ui.popup: a popover pointing at a text position of a buffer's view
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The popover does not take the keyboard (no autohide): the text keeps
 * it, so the user reads on and types on.  It points at a mark, followed
 * each frame: the view may not be laid out yet when it opens, and it
 * scrolls.  Escape in the view, a move of the cursor (typing moves it
 * too) or the view going from the screen closes it.  Lua gets
 * a handle (smelt.Popup) that holds the popup weakly: a handle dropped
 * leaves the popup open, and a closed popup's handle says so.
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <lauxlib.h>

#include "smelt-markdown.h"
#include "smelt-ui-private.h"

typedef struct _Popup Popup;

struct _Popup
{
  GtkWidget          *popover;
  GtkTextView        *view;
  GtkTextBuffer      *buffer;
  GtkTextMark        *at;        /* where it points */
  GdkRectangle        pointing;
  guint               tick_id;
  GtkEventController *keys;
  gulong              cursor_id;
  gulong              unmap_id;
  Popup             **handle;    /* (nullable): the Lua handle's pointer to it */
};

#define POPUP_MT "smelt.Popup"

/* the popups open now, the newest last (the test hook's) */
static GPtrArray *open_popups;

static void
popup_close (Popup *p)
{
  g_ptr_array_remove (open_popups, p);
  gtk_widget_remove_tick_callback (GTK_WIDGET (p->view), p->tick_id);
  gtk_text_buffer_delete_mark (p->buffer, p->at);
  g_signal_handler_disconnect (p->buffer, p->cursor_id);
  g_signal_handler_disconnect (p->view, p->unmap_id);
  gtk_widget_remove_controller (GTK_WIDGET (p->view), p->keys);
  gtk_widget_unparent (p->popover);
  g_object_unref (p->buffer);
  if (p->handle != NULL)
    *p->handle = NULL;
  g_free (p);
}

/* points at the mark's character, in the view's coordinates */
static void
update_pointing (Popup *p)
{
  GtkTextIter iter;
  GdkRectangle location, rect;
  int wx, wy;

  gtk_text_buffer_get_iter_at_mark (p->buffer, &iter, p->at);
  gtk_text_view_get_iter_location (p->view, &iter, &location);
  gtk_text_view_buffer_to_window_coords (p->view, GTK_TEXT_WINDOW_WIDGET, location.x, location.y, &wx, &wy);
  rect = (GdkRectangle) { wx, wy, MAX (location.width, 1), MAX (location.height, 1) };
  if (!gdk_rectangle_equal (&rect, &p->pointing))
    {
      p->pointing = rect;
      gtk_popover_set_pointing_to (GTK_POPOVER (p->popover), &rect);
    }
}

/* a popover's parent presents it when it moves; the view does not know
 * this one */
static gboolean
on_tick (GtkWidget     *view,
         GdkFrameClock *clock,
         gpointer       data)
{
  Popup *p = data;

  update_pointing (p);
  gtk_popover_present (GTK_POPOVER (p->popover));
  return G_SOURCE_CONTINUE;
}

static void
on_cursor_moved (GtkTextBuffer *buffer,
                 GParamSpec    *pspec,
                 Popup         *p)
{
  popup_close (p);
}

/* the view went (its tab closed, another shown): before it is disposed,
 * since a GtkTextView does not let go of children it does not know */
static void
on_view_unmapped (GtkWidget *view,
                  Popup     *p)
{
  popup_close (p);
}

static gboolean
on_view_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     Popup                 *p)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  popup_close (p);
  return TRUE;
}

static Popup **
check_handle (lua_State *L)
{
  return luaL_checkudata (L, 1, POPUP_MT);
}

/* popup:close(): closes it; nothing when it is closed already */
static int
l_popup_close (lua_State *L)
{
  Popup **handle = check_handle (L);

  if (*handle != NULL)
    popup_close (*handle);
  return 0;
}

/* popup:is_open() */
static int
l_popup_is_open (lua_State *L)
{
  lua_pushboolean (L, *check_handle (L) != NULL);
  return 1;
}

static int
l_popup_gc (lua_State *L)
{
  Popup **handle = check_handle (L);

  if (*handle != NULL)
    (*handle)->handle = NULL;
  return 0;
}

static const luaL_Reg popup_methods[] = {
  { "close", l_popup_close },
  { "is_open", l_popup_is_open },
  { NULL, NULL },
};

/* internal.ui_popup(buf, line, col, text, markdown): the popover at line,
 * col (1-based; col in bytes, clamped to the line) of buf's view */
static int
l_ui_popup (lua_State *L)
{
  SmeltEditorPage *page = smelt_ui_check_buffer (L, "smelt.ui.popup");
  lua_Integer line = luaL_checkinteger (L, 2);
  lua_Integer col = luaL_checkinteger (L, 3);
  const char *text = luaL_checkstring (L, 4);
  gboolean markdown = lua_toboolean (L, 5);
  GtkTextView *view = GTK_TEXT_VIEW (smelt_editor_page_get_view (page));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter iter;
  GtkWidget *label;
  Popup **handle;
  Popup *p;
  int n_lines = gtk_text_buffer_get_line_count (buffer);

  if (!gtk_widget_get_mapped (GTK_WIDGET (view)))
    return luaL_error (L, "smelt.ui.popup: the buffer is not shown (smelt.buf.set_current shows it)");
  if (line < 1 || line > n_lines)
    return luaL_error (L, "bad argument #2 to 'smelt.ui.popup' (opts.line %d out of range (the buffer has %d lines))",
                       (int) line, n_lines);
  gtk_text_buffer_get_iter_at_line (buffer, &iter, (int) line - 1);
  if (!gtk_text_iter_ends_line (&iter))
    {
      GtkTextIter end = iter;

      gtk_text_iter_forward_to_line_end (&end);
      gtk_text_buffer_get_iter_at_line_index (buffer, &iter, (int) line - 1,
                                              (int) MIN (col - 1, gtk_text_iter_get_line_index (&end)));
    }

  label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 80);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "smelt-popup-text");
  if (markdown)
    {
      g_autofree char *markup = smelt_markdown_to_pango (text);

      gtk_label_set_markup (GTK_LABEL (label), markup);
    }
  else
    gtk_label_set_text (GTK_LABEL (label), text);

  p = g_new0 (Popup, 1);
  p->view = view;
  p->buffer = g_object_ref (buffer);
  p->popover = gtk_popover_new ();
  gtk_popover_set_autohide (GTK_POPOVER (p->popover), FALSE);
  gtk_popover_set_child (GTK_POPOVER (p->popover), label);
  gtk_widget_set_parent (p->popover, GTK_WIDGET (view));
  p->at = gtk_text_buffer_create_mark (buffer, NULL, &iter, TRUE);
  update_pointing (p);
  p->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (view), on_tick, p, NULL);
  gtk_popover_set_position (GTK_POPOVER (p->popover), GTK_POS_TOP);
  p->cursor_id = g_signal_connect (buffer, "notify::cursor-position", G_CALLBACK (on_cursor_moved), p);
  p->unmap_id = g_signal_connect (view, "unmap", G_CALLBACK (on_view_unmapped), p);
  p->keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (p->keys, GTK_PHASE_CAPTURE);
  g_signal_connect (p->keys, "key-pressed", G_CALLBACK (on_view_key_pressed), p);
  gtk_widget_add_controller (GTK_WIDGET (view), p->keys);
  if (open_popups == NULL)
    open_popups = g_ptr_array_new ();
  g_ptr_array_add (open_popups, p);
  gtk_popover_popup (GTK_POPOVER (p->popover));

  handle = lua_newuserdatauv (L, sizeof (Popup *), 0);
  *handle = p;
  p->handle = handle;
  if (luaL_newmetatable (L, POPUP_MT))
    {
      luaL_newlib (L, popup_methods);
      lua_setfield (L, -2, "__index");
      lua_pushcfunction (L, l_popup_gc);
      lua_setfield (L, -2, "__gc");
    }
  lua_setmetatable (L, -2);
  return 1;
}

/**
 * smelt_ui_popup_get_newest:
 *
 * The test hook's way to the popups: its parent is the view, its child
 * the label.
 *
 * Returns: (transfer none) (nullable): the popover of the popup opened
 *   last and still open
 */
GtkWidget *
smelt_ui_popup_get_newest (void)
{
  if (open_popups == NULL || open_popups->len == 0)
    return NULL;
  return ((Popup *) g_ptr_array_index (open_popups, open_popups->len - 1))->popover;
}

static const luaL_Reg popup_functions[] = {
  { "ui_popup", l_ui_popup },
  { NULL, NULL },
};

/**
 * smelt_ui_open_popups:
 * @L: the host's Lua state
 * @internal_idx: the stack index of the `internal` table
 *
 * Adds internal.ui_popup.
 */
void
smelt_ui_open_popups (lua_State *L,
                      int        internal_idx)
{
  lua_pushvalue (L, internal_idx);
  luaL_setfuncs (L, popup_functions, 0);
  lua_pop (L, 1);
}
