#!/bin/bash
# usage: pair.sh N "tool1 tool2"
cd /work/wt/pinned2
N=$1; TOOLS=$2
echo "pair $N start $(date -u +%FT%T)"
BENCH_PIN=1 BENCH_NO_BUILD=1 BENCH_JAR=/tmp/bench-pinned2-jar/synapse-media-offload-2386f88.jar BENCH_PROFILES=small \
  BENCH_MODES=rgw BENCH_DAEMON_FRESH_BUCKET=1 BENCH_ADMIN_PORT=18795 \
  BENCH_DIR=/tmp/bench-pinned2 BENCH_DB_TAG=pinned2 BENCH_SCALE=1 BENCH_ROUNDS=1 BENCH_TAG=-p$N \
  BENCH_TOOLS="$TOOLS" flock /work/wt/measure.lock bench/run.sh throughput
echo "rc=$? pair $N end $(date -u +%FT%T)"
