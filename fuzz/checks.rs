//! The bodies of the fuzz targets, shared by `fuzz/fuzz_targets/*.rs` (libFuzzer, nightly
//! features) and `tests/fuzz_corpus.rs` (replays `fuzz/corpus/` under stable `cargo test`).
//!
//! Each function takes arbitrary bytes and must never panic: an `Err` is a fine answer, a panic
//! (including an arithmetic overflow, since fuzz and test builds check them) is a bug. Where an
//! input is accepted the functions also check the round trips that must hold for it.

use std::sync::LazyLock;

use acjwt::claims::{self, Rules};
use acjwt::jws::{MAX_TOKEN_LEN, Token};
use acjwt::keys::{Jwk, KeyFile, PublicKey, load_key_file};
use acjwt::matching::Matching;

/// An instant in 2027, so minted seed tokens are neither expired nor far off.
pub const NOW: i64 = 1_800_000_000;

/// The public keys the verify target checks against, one per algorithm. Their private halves
/// were used once to mint the seed tokens in `fuzz/corpus/token_verify/` and then discarded.
pub static KEYS: LazyLock<Vec<PublicKey>> = LazyLock::new(|| {
    [
        include_str!("keys/es256.pub.pem"),
        include_str!("keys/es384.pub.pem"),
        include_str!("keys/es512.pub.pem"),
        include_str!("keys/rs256.pub.pem"),
    ]
    .iter()
    .map(|pem| {
        load_key_file(pem.as_bytes())
            .and_then(|file| file.verification_key(None))
            .expect("fuzz key loads")
    })
    .collect()
});

/// `now` and `leeway` from the first bytes, so times near the edges of `i64` are explored.
fn rules_from(data: &[u8]) -> (Rules, &[u8]) {
    if data.len() < 9 {
        return (
            Rules {
                now: NOW,
                leeway: 0,
                altcraft: true,
            },
            data,
        );
    }
    let now = i64::from_le_bytes(data[..8].try_into().expect("8 bytes"));
    // The CLI's leeway comes from parse_duration: any non-negative i64.
    let leeway = i64::from(data[8]) * 1_000_000_000_000_000;
    (
        Rules {
            now,
            leeway,
            altcraft: data[8] & 1 == 0,
        },
        &data[9..],
    )
}

/// Token decode: parse, then everything `acjwt decode` computes from the claims.
pub fn token_decode(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    decode_text(text, NOW, 0);
    // The same text judged at an instant and leeway taken from the input.
    let (rules, rest) = rules_from(data);
    if let Ok(rest) = std::str::from_utf8(rest) {
        decode_text(rest, rules.now, rules.leeway);
    }
    // The payload JSON directly: base64 hides its structure from the fuzzer's mutations.
    for (now, leeway, json) in [(NOW, 0, data), (rules.now, rules.leeway, rest)] {
        // serde_json's own recursion limit (128) bounds the nesting.
        if let Ok(serde_json::Value::Object(claims)) = serde_json::from_slice(json) {
            check_claims(&claims, now, leeway);
        }
    }
}

fn decode_text(text: &str, now: i64, leeway: i64) {
    let token = match Token::parse(text) {
        Ok(token) => token,
        Err(err) => {
            let _ = err.to_string();
            return;
        }
    };
    assert!(text.len() <= MAX_TOKEN_LEN);
    let _ = token.alg();
    let _ = token.kid();
    let _ = token.algorithm();
    if let Ok(claims) = token.claims() {
        check_claims(&claims, now, leeway);
    }
}

/// What `decode` and `verify` compute from a payload, messages included.
fn check_claims(claims: &serde_json::Map<String, serde_json::Value>, now: i64, leeway: i64) {
    let rules = Rules {
        now,
        leeway,
        altcraft: true,
    };
    for violation in claims::check_claims(claims, &rules) {
        // Display does arithmetic on the times (how long ago, how far ahead).
        let _ = violation.to_string();
        let _ = violation.code();
    }
    for name in ["exp", "nbf", "iat"] {
        if let Some(Ok(at)) = claims.get(name).map(|v| claims::time_claim(name, v)) {
            let _ = claims::format_utc(at);
            let _ = claims::describe_expiry(at, now);
            let _ = claims::describe_relative(at, now);
        }
    }
    if let Some(matching) = claims.get("matching").and_then(|v| v.as_str()) {
        matching_text(matching);
    }
}

