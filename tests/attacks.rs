//! The attack catalogue: forged and malformed tokens `acjwt verify` must reject.
//!
//! Each test forges one token and asserts that `acjwt verify` exits 1, that `--json` reports
//! exactly the expected failure code (so a token broken in one way fails for that reason, not
//! by accident), and that the human report names the reason. Keys come from `openssl genpkey`;
//! tokens are signed by hand through `acjwt::hazmat::sign_unchecked` with `acjwt::keys::PrivateKey`,
//! so a header or payload can say anything, and HS256 is made with python's `hmac`.

use crate::common;

use std::path::PathBuf;

use acjwt::keys::{Jwk, PrivateKey, load_key_file};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{ALGORITHMS, TestEnv, der_from_raw, failure_codes, forge, python};
use serde_json::{Value, json};

/// The instant every test judges times at.
const NOW: i64 = 1_800_000_000;

/// A key pair made by openssl: the private key loaded into acjwt's library for forging, the
/// SPKI file for `acjwt verify --key`.
struct Pair {
    alg: &'static str,
    private: PrivateKey,
    public_pem: PathBuf,
}

fn pair(env: &TestEnv, alg: &'static str) -> Pair {
    let (private_path, public_pem) = env.openssl_keypair(alg, &alg.to_lowercase());
    let file = load_key_file(&std::fs::read(private_path).unwrap()).unwrap();
    let private = file.signing_key("forging").unwrap().clone();
    assert_eq!(private.algorithm().name(), alg);
    Pair {
        alg,
        private,
        public_pem,
    }
}

/// Claims a valid Altcraft token carries, an hour before exp.
fn good_claims() -> Value {
    json!({
        "iss": "TestApp",
        "exp": NOW + 3600,
        "rtoken": "rt-secret-123",
        "matching": common::EXAMPLE_MATCHING,
    })
}

fn header(alg: &str) -> Value {
    json!({"alg": alg, "typ": "JWT"})
}

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Replaces the third part of a token.
fn with_signature(token: &str, signature: &str) -> String {
    let (signing_input, _) = token.rsplit_once('.').unwrap();
    format!("{signing_input}.{signature}")
}

fn signature_bytes(token: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(token.rsplit_once('.').unwrap().1)
        .unwrap()
}

/// Asserts `acjwt verify` rejects `token` with exactly `codes`, and that the human report
/// names the first code and contains `reason`.
fn assert_rejected(
    env: &TestEnv,
    key: &std::path::Path,
    token: &str,
    codes: &[&str],
    reason: &str,
) {
    let at = NOW.to_string();
    let (code, report) = env.verify_report(key, token, &["--at", &at]);
    assert_eq!(code, 1, "verify must exit 1: {report:#}");
    assert_eq!(report["valid"], false);
    assert_eq!(failure_codes(&report), codes, "{report:#}");

    let output = env
        .acjwt()
        .args(["verify", "--at", &at, "--key"])
        .arg(key)
        .arg(token)
        .output()
        .expect("run acjwt verify");
    assert_eq!(output.status.code(), Some(1));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("invalid"), "{text}");
    assert!(text.contains(codes[0]), "report names {}: {text}", codes[0]);
    assert!(text.contains(reason), "report says {reason:?}: {text}");
}

/// The forging itself is sound: an honest token made the same way verifies. Without this, a
/// rejection below could come from a broken forge rather than from the attack.
#[test]
fn honest_forged_tokens_verify() {
    let env = TestEnv::new();
    for alg in ALGORITHMS {
        let pair = pair(&env, alg);
        let token = forge(&header(alg), &good_claims(), &pair.private);
        let (code, report) =
            env.verify_report(&pair.public_pem, &token, &["--at", &NOW.to_string()]);
        assert_eq!(code, 0, "{alg}: {report:#}");
    }
}

#[test]
fn alg_none_is_rejected() {
    let env = TestEnv::new();
    let pair = pair(&env, "ES384");
    for alg in ["none", "None", "NONE"] {
        let unsigned = format!(
            "{}.{}.",
            b64(header(alg).to_string()),
            b64(good_claims().to_string())
        );
        assert_rejected(
            &env,
            &pair.public_pem,
            &unsigned,
            &["alg_not_allowed"],
            &format!("alg \"{alg}\" is not allowed"),
        );
    }
}

