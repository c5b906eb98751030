#!/usr/bin/env bash
# Extract -> update -> compile the ckanext-nd47 catalogues (vi, en).
#   scripts/i18n.sh VENV
set -euo pipefail
VENV=${1:-.venv}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
I18N=ckanext/nd47/i18n
POT=$I18N/ckanext-nd47.pot
PYBABEL=$VENV/bin/pybabel

"$PYBABEL" -q extract -F babel.cfg --keywords="_ gettext ngettext:1,2 ugettext ungettext:1,2 N_ _l" \
  --add-comments=TRANSLATORS: --sort-by-file --project=ckanext-nd47 --width=80 -o "$POT" ckanext
for lang in vi en; do
  po=$I18N/$lang/LC_MESSAGES/ckanext-nd47.po
  if [ -f "$po" ]; then
    "$PYBABEL" -q update -D ckanext-nd47 -i "$POT" -d "$I18N" -l "$lang" --width=80 --no-fuzzy-matching
  else
    "$PYBABEL" -q init -D ckanext-nd47 -i "$POT" -d "$I18N" -l "$lang" --width=80
  fi
done
"$PYBABEL" compile -D ckanext-nd47 -d "$I18N" --statistics
