//! The human output of decode, verify and explain for a few tokens, as insta snapshots in
//! `tests/snapshots/`: a change of wording or layout shows as a reviewable diff
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test --test tests snapshots`).
//!
//! Times are judged `--at` a fixed instant and nothing printed depends on the key's bytes, so
//! the output is the same on every run.

use acjwt::jws::Algorithm;
use acjwt::keys::PrivateKey;
use serde_json::{Value, json};

use crate::common::{EXAMPLE_MATCHING, TestEnv, forge};

const NOW: &str = "1800000000";

/// A token acjwt would mint, and one that gets several things wrong.
fn tokens(env: &TestEnv) -> (String, String) {
    let key = PrivateKey::generate(Algorithm::Es384, 0).unwrap();
    env.write("public.pem", key.public_key().to_spki_pem().unwrap());
    let good = json!({"iss": "MyApp", "exp": 1_800_003_600, "rtoken": "rt-secret-123",
                      "matching": EXAMPLE_MATCHING});
    let bad = json!({"iss": "MyApp", "exp": 1_800_000_000_000_i64, "rtoken": "rt-secret-123",
                     "aud": "x", "iat": 1_800_000_060,
                     "matching": serde_json::from_str::<Value>(r#"{"db_id":"2","email":"a@b.c","matching":"email_profile"}"#).unwrap()});
    (
        forge(&json!({"alg": "ES384", "typ": "JWT"}), &good, &key),
        forge(
            &json!({"alg": "ES384", "typ": "at+jwt", "x5u": "u"}),
            &bad,
            &key,
        ),
    )
}

/// stdout and stderr of one run, with its exit status, as one text.
fn run(env: &TestEnv, args: &[&str]) -> String {
    let output = env.acjwt().args(args).output().unwrap();
    let text = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !text.contains("rt-secret-123") || args[0] == "decode",
        "{text}"
    );
    text
}

#[test]
fn decode_output() {
    let env = TestEnv::new();
    let (good, bad) = tokens(&env);
    insta::assert_snapshot!("decode_good", run(&env, &["decode", "--at", NOW, &good]));
    insta::assert_snapshot!("decode_bad", run(&env, &["decode", "--at", NOW, &bad]));
}

#[test]
fn verify_output() {
    let env = TestEnv::new();
    let (good, bad) = tokens(&env);
    let verify = |token| run(&env, &["verify", "--key", "public.pem", "--at", NOW, token]);
    insta::assert_snapshot!("verify_good", verify(&good));
    insta::assert_snapshot!("verify_bad", verify(&bad));
}

#[test]
fn explain_output() {
    let env = TestEnv::new();
    let (good, bad) = tokens(&env);
    insta::assert_snapshot!(
        "explain_good_with_key",
        run(
            &env,
            &["explain", "--key", "public.pem", "--at", NOW, &good]
        )
    );
    insta::assert_snapshot!(
        "explain_bad_without_key",
        run(&env, &["explain", "--at", NOW, &bad])
    );
    insta::assert_snapshot!(
        "explain_sdk_error_541",
        run(&env, &["explain", "--sdk-error", "541"])
    );
}
