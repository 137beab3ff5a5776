#!/usr/bin/env bash
# check-uninstalled.sh: a smelt run from its build tree uses the source tree's runtime only when the build's environment says so
# SPDX-License-Identifier: GPL-3.0-or-later
# usage: check-uninstalled.sh BUILD_DIR SOURCE_DIR PREFIX   (TAP output)
set -uo pipefail
build=$1 src=$2 prefix=$3
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
smelt=$build/app/smelt

n=0 failed=0
result() {   # result DESCRIPTION PASSED OUTPUT
  n=$((n + 1))
  if [ "$2" = yes ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=$((failed + 1)); sed 's/^/# /' <<<"$3"; fi
}
clean_env() { env -i PATH=/usr/bin:/bin HOME="$home" "$@"; }

# Without the build's environment the build's smelt is an installed smelt
# that is not installed: it uses the installed runtime if there is one, and
# otherwise says how to run it, and never the source tree behind your back.
out=$(clean_env "$smelt" --no-ui --health 2>&1)
status=$?
if [ -f "$prefix/share/smelt/lua/smelt/bootstrap.lua" ]; then
  grep -qxF "runtime: $prefix/share/smelt/lua (installed in $prefix)" <<<"$out" && pass=yes || pass=no
  result "without the devenv: the installed runtime, said so" $pass "$out"
else
  [ $status -ne 0 ] && grep -qF "$prefix/share/smelt/lua" <<<"$out" && grep -qF "meson devenv -C BUILDDIR -w . smelt" <<<"$out" \
    && grep -qF "SMELT_RUNTIME_DIR" <<<"$out" && pass=yes || pass=no
  result "without the devenv: fails, naming the runtime it looked for and how to run uninstalled" $pass "$out"
fi
grep -qF "$src/lua" <<<"$out" && pass=no || pass=yes
result "without the devenv: not the source tree's runtime" $pass "$out"

# Through the build's own environment: the source tree's runtime, said so.
out=$(clean_env meson devenv -C "$build" smelt --no-ui --health 2>&1)
grep -qxF "runtime: $src/lua (from \$SMELT_RUNTIME_DIR)" <<<"$out" && pass=yes || pass=no
result "meson devenv: the source tree's runtime, from \$SMELT_RUNTIME_DIR" $pass "$out"
# as install.txt says: -w . runs it in the current folder (meson's default is the build folder)
echo 'smelt.sleep(1) assert(smelt.task.all) print("ran")' >"$home/script.lua"
out=$(cd "$home" && clean_env meson devenv -C "$build" -w . smelt --no-ui --clean script.lua 2>&1)
[ "$out" = ran ] && pass=yes || pass=no
result "meson devenv -w .: a script named relative to the current folder runs" $pass "$out"

echo "1..$n"
[ "$failed" -eq 0 ]
