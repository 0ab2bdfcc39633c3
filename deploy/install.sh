#!/bin/sh
# Installs synapse-media-offload as a systemd service. Idempotent: run it again to upgrade the jar and unit;
# an existing configuration is never overwritten.
#
#   deploy/install.sh [--root DIR] [--no-systemctl] [--user USER] [--group GROUP]
#                     [--media-store DIR] [--jar FILE] [--config FILE] [--archive|--no-archive]
#
#   --root DIR         install under DIR instead of / (packaging, CI)
#   --no-systemctl     do not run systemctl (daemon-reload, enable, try-restart)
#   --user USER        the service user: the media store's owner (default: matrix)
#   --group GROUP      the service group (default: USER's primary group)
#   --media-store DIR  the Synapse media store, made writable for the service (default:
#                      /matrix/synapse/storage/media-store, the playbook's layout)
#   --jar FILE         the runnable jar (default: target/synapse-media-offload.jar next to this script)
#   --config FILE      the example config to install when none exists (default: config/offload.conf)
#   --archive          dump the start-up archive (run-once.jsa, see below) even with --root: it names the jar by the
#                      path it has here, so it serves only a launcher run from DIR/opt/synapse-media-offload
#   --no-archive       do not dump it (default with --root)
#
# Environment: JAVA (default $JAVA_HOME/bin/java, else java on PATH): the JVM the archive is dumped with, as the
# launcher picks it; run-once and audit through the launcher use the archive only with the JVM build that made it.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
root=""
systemctl=yes
user=matrix
user_given=no
group=""
media_store=/matrix/synapse/storage/media-store
jar="$repo/target/synapse-media-offload.jar"
example_config="$repo/config/offload.conf"
archive=""

die() { echo "install.sh: $*" >&2; exit 1; }
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --root) need_value "$@"; root=$2; shift 2 ;;
        --no-systemctl) systemctl=no; shift ;;
        --user) need_value "$@"; user=$2; user_given=yes; shift 2 ;;
        --group) need_value "$@"; group=$2; shift 2 ;;
        --media-store) need_value "$@"; media_store=$2; shift 2 ;;
        --jar) need_value "$@"; jar=$2; shift 2 ;;
        --config) need_value "$@"; example_config=$2; shift 2 ;;
        --archive) archive=yes; shift ;;
        --no-archive) archive=no; shift ;;
        -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done

[ -z "$root" ] || [ "$systemctl" = no ] || die "--root needs --no-systemctl: systemctl would act on this host"
[ -f "$jar" ] || die "jar not found: $jar (build it with ./mvnw -B package, or pass --jar FILE)"
if ! id "$user" >/dev/null 2>&1; then
    if [ "$user_given" = no ]; then
        die "the default service user 'matrix' (the playbook's) does not exist on this host. The service must run as"\
" the media store's owner: pass --user OWNER (find it with: stat -c %U $media_store)"
    fi
    die "user '$user' (--user) does not exist: pass the media store's owner (stat -c %U $media_store)"
