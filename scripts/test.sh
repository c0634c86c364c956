#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it, on a fresh machine or a developer's:
# provisions the peer programs (PyJWT, node jose) into target/peers/, checks formatting and
# lints, then runs every test. The interop tests fail, never skip, when a peer is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/provision-peers.sh
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo test
# The default build signs with aws-lc; the pure-Rust build (RustCrypto backend only) must pass
# the same suite, and the benches must still build.
cargo clippy --all-targets --no-default-features -- -D warnings
cargo test --no-default-features
