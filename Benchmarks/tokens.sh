#!/usr/bin/env bash
# The token paths as ratios of Sesame's own GET /jwks in the same run, on a release build (not CI):
# GET /jwks, client_credentials, introspection of an access token, refresh rotation.
#   Benchmarks/tokens.sh [seconds-per-wrk-run]                  (default 10)
#   SESAME_BENCH_BIN="old/sesame new/sesame" Benchmarks/tokens.sh   each binary in turn, then again
#                                                    in reverse order (A B B A), for an A/B in one sitting
#   SESAME_BENCH_STORE=postgres Benchmarks/tokens.sh   on a durable PostgreSQL on loopback
#   SESAME_BENCH_PERF="cc refresh" Benchmarks/tokens.sh   also records `perf record -g` of the server during
#                          those runs (jwks, cc, introspect, refresh) into Benchmarks/perf-NAME-ROUND.data
# wrk -t2 -c32 shares the two cores with the server (the refresh run: 8 chains, one connection each).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
store="${SESAME_BENCH_STORE:-sqlite}"

command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
if [[ -n "${SESAME_BENCH_BIN:-}" ]]; then
    read -r -a bins <<< "$SESAME_BENCH_BIN"
else
    scripts/build-release sesame >/dev/null
    bins=("$PWD/.build/release/sesame")
fi
order=("${bins[@]}")
if ((${#bins[@]} > 1)); then
    for ((i = ${#bins[@]} - 1; i >= 0; i--)); do order+=("${bins[$i]}"); done
fi

work=$(mktemp -d)
chmod 755 "$work"
server=""
cleanup() {
    [[ -n "$server" ]] && kill "$server" 2>/dev/null || true
    [[ "$store" == postgres ]] && scripts/postgres stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
store_args=()
if [[ "$store" == postgres ]]; then
    PG_DURABLE=1 scripts/postgres start "$work/pg" 15433 >/dev/null
    head -c 32 /dev/urandom > "$work/data.key"
    chmod 600 "$work/data.key"
fi

port=18090
base="http://127.0.0.1:$port"
source Benchmarks/token-load.sh
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$server/status"; }
# Prints "rate p99" for one wrk run: measure NAME WRK-ARGS...
measure() {
    local name=$1; shift
    local profiler=""
    if [[ " ${SESAME_BENCH_PERF:-} " == *" $name "* ]]; then
        perf record -q -g -p "$server" -o "Benchmarks/perf-$name-$round.data" >/dev/null 2>&1 &
        profiler=$!
    fi
    wrk --latency "$@" | awk '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {printf "%s %s%s", rps, p99, (bad ? " non-2xx=" bad : "")}'
    if [[ -n "$profiler" ]]; then kill -INT "$profiler"; wait "$profiler" 2>/dev/null || true; fi
}

round=0
for bin in "${order[@]}"; do
    round=$((round + 1))
    data="$work/data-$round"
    if [[ "$store" == postgres ]]; then
        db="bench$round"
        psql -q -h 127.0.0.1 -p 15433 -U postgres -c "create database $db" >/dev/null
        store_args=(--database "postgres://postgres@127.0.0.1:15433/$db?sslmode=disable&pool=20" --data-key-file "$work/data.key")
    fi
    echo 'bench-password' | "$bin" user add bench --password-stdin --data-dir "$data" "${store_args[@]}" >/dev/null
    "$bin" client add web --first-party --redirect-uri https://app.example/cb --json --data-dir "$data" "${store_args[@]}" > "$work/web.json"
    "$bin" client add bot --grant client_credentials --scope sesame:admin --json --data-dir "$data" "${store_args[@]}" > "$work/bot.json"
    "$bin" serve --data-dir "$data" "${store_args[@]}" --listen "127.0.0.1:$port" --issuer "$base" --log-level warning &
    server=$!
    until curl -sf "$base/healthz" >/dev/null; do sleep 0.01; done
    sleep 1
    idle=$(rss)

    jar="$work/cookies"
    rm -f "$jar"
    token=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p')
    curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$token" \
        --data-urlencode username=bench --data-urlencode password=bench-password "$base/login"
    prepare_token_load "$base" "$jar" "$work" "$work/web.json" "$work/bot.json"

    read -r jwks jwks_p99 _ <<< "$(measure jwks -t2 -c32 -d"${duration}s" "$base/jwks")"
    # Refresh before the others: each grant queues an audit event, and a store still writing the
    # previous run's events would slow this one down more for a faster binary.
    read -r refresh refresh_p99 refresh_bad <<< "$(measure refresh -t"$refresh_chains" -c"$refresh_chains" -d"${duration}s" -s "$work/refresh.lua" "$base/token")"
    read -r cc cc_p99 cc_bad <<< "$(measure cc -t2 -c32 -d"${duration}s" -s "$work/client_credentials.lua" "$base/token")"
    read -r intro intro_p99 intro_bad <<< "$(measure introspect -t2 -c32 -d"${duration}s" -s "$work/introspect.lua" "$base/introspect")"
    loaded=$(rss)
    echo "== $bin ($store)"
    printf '   %-28s %10s req/s  p99 %8s\n' "GET /jwks" "$jwks" "$jwks_p99"
    printf '   %-28s %10s req/s  p99 %8s  %3.0f %% of /jwks %s\n' "client_credentials" "$cc" "$cc_p99" "$(echo "100 * $cc / $jwks" | bc -l)" "${cc_bad:-}"
    printf '   %-28s %10s req/s  p99 %8s  %3.0f %% of /jwks %s\n' "introspection" "$intro" "$intro_p99" "$(echo "100 * $intro / $jwks" | bc -l)" "${intro_bad:-}"
    printf '   %-28s %10s req/s  p99 %8s  (8 chains) %s\n' "refresh rotation" "$refresh" "$refresh_p99" "${refresh_bad:-}"
    printf '   %-28s idle %s MiB, after these runs %s MiB\n' "resident memory" "$idle" "$loaded"
    kill "$server"; wait "$server" 2>/dev/null || true
    server=""
done
