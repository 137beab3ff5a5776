/* smelt-ui-dialogs.c: smelt.ui.input, confirm and select: dialogs that park the calling task
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each call opens a SmeltPromptDialog (a SmeltPicker for select) and
 * parks the calling task on a pending op; the dialog's "answered" signal completes it.  If the task is
 * cancelled (a timeout, a race, the Tasks panel), the op's on_cancel
 * withdraws the dialog; a dialog closed or dismissed, or open when the
 * window closes, answers nil (false for confirm).
 */

#define G_LOG_DOMAIN "smelt-ui"

#include "config.h"

#include <lauxlib.h>

#include <glib/gi18n.h>

#include "smelt-embed.h"
#include "smelt-picker.h"
#include "smelt-prompt-dialog.h"
#include "smelt-ui-private.h"

typedef struct
{
  SmeltPendingOp    *op;        /* the dialog's ref */
  guint64            task_id;   /* the task that asked */
  SmeltPromptKind    kind;
  GtkWindow         *dialog;    /* a SmeltPromptDialog, or a SmeltPicker for select */
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

/* the dialog goes without an answer */
static void
withdraw (GtkWindow *dialog)
{
  if (SMELT_IS_PICKER (dialog))
    smelt_picker_withdraw (SMELT_PICKER (dialog));
  else
    smelt_prompt_dialog_withdraw (SMELT_PROMPT_DIALOG (dialog));
}

/* the dialog answers as if closed */
static void
dismiss (GtkWindow *dialog)
{
  if (SMELT_IS_PICKER (dialog))
    smelt_picker_dismiss (SMELT_PICKER (dialog));
  else
    smelt_prompt_dialog_dismiss (SMELT_PROMPT_DIALOG (dialog));
}

static void
on_answered (GtkWindow         *dialog,
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
    withdraw (op->dialog);
}

static void
dialog_op_free (DialogOp *op)
{
  g_ptr_array_remove_fast (open_dialogs, op);
  op->op->data = NULL;
  smelt_pending_op_unref (op->op);
  g_free (op);
}

/* The pending op of dialog (made, not yet shown), for the calling task,
 * which must be able to park (checked before). */
static DialogOp *
dialog_op_wrap (lua_State       *L,
                SmeltPromptKind  kind,
                const char      *fname,
                GtkWindow       *dialog,
                SmeltTask       *task)
{
  SmeltScheduler *sched = smelt_host_get_scheduler (smelt_host_from_lua (L));
  DialogOp *op;

  op = g_new0 (DialogOp, 1);
  op->op = smelt_pending_op_new (sched, fname);   /* parking drops this ref */
  op->op->on_cancel = on_cancel;
  op->op->data = op;
  smelt_pending_op_ref (op->op);                   /* the dialog's */
  op->kind = kind;
  op->dialog = dialog;
  g_signal_connect (op->dialog, "answered", G_CALLBACK (on_answered), op);
  g_signal_connect_swapped (op->dialog, "destroy", G_CALLBACK (dialog_op_free), op);
  op->task_id = task->id;
  if (open_dialogs == NULL)
    open_dialogs = g_ptr_array_new ();
  g_ptr_array_add (open_dialogs, op);
  return op;
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

  *task = smelt_scheduler_check_park (sched, L, fname);
  parent = smelt_ui_current_window (L, fname);
  return dialog_op_wrap (L, kind, fname,
                         GTK_WINDOW (smelt_prompt_dialog_new (GTK_WINDOW (parent), kind, title, prompt)), *task);
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

  smelt_prompt_dialog_set_text (SMELT_PROMPT_DIALOG (op->dialog), initial);
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

  smelt_prompt_dialog_set_buttons (SMELT_PROMPT_DIALOG (op->dialog), ok, cancel);
  return park_on_dialog (L, op);
}

/* The picker behind a smelt.ui.select, for Lua: made by picker_new,
 * filled by picker_add while it waits in picker_wait.  It holds the
 * SmeltPicker weakly: the picker goes when it answers. */
typedef struct
{
  SmeltPicker *picker;
  gboolean     waited;
} PickerRef;

#define PICKER_MT "smelt.picker"

static PickerRef *
check_picker (lua_State *L)
{
  return luaL_checkudata (L, 1, PICKER_MT);
}

static int
picker_gc (lua_State *L)
{
  PickerRef *ref = check_picker (L);

  if (ref->picker != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (ref->picker), (gpointer *) &ref->picker);
      /* made and never shown (the caller failed in between) */
      if (!ref->waited)
        smelt_picker_withdraw (ref->picker);
      ref->picker = NULL;
    }
  return 0;
}

