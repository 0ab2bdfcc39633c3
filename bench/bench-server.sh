# S3Proxy in its own JVM (org.mediaoffload.bench.BenchServer) for the bench scripts (sourced, not run).
# Needs CP (the test classpath), log() and DIR. SERVER_PREFIX (e.g. "chrt --idle 0") is put before java.
# Sets SERVER_PID and the server's S_ENDPOINT, S_COUNTS, S_ACCESS, S_SECRET, S_CA.
bench_server_start() { # log-file xmx latency-ms lifetime-s bucket...
    local out=$1 xmx=$2 latency=$3 lifetime=$4
    shift 4
    rm -f "$DIR/server.info"
    # shellcheck disable=SC2086 # SERVER_PREFIX is meant to split
    ${SERVER_PREFIX:-} java "-Xmx$xmx" -cp "$CP" org.mediaoffload.bench.BenchServer "$DIR/server.info" "$latency" \
        "$lifetime" "$@" >"$out" 2>&1 &
    SERVER_PID=$!
    # Up to 4 minutes: on 2 cores shared with other builds a JVM start plus S3Proxy's took over a minute.
    for _ in $(seq 1 480); do
        [ -f "$DIR/server.info" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$out" >&2; exit 1; }
        sleep 0.5
    done
    [ -f "$DIR/server.info" ] || { log "S3Proxy did not start"; exit 1; }
    S_ENDPOINT=$(bench_server_prop endpoint)
    S_COUNTS=$(bench_server_prop countsPort)
    S_ACCESS=$(bench_server_prop accessKey)
    S_SECRET=$(bench_server_prop secretKey)
    S_CA=$(bench_server_prop caPem)
}

# server.info is a Java properties file: ':' and '=' in values are escaped with '\'.
bench_server_prop() { sed -n "s/^$1=//p" "$DIR/server.info" | sed 's/\\//g'; }
