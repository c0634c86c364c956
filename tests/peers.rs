//! Interop with independent implementations, for ES256, ES384, ES512 and RS256:
//!
//! - PyJWT (with cryptography) and node jose verify tokens acjwt mints, and mint tokens acjwt
//!   verifies and decodes;
//! - every key format the openssl CLI writes, and JWKs exported by jose, load in acjwt;
//! - keys acjwt writes pass `openssl pkey -check`, re-encode through openssl byte for byte, and
//!   load in PyJWT and jose;
//! - acjwt's signatures verify with `openssl dgst -verify`.
//!
//! The peers are real programs (tests/peer-scripts/, provisioned by scripts/provision-peers.sh);
//! a missing peer fails the test, it never skips.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use acjwt::keys::{Jwk, load_key_file};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{
    ALGORITHMS, EXAMPLE_MATCHING, Outcome, TestEnv, der_from_raw, failure_codes, openssl,
    openssl_curve,
};
use serde_json::{Value, json};

/// The two JWT libraries acjwt is checked against.
#[derive(Clone, Copy, Debug)]
enum Peer {
    PyJwt,
    Jose,
}

const PEERS: [Peer; 2] = [Peer::PyJwt, Peer::Jose];

impl Peer {
    fn run(self, env: &TestEnv, args: &[&str]) -> Outcome {
        match self {
            Peer::PyJwt => env.pyjwt(args),
            Peer::Jose => env.jose(args),
        }
    }

    /// Runs the peer and returns its stdout, failing the test with its stderr otherwise.
    fn ok(self, env: &TestEnv, args: &[&str]) -> String {
        let outcome = self.run(env, args);
        assert!(
            outcome.success,
            "{self:?} {args:?} failed:\n{}{}",
            outcome.stdout, outcome.stderr
        );
        outcome.stdout.trim().to_string()
    }

    /// Verifies `token` with the public key in `key`; returns `{"header", "payload"}`.
    fn verify(self, env: &TestEnv, alg: &str, key: &Path, token: &str) -> Value {
        let output = self.ok(env, &["verify", alg, path_str(key), token]);
        serde_json::from_str(&output).expect("peer prints JSON")
    }

    /// Signs `claims` with the private key in `key` (a path, or `node-crypto:PATH` for jose).
    fn sign(
        self,
        env: &TestEnv,
        alg: &str,
        key: &str,
        claims: &Value,
        kid: Option<&str>,
    ) -> String {
        let claims = claims.to_string();
        let mut args = vec!["sign", alg, key, &claims];
        args.extend(kid);
        self.ok(env, &args)
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs() as i64
}

/// The Altcraft claims as a peer mints them: matching is a JSON string, as the SDKs need.
fn altcraft_claims() -> Value {
    json!({
        "iss": "PeerApp",
        "exp": now() + 3600,
        "rtoken": "rt-peer-456",
        "matching": EXAMPLE_MATCHING,
    })
}

/// Asserts a payload is exactly what `TestEnv::mint` put in, with matching still a string.
fn assert_minted_claims(payload: &Value, who: &str) {
    let object = payload.as_object().expect("payload object");
    let mut names: Vec<&str> = object.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["exp", "iss", "matching", "rtoken"], "{who}");
    assert_eq!(payload["iss"], "TestApp", "{who}");
    assert_eq!(payload["rtoken"], "rt-secret-123", "{who}");
    let exp = payload["exp"].as_i64().expect("integer exp");
    assert!((now()..=now() + 3600).contains(&exp), "{who}: exp {exp}");
    let matching = payload["matching"]
        .as_str()
        .unwrap_or_else(|| panic!("{who}: matching must stay a string: {payload}"));
    assert_eq!(
        serde_json::from_str::<Value>(matching).unwrap(),
        serde_json::from_str::<Value>(EXAMPLE_MATCHING).unwrap(),
        "{who}"
    );
}

/// `acjwt verify` accepts the token with this key; returns the report.
fn assert_acjwt_accepts(env: &TestEnv, key: &Path, token: &str, alg: &str, what: &str) -> Value {
    let (code, report) = env.verify_report(key, token, &[]);
    assert_eq!(
        (code, failure_codes(&report)),
        (0, vec![]),
        "{what}: acjwt verify must accept: {report:#}"
    );
    assert_eq!(report["alg"], alg, "{what}");
    report
}

