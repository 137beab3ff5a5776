#!/usr/bin/env bash
# check-translations.sh: every file with marked strings is in POTFILES, and LANG.po translates every one of them
# SPDX-License-Identifier: GPL-3.0-or-later
# usage: check-translations.sh SOURCE_ROOT LANG
set -euo pipefail
src=$1 lang=$2
cd "$src"
status=0

# 1. a file that marks strings (C and Lua _("..."), N_("..."); .ui
#    translatable="yes") but is missing from POTFILES would go untranslated
while IFS= read -r f; do
  if ! grep -qxF "$f" po/POTFILES; then
    echo "not in po/POTFILES: $f"
    status=1
  fi
done < <(grep -lE '(^|[^A-Za-z0-9_])N?_\("' app/*.c lua/smelt/*.lua lua/plugin/*.lua 2>/dev/null;
         grep -l 'translatable="yes"' data/ui/*.ui 2>/dev/null)

# 2. the strings as the sources have them now (the glib preset's keywords),
#    each translated, none fuzzy (msgcmp counts neither as defined)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xgettext --files-from=po/POTFILES --directory="$src" --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --flag=N_:1:pass-c-format --flag=_:1:pass-c-format -o "$tmp/smelt.pot"
if ! msgcmp "po/$lang.po" "$tmp/smelt.pot"; then
  echo "po/$lang.po does not translate every string (run: meson compile -C build smelt-update-po, then translate)"
  status=1
fi
[ "$status" -eq 0 ] && echo "po/$lang.po: every string of po/POTFILES translated"
exit "$status"
