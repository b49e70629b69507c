#!/usr/bin/env bash
# A real single-node Ray cluster on loopback for the scale-out tests, around a command:
#   Tests/Ray/cluster.sh swift test ...
# starts `ray start --head` bound to 127.0.0.1 (2 CPUs; dashboard on a free port), exports
# ISOPLAN_TEST_RAY_ADDRESS=http://127.0.0.1:<port> to the command, and stops the cluster after it,
# whatever its status. The venv's bin comes first on PATH so the jobs' `python` has ray.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RAY="$(bash "$HERE/setup.sh" | sed -n 's/^RAY //p')"
export PATH="$(dirname "$RAY"):$PATH"
export RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
DASHBOARD_PORT="$(free_port)"
GCS_PORT="$(free_port)"
# A fresh temp dir per cluster (short: Ray's socket paths must stay under 107 bytes).
TEMP_DIR="$(mktemp -d /tmp/rayXXXX)"
stop() { "$RAY" stop --force >/dev/null 2>&1 || true; rm -rf "$TEMP_DIR"; }
trap stop EXIT
"$RAY" start --head --node-ip-address 127.0.0.1 --dashboard-host 127.0.0.1 --num-cpus 2 \
  --port "$GCS_PORT" --dashboard-port "$DASHBOARD_PORT" --temp-dir "$TEMP_DIR" \
  --disable-usage-stats >"$HERE/cluster.log" 2>&1 || { tail -n 30 "$HERE/cluster.log" >&2; exit 1; }
export ISOPLAN_TEST_RAY_ADDRESS="http://127.0.0.1:$DASHBOARD_PORT"
up=0
for _ in $(seq 1 60); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$ISOPLAN_TEST_RAY_ADDRESS/api/version" 2>/dev/null; then
    up=1
    break
  fi
  sleep 1
done
[ "$up" = 1 ] || { echo "Ray/cluster.sh: the dashboard never answered at $ISOPLAN_TEST_RAY_ADDRESS" >&2; tail -n 30 "$HERE/cluster.log" >&2; exit 1; }
echo "Ray/cluster.sh: cluster up at $ISOPLAN_TEST_RAY_ADDRESS" >&2
"$@"
