/* smelt-host.h: SmeltHost, the Lua plugin host on a GLib main context
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "smelt-version.h"

G_BEGIN_DECLS

#define SMELT_TYPE_HOST (smelt_host_get_type ())

SMELT_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (SmeltHost, smelt_host, SMELT, HOST, GObject)

/**
 * SmeltAsyncFunc:
 * @host: the host
 * @id: the external task id to resolve, with smelt_host_resume() or
 *   smelt_host_reject(), from any thread
 * @args: the Lua arguments, as an `av` array
 * @cancellable: cancelled when the Lua task is cancelled
 * @user_data: the data given to smelt_host_register_async()
 *
 * An asynchronous function Lua calls as `smelt.ext.name(...)` from a task;
 * the task parks until @id is resolved.
 */
typedef void (*SmeltAsyncFunc) (SmeltHost    *host,
                                guint64       id,
                                GVariant     *args,
                                GCancellable *cancellable,
                                gpointer      user_data);

/**
 * SMELT_HOST_ERROR:
 *
 * The error domain of #SmeltHost.
 */
#define SMELT_HOST_ERROR (smelt_host_error_quark ())

/**
 * SmeltHostError:
 * @SMELT_HOST_ERROR_LOAD: a Lua file or string could not be read or compiled
 * @SMELT_HOST_ERROR_RUN: Lua code raised an error while it ran
 * @SMELT_HOST_ERROR_RUNTIME: the bundled runtime is missing or broken
 *
 * Errors reported by #SmeltHost.
 */
typedef enum
{
  SMELT_HOST_ERROR_LOAD,
  SMELT_HOST_ERROR_RUN,
  SMELT_HOST_ERROR_RUNTIME,
} SmeltHostError;

SMELT_AVAILABLE_IN_ALL
GQuark        smelt_host_error_quark         (void);

SMELT_AVAILABLE_IN_ALL
SmeltHost    *smelt_host_new                 (GMainContext  *context);
SMELT_AVAILABLE_IN_ALL
gboolean      smelt_host_load_runtime        (SmeltHost     *self,
                                              GError       **error);
SMELT_AVAILABLE_IN_ALL
guint64       smelt_host_run_file            (SmeltHost     *self,
                                              const char    *path,
                                              const char * const *args,
                                              GError       **error);
SMELT_AVAILABLE_IN_ALL
guint64       smelt_host_run_string          (SmeltHost     *self,
                                              const char    *code,
                                              const char    *chunkname,
                                              GError       **error);
SMELT_AVAILABLE_IN_ALL
void          smelt_host_start               (SmeltHost     *self,
                                              gboolean       clean,
                                              const char    *init_file);
SMELT_AVAILABLE_IN_ALL
gboolean      smelt_host_run_command         (SmeltHost     *self,
                                              const char    *line,
                                              GError       **error);
SMELT_AVAILABLE_IN_ALL
char         *smelt_host_dup_health          (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
void          smelt_host_check_idle          (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
void          smelt_host_request_quit        (SmeltHost     *self,
                                              int            code);
SMELT_AVAILABLE_IN_ALL
guint64       smelt_host_alloc               (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
gboolean      smelt_host_cancel_task         (SmeltHost     *self,
                                              guint64        id);
SMELT_AVAILABLE_IN_ALL
guint         smelt_host_get_n_tasks         (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
GMainContext *smelt_host_get_main_context    (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
const char   *smelt_host_get_runtime_dir     (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
gboolean      smelt_host_get_ui              (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
gboolean      smelt_host_get_virtual_time    (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
void          smelt_host_set_virtual_time    (SmeltHost     *self,
                                              gboolean       virtual_time);
SMELT_AVAILABLE_IN_ALL
guint64       smelt_host_get_memory_limit    (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
void          smelt_host_set_memory_limit    (SmeltHost     *self,
                                              guint64        bytes);
SMELT_AVAILABLE_IN_ALL
guint64       smelt_host_get_memory_used     (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
guint         smelt_host_get_watchdog_ms     (SmeltHost     *self);
SMELT_AVAILABLE_IN_ALL
void          smelt_host_set_watchdog_ms     (SmeltHost     *self,
                                              guint          budget_ms);
SMELT_AVAILABLE_IN_ALL
void          smelt_host_quit                (SmeltHost     *self,
                                              int            code);

SMELT_AVAILABLE_IN_ALL
gboolean      smelt_host_resume              (SmeltHost     *self,
                                              guint64        id,
                                              GVariant      *value);
SMELT_AVAILABLE_IN_ALL
gboolean      smelt_host_reject              (SmeltHost     *self,
                                              guint64        id,
                                              const GError  *error);
SMELT_AVAILABLE_IN_ALL
void          smelt_host_register_async      (SmeltHost     *self,
                                              const char    *name,
                                              SmeltAsyncFunc func,
                                              gpointer       user_data,
                                              GDestroyNotify destroy);

G_END_DECLS

#include "smelt-enum-types.h"
