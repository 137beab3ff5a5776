/* broken.c: deliberately broken extensions, one per -D flag, for the loader's error paths
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "smelt-extension.h"

#if defined(BROKEN_BAD_ABI)
G_MODULE_EXPORT const int smelt_extension_abi_version = 99;
#elif !defined(BROKEN_NO_ABI)
SMELT_EXTENSION_DEFINE_ABI;
#endif

#if !defined(BROKEN_NO_INIT)
G_MODULE_EXPORT gboolean
smelt_extension_init (SmeltHost  *host,
                      GError    **error)
{
#if defined(BROKEN_INIT_FAILS)
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the device is not there");
  return FALSE;
#else
  return TRUE;
#endif
}
#endif
