#!/usr/bin/env bash
# Start-up, memory and the cost of a sign-in, on a release build (not CI):
#   1. first answer after start on an existing data directory (five starts; each time from the
#      moment the process is launched to the first 200 from /healthz)
#   2. resident memory idle; after 200 sign-ins; after a further minute of client_credentials load
#      (wrk -t2 -c32); and a minute after that load stopped
#   3. a sign-in (POST /login with the right password, one at a time) beside one scrypt hash of the
#      same cost timed alone on one core (`sesame-hash-bench N verify`), in turns of 30 each: wall
#      time, and CPU time (the whole server's per sign-in against the hash's); then the same one by
#      one, a hash and a sign-in in turn (SESAME_BENCH_SIGNIN_PAIRS, default 150)
#   Benchmarks/footprint.sh
#   SESAME_BENCH_SIGNIN_TURNS=12 Benchmarks/footprint.sh     (default 6 turns)
#   SESAME_BENCH_BIN=path/to/sesame SESAME_BENCH_HASH_BIN=path/to/sesame-hash-bench Benchmarks/footprint.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
if [[ -n "${SESAME_BENCH_BIN:-}" ]]; then bin=$SESAME_BENCH_BIN; else
    scripts/build-release sesame >/dev/null
    bin=.build/release/sesame
fi
if [[ -n "${SESAME_BENCH_HASH_BIN:-}" ]]; then hash_bin=$SESAME_BENCH_HASH_BIN; else
    scripts/build-release sesame-hash-bench >/dev/null
    hash_bin=.build/release/sesame-hash-bench
fi

