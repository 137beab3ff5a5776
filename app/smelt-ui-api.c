/* smelt-ui-api.c: the UI tier of the Lua API: what it installs, and the window's calls into Lua
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tier's pieces live beside it: dialogs in smelt-ui-dialogs.c, popups
 * in smelt-ui-popup.c, buffers in smelt-ui-buffer.c.  This file installs them into `internal` when the
 * host opens its UI tier, and carries the window's calls into Lua: events,
 * saving, closing, key maps, completion and the statusline.
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <lauxlib.h>

#include <glib/gi18n.h>

#include "smelt-command-complete.h"
#include "smelt-embed.h"
#include "smelt-key-typeahead.h"
#include "smelt-lua-buffer.h"
#include "smelt-ui-api.h"
#include "smelt-ui-private.h"
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

static GtkApplication *the_app;

/**
 * smelt_ui_current_window:
 * @L: the calling Lua state
 * @fname: the Lua function's name, for the error
 *
 * The window Lua calls act on: the active one, else the first. Raises
 * "fname: no editor window is open" when there is none.
 *
 * Returns: (transfer none): the window
 */
SmeltWindow *
smelt_ui_current_window (lua_State  *L,
                         const char *fname)
{
  GtkWindow *win = the_app ? gtk_application_get_active_window (the_app) : NULL;

  if (win == NULL)
    {
      GList *windows = the_app ? gtk_application_get_windows (the_app) : NULL;

      win = windows ? windows->data : NULL;
    }
  if (win == NULL || !SMELT_IS_WINDOW (win))
    luaL_error (L, "%s: no editor window is open", fname);
  return SMELT_WINDOW (win);
}

/* internal.show_tasks_panel(): the GUI's Tasks command */
static int
l_show_tasks_panel (lua_State *L)
{
  smelt_window_show_tasks (smelt_ui_current_window (L, "Tasks"));
  return 0;
}

/* smelt_test.task_cancel_point(id): where on the screen (root window
 * coordinates) the Cancel button of task id's row in the Tasks panel is, so
 * a test can click it with real pointer events; nil when the row is not
 * shown. On the screen, not in the panel: the panel grows upwards when a
 * new task's row comes on top, moving its own origin, but not the rows
 * below. */
static int push_widget_point (lua_State *L,
                              GtkWidget *button);

static int
l_task_cancel_point (lua_State *L)
{
  guint64 id = (guint64) luaL_checkinteger (L, 1);

  return push_widget_point (L, smelt_window_get_task_cancel_button (smelt_ui_current_window (L, "task_cancel_point"), id));
}

/* smelt_test.task_row_text(id): what task id's row in the Tasks panel says
 * ("#12  indexer  —  parked on queue get  (3 s)"), nil when not shown */
static int
l_task_row_text (lua_State *L)
{
  guint64 id = (guint64) luaL_checkinteger (L, 1);

  lua_pushstring (L, smelt_window_get_task_row_text (smelt_ui_current_window (L, "task_row_text"), id));
  return 1;
}

/* smelt_test.reload_question(buf): the changed-on-disk question the
 * buffer's bar shows, or nil */
static int
l_reload_question (lua_State *L)
{
  lua_pushstring (L, smelt_editor_page_get_reload_question (smelt_ui_check_buffer (L, "smelt_test.reload_question")));
  return 1;
}

/* smelt_test.reload_button_point(buf, reload): where on the screen the
 * bar's Reload (or, reload false, Keep my version) button is */
static int
l_reload_button_point (lua_State *L)
{
  SmeltEditorPage *page = smelt_ui_check_buffer (L, "smelt_test.reload_button_point");

  return push_widget_point (L, smelt_editor_page_get_reload_button (page, lua_toboolean (L, 2)));
}

/* smelt_test.tab_point(buf): where on the screen the buffer's tab (its
 * title) is, so a test can click it */
static int
l_tab_point (lua_State *L)
{
  SmeltEditorPage *page = smelt_ui_check_buffer (L, "smelt_test.tab_point");

  return push_widget_point (L, g_object_get_data (G_OBJECT (page), "smelt-tab-label"));
}

/* The point (x, y) of widget, in the widget's own coordinates, as root
 * window coordinates; nothing when it is not shown or not laid out yet. */
static int
push_point_of (lua_State *L,
               GtkWidget *widget,
               double     x,
               double     y)
{
  GtkNative *native;
  graphene_point_t point, in_native;
  double dx, dy;

  if (widget == NULL || !gtk_widget_get_mapped (widget) ||
      gtk_widget_get_width (widget) <= 0 || gtk_widget_get_height (widget) <= 0)
    return 0;
  native = gtk_widget_get_native (widget);
  point = GRAPHENE_POINT_INIT (x, y);
  if (!gtk_widget_compute_point (widget, GTK_WIDGET (native), &point, &in_native))
    return 0;
  gtk_native_get_surface_transform (native, &dx, &dy);
#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_SURFACE (gtk_native_get_surface (native)))
    {
      GdkSurface *surface = gtk_native_get_surface (native);
      Display *dpy = gdk_x11_display_get_xdisplay (gdk_surface_get_display (surface));
      Window child;
      int rx, ry;

      if (!XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (surface), DefaultRootWindow (dpy),
                                  (int) (in_native.x + dx), (int) (in_native.y + dy), &rx, &ry, &child))
        return 0;
      lua_pushinteger (L, rx);
      lua_pushinteger (L, ry);
      return 2;
    }
#endif
  return 0;
}

/* The centre of button in root window coordinates (x, y), or nothing when
 * it is not shown or not laid out yet. */
