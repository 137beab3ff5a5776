#!/usr/bin/env bash
# tests/bench/run.sh: runs the W1-W6 workloads, J1 (JSON), L1-L3 (clangd), G1-G5 and P1 (the window, under Xvfb); prints the median of RUNS runs and peak RSS
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: tests/bench/run.sh [BUILD_DIR] [RUNS]   (defaults: build, 5)
# Extra smelt options may be given in SMELT_BENCH_ARGS (e.g. "--watchdog-ms=0").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
runs=${2:-5}
smelt="$build/app/smelt"
# the build's own environment (`meson devenv`): its runtime, window module, schema
set +u
eval "$(meson devenv -C "$build" --dump)"
set -u
extra=(${SMELT_BENCH_ARGS:-})

[ -x "$smelt" ] || { echo "no $smelt: build first (meson setup $build && meson compile -C $build)" >&2; exit 1; }

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# time_one SCRIPT ARGS...: prints "seconds kilobytes"
time_one() {
  local out
  out=$( { /usr/bin/time -f "%e %M" "$smelt" --no-ui "${extra[@]}" "$@" >/dev/null; } 2>&1 | tail -n 1)
  echo "$out"
}

bench() {
  local name=$1; shift
  local secs=() kbs=()
  for _ in $(seq "$runs"); do
    read -r s k < <(time_one "$@")
    secs+=("$s"); kbs+=("$k")
  done
  printf '%-28s median %6.3f s   peak RSS %7.1f MB   (runs: %s)\n' "$name" \
    "$(printf '%s\n' "${secs[@]}" | median)" \
    "$(printf '%s\n' "${kbs[@]}" | median | awk '{ print $1 / 1024 }')" "${secs[*]}"
}

bench "W1 1M sleep(0) wakeups" "$here/w1-sleep0.lua"
bench "W2 100k tasks spawn+sleep" "$here/w2-spawn.lua"
bench "W4 1M wait/resume handoffs" "$here/w4-handoff.lua"
bench "W6 1M items via queue(1)" "$here/w6-queue.lua"

read -r m0 m1 ratio < <("$smelt" --no-ui "${extra[@]}" "$here/w3-parked.lua" "$runs" 100000)
printf '%-28s median %6.1f ns/wakeup with 0 parked, %6.1f ns with 100k parked: ratio %s\n' \
  "W3 wakeup cost vs parked" "$m0" "$m1" "$ratio"

# W5: a recursive watch set up on 2,040 folders: the longest gap of a 1 ms timer meanwhile
w5_setup=() w5_gap=() w5_kb=()
for _ in $(seq "$runs"); do
  rss=$(mktemp)
  out=$(/usr/bin/time -o "$rss" -f "%M" "$smelt" --no-ui "${extra[@]}" "$here/w5-watch-tree.lua" 40 50)
  read -r s g <<< "$out"
  w5_setup+=("$s"); w5_gap+=("$g"); w5_kb+=("$(tail -n 1 "$rss")")
  rm -f "$rss"
done
printf '%-28s median %6.1f ms to watch all, longest stall %5.1f ms   peak RSS %7.1f MB   (stalls: %s)\n' \
  "W5 recursive watch, 2,040" "$(printf '%s\n' "${w5_setup[@]}" | median)" "$(printf '%s\n' "${w5_gap[@]}" | median)" \
  "$(printf '%s\n' "${w5_kb[@]}" | median | awk '{ print $1 / 1024 }')" "${w5_gap[*]}"

