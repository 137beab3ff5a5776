/* smelt-lua-ext.c: loading C extensions with GModule for smelt.ext.load
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define G_LOG_DOMAIN "smelt-ext"

#include "config.h"

#include <gmodule.h>
#include <lauxlib.h>

#include "smelt-extension.h"
#include "smelt-host-private.h"
#include "smelt-lua-private.h"

/* internal.ext_open(path): load and initialise one module; raises a clear
 * error naming the file and the reason.  Modules stay resident. */
static int
l_ext_open (lua_State *L)
{
  const char *path = luaL_checkstring (L, 1);
  SmeltHost *host = smelt_host_from_lua (L);
  GModule *module;
  gpointer abi = NULL, init = NULL;
  GError *error = NULL;

  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    return luaL_error (L, "smelt.ext.load: %s: %s", path, g_module_error ());

  if (!g_module_symbol (module, "smelt_extension_abi_version", &abi) || abi == NULL)
    {
      g_module_close (module);
      return luaL_error (L, "smelt.ext.load: %s: not a smelt extension (no smelt_extension_abi_version; "
                         "use SMELT_EXTENSION_DEFINE_ABI)", path);
    }
  if (*(const int *) abi != SMELT_EXTENSION_ABI_VERSION)
    {
      int got = *(const int *) abi;

      g_module_close (module);
      return luaL_error (L, "smelt.ext.load: %s: built for extension ABI %d, but this smelt has ABI %d",
                         path, got, SMELT_EXTENSION_ABI_VERSION);
    }
  if (!g_module_symbol (module, "smelt_extension_init", &init) || init == NULL)
    {
      g_module_close (module);
      return luaL_error (L, "smelt.ext.load: %s: no entry point smelt_extension_init", path);
    }

  g_module_make_resident (module);
  if (!((SmeltExtensionInit) init) (host, &error))
    {
      lua_pushfstring (L, "smelt.ext.load: %s: smelt_extension_init failed: %s", path,
                       error ? error->message : "(no error given)");
      g_clear_error (&error);
      return lua_error (L);
    }
  lua_pushboolean (L, TRUE);
  return 1;
}

static const luaL_Reg internal_functions[] = {
  { "ext_open", l_ext_open },
  { NULL, NULL },
};

void
smelt_lua_open_ext (lua_State *L,
                    int        internal_idx)
{
  lua_pushvalue (L, internal_idx);
  luaL_setfuncs (L, internal_functions, 0);
  lua_pop (L, 1);
}
