#!/usr/bin/env bash
# Sesame's client_credentials token endpoint beside three other servers on this machine, in one run
# (not CI): Authlib's authorization server (Flask, under gunicorn; PyPI), glewlwyd (C) and
# LemonLDAP::NG (Perl, its portal under starman) from Debian. Each gets one confidential client
# allowed client_credentials, then the same wrk runs against each in turn, alone on the machine:
#   wrk --latency -t2 -c32 -d<seconds>s   POST grant_type=client_credentials&scope=<the client's scope>
#   with HTTP Basic client authentication (client_secret_basic) everywhere.
# glewlwyd refuses client_credentials without a scope parameter, so every server is sent one.
#   Benchmarks/peers.sh [seconds-per-wrk-run]                      (default 10)
#   SESAME_BENCH_BIN=path/to/sesame Benchmarks/peers.sh   that binary instead of a release build
# Installs what is missing: wrk, glewlwyd, lemonldap-ng, starman (+ the Perl modules the portal's OIDC
# issuer loads) with apt-get; authlib, flask, gunicorn with pip into Benchmarks/.peers-venv.
# Prints one markdown table: req/s, p99, resident memory (VmRSS summed over the server's processes)
# idle and right after its wrk run, and Sesame's ratio to each. wrk and the server share the cores:
# compare within one run. Loopback ports 18301-18304.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
peers="$PWD/Benchmarks/peers"

# --- install -------------------------------------------------------------------------------------
packages=(wrk glewlwyd lemonldap-ng starman sqlite3 jq openssl curl
    libstring-random-perl libio-string-perl libgd-securityimage-perl libconvert-base32-perl
    libmime-tools-perl libdigest-hmac-perl libcrypt-openssl-bignum-perl)
