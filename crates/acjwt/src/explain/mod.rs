//! The token doctor behind `acjwt explain`: every check that decides whether a token works with
//! the Altcraft platform and the mSDKs, in the order a support engineer would go through them,
//! each one pass, warn, fail or skip.
//!
//! No rule lives here: [`crate::rules`] finds what is wrong, and this module sorts the
//! findings into the report's checks. A check fails iff an error finding belongs to it and
//! warns iff a warning does, so `explain` cannot disagree with `verify`; what is left to this
//! module is the descriptive line of a check that passes or cannot be judged. Fix texts are the
//! CLI's, keyed by the check and the finding's code. Like the rest of the library it takes
//! `now` from the caller and prints nothing.
//!
//! - [`report`]: the report model (statuses, sections, checks);
//! - `jose`, `times`, `claims`, `sdk`: the descriptive lines of each section;
//! - [`compare`](compare()): whether two tokens name one user.

mod claims;
mod compare;
mod jose;
pub mod report;
mod sdk;
mod times;

pub use compare::compare;
pub use report::{Check, Report, Section, Status};

pub use crate::rules::{KNOWN_CLAIMS, LONG_LIFETIME};
pub use crate::user_tag::{TagError, android_user_tag};

use crate::claims::Rules;
use crate::keys::KeyFile;
use crate::rules::{self, CheckName};

/// Runs every check on `text` (a compact token) at `clock.now` with `clock.leeway`, as
/// [`verify`](crate::verify) does; with `key` the signature too. The Altcraft claim rules are
/// always applied (they are what the report is for), whatever `clock.altcraft` says.
pub fn explain(text: &str, key: Option<&KeyFile>, clock: &Rules) -> Report {
    let rules = Rules {
        altcraft: true,
        ..*clock
    };
    let (token, mut evaluation) = rules::evaluate(text, &rules);
    let mut report = Report::default();
    let Some(token) = token else {
        report.judge(&evaluation, CheckName::Format, unreachable_pass);
        report.findings = evaluation.findings;
        return report;
    };
    let key = jose::check_key(&token, key, &mut evaluation);
    report.judge(&evaluation, CheckName::Format, || {
        (
            Status::Pass,
            "a compact JWS (header.payload.signature)".into(),
        )
    });
    jose::lines(&token, &key, &evaluation, &mut report);
    let Some(claims) = evaluation.claims.take() else {
        report.judge(&evaluation, CheckName::Payload, unreachable_pass);
        sdk::payload_size(token.payload.len(), &evaluation, &mut report);
        report.findings = evaluation.findings;
        return report;
    };
    times::lines(&claims, &rules, &evaluation, &mut report);
    claims::lines(&claims, &evaluation, &mut report);
    sdk::lines(token.payload.len(), &evaluation, &mut report);
    report.findings = evaluation.findings;
    report
}

