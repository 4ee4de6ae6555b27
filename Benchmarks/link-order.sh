#!/usr/bin/env bash
# Writes scripts/link-order.txt, the order in which scripts/build-release lays out the functions of
# the release binary: first every function `sesame serve` runs from launch to its first answer on an
# existing data directory, then every function the token paths and a sign-in run. The kernel maps
# the 64 KiB of the binary around each page of code touched, so code run at start that lies in one
# block instead of spread over the 35 MB of code keeps the idle server small (Benchmarks/README.md,
# "Idle memory: the code laid out in the order it runs").
#   Benchmarks/link-order.sh                       (profiles a release build of the working tree)
#   SESAME_BENCH_BIN=path/to/sesame Benchmarks/link-order.sh
# Functions are listed by their symbol names, found with valgrind's callgrind; names the next build no
# longer has are skipped by the linker, so a stale list costs memory, never correctness.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind; }
command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
if [[ -n "${SESAME_BENCH_BIN:-}" ]]; then bin=$SESAME_BENCH_BIN; else
    scripts/build-release >/dev/null
    bin=.build/release/sesame
fi

work=$(mktemp -d)
port=18097
base="http://127.0.0.1:$port"
server=""
trap '[[ -n "$server" ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
source Benchmarks/token-load.sh

data="$work/data"
echo 'bench-password' | "$bin" user add bench --password-stdin --data-dir "$data" >/dev/null
"$bin" client add web --first-party --redirect-uri https://app.example/cb --json --data-dir "$data" > "$work/web.json"
"$bin" client add bot --grant client_credentials --scope sesame:admin --json --data-dir "$data" > "$work/bot.json"
"$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" --issuer "$base" --log-level warning &
server=$!
until curl -sf "$base/healthz" >/dev/null; do sleep 0.05; done
kill "$server"; wait "$server" 2>/dev/null || true   # keys and schema exist from here on, as in footprint.sh

# Debian's valgrind does not read the DWARF 5 of Swift's debug information: profile a copy without
# it (the symbol table, which is all the list needs, stays).
objcopy --strip-debug "$bin" "$work/sesame"
valgrind --tool=callgrind --demangle=no --compress-strings=no --dump-instr=no --dump-line=no \
    --callgrind-out-file="$work/cg.%p" \
    "$work/sesame" serve --data-dir "$data" --listen "127.0.0.1:$port" --issuer "$base" --log-level warning 2>"$work/valgrind.log" &
server=$!
until curl -sf "$base/healthz" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { echo "the server stopped under valgrind" >&2; cat "$work/valgrind.log" >&2; exit 1; }
    sleep 0.2
done
callgrind_control --dump=start "$server" >/dev/null

jar="$work/jar"
token=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$token" \
    --data-urlencode username=bench --data-urlencode password=bench-password "$base/login"
prepare_token_load "$base" "$jar" "$work" "$work/web.json" "$work/bot.json"
curl -s -o /dev/null "$base/.well-known/openid-configuration"
wrk -t1 -c2 -d3s "$base/jwks" >/dev/null
wrk -t1 -c2 -d3s -s "$work/client_credentials.lua" "$base/token" >/dev/null
wrk -t1 -c2 -d3s -s "$work/introspect.lua" "$base/introspect" >/dev/null
wrk -t2 -c2 -d3s -s "$work/refresh.lua" "$base/token" >/dev/null
sleep 6   # the audit batches, the checkpoint loop and, after five quiet seconds, SQLite's clean-up
callgrind_control --dump=requests "$server" >/dev/null
kill "$server"; wait "$server" 2>/dev/null || true
server=""

# Each dump lists the functions run since the last one ("fn=" lines, by symbol name; callgrind
# writes a function's cost only where it ran). Functions of the binary only, each named once.
functions() { sed -n 's/^fn=\(.*\)$/\1/p' "$1" | grep -v '^0x' | awk '!seen[$0]++'; }
start_dump=$(ls "$work"/cg.*.1 2>/dev/null | head -1)
requests_dump=$(ls "$work"/cg.*.2 2>/dev/null | head -1)
[[ -n "$start_dump" && -n "$requests_dump" ]] || { echo "callgrind wrote no dumps" >&2; cat "$work/valgrind.log" >&2; exit 1; }
nm --defined-only "$bin" | awk '$2 ~ /^[tTwW]$/ {print $3}' | sort -u > "$work/defined"
{ functions "$start_dump"; functions "$requests_dump"; } | awk '!seen[$0]++' \
    | grep -Fxf "$work/defined" > scripts/link-order.txt
echo "scripts/link-order.txt: $(wc -l < scripts/link-order.txt) functions ($(functions "$start_dump" | grep -Fxcf "$work/defined") run at start)"
