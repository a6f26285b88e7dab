# Shared settings of deploy/ha/up.sh, status.sh and down.sh: one etcd, two PostgreSQL 15 nodes

# under Patroni and one HAProxy, all on loopback ports of this machine, their files under
# PHOIHOP_HA_DIR. Sourced, not run.

export PATH="/usr/sbin:/sbin:/usr/bin:/bin:$PATH"
HA_DIR=${PHOIHOP_HA_DIR:-/tmp/phoihop-ha}
HA_PG_BIN=${PHOIHOP_HA_PG_BIN:-/usr/lib/postgresql/15/bin}
HA_SCOPE=phoihop
# Uncommon ports, so the cluster starts beside a PostgreSQL on 5432 and a development etcd.
HA_ETCD_CLIENT=23790
HA_ETCD_PEER=23800
HA_PROXY_PORT=${PHOIHOP_HA_PORT:-54320}
HA_NODES=(pg1 pg2)
declare -A HA_PG_PORT=([pg1]=54321 [pg2]=54322)
declare -A HA_API_PORT=([pg1]=28008 [pg2]=28009)
# The Debian packages the cluster needs; python3-etcd is Patroni's etcd client (one of its
# alternative dependencies, so apt may have chosen another).
HA_PACKAGES=(patroni etcd-server haproxy python3-etcd postgresql-15 postgresql-client-15)

ha_fail() { echo "deploy/ha: $*" >&2; exit 1; }

# ha_as_postgres runs a command as the postgres user when run as root (PostgreSQL refuses to run
# as root), else as the caller.
ha_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi
}

# ha_alive tells whether the process of a pid file runs.
ha_alive() { [ -s "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }

# ha_http prints the body of a GET on a loopback URL and fails unless the status is 200; Patroni's
# own Python does it, so the scripts need no curl.
ha_http() {
  /usr/bin/python3 - "$1" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
        sys.stdout.write(r.read().decode())
except Exception:
    sys.exit(1)
PY
}

# ha_postmaster_pid prints the pid of a node's postmaster when it runs, else "-".
ha_postmaster_pid() {
  local f="$HA_DIR/$1/data/postmaster.pid" pid
  pid=$(head -n1 "$f" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; else echo "-"; fi
}

# ha_stop stops the daemon of a pid file: SIGTERM, then SIGKILL after the seconds given.
ha_stop() { # pidfile seconds
  [ -e "$1" ] || return 0
  start-stop-daemon --stop --quiet --oknodo --pidfile "$1" --remove-pidfile --retry "TERM/$2/KILL/5" || true
  rm -f "$1"
}
