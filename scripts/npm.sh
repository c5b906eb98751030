#!/usr/bin/env bash
# Installs the third-party JavaScript of package.json into node_modules/
# (axe-core, which the accessibility browser test injects into pages) with
# npm and its default registry. Without npm it says so and stops: the tests
# that need these files skip with a message.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if ! command -v npm >/dev/null 2>&1; then
  echo "[npm] npm not found: node_modules not installed (the accessibility test will skip)" >&2
  exit 0
fi
npm install --no-package-lock --no-audit --no-fund --loglevel=error
echo "[npm] node_modules ready" >&2
