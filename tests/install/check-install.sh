#!/usr/bin/env bash
# check-install.sh: `meson install` into a scratch DESTDIR puts every file in place, and the installed smelt runs
# SPDX-License-Identifier: GPL-3.0-or-later
# usage: check-install.sh BUILD_DIR PREFIX LIBDIR   (TAP output)
set -uo pipefail
build=$1 prefix=$2 libdir=$3
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

n=0 failed=0
check() {   # check DESCRIPTION COMMAND...
  n=$((n + 1))
  if "${@:2}" >/dev/null 2>&1; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=$((failed + 1)); fi
}

check "meson install --destdir succeeds" meson install -C "$build" --destdir "$dest" --no-rebuild --quiet
root=$dest$prefix
lib=$root/$libdir
for f in \
  bin/smelt \
  "$libdir/smelt/smelt-gui.so" \
  "$libdir/libsmelt-host-1.so" \
  "$libdir/pkgconfig/smelt-host-1.pc" \
  "$libdir/girepository-1.0/Smelt-1.0.typelib" \
  share/gir-1.0/Smelt-1.0.gir \
  include/smelt-1/smelt-host.h \
  include/smelt-1/smelt-extension.h \
  include/smelt-1/smelt-version.h \
  include/smelt-1/smelt-enum-types.h \
  share/applications/dev.smelt.Editor.desktop \
  share/metainfo/dev.smelt.Editor.metainfo.xml \
  share/glib-2.0/schemas/dev.smelt.Editor.gschema.xml \
  share/icons/hicolor/scalable/apps/dev.smelt.Editor.svg \
  share/locale/de/LC_MESSAGES/smelt.mo \
  share/smelt/lua/smelt/bootstrap.lua \
  share/smelt/lua/smelt/ui.lua \
  share/smelt/lua/smelt/session.lua \
  share/smelt/lua/plugin/format_on_save.lua \
  share/smelt/lua/plugin/word_count.lua \
  share/smelt/lua/plugin/trim_whitespace.lua \
  share/smelt/lua/meta/smelt.lua \
  share/smelt/lua/examples/tasks-demo.lua; do
  check "installs $f" test -s "$root/$f"
done
# The installed headers alone (no private header) build an extension that
# uses the registered error enum and links only the exported API.
cat >"$dest/ext.c" <<'EOF_C'
#include <smelt-extension.h>
SMELT_EXTENSION_DEFINE_ABI;
G_MODULE_EXPORT gboolean
smelt_extension_init (SmeltHost *host, GError **error)
{
  g_assert (g_type_is_a (SMELT_TYPE_HOST_ERROR, G_TYPE_ENUM));
  return smelt_host_get_n_tasks (host) == 0 || smelt_host_error_quark () != 0;
}
EOF_C
# shellcheck disable=SC2046
check "the installed headers build an extension against the installed library" \
  "${CC:-cc}" -shared -fPIC -Wl,--no-undefined -o "$dest/ext.so" "$dest/ext.c" \
  -I"$root/include/smelt-1" $(pkg-config --cflags --libs gio-2.0 gmodule-2.0) -L"$lib" -lsmelt-host-1
check "the installed smelt runs a script with the installed runtime" \
  env LD_LIBRARY_PATH="$lib" SMELT_RUNTIME_DIR="$root/share/smelt/lua" \
  "$root/bin/smelt" --no-ui --clean -e 'smelt.sleep(1) assert(smelt.task.all)'
n=$((n + 1))
health=$(env LD_LIBRARY_PATH="$lib" SMELT_RUNTIME_DIR="$root/share/smelt/lua" "$root/bin/smelt" --no-ui --health 2>&1)
if grep -q "share/smelt/lua/plugin/format_on_save.lua .*OK" <<<"$health"; then
  echo "ok $n - the installed smelt loads the bundled plugins"
else
  echo "not ok $n - the installed smelt loads the bundled plugins"; failed=$((failed + 1))
  sed 's/^/# /' <<<"$health"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
