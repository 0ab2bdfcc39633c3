#!/usr/bin/env bash
# Throughput and scale benchmark of synapse-media-offload against S3Proxy or Ceph RGW (HTTPS + SSE-C), side by side
# with rclone move. See docs/benchmarks.md for what it measures and the latest numbers.
#
#   bench/run.sh [all|throughput|scale|scale-again|audit]  (default: all; audit is not part of all; scale-again
#                      repeats the scale runs, steady state and pull-back, on the store an earlier "scale" left)
#
# Environment:
#   BENCH_SMALL_SCALE  scale of the small profile (default 1: ~20k files, 0.85 GB, as issue 4 sets it)
#   BENCH_MIXED_SCALE  scale of the mixed profile (default 0.25: ~0.8 GB; its warm-up twin doubles what S3Proxy holds)
#   BENCH_SCALE        both at once (e.g. 0.02 for a quick check of the script;
#                      1 = ~20k small files, ~3.2 GB mixed)
#   BENCH_SCALE_ROWS   media rows of the scale scenario (default 1000000); also of the audit scenario
#   BENCH_AUDIT_OBJECTS  objects in the bucket for the audit scenario (default 100000: originals of offloaded media)
#   BENCH_AUDIT_JARS   audit scenario: "label=jar label=jar ..." audits the same store with each jar in turn (default
#                      "ours=<our jar>"), BENCH_AUDIT_ROUNDS rounds (default 1), the order rotating every round; each
#                      round times the listing alone and the DB scan alone first, then every jar's audit
#   BENCH_AUDIT_JAVA_OPTS_<label>  audit scenario: JVM options of that label's audits, after -Xmx128m (default
#                      none: the JVM's defaults); "-" in the label is "_" here. With two labels naming one jar, an A/B
#                      of JVM options (e.g. the launcher's audit options against the JVM's defaults)
#   BENCH_PREP_IDLE    audit scenario: 1 = load the rows and seed the bucket under chrt --idle 0 (SCHED_IDLE: only CPU
#                      nobody else wants), S3Proxy included, which is set back to normal scheduling before the first
#                      timed step; so a store can be prepared beside someone else's measurement and measured later
#   BENCH_AUDIT_WAIT_FOR  audit scenario: a file; after loading and seeding, wait until it exists before timing
#                      anything (the jars of BENCH_AUDIT_JARS need to exist only then; BENCH_SERVER_LIFETIME must
#                      cover the wait)
#   BENCH_AUDIT_LOST_EVERY  audit scenario: 0 (default) = seed the originals of media 0 .. N-1; K > 0 = leave out
#                      every K-th of them (media K-1, 2K-1, ...: lost, spread over the table), e.g. with
#                      BENCH_AUDIT_OBJECTS = BENCH_SCALE_ROWS a store whose rows mostly have copies
#   BENCH_AUDIT_ORPHANS  audit scenario: objects seeded for media no row names (orphans; default 0)
#   BENCH_AUDIT_SERVER  audit scenario: s3proxy (default) or rgw = Ceph RGW 16.2 (the cluster of BENCH_MODES' rgw,
#                      started fresh, BENCH_RGW_OSD_GB): seeded, listed alone and audited there as on S3Proxy; with
#                      BENCH_PREP_IDLE=1 the cluster starts under chrt --idle 0 and its three daemons (mon, osd,
#                      radosgw, every thread) are set back to normal scheduling before the first timed step;
#                      server_cpu_s is the three daemons' CPU, server_ops RGW's request counters (rgw_req counts
#                      every request: ListObjectsV2 pages, object GETs (rgw_get), HEADs, PUTs, the bucket's
#                      ?versioning and ?object-lock reads; a HEAD of a missing object counts in rgw_failed_req, not
#                      rgw_get), and the note adds each daemon's CPU (mon/osd/rgw).
#                      RGW_LOG=1 in the environment makes radosgw log every request (beast's access log,
#                      BENCH_DIR/rgw/log/client.rgw.a.log); bench/rgw-listings.py counts each audit's listings per
#                      tree kind from it
#   BENCH_AUDIT_MODES  audit scenario: "loopback" (default), "wan" or "loopback wan": the same store and server, with
#                      wan reached through LatencyProxy (BENCH_LATENCY_MS each way, as BENCH_MODES' wan) after the
#                      loopback rounds; the bucket is seeded on loopback, the listing alone goes through the proxy too
#   BENCH_CONCURRENCY  offload.s3.concurrency of our run and the ceiling loop (default 32)
#   BENCH_MODES        "loopback wan" (default); wan = S3Proxy behind LatencyProxy, a TCP relay delaying each
#                      direction by BENCH_LATENCY_MS (default 10, so 20 ms per round trip, throughput not limited);
#                      wan-op = S3Proxy's own latency middleware, 20 ms per storage operation (the method of the
#                      2026-11-28 tables); rgw-wan = Ceph RGW behind LatencyProxy;
#                      rgw = Ceph RGW 16.2 on loopback instead of S3Proxy (the tests' throwaway cluster,
#                      src/test/ceph/rgw.sh, started fresh for every server start; needs apt-get install -y
#                      --no-install-recommends ceph-mon ceph-osd radosgw ceph-common). Its server_cpu_s is the CPU
#                      of the three Ceph daemons (mon + osd + radosgw), server_ops RGW's own request counters.
#                      Buckets are emptied between runs as on S3Proxy (clear_bucket: DeleteObjects, then the bucket
#                      deleted and made again; not measured), so rounds can be repeated
#   BENCH_RGW_OSD_GB   size of the RGW cluster's one OSD in GiB (default 16; a sparse file under BENCH_DIR/rgw)
#   BENCH_MIXED_WAN    1 = also run the mixed profile in WAN mode (default 0)
#   BENCH_SERVER_LIFETIME  seconds S3Proxy (BenchServer) lives before it stops itself (default 3000); the audit
#                      scenario at 1M rows with several jars and rounds needs more (seeding, listing alone, audits)
#   BENCH_DIR          work directory (default /tmp/synapse-media-offload-bench); results in $BENCH_DIR/results
#   BENCH_DB_TAG       suffix of the database names (default: derived from BENCH_DIR; BENCH_DBTAG is the same)
#   BENCH_PG_HOST/BENCH_PG_PORT/BENCH_PG_USER/PGPASSWORD   PostgreSQL (default 127.0.0.1:5432, postgres)
#   BENCH_EXTRA_CONF   extra HOCON appended inside offload { } of our generated config (tuning experiments)
#   BENCH_JAVA_OPTS    JVM options for our run-once (default none)
#   BENCH_ROUNDS       runs of each client per server (default 3): one server per profile and mode, the clients take
#                      turns on it (the order rotates every round), each run into an empty bucket; results.md gives
#                      per-run rows and the medians
#   BENCH_TOOLS        which clients to run (default "ceiling ours ours-daemon rclone"); ours-jvm = our run-once with
#                      BENCH_TUNED_JAVA_OPTS (default: the launcher's, SerialGC and deploy/run-once-compiler.json's
#                      compiler directives; before 2026-12-01 evening "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
#                      ours-cds = our run-once with a class-data sharing archive (AppCDS) made at "install" time by one
#                      training run-once with -XX:ArchiveClassesAtExit, as docs/benchmarks.md "Client CPU" describes;
#                      ours-cds-c1 = the same archive plus -XX:TieredStopAtLevel=1;
#                      ours-inst = our run-once through the launcher as deploy/install.sh installs it (install.sh
#                      --root $BENCH_DIR/install-ours-inst --archive, under chrt --idle 0, once per scenario), with the
#                      start-up archive install.sh dumps from deploy/run-once.classlist; ours-inst-nocds = the same
#                      install with that archive removed (the launcher then passes none: the JDK's default CDS)
#                      ours-daemon = our daemon (JVM options BENCH_DAEMON_JAVA_OPTS, default those of the systemd unit),
#                      measured on its second run, after a warm-up run on another store of the same shape
#                      v-NAME = our run-once with BENCH_V_NAME's JVM options on BENCH_V_NAME_JAVA (default java),
#                      after a training run-once with BENCH_V_NAME_TRAIN's options if set; @ARCHIVE@ in the options
#                      is the variant's archive file (e.g. BENCH_V_aot_TRAIN=-XX:AOTCacheOutput=@ARCHIVE@ and
#                      BENCH_V_aot=-XX:AOTCache=@ARCHIVE@ with BENCH_V_aot_JAVA=a JDK 25's bin/java)
#                      A tool name ending in -c<N> (ours-jvm-c64, ours-daemon-c64, ...) is that client with
#                      offload.s3.concurrency N instead of BENCH_CONCURRENCY, in the same alternating sequence
#                      ours-jvm-NAME = ours-jvm with the jar BENCH_JAR_NAME (run-once A/B of two builds)
#                      ours-daemon-NAME = the same with the jar BENCH_JAR_NAME (e.g. BENCH_JAR_old for an older
#                      commit's, built in its own directory), so that several builds alternate on one server;
#                      BENCH_JAR replaces our jar for every other "ours" tool (a copy, so that a rebuild meanwhile
#                      does not change the measured jar)
#                      ours-daemon-w<N> = ours-daemon after N warm-up runs instead of BENCH_DAEMON_WARMUPS (default
#                      1), each on a fresh copy of the warm-up twin into the emptied bucket (so each one uploads), so
#                      that daemons with 1 and N warm-ups alternate on one server (the JIT state of a daemon that has
#                      run a few times, as a production one has); ours-daemon-w<N>-c<M> is that at concurrency M
#                      stack-put = jdk-floor's work through our S3ObjectStore (bench StackPutLoop: the SDK, Apache
#                      HttpClient, the lean PUT; PUTs only, no listing), run and checked as jdk-floor
#                      ceiling-jvm = ceiling (CeilingLoop) with the launcher's run-once JVM options TUNED_OPTS
#                      jdk-floor = the floor of the per-file work with only the JDK (bench JdkPutFloor: read each
#                      file of the list, MD5 it, PUT it with our headers, SSE-C and a hand-made SigV4 over one
#                      kept-alive SSLSocket per thread, BENCH_CONCURRENCY threads; no listing, DB, journal,
#                      verification or deletion), run as ceiling is (on the golden store, GNU time for CPU,
#                      $PIN_CLIENT) with the launcher's run-once JVM options TUNED_OPTS, thread-cpu.py for the split;
#                      its row's wall is the whole process's (JVM start included, as run-once's), its own clock is
#                      own_seconds= in the note. After the timed run JdkPutFloorCheck (SDK, another JVM, under chrt
#                      --idle 0, not timed) lists the bucket and reads objects back with the SSE-C key: check= in the
#                      note. jdk-floor-p<N> = the same JVM doing N passes (pass K > 1 into key prefix passK/, same
#                      connections): the note's pass1=/pass2=... give each pass's seconds and CPU (cold, then warm)
#   BENCH_DAEMON_JFR   a file name: a flight recording (jcmd JFR.start settings=profile) of each daemon's measured
#                      run, in FILE-<scenario>-<tool>-<phase>.jfr; BENCH_DAEMON_JFR_TOOL = only that tool's runs
#   BENCH_SCHED        1 = bench/sched-split.py samples the Ceph daemons and the daemon under test into
#                      $BENCH_DIR/results/sched-*.tsv (per thread group: CPU, run-queue wait); each run's note gives
#                      t_start/t_end (UTC) for `sched-split.py window`, machine_busy_cores (/proc/stat) and on RGW
#                      ceph_cpu=mon:s,osd:s,radosgw:s
#   BENCH_DAEMON_FRESH_BUCKET  1 = empty the daemon's bucket after its warm-up run, so that the measured run is a
#                      first migration into an empty bucket, as run-once's and rclone's are (default 0: the warm-up's
#                      objects stay, interleaved in key order with the measured run's)
#   BENCH_ADMIN_PORT   admin port of the daemon under test (default 18457)
#   BENCH_NOOP_ROUNDS  empty run-onces (JVM start + fixed per-run cost) of each "ours" run-once tool before the
#                      measured rounds (default 1), the order rotating every round
#   BENCH_PROFILES     which profiles (default "small mixed")
#   BENCH_TAG          suffix for the scenario names in the results (tuning experiments)
#   BENCH_PIN          1 = pin the server and the client under test to one core each (default 0: off): on RGW every
#                      thread of the three Ceph daemons (ceph-mon, ceph-osd, radosgw; taskset -a -p -c 1) to CPU
#                      1 right after the cluster starts, and every client (our run-once, our daemon with its warm-ups,
#                      rclone, CeilingLoop; taskset -c 0 on its command) to CPU 0. The bench's own shell, curl,
#                      samplers and bucket clears stay unpinned. BENCH_PIN_SERVER_CPUS / BENCH_PIN_CLIENT_CPUS
#                      change the CPU lists (defaults 1 and 0)
#   BENCH_NO_BUILD     1 = reuse target/ and the classpath file of an earlier run in the same BENCH_DIR
#                      (BENCH_SKIP_BUILD=1 is the same)
#
# Needs: JDK 17, PostgreSQL reachable, rclone and GNU time (apt-get install -y rclone time); curl for mode rgw.
# Every server is bounded in lifetime, every client run in time (timeout); everything listens on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHAT=${1:-all}
SMALL_SCALE=${BENCH_SCALE:-${BENCH_SMALL_SCALE:-1}}
MIXED_SCALE=${BENCH_SCALE:-${BENCH_MIXED_SCALE:-0.25}}
SCALE_ROWS=${BENCH_SCALE_ROWS:-1000000}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
MODES=${BENCH_MODES:-loopback wan}
DIR=${BENCH_DIR:-/tmp/synapse-media-offload-bench}
RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-900}
SSE_KEY=bench-sse-c-key-0123456789abcdef
RESULTS=$DIR/results
# Databases are named after the work directory: two BENCH_DIRs must never share (and regenerate) one database.
# BENCH_DB_TAG names them instead (e.g. after whoever runs the bench, so that they can be found and dropped).
DBTAG=${BENCH_DB_TAG:-${BENCH_DBTAG:-$(printf '%s' "$DIR" | md5sum | cut -c1-8)}}
TSV=$RESULTS/results.tsv
# BENCH_PIN=1: the prefix of every client's command (empty otherwise), and the server's CPU list.
PIN_CLIENT=
PIN_SERVER_CPUS=
if [ "${BENCH_PIN:-0}" = 1 ]; then
    PIN_CLIENT="taskset -c ${BENCH_PIN_CLIENT_CPUS:-0}"
    PIN_SERVER_CPUS=${BENCH_PIN_SERVER_CPUS:-1}
