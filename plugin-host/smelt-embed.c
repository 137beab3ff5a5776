/* smelt-embed.c: the table of private functions the smelt application calls (see smelt-embed.h)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "smelt-embed"

#include "config.h"

#include "smelt-embed.h"

#define SMELT_EMBED_INIT(name) .name = name,
static const SmeltEmbed embed = {
  SMELT_EMBED_FUNCS (SMELT_EMBED_INIT)
};
#undef SMELT_EMBED_INIT

/* Exported for app/ alone; no gtk-doc, since it is not public API. */
const SmeltEmbed *
smelt__embed__ (void)
{
  return &embed;
}
