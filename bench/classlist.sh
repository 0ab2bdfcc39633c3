#!/usr/bin/env bash
# Makes deploy/run-once.classlist: the classes a real run-once and audit load, which deploy/install.sh turns into a
# class-data sharing archive at install time (java -Xshare:dump -XX:SharedClassListFile=...). install.sh cannot make
# a training run against the bucket and database (the config is not edited yet at a first install), so the list is
# made here, once per change of what a run loads, and committed; LauncherTest checks that every class of ours and of
# our dependencies it names still exists.
#
#   bench/classlist.sh [OUT]     (default OUT: deploy/run-once.classlist)
#
# What it runs, each through deploy/synapse-media-offload (the launcher's JVM options) with
# JAVA_OPTS=-XX:DumpLoadedClassList=...: against S3Proxy on loopback (HTTPS, SSE-C) and PostgreSQL,
#   1. a first run-once of the small profile at scale 0.01 (~200 files: originals, thumbnails, remote media) into an
#      empty bucket, nothing pinned (target check, preflight, uploads, verification listings, deletions);
#   2. a first run-once of the mixed profile at scale 0.01 (photos and a video above multipart-threshold: multipart);
#   3. an audit of the first store's bucket (listings, the merge, the lost re-check);
#   4. a second run-once of the first store (nothing left to do: the steady state).
# The lists are merged in that order without repeats; hidden classes (lambdas, proxies: they cannot be named at dump
# time) are left out.
#
# Environment: BENCH_DIR (default /tmp/bench-classlist), BENCH_DB_TAG (default classlist), BENCH_PG_* as bench/run.sh.
# Needs the jar and the bench classes (./mvnw -B package -DskipTests && ./mvnw -B test-compile) and the test classpath
# in $BENCH_DIR/classpath.txt (made if missing).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/deploy/run-once.classlist}
DIR=${BENCH_DIR:-/tmp/bench-classlist}
TAG=${BENCH_DB_TAG:-classlist}
JAR=${BENCH_JAR:-$ROOT/target/synapse-media-offload.jar}
SSE_KEY=bench-sse-c-key-0123456789abcdef
unset AWS_CA_BUNDLE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_REGION || true
log() { printf '%s classlist: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cd "$ROOT"
[ -f "$JAR" ] && [ -d target/test-classes/org/mediaoffload/bench ] \
    || { log "build first: ./mvnw -B package -DskipTests && ./mvnw -B test-compile"; exit 2; }
mkdir -p "$DIR"
[ -f "$DIR/classpath.txt" ] || ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$DIR/classpath.txt" >/dev/null
CP="$(cat "$DIR/classpath.txt"):$ROOT/target/classes:$ROOT/target/test-classes"

for profile in small mixed; do
    if [ ! -f "$DIR/store-$profile/stats.properties" ]; then
        log "generating the $profile profile at scale 0.01"
        rm -rf "$DIR/store-$profile"
        java -cp "$CP" org.mediaoffload.bench.SyntheticStore "$profile" 0.01 "$DIR/store-$profile" \
            "classlist_${profile}_$TAG"
    fi
done

# shellcheck source=bench/bench-server.sh
. "$ROOT/bench/bench-server.sh"
SERVER_PID=
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
bench_server_start "$DIR/server.log" 1g 0 850 small mixed
# shellcheck source=bench/offload-conf.sh
. "$ROOT/bench/offload-conf.sh"

step() { # name profile command...: one launcher run with its loaded classes dumped to $DIR/NAME.list
    local name=$1 profile=$2 rc=0
    shift 2
    JAVA_OPTS="-XX:DumpLoadedClassList=$DIR/$name.list" SYNAPSE_MEDIA_OFFLOAD_JAR=$JAR \
        "$ROOT/deploy/synapse-media-offload" "$@" --config "$DIR/work-$profile/offload.conf" --json \
        >"$DIR/$name.json" 2>"$DIR/$name.log" || rc=$?
    log "$name: exit $rc, $(grep -o '"status":"[A-Z_]*"' "$DIR/$name.json" | head -1),"\
" $(grep -vc '^#' "$DIR/$name.list") classes"
}
for profile in small mixed; do
    rm -rf "$DIR/work-$profile"; mkdir -p "$DIR/work-$profile"
    cp -a "$DIR/store-$profile/media" "$DIR/work-$profile/media"
    our_conf "$DIR/work-$profile/media" "$DIR/work-$profile/state" "classlist_${profile}_$TAG" "$profile" \
        "$DIR/work-$profile/offload.conf"
done
step 1-run-once small run-once
step 2-run-once-mixed mixed run-once
step 3-audit small audit
step 4-run-once-steady small run-once

{
    echo "# The classes a run-once and an audit load (bench/classlist.sh, $(date -u +%F), jar of $(git -C "$ROOT" \
        rev-parse --short HEAD), $(java -version 2>&1 | head -1)): the class list deploy/install.sh dumps into"
    echo "# run-once.jsa next to the launcher (java -Xshare:dump -XX:SharedClassListFile=this). Made, not written:"
    echo "# run bench/classlist.sh again after a change of what a run loads; LauncherTest checks the names."
    cat "$DIR/1-run-once.list" "$DIR/2-run-once-mixed.list" "$DIR/3-audit.list" "$DIR/4-run-once-steady.list" \
        | grep -v '^#' | grep -v '\$\$Lambda\|\$Proxy\|0x' | awk '!seen[$0]++'
} >"$OUT.new"
mv "$OUT.new" "$OUT"
log "$OUT: $(grep -vc '^#' "$OUT") entries, $(grep -c '^org/mediaoffload/' "$OUT") of them ours"
