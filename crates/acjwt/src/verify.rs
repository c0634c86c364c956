// Documented with the rule engine.
#![allow(missing_docs)]
//! Verifying one token completely: every check, every failure, in one [`Verdict`]; and reading
//! one without a key, in an [`Inspection`].
//!
//! [`Token::verify`](crate::jws::Token::verify) answers "is the signature right";
//! this module answers what `acjwt verify` reports: the header, the key choice from a JWKS,
//! the signature, the times and the Altcraft claims, without stopping at the first failure.
//! [`inspect`] answers what `acjwt decode` reports: everything short of the signature.

use serde_json::{Map, Value};

use crate::backend::Keyring;
use crate::claims::{self, Rules, check_claims};
use crate::jws::{Algorithm, JwsError, Token};
use crate::keys::{KeyError, platform_refusal};
use crate::matching::Matching;

/// One failed check, or a warning: every finding has a stable code and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// A stable snake_case code (`bad_signature`, `expired`, ...).
    pub code: &'static str,
    pub message: String,
}

impl Failure {
    fn from_jws(err: &JwsError) -> Failure {
        Failure {
            code: err.code(),
            message: err.to_string(),
        }
    }
}

/// Everything verification found out about one token.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// The header's `alg`, whatever it is.
    pub alg: Option<String>,
    pub kid: Option<String>,
    /// The payload, when it is a JSON object (it holds the rtoken: redact before showing).
    pub claims: Option<Map<String, Value>>,
    /// Every failed check; empty means valid.
    pub failures: Vec<Failure>,
    /// Things worth knowing that do not make the token invalid: `typ_not_jwt` and
    /// `matching_warning` (the code [`inspect`] gives the same finding).
    pub warnings: Vec<Failure>,
}

