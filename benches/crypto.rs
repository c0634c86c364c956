//! Per-operation costs on this machine: the limit batch throughput is measured against.
//!
//! - `sign/<backend>/<alg>`: one whole token (claims to compact JWS) with a prepared key;
//! - `verify/<backend>/<alg>`: parse plus signature check of one token;
//! - `prepare/<backend>/<alg>`, `prepare-verify/…`: handing a parsed private or public key
//!   to a backend (paid once per run; an EC private key already went to aws-lc when read);
//! - `load/<format>/<alg>`: reading a key file (paid once per run), EC public point included.
//!
//! Run: `cargo bench --bench crypto -- --warm-up-time 1 --measurement-time 3`
//! (add `--no-default-features` for the RustCrypto-only build).

use acjwt::backend::{Backend, Signer, Verifier};
use acjwt::claims::Claims;
use acjwt::jws::{Algorithm, Token};
use acjwt::keys::{DEFAULT_RSA_BITS, Jwk, PrivateKey, load_key_file};
use acjwt::matching::Matching;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const MATCHING: &str =
    r#"{"db_id":2,"email":"registered_db@localhost","matching":"email_profile"}"#;
const NOW: i64 = 1_800_000_000;

fn keys() -> Vec<PrivateKey> {
    Algorithm::ALL
        .into_iter()
        .map(|alg| PrivateKey::generate(alg, DEFAULT_RSA_BITS).expect("key generation"))
        .collect()
}

fn claims() -> Claims {
    let matching = Matching::parse(MATCHING).expect("matching");
    Claims::new("MyApp".into(), NOW + 3600, "rtoken".into(), &matching)
}

fn sign_and_verify(c: &mut Criterion) {
    let claims = claims();
    for key in keys() {
        let alg = key.algorithm();
        let reference = Signer::new(&key, Backend::RustCrypto).expect("signer");
        let token = claims.sign(&reference, None, NOW).expect("token");
        for backend in Backend::available() {
            let signer = Signer::new(&key, backend).expect("signer");
            c.bench_function(&format!("sign/{backend}/{alg}"), |b| {
                b.iter(|| claims.sign(&signer, None, NOW).expect("sign"))
            });
            let verifier = Verifier::new(&key.public_key(), backend).expect("verifier");
            c.bench_function(&format!("verify/{backend}/{alg}"), |b| {
                b.iter(|| {
                    let parsed = Token::parse(black_box(&token)).expect("parse");
                    parsed.verify(&verifier).expect("verify")
                })
            });
            c.bench_function(&format!("prepare/{backend}/{alg}"), |b| {
                b.iter(|| Signer::new(black_box(&key), backend).expect("signer"))
            });
            let public = key.public_key();
            c.bench_function(&format!("prepare-verify/{backend}/{alg}"), |b| {
                b.iter(|| Verifier::new(black_box(&public), backend).expect("verifier"))
            });
        }
    }
}

fn load(c: &mut Criterion) {
    for key in keys() {
        let alg = key.algorithm();
        let mut files: Vec<(&str, Vec<u8>)> = vec![
            (
                "pkcs8-pem",
                key.to_pkcs8_pem().expect("pem").as_bytes().to_vec(),
            ),
            ("pkcs8-der", key.to_pkcs8_der().expect("der").to_vec()),
            (
                "spki-pem",
                key.public_key().to_spki_pem().expect("spki").into_bytes(),
            ),
            (
                "jwk",
                serde_json::to_vec(&Jwk::from_private(&key)).expect("jwk"),
            ),
        ];
        if let Some(sec1) = key.to_sec1_pem() {
            files.push(("sec1-pem", sec1.expect("sec1").as_bytes().to_vec()));
        }
        if let Some(pkcs1) = key.to_pkcs1_pem() {
            files.push(("pkcs1-pem", pkcs1.expect("pkcs1").as_bytes().to_vec()));
        }
        for (format, bytes) in files {
            c.bench_function(&format!("load/{format}/{alg}"), |b| {
                b.iter(|| load_key_file(black_box(&bytes)).expect("load"))
            });
        }
    }
}

criterion_group!(benches, sign_and_verify, load);
criterion_main!(benches);
