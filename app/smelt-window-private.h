/* smelt-window-private.h: what the files of the main window share: its fields, and the functions each gives the others
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "smelt-message-area.h"
#include "smelt-search-bar.h"
#include "smelt-workspace.h"
#include "smelt-tasks-panel.h"
#include "smelt-completion-provider.h"
#include "smelt-hover-provider.h"
#include "smelt-window.h"

G_BEGIN_DECLS

struct _SmeltWindow
{
  GtkApplicationWindow parent_instance;

  SmeltHost       *host;
  SmeltWorkspace  *workspace;       /* (owned): the documents the window shows */
  GHashTable      *pages;           /* (owned): SmeltDocument -> its SmeltEditorPage */
  SmeltCompletionProvider *completion; /* (owned): Lua's completion, on every page's view */
  SmeltHoverProvider *hover;        /* (owned): marks' messages and Lua's hover, on every page's view */
  /* from the template, data/ui/smelt-window.ui */
  GtkNotebook     *notebook;
  GtkLabel        *statusline;
  SmeltMessageArea *message;
  GtkEntry        *command;
  GtkSpinner      *spinner;
  GtkLabel        *busy_label;
  SmeltTasksPanel *tasks_panel;
  SmeltSearchBar  *search_bar;

  guint            tick_id;
  guint            text_changed_id;
  GHashTable      *changed_pages;   /* (owned): the pages changed since the last text-changed */
  gint64           first_change_us; /* monotonic time of the first of those changes */
  guint            statusline_id;
  GPtrArray       *history;         /* (owned) (nullable): the command lines run, oldest first */
  guint            history_pos;     /* where Up and Down are in it */
  GCancellable    *completing;      /* (owned) (nullable): the Tab completion under way */
};

/* smelt-window-command-line.c: template callbacks and the Ctrl+; binding */
void     smelt_window_on_command_activate   (GtkEntry              *entry,
                                             SmeltWindow           *self);
gboolean smelt_window_on_command_key        (GtkEventControllerKey *controller,
                                             guint                  keyval,
                                             guint                  keycode,
                                             GdkModifierType        state,
                                             SmeltWindow           *self);
gboolean smelt_window_on_window_key         (GtkEventControllerKey *controller,
                                             guint                  keyval,
                                             guint                  keycode,
                                             GdkModifierType        state,
                                             SmeltWindow           *self);
gboolean smelt_window_command_line_shortcut (GtkWidget             *widget,
                                             GVariant              *args,
                                             gpointer               user_data);

/* smelt-window-actions.c */
void     smelt_window_class_add_actions     (GtkWidgetClass        *widget_class);

/* smelt-window-drop.c */
void     smelt_window_add_file_drop         (SmeltWindow           *self);

G_END_DECLS
