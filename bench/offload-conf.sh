# Our offload.conf for a bench run, shared by bench/run.sh and bench/stream.sh (sourced, not run).
# Needs S_ENDPOINT, S_ACCESS, S_SECRET, S_CA (the server's) and SSE_KEY; CONCURRENCY (default 32), BENCH_EXTRA_CONF
# (extra HOCON inside offload { }) and BENCH_PG_HOST/BENCH_PG_PORT/BENCH_PG_USER are optional.
our_conf() { # media state database bucket out [extra HOCON]
    cat >"$5" <<EOF
offload {
  media-store-path = "$1"
  state-dir = "$2"
  database { type = postgres, url = "jdbc:postgresql://${BENCH_PG_HOST:-127.0.0.1}:${BENCH_PG_PORT:-5432}/$3", user = "${BENCH_PG_USER:-postgres}" }
  selection { min-age = 30d }
  s3 {
    bucket = "$4"
    endpoint = "$S_ENDPOINT"
    path-style = true
    access-key-id = "$S_ACCESS"
    secret-access-key = "$S_SECRET"
    storage-class = STANDARD_IA
    sse-customer-key = "$SSE_KEY"
    ca-bundle = "$S_CA"
    concurrency = ${CONCURRENCY:-32}
  }
  ${BENCH_EXTRA_CONF:-}
  ${6:-}
}
EOF
}
