/* smelt-workspace.h: the open documents, in order, with the current one; no view
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "smelt-document.h"

G_BEGIN_DECLS

#define SMELT_TYPE_WORKSPACE (smelt_workspace_get_type ())

G_DECLARE_FINAL_TYPE (SmeltWorkspace, smelt_workspace, SMELT, WORKSPACE, GObject)

SmeltWorkspace *smelt_workspace_new          (void);
void            smelt_workspace_add          (SmeltWorkspace      *self,
                                              SmeltDocument       *document);
void            smelt_workspace_close        (SmeltWorkspace      *self,
                                              SmeltDocument       *document);
SmeltDocument  *smelt_workspace_find         (SmeltWorkspace      *self,
                                              GFile               *location);
SmeltDocument  *smelt_workspace_lookup       (SmeltWorkspace      *self,
                                              guint                id);
int             smelt_workspace_index_of     (SmeltWorkspace      *self,
                                              SmeltDocument       *document);
SmeltDocument  *smelt_workspace_get_current  (SmeltWorkspace      *self);
void            smelt_workspace_set_current  (SmeltWorkspace      *self,
                                              SmeltDocument       *document);
SmeltDocument  *smelt_workspace_open_async   (SmeltWorkspace      *self,
                                              GFile               *location,
                                              SmeltDocument       *reuse,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
SmeltDocument  *smelt_workspace_open_encoded_async (SmeltWorkspace          *self,
                                                   GFile                   *location,
                                                   const GtkSourceEncoding *encoding,
                                                   SmeltDocument           *reuse,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
SmeltDocument  *smelt_workspace_open_finish  (SmeltWorkspace      *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
