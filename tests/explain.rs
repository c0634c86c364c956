//! `acjwt explain`: the report, its exit status and JSON, on tokens from acjwt and from PyJWT.
//! Every check's passing and failing cases are unit-tested in crates/acjwt/src/explain/; these tests run
//! the command on real tokens, including ones another library made wrong.

use crate::common;

use common::{EXAMPLE_MATCHING, TestEnv, python};
use predicates::prelude::*;
use serde_json::Value;

/// The Android SDK's user tag, computed in Python straight from the SDK source
/// (AuthManager.extractJWTDataHash, DataClasses.JWTMatching.asString): independent of acjwt.
const PY_ANDROID_TAG: &str = r#"
import sys, json, base64, hashlib
payload = sys.argv[1].split('.')[1]
claims = json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))
m = claims['matching']
m = json.loads(m) if isinstance(m, str) else m
parts = [m[k] for k in ('email', 'phone', 'profile_id', 'field_name') if m.get(k) and m[k].strip()]
if m.get('field_value') is not None:
    parts.append(str(m['field_value']))
parts += [m[k] for k in ('provider', 'subscription_id') if m.get(k) and m[k].strip()]
text = '{\n            "db_id": "%d",\n            "matching": "%s",\n            "matching_identifier": "%s"\n        }' % (m['db_id'], m['matching'], '/'.join(parts))
print(hashlib.sha256(text.encode()).hexdigest())
"#;

/// Signs claims (JSON in argv[1]) with PyJWT: argv[2] is the algorithm, argv[3] the key file or
/// an HMAC secret.
const PY_SIGN: &str = r#"
import sys, json, jwt, warnings
warnings.simplefilter("ignore")
key = sys.argv[3]
if not sys.argv[2].startswith("HS"):
    key = open(key).read()
print(jwt.encode(json.loads(sys.argv[1]), key, algorithm=sys.argv[2]))
"#;

fn explain_json(env: &TestEnv, args: &[&str]) -> (Value, i32) {
    let output = env
        .acjwt()
        .arg("explain")
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "no JSON: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (json, output.status.code().unwrap())
}

fn status_of<'a>(report: &'a Value, code: &str) -> &'a str {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == code)
        .unwrap_or_else(|| panic!("no check {code} in {report:#}"))["status"]
        .as_str()
        .unwrap()
}

