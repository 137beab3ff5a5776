/* smelt-marks-view.h: a view's sign column, drawn from the document's marks
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "smelt-document.h"

G_BEGIN_DECLS

void smelt_marks_view_attach (GtkSourceView *view,
                              SmeltDocument *document);

G_END_DECLS