fi

# The process environment wins over --config in our merge order (and rclone reads it too): a CA bundle exported by
# the host would replace the bench server's certificate. Clear what would change the clients' behaviour.
unset AWS_CA_BUNDLE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_DEFAULT_REGION || true

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

need() {
    command -v rclone >/dev/null || { log "rclone missing: apt-get install -y rclone"; exit 2; }
    [ -x /usr/bin/time ] || { log "GNU time missing: apt-get install -y time"; exit 2; }
    command -v psql >/dev/null || log "psql not found (not needed: COPY goes through JDBC)"
}

build() {
    cd "$ROOT"
    if [ "${BENCH_NO_BUILD:-${BENCH_SKIP_BUILD:-0}}" = 1 ] && [ -f "$DIR/classpath.txt" ]; then
        log "BENCH_NO_BUILD=1: using the jar and classes already in target/"
    else
        log "building the jar and the bench classes"
        ./mvnw -B -q package -DskipTests
        ./mvnw -B -q test-compile
        ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$DIR/classpath.txt" \
            >/dev/null
    fi
    CP="$(cat "$DIR/classpath.txt"):$ROOT/target/classes:$ROOT/target/test-classes"
    JAR=${BENCH_JAR:-$ROOT/target/synapse-media-offload.jar}
}

bench_java() { java -cp "$CP" "$@"; }

# shellcheck source=bench/bench-server.sh
. "$ROOT/bench/bench-server.sh"

# --- S3Proxy in its own JVM, or Ceph RGW (SERVER_MODE=rgw) -------------------------------------------------------
SERVER_PID=
SERVER_MODE=s3proxy
start_server() { # latency-ms xmx bucket...
    local latency=$1 xmx=$2; shift 2
    if [ "$SERVER_MODE" = rgw ]; then
        start_rgw "$@"
        return
    fi
    bench_server_start "$DIR/server.log" "$xmx" "$latency" "${BENCH_SERVER_LIFETIME:-3000}" "$@"
    log "S3Proxy at $S_ENDPOINT (latency $latency ms, -Xmx$xmx, pid $SERVER_PID)"
}

