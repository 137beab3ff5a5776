/* smelt-window-command-line.c: the window's keyboard: key maps first, then the command line (":", Ctrl+;) and its completion
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smelt-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "smelt-command-complete.h"
#include "smelt-embed.h"
#include "smelt-key-typeahead.h"
#include "smelt-search-bar.h"
#include "smelt-ui-api.h"
#include "smelt-window-private.h"

/**
 * smelt_window_run_command_line:
 * @self: a #SmeltWindow
 * @line: a command line, with or without its ":"
 *
 * Runs `:w`, `:w PATH`, `:w! PATH`, `:wq`, `:wa`, `:e PATH`, `:e` and `:e!` (read the
 * file again), `:e ++enc=ENC [PATH]` (read PATH, or the buffer's file, in
 * ENC), `:bd`, `:bd!`, `:q`, `:q!`, `:N`
 * (go to line N), or any smelt command (`Lua code`, plugin commands);
 * errors go to the message area.
 */
void
smelt_window_run_command_line (SmeltWindow *self,
                               const char  *line)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (line[0] == ':' ? line + 1 : line));
  SmeltEditorPage *page = smelt_window_get_current_page (self);
  g_autoptr(GError) error = NULL;

  if (*trimmed == '\0')
    return;
  if (g_str_equal (trimmed, "w") || g_str_equal (trimmed, "wq"))
    {
      if (page != NULL && smelt_editor_page_get_file (page) == NULL && g_str_equal (trimmed, "w"))
        gtk_widget_activate_action (GTK_WIDGET (self), "win.save-as", NULL);   /* asks where */
      else if (page != NULL)
        smelt_ui_api_save (self->host, page, g_str_equal (trimmed, "wq"));
      return;
    }
  if (g_str_has_prefix (trimmed, "w ") || g_str_has_prefix (trimmed, "w! "))
    {
      gboolean overwrite = trimmed[1] == '!';
      g_autoptr(GFile) file = smelt_command_path_to_file (g_strstrip (trimmed + (overwrite ? 3 : 2)));

      /* saves as PATH, through buf-write-pre and buf-write-post like :w;
       * onto another file that exists only with :w! */
      if (page != NULL)
        smelt_ui_api_save_as (self->host, page, file, overwrite);
      return;
    }
  if (g_str_equal (trimmed, "e") || g_str_equal (trimmed, "e!"))
    {
      if (page != NULL)
        smelt_ui_api_reload_buffer (self->host, page, trimmed[1] == '!');
      return;
    }
  if (g_str_equal (trimmed, "wa"))
    {
      smelt_ui_api_save_all (self->host);
      return;
    }
  if (g_str_has_prefix (trimmed, "e ++enc=") || g_str_has_prefix (trimmed, "e ++encoding="))
    {
      const char *encoding = strchr (trimmed, '=') + 1;
      const char *rest = encoding + strcspn (encoding, " \t");
      g_autofree char *name = g_strndup (encoding, (gsize) (rest - encoding));
      g_autofree char *path_arg = g_strstrip (g_strdup (rest));
      g_autoptr(GFile) file = NULL;
      g_autofree char *path = NULL;

      /* no PATH: the buffer's own file, read again in ENC (as Vim's :e ++enc) */
      if (*path_arg != '\0')
        file = smelt_command_path_to_file (path_arg);
      else if (page != NULL && smelt_editor_page_get_file (page) != NULL)
        file = g_object_ref (smelt_editor_page_get_file (page));
      path = file ? g_file_get_path (file) : NULL;
      if (path == NULL || *name == '\0')
        smelt_host_notify (self->host, SMELT_LEVEL_ERROR, _(":e ++enc=ENC PATH: which encoding, which file?"));
      else
        smelt_ui_api_open_file_encoded (self->host, path, name);
      return;
    }
  if (g_str_has_prefix (trimmed, "e "))
    {
      g_autoptr(GFile) file = smelt_command_path_to_file (g_strstrip (trimmed + 2));

      smelt_window_open_file (self, file);
      return;
    }
  if (g_str_equal (trimmed, "bd") || g_str_equal (trimmed, "bd!"))
    {
      if (page != NULL)
        smelt_ui_api_close_buffer (self->host, page, trimmed[2] == '!');
      return;
    }
  if (g_str_equal (trimmed, "q") || g_str_equal (trimmed, "q!"))
    {
      smelt_ui_api_close_requested (self->host, trimmed[1] == '!');
      return;
    }
  if (g_ascii_isdigit (trimmed[0]) && trimmed[strspn (trimmed, "0123456789")] == '\0')
    {
      if (page != NULL)
        smelt_editor_page_go_to_line (page, (int) MIN (g_ascii_strtoull (trimmed, NULL, 10), G_MAXINT));
      return;
    }
  if (!smelt_host_run_command (self->host, trimmed, &error))
    smelt_host_notify (self->host, SMELT_LEVEL_ERROR, error->message);   /* shown, and in :Messages */
}

