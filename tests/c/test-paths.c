/* test-paths.c: the install prefix from the library's place, and the folders under it or from the environment
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "smelt-paths.h"

static void
check_prefix (const char *library,
              const char *libdir,
              const char *expected)
{
  g_autofree char *prefix = _smelt_paths_prefix_of (library, libdir);

  g_test_message ("%s with libdir %s", library, libdir);
  g_assert_cmpstr (prefix, ==, expected);
}

static void
test_prefix_of_library (void)
{
  check_prefix ("/usr/local/lib/x86_64-linux-gnu/libsmelt-host-1.so.0.0.0", "lib/x86_64-linux-gnu", "/usr/local");
  check_prefix ("/tmp/dest/usr/local/lib/x86_64-linux-gnu/libsmelt-host-1.so.0", "lib/x86_64-linux-gnu",
                "/tmp/dest/usr/local");
  check_prefix ("/opt/smelt/lib64/libsmelt-host-1.so", "lib64", "/opt/smelt");
  /* a library in /LIBDIR: the prefix is the root, not "" (which would make every folder relative) */
  check_prefix ("/lib64/libsmelt-host-1.so", "lib64", "/");
  /* not an installed tree: a build folder, a name that only ends like LIBDIR */
  check_prefix ("/home/me/smelt/build/plugin-host/libsmelt-host-1.so", "lib/x86_64-linux-gnu", NULL);
  check_prefix ("/opt/smelt/mylib64/libsmelt-host-1.so", "lib64", NULL);
  check_prefix ("/opt/smelt/lib64/sub/libsmelt-host-1.so", "lib64", NULL);
  check_prefix ("lib64/libsmelt-host-1.so", "lib64", NULL);
  /* a libdir outside the prefix cannot be moved with it */
  check_prefix ("/usr/lib64/libsmelt-host-1.so", "/usr/lib64", NULL);
}

static void
test_environment_first (void)
{
  g_autofree char *origin = NULL;
  g_autofree char *dir = NULL;

  g_setenv ("SMELT_RUNTIME_DIR", "/somewhere/lua", TRUE);
  dir = smelt_path_get (SMELT_PATH_RUNTIME, &origin);
  g_assert_cmpstr (dir, ==, "/somewhere/lua");
  g_assert_cmpstr (origin, ==, "from $SMELT_RUNTIME_DIR");
  g_clear_pointer (&dir, g_free);
  g_clear_pointer (&origin, g_free);

  /* empty is unset: the installed runtime */
  g_setenv ("SMELT_RUNTIME_DIR", "", TRUE);
  dir = smelt_path_get (SMELT_PATH_RUNTIME, &origin);
  g_assert_true (g_str_has_prefix (dir, smelt_install_prefix ()));
  g_assert_true (g_str_has_suffix (dir, "/smelt/lua"));
  g_assert_true (g_str_has_prefix (origin, "installed in "));
  g_assert_cmpstr (origin + strlen ("installed in "), ==, smelt_install_prefix ());
}

static void
test_installed_folders (void)
{
  g_autofree char *module = NULL;
  g_autofree char *locale = NULL;
  g_autofree char *schemas = NULL;
  g_autofree char *expected = NULL;

  g_unsetenv ("SMELT_GUI_MODULE_DIR");
  g_unsetenv ("SMELT_LOCALEDIR");
  /* this test links the library statically: not in an installed tree, so the configured prefix */
  g_assert_cmpstr (smelt_install_prefix (), ==, SMELT_PREFIX);
  module = smelt_path_get (SMELT_PATH_GUI_MODULE, NULL);
  expected = g_build_filename (SMELT_PREFIX, SMELT_GUI_MODULE_SUBDIR, "smelt-gui.so", NULL);
  g_assert_cmpstr (module, ==, expected);
  locale = smelt_path_get (SMELT_PATH_LOCALE_DIR, NULL);
  g_assert_true (g_str_has_prefix (locale, SMELT_PREFIX "/"));
  schemas = smelt_path_get (SMELT_PATH_SCHEMA_DIR, NULL);
  g_assert_true (g_str_has_suffix (schemas, "/glib-2.0/schemas"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/paths/prefix-of-library", test_prefix_of_library);
  g_test_add_func ("/paths/environment-first", test_environment_first);
  g_test_add_func ("/paths/installed-folders", test_installed_folders);
  return g_test_run ();
}
