#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for SECONDS each (default 5: the CI smoke pass).
#
#   scripts/fuzz.sh            # smoke: 5 s per target, new inputs go to a scratch folder
#   scripts/fuzz.sh 600 keep   # a campaign: 10 min per target, new inputs kept in fuzz/corpus/
#
# cargo-fuzz needs nightly compiler features; RUSTC_BOOTSTRAP=1 unlocks them on stable. -a keeps
# overflow checks and debug assertions on in the optimized build, so an overflow is a crash.
# A crash stops the run with exit 1 and leaves the input in fuzz/artifacts/<target>/: copy it
# to fuzz/corpus/<target>/ so tests/fuzz_corpus.rs replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-5}
keep=${2:-}
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O -a
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in $(cargo fuzz list); do
  case $target in token_*) max_len=16384 ;; key_load) max_len=8192 ;; *) max_len=4096 ;; esac
  corpora=("fuzz/corpus/$target")
  if [ -z "$keep" ]; then
    # libFuzzer adds new inputs to the first folder: keep the committed corpus unchanged.
    mkdir -p "$scratch/$target"
    corpora=("$scratch/$target" "fuzz/corpus/$target")
  fi
  echo "fuzz: $target for ${seconds}s"
  status=0
  cargo fuzz run -O -a "$target" "${corpora[@]}" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -print_final_stats=1 >"$scratch/$target.log" 2>&1 || status=$?
  grep -E '^stat::number_of_executed_units|ERROR|panicked|SUMMARY|Test unit written' "$scratch/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$scratch/$target.log" >&2
    echo "fuzz: $target failed (the input is in fuzz/artifacts/$target/)" >&2
    exit 1
  fi
done
