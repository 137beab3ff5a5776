/* smelt-embed.h: the private API of libsmelt-host that the smelt application reaches, through one exported table
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Not installed, not read by the GIR scanner.  The library exports only its
 * public API (smelt-version.h) plus smelt__embed__(), which returns a table
 * of the private functions app/ (smelt-gui.so and the smelt executable)
 * calls.  The #defines at the bottom route each name through the table, so
 * app code includes this header instead of the -private.h headers and calls
 * smelt_host_call() etc. as before.  app/ and the library are built and
 * installed together: the table's layout is not ABI.
 *
 * To let app/ call one more private function, here:
 *   1. include its header below, if it is not yet;
 *   2. add `F (name)` to SMELT_EMBED_FUNCS;
 *   3. add `#define name SMELT_EMBED (name)` at the bottom.
 * A private function app/ calls without step 2 and 3 fails the link of
 * smelt-gui.so or smelt ("undefined reference to `name'"); step 3 without
 * step 2 fails to compile ("has no member named `name'").
 */
#pragma once

#include "smelt-bridge.h"
#include "smelt-file-writer.h"
#include "smelt-heap-pages.h"
#include "smelt-host-private.h"
#include "smelt-lua-private.h"
#include "smelt-paths.h"
#include "smelt-pending-op.h"
#include "smelt-scheduler.h"
#include "smelt-version.h"

G_BEGIN_DECLS

#define SMELT_EMBED_FUNCS(F) \
  F (smelt_bridge_error_code) \
  F (smelt_file_write_async) \
  F (smelt_file_write_finish) \
  F (smelt_heap_pages_enable) \
  F (smelt_host_call) \
  F (smelt_host_from_lua) \
  F (smelt_host_get_internal_ref) \
  F (smelt_host_get_lua) \
  F (smelt_host_get_scheduler) \
  F (smelt_host_notify) \
  F (smelt_host_set_ui_opener) \
  F (smelt_lua_arg_error) \
  F (smelt_path_get) \
  F (smelt_pending_op_begin) \
  F (smelt_pending_op_complete) \
  F (smelt_pending_op_is_live) \
  F (smelt_pending_op_lua) \
  F (smelt_pending_op_new) \
  F (smelt_pending_op_park) \
  F (smelt_pending_op_ref) \
  F (smelt_pending_op_unref) \
  F (smelt_scheduler_check_park) \
  F (smelt_scheduler_foreach_live) \
  F (smelt_scheduler_now) \
  F (smelt_task_dup_name) \
  F (smelt_task_dup_waiting_on) \
  F (smelt_task_state_to_string)

/* one function pointer per name, of the function's own type */
typedef struct
{
#define SMELT_EMBED_FIELD(name) __typeof__ (name) *name;
  SMELT_EMBED_FUNCS (SMELT_EMBED_FIELD)
#undef SMELT_EMBED_FIELD
} SmeltEmbed;

SMELT_AVAILABLE_IN_ALL
const SmeltEmbed *smelt__embed__ (void);

/* Inside the library the names are the functions themselves. */
#ifndef SMELT_COMPILATION
/* The name inside its own expansion is not expanded again (C11 6.10.3.4). */
#define SMELT_EMBED(name) (smelt__embed__ ()->name)

#define smelt_bridge_error_code       SMELT_EMBED (smelt_bridge_error_code)
#define smelt_heap_pages_enable       SMELT_EMBED (smelt_heap_pages_enable)
#define smelt_file_write_async        SMELT_EMBED (smelt_file_write_async)
#define smelt_file_write_finish       SMELT_EMBED (smelt_file_write_finish)
#define smelt_host_call               SMELT_EMBED (smelt_host_call)
#define smelt_host_from_lua           SMELT_EMBED (smelt_host_from_lua)
#define smelt_host_get_internal_ref   SMELT_EMBED (smelt_host_get_internal_ref)
#define smelt_host_get_lua            SMELT_EMBED (smelt_host_get_lua)
#define smelt_host_get_scheduler      SMELT_EMBED (smelt_host_get_scheduler)
#define smelt_host_notify             SMELT_EMBED (smelt_host_notify)
#define smelt_host_set_ui_opener      SMELT_EMBED (smelt_host_set_ui_opener)
#define smelt_lua_arg_error           SMELT_EMBED (smelt_lua_arg_error)
#define smelt_path_get                SMELT_EMBED (smelt_path_get)
#define smelt_pending_op_begin        SMELT_EMBED (smelt_pending_op_begin)
#define smelt_pending_op_complete     SMELT_EMBED (smelt_pending_op_complete)
#define smelt_pending_op_is_live      SMELT_EMBED (smelt_pending_op_is_live)
#define smelt_pending_op_lua          SMELT_EMBED (smelt_pending_op_lua)
#define smelt_pending_op_new          SMELT_EMBED (smelt_pending_op_new)
#define smelt_pending_op_park         SMELT_EMBED (smelt_pending_op_park)
#define smelt_pending_op_ref          SMELT_EMBED (smelt_pending_op_ref)
#define smelt_pending_op_unref        SMELT_EMBED (smelt_pending_op_unref)
#define smelt_scheduler_check_park    SMELT_EMBED (smelt_scheduler_check_park)
#define smelt_scheduler_foreach_live  SMELT_EMBED (smelt_scheduler_foreach_live)
#define smelt_scheduler_now           SMELT_EMBED (smelt_scheduler_now)
#define smelt_task_dup_name           SMELT_EMBED (smelt_task_dup_name)
#define smelt_task_dup_waiting_on     SMELT_EMBED (smelt_task_dup_waiting_on)
#define smelt_task_state_to_string    SMELT_EMBED (smelt_task_state_to_string)
#endif

G_END_DECLS
