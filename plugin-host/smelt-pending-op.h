/* smelt-pending-op.h: a task parked until C completes an operation, with its GCancellable
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <lua.h>

#include "smelt-scheduler.h"

G_BEGIN_DECLS

typedef struct _SmeltPendingOp SmeltPendingOp;

typedef void (*SmeltPendingOpCancelFunc) (SmeltPendingOp *op);

/* Pushes the waiting task's value (one value) on @L.  Runs protected: an
 * error it raises (memory, a conversion) is what the task gets instead. */
typedef void (*SmeltPendingOpPushFunc) (lua_State *L,
                                        gpointer   data);

struct _SmeltPendingOp
{
  SmeltScheduler           *sched;       /* NULL once completed or discarded: never touch it then */
  SmeltScheduler           *clock;       /* the same, kept until the slot goes: its real-work count */
  guint64                   id;
  GCancellable             *cancellable; /* cancelled when the waiting task is */
  SmeltPendingOpCancelFunc  on_cancel;   /* extra work on cancel (kill a process, withdraw a dialog) */
  const char               *fname;       /* "smelt.fs.read": errors name it */
  char                     *path;        /* (nullable): the file; errors name it after fname */
  gpointer                  data;        /* the operation's own state */
  GDestroyNotify            free_data;
  gatomicrefcount           ref_count;
};

SmeltPendingOp *smelt_pending_op_new      (SmeltScheduler         *sched,
                                           const char             *fname);
SmeltPendingOp *smelt_pending_op_begin    (SmeltScheduler         *sched,
                                           lua_State              *L,
                                           const char             *fname);
int             smelt_pending_op_park     (SmeltPendingOp         *op,
                                           lua_State              *L);
gboolean        smelt_pending_op_is_live  (SmeltPendingOp         *op);
lua_State      *smelt_pending_op_lua      (SmeltPendingOp         *op);
void            smelt_pending_op_resolve  (SmeltPendingOp         *op);
void            smelt_pending_op_raise    (SmeltPendingOp         *op);
gboolean        smelt_pending_op_complete (SmeltPendingOp         *op,
                                           SmeltPendingOpPushFunc  push,
                                           gpointer                data,
                                           gboolean                is_error);
SmeltPendingOp *smelt_pending_op_ref      (SmeltPendingOp         *op);
void            smelt_pending_op_unref    (SmeltPendingOp         *op);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmeltPendingOp, smelt_pending_op_unref)

G_END_DECLS
