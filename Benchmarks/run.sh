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
    swift build -c release --product sesame >/dev/null
    bin=.build/release/sesame
fi
swift build -c release --product sesame-hash-bench >/dev/null

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
json_field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p"; }
"$bin" client add web --first-party --redirect-uri https://app.example/cb --json --data-dir "$work/data" > "$work/web.json"
"$bin" client add bot --grant client_credentials --scope sesame:admin --json --data-dir "$work/data" > "$work/bot.json"
web_id=$(json_field client_id < "$work/web.json"); web_secret=$(json_field client_secret < "$work/web.json")
bot_id=$(json_field client_id < "$work/bot.json"); bot_secret=$(json_field client_secret < "$work/bot.json")
bot_basic=$(printf '%s:%s' "$bot_id" "$bot_secret" | base64 -w0)
web_basic=$(printf '%s:%s' "$web_id" "$web_secret" | base64 -w0)

# One code flow per wrk thread, each yielding a refresh token that the thread then rotates.
threads=8
refresh_tokens=()
for _ in $(seq "$threads"); do
    location=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" \
        "$base/authorize?client_id=$web_id&response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid%20offline_access")
    code=$(printf '%s' "$location" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
    refresh_tokens+=("$(curl -s -H "Authorization: Basic $web_basic" -d grant_type=authorization_code -d "code=$code" \
        --data-urlencode redirect_uri=https://app.example/cb "$base/token" | json_field refresh_token)")
done
access_token=$(curl -s -H "Authorization: Basic $bot_basic" -d grant_type=client_credentials "$base/token" | json_field access_token)

cat > "$work/client_credentials.lua" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $bot_basic"
LUA
cat > "$work/introspect.lua" <<LUA
wrk.method = "POST"
wrk.body = "token=$access_token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $bot_basic"
LUA
{
    printf 'local tokens = {'
    printf '"%s",' "${refresh_tokens[@]}"
    printf '}\nlocal next_thread = 0\n'
    cat <<LUA
function setup(thread)
    next_thread = next_thread + 1
    thread:set("token", tokens[next_thread])
end
function request()
    return wrk.format("POST", "/token", {["Content-Type"] = "application/x-www-form-urlencoded",
        ["Authorization"] = "Basic $web_basic"}, "grant_type=refresh_token&refresh_token=" .. token)
end
function response(status, headers, body)
    local fresh = body:match('"refresh_token":"([^"]+)"')
    if fresh then token = fresh end
end
LUA
} > "$work/refresh.lua"

run "POST /token client_credentials (ES256 access token + jti row + audit)" -s "$work/client_credentials.lua" "$base/token"
run "POST /introspect (signature check + revocation lookup)" -s "$work/introspect.lua" "$base/introspect"
run "GET /jwks" "$base/jwks"
echo "== POST /token refresh_token, rotating ($threads chains, one connection each)"
wrk --latency -t"$threads" -c"$threads" -d"${duration}s" -s "$work/refresh.lua" "$base/token" \
    | grep -E "Requests/sec|Non-2xx|99%|Socket errors" | sed 's/^/   /'
echo "== resident memory after load: $(rss)"