work=$(mktemp -d)
port=18095
base="http://127.0.0.1:$port"
server=""
trap '[[ -n "$server" ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
json_field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p"; }
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$server/status"; }
start() {
    "$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" --issuer "$base" --log-level warning &
    server=$!
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

echo 'bench-password' | "$bin" user add bench --password-stdin --data-dir "$work/data" >/dev/null
"$bin" client add bot --grant client_credentials --scope sesame:admin --json --data-dir "$work/data" > "$work/bot.json"
bot_basic=$(printf '%s:%s' "$(json_field client_id < "$work/bot.json")" "$(json_field client_secret < "$work/bot.json")" | base64 -w0)
start; until curl -sf "$base/healthz" >/dev/null; do sleep 0.01; done; stop   # schema and keys exist from here on

echo "== first answer after start, existing data directory (5 starts)"
for _ in 1 2 3 4 5; do
    begin=$(date +%s%N)
    start
    until curl -sf "$base/healthz" >/dev/null; do sleep 0.002; done
    printf '   %d ms\n' $(( ($(date +%s%N) - begin) / 1000000 ))
    stop
done

# Idle memory counts the binary's pages the kernel maps around each page touched, and how it maps
# them depends on the binary's pages in the page cache (Benchmarks/README.md, "the page cache").
echo "== the binary in the page cache before this start: $(fincore -n -o RES,SIZE "$bin" | awk '{print $1 " of " $2}')"
start
until curl -sf "$base/healthz" >/dev/null; do sleep 0.01; done
sleep 2
idle=$(rss)
echo "== resident memory idle: $idle"

# One browser's CSRF cookie and form token, reused by every sign-in.
token=$(curl -s -c "$work/jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p')
sign_in() {
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -b "$work/jar" --data-urlencode "csrf_token=$token" \
        --data-urlencode username=bench --data-urlencode password=bench-password "$base/login"
}
export -f sign_in; export work token base
# Two at a time (two cores): more in flight for one account would be throttled by design.
seq 200 | xargs -P2 -I{} bash -c sign_in > "$work/signins"
echo "== 200 sign-ins, two at a time: $(awk '$1 == 303 {n++} END {print n+0}' "$work/signins") answered 303 (signed in)"
echo "== resident memory after them: $(rss)"

cat > "$work/cc.lua" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $bot_basic"
LUA
wrk -t2 -c32 -d60s -s "$work/cc.lua" "$base/token" | awk '/Requests\/sec/ {print "== a minute of client_credentials: " $2 " req/s"}'
echo "== resident memory after the token load: $(rss)"
sleep 60
echo "== resident memory a minute after the load stopped: $(rss) (idle was $idle)"

# Taken in turns (hash, sign-ins, hash, sign-ins, ...), so a change in the machine's speed falls on
# both; the sums over all turns are compared, since single turns on a shared machine move by 20 %.
# Wall time (what a person waits) and CPU time (what the server spends: all its threads, from
# /proc/PID/task/*/schedstat, against the hashing thread of sesame-hash-bench) are both compared;
# CPU time does not count the waits of a busy shared machine, so it moves less from turn to turn.
turns=${SESAME_BENCH_SIGNIN_TURNS:-6}
# CPU milliseconds of the server's threads: "all hashing" (the hashing threads are sesame-hash-N;
# before 2026-12-04 they were NIO's thread pool, SGLTN-TP-#N, counted too for older binaries).
server_cpu_ms() {
    for task in /proc/"$server"/task/*; do
        printf '%s %s\n' "$(tr -d ' ' < "$task/comm" 2>/dev/null)" "$(cut -d' ' -f1 "$task/schedstat" 2>/dev/null)"
    done | awk '{all += $2; if ($1 ~ /^(SGLTN-TP-|sesame-hash-)/) pool += $2} END {printf "%.3f %.3f", all / 1e6, pool / 1e6}'
}
echo "== one sign-in at a time beside one hash of the same cost alone (sesame-hash-bench), $turns turns of 30"
for _ in $(seq "$turns"); do
    read -r hash hash_cpu <<< "$("$hash_bin" 30 verify | sed -n 's/^scrypt verify (default) *\([0-9.]*\) ms per hash.*, \([0-9.]*\) ms CPU$/\1 \2/p')"
    read -r all_before pool_before <<< "$(server_cpu_ms)"
    signin=$(for _ in $(seq 30); do sign_in; done | awk '$1 == 303 {n++; t += $2} END {printf "%.1f", n == 30 ? 1000 * t / n : -1}')
    read -r all_after pool_after <<< "$(server_cpu_ms)"
    signin_cpu=$(echo "($all_after - $all_before) / 30" | bc -l | xargs printf '%.1f')
    hashing_cpu=$(echo "($pool_after - $pool_before) / 30" | bc -l | xargs printf '%.1f')
    printf '   one hash alone %s ms (CPU %s ms), one sign-in %s ms (server CPU %s ms, of it the hashing threads %s ms)\n' \
        "$hash" "$hash_cpu" "$signin" "$signin_cpu" "$hashing_cpu"
    echo "$hash $signin $hash_cpu $signin_cpu" >> "$work/turns"
done
awk '{h += $1; s += $2; hc += $3; sc += $4; if ($2 < 0) bad = 1} END {
    if (bad) print "   some sign-ins were refused: no comparison"
    else {
        printf "   over the %d turns, wall: one sign-in %.1f ms against one hash %.1f ms (%+.1f %%)\n", NR, s / NR, h / NR, 100 * (s - h) / h
        printf "   over the %d turns, CPU: one sign-in %.1f ms of the server against one hash %.1f ms (%+.1f %%)\n", NR, sc / NR, hc / NR, 100 * (sc - hc) / hc
    } }' "$work/turns"

# The same comparison taken one by one: one hash in sesame-hash-bench (kept running, `paced`), then
# one sign-in, and so on. In turns of 30 the benchmark's hashes follow each other on warm caches,
# while each sign-in follows a curl process that ran in between; one by one, each hash and each
# sign-in follows the other, so both find the caches as the other left them.
pairs=${SESAME_BENCH_SIGNIN_PAIRS:-150}
echo "== one sign-in against one hash, taken one by one, $pairs of each"
coproc PACED { "$hash_bin" - paced; }
for _ in $(seq "$pairs"); do
    echo go >&"${PACED[1]}"
    read -r hash hash_cpu <&"${PACED[0]}"
    read -r all_before _ <<< "$(server_cpu_ms)"
    read -r code wall <<< "$(sign_in)"
    read -r all_after _ <<< "$(server_cpu_ms)"
    echo "$hash $hash_cpu $code $(echo "1000 * $wall" | bc -l) $(echo "$all_after - $all_before" | bc -l)"
done > "$work/pairs"
exec {PACED[1]}>&-
awk '{h += $1; hc += $2; s += $4; sc += $5; if ($3 != 303) bad = 1} END {
    if (bad) print "   some sign-ins were refused: no comparison"
    else {
        printf "   wall: one sign-in %.1f ms against one hash %.1f ms (%+.1f %%)\n", s / NR, h / NR, 100 * (s - h) / h
        printf "   CPU: one sign-in %.1f ms of the server against one hash %.1f ms (%+.1f %%)\n", sc / NR, hc / NR, 100 * (sc - hc) / hc
    } }' "$work/pairs"
stop
