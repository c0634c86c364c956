#!/usr/bin/env bash
# Regenerates the committed shell completions (completions/) and man pages (man/) from the
# clap definition. tests/docs.rs fails when they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
rm -rf completions man
target/debug/acjwt completions --dir completions
target/debug/acjwt man --dir man
