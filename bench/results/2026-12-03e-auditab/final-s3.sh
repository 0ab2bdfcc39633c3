#!/bin/bash
# under the lock: two rounds by hand on the kept S3Proxy store, then the bench's own round (which stops S3Proxy)
H=/work/wt/auditab/bench/results/2026-12-03e-auditab
R=/tmp/auditab-runs
echo "s3proxy: lock taken at $(date -u +%H:%M:%S)" >> $R/lock.log
D=/tmp/bench-auditab-s3 DB=bench_audit_auditab_s3 SRV_PIDS=$(grep -o 'pid [0-9]*' $R/bench-s3.log | head -1 | cut -d' ' -f2) \
    $H/session.sh p1 r1:main,l32,l8f r2:l8f,l32,main
echo "s3proxy: bench go at $(date -u +%H:%M:%S)" >> $R/lock.log
touch /tmp/auditab-go-s3
while kill -0 $(cat $R/bench-s3.pid) 2>/dev/null; do sleep 1; done
echo "s3proxy: bench ended at $(date -u +%H:%M:%S)" >> $R/lock.log