missing=()
for package in "${packages[@]}"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
if ((${#missing[@]})); then
    printf '%s\n' 'glewlwyd glewlwyd/config_type select No configuration' \
        'glewlwyd glewlwyd/dbconfig-install boolean false' | debconf-set-selections
    # No service may start during the install (glewlwyd's would take port 4593 with /etc's config).
    policy=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        policy=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"
    fi
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null || { [[ -n "$policy" ]] && rm -f "$policy"; exit 1; }
    [[ -n "$policy" ]] && rm -f "$policy"
fi
venv="$PWD/Benchmarks/.peers-venv"
if [[ ! -x "$venv/bin/gunicorn" ]] || ! "$venv/bin/python" -c 'import authlib, flask' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q authlib flask gunicorn
fi
if [[ -n "${SESAME_BENCH_BIN:-}" ]]; then
    bin="$SESAME_BENCH_BIN"
    sesame_version="$(basename "$bin")"
else
    scripts/build-release sesame >/dev/null
    bin="$PWD/.build/release/sesame"
    sesame_version="$(git rev-parse --short HEAD)"
fi

work=$(mktemp -d)
chmod 755 "$work"
server=""
cleanup() {
    if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

dpkg_version() { dpkg-query -W -f='${Version}' "$1"; }
pip_version() { "$venv/bin/python" -c "import importlib.metadata as m; print(m.version('$1'))"; }
secret() { openssl rand -hex 24; }
# The server's process and all its descendants (gunicorn and starman: the master and its workers).
tree() { local p; for p in "$@"; do echo "$p"; tree $(pgrep -P "$p" || true); done; }
rss() { local total=0 p kb; for p in $(tree "$server"); do
        kb=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || true); total=$((total + ${kb:-0})); done
    awk -v kb="$total" 'BEGIN {printf "%.1f", kb / 1024}'; }
# wait_up URL: until anything answers on URL, for at most 60 s.
wait_up() {
    local i
    for i in $(seq 600); do
        curl -s -o /dev/null "$1" && return 0
        kill -0 "$server" 2>/dev/null || break
        sleep 0.1
    done
    echo "peers.sh: $name did not come up at $1; its log:" >&2; tail -30 "$work/$name.log" >&2; exit 1
}
# stop: ends the current server (the master ends its workers) and waits for it.
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

rows=()
# bench NAME LABEL TOKEN-URL CLIENT-ID CLIENT-SECRET SCOPE: checks one token, then runs wrk against
# the running server ($server); appends "label|rate|p99|idle|after|errors" to rows.
bench() {
    local name=$1 label=$2 url=$3 basic scope=$6 body response code
    basic=$(printf '%s:%s' "$4" "$5" | base64 -w0)
    body="grant_type=client_credentials&scope=$scope"
    response=$(curl -s -w '\n%{http_code}' -H "Authorization: Basic $basic" --data "$body" "$url")
    code=${response##*$'\n'}
    if [[ "$code" != 200 || "$response" != *'"access_token"'* ]]; then
        echo "peers.sh: $name answered $code without an access_token at $url:" >&2
        printf '%s\n' "${response%$'\n'*}" >&2; tail -30 "$work/$name.log" >&2; exit 1
    fi
    sleep 1
    local idle after
    idle=$(rss)
    cat > "$work/$name.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $basic"
LUA
    wrk --latency -t2 -c32 -d"${duration}s" -s "$work/$name.lua" "$url" > "$work/$name.wrk"
    after=$(rss)
    local rate p99 errors
    read -r rate p99 errors <<< "$(awk '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2}
        /Non-2xx/ {bad=$NF} /Socket errors/ {sock=$0; sub(/^ *Socket errors: */, "", sock)}
        END {e = (bad ? "non-2xx " bad : ""); if (sock) e = e (e ? "; " : "") "socket " sock; gsub(/ /, "_", e)
             printf "%s %s %s", rps, p99, (e ? e : "-")}' "$work/$name.wrk")"
    rows+=("$label|$rate|$p99|$idle|$after|${errors//_/ }")
    echo "   $label: $rate req/s, p99 $p99, RSS $idle -> $after MiB, errors: ${errors//_/ }" >&2
}

# --- Sesame --------------------------------------------------------------------------------------
name=sesame port=18301
"$bin" client add bot --grant client_credentials --scope sesame:admin --json --data-dir "$work/sesame" > "$work/bot.json"
json_field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p"; }
"$bin" serve --data-dir "$work/sesame" --listen "127.0.0.1:$port" --issuer "http://127.0.0.1:$port" \
    --log-level warning > "$work/$name.log" 2>&1 &
server=$!
wait_up "http://127.0.0.1:$port/healthz"
bench "$name" "Sesame ($sesame_version)" "http://127.0.0.1:$port/token" \
    "$(json_field client_id < "$work/bot.json")" "$(json_field client_secret < "$work/bot.json")" sesame:admin
stop

# --- Authlib under gunicorn ----------------------------------------------------------------------
# Authlib's docs leave the deployment to Flask's; 2 sync workers, one per core (gunicorn's sync
# workers close the connection after each response, so wrk reconnects for every request).
name=authlib port=18302 client_secret=$(secret)
openssl ecparam -genkey -name prime256v1 -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$work/authlib-ec.pem"
PEERS_KEY_FILE="$work/authlib-ec.pem" PEERS_CLIENT_ID=bot PEERS_CLIENT_SECRET="$client_secret" PEERS_SCOPE=api \
    PEERS_ISSUER="http://127.0.0.1:$port" \
    "$venv/bin/gunicorn" --chdir "$peers" --workers 2 --worker-class sync --bind "127.0.0.1:$port" \
    authlib_server:app > "$work/$name.log" 2>&1 &
server=$!
wait_up "http://127.0.0.1:$port/token"
bench "$name" "Authlib $(pip_version authlib) (Flask $(pip_version flask), gunicorn $(pip_version gunicorn))" \
    "http://127.0.0.1:$port/token" bot "$client_secret" api
stop

# --- glewlwyd ------------------------------------------------------------------------------------
# Its schema from the package's doc folder into a fresh SQLite database; the OIDC plugin instance,
# a scope "api" and the client go in through the admin API (the schema's admin/password user).
name=glewlwyd port=18303 client_secret=$(secret)
schema=$(ls /usr/share/doc/glewlwyd*/database/init.sqlite3.sql* | head -1)
if [[ "$schema" == *.gz ]]; then zcat "$schema"; else cat "$schema"; fi | sqlite3 "$work/glewlwyd.db"
sed -e "s|@PORT@|$port|g" -e "s|@WORK@|$work|g" "$peers/glewlwyd.conf" > "$work/glewlwyd.conf"
openssl ecparam -genkey -name prime256v1 -noout -out "$work/glewlwyd-ec.key" 2>/dev/null
openssl ec -in "$work/glewlwyd-ec.key" -pubout -out "$work/glewlwyd-ec.pub" 2>/dev/null
glewlwyd -c "$work/glewlwyd.conf" > "$work/$name.log" 2>&1 &
server=$!
api="http://127.0.0.1:$port/api"
wait_up "$api/glwd/"
admin() { # admin PATH JSON: one admin API call that must answer 200
    local code
    code=$(curl -s -o "$work/glewlwyd-admin.out" -w '%{http_code}' -b "$work/glewlwyd.jar" -c "$work/glewlwyd.jar" \
        -H 'Content-Type: application/json' --data "$2" "$api/$1")
    [[ "$code" == 200 ]] || { echo "peers.sh: glewlwyd admin POST /api/$1 answered $code: $(cat "$work/glewlwyd-admin.out")" >&2; exit 1; }
}
admin auth/ '{"username":"admin","password":"password"}'
admin mod/plugin/ "$(jq -c --rawfile key "$work/glewlwyd-ec.key" --rawfile pub "$work/glewlwyd-ec.pub" \
    --arg iss "http://127.0.0.1:$port" '.parameters.key = $key | .parameters.cert = $pub | .parameters.iss = $iss' \
    "$peers/glewlwyd-oidc.json")"
admin scope/ '{"name":"api","display_name":"api","description":"Benchmarks/peers.sh","password_required":false,"scheme":{}}'
admin client/ "$(jq -cn --arg secret "$client_secret" '{client_id: "bot", name: "bot", enabled: true, confidential: true,
    password: $secret, authorization_type: ["client_credentials"], scope: ["api"], redirect_uri: [],
    token_endpoint_auth_method: ["client_secret_basic"]}')"
bench "$name" "glewlwyd $(dpkg_version glewlwyd)" "$api/oidc/token" bot "$client_secret" api
stop

# --- LemonLDAP::NG portal under starman ----------------------------------------------------------
# The portal's PSGI app with LLNG_DEFAULTCONFFILE pointing at a private ini and File configuration;
# sessions (one for the client and one per access token) in Apache::Session::File under the work dir.
# 2 workers, one per core, without keep-alive: with it, 2 of wrk's 32 connections keep both workers
# and the other 30 wait unserved, so wrk's latency would leave out the queueing (and gunicorn's sync
# workers close each connection too).
name=lemonldap port=18304 client_secret=$(secret)
mkdir -p "$work/llng-conf" "$work/llng-sessions/lock" "$work/llng-psessions/lock" "$work/llng-cache"
openssl genrsa -out "$work/llng-rsa.key" 2048 2>/dev/null
openssl rsa -in "$work/llng-rsa.key" -pubout -out "$work/llng-rsa.pub" 2>/dev/null
sed -e "s|@WORK@|$work|g" "$peers/lemonldap-ng.ini" > "$work/lemonldap-ng.ini"
sed -e "s|@WORK@|$work|g" -e "s|@ISSUER@|http://127.0.0.1:$port|g" -e "s|@NOW@|$(date +%s)|" \
    -e "s|@CLIENT_ID@|bot|" -e "s|@CLIENT_SECRET@|$client_secret|" "$peers/lmConf.json" |
    jq --rawfile key "$work/llng-rsa.key" --rawfile pub "$work/llng-rsa.pub" \
        '.oidcServicePrivateKeySig = $key | .oidcServicePublicKeySig = $pub' > "$work/llng-conf/lmConf-1.json"
LLNG_DEFAULTCONFFILE="$work/lemonldap-ng.ini" starman --listen "127.0.0.1:$port" --workers 2 --disable-keepalive \
    /usr/share/lemonldap-ng/portal/htdocs/index.psgi > "$work/$name.log" 2>&1 &
server=$!
wait_up "http://127.0.0.1:$port/.well-known/openid-configuration"
bench "$name" "LemonLDAP::NG $(dpkg_version liblemonldap-ng-portal-perl) (starman $(dpkg_version starman))" \
    "http://127.0.0.1:$port/oauth2/token" bot "$client_secret" api
stop

# --- the table -----------------------------------------------------------------------------------
IFS='|' read -r _ sesame_rate sesame_p99 _ sesame_after _ <<< "${rows[0]}"
echo
echo "client_credentials, wrk --latency -t2 -c32 -d${duration}s, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| server | req/s | p99 | RSS idle | RSS after | Sesame ÷ this: req/s | p99 | RSS after | wrk errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
for row in "${rows[@]}"; do
    IFS='|' read -r label rate p99 idle after errors <<< "$row"
    awk -v l="$label" -v r="$rate" -v p="$p99" -v i="$idle" -v a="$after" -v e="$errors" \
        -v sr="$sesame_rate" -v sp="$(to_ms "$sesame_p99")" -v pm="$(to_ms "$p99")" -v sa="$sesame_after" \
        'BEGIN {printf "| %s | %.0f | %s | %.1f MiB | %.1f MiB | %.2f | %.2f | %.2f | %s |\n", l, r, p, i, a, sr / r, sp / pm, sa / a, e}'
done
cat <<NOTES

- Sesame: its ES256 JWT access token (at+jwt); client secret kept as a SHA-256 digest; \`serve\` with
  a SQLite data directory; one process.
- Authlib: RFC 9068 JWT access token signed ES256 (P-256), not stored; one client in memory, secret
  compared in constant time; gunicorn with 2 sync workers (no keep-alive: one connection per request).
- glewlwyd: OIDC plugin, JWT access token signed ES256 (P-256), each also recorded in its SQLite
  database; the client secret is a PBKDF2 digest of 150,000 iterations (its SQLite default), computed
  on every request; one process.
- LemonLDAP::NG: OIDC issuer, JWT access token signed RS256 (2048-bit RSA; 2.16 signs only RS*/HS*);
  secret compared as stored in its File configuration; each token also creates two sessions in
  Apache::Session::File; starman with 2 workers, keep-alive off (one connection per request).
- Sesame ÷ this: above 1 for req/s, below 1 for p99 and RSS is in Sesame's favour.
- Every request: POST grant_type=client_credentials&scope=<the client's one scope>, client_secret_basic.
  RSS: VmRSS summed over the server's processes, idle (after one token) and right after its wrk run.
NOTES