# The tests' cluster script, in a directory wiped at every start: each start is a cold, empty cluster, as each
# S3Proxy start is an empty store. Buckets are made over S3 (curl's SigV4), as any client would.
RGW_DIR=$DIR/rgw
RGW_PIDS=
RGW_ENDPOINT=
start_rgw() { # bucket...
    local b
    "$ROOT/src/test/ceph/rgw.sh" stop "$RGW_DIR" >/dev/null 2>&1 || true
    rm -rf "$RGW_DIR"
    # shellcheck disable=SC2086 # SERVER_PREFIX (e.g. "chrt --idle 0") is meant to split; the daemons inherit it
    RGW_WATCH_PID=$$ RGW_OSD_GB=${BENCH_RGW_OSD_GB:-16} ${SERVER_PREFIX:-} "$ROOT/src/test/ceph/rgw.sh" start "$RGW_DIR" \
        >"$DIR/rgw-start.log" 2>&1 || { cat "$DIR/rgw-start.log" >&2; exit 1; }
    S_ENDPOINT=$(rgw_prop endpoint); S_ACCESS=$(rgw_prop accessKey); S_SECRET=$(rgw_prop secretKey)
    S_CA=$(rgw_prop caBundle)
    RGW_PIDS="$(rgw_prop monPid) $(rgw_prop osdPid) $(rgw_prop rgwPid)"
    # What CeilingLoop and the seeders read (BenchServer's format).
    printf 'endpoint=%s\naccessKey=%s\nsecretKey=%s\ncaPem=%s\n' "$S_ENDPOINT" "$S_ACCESS" "$S_SECRET" "$S_CA" \
        >"$DIR/server.info"
    RGW_ENDPOINT=$S_ENDPOINT # S_ENDPOINT becomes LatencyProxy's in rgw-wan; buckets are made on RGW itself
    cp "$DIR/server.info" "$DIR/rgw-s3.info" # and emptied there (server.info then names the proxy)
    for b in "$@"; do rgw_make_bucket "$b"; done
    log "Ceph RGW at $S_ENDPOINT (cold start $(rgw_prop startMillis) ms; mon, osd, rgw pids $RGW_PIDS)"
    local p
    if [ -n "$PIN_SERVER_CPUS" ]; then # BENCH_PIN=1: every thread of every daemon (threads made later inherit it)
        for p in $RGW_PIDS; do taskset -a -p -c "$PIN_SERVER_CPUS" "$p" >/dev/null; done
        log "BENCH_PIN=1: Ceph daemons $RGW_PIDS on CPU $PIN_SERVER_CPUS ($(for p in $RGW_PIDS; do
            for t in /proc/$p/task/*; do taskset -c -p "${t##*/}" | sed 's/.*: //'; done; done | sort | uniq -c | xargs)" \
            "threads: count and CPU list), clients on CPU ${BENCH_PIN_CLIENT_CPUS:-0}"
    fi
    for p in $RGW_PIDS; do sched_sample "$p" "$RESULTS/sched-$(basename "$(tr '\0' ' ' <"/proc/$p/cmdline" \
        | awk '{print $1}')")-$p.tsv"; done
}
rgw_prop() { sed -n "s/^$1=//p" "$RGW_DIR/rgw.properties"; }
rgw_cpu_each() { # mon=<s> osd=<s> rgw=<s>: each daemon's CPU so far, in the order of RGW_PIDS
    local p n
    for p in $RGW_PIDS; do
        n=$(tr '\0' ' ' <"/proc/$p/cmdline" | awk '{print $1}' | xargs basename | sed 's/^ceph-//; s/^radosgw$/rgw/')
        awk -v n="$n" '{printf "%s=%.2f ", n, ($14+$15)/100}' "/proc/$p/stat"
    done
}
cpu_delta() { # "a=1 b=2" "a=3 b=5" -> "a=2.00,b=3.00"
    python3 -c 'import sys; a, b = (dict(kv.split("=") for kv in s.split()) for s in sys.argv[1:3]); print(",".join("%s=%.2f" % (k, float(b[k]) - float(a[k])) for k in b))' "$1" "$2"
}
# The server is still there: S3Proxy's JVM, or every Ceph daemon.
server_alive() {
    local p
    if [ -n "$RGW_PIDS" ]; then
        for p in $RGW_PIDS; do kill -0 "$p" 2>/dev/null || return 1; done
        return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null
}

# LatencyProxy in front of the server just started: the clients (and CeilingLoop, through server.info) connect to it.
PROXY_PID=
start_latency_proxy() {
    local host port ms=${BENCH_LATENCY_MS:-10}
    host=$(printf '%s' "$S_ENDPOINT" | sed -E 's#^https?://([^:/]+).*#\1#')
    port=$(printf '%s' "$S_ENDPOINT" | sed -E 's#^https?://[^:/]+:([0-9]+).*#\1#')
    rm -f "$DIR/proxy.info"
    java -Xmx256m -XX:+UseSerialGC -cp "$CP" org.mediaoffload.bench.LatencyProxy "$host" "$port" "$ms" \
        "$DIR/proxy.info" 3000 >"$DIR/proxy.log" 2>&1 &
    PROXY_PID=$!
    for _ in $(seq 1 480); do [ -f "$DIR/proxy.info" ] && break; sleep 0.5; done
    [ -f "$DIR/proxy.info" ] || { cat "$DIR/proxy.log" >&2; exit 1; }
    S_ENDPOINT="https://$host:$(sed -n 's/^port=//p' "$DIR/proxy.info")"
    # A value in a properties file may hold unescaped colons: CeilingLoop and the seeders read it with Properties.
    sed -i "s#^endpoint=.*#endpoint=$S_ENDPOINT#" "$DIR/server.info"
    log "LatencyProxy at $S_ENDPOINT: $ms ms each way in front of $host:$port (pid $PROXY_PID)"
}
proxy_cpu() { [ -z "$PROXY_PID" ] || awk '{printf "%.2f", ($14+$15)/100}' "/proc/$PROXY_PID/stat"; }
rgw_asok() { timeout 20 ceph --admin-daemon "$RGW_DIR/run/ceph-client.rgw.a.asok" perf dump rgw; }

stop_server() {
    if [ -n "$PROXY_PID" ]; then
        kill "$PROXY_PID" 2>/dev/null || true
        wait "$PROXY_PID" 2>/dev/null || true
        log "$(tail -1 "$DIR/proxy.log")"
        PROXY_PID=
    fi
    if [ -n "$RGW_PIDS" ]; then
        local p
        for p in $RGW_PIDS; do
            printf '%s=%ss ' "$(tr '\0' ' ' <"/proc/$p/cmdline" | awk '{print $1}' | xargs basename)" \
                "$(awk '{printf "%.1f", ($14+$15)/100}' "/proc/$p/stat")"
        done >"$DIR/rgw-cpu.txt" 2>/dev/null || true
        log "Ceph daemons' CPU over the cluster's life: $(cat "$DIR/rgw-cpu.txt" 2>/dev/null)"
        "$ROOT/src/test/ceph/rgw.sh" stop "$RGW_DIR" >/dev/null 2>&1 || true
        RGW_PIDS=
    fi
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
DAEMON_PID=
trap 'stop_server; [ -z "$DAEMON_PID" ] || kill "$DAEMON_PID" 2>/dev/null || true' EXIT

server_cpu() {
    if [ -n "$RGW_PIDS" ]; then
        # shellcheck disable=SC2086
        for p in $RGW_PIDS; do cat "/proc/$p/stat"; done | awk '{n+=$14+$15} END {printf "%.2f", n/100}'
        return
    fi
    awk '{printf "%.2f", ($14+$15)/100}' "/proc/$SERVER_PID/stat"
}
# The measured run's window (BENCH_WINDOW=1, or always on RGW): its UTC start and end (for bench/sched-split.py
# window), the machine's busy cores from /proc/stat (user nice system irq softirq steal, all processes), and on RGW
# each Ceph daemon's CPU apart, for results.tsv's note.
win_begin() {
    WIN_T0=$(date -u +%FT%T.%3N); WIN_STAT0=$(win_stat); WIN_CEPH0=$(ceph_cpus)
}
win_end() { # -> note words
    local t1 stat1 ceph1
    t1=$(date -u +%FT%T.%3N); stat1=$(win_stat); ceph1=$(ceph_cpus)
    printf 't_start=%s t_end=%s machine_busy_cores=%s' "$WIN_T0" "$t1" \
        "$(echo "$WIN_STAT0 $stat1" | awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($3 - $1) / hz / ($4 - $2)}')"
    [ -z "$RGW_PIDS" ] || printf ' ceph_cpu=%s' "$(paste -d' ' <(echo "$WIN_CEPH0" | tr ' ' '\n') \
        <(echo "$ceph1" | tr ' ' '\n') | awk -F'[ =]' '{printf "%s%s:%.2f", sep, $1, $4 - $2; sep=","}')"
}
win_stat() { # busy ticks, seconds since boot
    awk 'NR == 1 {printf "%d ", $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; awk '{print $1}' /proc/uptime
}
ceph_cpus() { # mon=s osd=s rgw=s
    local p n
    for p in $RGW_PIDS; do
        n=$(tr '\0' ' ' <"/proc/$p/cmdline" | awk '{print $1}' | xargs basename)
        printf '%s=%s ' "${n#ceph-}" "$(awk '{printf "%.2f", ($14+$15)/100}' "/proc/$p/stat")"
    done | sed 's/ $//'
}
# BENCH_SCHED=1: bench/sched-split.py samples every Ceph daemon (per thread group: CPU, run-queue wait, switches) over
# the cluster's life and the daemon under test over its life, into $RESULTS/sched-*.tsv; a run's share is then
# `sched-split.py window FILE t_start t_end` with the note's times.
sched_sample() { # pid out
    [ "${BENCH_SCHED:-0}" = 1 ] || return 0
    python3 "$ROOT/bench/sched-split.py" sample "$1" "$2" </dev/null >/dev/null 2>&1 &
}
PROXY_CPU0=0
counts() {
    [ "${1:-}" = '?reset' ] && PROXY_CPU0=$(proxy_cpu)
    if [ -n "$RGW_PIDS" ]; then # RGW's counters since the last '?reset': requests, failed, GETs, PUTs
        rgw_asok >"$DIR/rgw-counts.now"
        [ "${1:-}" = '?reset' ] && cp "$DIR/rgw-counts.now" "$DIR/rgw-counts.base"
        python3 - "$DIR/rgw-counts.base" "$DIR/rgw-counts.now" <<'PY'
import json, sys
a, b = (json.load(open(f))["rgw"] for f in sys.argv[1:3])
print(",".join("rgw_%s=%d" % (k, b[k] - a[k]) for k in ("req", "failed_req", "get", "put")))
PY
        return
    fi
    curl -s "http://127.0.0.1:$S_COUNTS/counts${1:-}" | awk '{printf "%s%s=%s", sep, $1, $2; sep=","}'
}
counts_total() { curl -s "http://127.0.0.1:$S_COUNTS/counts" | awk '{n+=$2} END {print n+0}'; }
# Empties a bucket after its run (and between a daemon's warm-ups): S3Proxy keeps objects on the heap, RGW on its one
# OSD, which a few runs' objects fill. On RGW every later run would also meet a fuller store than the first.
clear_bucket() {
    if [ -n "$RGW_PIDS" ]; then
        rgw_clear_bucket "$1"
        return
    fi
    curl -sf "http://127.0.0.1:$S_COUNTS/clear?$1" >/dev/null || true
}

# RGW: the objects go with DeleteObjects, 1,000 keys a request, 4 requests at once (bench EmptyBucket, straight to
# RGW, never through LatencyProxy), then the empty bucket is deleted and made again over S3, so that the next run
# also meets a fresh bucket index (deleted index entries linger in the OSD's RocksDB as tombstones), and
# `radosgw-admin gc process --include-all` deletes now the tails (parts beyond rgw_max_chunk_size, 4 MiB) that RGW
# would otherwise keep for rgw_gc_obj_min_wait (2 hours); the small profile's objects have none. radosgw-admin's own
# `bucket rm --purge-objects --bypass-gc` deletes one object after the other: 12.7-19.2 s per 3,409 objects against
# 7.6-11.6 s this way (settling included; 26.7-39.8 s per 20,266), docs/benchmarks.md "Ceph RGW rounds".
# None of it is measured: it runs between runs (each run resets RGW's counters and reads the daemons' CPU at its
# start), and the next run starts only when the Ceph daemons are quiet again (rgw_settle). The log line gives what the
# OSD held before and after (BlueStore's allocated bytes), so that it shows the space really came back.
rgw_clear_bucket() { # bucket
    local t0 a0 a1 n
    t0=$(date +%s%N); a0=$(rgw_osd_allocated)
    n=$(bench_java org.mediaoffload.bench.EmptyBucket "$DIR/rgw-s3.info" "$1" 2>>"$DIR/rgw-clear.log") \
        || { log "RGW: cannot empty bucket $1 ($n; see $DIR/rgw-clear.log)"; exit 1; }
    rgw_s3 -X DELETE "$1" || { log "RGW: cannot delete the emptied bucket $1"; exit 1; }
    rgw_make_bucket "$1"
    timeout 300 radosgw-admin -c "$RGW_DIR/ceph.conf" gc process --include-all >>"$DIR/rgw-clear.log" 2>&1 \
        || log "RGW: radosgw-admin gc process failed (see $DIR/rgw-clear.log)"
    rgw_settle
    a1=$(rgw_osd_allocated)
    log "RGW: bucket $1 emptied ($n) in $(( ($(date +%s%N) - t0) / 1000000 )) ms, settling included;" \
        "OSD allocated $((a0 / 1048576)) MiB before, $((a1 / 1048576)) MiB after"
}
rgw_s3() { # curl-args... bucket: one request to RGW itself, signed with curl's SigV4
    local b=${*: -1}
    curl -sf --cacert "$S_CA" --aws-sigv4 aws:amz:us-east-1:s3 --user "$S_ACCESS:$S_SECRET" \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "${@:1:$#-1}" "$RGW_ENDPOINT/$b" >/dev/null
}
rgw_make_bucket() { rgw_s3 -X PUT "$1" || { log "cannot create bucket $1 on RGW"; exit 1; }; } # as any client would
rgw_osd_allocated() { # bytes BlueStore has allocated for objects on the OSD
    timeout 20 ceph --admin-daemon "$RGW_DIR/run/ceph-osd.0.asok" perf dump bluestore \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["bluestore"]["bluestore_allocated"])'
}
# Waits (up to 60 s) until the Ceph daemons used under 5 % of a core in each of two straight seconds: what a delete
# left running (RocksDB flushes and compactions of the removed index, PG log trimming) does not spill into the next
# run's server CPU.
rgw_settle() {
    local quiet=0 c0 c1
    c0=$(server_cpu)
    for _ in $(seq 1 60); do
        sleep 1
        c1=$(server_cpu)
        if [ "$(echo "$c1 - $c0 < 0.05" | bc)" = 1 ]; then quiet=$((quiet + 1)); else quiet=0; fi
        c0=$c1
        [ "$quiet" -ge 2 ] && return 0
    done
    log "RGW: the Ceph daemons were still busy 60 s after a bucket was emptied"
}

