#!/bin/bash
# under the lock: JFR audits of the lead's jar on the kept cluster, then the bench's 3 A/B rounds (which end the cluster)
/tmp/auditprof-jars/session.sh s4 l1-leadjfr l2-leadjfr l3-leadnojfr
echo "bench go at $(date -u +%H:%M:%S)" >> /tmp/auditprof-jfr/lock.log
touch /tmp/auditprof-go
while kill -0 $(cat /tmp/auditprof-jars/bench.pid) 2>/dev/null; do sleep 1; done
echo "bench ended at $(date -u +%H:%M:%S)" >> /tmp/auditprof-jfr/lock.log
