#!/usr/bin/env bash
# The local portal stack, started by the project itself (no Docker here):
# PostgreSQL and Redis from Debian packages, a real Solr 9 from Maven Central.
# Every step is idempotent; data, logs and pid files live under $RUN_DIR.
#
#   scripts/stack.sh system     install missing Debian packages
#   scripts/stack.sh start      start PostgreSQL, Redis and Solr if not running
#   scripts/stack.sh stop       stop what start started (by recorded pids)
#   scripts/stack.sh status     say what runs
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${RUN_DIR:-$ROOT/.run}
VENV=${VENV:-$ROOT/.venv}
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}
SOLR_PORT=${SOLR_PORT:-8983}
SOLR_CORES=${SOLR_CORES:-"ckan ckan_test"}
DB_USER=${DB_USER:-ckan_nd47}
DB_PASS=${DB_PASS:-ckan_nd47}
DB_NAMES=${DB_NAMES:-"ckan_nd47_dev ckan_nd47_test"}

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $*"; fi
}

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] || die "PostgreSQL server binaries not found (run: scripts/stack.sh system)"
  echo "$d"
}

# --- Debian packages ------------------------------------------------------
system() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v curl >/dev/null || missing+=(curl)
  command -v msgfmt >/dev/null || missing+=(gettext)
  command -v npm >/dev/null || missing+=(nodejs npm)
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages present"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# --- PostgreSQL -------------------------------------------------------------
pg_dir() {
  # The server refuses to run as root, so it runs as the 'postgres' account,
  # which must be able to reach its data folder.
  local d=$RUN_DIR/pg
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$RUN_DIR" 2>/dev/null; then
    d=/var/tmp/nd47-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)
  fi
  echo "$d"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local bin dir
  mkdir -p "$RUN_DIR"
  bin=$(pg_bin); dir=$(pg_dir)
  if [ ! -s "$dir/data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $dir"
    mkdir -p "$dir/data" "$dir/sock"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    log "PostgreSQL already running on $PG_PORT"
  else
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    # fsync off: a disposable development/test instance, not a production one.
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  echo "$dir" > "$RUN_DIR/pg.dir"
  pg_databases
}

psql_admin() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

pg_databases() {
  if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" != 1 ]; then
    psql_admin -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASS'"
  fi
  local db
  for db in $DB_NAMES; do
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$db'")" != 1 ]; then
      log "creating database $db"
      psql_admin -c "CREATE DATABASE $db OWNER $DB_USER ENCODING 'UTF8' TEMPLATE template0"
    fi
  done
}

pg_stop() {
  [ -f "$RUN_DIR/pg.dir" ] || return 0
  local dir; dir=$(cat "$RUN_DIR/pg.dir")
  if as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    log "stopping PostgreSQL"
    as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  fi
}

# --- Redis -----------------------------------------------------------------
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