# --- configs -----------------------------------------------------------------------------------------------------
# shellcheck source=bench/offload-conf.sh
. "$ROOT/bench/offload-conf.sh"

rclone_conf() { # out
    cat >"$1" <<EOF
[bench]
type = s3
provider = Other
access_key_id = $S_ACCESS
secret_access_key = $S_SECRET
endpoint = $S_ENDPOINT
force_path_style = true
region = us-east-1
sse_customer_algorithm = AES256
sse_customer_key = $SSE_KEY
storage_class = STANDARD_IA
EOF
}

# --- one measured client run -------------------------------------------------------------------------------------
# record scenario tool phase files bytes timefile rc server_cpu requests extra
record() {
    local wall user sys rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$6")
    user=$(awk -F': ' '/User time/ {print $2}' "$6")
    sys=$(awk -F': ' '/System time/ {print $2}' "$6")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$6")
    local note=${10:-}
    [ -z "$PROXY_PID" ] || note="$note proxy_cpu=$(echo "$(proxy_cpu) - $PROXY_CPU0" | bc)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$wall" "$user" "$sys" \
        "$rss" "$8" "$9" "$note" "$(cut -d' ' -f1 /proc/loadavg)" >>"$TSV"
    log "$1 $2 $3: rc=$7 files=$4 wall=${wall}s cpu=${user}+${sys}s rss=${rss}KB server_cpu=$8 requests=$9 $note"
}

fresh_copy() { # golden dest
    rm -rf "$2"
    mkdir -p "$2"
    cp -a "$1/media" "$2/media"
}

run_ours() { # scenario phase golden database bucket [tool java-opts java launcher]
    local work=$DIR/work/ours files bytes s0 s1 rc=0 c tool=${6:-ours} opts=${7:-${BENCH_JAVA_OPTS:-}} java=${8:-java}
    local launcher=${9:-}
    fresh_copy "$3" "$work"
    our_conf "$work/media" "$work/state" "$4" "$5" "$work/offload.conf"
    files=$(sed -n 's/^files=//p' "$3/stats.properties"); bytes=$(sed -n 's/^bytes=//p' "$3/stats.properties")
    counts '?reset' >/dev/null; s0=$(server_cpu); win_begin
    if [ -n "$launcher" ]; then # the launcher execs the JVM: the same process for time and thread-cpu.py
        JAVA_OPTS=$opts $PIN_CLIENT timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$work/time.txt" "$launcher" run-once \
            --config "$work/offload.conf" --json >"$work/run.json" 2>"$work/run.log" &
    else
        # shellcheck disable=SC2086
        $PIN_CLIENT timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$work/time.txt" "$java" $opts -jar "$JAR" run-once \
            --config "$work/offload.conf" --json >"$work/run.json" 2>"$work/run.log" &
    fi
    local runner=$! split
    # Where the client's CPU went, per thread group (JIT compilers, GC, transfer threads, ...), read from /proc.
    split=$(python3 "$ROOT/bench/thread-cpu.py" "$runner" "$work/threads.tsv" || echo cpu_split=none)
    wait "$runner" || rc=$?
    s1=$(server_cpu); c=$(counts); local win; win=$(win_end)
    left=$(find "$work/media" -type f | wc -l)
    record "$1" "$tool" "$2" "$files" "$bytes" "$work/time.txt" "$rc" "$(echo "$s1 - $s0" | bc)" "$c" \
        "left=$left $(grep -o '"status":"[A-Za-z_]*"' "$work/run.json" || echo status=none) $split $win"
    cp "$work/run.json" "$RESULTS/$1-$tool-$2.json" 2>/dev/null || true
    cp "$work/threads.tsv" "$RESULTS/$1-$tool-$2.threads.tsv" 2>/dev/null || true
}

# rclone 1.60 sends CompleteMultipartUpload without the SSE-C headers, which S3Proxy refuses ("The multipart upload was
# created using a form of Server Side Encryption"), so its multipart uploads fail with SSE-C here: files up to 64 MB
# (all of the mixed profile) go as single PUTs instead.
run_rclone() { # scenario phase golden bucket
    local work=$DIR/work/rclone files bytes s0 s1 rc=0 c win
    fresh_copy "$3" "$work"
    rclone_conf "$work/rclone.conf"
    files=$(sed -n 's/^files=//p' "$3/stats.properties"); bytes=$(sed -n 's/^bytes=//p' "$3/stats.properties")
    counts '?reset' >/dev/null; s0=$(server_cpu); win_begin
    # shellcheck disable=SC2086 # PIN_CLIENT (BENCH_PIN) is a command prefix, meant to split
    $PIN_CLIENT timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$work/time.txt" rclone move --config "$work/rclone.conf" \
        --files-from "$3/files.txt" --no-check-certificate --transfers 64 --checkers 64 --s3-no-check-bucket \
        --s3-upload-cutoff 64M --s3-chunk-size 8M --s3-upload-concurrency 4 \
        "$work/media" "bench:$4" >"$work/run.log" 2>&1 || rc=$?
    s1=$(server_cpu); c=$(counts); win=$(win_end)
    left=$(find "$work/media" -type f | wc -l)
    record "$1" rclone "$2" "$files" "$bytes" "$work/time.txt" "$rc" "$(echo "$s1 - $s0" | bc)" "$c" "left=$left $win"
}

