#!/usr/bin/env bash
# Sesame's benchmarks, on a release build (not part of CI): password hashing cost, then wrk
# against a release `sesame serve` on loopback: health check, sign-in page, account page of a
# signed-in person, sign-ins, plus resident memory and time to first answer.
#   Benchmarks/run.sh [seconds-per-wrk-run]      (default 10)
#   SESAME_BENCH_BIN=path/to/sesame Benchmarks/run.sh   runs that binary instead of building one
#                                                       (to compare two versions in one sitting)
# wrk shares the machine's cores with the server: compare numbers taken in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"

command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
if [[ -n "${SESAME_BENCH_BIN:-}" ]]; then
    bin=$SESAME_BENCH_BIN
else
    scripts/build-release sesame >/dev/null
    bin=.build/release/sesame
fi
scripts/build-release sesame-hash-bench >/dev/null

echo "== password hashing (one core)"
.build/release/sesame-hash-bench 40

work=$(mktemp -d)
port=18080
base="http://127.0.0.1:$port"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
echo 'bench-password' | "$bin" user add bench --password-stdin --data-dir "$work/data" >/dev/null

start=$(date +%s%N)
"$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" --issuer "$base" --log-level warning &
server=$!
until curl -sf "$base/healthz" >/dev/null; do sleep 0.005; done
echo "== first answer $(( ($(date +%s%N) - start) / 1000000 )) ms after start (includes opening the store)"
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$server/status"; }
sleep 1
echo "== resident memory idle: $(rss)"

# A signed-in browser: CSRF cookie and token from the form, then a session cookie.
jar="$work/cookies"
token=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p')
csrf_cookie=$(awk '$6 == "sesame_csrf" {print $7}' "$jar")
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$token" \
    --data-urlencode username=bench --data-urlencode password=bench-password "$base/login"
session_cookie=$(awk '$6 == "sesame_session" {print $7}' "$jar")

cat > "$work/signin.lua" <<LUA
wrk.method = "POST"
wrk.body = "csrf_token=$token&username=bench&password=bench-password"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "sesame_csrf=$csrf_cookie"
LUA

run() {
    local label=$1; shift
    echo "== $label"
    wrk --latency -t2 -c32 -d"${duration}s" "$@" | grep -E "Requests/sec|Non-2xx|99%|Socket errors" | sed 's/^/   /'
}
run "GET /healthz (store ping)" "$base/healthz"
run "GET /login (page + CSRF cookie)" "$base/login"
run "GET /account, signed in (session + user lookup)" -H "Cookie: sesame_session=$session_cookie" "$base/account"
run "POST /login, right password (one scrypt hash + session write)" -s "$work/signin.lua" "$base/login"

# OAuth: a confidential first-party web client (code flow) and a client_credentials client.
"$bin" client add web --first-party --redirect-uri https://app.example/cb --json --data-dir "$work/data" > "$work/web.json"
"$bin" client add bot --grant client_credentials --scope sesame:admin --json --data-dir "$work/data" > "$work/bot.json"
source Benchmarks/token-load.sh
prepare_token_load "$base" "$jar" "$work" "$work/web.json" "$work/bot.json"

run "POST /token client_credentials (ES256 access token + jti row + audit)" -s "$work/client_credentials.lua" "$base/token"
run "POST /introspect (signature check + revocation lookup)" -s "$work/introspect.lua" "$base/introspect"
run "GET /jwks" "$base/jwks"
echo "== POST /token refresh_token, rotating ($refresh_chains chains, one connection each)"
wrk --latency -t"$refresh_chains" -c"$refresh_chains" -d"${duration}s" -s "$work/refresh.lua" "$base/token" \
    | grep -E "Requests/sec|Non-2xx|99%|Socket errors" | sed 's/^/   /'
echo "== resident memory after load: $(rss)"
