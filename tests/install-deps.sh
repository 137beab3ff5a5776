#!/usr/bin/env bash
# tests/install-deps.sh: installs (as root) the Debian 12 packages smelt builds, runs and tests with
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc libc6-dev
  libglib2.0-dev liblua5.4-dev libgtk-4-dev libgtksourceview-5-dev
  gobject-introspection libgirepository1.0-dev libjson-glib-dev libyajl-dev libsoup-3.0-dev gettext
  # tests: sanitizers' runtime, a display, real key input, a private session bus, data validators, GI from Python
  libclang-rt-14-dev xvfb xauth xdotool imagemagick
  lua5.4 lua-cjson   # the JSON benchmark's baseline (tests/bench)
  clangd python3-pylsp python3-pyflakes   # the LSP specs against real servers (tests/lua/lsp, gio/lsp_exchange_spec)
  libxml2-utils dbus-daemon desktop-file-utils appstream python3 python3-gi gir1.2-glib-2.0 gir1.2-gtk-4.0
  glib-networking openssl   # smelt.net over TLS; the certificates of gio_net_spec and gio_http_spec
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