/// Token verify: a token checked against a key of every algorithm. Nothing the fuzzer makes
/// may verify, since it holds no private key.
pub fn token_verify(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(token) = Token::parse(text) else {
        return;
    };
    for key in KEYS.iter() {
        if let Ok(alg) = token.verify(key) {
            // Only the untouched seed tokens can get here; any change must have failed.
            assert_eq!(alg, key.algorithm());
            assert!(
                is_seed_token(text),
                "a token the fuzzer made verified with {alg}: {text}"
            );
        }
    }
}

/// The seed tokens are minted with the docs' claims and the iss "FuzzSeed"; the fuzzer cannot
/// make a new one without a private key, so a verified token must carry that exact payload.
fn is_seed_token(text: &str) -> bool {
    Token::parse(text)
        .ok()
        .and_then(|t| t.claims().ok())
        .is_some_and(|c| c.get("iss").and_then(|v| v.as_str()) == Some("FuzzSeed"))
}

/// Key loading from any bytes; a loaded key must survive encode → load unchanged.
pub fn key_load(data: &[u8]) {
    let file = match load_key_file(data) {
        Ok(file) => file,
        Err(err) => {
            let _ = err.to_string();
            return;
        }
    };
    let _ = file.describe();
    let _ = file.signing_kid();
    check_key_file(&file);
}

fn check_key_file(file: &KeyFile) {
    for loaded in &file.keys {
        let public = loaded.key.public_key();
        let _ = public.describe();
        let _ = acjwt::keys::jwk_thumbprint(&public);
        let reloaded = load_key_file(public.to_spki_pem().expect("SPKI encodes").as_bytes())
            .and_then(|f| f.verification_key(None))
            .expect("an encoded public key loads");
        assert_eq!(reloaded, public);
        let jwk = serde_json::to_string(&Jwk::from_public(&public)).expect("JWK serializes");
        let reloaded = load_key_file(jwk.as_bytes())
            .and_then(|f| f.verification_key(None))
            .expect("a public JWK loads");
        assert_eq!(reloaded, public);
    }
    if let Ok(private) = file.signing_key("fuzz") {
        let pem = private.to_pkcs8_pem().expect("PKCS#8 encodes");
        let reloaded = load_key_file(pem.as_bytes()).expect("an encoded private key loads");
        let again = reloaded.signing_key("fuzz").expect("still a private key");
        assert_eq!(again.public_key(), private.public_key());
        // The loaded key must sign, and its public half verify: a key that loads but cannot
        // sign is a bug that would surface at mint time.
        let signature = private.sign(b"fuzz").expect("a loaded key signs");
        private
            .public_key()
            .verify(b"fuzz", &signature)
            .expect("a key's own signature verifies");
    }
    for kid in [None, Some("")] {
        let _ = file.verification_key(kid);
    }
}

/// Matching parsing; an accepted object must serialize to text that parses to the same object.
pub fn matching_parse(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        matching_text(text);
    }
}

fn matching_text(text: &str) {
    let matching = match Matching::parse(text) {
        Ok(matching) => matching,
        Err(err) => {
            let _ = err.to_string();
            return;
        }
    };
    let _ = matching.warnings();
    let json = matching.to_json();
    let again = Matching::parse(&json).expect("serialized matching parses");
    assert_eq!(again, matching);
    assert_eq!(again.to_json(), json);
}

/// Duration and time parsing, at the fixed instant and at one taken from the input.
pub fn time_parse(data: &[u8]) {
    let (rules, rest) = rules_from(data);
    for (now, bytes) in [(NOW, data), (rules.now, rest)] {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if let Ok(seconds) = claims::parse_duration(text) {
            assert!(seconds >= 0, "a duration is never negative: {text:?}");
            let _ = claims::human_duration(seconds);
        }
        if let Ok(at) = claims::parse_time(text, now) {
            let _ = claims::format_utc(at);
            let _ = claims::describe_expiry(at, now);
            let _ = claims::describe_relative(at, now);
        }
    }
}

/// A fuzz target's body.
pub type Check = fn(&[u8]);

/// Every target by name, for the corpus replay test.
pub const TARGETS: [(&str, Check); 5] = [
    ("token_decode", token_decode),
    ("token_verify", token_verify),
    ("key_load", key_load),
    ("matching_parse", matching_parse),
    ("time_parse", time_parse),
];
