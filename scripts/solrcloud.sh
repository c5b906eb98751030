#!/usr/bin/env bash
# A local SolrCloud for `make test-cloud`: two Solr 9 nodes with an embedded
# ZooKeeper (MiniSolrCloudCluster, scripts/solr/CloudLauncher.java, from the
# same Maven artifact as the single node of scripts/stack.sh) and a collection
# of 2 shards x 2 replicas with CKAN's schema as its configset.
#
#   scripts/solrcloud.sh run VENV COMMAND...   start it, run COMMAND with
#       CKAN_SOLR_URL pointing at the collection, stop it; COMMAND's status
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${RUN_DIR:-$ROOT/.run}
COLLECTION=${SOLRCLOUD_COLLECTION:-ckan_cloud}
log() { printf '[solrcloud] %s\n' "$*" >&2; }

[ "${1:-}" = run ] || { echo "usage: $0 run VENV COMMAND..." >&2; exit 64; }
VENV=$2; shift 2
case "$VENV" in /*) ;; *) VENV=$ROOT/$VENV ;; esac
# the classpath scripts/stack.sh resolved from Maven for the single node
CLASSPATH_FILE=$RUN_DIR/solr-classpath.txt
[ -s "$CLASSPATH_FILE" ] || { log "ERROR: no $CLASSPATH_FILE: run 'make test-services' first"; exit 1; }
command -v java >/dev/null || { log "ERROR: no java: SolrCloud cannot start (run: scripts/stack.sh system)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nd47-solrcloud.XXXXXX")
mkdir -p "$WORK/conf"
# CKAN's schema with one change that SolrCloud needs: its `_version_` is a
# string, and replicas apply deletes-by-query and overwrites by comparing
# versions as numbers (a string version left stale and deleted datasets on a
# replica, found in about half of the quick runs); it becomes a long
SCHEMA=$("$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')
sed 's|<field name="_version_" type="string" indexed="true" stored="true"/>|<field name="_version_" type="plong" indexed="true" stored="true" docValues="true"/>|' \
  "$SCHEMA" > "$WORK/conf/schema.xml"
grep -q '<field name="_version_" type="plong"' "$WORK/conf/schema.xml" \
  || { log "ERROR: CKAN's schema.xml has no string _version_ field to make a long ($SCHEMA)"; exit 1; }
cp "$ROOT/scripts/solr/solrconfig.xml" "$WORK/conf/"
touch "$WORK/conf/synonyms.txt" "$WORK/conf/protwords.txt" "$WORK/conf/stopwords.txt"

STARTED=$SECONDS
log "starting 2 nodes, collection $COLLECTION (2 shards x 2 replicas)"
java -Xms128m -Xmx768m -Dsolr.log.dir="$WORK" -Dlog4j2.formatMsgNoLookups=true \
  -cp "$(cat "$CLASSPATH_FILE")" "$ROOT/scripts/solr/CloudLauncher.java" \
  "$WORK/nodes" "$WORK/conf" "$COLLECTION" > "$WORK/solrcloud.log" 2>&1 < /dev/null &
PID=$!
stop() {
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop EXIT
for _ in $(seq 360); do
  grep -q '^SOLRCLOUD READY' "$WORK/solrcloud.log" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { tail -n 30 "$WORK/solrcloud.log" >&2; log "ERROR: SolrCloud exited during start-up"; exit 1; }
  sleep 0.5
done
grep -q '^SOLRCLOUD READY' "$WORK/solrcloud.log" || { tail -n 30 "$WORK/solrcloud.log" >&2; log "ERROR: SolrCloud not ready in 180 s"; exit 1; }
NODE=$(grep '^SOLRCLOUD READY' "$WORK/solrcloud.log" | awk '{print $3}')
log "ready in $((SECONDS - STARTED)) s: $(grep '^SOLRCLOUD READY' "$WORK/solrcloud.log" | cut -d' ' -f3-)"
set +e
CKAN_SOLR_URL=$NODE/$COLLECTION "$@"
STATUS=$?
set -e
log "the tests ended with status $STATUS after $((SECONDS - STARTED)) s (cluster start included)"
exit $STATUS
