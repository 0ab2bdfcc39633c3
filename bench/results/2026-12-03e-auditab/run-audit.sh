#!/bin/bash
# run-audit.sh NAME JAR [extra JVM options...]: one audit (no JFR) on the kept cluster, under GNU time, with the
# per-thread CPU of the JVM, its PostgreSQL backends and the Ceph daemons sampled every 50 ms (proc-sampler.py)
# (auditprof's run-audit.sh with the jar as an argument and this helper's directories)
set -u
name=$1; jar=$2; shift 2
D=${D:-/tmp/bench-auditab}
W=$D/audit
R=/tmp/auditab-runs
DB=${DB:-bench_audit_auditab}
H=/work/wt/auditab/bench/results/2026-12-03e-auditab
O="-XX:+UseSerialGC -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=/work/wt/auditab/deploy/run-once-compiler.json"
PIDS=$(for k in monPid osdPid rgwPid; do sed -n "s/^$k=//p" $D/rgw/rgw.properties 2>/dev/null; done | xargs)
[ -n "$PIDS" ] || PIDS=${SRV_PIDS:-}
cpu() { for p in $PIDS; do awk '{printf "%s=%.2f ", $2, ($14+$15)/100}' /proc/$p/stat; done; }
echo "start $(date -u +%H:%M:%S.%N) jar $jar ceph $(cpu) load $(cut -d' ' -f1-3 /proc/loadavg)" > $R/$name.meta
env -u AWS_CA_BUNDLE /usr/bin/time -v -o $R/$name.time java -Xmx128m $O "$@" -jar $jar \
    audit --config $W/offload.conf --json > $R/$name.json 2> $R/$name.log &
runner=$!
python3 $H/proc-sampler.py $runner $R/$name.cpu.tsv $DB $PIDS &
sampler=$!
wait $runner; rc=$?; wait $sampler
echo "end $(date -u +%H:%M:%S.%N) ceph $(cpu) load $(cut -d' ' -f1-3 /proc/loadavg) rc=$rc" >> $R/$name.meta
grep -o '"durationSeconds":[0-9.]*' $R/$name.json >> $R/$name.meta
grep -E 'Elapsed|User time|System time|Maximum resident' $R/$name.time >> $R/$name.meta
