#!/bin/bash
# session.sh TAG LABEL... : under the measurement lock: the Ceph daemons to SCHED_OTHER, then per round the listing
# alone and the DB scan alone (AuditScale, as the bench does) and one audit of each jar label given, e.g.
#   session.sh s1 r1:main,l32,l8f r2:l8f,l32,main r3:main,l32,l8f
# (auditprof's session.sh with one listing/scan pair per round)
set -u
tag=$1; shift
R=/tmp/auditab-runs
D=${D:-/tmp/bench-auditab}
DB=${DB:-bench_audit_auditab}
H=/work/wt/auditab/bench/results/2026-12-03e-auditab
J=/tmp/auditab-jars
declare -A JAR=([main]=$J/main-2386f88.jar [l32]=$J/lead-32a9a89.jar [l8f]=$J/lead-8fa965e.jar)
cd /work/wt/auditab
CP="$(cat $D/classpath.txt):$PWD/target/classes:$PWD/target/test-classes"
PIDS=$(for k in monPid osdPid rgwPid; do sed -n "s/^$k=//p" $D/rgw/rgw.properties 2>/dev/null; done | xargs)
[ -n "$PIDS" ] || PIDS=${SRV_PIDS:-}
cpu() { for p in $PIDS; do awk '{printf "%s=%.2f ", $2, ($14+$15)/100}' /proc/$p/stat; done; }
{
echo "session $tag locked at $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
for p in $PIDS; do chrt --other -a -p 0 $p >/dev/null; done
echo "server daemons: $(for p in $PIDS; do chrt -p $p | sed -n 's/.*policy: //p'; done | sort | uniq -c | xargs)"
ps -eo pid,cls,pcpu,etime,comm --sort=-pcpu | head -12
for spec in "$@"; do
  round=${spec%%:*}
  c0=$(cpu)
  echo "== $round listing alone"
  /usr/bin/time -f "listing-alone JVM %e s, user %U sys %S" env -u AWS_CA_BUNDLE java -cp "$CP" org.mediaoffload.bench.AuditScale listing $D/server.info
  echo "listing alone at $(date -u +%H:%M:%S): server before [$c0] after [$(cpu)]"
  echo "== $round dbscan alone"
  /usr/bin/time -f "dbscan-alone JVM %e s, user %U sys %S" java -cp "$CP" org.mediaoffload.bench.AuditScale dbscan $DB
  IFS=, read -r -a labels <<<"${spec#*:}"
  for l in "${labels[@]}"; do
    name=$tag-$round-$l
    $H/run-audit.sh $name ${JAR[$l]}
    echo "== $name"; cat $R/$name.meta
  done
done
echo "session $tag released at $(date -u +%H:%M:%S)"
} 2>&1 | tee -a $R/session-$tag.log