/// The classic confusion: a verifier that lets the header pick HMAC and then uses the public
/// key file's bytes as the secret would accept this token.
#[test]
fn hs256_keyed_with_the_public_key_is_rejected() {
    const HMAC: &str = r#"
import base64, hmac, hashlib, json, sys
key = open(sys.argv[1], "rb").read()
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
payload = b64(sys.argv[2].encode())
mac = hmac.new(key, (header + "." + payload).encode(), hashlib.sha256).digest()
print(header + "." + payload + "." + b64(mac))
"#;
    let env = TestEnv::new();
    for alg in ["ES384", "RS256"] {
        let pair = pair(&env, alg);
        let key = pair.public_pem.to_str().unwrap();
        let token = env.run_ok(python(), &["-c", HMAC, key, &good_claims().to_string()]);
        assert_rejected(
            &env,
            &pair.public_pem,
            token.trim(),
            &["alg_not_allowed"],
            "alg \"HS256\" is not allowed",
        );
    }
}

/// Every header alg that differs from the key's: ES256 on a P-384 key, RS256 on EC keys,
/// ES* on an RSA key. The signature is a real one by the key.
#[test]
fn header_alg_that_disagrees_with_the_key_is_rejected() {
    let env = TestEnv::new();
    let pairs: Vec<Pair> = ALGORITHMS.iter().map(|alg| pair(&env, alg)).collect();
    let mut cases = 0;
    for pair in &pairs {
        for header_alg in ALGORITHMS.iter().filter(|alg| **alg != pair.alg) {
            let token = forge(&header(header_alg), &good_claims(), &pair.private);
            assert_rejected(
                &env,
                &pair.public_pem,
                &token,
                &["alg_mismatch"],
                &format!(
                    "header alg {header_alg} does not match the key, which is for {}",
                    pair.alg
                ),
            );
            cases += 1;
        }
    }
    assert_eq!(cases, 12);
}

#[test]
fn der_encoded_ecdsa_signature_is_rejected() {
    let env = TestEnv::new();
    for alg in ["ES256", "ES384", "ES512"] {
        let pair = pair(&env, alg);
        let token = forge(&header(alg), &good_claims(), &pair.private);
        let der = der_from_raw(&signature_bytes(&token));
        assert_rejected(
            &env,
            &pair.public_pem,
            &with_signature(&token, &b64(der)),
            &["bad_signature"],
            "DER-encoded? JWS needs r||s",
        );
    }
}

/// Truncated, empty, over-long and non-base64url signatures, for every algorithm.
#[test]
fn mangled_signatures_are_rejected() {
    let env = TestEnv::new();
    for alg in ALGORITHMS {
        let pair = pair(&env, alg);
        let token = forge(&header(alg), &good_claims(), &pair.private);
        let signature = signature_bytes(&token);
        let length_reason = if alg == "RS256" {
            "RSA signature length differs from the modulus length"
        } else {
            "ECDSA signature has the wrong length"
        };
        let truncated = b64(&signature[..signature.len() - 1]);
        let over_long = b64([&signature[..], &[0]].concat());
        for mangled in [truncated, String::new(), over_long] {
            assert_rejected(
                &env,
                &pair.public_pem,
                &with_signature(&token, &mangled),
                &["bad_signature"],
                length_reason,
            );
        }
        // Standard base64 with '+' and '/', or padded: not the unpadded base64url JWS uses.
        let standard = base64::engine::general_purpose::STANDARD.encode(&signature);
        let not_base64url = [
            format!(
                "{standard}{}",
                if standard.ends_with('=') { "" } else { "=" }
            ),
            format!("+/{}", &b64(&signature)[2..]),
            format!("{}*", b64(&signature)),
        ];
        for mangled in not_base64url {
            assert_rejected(
                &env,
                &pair.public_pem,
                &with_signature(&token, &mangled),
                &["malformed"],
                "token signature is not valid base64url",
            );
        }
    }
}