/* The command line's history: the lines run, oldest first, each once (a
 * line run again moves to the end), at most HISTORY_MAX. */
#define HISTORY_MAX 100

static void
remember_line (SmeltWindow *self,
               const char  *text)
{
  const char *line = text[0] == ':' ? text + 1 : text;
  guint i;

  if (*line == '\0')
    return;
  if (self->history == NULL)
    self->history = g_ptr_array_new_with_free_func (g_free);
  if (g_ptr_array_find_with_equal_func (self->history, line, g_str_equal, &i))
    g_ptr_array_remove_index (self->history, i);
  if (self->history->len == HISTORY_MAX)
    g_ptr_array_remove_index (self->history, 0);
  g_ptr_array_add (self->history, g_strdup (line));
}

/* Up (step -1) and Down (+1) walk the history; past the newest line the
 * command line is empty again, as in Neovim. */
static void
walk_history (SmeltWindow *self,
              int          step)
{
  guint len = self->history ? self->history->len : 0;
  g_autofree char *text = NULL;

  if (len == 0 || (step < 0 && self->history_pos == 0) || (step > 0 && self->history_pos >= len))
    return;
  self->history_pos += step;
  text = g_strconcat (":", self->history_pos < len ? (char *) g_ptr_array_index (self->history, self->history_pos) : "", NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->command), text);
  gtk_editable_set_position (GTK_EDITABLE (self->command), -1);
}

void
smelt_window_on_command_activate (GtkEntry    *entry,
                                  SmeltWindow *self)
{
  g_autofree char *line = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  SmeltEditorPage *page = smelt_window_get_current_page (self);

  remember_line (self, line);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_set_visible (GTK_WIDGET (entry), FALSE);
  if (page != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (smelt_editor_page_get_view (page)));
  smelt_window_run_command_line (self, line);
}

/**
 * smelt_window_focus_command_line:
 * @self: a #SmeltWindow
 *
 * Opens the command line with ":" in it and gives it the keyboard.
 */
void
smelt_window_focus_command_line (SmeltWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->command), TRUE);
  self->history_pos = self->history ? self->history->len : 0;
  gtk_editable_set_text (GTK_EDITABLE (self->command), ":");
  gtk_widget_grab_focus (GTK_WIDGET (self->command));
  gtk_editable_set_position (GTK_EDITABLE (self->command), -1);
}

/**
 * smelt_window_dup_command_line:
 * @self: a #SmeltWindow
 *
 * Returns: (transfer full) (nullable): what the command line says while it
 *   is open (":w notes.txt"), or %NULL when it is closed
 */
char *
smelt_window_dup_command_line (SmeltWindow *self)
{
  g_return_val_if_fail (SMELT_IS_WINDOW (self), NULL);

  if (self->command == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->command)))
    return NULL;
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->command)));
}

gboolean
smelt_window_command_line_shortcut (GtkWidget *widget,
                                    GVariant  *args,
                                    gpointer   user_data)
{
  smelt_window_focus_command_line (SMELT_WINDOW (widget));
  return TRUE;
}

/* Fills the completions of text (what the command line said when Tab was
 * pressed) in: several candidates are listed in the message area and their
 * common prefix is filled in. */
