#!/usr/bin/env bash
# Prints one line per PostgreSQL node of the cluster deploy/ha/up.sh started: NAME ROLE PID, the
# role being leader or replica as the node's Patroni REST API says (or the node's state, such as
# stopped or starting, while it is neither), the pid that of the node's postmaster ("-" when
# none runs). Exits 0 even when nothing runs.
set -euo pipefail
. "$(dirname "$0")/common.sh"

for node in "${HA_NODES[@]}"; do
  pid=$(ha_postmaster_pid "$node")
  role=stopped
  if status=$(ha_http "http://127.0.0.1:${HA_API_PORT[$node]}/patroni"); then
    role=$(/usr/bin/python3 -c '
import json, sys
s = json.loads(sys.argv[1])
if s.get("state") != "running":
    print(s.get("state") or "unknown")
elif s.get("role") in ("master", "primary"):
    print("leader")
else:
    print(s.get("role") or "unknown")' "$status")
  fi
  # A postmaster killed a moment ago is not running, whatever Patroni has yet to notice.
  [ "$pid" != "-" ] || [ "$role" = stopped ] || role=stopped
  echo "$node $role $pid"
done