redis_start() {
  mkdir -p "$RUN_DIR/redis"
  if pid_alive "$RUN_DIR/redis.pid"; then
    log "Redis already running on $REDIS_PORT"
    return
  fi
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
    --pidfile "$RUN_DIR/redis.pid" --dir "$RUN_DIR/redis" --logfile "$RUN_DIR/redis/redis.log" \
    --save "" --appendonly no
  local i
  for i in $(seq 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return
    sleep 0.1
  done
  die "Redis did not answer on $REDIS_PORT (see $RUN_DIR/redis/redis.log)"
}

stop_pidfile() {
  local f=$1 name=$2 i
  pid_alive "$f" || { rm -f "$f"; return 0; }
  log "stopping $name"
  kill "$(cat "$f")"
  for i in $(seq 100); do pid_alive "$f" || break; sleep 0.1; done
  pid_alive "$f" && kill -9 "$(cat "$f")"
  rm -f "$f"
}

# --- Solr 9 ------------------------------------------------------------------
ckan_schema() {
  local s
  s=$("$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')
  [ -f "$s" ] || die "CKAN's Solr schema not found at $s (is CKAN installed in $VENV?)"
  echo "$s"
}

solr_conf() {  # solr_conf CORE: the core's configuration, from the installed CKAN's own schema
  local conf=$RUN_DIR/solr/$1/conf
  mkdir -p "$conf"
  cp "$ROOT/scripts/solr/solrconfig.xml" "$conf/solrconfig.xml"
  cp "$(ckan_schema)" "$conf/schema.xml"
  touch "$conf/synonyms.txt" "$conf/protwords.txt" "$conf/stopwords.txt"
}

solr_classpath() {
  local cp=$RUN_DIR/solr-classpath.txt pom=$ROOT/scripts/solr/pom.xml
  if [ ! -s "$cp" ] || [ "$pom" -nt "$cp" ]; then
    log "resolving Solr 9 from Maven (cached in ~/.m2)"
    mvn -q -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime >&2 \
      || die "Maven could not resolve org.apache.solr:solr-test-framework"
  fi
  cat "$cp"
}

solr_core_ok() {
  curl -fsS "http://127.0.0.1:$SOLR_PORT/solr/$1/select?q=*:*&rows=0" >/dev/null 2>&1
}

# Each core carries the schema of the CKAN that asked for it, so CKAN 2.11 and
# 2.12 test cores live side by side in one Solr node: a missing core is
# created through the CoreAdmin API and a core whose schema differs from the
# installed CKAN's is reloaded with it.
solr_cores() {
  local core admin="http://127.0.0.1:$SOLR_PORT/solr/admin/cores" schema
  schema=$(ckan_schema)
  for core in $SOLR_CORES; do
    if solr_core_ok "$core"; then
      cmp -s "$schema" "$RUN_DIR/solr/$core/conf/schema.xml" && continue
      log "reloading Solr core $core with $(grep -o 'name="ckan-[0-9.]*"' "$schema" | head -n 1)"
      solr_conf "$core"
      curl -fsS "$admin?action=RELOAD&core=$core" >/dev/null || die "Solr could not reload core $core"
    else
      log "creating Solr core $core"
      solr_conf "$core"
      rm -f "$RUN_DIR/solr/$core/core.properties"
      curl -fsS "$admin?action=CREATE&name=$core&instanceDir=$core" >/dev/null \
        || { tail -n 30 "$RUN_DIR/solr.log" >&2; die "Solr could not create core $core (see $RUN_DIR/solr.log)"; }
    fi
    solr_core_ok "$core" || die "Solr core '$core' does not answer /select"
  done
}

solr_start() {
  mkdir -p "$RUN_DIR/solr"
  if pid_alive "$RUN_DIR/solr.pid"; then
    log "Solr already running on $SOLR_PORT"
  else
    local cp; cp=$(solr_classpath)
    echo '<solr/>' > "$RUN_DIR/solr/solr.xml"
    log "starting Solr 9 on 127.0.0.1:$SOLR_PORT"
    : > "$RUN_DIR/solr.log"
    nohup java -Xms256m -Xmx1g -Dsolr.log.dir="$RUN_DIR" -Dlog4j2.formatMsgNoLookups=true \
      -cp "$cp" "$ROOT/scripts/solr/Launcher.java" "$RUN_DIR/solr" "$SOLR_PORT" \
      >> "$RUN_DIR/solr.log" 2>&1 < /dev/null &
    echo $! > "$RUN_DIR/solr.pid"
    local i
    for i in $(seq 240); do
      grep -q '^SOLR READY' "$RUN_DIR/solr.log" && break
      if ! pid_alive "$RUN_DIR/solr.pid"; then
        grep -E 'SOLR CORE FAILED|caused by' "$RUN_DIR/solr.log" | head -n 20 >&2 || true
        rm -f "$RUN_DIR/solr.pid"
        die "Solr exited during start-up (full log: $RUN_DIR/solr.log)"
      fi
      sleep 0.5
    done
    grep -q '^SOLR READY' "$RUN_DIR/solr.log" || die "Solr did not become ready in 120 s (see $RUN_DIR/solr.log)"
    log "$(grep '^SOLR READY' "$RUN_DIR/solr.log")"
  fi
  solr_cores
}

start() { pg_start; redis_start; solr_start; }

stop() {
  stop_pidfile "$RUN_DIR/ckan.pid" "CKAN web server"
  stop_pidfile "$RUN_DIR/worker.pid" "CKAN job worker"
  stop_pidfile "$RUN_DIR/solr.pid" Solr
  stop_pidfile "$RUN_DIR/redis.pid" Redis
  pg_stop
}

status() {
  local dir
  dir=$(cat "$RUN_DIR/pg.dir" 2>/dev/null || true)
  if [ -n "$dir" ] && as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "PostgreSQL: running on 127.0.0.1:$PG_PORT"; else echo "PostgreSQL: stopped"; fi
  pid_alive "$RUN_DIR/redis.pid" && echo "Redis: running on 127.0.0.1:$REDIS_PORT" || echo "Redis: stopped"
  pid_alive "$RUN_DIR/solr.pid" && echo "Solr: running on http://127.0.0.1:$SOLR_PORT/solr" || echo "Solr: stopped"
  pid_alive "$RUN_DIR/ckan.pid" && echo "CKAN: running on http://127.0.0.1:5000" || echo "CKAN: stopped"
}

case "${1:-}" in
  system) system ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 system|start|stop|status" >&2; exit 64 ;;
esac
