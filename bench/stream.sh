#!/usr/bin/env bash
# Streaming discovery benchmark (issue 9, "A run is a stream"): a first run over a very large local store under a
# small heap. Measures, for one run-once against S3Proxy on loopback (HTTPS, SSE-C): seconds from process start to
# the first PUT the server sees, peak RSS, files uploaded within the first 45 s of the run (the run is capped by
# offload.max-run-duration = 45s), and whether it ended without an OutOfMemoryError. See docs/benchmarks.md,
# section "Streaming discovery".
#
#   bench/stream.sh [local|remote70]     (default: local)
#
# Environment:
#   STREAM_MEDIA      media in the store (default 1500000 for local, 300000 for remote70)
#   STREAM_JAVA_OPTS  JVM options of the run (default "-Xmx128m -XX:+UseSerialGC")
#   STREAM_LAUNCHER   run run-once through this launcher (deploy/synapse-media-offload as install.sh installs it,
#                     e.g. with its start-up archive) with JAVA_OPTS=$STREAM_JAVA_OPTS, instead of java -jar; the
#                     launcher runs the jar next to it (STREAM_JAR does not apply)
#   STREAM_DURATION   offload.max-run-duration of the run (default 45s)
#   STREAM_LATENCY_MS S3Proxy's added latency per storage operation, in ms (default 0: loopback as it is)
#   STREAM_DB         the store's PostgreSQL database (default: named after the profile, the count and BENCH_DIR)
#   BENCH_DIR         work directory (default /tmp/synapse-media-offload-bench); the store is kept in
#                     $BENCH_DIR/stream-<profile>-<media> and regenerated only when missing (a run deletes what it
#                     offloads: the store is copied first unless STREAM_IN_PLACE=1)
#   STREAM_DB         Synapse database name (default: derived from the profile, the media count and BENCH_DIR)
#   BENCH_PG_HOST/BENCH_PG_PORT/BENCH_PG_USER/PGPASSWORD   PostgreSQL (default 127.0.0.1:5432, postgres)
#   STREAM_PREP_ONLY  1 = generate the store (and its database) if missing, then stop: no copy, no server, no run
#                     (so the store can be made at low CPU priority, e.g. under chrt --idle 0, and measured later)
#
# Needs: JDK 17, PostgreSQL, GNU time, curl. Everything listens on 127.0.0.1; every process is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PROFILE=${1:-local}
case "$PROFILE" in
    local) MEDIA=${STREAM_MEDIA:-1500000} ;;
    remote70) MEDIA=${STREAM_MEDIA:-300000} ;;
    *) echo "usage: bench/stream.sh [local|remote70]" >&2; exit 2 ;;
esac
JAVA_OPTS=${STREAM_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC}
DURATION=${STREAM_DURATION:-45s}
DIR=${BENCH_DIR:-/tmp/synapse-media-offload-bench}
STORE=$DIR/stream-$PROFILE-$MEDIA
# Named after the work directory too, as in bench/run.sh: two BENCH_DIRs must never share (and regenerate) one database.
DB=${STREAM_DB:-stream_${PROFILE}_${MEDIA}_$(printf '%s' "$DIR" | md5sum | cut -c1-8)}
SSE_KEY=bench-sse-c-key-0123456789abcdef
unset AWS_CA_BUNDLE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_REGION || true
mkdir -p "$DIR/results"

