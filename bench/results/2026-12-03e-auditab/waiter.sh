#!/bin/bash
until grep -q 'waiting for /tmp/auditab-go' /tmp/auditab-runs/bench-rgw.log; do
  kill -0 $(cat /tmp/auditab-runs/bench-rgw.pid) 2>/dev/null || { echo "bench died"; exit 1; }
  sleep 5; done
echo "seeded at $(date -u +%H:%M:%S), waiting for the lock" >> /tmp/auditab-runs/lock.log
flock /work/wt/measure.lock /work/wt/auditab/bench/results/2026-12-03e-auditab/final.sh
echo "lock released at $(date -u +%H:%M:%S)" >> /tmp/auditab-runs/lock.log
