#!/usr/bin/env bash
# Extract -> update -> compile the ckanext-nd47 catalogues (vi, en).
#   scripts/i18n.sh VENV
# Two source catalogues per language (see ckanext/nd47/catalogues.py):
#   ckanext-nd47.po   our own strings, extracted from ckanext/
#   ckan-upstream.po  our translations of CKAN core, ckanext-dcat,
#                     ckanext-harvest and ckanext-scheming UI strings; its
#                     template grows with the msgids of every installed
#                     virtualenv (.venv, and .venv-2.11 when it exists)
# compiled into one ckanext-nd47.mo per language, ours winning on a clash,
# plus the JavaScript catalogue i18n/js/<lang>.js. The extraction settings
# are in ckanext/nd47/catalogues.py (METHOD_MAP, KEYWORDS), nowhere else.
set -euo pipefail
VENV=${1:-.venv}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
I18N=ckanext/nd47/i18n
POT=$I18N/ckanext-nd47.pot
PYBABEL=$VENV/bin/pybabel
BUILD="$VENV/bin/python scripts/i18n_build.py"

# 1. Our strings. The template is kept when only its date would change, so a
# run without new strings leaves the catalogues (and other branches) alone.
$BUILD pot
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
    "$venv/bin/python" scripts/i18n_build.py upstream-pot
  fi
done
$BUILD update-upstream vi

# 3. Check and compile: ours + upstream -> ckanext-nd47.mo, and the JS files.
for lang in vi en; do
  for po in "$I18N/$lang"/LC_MESSAGES/*.po; do
    "$PYBABEL" -q compile -i "$po" -o /dev/null -l "$lang"   # syntax check
  done
done
$BUILD compile vi en
# the JavaScript catalogue too: the union of every CKAN version's JS strings
for venv in $(printf '%s\n' .venv-2.11 .venv "$VENV" | awk '!seen[$0]++'); do
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import ckanext.nd47' 2>/dev/null; then
    "$venv/bin/python" scripts/i18n_build.py js
  fi
done
