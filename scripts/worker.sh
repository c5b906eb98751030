#!/usr/bin/env bash
# A CKAN job worker that outlives a Redis restart: scripts/worker.sh VENV INI [QUEUE...]
# RQ's worker exits when its Redis connection breaks (ConnectionError) and
# never comes back by itself, so queued jobs would wait forever. This loop
# starts it again, waiting a little longer after each quick failure (1, 2, 4
# ... up to WORKER_MAX_BACKOFF seconds; back to 1 after a run of a minute or
# more). SIGTERM or SIGINT stops the worker and the loop.
set -uo pipefail
VENV=${1:?usage: $0 VENV INI [QUEUE...]}
INI=${2:?usage: $0 VENV INI [QUEUE...]}
shift 2
MAX_BACKOFF=${WORKER_MAX_BACKOFF:-30}
child=""

stop() {
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child" 2>/dev/null
  exit 0
}
trap stop TERM INT

delay=1
while true; do
  started=$(date +%s)
  "$VENV/bin/ckan" -c "$INI" jobs worker "$@" &
  child=$!
  wait "$child"
  status=$?
  child=""
  if [ $(($(date +%s) - started)) -ge 60 ]; then
    delay=1
  fi
  printf '[worker] exited with status %s; starting again in %ss\n' "$status" "$delay" >&2
  sleep "$delay" &
  wait $!
  delay=$((delay * 2 > MAX_BACKOFF ? MAX_BACKOFF : delay * 2))
done
