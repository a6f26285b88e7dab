#!/usr/bin/env bash
# Starts phoihop's PostgreSQL high-availability cluster on loopback ports of this machine: one
# etcd, two PostgreSQL 15 nodes under Patroni with synchronous replication (an acknowledged commit
# is on both nodes) and HAProxy sending connections to the primary, which it finds through
# Patroni's REST API. Waits until the cluster is healthy and prints the URL of the database
# phoihop on its last line. Run again, it starts only what is not running and checks the rest;
# deploy/ha/down.sh removes it all. Installs the Debian packages it needs when they are missing.
set -euo pipefail
. "$(dirname "$0")/common.sh"

# wait_for runs a check every half second until it succeeds or the seconds run out.
wait_for() { # seconds what command...
  local deadline=$(( $(date +%s) + $1 )) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || ha_fail "timed out waiting for $what; logs in $HA_DIR/*.log"
    sleep 0.5
  done
}

missing=()
for pkg in "${HA_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || ha_fail "missing Debian packages ${missing[*]}; install them as root"
  echo "installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -x "$HA_PG_BIN/postgres" ] || ha_fail "no PostgreSQL at $HA_PG_BIN (set PHOIHOP_HA_PG_BIN)"

mkdir -p "$HA_DIR"
touch "$HA_DIR/.phoihop-ha"
[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$HA_DIR"
chmod 0755 "$HA_DIR"

# etcd: one member, the store Patroni elects its leader in.
if ! ha_alive "$HA_DIR/etcd.pid"; then
  start-stop-daemon --start --background --make-pidfile --pidfile "$HA_DIR/etcd.pid" \
    --output "$HA_DIR/etcd.log" --exec /usr/bin/etcd -- \
    --name etcd1 --data-dir "$HA_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$HA_ETCD_CLIENT" --advertise-client-urls "http://127.0.0.1:$HA_ETCD_CLIENT" \
    --listen-peer-urls "http://127.0.0.1:$HA_ETCD_PEER" --initial-advertise-peer-urls "http://127.0.0.1:$HA_ETCD_PEER" \
    --initial-cluster "etcd1=http://127.0.0.1:$HA_ETCD_PEER" --initial-cluster-state new
fi
etcd_healthy() { ha_http "http://127.0.0.1:$HA_ETCD_CLIENT/health" | grep -q '"health":"true"'; }
wait_for 30 "etcd to be healthy" etcd_healthy

# Patroni, one per node. Failover instead of a restart when the primary's PostgreSQL crashes
# (primary_start_timeout 0), short timings so a failover takes seconds, trust on loopback only.
for node in "${HA_NODES[@]}"; do
  conf="$HA_DIR/$node.yml"
  cat >"$conf" <<YAML
scope: $HA_SCOPE
name: $node
log:
  level: INFO
restapi:
  listen: 127.0.0.1:${HA_API_PORT[$node]}
  connect_address: 127.0.0.1:${HA_API_PORT[$node]}
etcd3:
  hosts: 127.0.0.1:$HA_ETCD_CLIENT
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    primary_start_timeout: 0
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        max_connections: 200
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
postgresql:
  listen: 127.0.0.1:${HA_PG_PORT[$node]}
  connect_address: 127.0.0.1:${HA_PG_PORT[$node]}
  data_dir: $HA_DIR/$node/data
  bin_dir: $HA_PG_BIN
  pgpass: $HA_DIR/$node/pgpass
  authentication:
    superuser:
      username: postgres
    replication:
      username: postgres
    rewind:
      username: postgres
  parameters:
    unix_socket_directories: $HA_DIR/$node
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication all 127.0.0.1/32 trust
YAML
  mkdir -p "$HA_DIR/$node"
  chmod 0700 "$HA_DIR/$node"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$HA_DIR/$node" "$conf"
  if ! ha_alive "$HA_DIR/$node.pid"; then
    chuid=()
    [ "$(id -u)" -ne 0 ] || chuid=(--chuid postgres:postgres)
    start-stop-daemon --start --background --make-pidfile --pidfile "$HA_DIR/$node.pid" "${chuid[@]}" \
      --output "$HA_DIR/$node.log" --exec /usr/bin/patroni -- "$conf"
  fi
done

leader() { # prints the node whose Patroni answers /primary
  local node
  for node in "${HA_NODES[@]}"; do
    if ha_http "http://127.0.0.1:${HA_API_PORT[$node]}/primary" >/dev/null; then echo "$node"; return 0; fi
  done
  return 1
}
wait_for 90 "Patroni to elect a leader" leader
# Every other node streams from the leader as its synchronous standby.
in_sync() {
  local status
  status=$(ha_http "http://127.0.0.1:${HA_API_PORT[$(leader)]}/patroni") || return 1
  /usr/bin/python3 -c '
import json, sys
rep = json.loads(sys.argv[1]).get("replication", [])
want = int(sys.argv[2])
ok = [r for r in rep if r.get("state") == "streaming" and r.get("sync_state") in ("sync", "quorum")]
sys.exit(0 if len(ok) >= want else 1)' "$status" "$(( ${#HA_NODES[@]} - 1 ))"
}
wait_for 90 "the replica to stream from the leader as its synchronous standby" in_sync

# HAProxy: the primary, as Patroni's REST API tells it; sessions to a node marked down are cut
# so clients reconnect to the new primary at once.
cat >"$HA_DIR/haproxy.cfg" <<CFG
global
  maxconn 1000
defaults
  mode tcp
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 2s
listen primary
  bind 127.0.0.1:$HA_PROXY_PORT
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
CFG
for node in "${HA_NODES[@]}"; do
  echo "  server $node 127.0.0.1:${HA_PG_PORT[$node]} maxconn 400 check port ${HA_API_PORT[$node]}" >>"$HA_DIR/haproxy.cfg"
done
/usr/sbin/haproxy -c -q -f "$HA_DIR/haproxy.cfg" || ha_fail "bad HAProxy configuration $HA_DIR/haproxy.cfg"
if ! ha_alive "$HA_DIR/haproxy.pid"; then
  start-stop-daemon --start --background --make-pidfile --pidfile "$HA_DIR/haproxy.pid" \
    --output "$HA_DIR/haproxy.log" --exec /usr/sbin/haproxy -- -db -f "$HA_DIR/haproxy.cfg"
fi

psql_proxy() { "$HA_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$HA_PROXY_PORT" -U postgres -d postgres "$@"; }
proxy_to_primary() { [ "$(psql_proxy -tAc 'SELECT pg_is_in_recovery()')" = f ]; }
wait_for 30 "HAProxy to reach the primary on 127.0.0.1:$HA_PROXY_PORT" proxy_to_primary
if [ "$(psql_proxy -tAc "SELECT 1 FROM pg_database WHERE datname = 'phoihop'")" != 1 ]; then
  psql_proxy -c "CREATE DATABASE phoihop"
fi
echo "postgres://postgres@127.0.0.1:$HA_PROXY_PORT/phoihop?sslmode=disable"
