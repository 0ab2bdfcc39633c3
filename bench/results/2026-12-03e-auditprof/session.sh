#!/bin/bash
# session.sh TAG AUDITS...: under the measurement lock: daemons to SCHED_OTHER, listing alone, DB scan alone, then
# each named audit (name ending in -nojfr: without JFR)
set -u
tag=$1; shift
R=/tmp/auditprof-jfr
D=/tmp/bench-auditprof
cd /work/wt/auditprof
CP="$(cat $D/classpath.txt):$PWD/target/classes:$PWD/target/test-classes"
PIDS=$(for k in monPid osdPid rgwPid; do sed -n "s/^$k=//p" $D/rgw/rgw.properties; done | xargs)
cpu() { for p in $PIDS; do awk '{printf "%s=%.2f ", $2, ($14+$15)/100}' /proc/$p/stat; done; }
{
echo "session $tag locked at $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
for p in $PIDS; do chrt --other -a -p 0 $p >/dev/null; done
echo "ceph daemons: $(for p in $PIDS; do chrt -p $p | sed -n 's/.*policy: //p'; done | sort | uniq -c | xargs)"
ps -eo pid,cls,pcpu,etime,comm --sort=-pcpu | head -12
c0=$(cpu); t0=$(date +%s.%N)
/usr/bin/time -f "listing-alone JVM %e s, user %U sys %S" env -u AWS_CA_BUNDLE java -cp "$CP" org.mediaoffload.bench.AuditScale listing $D/server.info
echo "listing alone at $(date -u +%H:%M:%S): ceph before [$c0] after [$(cpu)]"
/usr/bin/time -f "dbscan-alone JVM %e s, user %U sys %S" java -cp "$CP" org.mediaoffload.bench.AuditScale dbscan bench_audit_auditprof
for a in "$@"; do
  case $a in
    *-x1g) NOJFR=1 /tmp/auditprof-jars/run-audit.sh $a -Xmx1g ;;
    *-xmn) NOJFR=1 /tmp/auditprof-jars/run-audit.sh $a -Xmn64m ;;
    *-leadjfr) JAR=/tmp/auditprof-jars/lead.jar /tmp/auditprof-jars/run-audit.sh $a ;;
    *-leadnojfr) NOJFR=1 JAR=/tmp/auditprof-jars/lead.jar /tmp/auditprof-jars/run-audit.sh $a ;;
    *-nojfr) NOJFR=1 /tmp/auditprof-jars/run-audit.sh $a ;;
    *) /tmp/auditprof-jars/run-audit.sh $a ;;
  esac
  echo "== $a"; cat $R/$a.meta
done
echo "session $tag released at $(date -u +%H:%M:%S)"
} 2>&1 | tee $R/session-$tag.log