static int
push_widget_point (lua_State *L,
                   GtkWidget *button)
{
  /* a row just added is mapped before it is laid out: no point until the
   * button has its size (its centre would be the popover's corner) */
  if (button == NULL)
    return 0;
  return push_point_of (L, button, gtk_widget_get_width (button) / 2.0, gtk_widget_get_height (button) / 2.0);
}

/* the text of the first mapped label with css_class under widget */
static const char *
find_label (GtkWidget  *widget,
            const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class) && gtk_widget_get_mapped (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      const char *text = find_label (child, css_class);

      if (text != NULL)
        return text;
    }
  return NULL;
}

/* smelt_test.hover_text(): the marks' message the hover popover of the
 * buffer shown shows, or nil */
static int
l_hover_text (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (smelt_ui_current_window (L, "smelt_test.hover_text"));
  GtkWidget *view = page ? GTK_WIDGET (smelt_editor_page_get_view (page)) : NULL;

  lua_pushstring (L, view ? find_label (view, "smelt-mark-message") : NULL);
  return 1;
}

/* appends to the table on top of L the mapped labels with css_class
 * under widget, in the widget tree's order: { text, markup } each */
static void
collect_labels (lua_State  *L,
                GtkWidget  *widget,
                const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class) && gtk_widget_get_mapped (widget))
    {
      lua_createtable (L, 0, 2);
      lua_pushstring (L, gtk_label_get_text (GTK_LABEL (widget)));
      lua_setfield (L, -2, "text");
      lua_pushstring (L, gtk_label_get_label (GTK_LABEL (widget)));
      lua_setfield (L, -2, "markup");
      lua_rawseti (L, -2, (lua_Integer) lua_rawlen (L, -2) + 1);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_labels (L, child, css_class);
}

/* smelt_test.hover_texts(): what the Lua hover providers put in the hover
 * popover of the buffer shown, { text, markup } each, in its order */
static int
l_hover_texts (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (smelt_ui_current_window (L, "smelt_test.hover_texts"));

  lua_newtable (L);
  if (page != NULL)
    collect_labels (L, GTK_WIDGET (smelt_editor_page_get_view (page)), "smelt-hover-text");
  return 1;
}

/* appends to the table on top of L the labels of the mapped completion
 * cells of column css_class under widget */
