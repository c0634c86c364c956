//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) through the fuzz targets' own bodies
//! (`fuzz/checks.rs`) under stable `cargo test`, so every input the fuzzer kept, and every
//! crash it found (saved there as `crash-*`), stays a regression test without nightly or
//! libFuzzer.

use std::path::Path;

#[path = "../fuzz/checks.rs"]
mod checks;

#[test]
fn every_corpus_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (target, check) in checks::TARGETS {
        let dir = root.join(target);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
            .map(|entry| entry.expect("corpus entry").path())
            .collect();
        inputs.sort();
        // A corpus that vanished would make this test pass without checking anything.
        assert!(
            inputs.len() >= 3,
            "{} has only {} inputs",
            dir.display(),
            inputs.len()
        );
        for path in inputs {
            let data = std::fs::read(&path).expect("read corpus input");
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target} panicked on {}", path.display());
        }
    }
}

#[test]
fn seed_tokens_verify_with_their_key() {
    // The verify target's "nothing the fuzzer makes verifies" rule is meaningful only if the
    // untouched seeds do verify: check that they still do.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/token_verify");
    for (seed, key) in ["seed-es256", "seed-es384", "seed-es512", "seed-rs256"]
        .iter()
        .zip(checks::KEYS.iter())
    {
        let text = std::fs::read_to_string(dir.join(seed)).expect("seed token");
        let token = acjwt::jws::Token::parse(text.trim()).expect("seed parses");
        assert_eq!(token.verify(key), Ok(key.algorithm()), "{seed}");
    }
}
