/* smelt-extension.h: what a loadable C extension defines
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A C extension is a shared module in the ext/ directory of a runtime path
 * entry, loaded by `smelt.ext.load(name)`.  It must contain
 *
 *   SMELT_EXTENSION_DEFINE_ABI;
 *   G_MODULE_EXPORT gboolean smelt_extension_init (SmeltHost *host, GError **error);
 *
 * where smelt_extension_init() registers its functions with
 * smelt_host_register_async().
 */
#pragma once

#include <gmodule.h>

#include "smelt-host.h"

G_BEGIN_DECLS

/**
 * SMELT_EXTENSION_ABI_VERSION:
 *
 * The extension ABI this smelt implements; a module built for another is
 * refused.
 */
#define SMELT_EXTENSION_ABI_VERSION 1

/**
 * SMELT_EXTENSION_DEFINE_ABI:
 *
 * Records, in an extension module, the ABI it was built for.
 */
#define SMELT_EXTENSION_DEFINE_ABI \
  G_MODULE_EXPORT const int smelt_extension_abi_version = SMELT_EXTENSION_ABI_VERSION

/**
 * SmeltExtensionInit:
 * @host: the host loading the extension
 * @error: return location for a #GError
 *
 * The type of an extension's entry point, `smelt_extension_init`.
 *
 * Returns: %TRUE on success
 */
typedef gboolean (*SmeltExtensionInit) (SmeltHost  *host,
                                        GError    **error);

G_END_DECLS