static void
collect_cells (lua_State  *L,
               GtkWidget  *widget,
               const char *css_class)
{
  if (g_str_equal (gtk_widget_get_css_name (widget), "cell") && gtk_widget_has_css_class (widget, css_class) &&
      gtk_widget_get_mapped (widget))
    {
      GtkWidget *child = gtk_widget_get_first_child (widget);

      lua_pushstring (L, GTK_IS_LABEL (child) ? gtk_label_get_text (GTK_LABEL (child)) : "");
      lua_rawseti (L, -2, (lua_Integer) lua_rawlen (L, -2) + 1);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_cells (L, child, css_class);
}

/* smelt_test.completion_rows(column): the rows the completion popup of the
 * buffer shown shows, top to bottom: the text of each in column
 * ("typed-text" when nil: the label; "after": the detail); {} when it is
 * closed */
static int
l_completion_rows (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (smelt_ui_current_window (L, "smelt_test.completion_rows"));
  const char *column = luaL_optstring (L, 1, "typed-text");

  lua_newtable (L);
  if (page != NULL)
    collect_cells (L, GTK_WIDGET (smelt_editor_page_get_view (page)), column);
  return 1;
}

/* the first completion cell of column css_class under widget, mapped or not */
static GtkWidget *
find_cell (GtkWidget  *widget,
           const char *css_class)
{
  if (g_str_equal (gtk_widget_get_css_name (widget), "cell") && gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_cell (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* smelt_test.completion_details(): the details (documentation) the
 * completion popup of the buffer shown has for its row selected, whether
 * or not its Details pane is open; nil when the popup is closed or has
 * none */
static int
l_completion_details (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (smelt_ui_current_window (L, "smelt_test.completion_details"));
  GtkWidget *view, *cell, *label;
  lua_Unsigned n_rows;

  lua_pushnil (L);
  if (page == NULL)
    return 1;
  view = GTK_WIDGET (smelt_editor_page_get_view (page));
  lua_newtable (L);
  collect_cells (L, view, "typed-text");
  n_rows = lua_rawlen (L, -1);
  lua_pop (L, 1);
  if (n_rows == 0)
    return 1;
  cell = find_cell (view, "details");
  label = cell ? gtk_widget_get_first_child (cell) : NULL;
  if (!GTK_IS_LABEL (label))
    return 1;
  lua_pushstring (L, gtk_label_get_text (GTK_LABEL (label)));
  return 1;
}

/* the first mapped toggle button under widget */
static GtkWidget *
find_mapped_toggle (GtkWidget *widget)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped_toggle (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* smelt_test.completion_open_details(): turns on the Details button of
 * the completion popup of the buffer shown, opening the pane of the
 * documentation of the row selected (a click there reaches the text
 * under the popup with no window manager); whether it was shown */
static int
l_completion_open_details (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (smelt_ui_current_window (L, "smelt_test.completion_open_details"));
  GtkWidget *button = page ? find_mapped_toggle (GTK_WIDGET (smelt_editor_page_get_view (page))) : NULL;

  if (button != NULL)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  lua_pushboolean (L, button != NULL);
  return 1;
}

/* smelt_test.text_point(buf, line, col): where on the screen the middle of
 * the character at line, col of the buffer's view is (for the pointer to
 * rest on it); nil when it is not shown */
static int
l_text_point (lua_State *L)
{
  SmeltEditorPage *page = smelt_ui_check_buffer (L, "smelt_test.text_point");
  GtkTextView *view = GTK_TEXT_VIEW (smelt_editor_page_get_view (page));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter iter;
  GdkRectangle location;
  int wx, wy;

  gtk_text_buffer_get_iter_at_line_index (buffer, &iter, (int) luaL_checkinteger (L, 2) - 1,
                                          (int) luaL_checkinteger (L, 3) - 1);
  gtk_text_view_get_iter_location (view, &iter, &location);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET, location.x + location.width / 2,
                                         location.y + location.height / 2, &wx, &wy);
  return push_point_of (L, GTK_WIDGET (view), wx, wy);
}

/* pushes text (nil when NULL) and frees it */
static int
push_take (lua_State *L,
           char      *text)
{
  lua_pushstring (L, text);
  g_free (text);
  return 1;
}

/* smelt_test.message(): what the message area shows */
static int
l_message (lua_State *L)
{
  return push_take (L, smelt_window_dup_message (smelt_ui_current_window (L, "smelt_test.message")));
}

/* smelt_test.message_point(): where on the screen the message area's line
 * is, for a click; nil before any message */
static int
l_message_point (lua_State *L)
{
  SmeltMessageArea *area = smelt_window_get_message_area (smelt_ui_current_window (L, "smelt_test.message_point"));

  return area ? push_widget_point (L, smelt_message_area_get_button (area)) : 0;
}

/* smelt_test.message_truncated(): whether the line shows less than the
 * whole message (more lines, or ellipsized) */
static int
l_message_truncated (lua_State *L)
{
  SmeltMessageArea *area = smelt_window_get_message_area (smelt_ui_current_window (L, "smelt_test.message_truncated"));

  lua_pushboolean (L, area && smelt_message_area_is_truncated (area));
  return 1;
}

/* smelt_test.message_whole(): the whole message the message area's popover
 * shows, nil while it is closed */
static int
l_message_whole (lua_State *L)
{
  SmeltMessageArea *area = smelt_window_get_message_area (smelt_ui_current_window (L, "smelt_test.message_whole"));

  lua_pushstring (L, area ? smelt_message_area_get_shown (area) : NULL);
  return 1;
}

/* smelt_test.statusline(): the statusline's text */
static int
l_statusline (lua_State *L)
{
  return push_take (L, smelt_window_dup_statusline (smelt_ui_current_window (L, "smelt_test.statusline")));
}

/* smelt_test.busy(): the name beside the statusline's spinner, or nil
 * when the spinner is hidden */
static int
l_busy (lua_State *L)
{
  return push_take (L, smelt_window_dup_busy (smelt_ui_current_window (L, "smelt_test.busy")));
}

/* smelt_test.command_line(): what the command line says while it is open,
 * or nil */
static int
l_command_line (lua_State *L)
{
  return push_take (L, smelt_window_dup_command_line (smelt_ui_current_window (L, "smelt_test.command_line")));
}

/* smelt_test.complete(line): what Tab offers for the command line `line`
 * (without its ":"), as a list */
static int
l_complete (lua_State *L)
{
  GStrv candidates = smelt_command_complete (smelt_host_from_lua (L), luaL_checkstring (L, 1));

  lua_newtable (L);
  for (guint i = 0; candidates[i] != NULL; i++)
    {
      lua_pushstring (L, candidates[i]);
      lua_rawseti (L, -2, i + 1);
    }
  g_strfreev (candidates);
  return 1;
}

/* smelt_test.window_xid(): the X11 window id of the editor window, or nil
 * (not on X11): a spec types into this window, never into another surface
 * that happens to carry the same title */
static int
l_window_xid (lua_State *L)
{
  GtkWidget *win = GTK_WIDGET (smelt_ui_current_window (L, "smelt_test.window_xid"));

#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (win));

  if (surface != NULL && GDK_IS_X11_SURFACE (surface))
    {
      lua_pushinteger (L, (lua_Integer) gdk_x11_surface_get_xid (surface));
      return 1;
    }
#endif
  lua_pushnil (L);
  return 1;
}

/* smelt_test.focus_widget(): the type of the widget with the keyboard in
 * the editor window ("GtkSourceView", "GtkText"), or nil */
static int
l_focus_widget (lua_State *L)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (smelt_ui_current_window (L, "smelt_test.focus_widget")));

  lua_pushstring (L, focus != NULL ? G_OBJECT_TYPE_NAME (focus) : NULL);   /* nil when NULL */
  return 1;
}

/* smelt_test.picker(): the open picker (smelt.ui.select) as { title,
 * query, count ("shown / total"), items (the first 20 labels shown, in
 * order), selected (the selected item's label), filter_ms (the last
 * query's time to the screen, nil before its frame) }, or nil */
static int
l_picker (lua_State *L)
{
  SmeltPicker *picker = smelt_ui_dialogs_get_picker ();
  SmeltPickerModel *model;
  GtkSingleSelection *selection;
  guint n;
  double ms;

  if (picker == NULL)
    {
      lua_pushnil (L);
      return 1;
    }
  model = smelt_picker_get_model (picker);
  lua_createtable (L, 0, 6);
  lua_pushstring (L, gtk_window_get_title (GTK_WINDOW (picker)));
  lua_setfield (L, -2, "title");
  push_take (L, smelt_picker_dup_query (picker));
  lua_setfield (L, -2, "query");
  push_take (L, smelt_picker_dup_count (picker));
  lua_setfield (L, -2, "count");
  n = MIN (g_list_model_get_n_items (G_LIST_MODEL (model)), 20);
  lua_createtable (L, (int) n, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SmeltPickerItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      lua_pushstring (L, smelt_picker_item_get_label (item));
      lua_rawseti (L, -2, i + 1);
    }
  lua_setfield (L, -2, "items");
  selection = smelt_picker_get_selection (picker);
  if (gtk_single_selection_get_selected_item (selection) != NULL)
    {
      lua_pushstring (L, smelt_picker_item_get_label (gtk_single_selection_get_selected_item (selection)));
      lua_setfield (L, -2, "selected");
    }
  ms = smelt_picker_get_filter_ms (picker);
  if (ms >= 0)
    {
      lua_pushnumber (L, ms);
      lua_setfield (L, -2, "filter_ms");
    }
  return 1;
}

/* smelt_test.popup(): the popup opened last and still open (smelt.ui.popup)
 * as { text, shown, x, y }: its text as shown, whether it is on the
 * screen, and where on the screen it points (the middle of the
 * character), or nil */
static int
l_popup (lua_State *L)
{
  GdkRectangle rect;
  GtkWidget *popover = smelt_ui_popup_get_newest ();
  GtkWidget *label;

  if (popover == NULL)
    {
      lua_pushnil (L);
      return 1;
    }
  label = gtk_popover_get_child (GTK_POPOVER (popover));
  lua_createtable (L, 0, 4);
  lua_pushstring (L, gtk_label_get_text (GTK_LABEL (label)));
  lua_setfield (L, -2, "text");
  lua_pushboolean (L, gtk_widget_get_mapped (popover));
  lua_setfield (L, -2, "shown");
  gtk_popover_get_pointing_to (GTK_POPOVER (popover), &rect);
  if (push_point_of (L, gtk_widget_get_parent (popover), rect.x + rect.width / 2.0, rect.y + rect.height / 2.0) == 2)
    {
      lua_setfield (L, -3, "y");
      lua_setfield (L, -2, "x");
    }
  return 1;
}

/* smelt_test.toplevels(): every GTK toplevel, as "title (visible, modal)"
 * strings: what a failing GUI test reports about the windows */
static int
l_toplevels (lua_State *L)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  lua_newtable (L);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *win = g_list_model_get_item (toplevels, i);

      lua_pushfstring (L, "%s (%s%s%s)", gtk_window_get_title (win) ? gtk_window_get_title (win) : "untitled",
                       gtk_widget_get_visible (GTK_WIDGET (win)) ? "visible" : "hidden",
                       gtk_widget_get_mapped (GTK_WIDGET (win)) ? ", mapped" : "",
                       gtk_window_get_modal (win) ? ", modal" : "");
      lua_rawseti (L, -2, i + 1);
      g_object_unref (win);
    }
  return 1;
}

