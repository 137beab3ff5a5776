/* smelt-ui-dialogs.c: smelt.ui.input, confirm and select: dialogs that park the calling task
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each call opens a SmeltPromptDialog and parks the calling task on a
 * pending op; the dialog's "answered" signal completes it.  If the task is
 * cancelled (a timeout, a race, the Tasks panel), the op's on_cancel
 * withdraws the dialog; a dialog closed or dismissed, or open when the
 * window closes, answers nil (false for confirm).
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <lauxlib.h>

#include <glib/gi18n.h>

#include "smelt-embed.h"
#include "smelt-prompt-dialog.h"
#include "smelt-ui-private.h"

typedef struct
{
  SmeltPendingOp    *op;        /* the dialog's ref */
  guint64            task_id;   /* the task that asked */
  SmeltPromptKind    kind;
  SmeltPromptDialog *dialog;
} DialogOp;

typedef struct
{
  SmeltPromptKind kind;
  gboolean        accepted;
  const char     *text;
  int             index;
} Answer;

/* the dialogs shown and not yet gone (DialogOp*): a task's wait on the user
 * does not count against the buf-write-pre bound (ui.lua); the GUI has one
 * host */
static GPtrArray *open_dialogs;

static void
push_answer (lua_State *L,
             gpointer   data)
{
  Answer *a = data;

  switch (a->kind)
    {
    case SMELT_PROMPT_INPUT:
      if (a->accepted && a->text != NULL)
        lua_pushstring (L, a->text);
      else
        lua_pushnil (L);
      break;
    case SMELT_PROMPT_CONFIRM:
      lua_pushboolean (L, a->accepted);
      break;
    case SMELT_PROMPT_SELECT:
    default:
      if (a->accepted && a->index > 0)
        lua_pushinteger (L, a->index);
      else
        lua_pushnil (L);
      break;
    }
}

static void
on_answered (SmeltPromptDialog *dialog,
             gboolean           accepted,
             const char        *text,
             int                index,
             DialogOp          *op)
{
  Answer answer = { op->kind, accepted, text, index };

  smelt_pending_op_complete (op->op, push_answer, &answer, FALSE);
}

/* The waiting task was cancelled: the dialog goes, unanswered. */
static void
on_cancel (SmeltPendingOp *pending)
{
  DialogOp *op = pending->data;

  if (op != NULL)
    smelt_prompt_dialog_withdraw (op->dialog);
}

static void
dialog_op_free (DialogOp *op)
{
  g_ptr_array_remove_fast (open_dialogs, op);
  op->op->data = NULL;
  smelt_pending_op_unref (op->op);
  g_free (op);
}

/* Raises (before anything is made) when the caller cannot park or there is
 * no window; otherwise makes the dialog. */
static DialogOp *
dialog_op_new (lua_State       *L,
               SmeltPromptKind  kind,
               const char      *fname,
               const char      *title,
               const char      *prompt,
               SmeltTask      **task)
{
  SmeltScheduler *sched = smelt_host_get_scheduler (smelt_host_from_lua (L));
  SmeltWindow *parent;
  DialogOp *op;

  *task = smelt_scheduler_check_park (sched, L, fname);
  parent = smelt_ui_current_window (L, fname);
  op = g_new0 (DialogOp, 1);
  op->op = smelt_pending_op_new (sched, fname);   /* parking drops this ref */
  op->op->on_cancel = on_cancel;
  op->op->data = op;
  smelt_pending_op_ref (op->op);                   /* the dialog's */
  op->kind = kind;
  op->dialog = smelt_prompt_dialog_new (GTK_WINDOW (parent), kind, title, prompt);
  g_signal_connect (op->dialog, "answered", G_CALLBACK (on_answered), op);
  g_signal_connect_swapped (op->dialog, "destroy", G_CALLBACK (dialog_op_free), op);
  op->task_id = (*task)->id;
  if (open_dialogs == NULL)
    open_dialogs = g_ptr_array_new ();
  g_ptr_array_add (open_dialogs, op);
  return op;
}

static int
park_on_dialog (lua_State *L,
                DialogOp  *op)
{
  gtk_window_present (GTK_WINDOW (op->dialog));
  return smelt_pending_op_park (op->op, L);
}

