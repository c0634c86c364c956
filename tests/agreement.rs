//! verify, decode and explain give one verdict with the same codes: over a corpus with a token
//! for every failure code the README lists, every warning code, and the tokens the commands
//! used to disagree on, all run through the binary with the same key and instant:
//!
//! - verify and explain agree on valid or invalid and on the exit status;
//! - the codes of explain's failing checks are verify's failure codes, and the codes of its
//!   warning checks are among verify's warning codes;
//! - decode's warning codes include every failure and warning code that needs no key.
//!
//! Each case also pins verify's codes, so the corpus provably covers them.

use std::collections::BTreeSet;
use std::path::PathBuf;

use acjwt::jws::Algorithm;
use acjwt::keys::{Jwk, PrivateKey};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::common::{self, EXAMPLE_MATCHING, TestEnv, failure_codes, forge};

const NOW: i64 = 1_800_000_000;

struct Case {
    name: &'static str,
    token: String,
    key: PathBuf,
    /// verify's failure codes, in order; empty for a valid token.
    codes: &'static [&'static str],
    /// verify's warning codes, in order.
    warnings: &'static [&'static str],
}

impl Case {
    fn warns(mut self, warnings: &'static [&'static str]) -> Case {
        self.warnings = warnings;
        self
    }
}

/// The codes only a key can give: decode, which has none, cannot report them.
const KEY_CODES: [&str; 7] = [
    "bad_signature",
    "alg_mismatch",
    "kid_not_found",
    "kid_required",
    "kid_ambiguous",
    "key_unsupported",
    "key_not_accepted",
];

fn claims() -> Value {
    json!({"iss": "App", "exp": NOW + 3600, "rtoken": "rt-secret-123", "matching": EXAMPLE_MATCHING})
}

fn with(change: impl FnOnce(&mut Value)) -> Value {
    let mut value = claims();
    change(&mut value);
    value
}

fn jwks(env: &TestEnv, name: &str, members: &[Value]) -> PathBuf {
    env.write(name, json!({ "keys": members }).to_string())
}

fn jwk(key: &PrivateKey, kid: &str) -> Value {
    let mut jwk = Jwk::from_public(&key.public_key());
    jwk.kid = Some(kid.into());
    serde_json::to_value(jwk).unwrap()
}