/* smelt_test.close_window(title): asks the toplevel titled title to close,
 * as a window manager's close button would (there is none under Xvfb);
 * returns whether there was one */
static int
l_close_window (lua_State *L)
{
  const char *title = luaL_checkstring (L, 1);
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *win = g_list_model_get_item (toplevels, i);
      gboolean match = g_strcmp0 (gtk_window_get_title (win), title) == 0 &&
                       gtk_widget_get_visible (GTK_WIDGET (win));

      if (match)
        gtk_window_close (win);
      g_object_unref (win);
      if (match)
        {
          lua_pushboolean (L, TRUE);
          return 1;
        }
    }
  lua_pushboolean (L, FALSE);
  return 1;
}

/* smelt_test.set_setting(key, value): sets a dev.smelt.Editor string,
 * boolean or unsigned key, as `gsettings set` would (the tests use the memory backend) */
static int
l_set_setting (lua_State *L)
{
  const char *key = luaL_checkstring (L, 1);
  GSettings *settings = smelt_editor_page_get_settings ();

  if (settings == NULL)
    return luaL_error (L, "smelt_test.set_setting: no settings schema");
  if (lua_isboolean (L, 2))
    g_settings_set_boolean (settings, key, lua_toboolean (L, 2));
  else if (lua_isinteger (L, 2))
    g_settings_set_uint (settings, key, (guint) lua_tointeger (L, 2));
  else
    g_settings_set_string (settings, key, luaL_checkstring (L, 2));
  return 0;
}

/* smelt_test.line_height(): the height in pixels of the current buffer's
 * first line, as laid out (it follows the font size) */
static int
l_line_height (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (smelt_ui_current_window (L, "smelt_test.line_height"));
  GtkTextIter start;
  int y = 0, height = 0;

  if (page == NULL)
    return 0;
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (page)), &start);
  gtk_text_view_get_line_yrange (GTK_TEXT_VIEW (smelt_editor_page_get_view (page)), &start, &y, &height);
  lua_pushinteger (L, height);
  return 1;
}

/* smelt_test.top_line(): the first line the current buffer's view shows
 * (1-based), once it has laid out what it shows; nil before */
static int
l_top_line (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (smelt_ui_current_window (L, "smelt_test.top_line"));
  GtkTextView *view = page ? GTK_TEXT_VIEW (smelt_editor_page_get_view (page)) : NULL;
  GdkRectangle visible;
  GtkTextIter iter;

  if (view == NULL || !gtk_widget_get_mapped (GTK_WIDGET (view)))
    return 0;
  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_line_at_y (view, &iter, visible.y, NULL);
  lua_pushinteger (L, gtk_text_iter_get_line (&iter) + 1);
  return 1;
}

/* The editor window's frame clock, counted while a test asks: how many
 * frames GTK began and the longest gap between two (a window that freezes
 * begins none until it thaws). */
static struct
{
  GtkWidget *widget;   /* a ref while counting */
  guint      tick_id;
  guint      frames;
  gint64     last_us;
  gint64     longest_us;
} frame_count;

