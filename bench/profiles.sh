#!/usr/bin/env bash
# Two release profiles side by side: the build time of acjwt from clean, and the speed of the
# binaries it makes, in one run on this machine.
#   - fat: lto = true, codegen-units = 1 (what Cargo.toml said up to 0.1);
#   - thin: lto = "thin", codegen-units = 16;
# each built from clean with `cargo build --release --locked` in its own target folder, the
# profile set through CARGO_PROFILE_RELEASE_* (so Cargo.toml is not touched), then
#   - `mint --batch` of N ES384 tokens, RUNS runs, interleaved;
#   - one `mint` (a process per token, what a script does), with hyperfine.
#
#   bench/profiles.sh                  # 100,000 tokens, 3 runs
#   N=20000 RUNS=1 bench/profiles.sh
#
# Needs a quiet machine (wall clock), hyperfine (apt-get install hyperfine) and about 3 GB of
# disk for the two target folders under target/bench-profiles/. The crates must be fetched
# (cargo fetch); nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${N:-100000}
runs=${RUNS:-3}
work=target/bench-profiles
command -v hyperfine >/dev/null || { echo "error: hyperfine is not on PATH (apt-get install hyperfine)" >&2; exit 2; }
mkdir -p "$work"

build() { # name lto codegen-units
  rm -rf "$work/$1"
  local start end
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$work/$1" CARGO_PROFILE_RELEASE_LTO=$2 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=$3 \
    cargo build --release --locked --quiet
  end=$(date +%s.%N)
  python3 -c 'import sys; print(f"  {sys.argv[1]:5} (lto={sys.argv[2]}, codegen-units={sys.argv[3]}): {float(sys.argv[5]) - float(sys.argv[4]):.0f} s from clean, binary {int(sys.argv[6]) / 2**20:.1f} MiB")' \
    "$1" "$2" "$3" "$start" "$end" "$(stat -c %s "$work/$1/release/acjwt")"
}

echo "cargo build --release from clean, $(nproc) cores:"
build fat true 1
build thin thin 16

bin() { echo "$work/$1/release/acjwt"; }
"$(bin fat)" keygen --alg ES384 --out-dir "$work/keys" --force >/dev/null 2>&1
python3 - "$n" >"$work/in.jsonl" <<'EOF'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"db_id": 1, "email": f"user{i}@example.com", "matching": "email"}))
EOF
echo "rt-bench" >"$work/rt.txt"

echo "mint --batch, $n ES384 tokens; seconds per run (wall clock):"
for run in $(seq "$runs"); do
  for which in fat thin; do
    start=$(date +%s.%N)
    "$(bin "$which")" mint --key "$work/keys/private.ec.key" --rtoken-file "$work/rt.txt" \
      --iss Bench --batch "$work/in.jsonl" --output "$work/out-$which.txt"
    end=$(date +%s.%N)
    [ "$(wc -l <"$work/out-$which.txt")" -eq "$n" ] || { echo "wrong token count" >&2; exit 1; }
    python3 -c 'import sys; s = float(sys.argv[3]) - float(sys.argv[2]); n = int(sys.argv[4]); print(f"  run {sys.argv[1]}: {s:.2f} s, {n / s:,.0f} tokens/s")' \
      "$run $which" "$start" "$end" "$n"
  done
done

echo "one mint per process (hyperfine):"
single() {
  echo "$(bin "$1") mint --key $work/keys/private.ec.key --rtoken-file $work/rt.txt --iss Bench --mode email --db-id 1 --email a@example.com"
}
hyperfine --warmup 5 --runs 100 --style basic -N -n fat "$(single fat)" -n thin "$(single thin)" 2>&1 |
  grep -E 'Benchmark|Time|±|faster|times' || true
