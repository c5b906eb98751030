#!/usr/bin/env bash
# Extract -> update -> compile the ckanext-nd47 catalogues (vi, en).
#   scripts/i18n.sh VENV
# Two source catalogues per language (see ckanext/nd47/translations.py):
#   ckanext-nd47.po   our own strings, extracted from ckanext/ (pybabel)
#   ckan-upstream.po  our translations of CKAN core, ckanext-dcat,
#                     ckanext-harvest and ckanext-scheming UI strings; its
#                     template grows with the msgids of every installed
#                     virtualenv (.venv, and .venv-2.11 when it exists)
# compiled into one ckanext-nd47.mo per language, ours winning on a clash.
set -euo pipefail
VENV=${1:-.venv}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
I18N=ckanext/nd47/i18n
POT=$I18N/ckanext-nd47.pot
PYBABEL=$VENV/bin/pybabel

# 1. Our strings.
# Extracted aside and kept only if more than its date changed, so a run
# without new strings leaves the catalogues (and other branches) alone.
NEW_POT=$(mktemp)
trap 'rm -f "$NEW_POT"' EXIT
"$PYBABEL" -q extract -F babel.cfg --keywords="_ gettext ngettext:1,2 ugettext ungettext:1,2 N_ _l" \
  --add-comments=TRANSLATORS: --sort-by-file --project=ckanext-nd47 --width=80 -o "$NEW_POT" ckanext
if [ -f "$POT" ] && diff -q <(grep -v '^"POT-Creation-Date:' "$POT") \
    <(grep -v '^"POT-Creation-Date:' "$NEW_POT") >/dev/null; then
  echo "[i18n] $POT: no new strings"
else
  cp "$NEW_POT" "$POT"
fi
for lang in vi en; do
  po=$I18N/$lang/LC_MESSAGES/ckanext-nd47.po
  if [ -f "$po" ]; then
    "$PYBABEL" -q update -D ckanext-nd47 -i "$POT" -d "$I18N" -l "$lang" --width=80 --no-fuzzy-matching \
      --ignore-obsolete
  else
    "$PYBABEL" -q init -D ckanext-nd47 -i "$POT" -d "$I18N" -l "$lang" --width=80
  fi
done

# 2. Upstream strings: the union of every CKAN version we have a virtualenv for.
for venv in $(printf '%s\n' "$VENV" .venv .venv-2.11 | awk '!seen[$0]++'); do
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import ckanext.nd47' 2>/dev/null; then
    "$venv/bin/python" -m ckanext.nd47.translations upstream-pot
  fi
done
"$VENV/bin/python" -m ckanext.nd47.translations update-upstream vi

# 3. Check and compile: ours + upstream -> ckanext-nd47.mo.
for lang in vi en; do
  for po in "$I18N/$lang"/LC_MESSAGES/*.po; do
    "$PYBABEL" -q compile -i "$po" -o /dev/null -l "$lang"   # syntax check
  done
done
"$VENV/bin/python" -m ckanext.nd47.translations compile vi en
