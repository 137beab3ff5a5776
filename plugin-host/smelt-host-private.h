/* smelt-host-private.h: what the rest of smelt (not extensions) may call on a SmeltHost
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <lua.h>

#include "smelt-host.h"
#include "smelt-scheduler.h"

G_BEGIN_DECLS

enum {
  SMELT_LEVEL_DEBUG,
  SMELT_LEVEL_INFO,
  SMELT_LEVEL_WARN,
  SMELT_LEVEL_ERROR,
};

typedef struct
{
  int     level;
  char   *text;
  char   *traceback;    /* (nullable): an uncaught error's, the message then the stack */
  gint64  time_us;      /* on the scheduler's clock */
  gint64  real_time_us; /* the wall clock's, for the user (g_get_real_time) */
} SmeltMessage;

const char     *smelt_level_to_string    (int         level);
void            smelt_host_notify        (SmeltHost  *self,
                                          int         level,
                                          const char *text);
GQueue         *smelt_host_get_history   (SmeltHost  *self);

/* The GUI adds its primitives to the internal table before the bootstrap
 * runs (which then loads lua/smelt/ui.lua). */
typedef void (*SmeltUiOpener) (lua_State *L,
                               int        internal_idx,
                               gpointer   data);
void            smelt_host_set_ui_opener (SmeltHost     *self,
                                          SmeltUiOpener  opener,
                                          gpointer       data);

/* smelt-host-sink.c */
typedef struct _SmeltSink SmeltSink;
SmeltSink      *smelt_sink_new           (SmeltHost  *host);
void            smelt_sink_free          (SmeltSink  *sink);
SmeltSink      *smelt_host_get_sink      (SmeltHost  *self);
guint64         smelt_sink_alloc         (SmeltSink  *sink,
                                          GCancellable *cancellable);
void            smelt_sink_install       (SmeltSink  *sink,
                                          lua_State  *L,
                                          int         ext_idx);
void            smelt_lua_open_ext       (lua_State  *L,
                                          int         internal_idx);

lua_State      *smelt_host_get_lua       (SmeltHost *self);
SmeltScheduler *smelt_host_get_scheduler (SmeltHost *self);
SmeltHost      *smelt_host_from_lua      (lua_State *L);
const char     *smelt_host_get_runtime_origin (SmeltHost *self);
int             smelt_host_get_internal_ref (SmeltHost *self);
/**
 * SmeltCallFlags:
 * @SMELT_CALL_DEFAULT: report an error, under the running budget
 * @SMELT_CALL_FRESH_BUDGET: the watchdog's budget starts afresh for this
 *   call, even inside another (each plugin file at startup)
 * @SMELT_CALL_QUIET: do not report an error, only return it: the caller
 *   reports it its own way
 */
typedef enum
{
  SMELT_CALL_DEFAULT      = 0,
  SMELT_CALL_FRESH_BUDGET = 1 << 0,
  SMELT_CALL_QUIET        = 1 << 1,
} SmeltCallFlags;

gboolean        smelt_host_call          (SmeltHost       *self,
                                          int              nargs,
                                          int              nresults,
                                          const char      *what,
                                          SmeltCallFlags   flags,
                                          GError         **error);
/* smelt_host_call() with no results: an error is reported, never returned */
#define smelt_host_call_plain(self, nargs, what) \
  smelt_host_call ((self), (nargs), 0, (what), SMELT_CALL_DEFAULT, NULL)
void            smelt_host_report_error  (SmeltHost  *self,
                                          guint64     id,
                                          const char *name,
                                          const char *message,
                                          const char *traceback);
char           *smelt_host_report_traceback (SmeltHost  *self,
                                             const char *what,
                                             const char *traceback);

G_END_DECLS