static gboolean
on_frame_tick (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (frame_count.last_us != 0)
    frame_count.longest_us = MAX (frame_count.longest_us, now - frame_count.last_us);
  frame_count.last_us = now;
  frame_count.frames++;
  return G_SOURCE_CONTINUE;
}

/* smelt_test.frames_start(): counts the editor window's frames from now on
 * (a tick callback keeps its frame clock running) */
static int
l_frames_start (lua_State *L)
{
  GtkWidget *win = GTK_WIDGET (smelt_ui_current_window (L, "smelt_test.frames_start"));

  if (frame_count.widget != NULL)
    return luaL_error (L, "smelt_test.frames_start: already counting");
  frame_count.widget = g_object_ref (win);
  frame_count.frames = 0;
  frame_count.last_us = frame_count.longest_us = 0;
  frame_count.tick_id = gtk_widget_add_tick_callback (win, on_frame_tick, NULL, NULL);
  return 0;
}

/* smelt_test.frames_stop(): stops counting; returns the frames begun since
 * frames_start and the longest gap between two, in ms */
static int
l_frames_stop (lua_State *L)
{
  if (frame_count.widget == NULL)
    return luaL_error (L, "smelt_test.frames_stop: not counting");
  gtk_widget_remove_tick_callback (frame_count.widget, frame_count.tick_id);
  g_clear_object (&frame_count.widget);
  lua_pushinteger (L, frame_count.frames);
  lua_pushnumber (L, frame_count.longest_us / 1000.0);
  return 2;
}

/* smelt_test.view_count(): how many text views are alive, in every page
 * and out of them */
static int
l_view_count (lua_State *L)
{
  lua_pushinteger (L, smelt_editor_page_count_views ());
  return 1;
}

/* smelt_test.wraps(): whether the current buffer's view wraps its lines */
static int
l_wraps (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (smelt_ui_current_window (L, "smelt_test.wraps"));

  lua_pushboolean (L, page != NULL &&
                   gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (smelt_editor_page_get_view (page))) != GTK_WRAP_NONE);
  return 1;
}

/* smelt_test.style_scheme(): the current buffer's style scheme id */
static int
l_style_scheme (lua_State *L)
{
  SmeltEditorPage *page = smelt_window_get_current_page (smelt_ui_current_window (L, "smelt_test.style_scheme"));
  GtkSourceStyleScheme *scheme = page ? gtk_source_buffer_get_style_scheme (smelt_editor_page_get_buffer (page)) : NULL;

  if (scheme == NULL)
    return 0;
  lua_pushstring (L, gtk_source_style_scheme_get_id (scheme));
  return 1;
}

/* smelt_test.hl_background(buf, name): the background a mark's highlight
 * draws with in the buffer ("rgb(...)"), or nil when it has none */
static int
l_hl_background (lua_State *L)
{
  SmeltEditorPage *page = smelt_ui_check_buffer (L, "smelt_test.hl_background");
  g_autofree char *tag_name = g_strconcat ("smelt-hl:", luaL_checkstring (L, 2), NULL);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (GTK_TEXT_BUFFER (smelt_editor_page_get_buffer (page))),
                                               tag_name);
  gboolean set = FALSE;
  GdkRGBA *rgba = NULL;
  g_autofree char *text = NULL;

  if (tag != NULL)
    g_object_get (tag, "background-set", &set, "background-rgba", &rgba, NULL);
  if (set && rgba != NULL)
    text = gdk_rgba_to_string (rgba);
  g_clear_pointer (&rgba, gdk_rgba_free);
  lua_pushstring (L, text);
  return 1;
}

/* internal.setting(key): a dev.smelt.Editor boolean, string or unsigned
 * setting's value; nil without the schema */