# Our daemon, as systemd runs it: a warm-up run on the golden store's warm-up twin (other media, same shape), then the
# measured run on a fresh copy of the golden store, both triggered over the admin API. Only the measured run's CPU
# (from /proc) and wall time are recorded; peak RSS is the process's over both runs.
run_ours_daemon() { # scenario golden database bucket [phase tool jar]
    local phase=${5:-warm} tool=${6:-ours-daemon} jar=${7:-$JAR} work=$DIR/work/daemon port=${BENCH_ADMIN_PORT:-18457}
    local pid files bytes s0 s1 c0 c1 t0 t1 c rss left sampler split
    local opts=${BENCH_DAEMON_JAVA_OPTS:--XX:+UseSerialGC} warmups=${DAEMON_WARMUPS:-${BENCH_DAEMON_WARMUPS:-1}}
    if curl -s "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
        log "port $port is taken (another daemon?): set BENCH_ADMIN_PORT"; return 1
    fi
    rm -rf "$work"; mkdir -p "$work"
    cp -a "$2/warmup/media" "$work/media" # the first warm-up's files: the daemon starts on a store with media
    our_conf "$work/media" "$work/state" "$3" "$4" "$work/offload.conf" \
        "schedule { cron = \"0 0 5 1 1 ? 2099\" }
  http { port = $port, admin-token = bench-admin-token }"
    # shellcheck disable=SC2086
    $PIN_CLIENT java $opts -jar "$jar" daemon --config "$work/offload.conf" >"$work/daemon.log" 2>&1 &
    pid=$!
    DAEMON_PID=$pid
    [ -z "$PIN_CLIENT" ] || log "BENCH_PIN=1: daemon $pid on CPU $(taskset -c -p "$pid" | sed 's/.*: //')"
    sched_sample "$pid" "$RESULTS/sched-$1-$tool-$phase.tsv"
    for _ in $(seq 1 480); do # up to 4 minutes, as for the server
        curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || { tail -20 "$work/daemon.log" >&2; return 1; }
        sleep 0.5
    done
    # Warm-ups, as a production daemon has run a few times before: the first on the copy made above, each further one
    # on a fresh copy of the warm-up twin into the emptied bucket, so that every one uploads (no object to prove
    # against) and exercises the PUT path.
    local w
    for w in $(seq 1 "$warmups"); do
        if [ "$w" -gt 1 ]; then
            clear_bucket "$4"
            rm -rf "$work/media"; cp -a "$2/warmup/media" "$work/media"
        fi
        daemon_run "$port" "$work/warmup.json"
        log "$1 $tool: warm-up run $w/$warmups $(grep -o '"status":"[A-Z_]*"' "$work/warmup.json" | head -1)" \
            "$(grep -o '"[a-zA-Z]*[uU]ploaded":[0-9]*' "$work/warmup.json" | head -1)"
    done
    [ "${BENCH_DAEMON_FRESH_BUCKET:-0}" = 1 ] && clear_bucket "$4"
    cp -a "$2/media/." "$work/media/"
    files=$(sed -n 's/^files=//p' "$2/stats.properties"); bytes=$(sed -n 's/^bytes=//p' "$2/stats.properties")
    rm -f "$work/threads.stop"
    # Per-thread CPU of the measured run only: the sampler subtracts what each thread had used when it started.
    python3 "$ROOT/bench/thread-cpu.py" "$pid" "$work/threads.tsv" "$work/threads.stop" >"$work/split.txt" &
    sampler=$!
    # BENCH_DAEMON_JFR=FILE: a flight recording (settings=profile, socket reads and parks from 2 ms) of the measured
    # run only, started and dumped over jcmd; a profile, not a measurement (the recorder costs the daemon CPU).
    local jfr=${BENCH_DAEMON_JFR:-}
    [ -z "${BENCH_DAEMON_JFR_TOOL:-}" ] || [ "$tool" = "$BENCH_DAEMON_JFR_TOOL" ] || jfr=
    [ -z "$jfr" ] || jcmd "$pid" JFR.start name=bench settings=profile \
        jdk.SocketRead#threshold=2ms jdk.ThreadPark#threshold=2ms jdk.JavaMonitorEnter#threshold=2ms >"$work/jfr.log" 2>&1
    counts '?reset' >/dev/null; s0=$(server_cpu); c0=$(proc_cpu "$pid"); win_begin; t0=$(date +%s.%N)
    daemon_run "$port" "$work/run.json"
    t1=$(date +%s.%N); c1=$(proc_cpu "$pid"); s1=$(server_cpu); c=$(counts); local win; win=$(win_end)
    [ -z "$jfr" ] || jcmd "$pid" JFR.stop name=bench filename="${jfr%.jfr}-$1-$tool-$phase.jfr" >>"$work/jfr.log" 2>&1
    touch "$work/threads.stop"; wait "$sampler" || true
    split=$(cat "$work/split.txt" 2>/dev/null || echo cpu_split=none)
    rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    DAEMON_PID=
    # The same lines as GNU time -v writes, so that record() reads both alike.
    {
        echo "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:$(echo "$t1 - $t0" | bc)"
        echo "User time (seconds): $(echo "$c0 $c1" | awk '{printf "%.2f", $3 - $1}')"
        echo "System time (seconds): $(echo "$c0 $c1" | awk '{printf "%.2f", $4 - $2}')"
        echo "Maximum resident set size (kbytes): $rss"
    } >"$work/time.txt"
    left=$(find "$work/media" -type f | wc -l)
    record "$1" "$tool" "$phase" "$files" "$bytes" "$work/time.txt" 0 "$(echo "$s1 - $s0" | bc)" "$c" \
        "left=$left $(grep -o '"status":"[A-Z_]*"' "$work/run.json" | head -1) $split $win"
    cp "$work/run.json" "$RESULTS/$1-$tool-$phase.json" 2>/dev/null || true
    cp "$work/threads.tsv" "$RESULTS/$1-$tool-$phase.threads.tsv" 2>/dev/null || true
    cp "$work/daemon.log" "$RESULTS/$1-$tool-$phase.daemon.log" 2>/dev/null || true
}

proc_cpu() { awk '{printf "%.2f %.2f", $14 / 100, $15 / 100}' "/proc/$1/stat"; } # user sys, in seconds

daemon_run() { # port out.json: start a run over the admin API and wait for it to end
    local id
    id=$(curl -sf -X POST -H 'Authorization: Bearer bench-admin-token' "http://127.0.0.1:$1/api/v1/runs" \
        | sed -n 's/.*"runId":\([0-9]*\).*/\1/p')
    [ -n "$id" ] || { log "the daemon refused to start a run"; return 1; }
    local deadline=$((SECONDS + RUN_TIMEOUT))
    while [ "$SECONDS" -lt "$deadline" ]; do
        curl -sf "http://127.0.0.1:$1/api/v1/runs?limit=1" >"$2" || true
        if grep -q "\"runId\":$id," "$2" && ! grep -q '"status":"RUNNING"' "$2"; then
            return 0
        fi
        sleep 0.2
    done
    log "run $id did not end within $RUN_TIMEOUT s"; return 1
}

