#!/bin/bash
# run-audit.sh NAME [extra JVM options...]: one audit of main on the kept cluster, with JFR (unless NOJFR=1),
# per-thread CPU of the audit, its PostgreSQL backend and the Ceph daemons sampled every 50 ms
set -u
name=$1; shift
W=/tmp/bench-auditprof/audit
R=/tmp/auditprof-jfr
O=$(cat /tmp/auditprof-jars/opts.txt)
JAR=${JAR:-/tmp/auditprof-jars/main-2386f88.jar}
PIDS=$(for k in monPid osdPid rgwPid; do sed -n "s/^$k=//p" /tmp/bench-auditprof/rgw/rgw.properties; done | xargs)
JFR="-XX:FlightRecorderOptions:stackdepth=256 -XX:StartFlightRecording=filename=$R/$name.jfr,settings=profile,jdk.ExecutionSample#period=5ms,jdk.NativeMethodSample#period=5ms,jdk.ThreadPark#threshold=0ms,jdk.JavaMonitorEnter#threshold=0ms,jdk.JavaMonitorWait#threshold=0ms,jdk.SocketRead#threshold=0ms,jdk.SocketWrite#threshold=0ms,jdk.FileRead#threshold=0ms,jdk.FileWrite#threshold=0ms"
[ "${NOJFR:-0}" = 1 ] && JFR=
cd /work/wt/auditprof
cpu() { for p in $PIDS; do awk '{printf "%s=%.2f ", $2, ($14+$15)/100}' /proc/$p/stat; done; }
echo "start $(date -u +%H:%M:%S.%N) ceph $(cpu) load $(cut -d' ' -f1-3 /proc/loadavg)" > $R/$name.meta
env -u AWS_CA_BUNDLE /usr/bin/time -v -o $R/$name.time java -Xmx128m $O $JFR "$@" -jar $JAR \
    audit --config $W/offload.conf --json > $R/$name.json 2> $R/$name.log &
runner=$!
python3 bench/results/2026-12-03e-auditprof/proc-sampler.py $runner $R/$name.cpu.tsv bench_audit_auditprof $PIDS &
sampler=$!
wait $runner; rc=$?; wait $sampler
echo "end $(date -u +%H:%M:%S.%N) ceph $(cpu) load $(cut -d' ' -f1-3 /proc/loadavg) rc=$rc" >> $R/$name.meta
grep -o '"durationSeconds":[0-9.]*' $R/$name.json >> $R/$name.meta
grep -E 'Elapsed|User time|System time|Maximum resident' $R/$name.time >> $R/$name.meta
