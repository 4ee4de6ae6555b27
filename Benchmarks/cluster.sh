#!/usr/bin/env bash
# Token, refresh and introspection throughput on each store layout, on a release build (not CI):
#   1. SQLite, one instance
#   2. PostgreSQL, one instance
#   3. PostgreSQL, two instances behind nginx (round-robin)
# PostgreSQL runs durably (fsync on) on loopback; wrk, nginx, PostgreSQL and Sesame share the
# machine's cores, so compare the layouts within one run.
#   Benchmarks/cluster.sh [seconds-per-wrk-run]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"

missing=()
for package in wrk nginx postgresql; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
if ((${#missing[@]})); then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; fi
scripts/build-release sesame >/dev/null
bin="$PWD/.build/release/sesame"

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.conf" ] && nginx -c "$work/nginx.conf" -p "$work" -s stop 2>/dev/null || true
    scripts/postgres stop "$work/pg"
    rm -rf "$work"
}
trap cleanup EXIT
PG_DURABLE=1 scripts/postgres start "$work/pg" 15432 >/dev/null
head -c 32 /dev/urandom > "$work/data.key"
chmod 600 "$work/data.key"

source Benchmarks/token-load.sh

# start_instances COUNT STORE-ARGS...: starts COUNT instances (behind nginx when more than one);
# sets base and store_args.
start_instances() {
    local count=$1; shift
    store_args=("$@")
    ports=()
    for i in $(seq "$count"); do
        local port=$((18100 + i))
        ports+=("$port")
    done
    if [ "$count" -gt 1 ]; then
        base="http://127.0.0.1:18100"
        local servers=""
        for port in "${ports[@]}"; do servers+="server 127.0.0.1:$port; "; done
        cat > "$work/nginx.conf" <<NGINX
daemon on; pid $work/nginx.pid; error_log $work/nginx-error.log; worker_processes 1;
events { worker_connections 1024; }
http { access_log off;
  upstream sesame { $servers keepalive 64; keepalive_requests 1000000; }
  server { listen 127.0.0.1:18100; keepalive_requests 1000000;
    location / { proxy_pass http://sesame; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host \$http_host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; } } }
NGINX
        nginx -c "$work/nginx.conf" -p "$work"
    else
        base="http://127.0.0.1:${ports[0]}"
    fi
    for port in "${ports[@]}"; do
        "$bin" serve "${store_args[@]}" --data-dir "$work/node-$port" --listen "127.0.0.1:$port" --issuer "$base" \
            --trusted-proxy 127.0.0.1 --log-level warning &
        pids+=($!)
        until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
    done
}

stop_instances() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    pids=()
    if [ -f "$work/nginx.conf" ]; then nginx -c "$work/nginx.conf" -p "$work" -s stop; rm -f "$work/nginx.conf"; sleep 0.3; fi
}

run() {
    local label=$1; shift
    printf '   %-44s' "$label"
    wrk --latency "$@" | awk '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {printf "%10s req/s   p99 %8s%s\n", rps, p99, (bad ? "   non-2xx " bad : "")}'
}

bench_layout() {
    local title=$1
    echo "== $title"
    cli() { "$bin" "$@" "${store_args[@]}" --data-dir "$cli_dir"; }
    local user="bench$RANDOM"
    echo 'bench-password' | cli user add "$user" --password-stdin >/dev/null
    cli client add "web$RANDOM" --first-party --redirect-uri https://app.example/cb --json > "$work/web.json"
    cli client add "bot$RANDOM" --grant client_credentials --json > "$work/bot.json"
    local jar="$work/cookies-$RANDOM"
    local token
    token=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p')
    curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$token" \
        --data-urlencode "username=$user" --data-urlencode password=bench-password "$base/login"
    prepare_token_load "$base" "$jar" "$work" "$work/web.json" "$work/bot.json"
    run "POST /token client_credentials" -t2 -c32 -d"${duration}s" -s "$work/client_credentials.lua" "$base/token"
    run "POST /introspect" -t2 -c32 -d"${duration}s" -s "$work/introspect.lua" "$base/introspect"
    run "POST /token refresh_token (8 rotating chains)" -t"$refresh_chains" -c"$refresh_chains" -d"${duration}s" -s "$work/refresh.lua" "$base/token"
}

database="postgres://postgres@127.0.0.1:15432/postgres?sslmode=disable&pool=20"
pg_args=(--database "$database" --data-key-file "$work/data.key")

# The SQLite layout's CLI works on the instance's own data directory.
cli_dir="$work/node-18101"
start_instances 1 --data-key-file "$work/data.key"
bench_layout "SQLite, one instance"
stop_instances

cli_dir="$work/cli"
start_instances 1 "${pg_args[@]}"
bench_layout "PostgreSQL, one instance"
stop_instances

start_instances 2 "${pg_args[@]}"
bench_layout "PostgreSQL, two instances behind nginx"
stop_instances