run_ceiling() { # scenario phase golden bucket [tool java-opts]
    local out s0 s1 c tool=${5:-ceiling} opts=${6:-}
    counts '?reset' >/dev/null; s0=$(server_cpu)
    # shellcheck disable=SC2086
    out=$($PIN_CLIENT timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$DIR/ceiling-time.txt" java $opts -cp "$CP" \
        org.mediaoffload.bench.CeilingLoop "$DIR/server.info" "$4" "$3/media" "$3/files.txt" "$CONCURRENCY" 600 \
        | tail -1) # the last line: with TUNED_OPTS the directives file says "N compiler directives added" first
    s1=$(server_cpu); c=$(counts)
    # The loop's own clock (without JVM start) gives the rate; GNU time gives its CPU and RSS.
    set -- "$1" "$2" $out
    record "$1" "$tool" "$2" "$3" "$4" "$DIR/ceiling-time.txt" 0 "$(echo "$s1 - $s0" | bc)" "$c" \
        "loop_seconds=$5 failures=$7"
}

run_jdk_floor() { # scenario phase golden bucket [tool passes class]
    local out=$DIR/work/floor-out.txt s0 s1 c tool=${5:-jdk-floor} passes=${6:-1} runner split check own
    local class=${7:-JdkPutFloor} passarg=
    [ "$class" = JdkPutFloor ] && passarg=$passes
    mkdir -p "$DIR/work"
    counts '?reset' >/dev/null; s0=$(server_cpu)
    # shellcheck disable=SC2086 # TUNED_OPTS, PIN_CLIENT and passarg are meant to split
    $PIN_CLIENT timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$DIR/floor-time.txt" java $TUNED_OPTS -cp "$CP" \
        "org.mediaoffload.bench.$class" "$DIR/server.info" "$4" "$3/media" "$3/files.txt" "$CONCURRENCY" 600 \
        $passarg >"$out" 2>"$DIR/work/floor-err.txt" &
    runner=$!
    split=$(python3 "$ROOT/bench/thread-cpu.py" "$runner" "$DIR/work/floor-threads.tsv" || echo cpu_split=none)
    wait "$runner" || true
    s1=$(server_cpu); c=$(counts)
    check=$(chrt --idle 0 java -cp "$CP" org.mediaoffload.bench.JdkPutFloorCheck "$DIR/server.info" "$4" \
        "$3/media" "$3/files.txt" "$passes" 2>>"$DIR/work/floor-err.txt" | tr ' ' ',' || echo failed)
    local passinfo
    passinfo=$(sed -n 's/^pass \([0-9]*\) files=\([0-9]*\) seconds=\([0-9.]*\) cpu_s=\([0-9.]*\).*/pass\1=\2f\/\3s\/\4cpu/p' \
        "$DIR/work/floor-err.txt" | xargs)
    grep -v '^pass ' "$DIR/work/floor-err.txt" | head -5 >&2 || true
    set -- "$1" "$2" "$3" "$4" $(tail -1 "$out") # the directives file says "N compiler directives added" first
    own=$7
    record "$1" "$tool" "$2" "$5" "$6" "$DIR/floor-time.txt" 0 "$(echo "$s1 - $s0" | bc)" "$c" \
        "own_seconds=$own puts=$8 failures=$9 check=$check $passinfo $split"
    cp "$DIR/work/floor-threads.tsv" "$RESULTS/$1-$tool-$2.threads.tsv" 2>/dev/null || true
}

run_noop() { # scenario database [tool java-opts java launcher]: run-once on an empty store = JVM start + fixed cost
    local work=$DIR/work/noop s0 s1 tool=${3:-ours} opts=${4:-${BENCH_JAVA_OPTS:-}} java=${5:-java} launcher=${6:-}
    rm -rf "$work"; mkdir -p "$work/media"
    for d in local_content local_thumbnails remote_content remote_thumbnail; do mkdir -p "$work/media/$d"; done
    our_conf "$work/media" "$work/state" "$2" "noop" "$work/offload.conf"
    counts '?reset' >/dev/null; s0=$(server_cpu)
    if [ -n "$launcher" ]; then
        JAVA_OPTS=$opts timeout 300 /usr/bin/time -v -o "$work/time.txt" "$launcher" run-once \
            --config "$work/offload.conf" --json >"$work/run.json" 2>"$work/run.log" || true
    else
        # shellcheck disable=SC2086
        timeout 300 /usr/bin/time -v -o "$work/time.txt" "$java" $opts -jar "$JAR" run-once \
            --config "$work/offload.conf" --json >"$work/run.json" 2>"$work/run.log" || true
    fi
    s1=$(server_cpu)
    record "$1" "$tool-noop" start 0 0 "$work/time.txt" 0 "$(echo "$s1 - $s0" | bc)" "$(counts)" "JVM start + empty run"
}

# --- throughput: small and mixed profiles ------------------------------------------------------------------------
# One server per profile and mode; the clients take turns on it, BENCH_ROUNDS times, the order rotating every round
# so that no client always meets the cold server or the same neighbour load. Each run goes into its own bucket,
# emptied after the run.
throughput() {
    local profile golden db oplat xmx gb tools=${BENCH_TOOLS:-ceiling ours ours-daemon rclone} rounds=${BENCH_ROUNDS:-3}
    for profile in ${BENCH_PROFILES:-small mixed}; do
        local scale=$SMALL_SCALE
        [ "$profile" = mixed ] && scale=$MIXED_SCALE
        golden=$DIR/store-$profile
        db=bench_${profile}_$DBTAG
        if [ ! -f "$golden/stats.properties" ] || [ ! -d "$golden/warmup/media" ] \
            || [ "$(sed -n 's/^scale=//p' "$golden/stats.properties")" != "$scale" ]; then
            rm -rf "$golden"
            log "generating the $profile profile at scale $scale"
            bench_java org.mediaoffload.bench.SyntheticStore "$profile" "$scale" "$golden" "$db"
        fi
        # transient-nio2 keeps objects on the heap: room for two runs' objects (a daemon's warm-up and measured
        # run) plus slack; every other bucket is emptied after its run.
        gb=$(awk -v b="$(sed -n 's/^bytes=//p' "$golden/stats.properties")" 'BEGIN {g=int(3*b/1e9)+2; print g}')
        xmx=${gb}g
        for mode in $MODES; do
            if [ "$profile" = mixed ] && [[ "$mode" == *wan* ]] && [ "${BENCH_MIXED_WAN:-0}" != 1 ]; then
                continue
            fi
            oplat=0; [ "$mode" = wan-op ] && oplat=20
            SERVER_MODE=s3proxy; [[ "$mode" == rgw* ]] && SERVER_MODE=rgw
            local sc="$profile-$mode${BENCH_TAG:-}" buckets=(noop cds-train) r t
            for r in $(seq 1 "$rounds"); do for t in $tools; do buckets+=("$t-r$r"); done; done
            start_server "$oplat" "$xmx" "${buckets[@]}"
            [[ "$mode" == *-wan || "$mode" == wan ]] && start_latency_proxy
            [[ " $tools " == *" ours-cds"* ]] && cds_archive "$sc" "$golden" "$db"
            for t in $tools; do
                [[ "$t" == ours-inst* ]] && install_launcher "$t"
                [[ "$t" == v-* ]] && variant_train "$sc" "$golden" "$db" "$t"
            done
            local noops=() nr i
            for t in $tools; do [[ "$t" =~ ^(ours|ours-jvm|ours-cds|ours-cds-c1|ours-inst|ours-inst-nocds|v-.*)$ ]] \
                && noops+=("$t"); done
            for nr in $(seq 1 "${BENCH_NOOP_ROUNDS:-1}"); do
                for i in $(seq 0 $((${#noops[@]} - 1))); do
                    noop_one "$sc" "$db" "${noops[$(((i + nr - 1) % ${#noops[@]}))]}"
                done
            done
            # shellcheck disable=SC2086
            alternate "$sc" "$golden" "$db" "$rounds" $tools
            stop_server
        done
    done
}

noop_one() { # scenario database tool: one empty run-once of that tool
    case $3 in
        ours) run_noop "$1" "$2" ;;
        ours-jvm) run_noop "$1" "$2" ours-jvm "$TUNED_OPTS" ;;
        ours-cds) run_noop "$1" "$2" ours-cds "$CDS_OPTS" ;;
        ours-cds-c1) run_noop "$1" "$2" ours-cds-c1 "$CDS_OPTS $C1_OPTS" ;;
        ours-inst*) run_noop "$1" "$2" "$3" "" java "$(inst_launcher "$3")" ;;
        v-*) run_noop "$1" "$2" "$3" "$(variant_opts "$3")" "$(variant_java "$3")" ;;
    esac
}

# ours-inst and ours-inst-nocds: deploy/install.sh into $DIR/install-<tool> (--root, --archive: the start-up archive
# names the jar by its path there, which is where the installed launcher finds it), as an operator's install does;
# for -nocds the archive is removed again. Not measured: under chrt --idle 0.
inst_launcher() { printf '%s' "$DIR/install-$1/opt/synapse-media-offload/synapse-media-offload"; }
install_launcher() { # tool
    local root=$DIR/install-$1 t0
    rm -rf "$root"; mkdir -p "$root"
    t0=$(date +%s.%N)
    chrt --idle 0 sh "$ROOT/deploy/install.sh" --root "$root" --no-systemctl --user "$(id -un)" --jar "$JAR" \
        --archive >"$DIR/install-$1.log" 2>&1 || { cat "$DIR/install-$1.log" >&2; exit 1; }
    [ "$1" = ours-inst-nocds ] && rm -f "$root/opt/synapse-media-offload/run-once.jsa"
    log "$1: installed in $(echo "$(date +%s.%N) - $t0" | bc) s (under chrt --idle 0):" \
        "$(grep -o 'Dumped the start-up archive.*' "$DIR/install-$1.log")" \
        "$([ -f "$root/opt/synapse-media-offload/run-once.jsa" ] || echo '(archive removed)')"
}

# The launcher's (deploy/synapse-media-offload) run-once options, but for its JVM-messages-to-stderr ones.
LAUNCHER_JIT="-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$ROOT/deploy/run-once-compiler.json"
TUNED_OPTS=${BENCH_TUNED_JAVA_OPTS:--XX:+UseSerialGC $LAUNCHER_JIT}
C1_OPTS=-XX:TieredStopAtLevel=1
CDS_ARCHIVE=
CDS_OPTS=

# The install-time step docs/benchmarks.md describes: one run-once with -XX:ArchiveClassesAtExit on real work (here
# the warm-up twin, into its own bucket) dumps the classes it loaded; later run-onces map them instead of loading them.
cds_archive() { # scenario golden database
    local work=$DIR/work/cds
    CDS_ARCHIVE=$DIR/synapse-media-offload.jsa
    CDS_OPTS="-XX:SharedArchiveFile=$CDS_ARCHIVE"
    rm -rf "$work" "$CDS_ARCHIVE"; mkdir -p "$work"
    cp -a "$2/warmup/media" "$work/media"
    our_conf "$work/media" "$work/state" "$3" cds-train "$work/offload.conf"
    timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$work/time.txt" java "-XX:ArchiveClassesAtExit=$CDS_ARCHIVE" \
        -jar "$JAR" run-once --config "$work/offload.conf" --json >"$work/run.json" 2>"$work/run.log" || true
    log "$1: CDS archive $(du -h "$CDS_ARCHIVE" | cut -f1) made by a run-once of $(find "$2/warmup/media" -type f \
        | wc -l) files in $(awk -F': ' '/Elapsed/ {print $2}' "$work/time.txt")"
    clear_bucket cds-train
}

