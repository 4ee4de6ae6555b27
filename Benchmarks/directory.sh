#!/usr/bin/env bash
# Directory sign-ins against a real slapd beside local sign-ins, on a release build (not part of CI):
# `sesame directory sync` of 1,200 people, then wrk POSTing the sign-in form to `sesame serve`:
# local passwords (scrypt at its default cost), then directory people over LDAPS with a pool of 4
# service-account connections, then a pool of 1.
#   Benchmarks/directory.sh [seconds-per-wrk-run]        (default 10)
#   SESAME_BENCH_BIN=path/to/sesame Benchmarks/directory.sh   runs that binary instead of building one
# It uses the slapd of scripts/ldap-servers: the ones already started when SESAME_TEST_LDAP_URL is
# set, else it starts them (OpenLDAP only) in a temporary directory and stops them on exit.
# wrk, slapd and the server share the machine's cores: compare numbers taken in one run.
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

work=$(mktemp -d)
port=18090
base="http://127.0.0.1:$port"
server=""
own_ldap=0
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    [ "$own_ldap" = 1 ] && scripts/ldap-servers stop "$work/ldap"
    rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${SESAME_TEST_LDAP_URL:-}" ]; then
    own_ldap=1
    eval "$(SESAME_LDAP_SERVERS_AD=0 scripts/ldap-servers start "$work/ldap")"
fi

data="$work/data"
echo 'bench-password' | "$bin" user add bench --password-stdin --data-dir "$data" >/dev/null
printf '%s\n' "$SESAME_TEST_LDAP_BIND_PASSWORD" >"$work/bind-password"
"$bin" directory add corp --profile openldap --url "$SESAME_TEST_LDAPS_URL" --bind-dn "$SESAME_TEST_LDAP_BIND_DN" \
    --bind-password-file "$work/bind-password" --base-dn "$SESAME_TEST_LDAP_BULK_BASE_DN" --ca-file "$SESAME_TEST_LDAP_CA" \
    --pool-size 4 --data-dir "$data" >/dev/null

# Every bulk person becomes a Sesame user first, so the runs below measure sign-ins of known people.
start=$(date +%s%N)
echo "== directory sync of the 1,200 bulk people: $("$bin" directory sync corp --data-dir "$data" | tr '\n' ' ')"
echo "   took $(( ($(date +%s%N) - start) / 1000000 )) ms"

serve() {  # authenticators…
    local args=()
    for a in "$@"; do args+=(--authenticator "$a"); done
    "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" --issuer "$base" --log-level warning \
        --directory-check-interval 0 "${args[@]}" &
    server=$!
    until curl -sf "$base/healthz" >/dev/null; do sleep 0.005; done
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

# The sign-in form's CSRF token and cookie, then a wrk script that POSTs it for `login`: a fixed
# username, or "bulk" for user0001…user1200 in turn (each wrk thread its own turn).
form_script() {
    local login=$1 password=$2 jar="$work/cookies" token csrf_cookie
    rm -f "$jar"
    token=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p')
    csrf_cookie=$(awk '$6 == "sesame_csrf" {print $7}' "$jar")
    cat >"$work/signin.lua" <<LUA
local n = math.random(1200)
request = function()
    local login = "$login"
    if login == "bulk" then
        n = n % 1200 + 1
        login = string.format("user%04d", n)
    end
    return wrk.format("POST", "/login", {["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = "sesame_csrf=$csrf_cookie"}, "csrf_token=$token&username=" .. login .. "&password=$password")
end
LUA
    # One by hand first: it must be a sign-in (303 to the account page), not an error page.
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -b "sesame_csrf=$csrf_cookie" --data-urlencode "csrf_token=$token" \
        --data-urlencode "username=$([ "$login" = bulk ] && echo user0001 || echo "$login")" --data-urlencode "password=$password" "$base/login")
    [ "$code" = 303 ] || { echo "sign-in as $login answered $code, not 303" >&2; exit 1; }
}

run() {
    local label=$1
    echo "== $label"
    wrk --latency -t2 -c16 -d"${duration}s" -s "$work/signin.lua" "$base/login" \
        | grep -E "Requests/sec|Non-2xx|99%|Socket errors" | sed 's/^/   /'
}

serve local
form_script bench bench-password
run "POST /login, local password (scrypt, default cost, + session write)"
stop

serve directories
form_script bulk bulk-password
run "POST /login, directory person over LDAPS, pool 4 (search + user bind + user update + session write)"
stop

"$bin" directory update corp --pool-size 1 --data-dir "$data" >/dev/null
serve directories
form_script bulk bulk-password
run "POST /login, directory person over LDAPS, pool 1"
stop
