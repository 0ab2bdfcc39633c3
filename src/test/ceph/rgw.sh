#!/usr/bin/env bash
# A throwaway single-node Ceph cluster with a RADOS Gateway, for the tests (testing/RgwServer) and the benchmark
# (bench/run.sh rgw). One monitor, one OSD (bluestore on a sparse file), one radosgw; no manager, no systemd.
# Everything lives in DIR and listens on 127.0.0.1 only, on ports picked free at creation, so several clusters
# (other test JVMs, other checkouts) can run at once. Daemons run in the foreground under setsid; their PIDs are
# in DIR/pids and `stop` ends exactly those.
#
#   src/test/ceph/rgw.sh start DIR   create the cluster in DIR if needed, start what is not running; on success
#                                    writes DIR/rgw.properties (endpoints, keys, CA bundle, PIDs) and prints it
#   src/test/ceph/rgw.sh stop DIR    stop the daemons started from DIR (by PID); the data stays for a quick restart
#
# Environment (read when the cluster is created):
#   RGW_STANDARD_IA=1      add STANDARD_IA to the zone's placement (RGW knows only STANDARD until told); 0 = don't
#   RGW_CRYPT_REQUIRE_SSL  true (RGW's default: SSE-C only over HTTPS) or false
#   RGW_LOG=1              debug_rgw=1 (requests in DIR/log/client.rgw.a.log); default 0, quieter and cheaper
#   RGW_OSD_GB             size of the OSD's block file in GiB (default 8; a sparse file, so only what is written takes
#                          disk). The OSD refuses writes at 95 % (mon_osd_full_ratio); bench/run.sh asks for more
# and at every start:
#   RGW_WATCH_PID=PID      a watcher stops the cluster (and, with RGW_WATCH_CLEANUP=1, removes DIR) once PID is gone:
#                          a test JVM that is killed does not leave its daemons behind
#
# Needs: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common (which bring python3),
# and openssl. Exit code 3 = something is not installed (the tests skip or, with CI=true, fail on it).
set -euo pipefail