static void
apply_completion (SmeltWindow *self,
                  const char  *text,
                  GStrv        candidates)
{
  const char *line = text[0] == ':' ? text + 1 : text;
  g_autofree char *prefix = NULL;
  g_autofree char *joined = NULL;
  const char *word_start;
  guint n = candidates ? g_strv_length (candidates) : 0;

  if (n == 0)
    return;
  prefix = g_strdup (candidates[0]);
  for (guint i = 1; i < n; i++)
    {
      guint k = 0;

      while (prefix[k] != '\0' && prefix[k] == candidates[i][k])
        k++;
      prefix[k] = '\0';
    }
  word_start = strrchr (line, ' ');
  word_start = word_start ? word_start + 1 : line;
  {
    g_autofree char *head = g_strndup (text, word_start - text);
    /* one candidate: done, a space after it (but a directory goes on) */
    gboolean done = n == 1 && !g_str_has_suffix (prefix, "/");
    g_autofree char *completed = g_strconcat (head, prefix, done ? " " : "", NULL);

    gtk_editable_set_text (GTK_EDITABLE (self->command), completed);
    gtk_editable_set_position (GTK_EDITABLE (self->command), -1);
  }
  if (n > 1)
    {
      /* paths are listed by their last part ("notes.txt  src/"), as Neovim does */
      g_autofree const char **shown = g_new0 (const char *, n + 1);

      for (guint i = 0; i < n; i++)
        {
          const char *c = candidates[i];
          const char *end = c + strlen (c) - (g_str_has_suffix (c, "/") ? 1 : 0);
          const char *slash = g_strrstr_len (c, end - c, "/");

          shown[i] = slash ? slash + 1 : c;
        }
      joined = g_strjoinv ("  ", (char **) shown);
      smelt_window_show_message (self, "info", joined, NULL);
    }
}

typedef struct
{
  GWeakRef  window;
  char     *text;   /* the command line when Tab was pressed */
} Completing;

static void
completed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Completing *c = user_data;
  g_autoptr(SmeltWindow) self = g_weak_ref_get (&c->window);
  g_auto(GStrv) candidates = smelt_command_complete_finish (result, NULL);

  /* still open, and still saying what was completed: else the answer is stale */
  if (self != NULL && candidates != NULL && self->command != NULL &&
      gtk_widget_get_visible (GTK_WIDGET (self->command)) &&
      g_str_equal (gtk_editable_get_text (GTK_EDITABLE (self->command)), c->text))
    apply_completion (self, c->text, candidates);
  g_weak_ref_clear (&c->window);
  g_free (c->text);
  g_free (c);
}

/* Tab: complete the command line through smelt.cmd.complete (command names,
 * then what the command's `complete` option gives) and, for :e and :w, the
 * paths read in a worker thread; a Tab pressed again first drops the
 * answer still coming. */
static void
complete_command_line (SmeltWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->command));
  Completing *c = g_new0 (Completing, 1);

  g_weak_ref_init (&c->window, self);
  c->text = g_strdup (text);
  if (self->completing != NULL)
    g_cancellable_cancel (self->completing);
  g_clear_object (&self->completing);
  self->completing = g_cancellable_new ();
  smelt_command_complete_async (self->host, text[0] == ':' ? text + 1 : text, self->completing,
                                completed_cb, c);
}

gboolean
smelt_window_on_command_key (GtkEventControllerKey *controller,
                             guint                  keyval,
                             guint                  keycode,
                             GdkModifierType        state,
                             SmeltWindow           *self)
{
  if (keyval == GDK_KEY_Tab)
    {
      complete_command_line (self);
      return TRUE;
    }
  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_Down)
    {
      walk_history (self, keyval == GDK_KEY_Up ? -1 : 1);
      return TRUE;
    }
  if (keyval == GDK_KEY_Escape)
    {
      SmeltEditorPage *page = smelt_window_get_current_page (self);

      gtk_widget_set_visible (GTK_WIDGET (self->command), FALSE);
      if (page != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (smelt_editor_page_get_view (page)));
      return TRUE;
    }
  return FALSE;
}

