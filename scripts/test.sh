#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it, on a fresh machine or a developer's:
# provisions the peer programs (PyJWT, node jose) into target/peers/, checks formatting and
# lints, then runs every test. The interop tests fail, never skip, when a peer is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/provision-peers.sh
# Every platform's crates, for the workspace and for fuzz/ (its own lock file): cargo-deny's
# `cargo metadata` needs them all and runs offline, and a registry cache that has only ever
# built for Linux lacks windows-sys and friends. A no-op when the cache already has them.
cargo fetch --locked
cargo fetch --locked --manifest-path fuzz/Cargo.toml
cargo fmt --all -- --check
# The workspace: the library crate (crates/acjwt) and the CLI at the root.
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
# The library's example backend mints and verifies a token (it is built by cargo test).
cargo run -q -p acjwt --example backend
# The library's API docs build without a broken link or a missing doc (missing_docs is on).
RUSTDOCFLAGS="-D warnings" cargo doc -p acjwt --no-deps
# The default build signs with aws-lc; the pure-Rust build (RustCrypto backend only) must pass
# the same suite, and the benches must still build. The CLI takes the library without its
# default features and forwards `aws-lc`, so this pass really leaves aws-lc out. The server
# tests (tests/serve.rs) and the page tests (tests/page.rs, headless Chromium) run once, in
# the default pass: they test HTTP and the page, not the signing backend, and take the longest.
cargo clippy --workspace --all-targets --no-default-features -- -D warnings
cargo test --workspace --no-default-features -- --skip serve:: --skip page::

# Supply chain (deny.toml): licences, duplicate versions, crates.io only. Advisories cannot be
# fetched here and are reviewed by hand (README, Security). Fuzzing: a few seconds per target;
# tests/fuzz_corpus.rs has already replayed the whole corpus under `cargo test`. .ci/run
# installs both tools; elsewhere they are skipped with a note.
if command -v cargo-deny >/dev/null; then
  cargo deny --offline check bans licenses sources
else
  echo "note: cargo-deny is not installed; skipping the supply-chain check" >&2
fi
if command -v cargo-fuzz >/dev/null; then
  scripts/fuzz.sh 5
else
  echo "note: cargo-fuzz is not installed; skipping the fuzz smoke pass" >&2
fi
