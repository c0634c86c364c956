#!/usr/bin/env bash
# Two versions of acjwt side by side in one run: `mint --batch` of N ES384 tokens with the
# release build of this tree and of an older revision (default v0.1's last commit), runs
# interleaved so both see the same machine, then criterion's single-thread ES384 sign rate of
# this tree, so batch throughput can be read against cores x sign rate, and what two
# independent single-thread processes reach together on this machine.
#
#   bench/versions.sh                  # 100,000 tokens, 3 runs each, against 0ae4e87 (0.1)
#   N=20000 RUNS=1 bench/versions.sh REV
#
# Needs a quiet machine: the figures are wall-clock. Builds the old revision in a git
# worktree outside the repository (cargo would take it for a member of this workspace), with
# its own target folder.
set -euo pipefail
cd "$(dirname "$0")/.."

old=${1:-0ae4e87}
n=${N:-100000}
runs=${RUNS:-3}
work=target/bench-versions
mkdir -p "$work"

cargo build --release --quiet
old_tree=${BENCH_OLD_TREE:-${TMPDIR:-/tmp}/acjwt-bench-$old}
if [ ! -d "$old_tree" ]; then
  git worktree add --detach "$old_tree" "$old" >/dev/null
fi
(cd "$old_tree" && cargo build --release --quiet)
new_bin=target/release/acjwt
old_bin=$old_tree/target/release/acjwt

"$new_bin" keygen --alg ES384 --out-dir "$work/keys" --force >/dev/null 2>&1
python3 - "$n" >"$work/in.jsonl" <<'EOF'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"db_id": 1, "email": f"user{i}@example.com", "matching": "email"}))
EOF
echo "rt-bench" >"$work/rt.txt"

mint() {
  "$1" mint --key "$work/keys/private.ec.key" --rtoken-file "$work/rt.txt" --iss Bench \
    --batch "$work/in.jsonl" --output "$work/out.txt"
}

echo "mint --batch, $n ES384 tokens, $(nproc) cores; seconds per run (wall clock)"
for run in $(seq "$runs"); do
  for which in "$old" this-tree; do
    bin=$new_bin
    [ "$which" = "$old" ] && bin=$old_bin
    start=$(date +%s.%N)
    mint "$bin"
    end=$(date +%s.%N)
    python3 -c 'import sys; s = float(sys.argv[3]) - float(sys.argv[2]); n = int(sys.argv[4]); print(f"  run {sys.argv[1]}: {s:.2f} s, {n / s:,.0f} tokens/s")' \
      "$run $which" "$start" "$end" "$n"
    [ "$(wc -l <"$work/out.txt")" -eq "$n" ] || { echo "wrong token count" >&2; exit 1; }
  done
done

# What this machine allows two signing threads: one thread alone, and two single-thread
# processes at once over half the input each (no shared state at all). A batch can be read
# against either; criterion's single-thread rate x cores assumes cores that do not slow each
# other down.
head -n $((n / 2)) "$work/in.jsonl" >"$work/half.jsonl"
start=$(date +%s.%N)
"$new_bin" mint --key "$work/keys/private.ec.key" --rtoken-file "$work/rt.txt" --iss Bench \
  --batch "$work/in.jsonl" --output "$work/out.txt" --threads 1
end=$(date +%s.%N)
[ "$(wc -l <"$work/out.txt")" -eq "$n" ] || { echo "wrong token count (--threads 1)" >&2; exit 1; }
python3 -c 'import sys; s = float(sys.argv[2]) - float(sys.argv[1]); n = int(sys.argv[3]); print(f"this tree, --threads 1: {s:.2f} s, {n / s:,.0f} tokens/s")' "$start" "$end" "$n"
start=$(date +%s.%N)
pids=()
for half in 1 2; do
  "$new_bin" mint --key "$work/keys/private.ec.key" --rtoken-file "$work/rt.txt" --iss Bench \
    --batch "$work/half.jsonl" --output "$work/out-$half.txt" --threads 1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done # a failed run fails the script (set -e)
end=$(date +%s.%N)
for half in 1 2; do
  [ "$(wc -l <"$work/out-$half.txt")" -eq $((n / 2)) ] || { echo "wrong token count (half $half)" >&2; exit 1; }
done
python3 -c 'import sys; s = float(sys.argv[2]) - float(sys.argv[1]); n = int(sys.argv[3]); print(f"this tree, two --threads 1 processes at once, half each: {s:.2f} s, {n / s:,.0f} tokens/s")' "$start" "$end" "$n"

echo "criterion, one thread (this tree):"
cargo bench --quiet --bench crypto -- 'sign/aws-lc/ES384' --warm-up-time 1 --measurement-time 3 2>/dev/null |
  grep -E 'sign/aws-lc/ES384|time:' || true