# window_bench NAME SCRIPT WHAT: runs a G script RUNS times under Xvfb; it prints
# "VALUE WORST_GAP_MS"; prints the medians and each run's value, and leaves
# the runs' peak RSS (KB) in the array kbs
window_bench() {
  local name=$1 script=$2 what=$3 values=() gaps=() out v g rss
  kbs=()
  for _ in $(seq "$runs"); do
    rss=$(mktemp)
    out=$(GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1 LUA_PATH="$here/?.lua;$here/../gui/?.lua;;" \
            xvfb-run -a /usr/bin/time -o "$rss" -f "%M" "$smelt" --clean --test-script "$here/$script" 2>/dev/null)
    read -r v g < <(echo "$out" | grep -E '^[0-9]+ [0-9]+$' | tail -n 1)
    values+=("$v"); gaps+=("$g"); kbs+=("$(tail -n 1 "$rss")")
    rm -f "$rss"
  done
  printf '%-28s median %6.0f ms %s, longest freeze %4.0f ms   peak RSS %7.1f MB   (runs: %s)\n' \
    "$name" "$(printf '%s\n' "${values[@]}" | median)" "$what" "$(printf '%s\n' "${gaps[@]}" | median)" \
    "$(printf '%s\n' "${kbs[@]}" | median | awk '{ print $1 / 1024 }')" "${values[*]}"
}

# the window, under Xvfb when it is installed
if command -v xvfb-run >/dev/null; then
  # G1: the window opens a 50 MB file
  window_bench "G1 window opens 50 MB" g1-open-50mb.lua "to load"
  # G2: Tab completes a path in a folder of 200,000 files (the folder is read in a worker thread)
  if command -v xdotool >/dev/null; then
    window_bench "G2 Tab over 200k files" g2-complete-big-folder.lua "to complete"
    # P1: keys typed into smelt.ui.select's filter over 100,000 streamed items: the worst key, to the screen
    window_bench "P1 picker key, 100k items" p1-picker-filter.lua "worst key"
  fi
  # G3: a 50 MB file opened and closed 4 times: the RSS after each close (flat: nothing kept)
  out=$(GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1 xvfb-run -a \
          "$smelt" --clean --test-script "$here/g3-open-close-50mb.lua" 2>/dev/null | grep -E '^[0-9 ]+$' | tail -n 1)
  printf '%-28s RSS after each close: %s MB\n' "G3 open+close 50 MB x4" "$out"
  # G4: an edited 50 MB file saved, trim on save rewriting its last line
  window_bench "G4 save 50 MB, trim on" g4-save-50mb.lua "to save"
  # G5: an edit of a 50 MB file kept as a draft (drafts are off with --clean: a state folder of its own)
  g5_values=() g5_gaps=()
  for _ in $(seq "$runs"); do
    g5_state=$(mktemp -d)
    out=$(GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1 XDG_STATE_HOME="$g5_state" \
            LUA_PATH="$here/?.lua;$here/../gui/?.lua;;" \
            xvfb-run -a "$smelt" --test-script "$here/g5-draft-50mb.lua" 2>/dev/null)
    rm -rf "$g5_state"
    read -r v g < <(echo "$out" | grep -E '^[0-9]+ [0-9]+$' | tail -n 1)
    g5_values+=("$v"); g5_gaps+=("$g")
  done
  printf '%-28s median %6.0f ms to the draft, longest freeze %4.0f ms   (runs: %s)\n' "G5 draft of 50 MB" \
    "$(printf '%s\n' "${g5_values[@]}" | median)" "$(printf '%s\n' "${g5_gaps[@]}" | median)" "${g5_values[*]}"
fi

# J1: smelt.json.decode of a 10 MB document, against lua-cjson in lua5.4 (the baseline)
# json_bench NAME CMD...: prints the median decode time (the script's own clock) and peak RSS
json_bench() {
  local name=$1; shift
  local secs=() kbs=() rss s b out
  for _ in $(seq "$runs"); do
    rss=$(mktemp)
    out=$(/usr/bin/time -o "$rss" -f "%M" "$@")
    read -r s b <<< "$out"
    secs+=("$s"); kbs+=("$(tail -n 1 "$rss")")
    rm -f "$rss"
  done
  printf '%-28s median %6.3f s   peak RSS %7.1f MB   (runs: %s)\n' "$name" \
    "$(printf '%s\n' "${secs[@]}" | median)" \
    "$(printf '%s\n' "${kbs[@]}" | median | awk '{ print $1 / 1024 }')" "${secs[*]}"
}
json_bench "J1 decode 10 MB JSON" "$smelt" --no-ui "${extra[@]}" "$here/j1-decode-10mb.lua"
if command -v lua5.4 >/dev/null && lua5.4 -e 'require "cjson"' 2>/dev/null; then
  json_bench "J1 baseline: lua-cjson" lua5.4 "$here/j1-decode-10mb.lua"
