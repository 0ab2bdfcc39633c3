#!/bin/bash
# pair 4 (rclone first) only after the other helper's two queued measurements, and only if it can start by 20:10 UTC
while kill -0 6146 2>/dev/null || kill -0 4270 2>/dev/null; do sleep 5; done
sleep 10
left=$(( $(date -u -d 'today 20:10' +%s) - $(date -u +%s) ))
[ "$left" -gt 0 ] || { echo "pair 4 skipped: $(date -u +%T) is past 20:10"; exit 0; }
cd /work/wt/pinned2
echo "pair 4 start $(date -u +%FT%T) (lock wait at most ${left}s)"
BENCH_PIN=1 BENCH_NO_BUILD=1 BENCH_JAR=/tmp/bench-pinned2-jar/synapse-media-offload-2386f88.jar BENCH_PROFILES=small \
  BENCH_MODES=rgw BENCH_DAEMON_FRESH_BUCKET=1 BENCH_ADMIN_PORT=18795 \
  BENCH_DIR=/tmp/bench-pinned2 BENCH_DB_TAG=pinned2 BENCH_SCALE=1 BENCH_ROUNDS=1 BENCH_TAG=-p4 \
  BENCH_TOOLS="rclone ours-daemon-w3" flock -w "$left" /work/wt/measure.lock bench/run.sh throughput
echo "rc=$? pair 4 end $(date -u +%FT%T)"
