#!/usr/bin/env bash
# Two or more sesame binaries up at once, measured in short alternating wrk runs, so that a noisy
# machine slows them alike; each figure is also given per CPU-second the server used (from
# /proc/PID/stat), which is steadier than the rate. Release builds, not CI.
#   Benchmarks/interleaved.sh ROUNDS SECONDS old/sesame new/sesame [...]
# Per round and binary, in turn: GET /jwks, POST /token (client_credentials), POST /introspect (an
# access token), each with wrk -t2 -c32 on the same two cores as the servers.
set -euo pipefail
(($# >= 3)) || { sed -n '2,7p' "$0"; exit 2; }
rounds=$1 seconds=$2
shift 2
bins=("$@")
command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }

work=$(mktemp -d)
servers=()
cleanup() {
    ((${#servers[@]})) && kill "${servers[@]}" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
json_field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p"; }
lua() { # lua FILE BODY BASIC
    printf 'wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\nwrk.headers["Authorization"] = "Basic %s"\n' "$2" "$3" > "$1"
}

for i in "${!bins[@]}"; do
    port=$((18300 + i)) data="$work/data$i"
    "${bins[$i]}" client add bench --grant client_credentials --scope sesame:admin --json --data-dir "$data" > "$work/client$i.json"
    "${bins[$i]}" serve --data-dir "$data" --listen "127.0.0.1:$port" --issuer "http://127.0.0.1:$port" \
        --log-level warning > "$work/log$i" 2>&1 &
    servers+=($!)
    basic=$(printf '%s:%s' "$(json_field client_id < "$work/client$i.json")" \
        "$(json_field client_secret < "$work/client$i.json")" | base64 -w0)
    until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
    token=$(curl -s -H "Authorization: Basic $basic" -d grant_type=client_credentials \
        "http://127.0.0.1:$port/token" | json_field access_token)
    lua "$work/cc$i.lua" grant_type=client_credentials "$basic"
    lua "$work/in$i.lua" "token=$token" "$basic"
done
sleep 1

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
for round in $(seq "$rounds"); do
    line="round $round:"
    for i in "${!bins[@]}"; do
        url="http://127.0.0.1:$((18300 + i))"
        for path in jwks cc in; do
            case $path in
                jwks) args=("$url/jwks") ;;
                cc) args=(-s "$work/cc$i.lua" "$url/token") ;;
                in) args=(-s "$work/in$i.lua" "$url/introspect") ;;
            esac
            before=$(ticks "${servers[$i]}")
            out=$(wrk -t2 -c32 -d"${seconds}s" "${args[@]}")
            used=$(($(ticks "${servers[$i]}") - before))
            requests=$(awk '/requests in/ {print $1}' <<< "$out")
            rate=$(awk '/Requests\/sec/ {print int($2)}' <<< "$out")
            per_cpu=$((requests * hz / (used > 0 ? used : 1)))
            line+=" [$i] $path $rate/s $per_cpu/cpu-s"
            echo "$i $path $rate $per_cpu" >> "$work/all"
        done
    done
    echo "$line"
done
echo
awk '{k = $1 " " $2; r[k] += $3; c[k] += $4; n[k]++}
     END {for (k in r) printf "[%s] mean %d/s, %d per CPU-second\n", k, r[k] / n[k], c[k] / n[k]}' "$work/all" | sort
awk '$2 == "jwks" {j[$1] += $3} $2 == "cc" {c[$1] += $3} $2 == "in" {t[$1] += $3}
     END {for (i in j) printf "[%s] client_credentials %d %% of /jwks, introspection %d %%\n", i, 100 * c[i] / j[i], 100 * t[i] / j[i]}' "$work/all" | sort
for i in "${!bins[@]}"; do echo "[$i] ${bins[$i]}"; done
