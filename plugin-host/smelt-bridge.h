/* smelt-bridge.h: the one bridge from a GIO async operation to a parked task
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <lua.h>

#include "smelt-scheduler.h"

G_BEGIN_DECLS

typedef struct _SmeltBridgeOp SmeltBridgeOp;

typedef void (*SmeltBridgeCancelFunc) (SmeltBridgeOp *op);

struct _SmeltBridgeOp
{
  SmeltScheduler        *sched;       /* NULL once discarded: never touch it then */
  guint64                id;
  GCancellable          *cancellable; /* cancelled when the waiting task is */
  SmeltBridgeCancelFunc  on_cancel;   /* extra work on cancel (kill a process) */
  const char            *fname;       /* "smelt.fs.read": errors name it */
  char                  *path;        /* (nullable): the file; errors name it after fname */
  gpointer               data;        /* the operation's own state */
  GDestroyNotify         free_data;
  guint                  ref_count;
};

SmeltBridgeOp *smelt_bridge_begin     (SmeltScheduler *sched,
                                       lua_State      *L,
                                       const char     *fname);
int            smelt_bridge_park      (SmeltBridgeOp  *op,
                                       lua_State      *L,
                                       const char     *fname);
gboolean       smelt_bridge_is_live   (SmeltBridgeOp  *op);
lua_State     *smelt_bridge_lua       (SmeltBridgeOp  *op);
void           smelt_bridge_resolve   (SmeltBridgeOp  *op);
void           smelt_bridge_fail      (SmeltBridgeOp  *op,
                                       const GError   *error);
gboolean       smelt_bridge_settle    (SmeltBridgeOp  *op,
                                       const GError   *error);
void           smelt_bridge_push_ok   (lua_State      *L);
SmeltBridgeOp *smelt_bridge_op_ref    (SmeltBridgeOp  *op);
void           smelt_bridge_op_unref  (SmeltBridgeOp  *op);
const char    *smelt_bridge_error_code (const GError  *error);
void           smelt_bridge_push_error (lua_State     *L,
                                        const GError  *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmeltBridgeOp, smelt_bridge_op_unref)

G_END_DECLS
