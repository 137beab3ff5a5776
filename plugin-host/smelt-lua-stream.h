/* smelt-lua-stream.h: byte streams (pipes, sockets) that tasks read and write, buffered
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <lua.h>

#include "smelt-scheduler.h"

G_BEGIN_DECLS

typedef struct _SmeltStream SmeltStream;

/* Why the stream may not be written to now (transfer full), or NULL when it
 * may: a process's stdin asks whether the process still runs. */
typedef char *(*SmeltStreamWriteGuard) (gpointer data);

SmeltStream *smelt_stream_new              (GInputStream          *in,
                                            GOutputStream         *out,
                                            GIOStream             *io,
                                            const char            *label);
void         smelt_stream_set_write_guard  (SmeltStream           *stream,
                                            SmeltStreamWriteGuard  guard,
                                            gpointer               data,
                                            GDestroyNotify         destroy);
void         smelt_stream_unref            (SmeltStream           *stream);
void         smelt_lua_push_stream         (lua_State             *L,
                                            SmeltStream           *stream);
void         smelt_lua_open_stream         (lua_State             *L,
                                            SmeltScheduler        *sched,
                                            int                    internal_idx);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmeltStream, smelt_stream_unref)

G_END_DECLS
