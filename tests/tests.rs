//! acjwt's integration tests: one binary (one link of the crate and its dependencies), one
//! module per user story, and the shared helpers in `common`. The binary is run the way a
//! user runs it: through `CARGO_BIN_EXE_acjwt`, with real files and the real peer programs.

mod common;

/// verify, decode and explain agree on the verdict and the codes of every token of a corpus
/// covering each failure and warning code.
mod agreement;
/// Algorithm tricks, signature edges and forged tokens that must never verify.
mod attacks;
/// `mint --batch` and `verify --batch`: order, limits, failures part-way.
mod batch;
/// Every subcommand's documented behaviour, flag by flag.
mod cli;
/// Wycheproof vectors and openssl against the signing and verifying code.
mod conformance;
/// The committed completions and man pages match the clap definition.
mod docs;
/// `acjwt explain`: the token doctor's checks and verdicts.
mod explain;
/// How keygen writes files: modes, symlinks, --force, pairs as a unit.
mod files;
/// The committed fuzz corpus, replayed.
mod fuzz_corpus;
/// Hostile tokens, keys and inputs: clear errors, never a panic.
mod hostile_input;
/// One rule per kind of input: rtokens, kids, JWK members, duplicate members, key files.
mod input_rules;
/// Prompts in a real pseudo-terminal.
mod interactive;
/// `acjwt key`: inspect, public, convert.
mod keys_cli;
/// The library's and the CLI's module graphs have no circles.
mod layers;
/// The workbench page of `acjwt serve`, in headless Chromium.
mod page;
/// PyJWT, node jose and openssl against acjwt, both ways, all four algorithms.
mod peers;
/// Property tests: round trips and parsers on generated input.
mod properties;
/// `acjwt serve`: the real server on a free port, over HTTP and raw sockets.
mod serve;
/// The human output of decode, verify and explain, as insta snapshots.
mod snapshots;
/// What reaches a terminal: token and key-file text escaped; messages, JSON shapes and flags.
mod terminal;