fi
[ -n "$group" ] || group=$(id -gn "$user")
case "$media_store" in /*) ;; *) die "--media-store must be an absolute path: $media_store" ;; esac
if [ -n "$root" ]; then
    [ -d "$root" ] || die "--root directory '$root' does not exist: create it first (mkdir -p '$root')"
    root=$(cd "$root" && pwd)
fi

# Ownership needs root; a non-root packaging or CI run installs the files and leaves owners as they are.
owner_opts="-o root -g $group"
state_owner_opts="-o $user -g $group"
if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: not root: files keep the invoking user as owner" >&2
    owner_opts=""
    state_owner_opts=""
fi

opt_dir="$root/opt/synapse-media-offload"
etc_dir="$root/etc/synapse-media-offload"
unit_dir="$root/etc/systemd/system"
state_dir="$root/var/lib/synapse-media-offload"
unit=synapse-media-offload.service

# The jar: copied next to the old one and renamed, so a running daemon never sees a half-written file.
install -d -m 0755 "$opt_dir"
install -m 0644 "$jar" "$opt_dir/.synapse-media-offload.jar.new"
mv -f "$opt_dir/.synapse-media-offload.jar.new" "$opt_dir/synapse-media-offload.jar"
# Its CycloneDX SBOM (built beside it), where a host's vulnerability scanner finds it.
sbom="$(dirname "$jar")/synapse-media-offload.cdx.json"
[ ! -f "$sbom" ] || install -m 0644 "$sbom" "$opt_dir/synapse-media-offload.cdx.json"
[ ! -f "$repo/README.md" ] || install -m 0644 "$repo/README.md" "$opt_dir/README.md"
# The launcher for commands run by hand (run-once and audit with their measured JVM options), next to the jar it runs.
install -m 0755 "$here/synapse-media-offload" "$opt_dir/.synapse-media-offload.new"
mv -f "$opt_dir/.synapse-media-offload.new" "$opt_dir/synapse-media-offload"
# Its compiler directives for run-once and audit (C2 for the JDK's crypto only), which it looks for next to itself.
install -m 0644 "$here/run-once-compiler.json" "$opt_dir/.run-once-compiler.json.new"
mv -f "$opt_dir/.run-once-compiler.json.new" "$opt_dir/run-once-compiler.json"

# The start-up archive of run-once and audit: a class-data sharing archive of the classes run-once.classlist names
# (those a real run-once and audit loaded, bench/classlist.sh), dumped for the jar just installed and the JVM that
# runs it. The launcher passes it to the JVM when it is newer than the jar and the JVM; the JVM maps the classes
# instead of loading and verifying them, which cuts run-once's start (docs/benchmarks.md, "A start-up archive built
# at install time"). The old archive goes first: it was made for the old jar. Dumping takes a few seconds of CPU and
# writes ~60 MB; if it fails, run-once and audit start as they did without it, so the install goes on.
install -m 0644 "$here/run-once.classlist" "$opt_dir/.run-once.classlist.new"
mv -f "$opt_dir/.run-once.classlist.new" "$opt_dir/run-once.classlist"
rm -f "$opt_dir/run-once.jsa" "$opt_dir/.run-once.jsa.new"
[ -n "$archive" ] || { if [ -n "$root" ]; then archive=no; else archive=yes; fi; }
if [ "$archive" = yes ]; then
    java=${JAVA:-}
    if [ -z "$java" ]; then
        if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
    fi
    started=$(date +%s)
    if "$java" -Xshare:dump "-XX:SharedClassListFile=$opt_dir/run-once.classlist" \
            "-XX:SharedArchiveFile=$opt_dir/.run-once.jsa.new" -cp "$opt_dir/synapse-media-offload.jar" \
            >"$opt_dir/.run-once.jsa.log" 2>&1 && [ -s "$opt_dir/.run-once.jsa.new" ]; then
        chmod 0644 "$opt_dir/.run-once.jsa.new"
        mv -f "$opt_dir/.run-once.jsa.new" "$opt_dir/run-once.jsa"
        echo "Dumped the start-up archive $opt_dir/run-once.jsa ($(du -m "$opt_dir/run-once.jsa" | cut -f1) MB," \
            "$(( $(date +%s) - started )) s)"
    else
        echo "install.sh: warning: could not dump the start-up archive (run-once and audit start without it," \
            "as before): $(tail -1 "$opt_dir/.run-once.jsa.log" 2>/dev/null)" >&2
        rm -f "$opt_dir/.run-once.jsa.new"
    fi
    rm -f "$opt_dir/.run-once.jsa.log"
else
    echo "Not dumping the start-up archive (--root or --no-archive): run install.sh on the host that runs the jar," \
        "or pass --archive"
fi

# The unit, with the service user and the media store filled in.
install -d -m 0755 "$unit_dir"
sed -e "s|^User=.*|User=$user|" \
    -e "s|^Group=.*|Group=$group|" \
    -e "s|^ReadWritePaths=.*|ReadWritePaths=$media_store /var/lib/synapse-media-offload|" \
    "$repo/systemd/$unit" > "$unit_dir/.$unit.new"
chmod 0644 "$unit_dir/.$unit.new"
mv -f "$unit_dir/.$unit.new" "$unit_dir/$unit"

# The config holds secrets: root-owned, readable by the service group only. Never overwritten.
# shellcheck disable=SC2086 # the option lists are meant to split
install -d -m 0750 $owner_opts "$etc_dir"
if [ -e "$etc_dir/offload.conf" ]; then
    echo "Keeping the existing $etc_dir/offload.conf"
else
    if [ -f "$example_config" ]; then
        # shellcheck disable=SC2086
        install -m 0640 $owner_opts "$example_config" "$etc_dir/offload.conf"
    else
        cat > "$etc_dir/offload.conf" <<CONF
# synapse-media-offload configuration (HOCON). Every setting and its default: reference.conf in the jar.
offload {
  media-store-path = "$media_store"
  # s3 { bucket = ..., endpoint = ..., ... }
  # database { ... }
}
CONF
        [ -z "$owner_opts" ] || chown "root:$group" "$etc_dir/offload.conf"
        chmod 0640 "$etc_dir/offload.conf"
    fi
    echo "Installed $etc_dir/offload.conf: edit it before starting the service"
fi

# State (journal, ledger): owned by the service user. systemd's StateDirectory= would create it too, but
# creating it here lets an operator run the jar by hand first.
# shellcheck disable=SC2086
install -d -m 0750 $state_owner_opts "$state_dir"
# The README has the operator run check-config (as root, for the playbook's 0640 root files) before installing: that
# run creates the directory and its journal and lock as root, and the service user could not open them. They are
# ours, so hand them over (chown -R follows no symlinks).
[ -z "$state_owner_opts" ] || chown -R "$user:$group" "$state_dir"

if [ "$systemctl" = yes ]; then
    systemctl daemon-reload
    systemctl enable "$unit"
    # An upgrade takes effect at once if the daemon runs; a first install waits for the operator's start.
    systemctl try-restart "$unit"
    echo "Enabled $unit. Start it with: systemctl start $unit"
fi
echo "Installed synapse-media-offload under ${root:-/}"