impl Verdict {
    pub fn valid(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Checks a compact token against the keys and rules, collecting every failure.
pub fn verify_token(text: &str, keys: &Keyring, rules: &Rules) -> Verdict {
    let mut verdict = Verdict {
        alg: None,
        kid: None,
        claims: None,
        failures: Vec::new(),
        warnings: Vec::new(),
    };
    let token = match Token::parse(text) {
        Ok(token) => token,
        Err(err) => {
            verdict.failures.push(Failure::from_jws(&err));
            return verdict;
        }
    };
    verdict.alg = token.alg().map(String::from);
    verdict.kid = token.kid().map(String::from);
    // A member given twice is its own failure, whatever else holds: a header with two `alg`
    // reads differently to different libraries, so its key and signature are not judged.
    verdict
        .failures
        .extend(token.duplicates.iter().map(Failure::from_jws));
    let header_ambiguous = token.header_duplicates().next().is_some();
    if let Some(typ) = token.header.get("typ").and_then(Value::as_str)
        && !typ.eq_ignore_ascii_case("JWT")
    {
        verdict.warnings.push(Failure {
            code: "typ_not_jwt",
            message: format!("header typ is {typ:?}, not \"JWT\""),
        });
    }
    match token.kid_checked() {
        _ if header_ambiguous => {}
        Err(err) => verdict.failures.push(Failure::from_jws(&err)),
        Ok(kid) => check_signature(&token, kid, keys, &mut verdict),
    }
    if rules.altcraft
        && let Some(violation) = text.split('.').nth(1).and_then(claims::check_payload_size)
    {
        verdict.failures.push(Failure {
            code: violation.code(),
            message: violation.to_string(),
        });
    }
    match token.claims() {
        Ok(claims) => {
            for violation in check_claims(&claims, rules) {
                verdict.failures.push(Failure {
                    code: violation.code(),
                    message: violation.to_string(),
                });
            }
            if rules.altcraft
                && let Some(Ok(matching)) = claims
                    .get("matching")
                    .and_then(Value::as_str)
                    .map(Matching::parse)
            {
                verdict
                    .warnings
                    .extend(matching.warnings().into_iter().map(|message| Failure {
                        code: "matching_warning",
                        message,
                    }));
            }
            verdict.claims = Some(claims);
        }
        Err(err) => verdict.failures.push(Failure::from_jws(&err)),
    }
    verdict
}

/// Chooses the key for `kid` and checks the header and signature with it.
fn check_signature(token: &Token<'_>, kid: Option<&str>, keys: &Keyring, verdict: &mut Verdict) {
    match keys.verifier(kid) {
        Ok(verifier) => {
            // The platform does not register such a key, so no token it signed can work there.
            if let Some(reason) = platform_refusal(verifier.public_key()) {
                verdict.failures.push(Failure {
                    code: "key_not_accepted",
                    message: reason,
                });
            }
            if let Err(err) = token.verify(verifier) {
                verdict.failures.push(Failure::from_jws(&err));
            }
        }
        Err(err) => verdict.failures.push(Failure {
            code: key_choice_code(&err),
            message: err.to_string(),
        }),
    }
}

/// What can be learned of a token without its key.
#[derive(Clone, Debug)]
pub struct Inspection {
    pub header: Map<String, Value>,
    /// The payload (it holds the rtoken, which anyone holding the token can read).
    pub claims: Map<String, Value>,
    /// The matching object, unpacked from its JSON string; a token that carries an object
    /// instead (which the iOS SDK rejects) has it taken as is, and a warning says so.
    pub matching: Option<Value>,
    /// Every rule the token breaks at the instant given (each would fail `verify`), and
    /// warnings about its matching object (code `matching_warning`), in that order. Nothing is
    /// fatal when only decoding, so all are warnings here.
    pub warnings: Vec<Failure>,
}

/// Reads a parsed token without checking its signature: header, claims, the matching object
/// unpacked, and the platform rules its header and claims break at `now`.
pub fn inspect(token: &Token<'_>, now: i64) -> Result<Inspection, JwsError> {
    let claims = token.claims()?;
    let mut warnings: Vec<Failure> = token.duplicates.iter().map(Failure::from_jws).collect();
    if let Err(err) = token.kid_checked() {
        warnings.push(Failure::from_jws(&err));
    }
    if let Some(alg) = token.alg()
        && Algorithm::from_name(alg).is_none()
    {
        warnings.push(Failure {
            code: "alg_not_allowed",
            message: format!(
                "alg {alg:?} is not accepted by the platform (ES384, ES256, ES512, RS256)"
            ),
        });
    }
    let rules = Rules {
        now,
        leeway: 0,
        altcraft: true,
    };
    warnings.extend(
        claims::check_decoded_payload_size(token.payload.len()).map(|violation| Failure {
            code: violation.code(),
            message: violation.to_string(),
        }),
    );
    warnings.extend(
        check_claims(&claims, &rules)
            .into_iter()
            .map(|violation| Failure {
                code: violation.code(),
                message: violation.to_string(),
            }),
    );
    let matching = match claims.get("matching") {
        Some(Value::String(text)) => serde_json::from_str::<Value>(text).ok(),
        Some(object @ Value::Object(_)) => Some(object.clone()),
        _ => None,
    };
    if let Some(Ok(parsed)) = matching.as_ref().map(Matching::from_value) {
        warnings.extend(parsed.warnings().into_iter().map(|message| Failure {
            code: "matching_warning",
            message,
        }));
    }
    Ok(Inspection {
        header: token.header.clone(),
        claims,
        matching,
        warnings,
    })
}

/// The failure code for a key that could not be chosen from the key file.
fn key_choice_code(err: &KeyError) -> &'static str {
    match err {
        KeyError::KidUnsupported { .. } => "key_unsupported",
        KeyError::KidAmbiguous { .. } => "kid_ambiguous",
        KeyError::KidRequired { .. } => "kid_required",
        _ => "kid_not_found",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Backend;
    use crate::claims::Claims;
    use crate::keys::{PrivateKey, load_key_file};

    const NOW: i64 = 1_800_000_000;

    fn keyring(key: &PrivateKey) -> Keyring {
        let pem = key.public_key().to_spki_pem().unwrap();
        Keyring::new(load_key_file(pem.as_bytes()).unwrap(), Backend::default()).unwrap()
    }

    #[test]
    fn a_good_token_has_no_failures_and_a_bad_one_lists_them_all() {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let matching = Matching::parse(r#"{"db_id":2,"email":"a@b","matching":"email"}"#).unwrap();
        let token = Claims::new("App".into(), NOW + 60, "rt".into(), &matching)
            .sign(&key, Some("k1"), NOW)
            .unwrap();
        let rules = Rules {
            now: NOW,
            leeway: 0,
            altcraft: true,
        };
        let verdict = verify_token(&token, &keyring(&key), &rules);
        assert!(verdict.valid(), "{:?}", verdict.failures);
        assert_eq!(verdict.kid.as_deref(), Some("k1"));

        let other = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let late = Rules {
            now: NOW + 120,
            ..rules
        };
        let verdict = verify_token(&token, &keyring(&other), &late);
        let codes: Vec<&str> = verdict.failures.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["bad_signature", "expired"]);
    }

    #[test]
    fn inspection_unpacks_matching_and_lists_what_verify_would_fail() {
        use base64::Engine as _;
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let matching = Matching::parse(r#"{"db_id":2,"email":"a@b","matching":"email"}"#).unwrap();
        let text = Claims::new("App".into(), NOW + 60, "rt".into(), &matching)
            .sign(&key, None, NOW)
            .unwrap();
        let token = Token::parse(&text).unwrap();
        let fresh = inspect(&token, NOW).unwrap();
        assert_eq!(fresh.header["alg"], "ES256");
        assert_eq!(fresh.claims["iss"], "App");
        assert_eq!(fresh.matching, Some(matching.to_value()));
        assert!(fresh.warnings.is_empty(), "{:?}", fresh.warnings);
        let later = inspect(&token, NOW + 3600).unwrap();
        let codes: Vec<&str> = later.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["expired"]);

        // An HMAC token with matching as an object: every problem named, nothing fatal.
        let part = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        let payload = r#"{"iss":"App","exp":1800000060,"rtoken":"rt","matching":{"db_id":2,"email":"a@b","matching":"email"}}"#;
        let hmac = format!("{}.{}.c2ln", part(r#"{"alg":"HS256"}"#), part(payload));
        let inspection = inspect(&Token::parse(&hmac).unwrap(), NOW).unwrap();
        let codes: Vec<&str> = inspection.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["alg_not_allowed", "matching_is_object"]);
        assert_eq!(inspection.matching, Some(matching.to_value()));
    }

    #[test]
    fn duplicate_members_fail_verification_and_are_reported_by_inspection() {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let rules = Rules {
            now: NOW,
            leeway: 0,
            altcraft: true,
        };
        let forge = |header: &str, payload: &str| {
            crate::hazmat::sign_unchecked(header, payload.as_bytes(), |input| key.sign(input))
                .unwrap()
        };
        let good = r#"{"iss":"App","exp":1800000060,"rtoken":"rt","matching":"{\"db_id\":2,\"email\":\"a@b\",\"matching\":\"email\"}"}"#;
        let cases = [
            (r#"{"alg":"none","alg":"ES256"}"#, good.to_string()),
            (
                r#"{"alg":"ES256"}"#,
                good.replace(r#""exp":1800000060"#, r#""exp":1,"exp":1800000060"#),
            ),
            (
                r#"{"alg":"ES256"}"#,
                good.replace(
                    r#"\"email\":\"a@b\""#,
                    r#"\"email\":\"x@y\",\"email\":\"a@b\""#,
                ),
            ),
        ];
        for (header, payload) in cases {
            let token = forge(header, &payload);
            let verdict = verify_token(&token, &keyring(&key), &rules);
            let codes: Vec<&str> = verdict.failures.iter().map(|f| f.code).collect();
            assert_eq!(codes, ["duplicate_member"], "{header} {payload}");
            let inspection = inspect(&Token::parse(&token).unwrap(), NOW).unwrap();
            assert!(
                inspection
                    .warnings
                    .iter()
                    .any(|w| w.code == "duplicate_member"),
                "{:?}",
                inspection.warnings
            );
        }
    }

    #[test]
    fn a_malformed_token_is_one_failure() {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let rules = Rules {
            now: NOW,
            leeway: 0,
            altcraft: true,
        };
        let verdict = verify_token("not.a", &keyring(&key), &rules);
        assert_eq!(verdict.failures.len(), 1);
        assert_eq!(verdict.failures[0].code, "malformed");
        assert!(verdict.claims.is_none());
    }
}
