#!/usr/bin/env bash
# usage: seq.sh TAG ROUNDS STORE "name|opts|extraconf" ...   rotates order every round; bucket per run
set -uo pipefail
D=/tmp/bench-cpu
tag=$1 rounds=$2 store=$3; shift 3
vs=("$@"); n=${#vs[@]}
b=$(cat $D/next-bucket 2>/dev/null || echo 3)
for r in $(seq 1 $rounds); do
  for i in $(seq 0 $((n-1))); do
    v=${vs[$(((i + r - 1) % n))]}
    name=${v%%|*}; rest=${v#*|}; opts=${rest%%|*}; extra=${rest#*|}
    [ "$extra" = "$rest" ] && extra=
    jar=$D/main.jar; [ -n "${JAR:-}" ] && jar=$JAR
    case $name in *@*) jar=$D/${name#*@}.jar ;; esac
    EXTRA_CONF="$extra" $D/h.sh run $store bkt$b "$tag-$name-r$r" "$opts" "$jar" | cut -c1-330
    b=$((b+1)); echo $b > $D/next-bucket
  done
done
