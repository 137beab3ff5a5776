/* smelt-heap-pages.h: transparent huge pages for the malloc heap as it grows, for the smelt executable
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void smelt_heap_pages_enable       (void);
void smelt_heap_pages_note_growth  (void);

G_END_DECLS