/// A payload changed after signing (a longer exp, another profile) keeps the old signature.
#[test]
fn changed_payload_is_rejected() {
    let env = TestEnv::new();
    for alg in ALGORITHMS {
        let pair = pair(&env, alg);
        let token = forge(&header(alg), &good_claims(), &pair.private);
        let mut changed = good_claims();
        changed["exp"] = json!(NOW + 365 * 86_400);
        changed["matching"] =
            json!(r#"{"db_id":2,"email":"victim@localhost","matching":"email_profile"}"#);
        let parts: Vec<&str> = token.split('.').collect();
        let tampered = format!("{}.{}.{}", parts[0], b64(changed.to_string()), parts[2]);
        assert_rejected(
            &env,
            &pair.public_pem,
            &tampered,
            &["bad_signature"],
            "not made by this key over this header and payload",
        );
    }
}

/// RFC 7515 §4.1.11: a recipient must reject a token whose `crit` names an extension it does
/// not understand. The token is otherwise valid and correctly signed.
#[test]
fn crit_header_is_rejected() {
    let env = TestEnv::new();
    let pair = pair(&env, "ES384");
    let header =
        json!({"alg": "ES384", "typ": "JWT", "crit": ["x-acme-policy"], "x-acme-policy": 1});
    let token = forge(&header, &good_claims(), &pair.private);
    assert_rejected(
        &env,
        &pair.public_pem,
        &token,
        &["crit_unsupported"],
        "\"crit\" [\"x-acme-policy\"]",
    );
}

/// One claims case: a change to the good claims, the one failure it must cause, and words
/// the report must contain.
struct ClaimCase {
    name: &'static str,
    change: fn(&mut Value),
    code: &'static str,
    reason: &'static str,
}

const CLAIM_CASES: &[ClaimCase] = &[
    ClaimCase {
        name: "matching as an object",
        change: |c| c["matching"] = serde_json::from_str(common::EXAMPLE_MATCHING).unwrap(),
        code: "matching_is_object",
        reason: "the iOS SDK rejects an object",
    },
    ClaimCase {
        name: "matching without db_id",
        change: |c| c["matching"] = json!(r#"{"email":"a@localhost","matching":"email"}"#),
        code: "matching_invalid",
        reason: "matching has no db_id",
    },
    ClaimCase {
        name: "email mode without email",
        change: |c| c["matching"] = json!(r#"{"db_id":2,"matching":"email_profile"}"#),
        code: "matching_invalid",
        reason: "mode email_profile needs email",
    },
    ClaimCase {
        name: "push_sub mode without its identifiers",
        change: |c| c["matching"] = json!(r#"{"db_id":2,"matching":"push_sub"}"#),
        code: "matching_invalid",
        reason: "mode push_sub needs",
    },
    ClaimCase {
        name: "exp as a string",
        change: |c| c["exp"] = json!((NOW + 3600).to_string()),
        code: "time_not_integer",
        reason: "exp must be an integer number of seconds",
    },
    ClaimCase {
        name: "exp as a float",
        change: |c| c["exp"] = json!((NOW + 3600) as f64 + 0.5),
        code: "time_not_integer",
        reason: "exp must be an integer number of seconds",
    },
    ClaimCase {
        name: "exp in milliseconds",
        change: |c| c["exp"] = json!((NOW + 3600) * 1000),
        code: "time_in_milliseconds",
        reason: "looks like milliseconds",
    },
    ClaimCase {
        name: "exp missing",
        change: |c| {
            c.as_object_mut().unwrap().remove("exp");
        },
        code: "exp_missing",
        reason: "exp is missing",
    },
    ClaimCase {
        name: "iss missing",
        change: |c| {
            c.as_object_mut().unwrap().remove("iss");
        },
        code: "claim_missing",
        reason: "iss is missing",
    },
    ClaimCase {
        name: "rtoken missing",
        change: |c| {
            c.as_object_mut().unwrap().remove("rtoken");
        },
        code: "claim_missing",
        reason: "rtoken is missing",
    },
    ClaimCase {
        name: "nbf in the future",
        change: |c| c["nbf"] = json!(NOW + 600),
        code: "not_yet_valid",
        reason: "token is not valid for another 10m",
    },
];

/// Correctly signed tokens whose claims break one platform rule each.
#[test]
fn bad_claims_are_rejected() {
    let env = TestEnv::new();
    let pair = pair(&env, "ES384");
    for case in CLAIM_CASES {
        let mut claims = good_claims();
        (case.change)(&mut claims);
        let token = forge(&header("ES384"), &claims, &pair.private);
        eprintln!("case: {}", case.name);
        assert_rejected(&env, &pair.public_pem, &token, &[case.code], case.reason);
    }
}

/// A JWKS without the token's kid: verify must not fall back to another key in the set.
#[test]
fn kid_not_in_the_jwks_is_rejected() {
    let env = TestEnv::new();
    let signer = pair(&env, "ES384");
    let other = pair(&env, "ES256");
    let jwk = |key: &PrivateKey, kid: &str| {
        let mut jwk = Jwk::from_public(&key.public_key());
        jwk.kid = Some(kid.into());
        jwk
    };
    let jwks = env.write(
        "jwks.json",
        json!({"keys": [jwk(&signer.private, "current"), jwk(&other.private, "old")]}).to_string(),
    );
    let mut header = header("ES384");
    header["kid"] = json!("current");
    let good = forge(&header, &good_claims(), &signer.private);
    let (code, report) = env.verify_report(&jwks, &good, &["--at", &NOW.to_string()]);
    assert_eq!(
        code, 0,
        "the kid that is in the set selects its key: {report:#}"
    );

    header["kid"] = json!("retired-2025");
    let token = forge(&header, &good_claims(), &signer.private);
    assert_rejected(
        &env,
        &jwks,
        &token,
        &["kid_not_found"],
        "no key with kid \"retired-2025\" in the JWKS",
    );
}
