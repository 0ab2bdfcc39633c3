#!/usr/bin/env bash
# one measured sequence: $1 = BENCH_DIR, $2 = scale, $3 = db tag, $4 = tools, $5 = BENCH_TAG; holding the lock
set -u
cd /work/wt/floor
TOOLS=${4:-jdk-floor jdk-floor-p2 stack-put ceiling ceiling-jvm ours-inst rclone}
echo "lock acquired $(date -u +%H:%M:%S) load $(cat /proc/loadavg) tools: $TOOLS"
( while sleep 10; do echo "$(date -u +%H:%M:%S) $(cat /proc/loadavg)"; done ) >> "$1/load.log" 2>&1 &
lp=$!
BENCH_TAG=${5:-} BENCH_DIR=$1 BENCH_DB_TAG=$3 BENCH_NO_BUILD=1 BENCH_JAR=/tmp/bench-floor/ours.jar BENCH_SCALE=$2 \
  BENCH_PROFILES=small BENCH_MODES=loopback BENCH_ROUNDS=3 BENCH_ADMIN_PORT=18822 \
  BENCH_TOOLS="$TOOLS" bench/run.sh throughput
rc=$?
kill $lp
echo "sequence done rc=$rc $(date -u +%H:%M:%S)"
