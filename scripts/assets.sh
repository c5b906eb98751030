#!/usr/bin/env bash
# Installs the third-party browser files the portal serves itself:
#   scripts/assets.sh
# Leaflet and Leaflet-Geoman (versions in scripts/assets/package.json) come
# from npm's default registry into scripts/assets/node_modules, and their
# distribution files are copied to ckanext/nd47/vendor/ with a webassets.yml
# naming them, which the nd47 plugin registers as the asset library
# "nd47_vendor" (served by CKAN's webassets). Both folders are outside git.
# Idempotent: nothing is done when the copied files match package.json.
# Without npm (or offline) it warns and stops: the pages then draw the
# spatial coverage as an SVG outline, without an interactive map.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC=$ROOT/scripts/assets
DEST=$ROOT/ckanext/nd47/vendor
STAMP=$DEST/.installed

log() { printf '[assets] %s\n' "$*" >&2; }

if [ -f "$STAMP" ] && cmp -s "$SRC/package.json" "$STAMP"; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  log "WARNING: npm is missing (scripts/stack.sh system installs it): the map stays an SVG outline"
  exit 0
fi
log "installing Leaflet and Leaflet-Geoman with npm"
if ! npm install --prefix "$SRC" --no-package-lock --no-audit --no-fund --loglevel=error >&2; then
  log "WARNING: npm install failed: the map stays an SVG outline"
  exit 0
fi
rm -rf "$DEST"
mkdir -p "$DEST/leaflet" "$DEST/leaflet-geoman"
cp -r "$SRC/node_modules/leaflet/dist/leaflet.js" "$SRC/node_modules/leaflet/dist/leaflet.css" \
  "$SRC/node_modules/leaflet/dist/images" "$SRC/node_modules/leaflet/LICENSE" "$DEST/leaflet/"
cp "$SRC/node_modules/@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.js" \
  "$SRC/node_modules/@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css" \
  "$SRC/node_modules/@geoman-io/leaflet-geoman-free/LICENSE" "$DEST/leaflet-geoman/"
# already minified: no filter; Leaflet's images are not used (no markers)
cat >"$DEST/webassets.yml" <<'YAML'
leaflet-css:
  output: ckanext-nd47/%(version)s-leaflet.css
  contents:
    - leaflet/leaflet.css

leaflet-js:
  output: ckanext-nd47/%(version)s-leaflet.js
  contents:
    - leaflet/leaflet.js

geoman-css:
  output: ckanext-nd47/%(version)s-leaflet-geoman.css
  contents:
    - leaflet-geoman/leaflet-geoman.css

geoman-js:
  output: ckanext-nd47/%(version)s-leaflet-geoman.js
  extra:
    preload:
      - nd47_vendor/leaflet-js
  contents:
    - leaflet-geoman/leaflet-geoman.js
YAML
cp "$SRC/package.json" "$STAMP"
log "Leaflet served from $DEST"
