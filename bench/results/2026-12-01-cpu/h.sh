#!/usr/bin/env bash
# usage: h.sh setup SCALE | h.sh run NAME "JAVA OPTS" [JAR]   (server must be running: h.sh server)
set -euo pipefail
D=/tmp/bench-cpu
ROOT=/work/wt/cpu
CP="$(cat $D/classpath.txt):$ROOT/target/classes:$ROOT/target/test-classes"
SSE_KEY=bench-sse-c-key-0123456789abcdef
unset AWS_CA_BUNDLE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_REGION || true
DBTAG=$(printf '%s' "$D" | md5sum | cut -c1-8)
case $1 in
gen) # profile scale name
  java -cp "$CP" org.mediaoffload.bench.SyntheticStore "$2" "$3" "$D/store-$4" "bench_$4_$DBTAG" ;;
server) # buckets...
  shift
  rm -f $D/server.info
  setsid java -Xmx3g -cp "$CP" org.mediaoffload.bench.BenchServer "$D/server.info" 0 10800 "$@" >"$D/server.log" 2>&1 &
  echo $! > $D/server.pid
  for _ in $(seq 1 480); do [ -f "$D/server.info" ] && break; sleep 0.5; done; cat $D/server.info ;;
run) # store bucket name "opts" [jar]
  store=$2 bucket=$3 name=$4 opts=$5 jar=${6:-$ROOT/target/synapse-media-offload.jar}
  S_ENDPOINT=$(sed -n 's/^endpoint=//p' "$D/server.info" | sed 's/\\//g')
  S_COUNTS=$(sed -n 's/^countsPort=//p' "$D/server.info")
  S_ACCESS=$(sed -n 's/^accessKey=//p' "$D/server.info")
  S_SECRET=$(sed -n 's/^secretKey=//p' "$D/server.info")
  S_CA=$(sed -n 's/^caPem=//p' "$D/server.info" | sed 's/\\//g')
  w=$D/work/$name; rm -rf "$w"; mkdir -p "$w"; cp -a "$D/store-$store/media" "$w/media"
  cat >"$w/offload.conf" <<EOC
offload {
  media-store-path = "$w/media"
  state-dir = "$w/state"
  database { type = postgres, url = "jdbc:postgresql://127.0.0.1:5432/bench_${store}_$DBTAG", user = "postgres" }
  selection { min-age = 30d }
  s3 {
    bucket = "$bucket"
    endpoint = "$S_ENDPOINT"
    path-style = true
    access-key-id = "$S_ACCESS"
    secret-access-key = "$S_SECRET"
    storage-class = STANDARD_IA
    sse-customer-key = "$SSE_KEY"
    ca-bundle = "$S_CA"
    concurrency = 32
  }
  ${EXTRA_CONF:-}
}
EOC
  curl -s "http://127.0.0.1:$S_COUNTS/counts?reset" >/dev/null
  spid=$(cat $D/server.pid); s0=$(awk '{print $14+$15}' /proc/$spid/stat)
  l0=$(cut -d' ' -f1 /proc/loadavg)
  rc=0
  # shellcheck disable=SC2086
  python3 $D/threadcpu.py "$w/threads.tsv" -- java $opts -jar "$jar" run-once --config "$w/offload.conf" --json \
     >"$w/run.json" 2>"$w/run.log" || rc=$?
  s1=$(awk '{print $14+$15}' /proc/$spid/stat)
  left=$(find "$w/media" -type f | wc -l)
  c=$(curl -s "http://127.0.0.1:$S_COUNTS/counts" | awk '{printf "%s%s=%s", sep, $1, $2; sep=","}')
  curl -sf "http://127.0.0.1:$S_COUNTS/clear?$bucket" >/dev/null || true
  summary=$(grep -E '^(wall|  other)' "$w/run.log" | tr '\n' ' ')
  line="$(date +%H:%M:%S) $name rc=$rc left=$left load=$l0-$(cut -d' ' -f1 /proc/loadavg) server_cpu=$(echo "($s1-$s0)/100" | bc -l | cut -c1-5) $c $summary"
  echo "$line" | tee -a $D/runs.log ;;
esac
