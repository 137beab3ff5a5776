#!/usr/bin/env bash
# check-install.sh: `meson install` into a scratch DESTDIR puts every file in place, and the installed smelt runs its installed runtime, also once moved
# SPDX-License-Identifier: GPL-3.0-or-later
# usage: check-install.sh BUILD_DIR SOURCE_DIR PREFIX LIBDIR   (TAP output)
set -uo pipefail
build=$1 src=$2 prefix=$3 libdir=$4
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
dest=$scratch/dest

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {   # not_ok DESCRIPTION OUTPUT
  n=$((n + 1)); echo "not ok $n - $1"; failed=$((failed + 1))
  [ -n "${2:-}" ] && sed 's/^/# /' <<<"$2"
  return 0
}
check() {   # check DESCRIPTION COMMAND...
  local out
  if out=$("${@:2}" 2>&1); then ok "$1"; else not_ok "$1" "$out"; fi
}
# the installed smelt in an environment of nothing but PATH, HOME and where its library is:
# no SMELT_RUNTIME_DIR, no XDG directories, no LUA_PATH, no source tree
run_installed() {   # run_installed ROOT ARGS...
  local root=$1
  shift
  env -i PATH=/usr/bin:/bin HOME="$scratch/home" LD_LIBRARY_PATH="$root/$libdir" "$root/bin/smelt" "$@"
}

check "meson install --destdir succeeds" meson install -C "$build" --destdir "$dest" --no-rebuild --quiet
root=$dest$prefix
mkdir -p "$scratch/home"
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
  share/smelt/lua/smelt/keymap.lua \
  share/smelt/lua/smelt/messages.lua \
  share/smelt/lua/smelt/session.lua \
  share/smelt/lua/plugin/format_on_save.lua \
  share/smelt/lua/plugin/word_count.lua \
  share/smelt/lua/plugin/trim_whitespace.lua \
  share/smelt/lua/meta/smelt.lua \
  share/smelt/lua/examples/tasks-demo.lua; do
  check "installs $f" test -s "$root/$f"
done
# the reference, where :help looks: RUNTIME/doc
for f in "$src"/lua/doc/*.txt; do
  check "installs share/smelt/lua/doc/${f##*/}" test -s "$root/share/smelt/lua/doc/${f##*/}"
done
# The installed headers alone (no private header) build an extension that
# uses the registered error enum and links only the exported API.
cat >"$scratch/ext.c" <<'EOF_C'
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
  "${CC:-cc}" -shared -fPIC -Wl,--no-undefined -o "$scratch/ext.so" "$scratch/ext.c" \
  -I"$root/include/smelt-1" $(pkg-config --cflags --libs gio-2.0 gmodule-2.0) -L"$root/$libdir" -lsmelt-host-1

# No path of the source or build tree in the installed program's strings:
# what it finds, it finds from where it was installed.
for f in bin/smelt "$libdir/libsmelt-host-1.so" "$libdir/smelt/smelt-gui.so"; do
  leaked=$(readelf -p .rodata "$root/$f" 2>/dev/null | grep -F -e "$src" -e "$build")
  if [ -z "$leaked" ]; then ok "$f names no source or build path"; else not_ok "$f names no source or build path" "$leaked"; fi
done

# check_runs ROOT WHAT: the smelt installed in ROOT runs on ROOT's runtime
check_runs() {
  local root=$1 what=$2 health
  health=$(run_installed "$root" --no-ui --health 2>&1)
  if grep -qxF "runtime: $root/share/smelt/lua (installed in $root)" <<<"$health"; then
    ok "$what: --health names the installed runtime"
  else
    not_ok "$what: --health names the installed runtime" "$health"
  fi
  if grep -qxF "window module: $root/$libdir/smelt/smelt-gui.so (installed in $root)" <<<"$health" &&
     grep -qxF "translations: $root/share/locale (installed in $root)" <<<"$health"; then
    ok "$what: --health names the installed window module and translations"
  else
    not_ok "$what: --health names the installed window module and translations" "$health"
  fi
  if env -i PATH=/usr/bin:/bin HOME="$scratch/home" LD_LIBRARY_PATH="$root/$libdir" LANGUAGE=de LC_ALL=C.UTF-8 \
       "$root/bin/smelt" --help 2>&1 | grep -q "Ohne Fenster laufen"; then
    ok "$what: speaks German from the installed catalog"
  else
    not_ok "$what: speaks German from the installed catalog"
  fi
  if grep -q "^  $root/share/smelt/lua/plugin/format_on_save.lua .*OK" <<<"$health"; then
    ok "$what: the bundled plugins load from the installed runtime"
  else
    not_ok "$what: the bundled plugins load from the installed runtime" "$health"
  fi
  if grep -qF -e "$src" -e "$build" <<<"$health"; then
    not_ok "$what: nothing comes from the source or build tree" "$health"
  else
    ok "$what: nothing comes from the source or build tree"
  fi
  # a module only the installed runtime has
  printf 'return "%s"\n' "$root" >"$root/share/smelt/lua/smelt/install_marker.lua"
  check "$what: a script runs with the installed runtime" \
    run_installed "$root" --no-ui --clean -e \
    "smelt.sleep(1) assert(smelt.task.all) assert(require('smelt.install_marker') == '$root')"
  rm -f "$root/share/smelt/lua/smelt/install_marker.lua"
  check "$what: :help finds the installed reference" \
    run_installed "$root" --no-ui --clean -e \
    "assert(require('smelt.help').find('smelt-uninstalled').file == '$root/share/smelt/lua/doc/install.txt')"
  check_window "$root" "$what"
}

# check_window ROOT WHAT: the installed smelt opens its window from the installed module
# (on an X server of its own, as tests/gui/run-gui-test.sh starts one)
check_window() {
  local root=$1 what=$2 xvfb display="" out
  if ! command -v Xvfb >/dev/null; then
    ok "$what: the window opens # SKIP no Xvfb"; return
  fi
  Xvfb -displayfd 1 -screen 0 800x600x24 -nolisten tcp >"$scratch/display" 2>/dev/null &
  xvfb=$!
  for _ in $(seq 100); do
    display=$(tr -dc '0-9' <"$scratch/display")
    [ -n "$display" ] && break
    sleep 0.1
  done
  echo 'io.write(smelt.ui and smelt.buf and "window\n" or "no window\n") smelt.quit(0)' >"$scratch/probe.lua"
  out=$(env -i PATH=/usr/bin:/bin HOME="$scratch/home" LD_LIBRARY_PATH="$root/$libdir" \
        DISPLAY=":$display" GDK_BACKEND=x11 NO_AT_BRIDGE=1 GTK_A11Y=none \
        timeout 60 "$root/bin/smelt" --clean --test-script "$scratch/probe.lua" 2>&1)
  kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null
  if grep -qx window <<<"$out"; then ok "$what: the window opens"; else not_ok "$what: the window opens" "$out"; fi
}
check_runs "$root" "installed in a DESTDIR"

# The whole tree moved elsewhere: it follows the tree, nothing still points at the first place.
mv "$dest" "$scratch/moved"
check_runs "$scratch/moved$prefix" "the install moved"

echo "1..$n"
[ "$failed" -eq 0 ]
