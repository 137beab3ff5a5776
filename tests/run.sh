#!/usr/bin/env bash
# tests/run.sh: builds smelt three times and runs the tests: all of them in a plain build and in an
# AddressSanitizer + UBSan build, the threaded ones (sink, conversion, C extensions) under ThreadSanitizer,
# the GUI specs once more (sanitized) with a D-Bus session bus, as on a desktop
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Ends with one line "N passed, N failed" counted from meson's results of all
# builds, and exits non-zero when any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"

status=0

# run_suite DIR "TESTS" MESON_OPTIONS...   (TESTS empty: every test)
run_suite() {
  local dir=$1 tests=$2
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" || return 1
  fi
  meson compile -C "$dir" || return 1
  # shellcheck disable=SC2086
  meson test -C "$dir" --print-errorlogs --num-processes 2 $tests || return 1
}

run_suite build "" || status=1
# Sanitized code runs several times slower: a larger default watchdog budget
# keeps a loaded machine from interrupting ordinary code (watchdog tests set
# their own budget).
SMELT_WATCHDOG_MS=10000 \
  run_suite build-asan "" -Db_sanitize=address,undefined -Db_lundef=false || status=1
# The GUI specs again, each on a session bus of its own (meson test --setup
# sessionbus): the runs above have none, a desktop has one, and GTK loads
# more with it (the file chooser's cloud providers), leak-checked here too.
logs="build build-asan build-tsan"
if command -v dbus-run-session >/dev/null; then
  rm -f build-asan/meson-logs/testlog-sessionbus.json
  SMELT_WATCHDOG_MS=10000 meson test -C build-asan --setup sessionbus --suite gui \
    --print-errorlogs || status=1
  logs="$logs build-asan/sessionbus"
else
  echo "dbus-run-session not found: the GUI specs did not run on a session bus"
fi
# Debian's GLib is not built with TSan: tests/tsan.supp hides races inside it, none in smelt.
SMELT_WATCHDOG_MS=10000 TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp:halt_on_error=1" \
  run_suite build-tsan "sink variant ext_spec" -Db_sanitize=thread -Db_lundef=false || status=1

# the GUI test's screenshots, as artifacts a CI run keeps
mkdir -p tests/artifacts
cp build/tests/gui/*.png tests/artifacts/ 2>/dev/null && echo "screenshots: tests/artifacts/"

# shellcheck disable=SC2086
python3 - $logs <<'PY'
import json, os, sys
passed = failed = skipped = 0
for run in sys.argv[1:]:
    # "DIR" or "DIR/SETUP": meson names a setup's log testlog-SETUP.json
    d, _, setup = run.partition("/")
    log = os.path.join(d, "meson-logs", "testlog-" + setup + ".json" if setup else "testlog.json")
    if not os.path.exists(log):
        failed += 1          # the build itself failed
        continue
    for line in open(log):
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit $status