else
  echo "J1 baseline: lua-cjson       skipped: needs lua5.4 and lua-cjson (tests/install-deps.sh)"
fi

# L1: smelt.lsp with clangd on smelt's scheduler source: open to first diagnostic, completion
if command -v clangd >/dev/null && command -v pkg-config >/dev/null; then
  l1_open=() l1_comp=() l1_kb=()
  for _ in $(seq "$runs"); do
    rss=$(mktemp)
    out=$(/usr/bin/time -o "$rss" -f "%M" "$smelt" --no-ui "${extra[@]}" "$here/l1-lsp-clangd.lua")
    read -r o c <<< "$out"
    l1_open+=("$o"); l1_comp+=("$c"); l1_kb+=("$(tail -n 1 "$rss")")
    rm -f "$rss"
  done
  printf '%-28s median %6.0f ms open to first diagnostic, %6.1f ms a completion   peak RSS %7.1f MB   (runs: %s)\n' \
    "L1 clangd, 1,900-line file" "$(printf '%s\n' "${l1_open[@]}" | median)" "$(printf '%s\n' "${l1_comp[@]}" | median)" \
    "$(printf '%s\n' "${l1_kb[@]}" | median | awk '{ print $1 / 1024 }')" "${l1_open[*]}"
else
  echo "L1 clangd                    skipped: needs clangd and pkg-config (tests/install-deps.sh)"
fi

# L2, L3: smelt.lsp with clangd in the window, under Xvfb, keys typed with xdotool
# lsp_window_bench NAME SCRIPT WHAT: as window_bench; the script also prints
# "rss SMELT_KB CLANGD_KB", the two peak RSS, shown as medians
lsp_window_bench() {
  local name=$1 script=$2 what=$3 values=() gaps=() skb=() ckb=() out v g s c
  for _ in $(seq "$runs"); do
    out=$(GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1 LUA_PATH="$here/?.lua;$here/../gui/?.lua;;" \
            xvfb-run -a "$smelt" --clean --test-script "$here/$script" 2>/dev/null)
    read -r v g < <(echo "$out" | grep -E '^[0-9]+ [0-9]+$' | tail -n 1)
    read -r s c < <(echo "$out" | sed -n 's/^rss \([0-9]*\) \([0-9]*\)$/\1 \2/p' | tail -n 1)
    values+=("$v"); gaps+=("$g"); skb+=("$s"); ckb+=("$c")
  done
  printf '%-28s median %6.0f ms %s, longest freeze %4.0f ms   peak RSS %6.1f MB smelt, %6.1f MB clangd   (runs: %s; freezes: %s)\n' \
    "$name" "$(printf '%s\n' "${values[@]}" | median)" "$what" "$(printf '%s\n' "${gaps[@]}" | median)" \
    "$(printf '%s\n' "${skb[@]}" | median | awk '{ print $1 / 1024 }')" \
    "$(printf '%s\n' "${ckb[@]}" | median | awk '{ print $1 / 1024 }')" "${values[*]}" "${gaps[*]}"
}
if command -v clangd >/dev/null && command -v pkg-config >/dev/null && command -v xvfb-run >/dev/null \
    && command -v xdotool >/dev/null; then
  # L2: a letter that starts a word to clangd's rows in the completion popup (1,900-line file)
  lsp_window_bench "L2 key to clangd's rows" l2-lsp-complete-key.lua "to the rows"
  # L3: 100 keys at 20 a second while clangd parses and indexes (--background-index)
  lsp_window_bench "L3 typing, clangd indexing" l3-lsp-type-indexing.lua "for 100 keys"
else
  echo "L2, L3 clangd in the window      skipped: needs clangd, pkg-config, xvfb-run and xdotool (tests/install-deps.sh)"
fi
