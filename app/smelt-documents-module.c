/* smelt-documents-module.c: the documents and smelt.buf for smelt --no-ui, loaded on first use
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The executable does not link GtkSourceView: a headless script that
 * never touches a buffer does not map it (nor pay its memory).  The first
 * use of smelt.buf loads this module (smelt-headless.c), which installs
 * the same buffer API the window's module has, on documents with no view.
 */

#define G_LOG_DOMAIN "smelt-buffer"

#include "config.h"

#include <gmodule.h>

#include "smelt-lua-buffer.h"

/* the executable looks this up by name */
G_MODULE_EXPORT void smelt_documents_open_lua (lua_State *L,
                                               int        internal_idx);

/**
 * smelt_documents_open_lua:
 * @L: the host's Lua state
 * @internal_idx: the stack index of the runtime's `internal` table
 *
 * Installs the Buffer object and internal.buf_* on the host's workspace.
 */
void
smelt_documents_open_lua (lua_State *L,
                          int        internal_idx)
{
  smelt_lua_buffer_open (L, internal_idx);
}