fn decode_json(env: &TestEnv, token: &str) -> Value {
    let output = env
        .acjwt()
        .args(["decode", "--json", token])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn acjwt_tokens_verify_in_pyjwt_and_jose() {
    let env = TestEnv::new();
    let mut checked = 0;
    for alg in ALGORITHMS {
        let prefix = alg.to_lowercase();
        let (private, public) = env.keygen(alg, &prefix);
        let kid = format!("kid-{prefix}");
        let token = env.mint(&private, &["--kid", &kid]);
        for peer in PEERS {
            let who = format!("{peer:?} verifying acjwt's {alg}");
            let verified = peer.verify(&env, alg, &public, &token);
            assert_eq!(verified["header"]["alg"], alg, "{who}");
            assert_eq!(verified["header"]["typ"], "JWT", "{who}");
            assert_eq!(verified["header"]["kid"], kid.as_str(), "{who}");
            assert_minted_claims(&verified["payload"], &who);
            checked += 1;
        }
    }
    assert_eq!(checked, ALGORITHMS.len() * PEERS.len());
}

#[test]
fn pyjwt_and_jose_tokens_verify_and_decode_in_acjwt() {
    let env = TestEnv::new();
    let mut checked = 0;
    for alg in ALGORITHMS {
        let (private, public) = env.openssl_keypair(alg, &alg.to_lowercase());
        for peer in PEERS {
            let what = format!("{peer:?} {alg}");
            let claims = altcraft_claims();
            let token = peer.sign(&env, alg, path_str(&private), &claims, None);
            let report = assert_acjwt_accepts(&env, &public, &token, alg, &what);
            assert_eq!(report["claims"]["iss"], claims["iss"], "{what}");
            assert_eq!(report["claims"]["matching"], claims["matching"], "{what}");

            // decode shows the claims exactly as the peer wrote them, matching unpacked.
            let decoded = decode_json(&env, &token);
            assert_eq!(decoded["claims"], claims, "{what}");
            assert_eq!(decoded["header"]["alg"], alg, "{what}");
            assert_eq!(
                decoded["matching"],
                serde_json::from_str::<Value>(EXAMPLE_MATCHING).unwrap(),
                "{what}"
            );
            assert_eq!(decoded["warnings"], json!([]), "{what}");
            checked += 1;
        }
    }
    assert_eq!(checked, ALGORITHMS.len() * PEERS.len());
}

/// One key file made by another program, and what it is.
struct KeyForm {
    name: String,
    path: PathBuf,
    private: bool,
}

/// Key files that all hold one key pair, with the means to check them independently.
struct KeySource {
    /// A private key file PyJWT signs with.
    signer: PathBuf,
    /// The SPKI PEM openssl derived, which PyJWT verifies with.
    spki: PathBuf,
    forms: Vec<KeyForm>,
}

impl KeySource {
    fn add(&mut self, env: &TestEnv, name: &str, file: &str, private: bool) {
        let path = env.path(file);
        assert!(path.exists(), "{name}: {file} was not written");
        self.forms.push(KeyForm {
            name: name.to_string(),
            path,
            private,
        });
    }
}

/// Every encoding openssl writes for an `alg` key: one source from the classic per-type
/// commands (ecparam or genrsa -traditional) with its conversions, one from genpkey.
fn openssl_sources(env: &TestEnv, alg: &str) -> Vec<KeySource> {
    let ssl = |args: &[&str]| env.run_ok(openssl(), args);
    let p = alg.to_lowercase();
    let file = |suffix: &str| format!("{p}.{suffix}");
    let classic = match openssl_curve(alg) {
        Some(curve) => {
            // Without -noout, ecparam writes an EC PARAMETERS block before the key.
            ssl(&[
                "ecparam",
                "-name",
                curve,
                "-genkey",
                "-out",
                &file("ecparam.pem"),
            ]);
            assert!(
                env.read(&file("ecparam.pem"))
                    .contains("BEGIN EC PARAMETERS")
            );
            ssl(&["ec", "-in", &file("ecparam.pem"), "-out", &file("sec1.pem")]);
            ssl(&[
                "ec",
                "-in",
                &file("ecparam.pem"),
                "-outform",
                "DER",
                "-out",
                &file("sec1.der"),
            ]);
            file("ecparam.pem")
        }
        None => {
            ssl(&["genrsa", "-traditional", "-out", &file("pkcs1.pem"), "2048"]);
            assert!(
                env.read(&file("pkcs1.pem"))
                    .contains("BEGIN RSA PRIVATE KEY")
            );
            ssl(&[
                "rsa",
                "-in",
                &file("pkcs1.pem"),
                "-traditional",
                "-outform",
                "DER",
                "-out",
                &file("pkcs1.der"),
            ]);
            ssl(&[
                "rsa",
                "-in",
                &file("pkcs1.pem"),
                "-RSAPublicKey_out",
                "-out",
                &file("rsapub.pem"),
            ]);
            assert!(
                env.read(&file("rsapub.pem"))
                    .contains("BEGIN RSA PUBLIC KEY")
            );
            ssl(&[
                "rsa",
                "-in",
                &file("pkcs1.pem"),
                "-RSAPublicKey_out",
                "-outform",
                "DER",
                "-out",
                &file("rsapub.der"),
            ]);
            file("pkcs1.pem")
        }
    };
    ssl(&[
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        &classic,
        "-outform",
        "DER",
        "-out",
        &file("p8.der"),
    ]);
    ssl(&[
        "pkey",
        "-in",
        &classic,
        "-pubout",
        "-out",
        &file("spki.pem"),
    ]);
    ssl(&[
        "pkey",
        "-in",
        &classic,
        "-pubout",
        "-outform",
        "DER",
        "-out",
        &file("spki.der"),
    ]);

    let mut source = KeySource {
        signer: env.path(&classic),
        spki: env.path(&file("spki.pem")),
        forms: Vec::new(),
    };
    if openssl_curve(alg).is_some() {
        source.add(
            env,
            "ecparam -genkey SEC1 PEM with EC PARAMETERS",
            &file("ecparam.pem"),
            true,
        );
        source.add(env, "openssl ec SEC1 PEM", &file("sec1.pem"), true);
        source.add(env, "openssl ec SEC1 DER", &file("sec1.der"), true);
    } else {
        source.add(
            env,
            "genrsa -traditional PKCS#1 PEM",
            &file("pkcs1.pem"),
            true,
        );
        source.add(
            env,
            "openssl rsa -traditional PKCS#1 DER",
            &file("pkcs1.der"),
            true,
        );
        source.add(
            env,
            "rsa -RSAPublicKey_out PKCS#1 PEM",
            &file("rsapub.pem"),
            false,
        );
        source.add(
            env,
            "rsa -RSAPublicKey_out PKCS#1 DER",
            &file("rsapub.der"),
            false,
        );
    }
    source.add(env, "pkcs8 -topk8 PKCS#8 DER", &file("p8.der"), true);
    source.add(env, "pkey -pubout SPKI PEM", &file("spki.pem"), false);
    source.add(env, "pkey -pubout SPKI DER", &file("spki.der"), false);

    let (genpkey, genpkey_spki) = env.openssl_keypair(alg, &format!("{p}-genpkey"));
    let mut generated = KeySource {
        signer: genpkey.clone(),
        spki: genpkey_spki,
        forms: Vec::new(),
    };
    generated.add(env, "genpkey PKCS#8 PEM", path_str(&genpkey), true);
    vec![source, generated]
}

/// The genpkey key exported by jose's exportJWK, as a private JWK, a public JWK and a JWKS
/// that also holds a decoy key, so the token's kid must choose.
fn jose_jwk_source(env: &TestEnv, alg: &str) -> KeySource {
    let p = alg.to_lowercase();
    let (private, spki) = env.openssl_keypair(alg, &format!("{p}-jose"));
    let kid = format!("jose-{p}");
    let exported: Value =
        serde_json::from_str(&Peer::Jose.ok(env, &["export-jwk", alg, path_str(&private), &kid]))
            .unwrap();
    let (_, decoy_spki) = env.openssl_keypair(alg, &format!("{p}-decoy"));
    let decoy = load_key_file(&std::fs::read(decoy_spki).unwrap())
        .unwrap()
        .verification_key(None)
        .unwrap();
    let mut decoy_jwk = Jwk::from_public(&decoy);
    decoy_jwk.kid = Some("decoy".into());

    let mut source = KeySource {
        signer: private,
        spki,
        forms: Vec::new(),
    };
    env.write(
        &format!("{p}.jose.private.jwk"),
        exported["private"].to_string(),
    );
    env.write(
        &format!("{p}.jose.public.jwk"),
        exported["public"].to_string(),
    );
    env.write(
        &format!("{p}.jose.jwks"),
        json!({"keys": [decoy_jwk, exported["public"]]}).to_string(),
    );
    source.add(
        env,
        "jose exportJWK private JWK",
        &format!("{p}.jose.private.jwk"),
        true,
    );
    source.add(
        env,
        "jose exportJWK public JWK",
        &format!("{p}.jose.public.jwk"),
        false,
    );
    source.add(
        env,
        "JWKS of jose JWKs (kid selects)",
        &format!("{p}.jose.jwks"),
        false,
    );
    source
}

/// Each private form signs through `acjwt mint` and PyJWT verifies with openssl's public key;
/// each public form verifies, in `acjwt verify`, a token PyJWT signed with openssl's key.
#[test]
fn openssl_and_jose_key_formats_load_in_acjwt() {
    let env = TestEnv::new();
    let mut loaded = Vec::new();
    for alg in ALGORITHMS {
        let mut sources = openssl_sources(&env, alg);
        sources.push(jose_jwk_source(&env, alg));
        for source in &sources {
            // The kid only matters to the JWKS, whose exported key carries it; single-key
            // files are used whatever the token's kid.
            let kid = format!("jose-{}", alg.to_lowercase());
            let peer_token = Peer::PyJwt.sign(
                &env,
                alg,
                path_str(&source.signer),
                &altcraft_claims(),
                Some(&kid),
            );
            for form in &source.forms {
                let what = format!("{alg} {}", form.name);
                if form.private {
                    let token = env.mint(&form.path, &[]);
                    let verified = Peer::PyJwt.verify(&env, alg, &source.spki, &token);
                    assert_minted_claims(&verified["payload"], &what);
                } else {
                    assert_acjwt_accepts(&env, &form.path, &peer_token, alg, &what);
                }
                loaded.push(what);
            }
        }
    }
    eprintln!(
        "{} key files loaded:\n  {}",
        loaded.len(),
        loaded.join("\n  ")
    );
    // EC: 7 openssl files + 3 JWK files per curve; RSA: 8 openssl files + 3 JWK files.
    assert_eq!(loaded.len(), 3 * 10 + 11);
}

/// `acjwt keygen` with `extra` flags into `<prefix>.key` / `<prefix>.pub.pem`.
fn acjwt_keygen(env: &TestEnv, alg: &str, prefix: &str, extra: &[&str]) -> (PathBuf, PathBuf) {
    let private = format!("{prefix}.key");
    let public = format!("{prefix}.pub.pem");
    env.acjwt()
        .args([
            "keygen",
            "--alg",
            alg,
            "--bits",
            "2048",
            "--private",
            &private,
            "--public",
            &public,
        ])
        .args(extra)
        .assert()
        .success();
    (env.path(&private), env.path(&public))
}

/// What acjwt writes is what openssl writes: each file survives a round trip through openssl
/// byte for byte, and openssl's key checks pass.
fn assert_openssl_agrees(env: &TestEnv, private: &Path, public: &Path, sec1: bool) {
    let private_text = std::fs::read_to_string(private).unwrap();
    let public_text = std::fs::read_to_string(public).unwrap();
    let (private, public) = (path_str(private), path_str(public));
    let ssl = |args: &[&str]| env.run_ok(openssl(), args);

    assert!(ssl(&["pkey", "-in", private, "-check", "-noout"]).contains("Key is valid"));
    assert!(
        ssl(&["pkey", "-pubin", "-in", public, "-pubcheck", "-noout"]).contains("Key is valid")
    );

    let reencoded = if sec1 {
        assert!(private_text.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
        ssl(&["ec", "-in", private])
    } else {
        assert!(private_text.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        ssl(&["pkey", "-in", private])
    };
    assert_eq!(
        reencoded, private_text,
        "openssl re-encodes {private} identically"
    );
    assert_eq!(ssl(&["pkey", "-pubin", "-in", public]), public_text);
    assert_eq!(
        ssl(&["pkey", "-in", private, "-pubout"]),
        public_text,
        "the pair matches"
    );
}

#[test]
fn acjwt_keys_pass_openssl_and_load_in_pyjwt_and_jose() {
    let env = TestEnv::new();
    let mut checked = Vec::new();
    for alg in ALGORITHMS {
        let is_ec = openssl_curve(alg).is_some();
        // EC keys default to SEC1 (the platform docs' openssl recipe), --pkcs8 gives PKCS#8;
        // RSA keys are always PKCS#8.
        let mut variants = vec![("default", vec![])];
        if is_ec {
            variants.push(("--pkcs8", vec!["--pkcs8"]));
        }
        for (variant, flags) in variants {
            let prefix = format!("{}-{}", alg.to_lowercase(), variant.trim_start_matches('-'));
            let (private, public) = acjwt_keygen(&env, alg, &prefix, &flags);
            let sec1 = is_ec && variant == "default";
            assert_openssl_agrees(&env, &private, &public, sec1);

            let what = format!("acjwt keygen {alg} {variant}");
            let pyjwt_token =
                Peer::PyJwt.sign(&env, alg, path_str(&private), &altcraft_claims(), None);
            assert_acjwt_accepts(
                &env,
                &public,
                &pyjwt_token,
                alg,
                &format!("PyJWT with {what}"),
            );

            // jose's importPKCS8 reads PKCS#8 only; a SEC1 key goes through node:crypto.
            let jose_key = if sec1 {
                let refused = Peer::Jose.run(&env, &["sign", alg, path_str(&private), "{}"]);
                assert!(
                    !refused.success,
                    "jose importPKCS8 now reads SEC1: update the README"
                );
                format!("node-crypto:{}", path_str(&private))
            } else {
                path_str(&private).to_string()
            };
            let jose_token = Peer::Jose.sign(&env, alg, &jose_key, &altcraft_claims(), None);
            assert_acjwt_accepts(
                &env,
                &public,
                &jose_token,
                alg,
                &format!("jose with {what}"),
            );
            checked.push(what);
        }
    }
    assert_eq!(checked.len(), 7, "{checked:?}");
}

/// JWKs written by acjwt's library sign and verify in both peers.
#[test]
fn acjwt_jwks_load_in_pyjwt_and_jose() {
    let env = TestEnv::new();
    for alg in ALGORITHMS {
        let prefix = alg.to_lowercase();
        let (private, public) = env.keygen(alg, &prefix);
        let key = load_key_file(&std::fs::read(&private).unwrap()).unwrap();
        let key = key.signing_key("test").unwrap();
        let private_jwk = env.write(
            &format!("{prefix}.private.jwk"),
            serde_json::to_string(&Jwk::from_private(key)).unwrap(),
        );
        let public_jwk = env.write(
            &format!("{prefix}.public.jwk"),
            serde_json::to_string(&Jwk::from_public(&key.public_key())).unwrap(),
        );
        let token = env.mint(&private, &[]);
        for peer in PEERS {
            let who = format!("{peer:?} with acjwt's {alg} JWK");
            let verified = peer.verify(&env, alg, &public_jwk, &token);
            assert_minted_claims(&verified["payload"], &who);
            let signed = peer.sign(&env, alg, path_str(&private_jwk), &altcraft_claims(), None);
            assert_acjwt_accepts(&env, &public, &signed, alg, &who);
        }
    }
}

/// The JWS signature checked by openssl itself: r||s converted to DER for ECDSA, as is for RSA.
#[test]
fn acjwt_signatures_verify_with_openssl_dgst() {
    let env = TestEnv::new();
    for alg in ALGORITHMS {
        let prefix = alg.to_lowercase();
        let (private, public) = env.keygen(alg, &prefix);
        let token = env.mint(&private, &[]);
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
        let signature = match openssl_curve(alg) {
            Some(_) => der_from_raw(&signature),
            None => signature,
        };
        let digest = match alg {
            "ES384" => "-sha384",
            "ES512" => "-sha512",
            _ => "-sha256",
        };
        env.write("input", signing_input);
        env.write("tampered", format!("{signing_input}x"));
        env.write("signature", &signature);
        let dgst = |input: &str| {
            env.run(
                openssl(),
                &[
                    "dgst",
                    digest,
                    "-verify",
                    path_str(&public),
                    "-signature",
                    "signature",
                    input,
                ],
            )
        };
        let verified = dgst("input");
        assert!(
            verified.success && verified.stdout.contains("Verified OK"),
            "{alg}: {}{}",
            verified.stdout,
            verified.stderr
        );
        assert!(
            !dgst("tampered").success,
            "{alg}: openssl must reject a changed input"
        );
    }
}

/// A correctly signed token that bends one rule, and who accepts it.
struct EdgeCase {
    name: &'static str,
    header: fn(&mut Value),
    claims: fn(&mut Value),
    /// Replaces the signature (r||s bytes) before the token is assembled.
    signature: fn(Vec<u8>) -> Vec<u8>,
    /// Expected verdicts: (acjwt, PyJWT, jose); `true` accepts.
    accepted: (bool, bool, bool),
}

fn unchanged(_: &mut Value) {}

fn same(signature: Vec<u8>) -> Vec<u8> {
    signature
}

/// Where the three verifiers part ways, and where they agree on a rejection. PyJWT and jose
/// are configured as tests/peer-scripts/ shows: the one algorithm, exp and iss required.
const EDGE_CASES: &[EdgeCase] = &[
    EdgeCase {
        name: "baseline: a valid token",
        header: unchanged,
        claims: unchanged,
        signature: same,
        accepted: (true, true, true),
    },
    EdgeCase {
        name: "exp as a float (3600.5 s ahead)",
        header: unchanged,
        claims: |c| c["exp"] = json!(c["exp"].as_i64().unwrap() as f64 + 0.5),
        signature: same,
        accepted: (false, true, true),
    },
    EdgeCase {
        name: "exp in milliseconds",
        header: unchanged,
        claims: |c| c["exp"] = json!(c["exp"].as_i64().unwrap() * 1000),
        signature: same,
        accepted: (false, true, true),
    },
    EdgeCase {
        name: "exp as a numeric string",
        header: unchanged,
        claims: |c| c["exp"] = json!(c["exp"].as_i64().unwrap().to_string()),
        signature: same,
        accepted: (false, true, false),
    },
    EdgeCase {
        name: "iat an hour in the future",
        header: unchanged,
        claims: |c| c["iat"] = json!(c["exp"].as_i64().unwrap()),
        signature: same,
        accepted: (false, false, true),
    },
    EdgeCase {
        name: "nbf an hour in the future",
        header: unchanged,
        claims: |c| c["nbf"] = json!(c["exp"].as_i64().unwrap() - 60),
        signature: same,
        accepted: (false, false, false),
    },
    EdgeCase {
        name: "matching as an object",
        header: unchanged,
        claims: |c| c["matching"] = serde_json::from_str(EXAMPLE_MATCHING).unwrap(),
        signature: same,
        accepted: (false, true, true),
    },
    EdgeCase {
        name: "crit naming an unknown extension",
        header: |h| {
            h["crit"] = json!(["x-acme"]);
            h["x-acme"] = json!(1);
        },
        claims: unchanged,
        signature: same,
        accepted: (false, false, false),
    },
    EdgeCase {
        name: "DER-encoded ECDSA signature",
        header: unchanged,
        claims: unchanged,
        signature: |raw| der_from_raw(&raw),
        accepted: (false, false, false),
    },
];

/// Runs every edge case through acjwt, PyJWT and jose and compares with the table above,
/// which the README's Conformance section reports.
#[test]
fn verifiers_agree_or_differ_as_documented() {
    let env = TestEnv::new();
    let alg = "ES384";
    let (private, public) = env.openssl_keypair(alg, "edge");
    let key = load_key_file(&std::fs::read(private).unwrap()).unwrap();
    let key = key.signing_key("test").unwrap();
    let mut table = Vec::new();
    let mut mismatches = 0;
    for case in EDGE_CASES {
        let mut header = json!({"alg": alg, "typ": "JWT"});
        (case.header)(&mut header);
        let mut claims = altcraft_claims();
        (case.claims)(&mut claims);
        let token = common::forge(&header, &claims, key);
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let signature = (case.signature)(URL_SAFE_NO_PAD.decode(signature).unwrap());
        let token = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature));

        let (code, _) = env.verify_report(&public, &token, &[]);
        let verdicts = (
            code == 0,
            Peer::PyJwt
                .run(&env, &["verify", alg, path_str(&public), &token])
                .success,
            Peer::Jose
                .run(&env, &["verify", alg, path_str(&public), &token])
                .success,
        );
        let note = if verdicts == case.accepted {
            String::new()
        } else {
            format!("  <- expected {:?}", case.accepted)
        };
        table.push(format!("{:<40} {verdicts:?}{note}", case.name));
        mismatches += usize::from(verdicts != case.accepted);
    }
    assert_eq!(
        mismatches,
        0,
        "(acjwt, PyJWT, jose) accept:\n{}",
        table.join("\n")
    );
    eprintln!("(acjwt, PyJWT, jose) accept:\n{}", table.join("\n"));
}
