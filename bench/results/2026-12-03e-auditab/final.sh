#!/bin/bash
# under the lock: this helper's rounds on the kept RGW cluster, then the bench's own round (which ends the cluster)
H=/work/wt/auditab/bench/results/2026-12-03e-auditab
R=/tmp/auditab-runs
echo "lock taken at $(date -u +%H:%M:%S)" >> $R/lock.log
$H/session.sh s1 r1:main,l32,l8f r2:l32,l8f,main r3:l8f,main,l32 r4:main,l8f,l32 r5:l32,main,l8f
echo "bench go at $(date -u +%H:%M:%S)" >> $R/lock.log
touch /tmp/auditab-go
while kill -0 $(cat $R/bench-rgw.pid) 2>/dev/null; do sleep 1; done
echo "bench ended at $(date -u +%H:%M:%S)" >> $R/lock.log
