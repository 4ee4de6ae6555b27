#!/usr/bin/env bash
# The app toolkit's costs on a release build (not CI): token verifications per second on one core
# (ES256 and RS256) beside the bare swift-crypto signature check, then wrk against a protected
# route (bearer token checked, role required) and an unprotected one in the same app.
#   Benchmarks/toolkit.sh [seconds]      (default 10 for wrk, 3 per verification run)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
scripts/build-release sesame-toolkit-bench >/dev/null
bin=.build/release/sesame-toolkit-bench

echo "== token verification, one core"
"$bin" verify 3

port=18200
out=$(mktemp)
"$bin" serve "$port" > "$out" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$out"' EXIT
until curl -sf "http://127.0.0.1:$port/open" >/dev/null; do sleep 0.05; done
token=$(head -1 "$out")
run() {
    local label=$1; shift
    printf '== %-48s' "$label"
    wrk --latency -t2 -c32 -d"${duration}s" "$@" | awk '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {printf "%10s req/s   p99 %8s%s\n", rps, p99, (bad ? "   non-2xx " bad : "")}'
}
run "GET /open (no check)" "http://127.0.0.1:$port/open"
run "GET /protected (ES256 bearer token, role check)" -H "Authorization: Bearer $token" "http://127.0.0.1:$port/protected"
