#!/bin/bash
# usage: pair.sh NAME "tool1 tool2" DIR DBTAG SCALE LOCKWAIT_S
# one BENCH_PIN=1 round pair on a fresh Ceph RGW cluster, holding the measurement lock (at most LOCKWAIT_S waiting)
cd /work/wt/rgwonce
N=$1; TOOLS=$2; D=$3; TAG=$4; SCALE=$5; W=$6
echo "pair $N start $(date -u +%FT%T) tools=\"$TOOLS\" dir=$D scale=$SCALE (lock wait at most ${W}s)"
BENCH_PIN=1 BENCH_NO_BUILD=1 BENCH_JAR=/tmp/bench-rgwonce-jar/synapse-media-offload-80e03f3.jar BENCH_PROFILES=small \
  BENCH_MODES=rgw BENCH_ADMIN_PORT=18811 \
  BENCH_DIR=$D BENCH_DB_TAG=$TAG BENCH_SCALE=$SCALE BENCH_ROUNDS=1 BENCH_TAG=-$N \
  BENCH_TOOLS="$TOOLS" flock -w "$W" /work/wt/measure.lock \
  sh -c 'echo "locked $(date -u +%FT%T) $(date -u +%s)"; exec bench/run.sh throughput'
echo "rc=$? pair $N end $(date -u +%FT%T)"
