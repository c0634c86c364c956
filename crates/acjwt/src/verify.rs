//! Verifying one token completely: every check, every failure, in one [`Verdict`]; and reading
//! one without a key, in an [`Inspection`].
//!
//! [`Token::verify`](crate::jws::Token::verify) answers "is the signature right";
//! this module answers what `acjwt verify` reports: the header, the key choice from a JWKS,
//! the signature, the times and the Altcraft claims, without stopping at the first failure.
//! [`inspect`] answers what `acjwt decode` reports: everything short of the signature.

use serde_json::{Map, Value};

use crate::backend::Keyring;
use crate::claims::Rules;
use crate::jws::{JwsError, Token};
use crate::rules::{self, Code, Finding, Severity};

/// One failed check, or a warning: the code and message of a [`Finding`], the shape
/// `--json` prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// A stable snake_case code (`bad_signature`, `expired`, ...): [`Code::as_str`].
    pub code: &'static str,
    /// The finding's message.
    pub message: String,
}

impl From<&Finding> for Failure {
    fn from(finding: &Finding) -> Failure {
        Failure {
            code: finding.code.as_str(),
            message: finding.message.clone(),
        }
    }
}

/// Everything verification found out about one token.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// The header's `alg`, whatever it is.
    pub alg: Option<String>,
    /// The header's `kid`, if it is a string.
    pub kid: Option<String>,
    /// The payload, when it is a JSON object (it holds the rtoken: redact before showing).
    pub claims: Option<Map<String, Value>>,
    /// Every failed check (the error findings); empty means valid.
    pub failures: Vec<Failure>,
    /// Things worth knowing that do not make the token invalid (the warning findings).
    pub warnings: Vec<Failure>,
    /// Every finding, in full: check, data and what the SDKs do.
    pub findings: Vec<Finding>,
}

impl Verdict {
    /// Whether no check failed.
    pub fn valid(&self) -> bool {
        self.failures.is_empty()
    }

    /// The verdict on an input that is no token at all (`message` says what it is).
    pub fn malformed(message: impl Into<String>) -> Verdict {
        let finding = Finding::new(Code::Malformed, rules::CheckName::Format, message);
        Verdict::from_findings(None, None, vec![finding])
    }

    fn from_findings(alg: Option<String>, kid: Option<String>, findings: Vec<Finding>) -> Verdict {
        let of = |severity: Severity| {
            findings
                .iter()
                .filter(|f| f.severity() == severity)
                .map(Failure::from)
                .collect()
        };
        Verdict {
            alg,
            kid,
            claims: None,
            failures: of(Severity::Error),
            warnings: of(Severity::Warning),
            findings,
        }
    }
}

/// Checks a compact token against the keys and rules, collecting every failure.
pub fn verify_token(text: &str, keys: &Keyring, rules: &Rules) -> Verdict {
    let (token, mut evaluation) = rules::evaluate(text, rules);
    let (alg, kid) = match &token {
        Some(token) => (token.alg().map(String::from), token.kid().map(String::from)),
        None => (None, None),
    };
    if let (Some(token), Some(kid)) = (&token, evaluation.key_request()) {
        match keys.verifier(kid) {
            Ok(verifier) => {
                let result = token.verify(verifier);
                evaluation.key_checked(verifier.public_key(), &result);
            }
            Err(err) => evaluation.key_not_chosen(&err),
        }
    }
    let claims = evaluation.claims.take();
    let mut verdict = Verdict::from_findings(alg, kid, evaluation.findings);
    verdict.claims = claims;
    verdict
}

/// What can be learned of a token without its key.
#[derive(Clone, Debug)]
pub struct Inspection {
    /// The decoded header.
    pub header: Map<String, Value>,
    /// The payload (it holds the rtoken, which anyone holding the token can read).
    pub claims: Map<String, Value>,
    /// The matching object, unpacked from its JSON string; a token that carries an object
    /// instead (which the iOS SDK rejects) has it taken as is, and a warning says so.
    pub matching: Option<Value>,
    /// Every finding at the instant given, errors (each would fail `verify`) and warnings
    /// alike: nothing is fatal when only decoding.
    pub warnings: Vec<Failure>,
    /// The same findings in full.
    pub findings: Vec<Finding>,
}

/// Reads a parsed token without checking its signature: header, claims, the matching object
/// unpacked, and every finding of `rules` (the clock and leeway [`verify_token`] would judge by).
pub fn inspect(token: &Token<'_>, rules: &Rules) -> Result<Inspection, JwsError> {
    let claims = token.claims()?;
    let mut evaluation = rules::evaluate_token(token, rules);
    evaluation.signature_shape(token);
    let findings: Vec<Finding> = evaluation
        .findings
        .into_iter()
        .filter(|f| f.severity() >= Severity::Warning)
        .collect();
    Ok(Inspection {
        header: token.header.clone(),
        claims,
        matching: evaluation.matching_object.map(Value::Object),
        warnings: findings.iter().map(Failure::from).collect(),
        findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Backend;
    use crate::claims::Claims;
    use crate::jws::Algorithm;
    use crate::keys::{PrivateKey, load_key_file};
    use crate::matching::Matching;

    /// Verify's default clock at `now`: no leeway, the Altcraft rules.
    fn at(now: i64) -> Rules {
        Rules {
            now,
            leeway: 0,
            altcraft: true,
        }
    }

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
        let fresh = inspect(&token, &at(NOW)).unwrap();
        assert_eq!(fresh.header["alg"], "ES256");
        assert_eq!(fresh.claims["iss"], "App");
        assert_eq!(fresh.matching, Some(matching.to_value()));
        assert!(fresh.warnings.is_empty(), "{:?}", fresh.warnings);
        let later = inspect(&token, &at(NOW + 3600)).unwrap();
        let codes: Vec<&str> = later.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["expired"]);
        let lenient = Rules {
            leeway: 3600,
            ..at(NOW + 3600)
        };
        assert!(inspect(&token, &lenient).unwrap().warnings.is_empty());

        // An HMAC token with matching as an object: every problem named, nothing fatal.
        let part = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        let payload = r#"{"iss":"App","exp":1800000060,"rtoken":"rt","matching":{"db_id":2,"email":"a@b","matching":"email"}}"#;
        let hmac = format!("{}.{}.c2ln", part(r#"{"alg":"HS256"}"#), part(payload));
        let inspection = inspect(&Token::parse(&hmac).unwrap(), &at(NOW)).unwrap();
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
            let inspection = inspect(&Token::parse(&token).unwrap(), &at(NOW)).unwrap();
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