SCRIPT=$(readlink -f "$0")
CMD=${1:-}
D=${2:-}
[ -n "$CMD" ] && [ -n "$D" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$D"
D=$(cd "$D" && pwd)
H=127.0.0.1
CONF=$D/ceph.conf
USER_ID=offload-test
ACCESS=offload-test-access
SECRET=offload-test-secret-0123456789

running() { # name: the recorded PID is alive and is ours (its command line names our ceph.conf)
    local p
    p=$(cat "$D/pids/$1.pid" 2>/dev/null) && [ -n "$p" ] && grep -qa -- "$CONF" "/proc/$p/cmdline" 2>/dev/null
}

stop() {
    local n p
    for n in watch rgw osd mon; do
        if running "$n"; then
            p=$(cat "$D/pids/$n.pid")
            [ "$p" = "$PPID" ] && continue # the watcher is stopping the cluster: it ends by itself
            kill -TERM "$p" 2>/dev/null || true
            for _ in $(seq 1 80); do [ -d "/proc/$p" ] || break; sleep 0.25; done
            if [ -d "/proc/$p" ]; then
                echo "$n ($p) did not stop within 20 s; SIGKILL" >&2
                kill -KILL "$p" 2>/dev/null || true
            fi
        fi
        rm -f "$D/pids/$n.pid"
    done
}

if [ "$CMD" = stop ]; then
    stop
    exit 0
fi
[ "$CMD" = start ] || { echo "unknown command $CMD (start|stop)" >&2; exit 2; }

missing=()
for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool python3 openssl setsid; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "missing ${missing[*]}: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common openssl" >&2
    exit 3
fi

mkdir -p "$D/pids" "$D/log" "$D/run" "$D/cert"
t0=$(date +%s%N)
ceph_cli() { timeout 60 ceph -c "$CONF" --connect-timeout 10 "$@"; }
admin() { timeout 60 radosgw-admin -c "$CONF" "$@"; }

launch() { # name command...: start a daemon in the foreground of its own session, record its PID
    local n=$1; shift
    running "$n" && return 0
    setsid "$@" -f -c "$CONF" </dev/null >>"$D/log/$n.out" 2>&1 &
    echo $! >"$D/pids/$n.pid"
}

wait_for() { # name condition [tries of 0.25 s]
    local i
    for i in $(seq 1 "${3:-240}"); do
        if ! running "$1"; then
            echo "$1 died; the end of $D/log/$1.out:" >&2
            tail -20 "$D/log/$1.out" >&2
            exit 1
        fi
        eval "$2" >/dev/null 2>&1 && return 0
        sleep 0.25
    done
    echo "$1: timed out waiting for: $2 (see $D/log)" >&2
    exit 1
}

free_ports() { # n: ports nobody listens on now; the kernel picks them, so parallel clusters do not collide
    python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

http_up() { # url: any HTTP answer from RGW (anonymous GET / answers 200 with an empty bucket list)
    python3 - "$1" <<'EOF'
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()
EOF
}

if [ ! -f "$D/.created" ]; then
    for n in rgw osd mon; do
        running "$n" && { echo "$n runs but the cluster in $D is incomplete: run '$0 stop $D' first" >&2; exit 1; }
    done
    rm -rf "$D/mon" "$D/osd" "$D/rgw" "$D/keyring" "$D/crash" "$CONF" "$D/run/"* "$D/log/"* "$D/rgw.properties"
    mkdir -p "$D/mon/a" "$D/osd/0" "$D/keyring" "$D/rgw"
    read -r MON2 MON1 HTTP HTTPS <<<"$(free_ports 4)"
    OSD_GB=${RGW_OSD_GB:-8}
    [[ "$OSD_GB" =~ ^[1-9][0-9]*$ ]] || { echo "RGW_OSD_GB must be a whole number of GiB, not $OSD_GB" >&2; exit 2; }
    FSID=$(cat /proc/sys/kernel/random/uuid)
    K=$D/keyring
    cat >"$CONF" <<EOF
# Written by $0 for a throwaway test cluster. Ports: mon $MON2/$MON1, rgw http $HTTP https $HTTPS.
[global]
fsid = $FSID
mon_host = [v2:$H:$MON2,v1:$H:$MON1]
public_network = 127.0.0.0/8
public_addr = $H
cluster_addr = $H
ms_bind_ipv6 = false
# OSDs take the first free ports of Ceph's default range: other clusters' ports are skipped.
keyring = $K/\$cluster.\$name.keyring
run_dir = $D/run
admin_socket = $D/run/\$cluster-\$name.asok
log_file = $D/log/\$name.log
mon_cluster_log_file = $D/log/cluster.log
crash_dir = $D/crash
pid_file =
log_to_stderr = false
err_to_stderr = true
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_data_avail_warn = 5
mon_data_avail_crit = 1
auth_allow_insecure_global_id_reclaim = false
[mon]
mon_data = $D/mon/\$id
keyring = $D/mon/\$id/keyring
mon_memory_target = 134217728
[osd]
osd_data = $D/osd/\$id
keyring = $D/osd/\$id/keyring
osd_objectstore = bluestore
bluestore_block_create = true
bluestore_block_size = $((OSD_GB * 1073741824))
osd_memory_target = 939524096
bluestore_cache_autotune = false
bluestore_cache_size = 134217728
osd_op_num_shards = 1
osd_op_num_threads_per_shard = 2
[client.rgw.a]
keyring = $D/rgw/keyring
rgw_data = $D/rgw
rgw_frontends = beast endpoint=$H:$HTTP ssl_endpoint=$H:$HTTPS ssl_certificate=$D/cert/rgw.crt ssl_private_key=$D/cert/rgw.key${RGW_FRONTEND_EXTRA:+ $RGW_FRONTEND_EXTRA}
rgw_thread_pool_size = 64
rgw_crypt_require_ssl = ${RGW_CRYPT_REQUIRE_SSL:-true}
debug_rgw = ${RGW_LOG:-0}
EOF
    echo "$HTTP $HTTPS" >"$D/ports"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$H" \
        -addext "subjectAltName=IP:$H,DNS:localhost" -keyout "$D/cert/rgw.key" -out "$D/cert/rgw.crt" 2>/dev/null
    ceph-authtool -C "$K/mon.keyring" -g -n mon. --cap mon 'allow *' >/dev/null
    ceph-authtool -C "$K/ceph.client.admin.keyring" -g -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
        --cap mgr 'allow *' >/dev/null
    ceph-authtool "$K/mon.keyring" --import-keyring "$K/ceph.client.admin.keyring" >/dev/null
    monmaptool --create --addv a "[v2:$H:$MON2,v1:$H:$MON1]" --fsid "$FSID" "$D/run/monmap" >/dev/null
    ceph-mon -c "$CONF" --mkfs -i a --monmap "$D/run/monmap" --keyring "$K/mon.keyring" >>"$D/log/setup.log" 2>&1
    launch mon ceph-mon -i a
    wait_for mon "ceph_cli -s"
    OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
    ceph-authtool -C "$D/osd/0/keyring" -g -n osd.0 >/dev/null
    ceph_cli auth add osd.0 mon 'allow profile osd' mgr 'allow profile osd' osd 'allow *' -i "$D/osd/0/keyring" \
        >>"$D/log/setup.log" 2>&1
    ceph_cli osd create "$OSD_UUID" 0 >/dev/null
    ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >>"$D/log/setup.log" 2>&1
    ceph_cli auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' -o "$D/rgw/keyring" 2>>"$D/log/setup.log"
    launch osd ceph-osd -i 0
    wait_for osd "ceph_cli osd dump | grep -q '^osd.0 up'"
    admin user list >/dev/null 2>>"$D/log/setup.log" # creates the default zonegroup and zone
    if [ "${RGW_STANDARD_IA:-1}" = 1 ]; then
        admin zonegroup placement add --rgw-zonegroup default --placement-id default-placement \
            --storage-class STANDARD_IA >/dev/null 2>>"$D/log/setup.log"
        admin zone placement add --rgw-zone default --placement-id default-placement --storage-class STANDARD_IA \
            --data-pool default.rgw.buckets.data >/dev/null 2>>"$D/log/setup.log"
    fi
    admin user create --uid "$USER_ID" --display-name "$USER_ID" --access-key "$ACCESS" --secret-key "$SECRET" \
        >/dev/null 2>>"$D/log/setup.log"
    touch "$D/.created"
fi

read -r HTTP HTTPS <"$D/ports"
launch mon ceph-mon -i a
wait_for mon "ceph_cli -s"
launch osd ceph-osd -i 0
wait_for osd "ceph_cli osd dump | grep -q '^osd.0 up'"
launch rgw radosgw -n client.rgw.a
wait_for rgw "http_up http://$H:$HTTP/" 480
if [ -n "${RGW_WATCH_PID:-}" ] && ! running watch; then
    # The watcher's command line names $CONF, so running/stop recognise it like the daemons.
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; "$2" stop "$3"; [ "$4" != 1 ] || rm -rf "$3"' \
        rgw-watch "$RGW_WATCH_PID" "$SCRIPT" "$D" "${RGW_WATCH_CLEANUP:-0}" "$CONF" </dev/null >/dev/null 2>&1 &
    echo $! >"$D/pids/watch.pid"
fi
cat >"$D/rgw.properties" <<EOF
endpoint=https://$H:$HTTPS
httpEndpoint=http://$H:$HTTP
accessKey=$ACCESS
secretKey=$SECRET
caBundle=$D/cert/rgw.crt
region=us-east-1
monPid=$(cat "$D/pids/mon.pid")
osdPid=$(cat "$D/pids/osd.pid")
rgwPid=$(cat "$D/pids/rgw.pid")
startMillis=$(( ($(date +%s%N) - t0) / 1000000 ))
EOF
cat "$D/rgw.properties"