/* internal.ui_input(prompt, default) */
static int
l_ui_input (lua_State *L)
{
  const char *prompt = luaL_checkstring (L, 1);
  const char *initial = luaL_checkstring (L, 2);
  SmeltTask *task;
  DialogOp *op = dialog_op_new (L, SMELT_PROMPT_INPUT, "smelt.ui.input", prompt, prompt, &task);

  smelt_prompt_dialog_set_text (op->dialog, initial);
  return park_on_dialog (L, op);
}

/* internal.ui_confirm(message, ok, cancel): nil labels keep OK and Cancel */
static int
l_ui_confirm (lua_State *L)
{
  const char *message = luaL_checkstring (L, 1);
  const char *ok = luaL_optstring (L, 2, _("OK"));
  const char *cancel = luaL_optstring (L, 3, _("Cancel"));
  SmeltTask *task;
  DialogOp *op = dialog_op_new (L, SMELT_PROMPT_CONFIRM, "smelt.ui.confirm", _("Confirm"), message, &task);

  smelt_prompt_dialog_set_buttons (op->dialog, ok, cancel);
  return park_on_dialog (L, op);
}

/* internal.ui_select(prompt, labels) */
static int
l_ui_select (lua_State *L)
{
  const char *prompt = luaL_checkstring (L, 1);
  SmeltTask *task;
  DialogOp *op;
  lua_Integer n;

  luaL_checktype (L, 2, LUA_TTABLE);
  n = luaL_len (L, 2);
  for (lua_Integer i = 1; i <= n; i++)
    {
      lua_rawgeti (L, 2, i);
      if (lua_type (L, -1) != LUA_TSTRING)
        return smelt_lua_arg_error (L, 2, "smelt.ui.select", "item %d's label is not a string", (int) i);
      lua_pop (L, 1);
    }
  op = dialog_op_new (L, SMELT_PROMPT_SELECT, "smelt.ui.select", prompt, prompt, &task);
  for (lua_Integer i = 1; i <= n; i++)
    {
      lua_rawgeti (L, 2, i);
      smelt_prompt_dialog_add_item (op->dialog, lua_tostring (L, -1));
      lua_pop (L, 1);
    }
  return park_on_dialog (L, op);
}

/* internal.dialog_askers(): the ids of the tasks whose dialogs wait on the
 * user now, as a list */
static int
l_dialog_askers (lua_State *L)
{
  guint n = open_dialogs ? open_dialogs->len : 0;

  lua_createtable (L, (int) n, 0);
  for (guint i = 0; i < n; i++)
    {
      DialogOp *op = g_ptr_array_index (open_dialogs, i);

      lua_pushinteger (L, (lua_Integer) op->task_id);
      lua_rawseti (L, -2, i + 1);
    }
  return 1;
}

/* internal.dismiss_dialogs(): the window is closing: every plugin dialog
 * still open answers as if closed, so the tasks that asked get nil (false
 * for confirm) and run on through the quit-pre handlers */
static int
l_dismiss_dialogs (lua_State *L)
{
  g_autoptr(GPtrArray) dialogs = g_ptr_array_new_with_free_func (g_object_unref);

  /* answering destroys the dialog, which takes it out of open_dialogs */
  for (guint i = 0; open_dialogs != NULL && i < open_dialogs->len; i++)
    g_ptr_array_add (dialogs, g_object_ref (((DialogOp *) g_ptr_array_index (open_dialogs, i))->dialog));
  for (guint i = 0; i < dialogs->len; i++)
    smelt_prompt_dialog_dismiss (g_ptr_array_index (dialogs, i));
  return 0;
}

static const luaL_Reg dialog_functions[] = {
  { "ui_input", l_ui_input },
  { "ui_confirm", l_ui_confirm },
  { "ui_select", l_ui_select },
  { "dialog_askers", l_dialog_askers },
  { "dismiss_dialogs", l_dismiss_dialogs },
  { NULL, NULL },
};

/**
 * smelt_ui_open_dialogs:
 * @L: the host's Lua state
 * @internal_idx: the stack index of the `internal` table
 *
 * Adds internal.ui_input, ui_confirm, ui_select, dialog_askers and
 * dismiss_dialogs.
 */
void
smelt_ui_open_dialogs (lua_State *L,
                       int        internal_idx)
{
  lua_pushvalue (L, internal_idx);
  luaL_setfuncs (L, dialog_functions, 0);
  lua_pop (L, 1);
}