# Variants of our run-once named on the command line: tool v-NAME runs BENCH_V_NAME_JAVA (default java) with the
# options BENCH_V_NAME. If BENCH_V_NAME_TRAIN is set, one training run-once with those options goes first, as
# cds_archive's; @ARCHIVE@ in either option list is the variant's own archive file (a CDS archive, a JDK 25 AOT cache).
variant_var() { local n=${1#v-}; n=${n//-/_}; eval "printf '%s' \"\${BENCH_V_${n}${2}:-}\""; }
variant_java() { local j; j=$(variant_var "$1" _JAVA); printf '%s' "${j:-java}"; }
variant_opts() { variant_var "$1" "" | sed "s|@ARCHIVE@|$DIR/$1.archive|g"; }
variant_train() { # scenario golden database tool
    local work=$DIR/work/train topts
    topts=$(variant_var "$4" _TRAIN | sed "s|@ARCHIVE@|$DIR/$4.archive|g")
    [ -n "$topts" ] || return 0
    rm -rf "$work" "$DIR/$4.archive"; mkdir -p "$work"
    cp -a "$2/warmup/media" "$work/media"
    our_conf "$work/media" "$work/state" "$3" cds-train "$work/offload.conf"
    # shellcheck disable=SC2086
    timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$work/time.txt" "$(variant_java "$4")" $topts \
        -jar "$JAR" run-once --config "$work/offload.conf" --json >"$work/run.json" 2>"$work/run.log" || true
    log "$1: $4 archive $(du -h "$DIR/$4.archive" | cut -f1) made by a training run-once of $(find "$2/warmup/media" \
        -type f | wc -l) files in $(awk -F': ' '/Elapsed/ {print $2}' "$work/time.txt"), CPU $(awk -F': ' \
        '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$work/time.txt") s"
    clear_bucket cds-train
}

alternate() { # scenario golden database rounds tool...
    local sc=$1 golden=$2 db=$3 rounds=$4 r i t
    shift 4
    local tools=("$@")
    for r in $(seq 1 "$rounds"); do
        for i in $(seq 0 $(($# - 1))); do
            t=${tools[$(((i + r - 1) % $#))]}
            # ours-jvm-c64 = ours-jvm at offload.s3.concurrency 64: the same client, one setting changed. The result
            # rows carry the full name (run_ours' tool argument, or the daemon's scenario), the bucket too.
            if [[ "$t" =~ ^(ours.*)-c([0-9]+)$ ]]; then
                local conc=${BASH_REMATCH[2]}
                case ${BASH_REMATCH[1]} in
                    ours) CONCURRENCY=$conc run_ours "$sc" "r$r" "$golden" "$db" "$t-r$r" "$t" ;;
                    ours-jvm) CONCURRENCY=$conc run_ours "$sc" "r$r" "$golden" "$db" "$t-r$r" "$t" "$TUNED_OPTS" ;;
                    ours-daemon) CONCURRENCY=$conc run_ours_daemon "$sc" "$golden" "$db" "$t-r$r" "r$r" "$t" ;;
                    ours-daemon-w[0-9]*) local wu=${BASH_REMATCH[1]#ours-daemon-w}
                        CONCURRENCY=$conc DAEMON_WARMUPS=$wu run_ours_daemon "$sc" "$golden" "$db" "$t-r$r" "r$r" \
                            "$t" ;;
                    *) log "unknown tool $t"; exit 2 ;;
                esac
                clear_bucket "$t-r$r"
                continue
            fi
            case $t in
                ceiling) run_ceiling "$sc" "r$r" "$golden" "$t-r$r" ;;
                ceiling-jvm) run_ceiling "$sc" "r$r" "$golden" "$t-r$r" ceiling-jvm "$TUNED_OPTS" ;;
                stack-put) run_jdk_floor "$sc" "r$r" "$golden" "$t-r$r" stack-put 1 StackPutLoop ;;
                jdk-floor) run_jdk_floor "$sc" "r$r" "$golden" "$t-r$r" ;;
                jdk-floor-p[0-9]*) run_jdk_floor "$sc" "r$r" "$golden" "$t-r$r" "$t" "${t#jdk-floor-p}" ;;
                ours) run_ours "$sc" "r$r" "$golden" "$db" "$t-r$r" ;;
                ours-jvm) run_ours "$sc" "r$r" "$golden" "$db" "$t-r$r" ours-jvm "$TUNED_OPTS" ;;
                ours-jvm-*) local jvmjar=BENCH_JAR_${t#ours-jvm-}
                    [ -n "${!jvmjar:-}" ] || { log "$t needs $jvmjar"; exit 2; }
                    JAR=${!jvmjar} run_ours "$sc" "r$r" "$golden" "$db" "$t-r$r" "$t" "$TUNED_OPTS" ;;
                ours-cds) run_ours "$sc" "r$r" "$golden" "$db" "$t-r$r" ours-cds "$CDS_OPTS" ;;
                ours-cds-c1) run_ours "$sc" "r$r" "$golden" "$db" "$t-r$r" ours-cds-c1 "$CDS_OPTS $C1_OPTS" ;;
                v-*) run_ours "$sc" "r$r" "$golden" "$db" "$t-r$r" "$t" "$(variant_opts "$t")" "$(variant_java "$t")" ;;
                ours-inst|ours-inst-nocds) run_ours "$sc" "r$r" "$golden" "$db" "$t-r$r" "$t" "" java \
                    "$(inst_launcher "$t")" ;;
                ours-daemon) run_ours_daemon "$sc" "$golden" "$db" "$t-r$r" "r$r" ;;
                ours-daemon-w[0-9]*) DAEMON_WARMUPS=${t#ours-daemon-w} run_ours_daemon "$sc" "$golden" "$db" "$t-r$r" \
                    "r$r" "$t" ;;
                ours-daemon-*) local jarvar=BENCH_JAR_${t#ours-daemon-}
                    [ -n "${!jarvar:-}" ] || { log "$t needs $jarvar"; exit 2; }
                    run_ours_daemon "$sc" "$golden" "$db" "$t-r$r" "r$r" "$t" "${!jarvar}" ;;
                rclone) run_rclone "$sc" "r$r" "$golden" "$t-r$r" ;;
                *) log "unknown tool $t"; exit 2 ;;
            esac
            clear_bucket "$t-r$r"
        done
    done
}

# --- scale: 1M rows, steady state and pull-back ------------------------------------------------------------------
scale_steady() { # phase; a run-once with nothing to do on the scale store, under -Xmx256m
    local work=$DIR/scale phase=$1 s0 s1 rc=0 c
    counts '?reset' >/dev/null; s0=$(server_cpu)
    # shellcheck disable=SC2086
    timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$work/time.txt" java -Xmx256m ${BENCH_JAVA_OPTS:-} -jar "$JAR" \
        run-once --config "$work/offload.conf" --json >"$work/$phase.json" 2>"$work/$phase.log" || rc=$?
    s1=$(server_cpu); c=$(counts)
    record "scale-$SCALE_ROWS${BENCH_TAG:-}" ours "$phase" 0 0 "$work/time.txt" "$rc" "$(echo "$s1 - $s0" | bc)" "$c" \
        "requests=$(echo "$c" | tr ',' '\n' | awk -F= '{n+=$2} END {print n+0}') $(grep -o '"status":"[A-Za-z_]*"' "$work/$phase.json")"
    cp "$work/$phase.json" "$RESULTS/scale-$phase${BENCH_TAG:-}.json"
}

# The state an installation that has offloaded for months is in, and that the scale runs assume: the target is
# pinned (without a pin every run lists the prefix to see whether it holds media: 2 requests in a steady state) and
# check-config's probe of the store is recorded (on S3Proxy: the ETag of an SSE-C upload is the plaintext MD5, so a
# pulled-back file is proven by one HEAD, proof (c); without a recorded probe no proof holds and it is uploaded
# again). Made again after each server start: the endpoint's port, and so the target, changes with it.
scale_pin() {
    local work=$DIR/scale
    java -jar "$JAR" check-config --config "$work/offload.conf" >"$work/check-config.log" 2>&1 \
        || { log "scale: check-config failed, see $work/check-config.log"; exit 1; }
    java -jar "$JAR" accept-target --config "$work/offload.conf" >"$work/accept-target.log" 2>&1 \
        || { log "scale: accept-target failed, see $work/accept-target.log"; exit 1; }
}

# The pull-back run: 1,000 offloaded media reappear on disk with their objects; they must be verified and deleted
# without a PUT.
scale_pullback() {
    local work=$DIR/scale s0 s1 rc=0 c
    log "scale: 1,000 offloaded media reappear locally; seeding their objects"
    bench_java org.mediaoffload.bench.ScaleStore pullback "$SCALE_ROWS" "$work" "bench_scale_$DBTAG" "$DIR/server.info"
    counts '?reset' >/dev/null; s0=$(server_cpu)
    # shellcheck disable=SC2086
    timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$work/time.txt" java -Xmx256m ${BENCH_JAVA_OPTS:-} -jar "$JAR" \
        run-once --config "$work/offload.conf" --json >"$work/pullback.json" 2>"$work/pullback.log" || rc=$?
    s1=$(server_cpu); c=$(counts)
    record "scale-$SCALE_ROWS${BENCH_TAG:-}" ours pullback "$(cat "$work/pullback-files.txt")" 0 "$work/time.txt" "$rc" \
        "$(echo "$s1 - $s0" | bc)" "$c" \
        "requests=$(echo "$c" | tr ',' '\n' | awk -F= '{n+=$2} END {print n+0}') left_pulled_back=$(bench_java org.mediaoffload.bench.ScaleStore left "$SCALE_ROWS" "$work" "bench_scale_$DBTAG") $(grep -o '"filesUploaded":[0-9]*' "$work/pullback.json") $(grep -o '"filesDeleted":[0-9]*' "$work/pullback.json")"
    cp "$work/pullback.json" "$RESULTS/scale-pullback${BENCH_TAG:-}.json"
}

