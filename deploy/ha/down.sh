#!/usr/bin/env bash
# Stops the cluster deploy/ha/up.sh started and removes its files: HAProxy, then each Patroni
# (which stops its PostgreSQL), then etcd. Stopping what is already stopped is fine.
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ -d "$HA_DIR" ] || exit 0
[ -e "$HA_DIR/.phoihop-ha" ] || ha_fail "$HA_DIR was not made by deploy/ha/up.sh; not removing it"

ha_stop "$HA_DIR/haproxy.pid" 10
# Each Patroni stops its PostgreSQL; the replicas first, so none takes over from the leader.
order=()
for node in "${HA_NODES[@]}"; do
  if ha_http "http://127.0.0.1:${HA_API_PORT[$node]}/primary" >/dev/null; then order+=("$node"); else order=("$node" "${order[@]}"); fi
done
for node in "${order[@]}"; do
  ha_stop "$HA_DIR/$node.pid" 60
done
# A PostgreSQL that outlived its Patroni (killed with SIGKILL) is stopped at once.
for node in "${HA_NODES[@]}"; do
  if [ "$(ha_postmaster_pid "$node")" != "-" ]; then
    ha_as_postgres "$HA_PG_BIN/pg_ctl" stop -D "$HA_DIR/$node/data" -m immediate -w -t 30 >/dev/null || true
  fi
done
ha_stop "$HA_DIR/etcd.pid" 10
# Anything of the cluster still running (a PostgreSQL child finishing its exit, a
# pg_rewind) would write into the folder while it is removed: stop it, then remove the
# folder, trying again while something still writes into it.
pkill -KILL -f -- "$HA_DIR/" 2>/dev/null || true
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  rm -rf "$HA_DIR" 2>/dev/null && break
  [ "$attempt" -lt 10 ] || rm -rf "$HA_DIR"
  sleep 1
done
echo "deploy/ha: the cluster is down and $HA_DIR removed"