/* A key press as Neovim writes it: "a", "<C-k>", "<CR>", "<A-x>", "<S-Tab>". */
static char *
key_token (guint           keyval,
           GdkModifierType state)
{
  static const struct { guint keyval; const char *name; } specials[] = {
    { GDK_KEY_Return, "CR" }, { GDK_KEY_KP_Enter, "CR" }, { GDK_KEY_Escape, "Esc" },
    { GDK_KEY_Tab, "Tab" }, { GDK_KEY_ISO_Left_Tab, "Tab" }, { GDK_KEY_BackSpace, "BS" },
    { GDK_KEY_space, "Space" }, { GDK_KEY_Up, "Up" }, { GDK_KEY_Down, "Down" },
    { GDK_KEY_Left, "Left" }, { GDK_KEY_Right, "Right" }, { GDK_KEY_Delete, "Del" },
  };
  const char *special = NULL;
  GString *mods = g_string_new (NULL);
  gunichar ch = gdk_keyval_to_unicode (keyval);
  char buf[8] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (specials); i++)
    if (specials[i].keyval == keyval)
      special = specials[i].name;
  if (special == NULL && keyval >= GDK_KEY_F1 && keyval <= GDK_KEY_F12)
    {
      g_snprintf (buf, sizeof buf, "F%u", keyval - GDK_KEY_F1 + 1);
      special = buf;
    }
  if (state & GDK_CONTROL_MASK)
    g_string_append (mods, "C-");
  if (state & GDK_ALT_MASK)
    g_string_append (mods, "A-");
  if ((state & GDK_SHIFT_MASK) && special != NULL)
    g_string_append (mods, "S-");

  if (special == NULL)
    {
      if (ch == 0 || g_unichar_iscntrl (ch))
        {
          g_string_free (mods, TRUE);
          return NULL;   /* a modifier alone, and the like */
        }
      if (mods->len > 0)
        ch = g_unichar_tolower (ch);
      g_unichar_to_utf8 (ch, buf);
      special = buf;
      if (mods->len == 0)
        {
          g_string_free (mods, TRUE);
          return g_strdup (buf);
        }
    }
  {
    char *token = g_strdup_printf ("<%s%s>", mods->str, special);

    g_string_free (mods, TRUE);
    return token;
  }
}

gboolean
smelt_window_on_window_key (GtkEventControllerKey *controller,
                            guint                  keyval,
                            guint                  keycode,
                            GdkModifierType        state,
                            SmeltWindow           *self)
{
  g_autofree char *token = key_token (keyval, state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK));
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (token == NULL || self->host == NULL || event == NULL)
    return FALSE;
  /* keys the key maps held back and typed now, in the order typed */
  switch (smelt_typeahead_claim (smelt_typeahead_get_default (), event))
    {
    case SMELT_TYPEAHEAD_TYPE:
      return FALSE;
    case SMELT_TYPEAHEAD_LATER:
      return TRUE;
    case SMELT_TYPEAHEAD_FRESH:
    case SMELT_TYPEAHEAD_FEED:
    default:
      break;
    }
  /* with keys held back for a key map, this one settles them first: it
   * comes back (FEED) once they are typed, if it is not a map's */
  if (smelt_typeahead_n_held (smelt_typeahead_get_default ()) > 0)
    return smelt_ui_api_feed_key (self->host, event, token);
  /* the entry's own GtkText child holds the focus while the command line is
   * typed into: its keys are text, never key maps */
  if ((focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->command))) ||
      (self->search_bar != NULL && smelt_search_bar_has_focus (self->search_bar)))
    return FALSE;
  /* Ctrl+; opens the command line anywhere; caught here, in the capture
   * phase, because GtkTextView binds the same key to its emoji chooser */
  if (g_str_equal (token, "<C-;>"))
    {
      smelt_window_focus_command_line (self);
      return TRUE;
    }
  /* ":" opens the command line when the text is not being typed into */
  if (g_str_equal (token, ":"))
    {
      if (focus == NULL || !GTK_IS_TEXT_VIEW (focus))
        {
          smelt_window_focus_command_line (self);
          return TRUE;
        }
    }
  return smelt_ui_api_feed_key (self->host, event, token);
}
