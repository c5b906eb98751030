#!/usr/bin/env bash
# The portal served as in production, on one machine (loopback only):
# gunicorn with several workers (deploy/wsgi.py) and RQ job workers.
#
#   scripts/prod.sh setup VENV               tables, migrations, sysadmin, demo data, dump
#   scripts/prod.sh start VENV HOST PORT     gunicorn + job workers in the background
#   scripts/prod.sh stop                     stop what start started (recorded pids)
#   scripts/prod.sh status
#
# Database, Solr core, Redis database, storage and site URL come from the
# environment (CKAN_SQLALCHEMY_URL, CKAN_SOLR_URL, CKAN_REDIS_URL,
# CKAN_STORAGE_PATH, CKAN_SITE_URL: `make serve-prod` sets them), so the
# demo portal's database is never touched. WEB_WORKERS (4) and JOB_WORKERS (2)
# choose the number of processes. Pids and logs live in PROD_RUN_DIR.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VENV=${2:-.venv}
case "$VENV" in /*) ;; *) VENV=$ROOT/$VENV ;; esac
PROD_RUN_DIR=${PROD_RUN_DIR:-$ROOT/.run/prod}
INI=${PROD_INI:-$ROOT/dev.ini}
WEB_WORKERS=${WEB_WORKERS:-4}
JOB_WORKERS=${JOB_WORKERS:-2}
export CKAN_INI=$INI

log() { printf '[prod] %s\n' "$*" >&2; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

setup() {
  local database=${CKAN_SQLALCHEMY_URL:-}
  case "${database##*/}" in
    ""|ckan_nd47_dev) log "set CKAN_SQLALCHEMY_URL to a database of its own (make serve-prod does)"; exit 64 ;;
  esac
  mkdir -p "$PROD_RUN_DIR" "${CKAN_STORAGE_PATH:-$PROD_RUN_DIR/storage}"
  RUN_DIR=$PROD_RUN_DIR DEV_INI=$INI scripts/dev.sh setup "$VENV"
}

start() {
  local host=${3:-127.0.0.1} port=${4:-5080} i
  mkdir -p "$PROD_RUN_DIR"
  for i in $(seq "$JOB_WORKERS"); do
    alive "$PROD_RUN_DIR/worker-$i.pid" && continue
    nohup "$VENV/bin/ckan" -c "$INI" jobs worker >> "$PROD_RUN_DIR/worker-$i.log" 2>&1 < /dev/null &
    echo $! > "$PROD_RUN_DIR/worker-$i.pid"
  done
  if ! alive "$PROD_RUN_DIR/gunicorn.pid"; then
    # --timeout: a catalogue page of a large portal takes seconds, not minutes
    "$VENV/bin/gunicorn" --chdir "$ROOT/deploy" wsgi:application \
      --bind "$host:$port" --workers "$WEB_WORKERS" --timeout 120 \
      --pid "$PROD_RUN_DIR/gunicorn.pid" --daemon \
      --access-logfile "$PROD_RUN_DIR/access.log" --error-logfile "$PROD_RUN_DIR/gunicorn.log"
  fi
  for i in $(seq 240); do
    curl -fsS "http://$host:$port/api/3/action/status_show" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://$host:$port/api/3/action/status_show" >/dev/null \
    || { tail -n 30 "$PROD_RUN_DIR/gunicorn.log" >&2; log "gunicorn did not answer"; exit 1; }
  log "http://$host:$port: gunicorn, $WEB_WORKERS workers; $JOB_WORKERS job workers (logs in $PROD_RUN_DIR; stop: make stop-prod)"
}

stop_one() {
  local f=$1 i
  alive "$f" || { rm -f "$f"; return 0; }
  kill "$(cat "$f")"
  for i in $(seq 100); do alive "$f" || break; sleep 0.1; done
  alive "$f" && kill -9 "$(cat "$f")"
  rm -f "$f"
}

stop() {
  local f
  for f in "$PROD_RUN_DIR"/gunicorn.pid "$PROD_RUN_DIR"/worker-*.pid; do
    [ -e "$f" ] || continue
    log "stopping $(basename "$f" .pid)"
    stop_one "$f"
  done
}

status() {
  local f
  for f in "$PROD_RUN_DIR"/gunicorn.pid "$PROD_RUN_DIR"/worker-*.pid; do
    [ -e "$f" ] || continue
    if alive "$f"; then echo "$(basename "$f" .pid): running ($(cat "$f"))"; else echo "$(basename "$f" .pid): dead"; fi
  done
}

case "${1:-}" in
  setup) setup ;;
  start) start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 setup VENV | start VENV HOST PORT | stop | status" >&2; exit 64 ;;
esac