log() { printf '%s stream-bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cd "$ROOT"
if [ ! -f target/synapse-media-offload.jar ] || [ ! -d target/test-classes/org/mediaoffload/bench ]; then
    log "building the jar and the bench classes"
    ./mvnw -B -q package -DskipTests
    ./mvnw -B -q test-compile
fi
[ -f "$DIR/classpath.txt" ] || ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$DIR/classpath.txt" >/dev/null
CP="$(cat "$DIR/classpath.txt"):$ROOT/target/classes:$ROOT/target/test-classes"

if [ ! -f "$STORE/stats.properties" ]; then
    log "generating $PROFILE store of $MEDIA media in $STORE (database $DB)"
    rm -rf "$STORE"
    /usr/bin/time -f '%e s, %M KB' java -Xmx512m -cp "$CP" org.mediaoffload.bench.StreamingStore "$PROFILE" \
        "$MEDIA" "$STORE" "$DB"
fi
if [ "${STREAM_PREP_ONLY:-0}" = 1 ]; then
    log "STREAM_PREP_ONLY=1: store $STORE (database $DB) ready, not running"
    exit 0
fi
WORK=$DIR/work/stream
rm -rf "$WORK"
mkdir -p "$WORK"
if [ "${STREAM_IN_PLACE:-0}" = 1 ]; then
    MEDIA_DIR=$STORE/media
else
    log "copying the store"
    if [ "${STREAM_COPY:-full}" = link ]; then
        cp -al "$STORE/media" "$WORK/media"
    else
        cp -a "$STORE/media" "$WORK/media"
    fi
    MEDIA_DIR=$WORK/media
fi

# shellcheck source=bench/bench-server.sh
. "$ROOT/bench/bench-server.sh"
SERVER_PID=
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
bench_server_start "$DIR/stream-server.log" 1g "${STREAM_LATENCY_MS:-0}" 1700 stream
COUNTS=$S_COUNTS
# shellcheck source=bench/offload-conf.sh
. "$ROOT/bench/offload-conf.sh"
our_conf "$MEDIA_DIR" "$WORK/state" "$DB" stream "$WORK/offload.conf" "max-run-duration = $DURATION"

puts() { curl -s "http://127.0.0.1:$COUNTS/counts" | awk '$1 == "putBlob" {print $2}'; }
log "run-once $JAVA_OPTS on $PROFILE ($MEDIA media), capped at $DURATION"
t0=$(date +%s.%N)
if [ -n "${STREAM_LAUNCHER:-}" ]; then # the launcher execs the JVM: time measures the JVM
    JAVA_OPTS=$JAVA_OPTS timeout 600 /usr/bin/time -v -o "$WORK/time.txt" "$STREAM_LAUNCHER" run-once \
        --config "$WORK/offload.conf" --json >"$WORK/summary.json" 2>"$WORK/run.log" &
    JAVA_OPTS="$JAVA_OPTS via $STREAM_LAUNCHER"
else
    # shellcheck disable=SC2086
    timeout 600 /usr/bin/time -v -o "$WORK/time.txt" java $JAVA_OPTS -jar "${STREAM_JAR:-target/synapse-media-offload.jar}" \
        run-once --config "$WORK/offload.conf" --json >"$WORK/summary.json" 2>"$WORK/run.log" &
fi
RUN_PID=$!
first=
while kill -0 "$RUN_PID" 2>/dev/null; do
    if [ -z "$first" ] && [ "$(puts)" != "" ] && [ "$(puts)" -gt 0 ]; then
        first=$(echo "$(date +%s.%N) - $t0" | bc)
        log "first PUT after ${first}s"
    fi
    sleep 0.1
done
rc=0
wait "$RUN_PID" || rc=$?
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$WORK/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' \
    "$WORK/time.txt")
uploaded=$(sed -n 's/.*"filesUploaded" *: *\([0-9]*\).*/\1/p' "$WORK/summary.json")
status=$(sed -n 's/.*"status" *: *"\([A-Z_]*\)".*/\1/p' "$WORK/summary.json")
oom=$(grep -c OutOfMemoryError "$WORK/run.log" || true)
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$PROFILE" "$MEDIA" "$JAVA_OPTS" "$rc" \
    "$status" "${first:-none}" "$uploaded" "$rss" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)" \
    >>"$DIR/results/stream.tsv"
log "rc=$rc status=$status first PUT ${first:-none}s, $uploaded files uploaded, wall ${wall}s, CPU ${cpu}s," \
    "peak RSS ${rss} KB, OutOfMemoryError lines: $oom, load $(cut -d' ' -f1 /proc/loadavg)"
