/* smelt-lua-i18n.c: smelt.i18n: a plugin's strings in the user's language, through gettext
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The catalogs are GNU gettext's, as for every GNOME program: a plugin marks
 * its strings, xgettext extracts them, msgfmt compiles each language's .po
 * into DIR/LANG/LC_MESSAGES/DOMAIN.mo, and smelt.i18n.bind(DOMAIN, DIR)
 * tells gettext where that is. Without a domain, the editor's own catalog
 * ("smelt") is used: that is what the bundled plugins do.
 */

#define G_LOG_DOMAIN "smelt-lua"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <lauxlib.h>
#include <string.h>

#include "smelt-lua-private.h"

/* A text domain names a catalog file: not empty, no path separator. */
static const char *
check_domain (lua_State  *L,
              int         arg,
              const char *fname,
              gboolean    optional)
{
  const char *domain;

  if (optional && lua_isnoneornil (L, arg))
    return GETTEXT_PACKAGE;
  if (lua_type (L, arg) != LUA_TSTRING)
    return (smelt_lua_arg_error (L, arg, fname, "domain: string expected, got %s", luaL_typename (L, arg)), NULL);
  domain = lua_tostring (L, arg);
  if (*domain == '\0' || strchr (domain, '/') != NULL || strlen (domain) != lua_rawlen (L, arg))
    return (smelt_lua_arg_error (L, arg, fname, "domain must be a name without '/', got \"%s\"", domain), NULL);
  return domain;
}

static const char *
check_text (lua_State  *L,
            int         arg,
            const char *fname,
            const char *what)
{
  if (lua_type (L, arg) != LUA_TSTRING)
    return (smelt_lua_arg_error (L, arg, fname, "%s: string expected, got %s", what, luaL_typename (L, arg)), NULL);
  return lua_tostring (L, arg);
}

/* smelt.i18n.gettext(msgid, domain?): msgid in the user's language */
static int
l_gettext (lua_State *L)
{
  const char *msgid = check_text (L, 1, "smelt.i18n.gettext", "msgid");
  const char *domain = check_domain (L, 2, "smelt.i18n.gettext", TRUE);

  lua_pushstring (L, g_dgettext (domain, msgid));
  return 1;
}

/* smelt.i18n.ngettext(singular, plural, n, domain?): the form for n, translated */
static int
l_ngettext (lua_State *L)
{
  const char *singular = check_text (L, 1, "smelt.i18n.ngettext", "singular");
  const char *plural = check_text (L, 2, "smelt.i18n.ngettext", "plural");
  int isnum;
  lua_Integer n = lua_tointegerx (L, 3, &isnum);
  const char *domain;

  if (!isnum)
    return smelt_lua_arg_error (L, 3, "smelt.i18n.ngettext", "n: integer expected, got %s", luaL_typename (L, 3));
  domain = check_domain (L, 4, "smelt.i18n.ngettext", TRUE);
  /* gettext counts in unsigned longs: -n takes the form n takes ("-1 word") */
  if (n < 0)
    n = n == LUA_MININTEGER ? LUA_MAXINTEGER : -n;
  lua_pushstring (L, g_dngettext (domain, singular, plural, (gulong) n));
  return 1;
}

/* smelt.i18n.bind(domain, dir): DOMAIN's catalogs are DIR/LANG/LC_MESSAGES/DOMAIN.mo */
static int
l_bind (lua_State *L)
{
  const char *domain = check_domain (L, 1, "smelt.i18n.bind", FALSE);
  const char *dir = check_text (L, 2, "smelt.i18n.bind", "dir");

  if (strcmp (domain, GETTEXT_PACKAGE) == 0)
    return smelt_lua_arg_error (L, 1, "smelt.i18n.bind", "the domain \"%s\" is the editor's own; a plugin names its own",
                                domain);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return luaL_error (L, "smelt.i18n.bind: %s is not a folder", dir);
  if (bindtextdomain (domain, dir) == NULL || bind_textdomain_codeset (domain, "UTF-8") == NULL)
    return luaL_error (L, "smelt.i18n.bind: %s", g_strerror (errno));
  return 0;
}

static const luaL_Reg i18n_functions[] = {
  { "gettext", l_gettext },
  { "ngettext", l_ngettext },
  { "bind", l_bind },
  { NULL, NULL },
};

void
smelt_lua_open_i18n (lua_State *L,
                     int        smelt_idx)
{
  smelt_idx = lua_absindex (L, smelt_idx);
  luaL_newlib (L, i18n_functions);
  lua_setfield (L, smelt_idx, "i18n");
}