# The steady-state and pull-back runs again on the store a previous "scale" left (tuning: BENCH_EXTRA_CONF,
# BENCH_TAG), on a fresh server.
scale_again() {
    local work=$DIR/scale
    [ -f "$work/offload.conf" ] || { log "no scale store in $work: run bench/run.sh scale first"; exit 2; }
    start_server 0 1g bench
    our_conf "$work/media" "$work/state" "bench_scale_$DBTAG" bench "$work/offload.conf"
    scale_pin
    scale_steady steady
    scale_steady steady-again
    scale_pullback
    stop_server
}

scale() {
    local work=$DIR/scale db=bench_scale_$DBTAG
    rm -rf "$work"; mkdir -p "$work"
    for d in local_content local_thumbnails remote_content remote_thumbnail; do mkdir -p "$work/media/$d"; done
    start_server 0 2g bench
    log "scale: loading $SCALE_ROWS media rows and a journal of the offloaded ones"
    our_conf "$work/media" "$work/state" "$db" bench "$work/offload.conf"
    bench_java org.mediaoffload.bench.ScaleStore setup "$SCALE_ROWS" "$work" "$db"
    # Let the production code create the journal's schema: a run on an empty media store does only that.
    java -jar "$JAR" run-once --config "$work/offload.conf" --json >"$work/init.json" 2>"$work/init.log" || true
    bench_java org.mediaoffload.bench.ScaleStore journal "$SCALE_ROWS" "$work" "$db"
    bench_java org.mediaoffload.bench.ScaleStore recent "$SCALE_ROWS" "$work" "$db"
    scale_pin
    scale_steady steady
    scale_steady steady-again
    scale_pullback
    stop_server
}

# --- audit: BENCH_SCALE_ROWS rows, BENCH_AUDIT_OBJECTS objects, under -Xmx128m -----------------------------------
# The listing alone and the DB scan alone are timed first (AuditScale), then the audit itself; the server counts
# the audit's listings (one "list" per ListObjectsV2 page). With BENCH_AUDIT_JARS several builds take turns on the
# same store and server (A/B, then B/A, ...), each round with its own listing-alone and DB-scan-alone timings.
audit_bench() {
    local work=$DIR/audit db=bench_audit_$DBTAG objects=${BENCH_AUDIT_OBJECTS:-100000} cl round i n spec s0 s1
    local prep=
    [ "${BENCH_PREP_IDLE:-0}" = 1 ] && prep="chrt --idle 0"
    local -a jars
    read -r -a jars <<<"${BENCH_AUDIT_JARS:-ours=$JAR}"
    n=${#jars[@]}
    SERVER_MODE=${BENCH_AUDIT_SERVER:-s3proxy}
    case "$SERVER_MODE" in
        s3proxy|rgw) ;;
        *) log "audit: unknown BENCH_AUDIT_SERVER $SERVER_MODE (s3proxy|rgw)"; exit 2 ;;
    esac
    rm -rf "$work"; mkdir -p "$work"
    for d in local_content local_thumbnails remote_content remote_thumbnail; do mkdir -p "$work/media/$d"; done
    SERVER_PREFIX=$prep start_server 0 3g bench
    our_conf "$work/media" "$work/state" "$db" bench "$work/offload.conf"
    # shellcheck disable=SC2086 # prep is a command prefix or nothing
    $prep java -cp "$CP" org.mediaoffload.bench.ScaleStore setup "$SCALE_ROWS" "$work" "$db"
    # shellcheck disable=SC2086
    $prep java -cp "$CP" org.mediaoffload.bench.AuditScale objects "$SCALE_ROWS" "$DIR/server.info" "$objects" \
        ${BENCH_AUDIT_LOST_EVERY:-0} ${BENCH_AUDIT_ORPHANS:-0}
    if [ -n "${BENCH_AUDIT_WAIT_FOR:-}" ]; then
        log "audit: store loaded and seeded; waiting for $BENCH_AUDIT_WAIT_FOR"
        until [ -e "$BENCH_AUDIT_WAIT_FOR" ]; do
            server_alive || { log "audit: the $SERVER_MODE server ended while waiting"; exit 1; }
            sleep 5
        done
    fi
    # The measured steps run at the script's own priority, and the server with them (every thread, -a): S3Proxy's
    # JVM, or each Ceph daemon.
    if [ -n "$prep" ]; then
        local p
        for p in ${RGW_PIDS:-$SERVER_PID}; do chrt --other -a -p 0 "$p" >/dev/null; done
        [ "$SERVER_MODE" != rgw ] || log "audit: Ceph daemons $RGW_PIDS back to SCHED_OTHER" \
            "($(for p in $RGW_PIDS; do chrt -p "$p" | sed -n 's/.*policy: //p'; done | sort | uniq -c | xargs))"
    fi
    for mode in ${BENCH_AUDIT_MODES:-loopback}; do
        case "$mode" in
            loopback) [ -z "$PROXY_PID" ] || { log "audit: loopback must come before wan"; exit 2; } ;;
            wan) start_latency_proxy; our_conf "$work/media" "$work/state" "$db" bench "$work/offload.conf" ;;
            *) log "audit: unknown mode $mode (loopback|wan)"; exit 2 ;;
        esac
        for round in $(seq 1 "${BENCH_AUDIT_ROUNDS:-1}"); do
            counts '?reset' >/dev/null; s0=$(server_cpu)
            bench_java org.mediaoffload.bench.AuditScale listing "$DIR/server.info" >"$work/listing.txt"
            s1=$(server_cpu); cl=$(counts)
            bench_java org.mediaoffload.bench.AuditScale dbscan "$db" >"$work/dbscan.txt"
            log "audit $mode round $round: listing alone $(cat "$work/listing.txt") ($cl; server CPU" \
                "$(echo "$s1 - $s0" | bc) s); DB scan alone $(cat "$work/dbscan.txt")"
            for i in $(seq 0 $((n - 1))); do
                spec=${jars[$(((i + round - 1) % n))]}
                audit_once "$work" "$objects" "${spec%%=*}" "${spec#*=}" "$round" "$mode"
            done
        done
    done
    stop_server
}

audit_once() { # work objects label jar round [mode]
    local work=$1 objects=$2 label=$3 jar=$4 round=$5 mode=${6:-loopback} s0 s1 rc=0 c sfx= opts var runner split
    local srv= d0= each=
    [ "$mode" = loopback ] || sfx=-$mode
    [ -z "$RGW_PIDS" ] || srv=-rgw
    var=BENCH_AUDIT_JAVA_OPTS_${label//-/_}
    opts=${!var:-}
    counts '?reset' >/dev/null; s0=$(server_cpu)
    [ -z "$RGW_PIDS" ] || d0=$(rgw_cpu_each)
    # shellcheck disable=SC2086 # the options are meant to split
    timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$work/time.txt" java -Xmx128m $opts -jar "$jar" \
        audit --config "$work/offload.conf" --json >"$work/audit.json" 2>"$work/audit.log" &
    runner=$!
    # Where the audit's CPU went, per thread group (C2 and C1 compilers, GC, main, the re-check's lookers: "other").
    split=$(python3 "$ROOT/bench/thread-cpu.py" "$runner" "$work/threads.tsv" || echo cpu_split=none)
    wait "$runner" || rc=$?
    s1=$(server_cpu); c=$(counts)
    [ -z "$RGW_PIDS" ] || each=" server_cpu_each[$(cpu_delta "$d0" "$(rgw_cpu_each)")]"
    record "audit-$SCALE_ROWS-$objects$srv$sfx${BENCH_TAG:-}" "$label" "audit-r$round" "$objects" 0 "$work/time.txt" "$rc" \
        "$(echo "$s1 - $s0" | bc)" "$c" "listing_alone[$(cat "$work/listing.txt")] dbscan_alone[$(cat "$work/dbscan.txt")] $(grep -o '"status":"[A-Z]*"' "$work/audit.json") $(grep -o '"durationSeconds":[0-9.]*' "$work/audit.json") $split opts[${opts:-none}]$each"
    cp "$work/audit.json" "$RESULTS/audit-$label$sfx-r$round.json"
    cp "$work/audit.log" "$RESULTS/audit-$label$sfx-r$round.log"
    cp "$work/threads.tsv" "$RESULTS/audit-$label$sfx-r$round.threads.tsv" 2>/dev/null || true
}

mkdir -p "$DIR" "$RESULTS"
need
build
[ -f "$TSV" ] || printf 'scenario\ttool\tphase\tfiles\tbytes\twall_s\tuser_s\tsys_s\tmax_rss_kb\tserver_cpu_s\tserver_ops\tnote\tload1\n' >"$TSV"
log "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
case "$WHAT" in
    all) throughput; scale ;;
    throughput) throughput ;;
    scale) scale ;;
    scale-again) scale_again ;;
    audit) audit_bench ;;
    *) log "unknown command $WHAT (all|throughput|scale|scale-again|audit)"; exit 2 ;;
esac
bench_java org.mediaoffload.bench.ResultsTable "$TSV" >"$RESULTS/results.md"
log "done: $TSV and $RESULTS/results.md"
