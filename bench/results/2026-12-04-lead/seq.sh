#!/usr/bin/env bash
# lead's A/B: main's jar vs lead's (socket PUT client) run-once, the installed run-once (lead), rclone; 20,266 files
set -u
cd /work/wt/leadjar
echo "lock acquired $(date -u +%H:%M:%S) load $(cat /proc/loadavg)"
( while sleep 10; do echo "$(date -u +%H:%M:%S) $(cat /proc/loadavg)"; done ) >> /tmp/bench-lead/load.log 2>&1 &
lp=$!
BENCH_DIR=/tmp/bench-lead BENCH_DB_TAG=lead BENCH_NO_BUILD=1 BENCH_JAR=/tmp/bench-lead/lead.jar BENCH_JAR_main=/tmp/bench-lead/main.jar \
  BENCH_SCALE=1 BENCH_PROFILES=small BENCH_MODES=loopback BENCH_ROUNDS=3 BENCH_ADMIN_PORT=18833 \
  BENCH_TOOLS="ours-jvm-main ours-jvm ours-inst rclone" bench/run.sh throughput
rc=$?
kill $lp
echo "sequence done rc=$rc $(date -u +%H:%M:%S)"
