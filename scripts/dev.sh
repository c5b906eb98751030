#!/usr/bin/env bash
# The demo portal: scripts/dev.sh setup VENV | serve VENV HOST PORT
# setup: database tables and migrations, a sysadmin, the Vietnamese demo data.
# serve: a CKAN job worker in the background and the web server in front.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VENV=${2:-.venv}
RUN_DIR=${RUN_DIR:-$ROOT/.run}
INI=${DEV_INI:-$ROOT/dev.ini}
CKAN=("$VENV/bin/ckan" -c "$INI")
ADMIN_USER=${ADMIN_USER:-admin}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-Nd47-demo-2026}
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@demo.nd47.invalid}

log() { printf '[dev] %s\n' "$*" >&2; }

setup() {
  mkdir -p "$RUN_DIR/storage" "$RUN_DIR/cache"
  log "database: tables and migrations"
  "${CKAN[@]}" db init >/dev/null
  "${CKAN[@]}" db pending-migrations --apply >/dev/null
  if ! "${CKAN[@]}" user show "$ADMIN_USER" 2>/dev/null | grep -q "name=$ADMIN_USER"; then
    log "creating sysadmin $ADMIN_USER"
    "${CKAN[@]}" user add "$ADMIN_USER" email="$ADMIN_EMAIL" password="$ADMIN_PASSWORD" >/dev/null
  fi
  "${CKAN[@]}" sysadmin add "$ADMIN_USER" >/dev/null 2>&1 || true
  log "loading the Vietnamese demo data"
  "$VENV/bin/python" scripts/demo_data.py "$INI"
  log "building the full DCAT dump (/catalog/dump.ttl.gz, /catalog/dump.rdf.gz)"
  "${CKAN[@]}" nd47-dcat dump >/dev/null
}

serve() {
  local host=${3:-127.0.0.1} port=${4:-5000}
  mkdir -p "$RUN_DIR"
  if ! { [ -f "$RUN_DIR/worker.pid" ] && kill -0 "$(cat "$RUN_DIR/worker.pid")" 2>/dev/null; }; then
    # supervised: started again after Redis restarts (scripts/worker.sh)
    nohup scripts/worker.sh "$VENV" "$INI" >> "$RUN_DIR/worker.log" 2>&1 < /dev/null &
    echo $! > "$RUN_DIR/worker.pid"
  fi
  cat >&2 <<TXT

  Demo portal:  http://$host:$port
  Sysadmin:     $ADMIN_USER / $ADMIN_PASSWORD
  Stop:         Ctrl-C here, then 'make stop' for the services

TXT
  echo $$ > "$RUN_DIR/ckan.pid"
  exec "${CKAN[@]}" run -H "$host" -p "$port" --disable-reloader --disable-debugger --threaded
}

case "${1:-}" in
  setup) setup ;;
  serve) serve "$@" ;;
  *) echo "usage: $0 setup VENV | serve VENV HOST PORT" >&2; exit 64 ;;
esac
