#!/usr/bin/env bash
# `acjwt serve` against the same token service written the way careful backend teams write it,
# in one run on this machine, all on the same ES384 key and matching object, all on loopback:
#   - acjwt serve (release build), GET /token/alice with Accept: text/plain;
#   - node: node:http + jsonwebtoken with a parsed KeyObject, one worker per core (node:cluster),
#     bench/serve_node.mjs;
#   - Python: PyJWT with the key parsed once, a bare ASGI app under uvicorn (uvicorn[standard]),
#     one worker per core, bench/serve_uvicorn.py;
# and `acjwt mint --batch` on the same machine, for the ratio the issue sets (serve at 70% of it).
# The load generator is wrk (HTTP/1.1 keep-alive), which shares the cores with the server;
# then hey holds acjwt serve at half its peak rate for p50/p99 at a fixed rate.
# Prints tokens/s, wrk's latency percentiles at peak load, peak RSS, the CPU each request costs
# (the service's user and system time, and wrk's, which shares the cores), and ratios.
#
# Usage: bench/serve.sh                 (10 s per service, 32 connections)
#        DURATION=30s CONNECTIONS=64 bench/serve.sh
# Needs: wrk and hey (apt-get install wrk hey), python3, node/npm. Installs jsonwebtoken, PyJWT and uvicorn
# into target/bench-serve-peers/ itself.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
BATCH=${BATCH:-100000}
work="$root/target/bench-serve"
peers="$root/target/bench-serve-peers"
rm -rf "$work"
mkdir -p "$work" "$peers"

for tool in wrk hey /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not on PATH (apt-get install $tool)" >&2; exit 2; }
done

echo "== building acjwt (release) and provisioning the peers" >&2
cargo build --release --quiet
acjwt="$root/target/release/acjwt"
if ! "$peers/venv/bin/python" -c 'import jwt, cryptography, uvicorn' 2>/dev/null; then
  python3 -m venv "$peers/venv"
  "$peers/venv/bin/pip" install --quiet --disable-pip-version-check \
    'PyJWT==2.15.1' 'cryptography==50.0.2' 'uvicorn[standard]==0.38.0'
fi
if [ ! -f "$peers/node/node_modules/jsonwebtoken/package.json" ]; then
  mkdir -p "$peers/node"
  npm install --prefix "$peers/node" --no-audit --no-fund --loglevel=error 'jsonwebtoken@9.0.2'
fi

cd "$work"
"$acjwt" keygen --alg ES384 --private key.sec1 --public key.pub >/dev/null
echo "rt-bench" > rtoken
printf '[alice]\nmatching = "email"\ndb_id = 2\nemail = "alice@example.com"\n' > users.toml

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Waits until $1 answers.
wait_up() {
  for _ in $(seq 1 200); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.05
  done
  echo "error: $1 never answered" >&2
  exit 1
}