fn corpus(env: &TestEnv) -> Vec<Case> {
    let es256 = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
    let other = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
    let public = env.write("es256.pub.pem", es256.public_key().to_spki_pem().unwrap());
    let header = json!({"alg": "ES256", "typ": "JWT"});
    let kid = |kid: &str| json!({"alg": "ES256", "typ": "JWT", "kid": kid});
    let two = jwks(env, "two.json", &[jwk(&es256, "k1"), jwk(&other, "k2")]);
    let twins = jwks(env, "twins.json", &[jwk(&es256, "dup"), jwk(&other, "dup")]);
    let mixed = jwks(
        env,
        "mixed.json",
        &[
            jwk(&es256, "k1"),
            json!({"kty": "OKP", "crv": "Ed25519", "kid": "ed",
                   "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}),
        ],
    );
    // acjwt refuses to sign with a 1024-bit key; openssl does not.
    let rsa1024 = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rsa1024.pem");
    env.run_ok(
        common::openssl(),
        &["pkey", "-in", rsa1024, "-pubout", "-out", "rsa1024.pub.pem"],
    );
    let rsa1024_public = env.path("rsa1024.pub.pem");
    let rsa_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims().to_string())
    );
    env.write("rsa-input", &rsa_input);
    env.run_ok(
        common::openssl(),
        &[
            "dgst",
            "-sha256",
            "-sign",
            rsa1024,
            "-out",
            "rsa-sig",
            "rsa-input",
        ],
    );
    let rsa_token = format!(
        "{rsa_input}.{}",
        URL_SAFE_NO_PAD.encode(std::fs::read(env.path("rsa-sig")).unwrap())
    );

    let sign = |header: &Value, claims: &Value| forge(header, claims, &es256);
    let tampered = {
        let token = sign(&header, &claims());
        let (input, signature) = token.rsplit_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
        bytes[10] ^= 1;
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(bytes))
    };
    let raw = |header: &str, payload: &str| {
        acjwt::hazmat::sign_unchecked(header, payload.as_bytes(), |input| es256.sign(input))
            .unwrap()
    };
    let payload = claims().to_string();
    let twice_exp = payload.replacen('{', &format!("{{\"exp\":{},", NOW + 60), 1);
    let case = |name, token, key: &PathBuf, codes| Case {
        name,
        token,
        key: key.clone(),
        codes,
        warnings: &[],
    };
    let matching = |json: &str| with(|c| c["matching"] = json!(json));
    vec![
        case(
            "duplicate_member in the header",
            raw(r#"{"alg":"ES256","alg":"ES256"}"#, &payload),
            &public,
            &["duplicate_member"],
        ),
        case(
            "duplicate_member in the payload",
            raw(r#"{"alg":"ES256"}"#, &twice_exp),
            &public,
            &["duplicate_member"],
        ),
        case("valid", sign(&header, &claims()), &public, &[]),
        case(
            "valid with iat",
            sign(&header, &with(|c| c["iat"] = json!(NOW - 5))),
            &public,
            &[],
        ),
        case("valid from a JWKS", sign(&kid("k1"), &claims()), &two, &[]),
        case("malformed", "not.a-token".into(), &public, &["malformed"]),
        case(
            "alg_not_allowed",
            sign(&json!({"alg": "HS256"}), &claims()),
            &public,
            &["alg_not_allowed"],
        ),
        case(
            "alg_mismatch",
            sign(&json!({"alg": "ES384"}), &claims()),
            &public,
            &["alg_mismatch"],
        ),
        case(
            "crit_unsupported",
            sign(&json!({"alg": "ES256", "crit": ["exp"]}), &claims()),
            &public,
            &["crit_unsupported"],
        ),
        case("bad_signature", tampered, &public, &["bad_signature"]),
        case(
            "kid_not_found",
            sign(&kid("zz"), &claims()),
            &two,
            &["kid_not_found"],
        ),
        case(
            "kid_required",
            sign(&header, &claims()),
            &two,
            &["kid_required"],
        ),
        case(
            "kid_ambiguous",
            sign(&kid("dup"), &claims()),
            &twins,
            &["kid_ambiguous"],
        ),
        case(
            "key_unsupported",
            sign(&kid("ed"), &claims()),
            &mixed,
            &["key_unsupported"],
        ),
        case(
            "exp_missing",
            sign(
                &header,
                &with(|c| drop(c.as_object_mut().unwrap().remove("exp"))),
            ),
            &public,
            &["exp_missing"],
        ),
        case(
            "time_not_integer",
            sign(&header, &with(|c| c["exp"] = json!("soon"))),
            &public,
            &["time_not_integer"],
        ),
        case(
            "time_out_of_range",
            sign(&header, &with(|c| c["exp"] = json!(1u64 << 63))),
            &public,
            &["time_out_of_range"],
        ),
        case(
            "time_in_milliseconds",
            sign(&header, &with(|c| c["exp"] = json!(NOW * 1000))),
            &public,
            &["time_in_milliseconds"],
        ),
        case(
            "nbf before 1970",
            sign(&header, &with(|c| c["nbf"] = json!(-1))),
            &public,
            &["time_before_epoch"],
        ),
        case(
            "iat before 1970",
            sign(&header, &with(|c| c["iat"] = json!(-1))),
            &public,
            &["time_before_epoch"],
        ),
        case(
            "expired",
            sign(&header, &with(|c| c["exp"] = json!(NOW - 10))),
            &public,
            &["expired"],
        ),
        case(
            "not_yet_valid",
            sign(&header, &with(|c| c["nbf"] = json!(NOW + 600))),
            &public,
            &["not_yet_valid"],
        ),
        case(
            "iat 29 s ahead",
            sign(&header, &with(|c| c["iat"] = json!(NOW + 29))),
            &public,
            &["iat_in_future"],
        ),
        case(
            "claim_missing",
            sign(
                &header,
                &with(|c| drop(c.as_object_mut().unwrap().remove("iss"))),
            ),
            &public,
            &["claim_missing"],
        ),
        case(
            "claim_not_string",
            sign(&header, &with(|c| c["rtoken"] = json!(5))),
            &public,
            &["claim_not_string"],
        ),
        case(
            "claim_empty",
            sign(&header, &with(|c| c["iss"] = json!(""))),
            &public,
            &["claim_empty"],
        ),
        case(
            "matching_is_object",
            sign(
                &header,
                &with(|c| c["matching"] = serde_json::from_str(EXAMPLE_MATCHING).unwrap()),
            ),
            &public,
            &["matching_is_object"],
        ),
        case(
            "matching_invalid",
            sign(
                &header,
                &with(|c| c["matching"] = json!(r#"{"matching":"email","email":"a@b.c"}"#)),
            ),
            &public,
            &["matching_invalid"],
        )
        .warns(&["user_tag_unavailable"]),
        case(
            "17 KB payload",
            sign(&header, &with(|c| c["iss"] = json!("A".repeat(17_000)))),
            &public,
            &["payload_too_large"],
        ),
        case(
            "RSA 1024",
            rsa_token,
            &rsa1024_public,
            &["key_not_accepted"],
        ),
        // Both at once: verify and explain judge the size even of a payload that is no JSON.
        case(
            "17 KB payload that is no JSON object",
            raw(r#"{"alg":"ES256"}"#, &"[1]".repeat(6_000)),
            &public,
            &["payload_too_large", "malformed"],
        ),
        // Rules that only explain had before: codes and severities of their own now.
        case(
            "typ_not_jwt",
            sign(&json!({"alg": "ES256", "typ": "at+jwt"}), &claims()),
            &public,
            &[],
        )
        .warns(&["typ_not_jwt"]),
        case(
            "header_member_unused",
            sign(&json!({"alg": "ES256", "x5u": "https://x"}), &claims()),
            &public,
            &[],
        )
        .warns(&["header_member_unused"]),
        case(
            "claim_unused",
            sign(&header, &with(|c| c["aud"] = json!("x"))),
            &public,
            &[],
        )
        .warns(&["claim_unused"]),
        case(
            "matching_warning",
            sign(
                &header,
                &matching(r#"{"db_id":2,"email":"a@b.c","matching":"email","crm":"1"}"#),
            ),
            &public,
            &[],
        )
        .warns(&["matching_warning"]),
        case(
            "lifetime_long",
            sign(&header, &with(|c| c["exp"] = json!(NOW + 30 * 86_400))),
            &public,
            &[],
        )
        .warns(&["lifetime_long"]),
        case(
            "lifetime_short",
            sign(&header, &with(|c| c["exp"] = json!(NOW + 30))),
            &public,
            &[],
        )
        .warns(&["lifetime_short"]),
        case(
            "iat after exp",
            sign(&header, &with(|c| c["iat"] = json!(NOW + 7200))),
            &public,
            &["iat_in_future"],
        )
        .warns(&["time_after_exp"]),
        case(
            "no mode",
            sign(&header, &matching(r#"{"db_id":2,"email":"a@b.c"}"#)),
            &public,
            &["matching_invalid"],
        )
        .warns(&["matching_mode_missing", "user_tag_unavailable"]),
        case(
            "no identifier",
            sign(&header, &matching(r#"{"db_id":2,"matching":"email"}"#)),
            &public,
            &["matching_invalid"],
        )
        .warns(&["user_tag_unavailable"]),
        // A bad db_id does not hide a bad mode: two findings, one code.
        case(
            "bad db_id and mode",
            sign(
                &header,
                &matching(r#"{"db_id":"2","email":"a@b.c","matching":"bogus"}"#),
            ),
            &public,
            &["matching_invalid", "matching_invalid"],
        )
        .warns(&["user_tag_unavailable"]),
        // Every member problem at once, none standing in for another: three findings.
        case(
            "bad db_id, malformed email, missing field",
            sign(
                &header,
                &matching(r#"{"db_id":0,"email":"nope","matching":"phone"}"#),
            ),
            &public,
            &["matching_invalid", "matching_invalid", "matching_invalid"],
        ),
    ]
}

fn codes<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    list[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {list}"))
        .iter()
        .map(|item| item["code"].as_str().expect("code"))
        .collect()
}

/// The codes of explain's checks that came out `status`.
fn check_codes<'a>(report: &'a Value, status: &str) -> Vec<&'a str> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|check| check["status"] == status)
        .map(|check| {
            check["code"]
                .as_str()
                .unwrap_or_else(|| panic!("a {status} check without a code: {check}"))
        })
        .collect()
}

fn set<'a>(codes: &[&'a str]) -> BTreeSet<&'a str> {
    codes.iter().copied().collect()
}

#[test]
fn verify_decode_and_explain_give_one_verdict_and_the_same_codes() {
    let env = TestEnv::new();
    let at = NOW.to_string();
    for case in corpus(&env) {
        let (verify_exit, report) = env.verify_report(&case.key, &case.token, &["--at", &at]);
        assert_eq!(
            failure_codes(&report),
            case.codes,
            "{}: {report:#}",
            case.name
        );
        assert_eq!(
            codes(&report, "warnings"),
            case.warnings,
            "{}: {report:#}",
            case.name
        );
        assert_eq!(
            verify_exit,
            if case.codes.is_empty() { 0 } else { 1 },
            "{}",
            case.name
        );

        let output = env
            .acjwt()
            .args(["explain", "--json", "--at", &at, "--key"])
            .arg(&case.key)
            .arg(&case.token)
            .output()
            .unwrap();
        let explained: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
            panic!("{}: no JSON from explain ({err}): {output:?}", case.name)
        });
        // No finding quotes the role token, whatever is wrong with the token.
        assert!(
            !String::from_utf8_lossy(&output.stdout).contains("rt-secret-123")
                && !report.to_string().contains("rt-secret-123"),
            "{}: the rtoken is shown",
            case.name
        );
        let failed = check_codes(&explained, "fail");
        assert_eq!(
            output.status.code(),
            Some(verify_exit),
            "{}: verify says {:?}, explain fails {failed:?}",
            case.name,
            case.codes
        );
        assert_eq!(
            explained["ok"], report["valid"],
            "{}: {failed:?}",
            case.name
        );
        assert_eq!(
            set(&failed),
            set(case.codes),
            "{}: explain's failing checks: {explained:#}",
            case.name
        );
        let warned = check_codes(&explained, "warn");
        assert!(
            set(&warned).is_subset(&set(case.warnings)),
            "{}: explain warns {warned:?}, verify {:?}",
            case.name,
            case.warnings
        );
        // A warning explain does not show is one on a check that an error decided.
        for warning in case.warnings {
            assert!(
                warned.contains(warning) || !failed.is_empty(),
                "{}: verify warns {warning}, explain does not: {explained:#}",
                case.name
            );
        }

        let output = env
            .acjwt()
            .args(["decode", "--json", "--at", &at])
            .arg(&case.token)
            .output()
            .unwrap();
        // decode has nothing to show of a malformed token: it exits 1 with the reason.
        if case.codes.contains(&"malformed") {
            assert_eq!(output.status.code(), Some(1), "{}", case.name);
            continue;
        }
        let decoded: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|err| panic!("{}: no JSON from decode ({err}): {output:?}", case.name));
        let decode_codes = set(&codes(&decoded, "warnings"));
        for code in case.codes.iter().chain(case.warnings) {
            if !KEY_CODES.contains(code) {
                assert!(
                    decode_codes.contains(code),
                    "{}: decode lacks {code}: {decoded:#}",
                    case.name
                );
            }
        }
    }
}

/// Without a key, explain and decode judge what the signature's length tells, with the codes
/// verify gives when it has the key: a DER-encoded ECDSA signature is `bad_signature`.
#[test]
fn the_signature_shape_without_a_key_has_verifys_code() {
    let env = TestEnv::new();
    let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
    let public = env.write("p.pem", key.public_key().to_spki_pem().unwrap());
    let token = forge(&json!({"alg": "ES256"}), &claims(), &key);
    let (input, signature) = token.rsplit_once('.').unwrap();
    let raw = URL_SAFE_NO_PAD.decode(signature).unwrap();
    let der = format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(common::der_from_raw(&raw))
    );
    let at = NOW.to_string();
    let (_, report) = env.verify_report(&public, &der, &["--at", &at]);
    assert_eq!(failure_codes(&report), ["bad_signature"]);
    let output = env
        .acjwt()
        .args(["explain", "--json", "--at", &at, &der])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let explained: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(check_codes(&explained, "fail"), ["bad_signature"]);
    let output = env
        .acjwt()
        .args(["decode", "--json", "--at", &at, &der])
        .output()
        .unwrap();
    let decoded: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(codes(&decoded, "warnings"), ["bad_signature"]);
}

/// Each finding says what the SDKs do with such a token, from the SDKs' sources.
#[test]
fn findings_say_what_the_sdks_do() {
    let env = TestEnv::new();
    let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
    let at = NOW.to_string();
    let header = json!({"alg": "ES256"});
    let cases = [
        (
            with(|c| c["iss"] = json!("A".repeat(17_000))),
            "payload_size",
            json!([{"sdk": "android", "error": 542}]),
        ),
        (
            with(|c| c["matching"] = serde_json::from_str(EXAMPLE_MATCHING).unwrap()),
            "matching",
            json!([{"sdk": "ios", "error": 541}]),
        ),
        (
            with(|c| c["matching"] = json!(r#"{"db_id":2,"matching":"email"}"#)),
            "user_tag",
            json!([{"sdk": "android", "error": 545}]),
        ),
    ];
    for (claims, check, sdk) in cases {
        let token = forge(&header, &claims, &key);
        let output = env
            .acjwt()
            .args(["explain", "--json", "--at", &at, &token])
            .output()
            .unwrap();
        let explained: Value = serde_json::from_slice(&output.stdout).unwrap();
        let line = explained["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == check)
            .unwrap();
        assert_eq!(line["sdk"], sdk, "{line}");
    }
}

/// `--at` and `--leeway` are one flag group: the three commands judge a token that expired 30
/// seconds ago alike, failing it without leeway and passing it with a minute. explain takes
/// the key from ACJWT_VERIFY_KEY, as verify does.
#[test]
fn the_clock_flags_mean_the_same_in_verify_decode_and_explain() {
    let env = TestEnv::new();
    let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
    let public = env.write("clock.pub.pem", key.public_key().to_spki_pem().unwrap());
    let token = forge(
        &json!({"alg": "ES256", "typ": "JWT"}),
        &with(|c| c["exp"] = json!(NOW - 30)),
        &key,
    );
    let at = NOW.to_string();
    for (leeway, valid) in [("0s", false), ("1m", true)] {
        let verify = env
            .acjwt()
            .args(["verify", "--json", "--at", &at, "--leeway", leeway, &token])
            .env("ACJWT_VERIFY_KEY", &public)
            .output()
            .unwrap();
        let verdict: Value = serde_json::from_slice(&verify.stdout).unwrap();
        assert_eq!(
            verdict["valid"], valid,
            "verify --leeway {leeway}: {verdict:#}"
        );

        let explain = env
            .acjwt()
            .args(["explain", "--json", "--at", &at, "--leeway", leeway, &token])
            .env("ACJWT_VERIFY_KEY", &public)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&explain.stdout).unwrap();
        assert_eq!(report["ok"], valid, "explain --leeway {leeway}: {report:#}");
        assert_eq!(explain.status.code(), verify.status.code());
        // The key was read from the environment: the signature was judged, not skipped.
        let signature = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "signature")
            .unwrap();
        assert_eq!(signature["status"], "pass", "{report:#}");

        let decode = env
            .acjwt()
            .args(["decode", "--json", "--at", &at, "--leeway", leeway, &token])
            .output()
            .unwrap();
        assert!(decode.status.success());
        let decoded: Value = serde_json::from_slice(&decode.stdout).unwrap();
        assert_eq!(
            codes(&decoded, "warnings").contains(&"expired"),
            !valid,
            "decode --leeway {leeway}: {decoded:#}"
        );
    }
}
