#!/usr/bin/env bash
# Creates or completes the virtualenv: scripts/venv.sh PYTHON VENV CKAN_VERSION
# CKAN is installed with its own pinned requirements and test tools
# (ckan[requirements,dev]); setuptools stays below 82 (CKAN 2.11 breaks on 82+).
set -euo pipefail
PYTHON=$1 VENV=$2 CKAN_VERSION=$3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

"$PYTHON" - <<'PY' || { echo "[venv] ERROR: Python 3.10-3.12 is required ($PYTHON)" >&2; exit 1; }
import sys
sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)
PY

if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if (3,10) <= sys.version_info[:2] <= (3,12) else 1)'; then
  echo "[venv] $VENV has an unsupported Python: recreating" >&2
  rm -rf "$VENV"
fi
[ -x "$VENV/bin/python" ] || { echo "[venv] creating $VENV with $("$PYTHON" --version)" >&2; "$PYTHON" -m venv "$VENV"; }

PIP=("$VENV/bin/pip" install --disable-pip-version-check -q)
"${PIP[@]}" "setuptools<82" wheel
echo "[venv] installing CKAN $CKAN_VERSION with its requirements" >&2
"${PIP[@]}" "ckan[requirements,dev]==$CKAN_VERSION.*"
echo "[venv] installing ckanext-nd47 (editable) with scheming, dcat, harvest and test tools" >&2
"${PIP[@]}" -e ".[test]" "setuptools<82" "ckan==$CKAN_VERSION.*"
"$VENV/bin/python" -c "import ckan, ckanext.scheming, ckanext.dcat, ckanext.harvest, ckanext.nd47; print('[venv] CKAN', ckan.__version__, 'ready in $VENV')" >&2
# third-party browser files from npm (Leaflet for the maps, axe-core for the
# accessibility test); a warning, not a failure, without npm
scripts/assets.sh