# Peak RSS in KiB of process $1 and its children (VmHWM).
peak_rss() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    total=$(( total + $(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# CPU seconds (user and system) of process $1 and its children so far, from /proc.
cpu_of() {
  local user=0 sys=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    # Fields after the command name, which is in parentheses and may hold spaces.
    read -r u s < <(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12, $13}' || echo "0 0")
    user=$(( user + u )); sys=$(( sys + s ))
  done
  echo "$user $sys"
}
ticks=$(getconf CLK_TCK)

results="$work/results.tsv"
: > "$results"
# name url pid
bench() {
  local name=$1 url=$2 pid=$3
  wait_up "$url"
  token=$(curl -sf -H 'Accept: text/plain' "$url")
  "$acjwt" verify --key key.pub "$token" >/dev/null || { echo "error: $name minted a token acjwt rejects" >&2; exit 1; }
  wrk -t2 -c4 -d2s -H 'Accept: text/plain' "$url" >/dev/null   # warm-up
  echo "== $name: wrk -t2 -c$CONNECTIONS -d$DURATION" >&2
  local before after
  before=$(cpu_of "$pid")
  /usr/bin/time -f '%U %S' -o "time-$name.txt" \
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H 'Accept: text/plain' "$url" > "wrk-$name.txt"
  after=$(cpu_of "$pid")
  local rps p50 p99 errors requests
  requests=$(awk '/requests in/ {print $1}' "wrk-$name.txt")
  # Microseconds of CPU per request: the service's user and system time, and wrk's (all of it,
  # since it shares the cores).
  read -r bu bs <<<"$before"; read -r au as <<<"$after"; read -r wu ws < "time-$name.txt"
  python3 -c 'import sys; u, s, wu, ws, t, n = map(float, sys.argv[1:]); print(f"{u / t / n * 1e6:.0f}\t{s / t / n * 1e6:.0f}\t{(wu + ws) / n * 1e6:.0f}")' \
    "$((au - bu))" "$((as - bs))" "$wu" "$ws" "$ticks" "$requests" > "cpu-$name.txt"
  rps=$(awk '/^Requests\/sec:/ {print $2}' "wrk-$name.txt")
  p50=$(awk '$1 == "50%" {print $2}' "wrk-$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "wrk-$name.txt")
  errors=$(grep -E 'Non-2xx|Socket errors' "wrk-$name.txt" || true)
  [ -z "$errors" ] || echo "warning: $name: $errors" >&2
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "$(peak_rss "$pid")" "$(cat "cpu-$name.txt")" >> "$results"
}

"$acjwt" serve --key key.sec1 --iss BenchApp --rtoken-file rtoken --users users.toml \
  --listen 127.0.0.1:18787 --log-format json 2>/dev/null >/dev/null &
pids+=($!)
wait_up "http://127.0.0.1:18787/healthz"
# The peers put the same kid in their headers: the key's RFC 7638 thumbprint, as acjwt does.
kid=$(curl -sf http://127.0.0.1:18787/healthz | "$peers/venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["kid"])')
bench "acjwt-serve" "http://127.0.0.1:18787/token/alice" "${pids[-1]}"
# Half the peak rate, held for the same time: hey's -q is per connection.
peak=$(awk -F'\t' '$1 == "acjwt-serve" {printf "%.0f", $2}' "$results")
per_connection=$(( peak / 2 / CONNECTIONS ))
echo "== acjwt-serve at $(( per_connection * CONNECTIONS )) requests/s (hey -c$CONNECTIONS -q$per_connection)" >&2
hey -z "$DURATION" -c "$CONNECTIONS" -q "$per_connection" -H 'Accept: text/plain' \
  http://127.0.0.1:18787/token/alice > hey-acjwt.txt
fixed_p50=$(awk '/ 50% in / {print $3 * 1000}' hey-acjwt.txt)
fixed_p99=$(awk '/ 99% in / {print $3 * 1000}' hey-acjwt.txt)
kill "${pids[-1]}"

node "$root/bench/serve_node.mjs" "$peers/node/node_modules/jsonwebtoken" key.sec1 "$kid" 18788 >/dev/null &
pids+=($!)
bench "node-cluster" "http://127.0.0.1:18788/token/alice" "${pids[-1]}"
kill "${pids[-1]}"

BENCH_KEY=key.sec1 BENCH_KID="$kid" "$peers/venv/bin/uvicorn" --app-dir "$root/bench" serve_uvicorn:app \
  --host 127.0.0.1 --port 18789 --workers "$(nproc)" --log-level warning --no-access-log &
pids+=($!)
bench "uvicorn-pyjwt" "http://127.0.0.1:18789/token/alice" "${pids[-1]}"
kill "${pids[-1]}"

echo "== acjwt mint --batch of $BATCH ES384 tokens" >&2
"$peers/venv/bin/python" -c "
import json
with open('batch.jsonl', 'w') as f:
    for n in range($BATCH):
        f.write(json.dumps({'db_id': 2, 'email': f'user{n}@example.com', 'matching': 'email'}, separators=(',', ':')) + '\n')
"
start=$(date +%s.%N)
/usr/bin/time -f '%U %S' -o time-batch.txt \
  "$acjwt" mint --batch batch.jsonl --key key.sec1 --iss BenchApp --rtoken-file rtoken > /dev/null
end=$(date +%s.%N)
batch_rate=$(awk -v n="$BATCH" -v s="$start" -v e="$end" 'BEGIN {printf "%.0f", n / (e - s)}')
batch_cpu=$(awk -v n="$BATCH" '{printf "%.0f µs, %.0f µs", $1 / n * 1e6, $2 / n * 1e6}' time-batch.txt)

echo
echo "ES384, wrk -t2 -c$CONNECTIONS -d$DURATION over HTTP/1.1 keep-alive, $(nproc) cores shared with wrk:"
printf '%-16s %10s %9s %9s %10s   %s\n' service tokens/s p50 p99 "peak RSS" "CPU per request: user, system, wrk"
while IFS=$'\t' read -r name rps p50 p99 rss cpu_user cpu_sys cpu_wrk; do
  printf '%-16s %10.0f %9s %9s %6s MiB   %s µs, %s µs, %s µs\n' "$name" "$rps" "$p50" "$p99" "$((rss / 1024))" "$cpu_user" "$cpu_sys" "$cpu_wrk"
done < "$results"
printf '%-16s %10s %30s   %s\n' "mint --batch" "$batch_rate" "" "$batch_cpu"
echo
echo "acjwt serve at half its peak ($(( per_connection * CONNECTIONS ))/s, hey): p50 ${fixed_p50} ms, p99 ${fixed_p99} ms"
acjwt_rps=$(awk -F'\t' '$1 == "acjwt-serve" {print $2}' "$results")
echo
awk -F'\t' -v a="$acjwt_rps" -v b="$batch_rate" '
  $1 != "acjwt-serve" {printf "acjwt serve / %s: %.1fx\n", $1, a / $2}
  END {printf "acjwt serve / mint --batch: %.0f%%\n", 100 * a / b}' "$results"
