#!/usr/bin/env bash
# run-gui-test.sh: runs a Lua GUI spec inside the real smelt window, on an Xvfb server of its own
# SPDX-License-Identifier: GPL-3.0-or-later
# usage: run-gui-test.sh SMELT SPEC [SCREENSHOT]; $SMELT_ARGS: more options for smelt, $SMELT_FILES: files it opens;
# $SMELT_TEST_BUS=private: a D-Bus session bus of the spec's own (meson test --setup sessionbus)
set -euo pipefail
smelt=$1 spec=$2 shot=${3:-}
case ${SMELT_TEST_BUS:-none} in
  none|private) ;;
  *) echo "Bail out! SMELT_TEST_BUS=$SMELT_TEST_BUS: none or private"; exit 1 ;;
esac
# under AddressSanitizer: whole stacks, so tests/lsan.supp can name the library a leak is in
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0:malloc_context_size=20"
# no accessibility bus, with a session bus or without: its registry daemon,
# started on a session bus, writes to our stdout
export GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1 GTK_A11Y=none G_DEBUG=fatal-criticals
[ -n "$shot" ] && export SMELT_SCREENSHOT="$shot"
# the spec's TAP output is kept too, to count its results against its plan
config_home= out=$(mktemp)
# a state folder of the run's own: the session a spec leaves when it quits
# is never reopened by the next spec, nor written to the user's
state_home=$(mktemp -d)
export XDG_STATE_HOME=$state_home
# The session bus is never the developer's own (DBUS_SESSION_BUS_ADDRESS, or
# the $XDG_RUNTIME_DIR/bus GLib falls back to): what listens there (portals,
# cloud storage providers, a running smelt) would change the results. By
# default a spec has no bus at all, an address nothing listens on; with
# SMELT_TEST_BUS=private it gets a bus of its own, as on a desktop.
export DBUS_SESSION_BUS_ADDRESS="unix:path=$state_home/no-session-bus"
trap 'rm -rf "$out" "$state_home" ${config_home:+"$config_home"}' EXIT
# the tests' config (smelt/init.lua) in a scratch XDG_CONFIG_HOME: GTK writes
# there, and it must not be the source tree
if [ -n "${SMELT_TEST_CONFIG:-}" ]; then
  config_home=$(mktemp -d)
  cp -r "$SMELT_TEST_CONFIG"/. "$config_home"/
  export XDG_CONFIG_HOME=$config_home
fi
# An X server of the spec's own. Xvfb picks a free display itself and says
# which (-displayfd): xvfb-run -a guesses one from lock files, and two specs
# started at once (two build trees tested side by side) could share a
# display and type into each other's windows. run_spec runs in a pipeline's
# subshell: it stops its own server.
xvfb_pid=
start_xvfb () {
  local numfile n=""
  numfile=$(mktemp)
  Xvfb -displayfd 1 -screen 0 1024x700x24 -nolisten tcp >"$numfile" 2>/dev/null &
  xvfb_pid=$!
  for _ in $(seq 100); do
    n=$(tr -dc '0-9' <"$numfile")
    [ -n "$n" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$numfile"
  if [ -z "$n" ]; then
    echo "Bail out! Xvfb did not start"
    exit 1
  fi
  export DISPLAY=":$n"
}
run_spec () {
  start_xvfb
  if [ "${SMELT_TEST_SESSION_BUS:-}" = 1 ]; then
    # remote_spec: on a private session bus the spec's instance is unique,
    # and a second smelt it starts reaches it
    dbus-run-session -- "$smelt" --test-unique --test-script "$spec"
  elif [ "${SMELT_TEST_BUS:-none}" = private ]; then
    # shellcheck disable=SC2086
    dbus-run-session -- "$smelt" ${SMELT_ARGS:-} --test-script "$spec" ${SMELT_FILES:-}
  else
    # shellcheck disable=SC2086
    "$smelt" ${SMELT_ARGS:-} --test-script "$spec" ${SMELT_FILES:-}
  fi
  local status=$?
  kill "$xvfb_pid" 2>/dev/null
  wait "$xvfb_pid" 2>/dev/null
  return "$status"
}
set +e
run_spec | tee "$out"
status=${PIPESTATUS[0]}
set -e
# A spec that ends its own process (quit_spec) prints its plan first; if the
# process ends before all the planned results (it quit too early, or crashed),
# that is a failure: meson 1.0 would call a plan with no results a skip.
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$out" | head -n 1)
ran=$(grep -cE '^(not )?ok [0-9]' "$out" || true)
if [ -n "$plan" ] && [ "$ran" -lt "$plan" ]; then
  echo "Bail out! $ran of $plan planned results: the spec ended early (exit status $status)"
  exit 1
fi
exit "$status"