/* internal.picker_new(prompt, filter): filter "fuzzy", "substring" or
 * "none"; a picker not yet shown */
static int
l_picker_new (lua_State *L)
{
  static const char *const filters[] = { "none", "substring", "fuzzy", NULL };
  static const SmeltPickerFilter filter_values[] = {
    SMELT_PICKER_FILTER_NONE, SMELT_PICKER_FILTER_SUBSTRING, SMELT_PICKER_FILTER_FUZZY,
  };
  const char *prompt = luaL_checkstring (L, 1);
  int filter = luaL_checkoption (L, 2, "fuzzy", filters);
  SmeltWindow *parent;
  PickerRef *ref;

  smelt_scheduler_check_park (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, "smelt.ui.select");
  parent = smelt_ui_current_window (L, "smelt.ui.select");
  ref = lua_newuserdatauv (L, sizeof (PickerRef), 0);
  ref->picker = NULL;
  ref->waited = FALSE;
  if (luaL_newmetatable (L, PICKER_MT))
    {
      lua_pushcfunction (L, picker_gc);
      lua_setfield (L, -2, "__gc");
    }
  lua_setmetatable (L, -2);
  ref->picker = smelt_picker_new (GTK_WINDOW (parent), prompt, filter_values[filter]);
  g_object_add_weak_pointer (G_OBJECT (ref->picker), (gpointer *) &ref->picker);
  return 1;
}

/* internal.picker_add(picker, label): false once the picker is gone */
static int
l_picker_add (lua_State *L)
{
  PickerRef *ref = check_picker (L);
  const char *label = luaL_checkstring (L, 2);

  if (ref->picker == NULL || smelt_picker_is_answered (ref->picker))
    {
      lua_pushboolean (L, FALSE);
      return 1;
    }
  smelt_picker_append (ref->picker, label);
  lua_pushboolean (L, TRUE);
  return 1;
}

/* internal.picker_streaming(picker, streaming): the spinner, while items come */
static int
l_picker_streaming (lua_State *L)
{
  PickerRef *ref = check_picker (L);

  if (ref->picker != NULL)
    smelt_picker_set_streaming (ref->picker, lua_toboolean (L, 2));
  return 0;
}

/* internal.picker_wait(picker): shows it and parks; the picked item's
 * 1-based index, or nil */
static int
l_picker_wait (lua_State *L)
{
  PickerRef *ref = check_picker (L);
  SmeltTask *task;
  DialogOp *op;

  task = smelt_scheduler_check_park (smelt_host_get_scheduler (smelt_host_from_lua (L)), L, "smelt.ui.select");
  if (ref->picker == NULL || ref->waited || smelt_picker_is_answered (ref->picker))
    return luaL_error (L, "smelt.ui.select: the picker is gone");
  ref->waited = TRUE;
  smelt_picker_flush (ref->picker);
  op = dialog_op_wrap (L, SMELT_PROMPT_SELECT, "smelt.ui.select", GTK_WINDOW (ref->picker), task);
  return park_on_dialog (L, op);
}

/**
 * smelt_ui_dialogs_get_picker:
 *
 * The test hook's way to the picker: the one shown last and still open.
 *
 * Returns: (transfer none) (nullable): the picker
 */
SmeltPicker *
smelt_ui_dialogs_get_picker (void)
{
  for (guint i = open_dialogs ? open_dialogs->len : 0; i > 0; i--)
    {
      DialogOp *op = g_ptr_array_index (open_dialogs, i - 1);

      if (SMELT_IS_PICKER (op->dialog))
        return SMELT_PICKER (op->dialog);
    }
  return NULL;
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
    dismiss (g_ptr_array_index (dialogs, i));
  return 0;
}

static const luaL_Reg dialog_functions[] = {
  { "ui_input", l_ui_input },
  { "ui_confirm", l_ui_confirm },
  { "picker_new", l_picker_new },
  { "picker_add", l_picker_add },
  { "picker_streaming", l_picker_streaming },
  { "picker_wait", l_picker_wait },
  { "dialog_askers", l_dialog_askers },
  { "dismiss_dialogs", l_dismiss_dialogs },
  { NULL, NULL },
};

/**
 * smelt_ui_open_dialogs:
 * @L: the host's Lua state
 * @internal_idx: the stack index of the `internal` table
 *
 * Adds internal.ui_input, ui_confirm, picker_new, picker_add,
 * picker_streaming, picker_wait, dialog_askers and dismiss_dialogs.
 */
void
smelt_ui_open_dialogs (lua_State *L,
                       int        internal_idx)
{
  lua_pushvalue (L, internal_idx);
  luaL_setfuncs (L, dialog_functions, 0);
  lua_pop (L, 1);
}