/// `acjwt mint` with another matching object than TestEnv::mint's.
fn mint_matching(env: &TestEnv, key: &std::path::Path, matching: &str) -> String {
    let output = env
        .acjwt()
        .args(["mint", "--key"])
        .arg(key)
        .args([
            "--iss",
            "TestApp",
            "--rtoken",
            "rt-secret-123",
            "--matching",
            matching,
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

fn py_sign(env: &TestEnv, claims: &Value, alg: &str, key: &str) -> String {
    env.run_ok(python(), &["-c", PY_SIGN, &claims.to_string(), alg, key])
        .trim()
        .to_string()
}

#[test]
fn a_minted_token_passes_and_the_user_tag_matches_the_sdk_formula() {
    let env = TestEnv::new();
    let (private, public) = env.keygen("ES384", "k");
    let token = env.mint(&private, &[]);
    let (report, code) = explain_json(&env, &["--key", public.to_str().unwrap(), &token]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["ok"], true);
    assert_eq!(report["summary"]["fail"], 0);
    assert_eq!(status_of(&report, "signature"), "pass");
    assert_eq!(report["matching_mode"], "email_profile");
    let expected = env.run_ok(python(), &["-c", PY_ANDROID_TAG, &token]);
    assert_eq!(report["user_tag"], expected.trim());

    let output = env.acjwt().args(["explain", &token]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    for heading in ["JOSE", "Times", "Altcraft claims", "SDK view"] {
        assert!(text.contains(heading), "{text}");
    }
    assert!(
        text.contains("- signature       not checked: no key given"),
        "{text}"
    );
    assert!(text.contains("ok (as far as checked)"), "{text}");
    // The role token is a secret: never shown, in either form.
    assert!(!text.contains("rt-secret-123"));
    assert!(!report.to_string().contains("rt-secret-123"));
}

#[test]
fn custom_and_push_modes_match_the_sdk_formula() {
    let env = TestEnv::new();
    let (private, _) = env.keygen("ES256", "k");
    for matching in [
        r#"{"db_id":7,"field_name":"CRM_ID","field_value":42,"matching":"custom"}"#,
        r#"{"db_id":7,"matching":"push_sub","provider":"android-firebase","subscription_id":"tok"}"#,
        r#"{"db_id":7,"email":"a@example.com","matching":"email_phone","phone":"+79000000000"}"#,
    ] {
        let token = mint_matching(&env, &private, matching);
        let (report, code) = explain_json(&env, &[&token]);
        assert_eq!(code, 0, "{report:#}");
        let expected = env.run_ok(python(), &["-c", PY_ANDROID_TAG, &token]);
        assert_eq!(report["user_tag"], expected.trim(), "{matching}");
    }
}

#[test]
fn tokens_other_libraries_get_wrong_fail_with_fixes() {
    let env = TestEnv::new();
    let good = serde_json::json!({
        "iss": "App", "exp": 4_102_444_800i64, "rtoken": "rt", "matching": EXAMPLE_MATCHING,
    });

    let hs = py_sign(&env, &good, "HS256", "a-shared-secret-of-32-bytes-or-more!");
    env.acjwt()
        .args(["explain", &hs])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ alg"))
        .stdout(predicate::str::contains(
            "fix: the platform verifies with a registered public key",
        ));

    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let small = py_sign(&env, &good, "RS256", &format!("{data}/rsa1024.pem"));
    let (report, code) = explain_json(&env, &[&small]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&report, "key_strength"), "fail");
    let (report, _) = explain_json(&env, &["--key", &format!("{data}/rsa1024.pem"), &small]);
    assert_eq!(status_of(&report, "signature"), "pass");
    assert_eq!(status_of(&report, "key_strength"), "fail");

    let mut object = good.clone();
    object["matching"] = serde_json::from_str(EXAMPLE_MATCHING).unwrap();
    let (private, _) = env.keygen("ES256", "k");
    let token = py_sign(&env, &object, "ES256", private.to_str().unwrap());
    let (report, code) = explain_json(&env, &[&token]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&report, "matching"), "fail");
    assert_eq!(
        status_of(&report, "user_tag"),
        "pass",
        "Android reads an object"
    );

    let mut millis = good.clone();
    millis["exp"] = Value::from(4_102_444_800_000i64);
    let token = py_sign(&env, &millis, "ES256", private.to_str().unwrap());
    let (report, _) = explain_json(&env, &[&token]);
    assert_eq!(status_of(&report, "exp"), "fail");
    assert!(report.to_string().contains("milliseconds"));

    let mut text_db_id = good.clone();
    text_db_id["matching"] = Value::from(r#"{"db_id":"2","email":"a@b","matching":"email"}"#);
    let token = py_sign(&env, &text_db_id, "ES256", private.to_str().unwrap());
    let (report, _) = explain_json(&env, &[&token]);
    assert_eq!(status_of(&report, "db_id"), "fail");
    assert_eq!(status_of(&report, "mode"), "pass");
    assert_eq!(status_of(&report, "identifier"), "pass");
}

/// The human summary counts in words that agree: one warning is "1 warning".
#[test]
fn the_summary_says_1_warning() {
    let env = TestEnv::new();
    let (private, public) = env.keygen("ES384", "k");
    // A two-day token: lifetime_long is its one warning.
    let token = env.mint(&private, &["--ttl", "2d"]);
    env.acjwt()
        .args(["explain", "--key"])
        .arg(&public)
        .arg(&token)
        .assert()
        .success()
        .stdout(predicate::str::contains("with 1 warning\n"))
        .stdout(predicate::str::contains(" passed, 1 warning, 0 failed"));
}

/// A matching object with a bad db_id, a malformed email and a missing field: explain and
/// verify report all three, each under its member, none hiding another.
#[test]
fn every_bad_matching_member_is_reported() {
    let env = TestEnv::new();
    let key = acjwt::keys::PrivateKey::generate(acjwt::jws::Algorithm::Es256, 0).unwrap();
    let public = env.write("p.pem", key.public_key().to_spki_pem().unwrap());
    let claims = serde_json::json!({
        "iss": "App", "exp": 4_102_444_800i64, "rtoken": "rt",
        "matching": r#"{"db_id":"2","email":"nope","matching":"push_sub","provider":"ios-apns"}"#,
    });
    let token = common::forge(&serde_json::json!({"alg": "ES256"}), &claims, &key);
    let problems = [
        ("db_id", r#"found "2""#),
        (
            "identifier",
            r#"email "nope" does not look like an email address"#,
        ),
        (
            "identifier",
            "mode push_sub needs provider and subscription_id",
        ),
    ];

    let (report, code) = explain_json(&env, &["--key", public.to_str().unwrap(), &token]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(status_of(&report, "mode"), "pass", "{report:#}");
    for (check, text) in problems {
        assert_eq!(status_of(&report, check), "fail", "{report:#}");
        let message = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == check)
            .unwrap()["message"]
            .as_str()
            .unwrap();
        assert!(message.contains(text), "{check}: {message}");
    }

    let (exit, verdict) = env.verify_report(&public, &token, &[]);
    assert_eq!(exit, 1);
    assert_eq!(
        common::failure_codes(&verdict),
        ["matching_invalid"; 3],
        "{verdict:#}"
    );
    let failures = verdict["failures"].as_array().unwrap();
    for ((_, text), failure) in problems.iter().zip(failures) {
        let message = failure["message"].as_str().unwrap();
        assert!(message.contains(text), "{message}");
    }
}

#[test]
fn wrong_key_expired_and_malformed() {
    let env = TestEnv::new();
    let (private, _) = env.keygen("ES384", "a");
    let (_, other_public) = env.keygen("ES384", "b");
    let token = env.mint(&private, &["--ttl", "1h"]);
    let (report, code) = explain_json(&env, &["--key", other_public.to_str().unwrap(), &token]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&report, "signature"), "fail");

    let (report, code) = explain_json(&env, &["--at", "+2h", &token]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&report, "exp"), "fail");
    assert_eq!(status_of(&report, "lifetime"), "skip");

    let long = env.mint(&private, &["--ttl", "30d"]);
    let (report, code) = explain_json(&env, &[&long]);
    assert_eq!(code, 0, "a warning is not a failure");
    assert_eq!(status_of(&report, "lifetime"), "warn");

    env.acjwt()
        .args(["explain", "not-a-token"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ format"));
    // From stdin, with the header prefix people paste.
    env.acjwt()
        .arg("explain")
        .write_stdin(format!("Authorization: Bearer {token}\n"))
        .assert()
        .success();
}

#[test]
fn two_tokens_same_user_or_not() {
    let env = TestEnv::new();
    let (private, _) = env.keygen("ES256", "k");
    let a = env.mint(&private, &["--ttl", "1h"]);
    let b = env.mint(&private, &["--ttl", "2h"]);
    let (report, code) = explain_json(&env, &[&a, &b]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["comparison"][0]["name"], "same_user");
    assert_eq!(report["comparison"][0]["status"], "pass");
    assert_eq!(report["tokens"].as_array().unwrap().len(), 2);

    let c = mint_matching(
        &env,
        &private,
        r#"{"db_id":2,"email":"someone@else","matching":"email_profile"}"#,
    );
    env.acjwt()
        .args(["explain", &a, &c])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Token A"))
        .stdout(predicate::str::contains("Token B"))
        .stdout(predicate::str::contains("✗ same_user"))
        .stdout(predicate::str::contains("someone@else"));
    env.acjwt().args(["explain", "-", "-"]).assert().code(2);
}

/// `--sdk-error` answers the other way round: which token problems cause an SDK error, with
/// the check and codes that show each; every code it names is one the rule engine has.
#[test]
fn sdk_error_lists_causes_and_their_checks() {
    let env = TestEnv::new();
    env.acjwt()
        .args(["explain", "--sdk-error", "542"])
        .assert()
        .success()
        .stdout(predicate::str::contains("SDK error 542"))
        .stdout(predicate::str::contains(
            "payload_size check (payload_too_large)",
        ));
    for code in 540..=545 {
        let (report, exit) = explain_json(&env, &["--sdk-error", &code.to_string()]);
        assert_eq!(exit, 0, "{report}");
        assert_eq!(report["code"], code);
        let causes = report["causes"].as_array().unwrap();
        assert!(!causes.is_empty(), "{report}");
        for cause in causes {
            for finding in cause["codes"].as_array().unwrap() {
                let finding = finding.as_str().unwrap();
                assert!(
                    acjwt::rules::Code::ALL
                        .iter()
                        .any(|c| c.as_str() == finding),
                    "{finding}"
                );
            }
        }
    }
    env.acjwt()
        .args(["explain", "--sdk-error", "546"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("540 to 545"));
    env.acjwt()
        .args(["explain", "--sdk-error", "542", "x.y.z"])
        .assert()
        .code(2);
}
