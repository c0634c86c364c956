//! `acjwt key inspect|public|convert`, `keygen --kid/--jwks` and encrypted keys, checked against
//! the openssl CLI and PyJWT.

use crate::common;

use std::os::unix::fs::PermissionsExt as _;

use common::{ALGORITHMS, EXAMPLE_MATCHING, TestEnv, openssl, python};
use predicates::prelude::*;
use serde_json::Value;

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("JSON on stdout")
}

fn inspect_json(env: &TestEnv, file: &str) -> (Value, i32) {
    let output = env
        .acjwt()
        .args(["key", "inspect", "--json", file])
        .output()
        .unwrap();
    (json_of(&output.stdout), output.status.code().unwrap())
}

fn mode(env: &TestEnv, name: &str) -> u32 {
    std::fs::metadata(env.path(name))
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

/// The RFC 7638 thumbprint computed by Python from a JWK that the cryptography package made
/// from the PEM: independent of acjwt's JWK and thumbprint code.
const PY_THUMBPRINT: &str = r#"
import sys, json, hashlib, base64
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
key = load_pem_public_key(open(sys.argv[1], 'rb').read())
alg = RSAAlgorithm if hasattr(key, 'public_numbers') and hasattr(key.public_numbers(), 'n') else ECAlgorithm
jwk = json.loads(alg.to_jwk(key))
members = ['e', 'kty', 'n'] if jwk['kty'] == 'RSA' else ['crv', 'kty', 'x', 'y']
canonical = json.dumps({m: jwk[m] for m in members}, separators=(',', ':'), sort_keys=True)
print(base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b'=').decode())
"#;

#[test]
fn inspect_matches_openssl_fingerprints_and_pyjwt_thumbprints() {
    let env = TestEnv::new();
    for alg in ALGORITHMS {
        let prefix = alg.to_lowercase();
        let (private, public) = env.keygen(alg, &prefix);
        let der = env.path(&format!("{prefix}.der"));
        env.run_ok(
            openssl(),
            &[
                "pkey",
                "-pubin",
                "-in",
                public.to_str().unwrap(),
                "-outform",
                "DER",
                "-out",
                der.to_str().unwrap(),
            ],
        );
        let digest = env.run_ok(openssl(), &["dgst", "-sha256", "-r", der.to_str().unwrap()]);
        let fingerprint = digest.split_whitespace().next().unwrap();
        let thumbprint = env.run_ok(python(), &["-c", PY_THUMBPRINT, public.to_str().unwrap()]);

        for (file, private_expected) in [(&private, true), (&public, false)] {
            let (report, code) = inspect_json(&env, file.to_str().unwrap());
            assert_eq!(code, 0, "{report}");
            assert_eq!(report["accepted"], true);
            let key = &report["keys"][0];
            assert_eq!(key["algorithm"], alg);
            assert_eq!(key["private"], private_expected);
            assert_eq!(key["spki_sha256"], fingerprint, "{alg}");
            assert_eq!(key["thumbprint"], thumbprint.trim(), "{alg}");
            assert_eq!(key["public_pem"], env.read(&format!("{prefix}.pub.pem")));
        }
        let (report, _) = inspect_json(&env, private.to_str().unwrap());
        let expected_format = if alg == "RS256" { "PKCS#8" } else { "SEC1" };
        assert_eq!(report["format"], expected_format);
        if alg == "RS256" {
            assert_eq!(report["keys"][0]["rsa_bits"], 2048);
        } else {
            assert!(report["keys"][0]["curve"].is_string());
        }
    }
}

#[test]
fn inspect_human_output_names_the_key_and_hides_nothing_secret() {
    let env = TestEnv::new();
    let (private, _) = env.keygen("ES384", "k");
    let output = env
        .acjwt()
        .args(["key", "inspect"])
        .arg(&private)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(text.contains("a SEC1 P-384 private key"), "{text}");
    assert!(text.contains("accepted for JWT auth"), "{text}");
    assert!(text.contains("-----BEGIN PUBLIC KEY-----"), "{text}");
    assert!(!text.contains("PRIVATE KEY-----"), "{text}");
}

