/* smelt-fuzzy.h: fuzzy and substring matching of a picker's query against its items
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean smelt_fuzzy_match     (const char *haystack,
                                gsize       haystack_len,
                                const char *needle,
                                gsize       needle_len,
                                int        *score,
                                guint      *positions);
gboolean smelt_substring_match (const char *haystack,
                                const char *needle,
                                guint      *start);

G_END_DECLS