static int
l_setting (lua_State *L)
{
  const char *key = luaL_checkstring (L, 1);
  GSettings *settings = smelt_editor_page_get_settings ();
  g_autoptr(GVariant) value = NULL;

  if (settings == NULL)
    return 0;
  value = g_settings_get_value (settings, key);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    lua_pushboolean (L, g_variant_get_boolean (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    lua_pushinteger (L, g_variant_get_uint32 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    lua_pushstring (L, g_variant_get_string (value, NULL));
  else
    return luaL_error (L, "internal.setting: %s is of type %s", key, g_variant_get_type_string (value));
  return 1;
}

/* internal.refresh_statusline(): every window renders its statusline again */
static int
l_refresh_statusline (lua_State *L)
{
  for (GList *l = the_app ? gtk_application_get_windows (the_app) : NULL; l != NULL; l = l->next)
    if (SMELT_IS_WINDOW (l->data))
      smelt_window_queue_statusline (SMELT_WINDOW (l->data));
  return 0;
}

/* internal.keymap_release(drop, typed): the key maps' timeout settled the
 * keys held: drop of them a map took, the next typed are typed, the rest
 * go through the key maps again */
static int
l_keymap_release (lua_State *L)
{
  lua_Integer drop = luaL_checkinteger (L, 1);
  lua_Integer typed = luaL_checkinteger (L, 2);
  SmeltTypeahead *keys = smelt_typeahead_get_default ();
  guint held = smelt_typeahead_n_held (keys);

  luaL_argcheck (L, drop >= 0 && drop <= held, 1, "more keys than are held");
  luaL_argcheck (L, typed >= 0 && drop + typed <= held, 2, "more keys than are held");
  smelt_typeahead_release (keys, (guint) drop, (guint) typed, NULL);
  return 0;
}

static const luaL_Reg internal_functions[] = {
  { "keymap_release", l_keymap_release },
  { "refresh_statusline", l_refresh_statusline },
  { "setting", l_setting },
  { "show_tasks_panel", l_show_tasks_panel },
  { NULL, NULL },
};

static void
open_ui (lua_State *L,
         int        internal_idx,
         gpointer   data)
{
  smelt_ui_open_buffers (L, internal_idx);
  smelt_ui_open_dialogs (L, internal_idx);
  smelt_ui_open_popups (L, internal_idx);
  lua_pushvalue (L, internal_idx);
  luaL_setfuncs (L, internal_functions, 0);
  lua_pop (L, 1);
}

/* ------------------------------------------------------- calls into Lua */

/* Pushes internal[name] on the main state, or returns FALSE. */
static gboolean
push_internal (SmeltHost  *host,
               const char *name)
{
  lua_State *L = smelt_host_get_lua (host);

  lua_getglobal (L, "smelt");
  if (!lua_istable (L, -1))
    {
      lua_pop (L, 1);
      return FALSE;
    }
  lua_pop (L, 1);
  lua_rawgeti (L, LUA_REGISTRYINDEX, smelt_host_get_internal_ref (host));
  lua_getfield (L, -1, name);
  lua_remove (L, -2);
  if (!lua_isfunction (L, -1))
    {
      lua_pop (L, 1);
      return FALSE;
    }
  return TRUE;
}

/* internal[name](buffer, flag[, path]), as plain code; errors are reported
 * as what */
static void
call_with_buffer (SmeltHost       *host,
                  const char      *name,
                  SmeltEditorPage *page,
                  gboolean         flag,
                  const char      *path,
                  const char      *what)
{
  lua_State *L = smelt_host_get_lua (host);

  if (!push_internal (host, name))
    return;
  smelt_ui_push_buffer (L, page);
  lua_pushboolean (L, flag);
  if (path != NULL)
    lua_pushstring (L, path);
  smelt_host_call_plain (host, path != NULL ? 3 : 2, what);
}

/**
 * smelt_ui_api_emit:
 * @host: the GUI's host
 * @event: the event's name ("buf-open", "cursor-moved", ...)
 * @page: (nullable): the buffer, as the event's `buf`
 * @key1: (nullable): an integer field of the event, or %NULL
 * @value1: its value
 * @key2: (nullable): a second integer field, or %NULL
 * @value2: its value
 *
 * smelt.emit(event, { buf = page, key1 = value1, key2 = value2 }).
 */
void
smelt_ui_api_emit (SmeltHost       *host,
                   const char      *event,
                   SmeltEditorPage *page,
                   const char      *key1,
                   int              value1,
                   const char      *key2,
                   int              value2)
{
  smelt_lua_buffer_emit (host, event, page ? smelt_editor_page_get_document (page) : NULL,
                         key1, value1, key2, value2);
}

/**
 * smelt_ui_api_save:
 * @host: the GUI's host
 * @page: the buffer to save
 * @then_quit: quit once it is written (`:wq`)
 *
 * `:w` and Ctrl+S: saves @page as a task, through its buf-write-pre and
 * buf-write-post handlers, and reports the result in the message area.
 */
void
smelt_ui_api_save (SmeltHost       *host,
                   SmeltEditorPage *page,
                   gboolean         then_quit)
{
  call_with_buffer (host, "save_buffer", page, then_quit, NULL, "save");
}

/**
 * smelt_ui_api_save_as:
 * @host: the GUI's host
 * @page: the buffer to save
 * @file: where to save it from now on
 * @overwrite: write over @file if it is another file that exists (`:w!
 *   PATH`, or Save As, whose chooser asked); else that is refused (E13)
 *
 * `:w PATH` and Save As: points @page at @file and saves it as
 * smelt_ui_api_save() does; when the save fails, @page keeps the file it
 * had (a typo in a path does not lose the buffer's own).
 */
void
smelt_ui_api_save_as (SmeltHost       *host,
                      SmeltEditorPage *page,
                      GFile           *file,
                      gboolean         overwrite)
{
  g_autofree char *path = g_file_get_path (file);
  lua_State *L = smelt_host_get_lua (host);

  if (path == NULL || !push_internal (host, "save_buffer"))
    return;
  smelt_ui_push_buffer (L, page);
  lua_pushboolean (L, FALSE);
  lua_pushstring (L, path);
  lua_pushboolean (L, overwrite);
  smelt_host_call_plain (host, 4, "save");
}

/**
 * smelt_ui_api_reload_buffer:
 * @host: the GUI's host
 * @page: the buffer to read again
 * @force: discard unsaved changes (`:e!`)
 *
 * `:e`: reads @page's file again; with unsaved changes it refuses, and says
 * so in the message area, unless @force.
 */
void
smelt_ui_api_reload_buffer (SmeltHost       *host,
                            SmeltEditorPage *page,
                            gboolean         force)
{
  call_with_buffer (host, "reload_buffer", page, force, NULL, "reload");
}

/* internal[name](a, b) with two strings, as plain code */
static void
call_with_strings (SmeltHost  *host,
                   const char *name,
                   const char *a,
                   const char *b,
                   const char *what)
{
  lua_State *L = smelt_host_get_lua (host);

  if (!push_internal (host, name))
    return;
  lua_pushstring (L, a);
  lua_pushstring (L, b);
  smelt_host_call_plain (host, 2, what);
}

/**
 * smelt_ui_api_open_file_encoded:
 * @host: the GUI's host
 * @path: the file
 * @encoding: the encoding to read it in ("latin1", "ISO-8859-1")
 *
 * `:e ++enc=ENC PATH`: opens @path read in @encoding (a buffer of it read
 * in another encoding is read again); failures go to the message area.
 */
void
smelt_ui_api_open_file_encoded (SmeltHost  *host,
                                const char *path,
                                const char *encoding)
{
  call_with_strings (host, "open_file_encoded", path, encoding, "open");
}

/**
 * smelt_ui_api_offer_latin1:
 * @host: the GUI's host
 * @path: a file that is not text in the encodings detected
 * @message: the load error ("could not open PATH: ...")
 *
 * Shows @message and asks whether to open @path as Latin-1.
 */
void
smelt_ui_api_offer_latin1 (SmeltHost  *host,
                           const char *path,
                           const char *message)
{
  call_with_strings (host, "offer_latin1", path, message, "open");
}

/**
 * smelt_ui_api_save_all:
 * @host: the GUI's host
 *
 * `:wa`: saves every buffer that has a file and unsaved changes, as
 * smelt_ui_api_save() saves one.
 */
void
smelt_ui_api_save_all (SmeltHost *host)
{
  if (push_internal (host, "save_all"))
    smelt_host_call_plain (host, 0, "save all");
}

/**
 * smelt_ui_api_close_buffer:
 * @host: the GUI's host
 * @page: the buffer to close
 * @force: close without asking about unsaved changes (`:bd!`)
 *
 * Ctrl+W, a tab's close button, `:bd`: closes @page's tab, asking first
 * when it has unsaved changes unless @force.
 */
void
smelt_ui_api_close_buffer (SmeltHost       *host,
                           SmeltEditorPage *page,
                           gboolean         force)
{
  call_with_buffer (host, "close_buffer", page, force, NULL, "close buffer");
}

/**
 * smelt_ui_api_close_requested:
 * @host: the GUI's host
 * @discard: quit without asking, unsaved changes and all (`:q!`)
 *
 * The window was asked to close (`:q`, Ctrl+Q, the close button): asks
 * about unsaved buffers unless @discard, then quits through the quit-pre
 * handlers.
 */
void
smelt_ui_api_close_requested (SmeltHost *host,
                              gboolean   discard)
{
  if (push_internal (host, "close_requested"))
    {
      lua_pushboolean (smelt_host_get_lua (host), discard);
      smelt_host_call_plain (host, 1, "close");
    }
}

/**
 * smelt_ui_api_feed_key:
 * @host: the GUI's host
 * @event: the key press
 * @token: @event in Neovim notation ("a", "<C-k>", "<CR>")
 *
 * Feeds a key press to the key maps, which hold it back while the keys so
 * far may still become a map, run the map typed, or type the keys that are
 * none (smelt-key-typeahead.c puts them back on GDK's queue, in order).
 *
 * Returns: whether the key maps took @event; %FALSE: GTK handles it now
 */
gboolean
smelt_ui_api_feed_key (SmeltHost  *host,
                       GdkEvent   *event,
                       const char *token)
{
  SmeltTypeahead *keys = smelt_typeahead_get_default ();
  lua_State *L = smelt_host_get_lua (host);
  int top = lua_gettop (L);
  guint held, drop = 0, typed;

  smelt_typeahead_hold (keys, event);
  held = smelt_typeahead_n_held (keys);
  typed = held;   /* unless the key maps say otherwise: all of them typed */
  if (push_internal (host, "keymap_feed"))
    {
      lua_pushstring (L, token);
      lua_pushinteger (L, held);
      if (smelt_host_call (host, 2, 2, "key map", SMELT_CALL_DEFAULT, NULL) &&
          lua_isinteger (L, -2) && lua_isinteger (L, -1) &&
          lua_tointeger (L, -2) >= 0 && lua_tointeger (L, -1) >= 0 &&
          lua_tointeger (L, -2) + lua_tointeger (L, -1) <= held)
        {
          drop = (guint) lua_tointeger (L, -2);
          typed = (guint) lua_tointeger (L, -1);
        }
    }
  lua_settop (L, top);
  return smelt_typeahead_release (keys, drop, typed, event);
}

/**
 * smelt_ui_api_complete:
 * @host: the GUI's host
 * @line: the command line typed so far, without its ":"
 *
 * Returns: (transfer full) (nullable): the completions of the command line's
 *   last word, through smelt.cmd.complete
 */
GStrv
smelt_ui_api_complete (SmeltHost  *host,
                       const char *line)
{
  lua_State *L = smelt_host_get_lua (host);
  int top = lua_gettop (L);
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv out;

  lua_getglobal (L, "smelt");
  if (lua_istable (L, -1))
    {
      lua_getfield (L, -1, "cmd");
      lua_getfield (L, -1, "complete");   /* stack: smelt, cmd, complete */
      lua_pushstring (L, line);
      if (smelt_host_call (host, 1, 1, "completion", SMELT_CALL_DEFAULT, NULL) && lua_istable (L, -1))
        {
          lua_Integer n = (lua_Integer) lua_rawlen (L, -1);

          for (lua_Integer i = 1; i <= n; i++)
            {
              lua_rawgeti (L, -1, i);
              if (lua_isstring (L, -1))
                g_strv_builder_add (builder, lua_tostring (L, -1));
              lua_pop (L, 1);
            }
        }
    }
  lua_settop (L, top);
  out = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return out;
}

/**
 * smelt_ui_api_render_statusline:
 * @host: the GUI's host
 * @page: the current buffer
 *
 * @items: (out) (transfer full) (nullable): what the runtime's statusline
 *   items show after it ("E1 W2": the diagnostics), or %NULL
 *
 * Returns: (transfer full) (nullable): the statusline a plugin rendered
 *   with smelt.statusline.set, or %NULL for the default one
 */
char *
smelt_ui_api_render_statusline (SmeltHost       *host,
                                SmeltEditorPage *page,
                                char           **items)
{
  lua_State *L = smelt_host_get_lua (host);
  int top = lua_gettop (L);
  char *out = NULL;

  *items = NULL;
  if (!push_internal (host, "render_statusline"))
    return NULL;
  smelt_ui_push_buffer (L, page);
  if (smelt_host_call (host, 1, 2, "statusline", SMELT_CALL_DEFAULT, NULL))
    {
      if (lua_isstring (L, -2))
        out = g_strdup (lua_tostring (L, -2));
      if (lua_isstring (L, -1) && *lua_tostring (L, -1) != '\0')
        *items = g_strdup (lua_tostring (L, -1));
    }
  lua_settop (L, top);
  return out;
}

/**
 * smelt_ui_api_install:
 * @host: the GUI's host, before its runtime is loaded
 * @app: the application whose windows Lua calls act on
 *
 * Installs the UI tier (dialogs, buffers, the Tasks panel) into the host's
 * `internal` table when it opens its runtime.
 */
void
smelt_ui_api_install (SmeltHost      *host,
                      GtkApplication *app)
{
  the_app = app;
  smelt_host_set_ui_opener (host, open_ui, NULL);
}

/* internal[field] = value, a string or an integer */
static void
set_internal_field (SmeltHost  *host,
                    const char *field,
                    const char *string,
                    lua_Integer integer)
{
  lua_State *L = smelt_host_get_lua (host);

  lua_rawgeti (L, LUA_REGISTRYINDEX, smelt_host_get_internal_ref (host));
  if (string != NULL)
    lua_pushstring (L, string);
  else
    lua_pushinteger (L, integer);
  lua_setfield (L, -2, field);
  lua_pop (L, 1);
}

/**
 * smelt_ui_api_set_leader:
 * @host: the GUI's host
 * @leader: the key `<leader>` stands for in key maps (GSettings "leader")
 */
void
smelt_ui_api_set_leader (SmeltHost  *host,
                         const char *leader)
{
  set_internal_field (host, "leader", leader, 0);
}

/**
 * smelt_ui_api_set_timeoutlen:
 * @host: the GUI's host
 * @ms: how long a key that starts a key map waits for the next one
 *   (GSettings "timeoutlen"), as smelt.keymap.timeoutlen(ms) sets it
 */
void
smelt_ui_api_set_timeoutlen (SmeltHost *host,
                             guint      ms)
{
  set_internal_field (host, "timeoutlen", NULL, ms);
}

static const luaL_Reg test_functions[] = {
  { "task_cancel_point", l_task_cancel_point },
  { "task_row_text", l_task_row_text },
  { "reload_question", l_reload_question },
  { "reload_button_point", l_reload_button_point },
  { "tab_point", l_tab_point },
  { "text_point", l_text_point },
  { "hover_text", l_hover_text },
  { "hover_texts", l_hover_texts },
  { "completion_rows", l_completion_rows },
  { "completion_details", l_completion_details },
  { "completion_open_details", l_completion_open_details },
  { "message", l_message },
  { "message_point", l_message_point },
  { "message_truncated", l_message_truncated },
  { "message_whole", l_message_whole },
  { "busy", l_busy },
  { "statusline", l_statusline },
  { "command_line", l_command_line },
  { "complete", l_complete },
  { "focus_widget", l_focus_widget },
  { "window_xid", l_window_xid },
  { "close_window", l_close_window },
  { "toplevels", l_toplevels },
  { "picker", l_picker },
  { "popup", l_popup },
  { "set_setting", l_set_setting },
  { "style_scheme", l_style_scheme },
  { "hl_background", l_hl_background },
  { "wraps", l_wraps },
  { "line_height", l_line_height },
  { "frames_start", l_frames_start },
  { "frames_stop", l_frames_stop },
  { "view_count", l_view_count },
  { "top_line", l_top_line },
  { NULL, NULL },
};

/**
 * smelt_ui_api_install_test_hooks:
 * @host: the GUI's host
 *
 * For `--test-script` only: a global table `smelt_test` with what a GUI test
 * needs beyond the public API: `task_cancel_point(id)` (where on the
 * screen the Tasks panel's Cancel button for task id is, or nil), so the
 * test can click it with real pointer events; `task_row_text(id)` (what
 * that row says, or nil); `message()`
 * (the message area's line); `message_point()` (where the line is on the
 * screen, to click it); `message_truncated()` (whether it shows less than
 * the whole message); `message_whole()` (the whole message its popover
 * shows, nil while closed); `busy()` (the name beside the statusline's
 * spinner, nil when hidden); `statusline()` (its text); `command_line()` (the open command line's
 * text, nil when closed); `complete(line)` (what Tab offers for a command
 * line, as a list); `focus_widget()` (the type of the widget with
 * the keyboard); `window_xid()` (the editor window's X11 id);
 * `tab_point(buf)` (where the buffer's tab is on the screen);
 * `text_point(buf, line, col)` (where a character of its view is);
 * `hover_text()` (the marks' message the hover popover shows, or nil);
 * `hl_background(buf, name)` (the background a highlight draws with);
 * `toplevels()` (each toplevel's title and state, for diagnostics);
 * `close_window(title)` (closes a toplevel as a
 * window manager would); `set_setting(key, value)`, `style_scheme()`,
 * `wraps()` and `line_height()`; `frames_start()` and `frames_stop()` (the
 * editor window's frames begun meanwhile and the longest gap between two, ms);
 * `view_count()` (the text views alive); `top_line()` (the first line
 * the current view shows).
 */
void
smelt_ui_api_install_test_hooks (SmeltHost *host)
{
  lua_State *L;

  g_return_if_fail (SMELT_IS_HOST (host));

  L = smelt_host_get_lua (host);
  luaL_newlib (L, test_functions);
  lua_setglobal (L, "smelt_test");
}