#[test]
fn inspect_refuses_small_rsa_and_other_curves() {
    let env = TestEnv::new();
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let (report, code) = inspect_json(&env, &format!("{data}/rsa1024.pem"));
    assert_eq!(code, 1);
    assert_eq!(report["accepted"], false);
    assert_eq!(
        report["keys"][0]["refusal"],
        "RSA keys need at least 2048 bits; this one has 1024"
    );
    env.acjwt()
        .args(["key", "inspect", &format!("{data}/secp256k1.pem")])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("refused by the platform"))
        .stdout(predicate::str::contains("secp256k1"));
    env.write("junk.pem", "hello");
    env.acjwt()
        .args(["key", "inspect", "junk.pem"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: "))
        .stderr(predicate::str::contains("hint: "));
}

#[test]
fn public_prints_what_openssl_derives() {
    let env = TestEnv::new();
    for alg in ALGORITHMS {
        let prefix = alg.to_lowercase();
        let (private, _) = env.keygen(alg, &prefix);
        let from_openssl = env.run_ok(
            openssl(),
            &["pkey", "-in", private.to_str().unwrap(), "-pubout"],
        );
        env.acjwt()
            .args(["key", "public"])
            .arg(&private)
            .assert()
            .success()
            .stdout(from_openssl);
        let jwk = env
            .acjwt()
            .args(["key", "public", "--jwk"])
            .arg(&private)
            .output()
            .unwrap();
        let jwk = json_of(&jwk.stdout);
        assert_eq!(jwk["alg"], alg);
        assert!(jwk.get("d").is_none(), "a public JWK has no d");
        let jwks = env
            .acjwt()
            .args(["key", "public", "--jwks"])
            .arg(&private)
            .output()
            .unwrap();
        assert_eq!(json_of(&jwks.stdout)["keys"][0], jwk);
    }
}

#[test]
fn convert_round_trips_through_openssl() {
    let env = TestEnv::new();
    for alg in ALGORITHMS {
        let prefix = alg.to_lowercase();
        let (private, public) = env.keygen(alg, &prefix);
        let expected_public = env.read(&format!("{prefix}.pub.pem"));
        let targets: &[(&str, &str)] = if alg == "RS256" {
            &[("pkcs8", "PRIVATE KEY"), ("pkcs1", "RSA PRIVATE KEY")]
        } else {
            &[("pkcs8", "PRIVATE KEY"), ("sec1", "EC PRIVATE KEY")]
        };
        for (to, label) in targets {
            let out = format!("{prefix}.{to}.pem");
            env.acjwt()
                .args(["key", "convert"])
                .arg(&private)
                .args(["--to", to, "--out", &out])
                .assert()
                .success()
                .stderr(predicate::str::contains("0600"));
            assert!(
                env.read(&out)
                    .starts_with(&format!("-----BEGIN {label}-----"))
            );
            assert_eq!(mode(&env, &out), 0o600, "{alg} {to}");
            // openssl reads the converted key and derives the same public key from it.
            let derived = env.run_ok(openssl(), &["pkey", "-in", &out, "-pubout"]);
            assert_eq!(derived, expected_public, "{alg} {to}");
            // And acjwt reads back what openssl writes from it (PKCS#8, its default).
            let back = format!("{prefix}.{to}.openssl.pem");
            env.run_ok(openssl(), &["pkey", "-in", &out, "-out", &back]);
            env.acjwt()
                .args(["key", "public", &back])
                .assert()
                .success()
                .stdout(expected_public.clone());
        }
        let spki = format!("{prefix}.spki.pem");
        env.acjwt()
            .args(["key", "convert"])
            .arg(&private)
            .args(["--to", "spki", "--out", &spki])
            .assert()
            .success();
        assert_eq!(mode(&env, &spki), 0o644);
        assert_eq!(env.read(&spki), expected_public);
        if alg == "RS256" {
            let pkcs1 = env
                .acjwt()
                .args(["key", "convert"])
                .arg(&public)
                .args(["--to", "pkcs1"])
                .output()
                .unwrap();
            assert!(pkcs1.status.success());
            env.write("rsa.pkcs1.pub.pem", &pkcs1.stdout);
            let derived = env.run_ok(openssl(), &["pkey", "-pubin", "-in", "rsa.pkcs1.pub.pem"]);
            assert_eq!(derived, expected_public);
        }
    }
}

#[test]
fn convert_refuses_what_a_format_cannot_hold() {
    let env = TestEnv::new();
    let (private, public) = env.keygen("ES256", "ec");
    env.acjwt()
        .args(["key", "convert"])
        .arg(&public)
        .args(["--to", "pkcs8"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a private key"));
    env.acjwt()
        .args(["key", "convert"])
        .arg(&private)
        .args(["--to", "pkcs1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("PKCS#1 cannot hold EC keys"))
        .stderr(predicate::str::contains("hint: "));
    env.acjwt()
        .args(["key", "convert"])
        .arg(&private)
        .args(["--to", "spki", "--private"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--private applies to"));
    // Same file safety as keygen: nothing is replaced without --force.
    env.write("taken.pem", "keep me");
    env.acjwt()
        .args(["key", "convert"])
        .arg(&private)
        .args(["--to", "pkcs8", "--out", "taken.pem"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exist"));
    assert_eq!(env.read("taken.pem"), "keep me");
    env.acjwt()
        .args(["key", "convert"])
        .arg(&private)
        .args(["--to", "pkcs8", "--out", "taken.pem", "--force"])
        .assert()
        .success();
    assert!(
        env.read("taken.pem")
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
}

/// PyJWT signs with the private JWK acjwt wrote and verifies acjwt's token with the public JWK.
const PY_JWK: &str = r#"
import sys, json, jwt
private = jwt.PyJWK(json.load(open(sys.argv[1])))
public = jwt.PyJWK(json.load(open(sys.argv[2])))
token = jwt.encode({"iss": "Py", "exp": 4102444800, "rtoken": "r", "matching": sys.argv[4]}, private.key, algorithm=sys.argv[3])
print(token)
claims = jwt.decode(sys.argv[5], public.key, algorithms=[sys.argv[3]])
assert claims["iss"] == "TestApp", claims
"#;

#[test]
fn convert_jwk_round_trips_through_pyjwt() {
    let env = TestEnv::new();
    for alg in ALGORITHMS {
        let prefix = alg.to_lowercase();
        let (private, public) = env.keygen(alg, &prefix);
        let private_jwk = format!("{prefix}.private.jwk");
        let public_jwk = format!("{prefix}.public.jwk");
        env.acjwt()
            .args(["key", "convert"])
            .arg(&private)
            .args(["--to", "jwk", "--private", "--out", &private_jwk])
            .assert()
            .success();
        assert_eq!(mode(&env, &private_jwk), 0o600);
        assert!(env.read(&private_jwk).contains("\"d\""));
        env.acjwt()
            .args(["key", "convert"])
            .arg(&private)
            .args(["--to", "jwk", "--out", &public_jwk])
            .assert()
            .success();
        assert!(
            !env.read(&public_jwk).contains("\"d\""),
            "d only with --private"
        );

        let ours = env.mint(&private, &[]);
        let theirs = env.run_ok(
            python(),
            &[
                "-c",
                PY_JWK,
                &private_jwk,
                &public_jwk,
                alg,
                EXAMPLE_MATCHING,
                &ours,
            ],
        );
        env.acjwt()
            .args(["verify", "--generic", "--key"])
            .arg(&public)
            .arg(theirs.trim())
            .assert()
            .success();
        // The converted private JWK signs in acjwt too.
        let from_jwk = env.mint(&env.path(&private_jwk), &[]);
        env.acjwt()
            .args(["verify", "--key"])
            .arg(&public)
            .arg(&from_jwk)
            .assert()
            .success();
    }
}

fn header_of(token: &str) -> Value {
    use base64::Engine as _;
    let header = token.split('.').next().unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(header)
            .unwrap(),
    )
    .unwrap()
}

/// PyJWT picks the key from acjwt's JWKS by the token's kid.
const PY_JWKS: &str = r#"
import sys, jwt
keys = jwt.PyJWKSet.from_json(open(sys.argv[1]).read())
kid = jwt.get_unverified_header(sys.argv[2])["kid"]
key = next(k for k in keys.keys if k.key_id == kid)
print(jwt.decode(sys.argv[2], key.key, algorithms=[key.algorithm_name])["iss"])
"#;

#[test]
fn keygen_kid_reaches_the_token_header() {
    let env = TestEnv::new();
    std::fs::create_dir(env.path("rsa")).unwrap();
    env.acjwt()
        .args(["keygen", "--alg", "ES256", "--kid", "auto", "--jwks"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Recorded kid"));
    let kid = env.read("private.ec.key.kid").trim().to_string();
    let (report, _) = inspect_json(&env, "public.pem");
    assert_eq!(
        report["keys"][0]["thumbprint"], kid,
        "auto is the RFC 7638 thumbprint"
    );
    let (report, _) = inspect_json(&env, "private.ec.key");
    assert_eq!(report["recorded_kid"], kid);
    let jwks: Value = serde_json::from_str(&env.read("jwks.json")).unwrap();
    assert_eq!(jwks["keys"][0]["kid"], kid);
    assert!(jwks["keys"][0].get("d").is_none());

    let token = env.mint(&env.path("private.ec.key"), &[]);
    assert_eq!(header_of(&token)["kid"], kid);
    env.acjwt()
        .args(["verify", "--key", "jwks.json", &token])
        .assert()
        .success();
    assert_eq!(
        env.run_ok(python(), &["-c", PY_JWKS, "jwks.json", &token])
            .trim(),
        "TestApp"
    );

    // --kid on mint wins over the recorded one.
    let token = env.mint(&env.path("private.ec.key"), &["--kid", "other"]);
    assert_eq!(header_of(&token)["kid"], "other");

    env.acjwt()
        .args([
            "keygen",
            "--alg",
            "RS256",
            "--bits",
            "2048",
            "--kid",
            "2026-11",
            "--out-dir",
            "rsa",
        ])
        .assert()
        .success();
    let token = env.mint(&env.path("rsa/private.rsa.key"), &[]);
    assert_eq!(header_of(&token)["kid"], "2026-11");
    // A second keygen with the same names is refused as a whole, the kid file included.
    env.acjwt()
        .args([
            "keygen",
            "--alg",
            "RS256",
            "--bits",
            "2048",
            "--kid",
            "again",
            "--out-dir",
            "rsa",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exist"));
    assert_eq!(env.read("rsa/private.rsa.key.kid").trim(), "2026-11");
    env.acjwt()
        .args(["keygen", "--kid", "bad\nkid"])
        .assert()
        .code(2);
}

#[test]
fn mint_opens_an_openssl_encrypted_key() {
    let env = TestEnv::new();
    env.run_ok(
        openssl(),
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-384",
            "-aes256",
            "-pass",
            "pass:open sesame",
            "-out",
            "enc.key",
        ],
    );
    assert!(
        env.read("enc.key")
            .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    );
    env.run_ok(
        openssl(),
        &[
            "pkey",
            "-in",
            "enc.key",
            "-passin",
            "pass:open sesame",
            "-pubout",
            "-out",
            "enc.pub.pem",
        ],
    );
    let mint = |env: &TestEnv| {
        let mut cmd = env.acjwt();
        cmd.args(["mint", "--key", "enc.key", "--iss", "App", "--rtoken", "rt"])
            .args(["--matching", EXAMPLE_MATCHING]);
        cmd
    };
    // No terminal and no passphrase: a clear error, not a prompt.
    mint(&env)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: key file enc.key is encrypted",
        ))
        .stderr(predicate::str::contains("hint: set ACJWT_KEY_PASSPHRASE"));
    mint(&env)
        .env("ACJWT_KEY_PASSPHRASE", "wrong")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("passphrase does not decrypt"))
        .stderr(predicate::str::contains("wrong").count(0));
    let output = mint(&env)
        .env("ACJWT_KEY_PASSPHRASE", "open sesame")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("sesame"));
    env.acjwt()
        .args(["verify", "--key", "enc.pub.pem", token.trim()])
        .assert()
        .success();
    // verify cannot prompt, but reads the passphrase from the environment.
    env.acjwt()
        .env("ACJWT_KEY_PASSPHRASE", "open sesame")
        .args(["verify", "--key", "enc.key", token.trim()])
        .assert()
        .success();

    let (report, code) = {
        let output = env
            .acjwt()
            .env("ACJWT_KEY_PASSPHRASE", "open sesame")
            .args(["key", "inspect", "--json", "enc.key"])
            .output()
            .unwrap();
        (json_of(&output.stdout), output.status.code().unwrap())
    };
    assert_eq!(code, 0);
    assert_eq!(report["encrypted"], true);
    assert_eq!(report["keys"][0]["private"], true);

    let legacy = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/p384-legacy-encrypted.pem"
    );
    env.acjwt()
        .env("ACJWT_KEY_PASSPHRASE", "correct-horse")
        .args(["key", "inspect", legacy])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("legacy PEM encryption"))
        .stderr(predicate::str::contains("hint: re-encrypt it as PKCS#8"));
}