/// The line of a check that always has a finding when it is reached.
fn unreachable_pass() -> (Status, String) {
    (Status::Skip, "not judged".into())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use serde_json::Value;

    use crate::claims::MAX_PAYLOAD_LEN;
    use crate::hazmat::sign_unchecked as sign_with;
    use crate::jws::Algorithm;
    use crate::keys::{PrivateKey, load_key_file};

    const NOW: i64 = 1_800_000_000;
    const MATCHING: &str =
        r#"{"db_id":2,"email":"registered_db@localhost","matching":"email_profile"}"#;

    fn key() -> PrivateKey {
        PrivateKey::generate(Algorithm::Es256, 0).unwrap()
    }

    fn good_claims() -> Value {
        json!({"iss": "App", "exp": NOW + 3600, "rtoken": "rt", "matching": MATCHING, "iat": NOW - 60})
    }

    fn sign(key: &PrivateKey, header: Value, claims: &Value) -> String {
        sign_with(&header.to_string(), claims.to_string().as_bytes(), |m| {
            key.sign(m)
        })
        .unwrap()
    }

    /// The clock of verify's defaults: no leeway.
    fn at(now: i64) -> Rules {
        Rules {
            now,
            leeway: 0,
            altcraft: true,
        }
    }

    fn token(claims: &Value) -> String {
        sign(&key(), json!({"alg": "ES256", "typ": "JWT"}), claims)
    }

    fn with(change: impl FnOnce(&mut Value)) -> Report {
        let mut claims = good_claims();
        change(&mut claims);
        explain(&token(&claims), None, &at(NOW))
    }

    fn status(report: &Report, code: &str) -> Status {
        report
            .checks
            .iter()
            .find(|c| c.name == code)
            .unwrap_or_else(|| panic!("no check {code}: {report:#?}"))
            .status
    }

    fn message<'a>(report: &'a Report, code: &str) -> &'a str {
        &report
            .checks
            .iter()
            .find(|c| c.name == code)
            .unwrap()
            .message
    }

    #[test]
    fn a_good_token_passes_everything_it_can_judge() {
        let signer = key();
        let file = load_key_file(signer.public_key().to_spki_pem().unwrap().as_bytes()).unwrap();
        let text = sign(
            &signer,
            json!({"alg": "ES256", "typ": "JWT"}),
            &good_claims(),
        );
        let report = explain(&text, Some(&file), &at(NOW));
        let not_passed: Vec<&Check> = report
            .checks
            .iter()
            .filter(|c| c.status != Status::Pass)
            .collect();
        assert!(not_passed.is_empty(), "{not_passed:#?}");
        assert!(!report.failed());
        assert_eq!(report.matching_mode.as_deref(), Some("email_profile"));
        // The order is the report's contract: JOSE, times, claims, SDK.
        let codes: Vec<&str> = report.checks.iter().map(|c| c.name).collect();
        assert_eq!(
            codes,
            [
                "format",
                "alg",
                "typ",
                "header_members",
                "kid",
                "signature",
                "key_strength",
                "exp",
                "lifetime",
                "iat",
                "nbf",
                "clock_skew",
                "iss",
                "rtoken",
                "matching",
                "db_id",
                "mode",
                "identifier",
                "unknown_fields",
                "payload_size",
                "matching_mode",
                "user_tag"
            ]
        );
        assert!(!format!("{report:?}").contains("\"rt\""));
    }

    #[test]
    fn jose_failures() {
        let report = explain("a.b", None, &at(NOW));
        assert_eq!(status(&report, "format"), Status::Fail);
        assert_eq!(report.checks.len(), 1);

        let k = key();
        let hs = explain(
            &sign(&k, json!({"alg": "HS256"}), &good_claims()),
            None,
            &at(NOW),
        );
        assert_eq!(status(&hs, "alg"), Status::Fail);
        assert_eq!(
            hs.checks.iter().find(|c| c.name == "alg").unwrap().code,
            Some(crate::rules::Code::AlgNotAllowed)
        );
        assert_eq!(status(&hs, "key_strength"), Status::Skip);

        let es384 = PrivateKey::generate(Algorithm::Es384, 0).unwrap();
        let odd = explain(
            &sign(
                &es384,
                json!({"alg": "ES384", "typ": "at+jwt", "x5u": "u"}),
                &good_claims(),
            ),
            None,
            &at(NOW),
        );
        assert_eq!(status(&odd, "alg"), Status::Pass);
        assert_eq!(status(&odd, "typ"), Status::Warn);
        assert_eq!(status(&odd, "header_members"), Status::Warn);
        assert_eq!(status(&odd, "signature"), Status::Skip);
        assert_eq!(status(&odd, "key_strength"), Status::Pass);

        let crit = explain(
            &sign(&k, json!({"alg": "ES256", "crit": ["b64"]}), &good_claims()),
            None,
            &at(NOW),
        );
        assert_eq!(status(&crit, "header_members"), Status::Fail);
    }

    #[test]
    fn signature_kid_and_key_strength_with_a_key() {
        let signer = key();
        let other = key();
        let text = sign(
            &signer,
            json!({"alg": "ES256", "kid": "k1"}),
            &good_claims(),
        );
        let wrong = load_key_file(other.public_key().to_spki_pem().unwrap().as_bytes()).unwrap();
        let report = explain(&text, Some(&wrong), &at(NOW));
        assert_eq!(status(&report, "signature"), Status::Fail);
        assert!(report.failed());

        let mut jwk = crate::keys::Jwk::from_public(&signer.public_key());
        jwk.kid = Some("k2".into());
        let set = json!({"keys": [jwk]}).to_string();
        let set = load_key_file(set.as_bytes()).unwrap();
        let report = explain(&text, Some(&set), &at(NOW));
        assert_eq!(status(&report, "kid"), Status::Fail);
        assert_eq!(status(&report, "signature"), Status::Skip);

        let right = load_key_file(signer.public_key().to_spki_pem().unwrap().as_bytes()).unwrap();
        let report = explain(&text, Some(&right), &at(NOW));
        assert_eq!(status(&report, "kid"), Status::Pass);
        assert_eq!(status(&report, "signature"), Status::Pass);
        assert_eq!(status(&report, "key_strength"), Status::Pass);
    }

    /// An RS256 token with a signature of `len` bytes: the checks below never verify it.
    fn rs256_shaped(len: usize) -> String {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#);
        let payload = URL_SAFE_NO_PAD.encode(good_claims().to_string());
        format!(
            "{header}.{payload}.{}",
            URL_SAFE_NO_PAD.encode(vec![7u8; len])
        )
    }

    #[test]
    fn weak_keys_fail_with_or_without_the_key() {
        let small = load_key_file(include_bytes!("../../../../tests/data/rsa1024.pem")).unwrap();
        let report = explain(&rs256_shaped(128), Some(&small), &at(NOW));
        assert_eq!(status(&report, "key_strength"), Status::Fail);
        assert!(message(&report, "key_strength").contains("1024"));

        let report = explain(&rs256_shaped(128), None, &at(NOW));
        assert_eq!(status(&report, "key_strength"), Status::Fail);
        let report = explain(&rs256_shaped(256), None, &at(NOW));
        assert_eq!(status(&report, "key_strength"), Status::Pass);

        // A DER-encoded ECDSA signature: 0x30 and the wrong length.
        let text = token(&good_claims());
        let (head, _) = text.rsplit_once('.').unwrap();
        let der = format!("{head}.{}", URL_SAFE_NO_PAD.encode([0x30u8; 70]));
        let report = explain(&der, None, &at(NOW));
        assert_eq!(status(&report, "key_strength"), Status::Fail);
        assert!(message(&report, "key_strength").contains("DER"));
    }

    #[test]
    fn time_checks() {
        let report = with(|c| drop(c.as_object_mut().unwrap().remove("exp")));
        assert_eq!(status(&report, "exp"), Status::Fail);
        assert_eq!(status(&report, "lifetime"), Status::Skip);
        assert_eq!(
            status(&with(|c| c["exp"] = json!("1800003600")), "exp"),
            Status::Fail
        );
        assert_eq!(
            status(&with(|c| c["exp"] = json!((NOW + 60) * 1000)), "exp"),
            Status::Fail
        );
        let expired = with(|c| c["exp"] = json!(NOW - 5));
        assert_eq!(status(&expired, "exp"), Status::Fail);
        assert!(message(&expired, "exp").contains("expired"));

        assert_eq!(
            status(&with(|c| c["exp"] = json!(NOW + 30)), "lifetime"),
            Status::Warn
        );
        let long = with(|c| c["exp"] = json!(NOW + 30 * 86_400));
        assert_eq!(status(&long, "lifetime"), Status::Warn);
        assert!(!long.failed());

        assert_eq!(
            status(&with(|c| c["iat"] = json!("now")), "iat"),
            Status::Fail
        );
        // iat after exp is a warning on iat; the clock skew is what fails.
        let late = with(|c| c["iat"] = json!(NOW + 7200));
        assert_eq!(status(&late, "iat"), Status::Warn);
        assert_eq!(status(&late, "clock_skew"), Status::Fail);
        assert_eq!(
            status(&with(|c| c["nbf"] = json!(NOW - 60)), "nbf"),
            Status::Pass
        );
        assert_eq!(
            status(&with(|c| c["nbf"] = json!(NOW + 600)), "nbf"),
            Status::Fail
        );

        // verify's rule: any iat ahead of the clock fails (issue 11, item 6).
        assert_eq!(
            status(&with(|c| c["iat"] = json!(NOW + 20)), "clock_skew"),
            Status::Fail
        );
        assert_eq!(status(&with(|c| c["iat"] = json!(-1)), "iat"), Status::Fail);
        assert_eq!(status(&with(|c| c["nbf"] = json!(-1)), "nbf"), Status::Fail);
        assert_eq!(
            status(&with(|c| c["iat"] = json!(NOW + 600)), "clock_skew"),
            Status::Fail
        );
        let no_iat = with(|c| drop(c.as_object_mut().unwrap().remove("iat")));
        assert_eq!(status(&no_iat, "clock_skew"), Status::Skip);
        assert_eq!(status(&no_iat, "iat"), Status::Pass);
    }

    #[test]
    fn claim_checks() {
        assert_eq!(
            status(
                &with(|c| drop(c.as_object_mut().unwrap().remove("iss"))),
                "iss"
            ),
            Status::Fail
        );
        let empty = with(|c| c["rtoken"] = json!(""));
        assert_eq!(status(&empty, "rtoken"), Status::Fail);

        let object = with(|c| c["matching"] = serde_json::from_str(MATCHING).unwrap());
        assert_eq!(status(&object, "matching"), Status::Fail);
        // Android still reads an object, so the members are judged anyway.
        assert_eq!(status(&object, "db_id"), Status::Pass);
        assert!(object.user_tag.is_some());
        assert_eq!(
            status(&with(|c| c["matching"] = json!("{not json")), "matching"),
            Status::Fail
        );

        let text_db_id =
            with(|c| c["matching"] = json!(r#"{"db_id":"2","email":"a@b","matching":"bogus"}"#));
        assert_eq!(status(&text_db_id, "db_id"), Status::Fail);
        assert_eq!(
            status(&text_db_id, "mode"),
            Status::Fail,
            "judged despite the bad db_id"
        );
        assert_eq!(status(&text_db_id, "identifier"), Status::Skip);
        assert_eq!(status(&text_db_id, "matching"), Status::Pass);

        let huge = with(|c| {
            c["matching"] = json!(r#"{"db_id":3000000000,"email":"a@b","matching":"email"}"#)
        });
        assert_eq!(status(&huge, "db_id"), Status::Fail);
        assert!(message(&huge, "db_id").contains("the Android SDK reads an Int"));

        let missing =
            with(|c| c["matching"] = json!(r#"{"db_id":2,"matching":"phone","email":"a@b"}"#));
        assert_eq!(status(&missing, "mode"), Status::Pass);
        assert_eq!(status(&missing, "identifier"), Status::Fail);
        // The Android SDK still has an identifier (the email), so it has a tag.
        assert_eq!(status(&missing, "user_tag"), Status::Pass);

        let extra = with(|c| c["aud"] = json!("x"));
        assert_eq!(status(&extra, "unknown_fields"), Status::Warn);
        assert!(message(&extra, "unknown_fields").contains("aud"));
    }

    #[test]
    fn sdk_checks() {
        let big = with(|c| c["pad"] = json!("x".repeat(MAX_PAYLOAD_LEN)));
        assert_eq!(status(&big, "payload_size"), Status::Fail);
        let no_mode = with(|c| c["matching"] = json!(r#"{"db_id":2,"email":"a@b"}"#));
        // The mode check fails (verify's matching_invalid); the SDK view warns what it means.
        assert_eq!(status(&no_mode, "mode"), Status::Fail);
        assert_eq!(status(&no_mode, "matching_mode"), Status::Warn);
        let no_id = with(|c| c["matching"] = json!(r#"{"db_id":2,"matching":"email"}"#));
        assert_eq!(status(&no_id, "identifier"), Status::Fail);
        assert_eq!(status(&no_id, "user_tag"), Status::Warn);
        assert_eq!(status(&no_id, "matching_mode"), Status::Pass);
    }

    #[test]
    fn comparing_two_tokens() {
        let a = with(|_| {});
        let b = with(|c| c["exp"] = json!(NOW + 60));
        let same = compare(&a, &b);
        assert_eq!(same[0].status, Status::Pass);
        assert_eq!(same[1].status, Status::Pass);

        let c = with(|c| {
            c["matching"] =
                json!(r#"{"db_id":2,"email":"other@localhost","matching":"email_profile"}"#);
            c["rtoken"] = json!("other");
        });
        let different = compare(&a, &c);
        assert_eq!(different[0].status, Status::Fail);
        assert!(
            different[0].message.contains("email"),
            "{}",
            different[0].message
        );
        assert_eq!(different[1].status, Status::Warn);
        assert!(!different[1].message.contains("other"));

        let none = with(|c| c["matching"] = json!(r#"{"db_id":2,"matching":"email"}"#));
        assert_eq!(compare(&a, &none)[0].status, Status::Skip);
    }

    /// With a leeway, a time the leeway accepted passes and says so, rather than claiming
    /// there is nothing to see.
    #[test]
    fn a_pass_the_leeway_made_says_so() {
        let mut claims = good_claims();
        claims["iat"] = json!(NOW + 120);
        claims["exp"] = json!(NOW - 60);
        let lenient = Rules {
            leeway: 300,
            ..at(NOW)
        };
        let report = explain(&token(&claims), None, &lenient);
        assert_eq!(status(&report, "exp"), Status::Pass);
        assert!(message(&report, "exp").contains("within the leeway of 5m"));
        assert_eq!(status(&report, "lifetime"), Status::Skip);
        assert!(message(&report, "lifetime").contains("accepted by the leeway"));
        assert_eq!(status(&report, "clock_skew"), Status::Pass);
        assert!(
            message(&report, "clock_skew").contains("2m ahead"),
            "{}",
            message(&report, "clock_skew")
        );
        // Without it, both fail, as verify fails them.
        let strict = explain(&token(&claims), None, &at(NOW));
        assert_eq!(status(&strict, "exp"), Status::Fail);
        assert_eq!(status(&strict, "clock_skew"), Status::Fail);
    }
}
