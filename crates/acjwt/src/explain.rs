// Documented with the rule engine.
#![allow(missing_docs)]
//! The token doctor behind `acjwt explain`: every check that decides whether a token works with
//! the Altcraft platform and the mSDKs, in the order a support engineer would go through them,
//! each one pass, warn, fail or skip with the reason and the fix.
//!
//! The rules themselves are not restated here: the times and Altcraft claims come from
//! [`claims::check_claims`], the matching object from [`Matching`], signatures from
//! [`Token::verify`]. This module sorts their findings into the report and adds what only
//! matters for the SDKs (payload size, `matching_mode`, the local user tag). Like the rest of
//! the library it takes `now` from the caller and prints nothing.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::claims::{
    self, MAX_PAYLOAD_LEN, Rules, Violation, check_claims, describe_relative, format_utc,
    human_duration, time_claim,
};
use crate::jws::{Algorithm, JwsError, Token};
use crate::keys::{KeyFile, hex, platform_refusal};
use crate::matching::{Matching, MatchingError};

/// How one check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    /// Works, but is likely to cause trouble.
    Warn,
    /// The platform or an SDK will refuse the token.
    Fail,
    /// Could not be judged (no key given, or an earlier failure hides it).
    Skip,
}

/// The group a check belongs to, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// The JOSE header, signature and key.
    Jose,
    /// exp, iat, nbf.
    Times,
    /// iss, rtoken, matching.
    Claims,
    /// What the mobile SDKs do with the token.
    Sdk,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Jose => "JOSE",
            Section::Times => "Times",
            Section::Claims => "Altcraft claims",
            Section::Sdk => "SDK view",
        }
    }
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub section: Section,
    /// A stable snake_case name for scripts.
    pub code: &'static str,
    pub status: Status,
    pub message: String,
    /// The exact change that makes a warning or failure go away.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// Everything `explain` found out about one token. Holds no secret: the role token is only
/// kept as a digest, to tell whether two tokens share it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub checks: Vec<Check>,
    /// The `matching_mode` the SDKs send with this token.
    pub matching_mode: Option<String>,
    /// The Android SDK's local user tag for this token (see [`android_user_tag`]).
    pub user_tag: Option<String>,
    /// The matching object the SDKs read, for comparing two tokens.
    #[serde(skip)]
    matching: Option<Map<String, Value>>,
    #[serde(skip)]
    iss: Option<String>,
    #[serde(skip)]
    rtoken_digest: Option<[u8; 32]>,
}

impl Report {
    /// Whether any check failed: `explain` exits 1 then.
    pub fn failed(&self) -> bool {
        self.checks.iter().any(|c| c.status == Status::Fail)
    }

    /// How many checks came out `status`.
    pub fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }

    fn push(
        &mut self,
        section: Section,
        code: &'static str,
        status: Status,
        message: impl Into<String>,
        fix: Option<&str>,
    ) {
        self.checks.push(Check {
            section,
            code,
            status,
            message: message.into(),
            fix: fix.map(String::from),
        });
    }
}

/// Lifetimes longer than this earn a warning: a leaked token stays useful that long.
pub const LONG_LIFETIME: i64 = 24 * 3600;

/// Claims that the platform reads, or that are registered JWT claims harmless to it.
const KNOWN_CLAIMS: [&str; 8] = [
    "iss", "exp", "rtoken", "matching", "iat", "nbf", "jti", "sub",
];

/// Runs every check on `text` (a compact token) at `now`; with `key` the signature too.
pub fn explain(text: &str, key: Option<&KeyFile>, now: i64) -> Report {
    let mut report = Report::default();
    let token = match Token::parse(text) {
        Ok(token) => {
            report.push(
                Section::Jose,
                "format",
                Status::Pass,
                "a compact JWS (header.payload.signature)",
                None,
            );
            token
        }
        Err(err) => {
            report.push(
                Section::Jose,
                "format",
                Status::Fail,
                err.to_string(),
                Some("pass the whole token as minted: three base64url parts joined by dots"),
            );
            return report;
        }
    };
    jose_checks(&token, key, &mut report);
    let claims = match token.claims() {
        Ok(claims) => claims,
        Err(err) => {
            report.push(
                Section::Claims,
                "payload",
                Status::Fail,
                err.to_string(),
                Some("the payload must be a JSON object: mint the token with acjwt mint"),
            );
            return report;
        }
    };
    let rules = Rules {
        now,
        leeway: 0,
        altcraft: true,
    };
    let violations = check_claims(&claims, &rules);
    duplicate_checks(&token, &violations, &mut report);
    time_checks(&claims, &violations, now, &mut report);
    claim_checks(&claims, &violations, &mut report);
    sdk_checks(text.split('.').nth(1).unwrap_or_default(), &mut report);
    report
}

/// A member given twice in the header, payload or matching string fails, as in `verify`:
/// which value a reader takes differs between libraries. Nothing is shown when there is none.
fn duplicate_checks(token: &Token<'_>, violations: &[Violation], report: &mut Report) {
    const FIX: &str = "write each member once; acjwt mint never writes a member twice";
    for duplicate in &token.duplicates {
        let section = match duplicate {
            JwsError::DuplicateMember { part: "header", .. } => Section::Jose,
            _ => Section::Claims,
        };
        report.push(
            section,
            "duplicate_member",
            Status::Fail,
            duplicate.to_string(),
            Some(FIX),
        );
    }
    for violation in violations {
        if let Violation::DuplicateMember { .. } = violation {
            report.push(
                Section::Claims,
                "duplicate_member",
                Status::Fail,
                violation.to_string(),
                Some(FIX),
            );
        }
    }
}

fn jose_checks(token: &Token<'_>, key: Option<&KeyFile>, report: &mut Report) {
    let alg = token.algorithm();
    match &alg {
        Ok(Algorithm::Es384) => report.push(
            Section::Jose,
            "alg",
            Status::Pass,
            "ES384, the platform's recommended algorithm",
            None,
        ),
        Ok(alg) => report.push(
            Section::Jose,
            "alg",
            Status::Pass,
            format!("{alg} is accepted by the platform"),
            None,
        ),
        Err(err) => {
            let fix = match token.alg() {
                Some(alg) if alg.starts_with("HS") => {
                    "the platform verifies with a registered public key, not a shared secret: sign with ES384 (acjwt keygen, acjwt mint)"
                }
                _ => {
                    "sign with ES384, ES256, ES512 or RS256 (acjwt mint takes the algorithm from the key)"
                }
            };
            report.push(
                Section::Jose,
                "alg",
                Status::Fail,
                err.to_string(),
                Some(fix),
            );
        }
    }

    match token.header.get("typ") {
        None => report.push(
            Section::Jose,
            "typ",
            Status::Pass,
            "no typ (optional)",
            None,
        ),
        Some(Value::String(typ)) if typ.eq_ignore_ascii_case("JWT") => {
            report.push(Section::Jose, "typ", Status::Pass, "JWT", None)
        }
        Some(other) => report.push(
            Section::Jose,
            "typ",
            Status::Warn,
            format!("typ is {other}, not \"JWT\""),
            Some("set typ to \"JWT\" or leave it out (acjwt mint writes \"JWT\")"),
        ),
    }

    let unknown: Vec<&str> = token
        .header
        .keys()
        .map(String::as_str)
        .filter(|name| !["alg", "typ", "kid"].contains(name))
        .collect();
    if token.header.contains_key("crit") {
        report.push(
            Section::Jose,
            "header_members",
            Status::Fail,
            "the header has \"crit\": verifiers must refuse extensions they do not know",
            Some("drop the crit header member"),
        );
    } else if unknown.is_empty() {
        report.push(
            Section::Jose,
            "header_members",
            Status::Pass,
            "only alg, typ and kid",
            None,
        );
    } else {
        report.push(
            Section::Jose,
            "header_members",
            Status::Warn,
            format!(
                "header members the platform does not use: {}",
                unknown.join(", ")
            ),
            Some("leave them out; they only make the token longer"),
        );
    }

    // A kid that is not a string fails as in `verify` (kid_invalid), never "no kid".
    let kid_error = token.kid_checked().err();
    let kid = token.kid();
    let selected = key.map(|file| file.verification_key(kid));
    match (&selected, kid) {
        _ if kid_error.is_some() => report.push(
            Section::Jose,
            "kid",
            Status::Fail,
            kid_error
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            Some("a kid is a string: acjwt mint --kid NAME"),
        ),
        (Some(Err(err)), _) => report.push(
            Section::Jose,
            "kid",
            Status::Fail,
            err.to_string(),
            Some("mint with a --kid the key set holds (acjwt key inspect lists them)"),
        ),
        (Some(Ok(_)), Some(kid)) => report.push(
            Section::Jose,
            "kid",
            Status::Pass,
            format!("kid {kid:?} selects the key"),
            None,
        ),
        (_, Some(kid)) => report.push(
            Section::Jose,
            "kid",
            Status::Pass,
            format!("kid {kid:?}"),
            None,
        ),
        (_, None) => report.push(
            Section::Jose,
            "kid",
            Status::Pass,
            "no kid (needed only to choose among several keys)",
            None,
        ),
    }

    match &selected {
        None => report.push(
            Section::Jose,
            "signature",
            Status::Skip,
            "not checked: no key given",
            Some("pass --key with the public key registered on the platform"),
        ),
        Some(Err(_)) => report.push(
            Section::Jose,
            "signature",
            Status::Skip,
            "not checked: no key selected (see kid)",
            None,
        ),
        Some(Ok(public)) => match token.verify(public) {
            Ok(_) => report.push(
                Section::Jose,
                "signature",
                Status::Pass,
                format!("verifies with the {}", public.describe()),
                None,
            ),
            Err(err) => {
                let fix = match err {
                    JwsError::AlgMismatch { .. } => {
                        "verify with the public key of the private key that signed, or re-mint with the key whose public half the platform has"
                    }
                    _ => {
                        "the token was changed after signing or signed by another key: compare fingerprints with acjwt key inspect on both keys"
                    }
                };
                report.push(
                    Section::Jose,
                    "signature",
                    Status::Fail,
                    err.to_string(),
                    Some(fix),
                );
            }
        },
    }

    let strength_fix = "make a new pair with acjwt keygen (ES384) and register its public key";
    match (&selected, &alg) {
        (Some(Ok(public)), _) => match platform_refusal(public) {
            Some(reason) => report.push(
                Section::Jose,
                "key_strength",
                Status::Fail,
                reason,
                Some(strength_fix),
            ),
            None => report.push(
                Section::Jose,
                "key_strength",
                Status::Pass,
                format!("{} key", public.kind()),
                None,
            ),
        },
        // Without a key the signature still tells the RSA modulus size and whether an ECDSA
        // signature has the JWS r||s shape.
        (_, Ok(Algorithm::Rs256)) => {
            let bits = token.signature.len() * 8;
            if bits < crate::keys::MIN_RSA_BITS {
                report.push(
                    Section::Jose,
                    "key_strength",
                    Status::Fail,
                    format!(
                        "the signature is {} bytes, so the RSA key has about {bits} bits; the platform needs {}",
                        token.signature.len(),
                        crate::keys::MIN_RSA_BITS
                    ),
                    Some(strength_fix),
                );
            } else {
                report.push(
                    Section::Jose,
                    "key_strength",
                    Status::Pass,
                    format!("RSA {bits}-bit, judging by the signature length"),
                    None,
                );
            }
        }
        (_, Ok(alg)) => {
            let expected = alg.ecdsa_signature_len().unwrap_or_default();
            if token.signature.len() == expected {
                report.push(
                    Section::Jose,
                    "key_strength",
                    Status::Pass,
                    format!(
                        "{} key, a {expected}-byte r||s signature",
                        alg.curve().unwrap_or_default()
                    ),
                    None,
                );
            } else {
                report.push(
                    Section::Jose,
                    "key_strength",
                    Status::Fail,
                    format!(
                        "the signature is {} bytes; {alg} signatures are {expected} bytes (r||s){}",
                        token.signature.len(),
                        if token.signature.first() == Some(&0x30) {
                            ", this looks DER-encoded"
                        } else {
                            ""
                        }
                    ),
                    Some("encode ECDSA signatures as r||s (RFC 7518 3.4), as JWT libraries do"),
                );
            }
        }
        (_, Err(_)) => report.push(
            Section::Jose,
            "key_strength",
            Status::Skip,
            "not judged: the algorithm is not one the platform accepts",
            None,
        ),
    }
}

/// The violations about one claim.
fn violations_of<'a>(violations: &'a [Violation], claim: &str) -> Vec<&'a Violation> {
    violations
        .iter()
        .filter(|v| match v {
            Violation::ExpMissing | Violation::Expired { .. } => claim == "exp",
            Violation::TimeNotInteger { claim: c, .. }
            | Violation::TimeOutOfRange { claim: c, .. }
            | Violation::TimeInMilliseconds { claim: c, .. }
            | Violation::TimeBeforeEpoch { claim: c, .. }
            | Violation::ClaimMissing { claim: c }
            | Violation::ClaimNotString { claim: c, .. }
            | Violation::ClaimEmpty { claim: c } => *c == claim,
            Violation::NotYetValid { .. } => claim == "nbf",
            Violation::IssuedInFuture { .. } => claim == "iat",
            Violation::MatchingIsObject | Violation::MatchingInvalid(_) => claim == "matching",
            Violation::PayloadTooLarge { .. } => claim == "payload",
            // Reported by `duplicate_checks`, wherever the member is.
            Violation::DuplicateMember { .. } => false,
        })
        .collect()
}

fn time_fix(violation: &Violation) -> &'static str {
    match violation {
        Violation::ExpMissing => "set exp: acjwt mint --ttl 1h",
        Violation::TimeNotInteger { .. } => {
            "write the time as a JSON integer of unix seconds (1800000000), not a string or a fraction"
        }
        Violation::TimeOutOfRange { .. } => {
            "write the time as unix seconds (1800000000); this value is no time at all"
        }
        Violation::TimeInMilliseconds { .. } => "write it in seconds: divide the value by 1000",
        Violation::TimeBeforeEpoch { .. } => "write the time as unix seconds since 1970",
        Violation::Expired { .. } => {
            "mint a fresh token; the app should fetch a new one from the backend when it expires"
        }
        Violation::NotYetValid { .. } => {
            "drop nbf or set it to the minting time; check the minting server's clock"
        }
        _ => "fix the claim",
    }
}

/// A time claim that is present and valid as integer seconds.
fn valid_time(claims: &Map<String, Value>, claim: &'static str) -> Option<i64> {
    claims.get(claim).and_then(|v| time_claim(claim, v).ok())
}

fn time_checks(claims: &Map<String, Value>, violations: &[Violation], now: i64, r: &mut Report) {
    let exp = valid_time(claims, "exp");
    let iat = valid_time(claims, "iat");
    let nbf = valid_time(claims, "nbf");

    match violations_of(violations, "exp").first() {
        Some(v) => r.push(
            Section::Times,
            "exp",
            Status::Fail,
            v.to_string(),
            Some(time_fix(v)),
        ),
        None => r.push(
            Section::Times,
            "exp",
            Status::Pass,
            format!(
                "{} ({})",
                format_utc(exp.unwrap_or_default()),
                claims::describe_expiry(exp.unwrap_or_default(), now)
            ),
            None,
        ),
    }

    match exp.filter(|&exp| exp > now) {
        None => r.push(
            Section::Times,
            "lifetime",
            Status::Skip,
            "not judged: exp is not usable",
            None,
        ),
        Some(exp) => {
            let left = exp - now;
            let total = iat.filter(|&iat| iat <= now).map_or(left, |iat| exp - iat);
            if left < 60 {
                r.push(
                    Section::Times,
                    "lifetime",
                    Status::Warn,
                    format!("only {} left: the SDK's next request may come after it", human_duration(left)),
                    Some("mint tokens right before handing them to the app, with a ttl of minutes to hours"),
                );
            } else if total > LONG_LIFETIME {
                r.push(
                    Section::Times,
                    "lifetime",
                    Status::Warn,
                    format!(
                        "lifetime of {}: a leaked token works that long",
                        human_duration(total)
                    ),
                    Some(
                        "use a short ttl (acjwt mint --ttl 1h) and let the app fetch fresh tokens",
                    ),
                );
            } else {
                r.push(
                    Section::Times,
                    "lifetime",
                    Status::Pass,
                    format!("{} left of {}", human_duration(left), human_duration(total)),
                    None,
                );
            }
        }
    }

    for (claim, value) in [("iat", iat), ("nbf", nbf)] {
        // Every rule on the value itself (shape, milliseconds, before 1970), as verify applies
        // it; a time in the future is judged below (nbf) and under clock_skew (iat).
        let shape = violations_of(violations, claim).into_iter().find(|v| {
            matches!(
                v,
                Violation::TimeNotInteger { .. }
                    | Violation::TimeOutOfRange { .. }
                    | Violation::TimeInMilliseconds { .. }
                    | Violation::TimeBeforeEpoch { .. }
            )
        });
        let code = if claim == "iat" { "iat" } else { "nbf" };
        if let Some(v) = shape {
            r.push(
                Section::Times,
                code,
                Status::Fail,
                v.to_string(),
                Some(time_fix(v)),
            );
            continue;
        }
        match (value, exp) {
            (None, _) => r.push(
                Section::Times,
                code,
                Status::Pass,
                format!("no {claim} (optional)"),
                None,
            ),
            (Some(at), Some(exp)) if at > exp => r.push(
                Section::Times,
                code,
                Status::Fail,
                format!(
                    "{claim} {} is after exp {}",
                    format_utc(at),
                    format_utc(exp)
                ),
                Some("set times from one clock reading: exp = now + ttl"),
            ),
            (Some(at), _) if claim == "nbf" && at > now => r.push(
                Section::Times,
                code,
                Status::Fail,
                violations_of(violations, "nbf").first().map_or_else(
                    || format!("nbf is {}", describe_relative(at, now)),
                    |v| v.to_string(),
                ),
                Some(time_fix(&Violation::NotYetValid { nbf: at, now })),
            ),
            (Some(at), _) => r.push(
                Section::Times,
                code,
                Status::Pass,
                format!("{} ({})", format_utc(at), describe_relative(at, now)),
                None,
            ),
        }
    }

    // verify's rule decides (iat_in_future, no leeway here): any iat ahead of this clock fails,
    // so the two commands never disagree on a token.
    let skew_fix = "keep the minting server's clock in sync (NTP)";
    let ahead = violations_of(violations, "iat")
        .into_iter()
        .find(|v| matches!(v, Violation::IssuedInFuture { .. }));
    match (iat, ahead) {
        (None, _) => r.push(
            Section::Times,
            "clock_skew",
            Status::Skip,
            "no iat, so the minting server's clock cannot be compared with this one",
            None,
        ),
        (Some(_), Some(v)) => r.push(
            Section::Times,
            "clock_skew",
            Status::Fail,
            format!("{v}: the minting server's clock runs ahead of this one"),
            Some(skew_fix),
        ),
        (Some(_), None) => r.push(
            Section::Times,
            "clock_skew",
            Status::Pass,
            "iat is not in the future; no skew visible",
            None,
        ),
    }
}

fn claim_checks(claims: &Map<String, Value>, violations: &[Violation], r: &mut Report) {
    match violations_of(violations, "iss").first() {
        Some(v) => r.push(
            Section::Claims,
            "iss",
            Status::Fail,
            v.to_string(),
            Some("set iss to your app's name: acjwt mint --iss NAME"),
        ),
        None => {
            let iss = claims
                .get("iss")
                .and_then(Value::as_str)
                .unwrap_or_default();
            r.iss = Some(iss.to_string());
            r.push(
                Section::Claims,
                "iss",
                Status::Pass,
                format!(
                    "{iss:?} (should name your app; the platform's exact rule is undocumented)"
                ),
                None,
            );
        }
    }

    match violations_of(violations, "rtoken").first() {
        Some(v) => r.push(
            Section::Claims,
            "rtoken",
            Status::Fail,
            v.to_string(),
            Some("copy the role token from the resource's settings: acjwt mint --rtoken-file FILE"),
        ),
        None => {
            let rtoken = claims
                .get("rtoken")
                .and_then(Value::as_str)
                .unwrap_or_default();
            r.rtoken_digest = Some(Sha256::digest(rtoken.as_bytes()).into());
            r.push(
                Section::Claims,
                "rtoken",
                Status::Pass,
                format!("present, {} characters (not shown)", rtoken.chars().count()),
                None,
            );
        }
    }

    // The object the SDKs read: a string holding JSON (both SDKs) or an object (Android only).
    let object = match claims.get("matching") {
        Some(Value::String(text)) => serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|v| v.as_object().cloned()),
        Some(Value::Object(object)) => Some(object.clone()),
        _ => None,
    };
    let matching_violation = violations_of(violations, "matching").into_iter().find(|v| {
        !matches!(
            v,
            Violation::MatchingInvalid(
                MatchingError::MissingDbId
                    | MatchingError::BadDbId(_)
                    | MatchingError::MissingMode
                    | MatchingError::UnknownMode(_)
                    | MatchingError::MissingField { .. }
                    | MatchingError::NotAString { .. }
                    | MatchingError::BadFieldValue
                    | MatchingError::Malformed { .. }
            )
        )
    });
    match matching_violation {
        Some(v) => r.push(
            Section::Claims,
            "matching",
            Status::Fail,
            v.to_string(),
            Some(
                "make matching a string holding a JSON object: acjwt matching build prints one, acjwt mint embeds it",
            ),
        ),
        None => r.push(
            Section::Claims,
            "matching",
            Status::Pass,
            "a string holding a JSON object, as both SDKs need",
            None,
        ),
    }
    r.matching = object.clone();
    member_checks(object.as_ref(), claims, r);
}

/// Which check a matching error belongs to.
fn member_of(err: &MatchingError) -> &'static str {
    match err {
        MatchingError::MissingDbId | MatchingError::BadDbId(_) => "db_id",
        MatchingError::MissingMode | MatchingError::UnknownMode(_) => "mode",
        _ => "identifier",
    }
}

/// db_id, mode and identifier, each judged by [`Matching::from_value`].
///
/// `from_value` stops at the first problem and checks db_id, then the mode, then the fields.
/// So the members before the failing one passed; a bad db_id is replaced by a valid one and
/// the object checked again, so that one typo does not hide the rest.
fn member_checks(object: Option<&Map<String, Value>>, claims: &Map<String, Value>, r: &mut Report) {
    let Some(object) = object else {
        for code in ["db_id", "mode", "identifier"] {
            r.push(
                Section::Claims,
                code,
                Status::Skip,
                "not judged: no matching object",
                None,
            );
        }
        return;
    };
    let mut outcome: Vec<(&'static str, Result<(), MatchingError>)> = Vec::new();
    let mut candidate = Value::Object(object.clone());
    let parsed = loop {
        match Matching::from_value(&candidate) {
            Ok(matching) => break Some(matching),
            Err(err) => {
                let member = member_of(&err);
                for earlier in ["db_id", "mode"] {
                    if earlier == member {
                        break;
                    }
                    if !outcome.iter().any(|(m, _)| *m == earlier) {
                        outcome.push((earlier, Ok(())));
                    }
                }
                outcome.push((member, Err(err)));
                if member == "db_id" {
                    candidate["db_id"] = Value::from(1);
                    continue;
                }
                break None;
            }
        }
    };
    if parsed.is_some() {
        for member in ["db_id", "mode", "identifier"] {
            if !outcome.iter().any(|(m, _)| *m == member) {
                outcome.push((member, Ok(())));
            }
        }
    }

    for member in ["db_id", "mode", "identifier"] {
        let result = outcome.iter().find(|(m, _)| *m == member).map(|(_, r)| r);
        match (member, result) {
            (_, None) => r.push(
                Section::Claims,
                member,
                Status::Skip,
                "not judged: the mode is unknown",
                None,
            ),
            (_, Some(Err(err))) => {
                let fix = match member {
                    "db_id" => "db_id is the profile database's id, a JSON integer: \"db_id\":2",
                    "mode" => "use one of the modes listed by acjwt matching modes",
                    _ => "add the mode's fields: acjwt matching modes lists them",
                };
                r.push(
                    Section::Claims,
                    member,
                    Status::Fail,
                    err.to_string(),
                    Some(fix),
                );
            }
            ("db_id", Some(Ok(()))) => {
                // The library's check covers the Android SDK's 32-bit Int range.
                let db_id = object
                    .get("db_id")
                    .and_then(Value::as_u64)
                    .unwrap_or_default();
                r.push(
                    Section::Claims,
                    "db_id",
                    Status::Pass,
                    format!("{db_id}, an integer"),
                    None,
                );
            }
            ("mode", Some(Ok(()))) => {
                let mode = parsed.as_ref().map(|m| m.mode).or_else(|| {
                    object
                        .get("matching")
                        .and_then(Value::as_str)
                        .and_then(crate::matching::Mode::from_name)
                });
                let message = mode.map_or_else(
                    || "a known mode".to_string(),
                    |mode| format!("{mode}: {}", mode.description()),
                );
                r.push(Section::Claims, "mode", Status::Pass, message, None);
            }
            (_, Some(Ok(()))) => {
                let message = parsed.as_ref().map_or_else(String::new, |m| {
                    let mut shown: Vec<String> = m
                        .identifiers
                        .iter()
                        .map(|(f, v)| format!("{f} {v:?}"))
                        .collect();
                    if let Some(value) = &m.field_value {
                        shown.push(format!("field_value {value:?}"));
                    }
                    format!(
                        "{} needs {}: {}",
                        m.mode,
                        m.mode.requirement_text(),
                        shown.join(", ")
                    )
                });
                r.push(Section::Claims, "identifier", Status::Pass, message, None);
            }
        }
    }

    let mut notes: Vec<String> = Vec::new();
    let unknown: Vec<&str> = claims
        .keys()
        .map(String::as_str)
        .filter(|name| !KNOWN_CLAIMS.contains(name))
        .collect();
    if !unknown.is_empty() {
        notes.push(format!(
            "claims not used by the platform: {}",
            unknown.join(", ")
        ));
    }
    if let Some(matching) = &parsed {
        notes.extend(matching.warnings());
    }
    if notes.is_empty() {
        r.push(
            Section::Claims,
            "unknown_fields",
            Status::Pass,
            "no undocumented claims or matching members",
            None,
        );
    } else {
        r.push(
            Section::Claims,
            "unknown_fields",
            Status::Warn,
            notes.join("; "),
            Some("leave out what the platform does not read; it only makes the token longer"),
        );
    }
}

fn sdk_checks(payload_b64: &str, r: &mut Report) {
    match claims::check_payload_size(payload_b64) {
        Some(violation) => r.push(
            Section::Sdk,
            "payload_size",
            Status::Fail,
            violation.to_string(),
            Some("shorten the claims: the platform reads only iss, exp, rtoken and matching"),
        ),
        None => r.push(
            Section::Sdk,
            "payload_size",
            Status::Pass,
            format!(
                "about {} bytes, under the Android SDK's {MAX_PAYLOAD_LEN}-byte limit",
                claims::android_payload_len(payload_b64)
            ),
            None,
        ),
    }

    let mode = r
        .matching
        .as_ref()
        .and_then(|m| m.get("matching"))
        .and_then(Value::as_str)
        .filter(|mode| !mode.is_empty())
        .map(String::from);
    match &mode {
        Some(mode) => r.push(
            Section::Sdk,
            "matching_mode",
            Status::Pass,
            format!("the SDKs send matching_mode={mode} (push_sub instead when the app configures an rToken)"),
            None,
        ),
        None => r.push(
            Section::Sdk,
            "matching_mode",
            Status::Fail,
            "the SDKs find no mode in matching (Android error 541)",
            Some("put the mode in matching: \"matching\":\"email\""),
        ),
    }
    r.matching_mode = mode;

    match r.matching.as_ref().map(android_user_tag) {
        Some(Ok(tag)) => {
            r.push(
                Section::Sdk,
                "user_tag",
                Status::Pass,
                format!("Android user tag {tag}"),
                None,
            );
            r.user_tag = Some(tag);
        }
        Some(Err(TagError::NoIdentifier)) => r.push(
            Section::Sdk,
            "user_tag",
            Status::Fail,
            "the Android SDK finds no matching identifier and cannot name the user (error 545)",
            Some("add the mode's identifier to matching (email, phone, profile_id, ...)"),
        ),
        Some(Err(TagError::Unreadable(why))) => r.push(
            Section::Sdk,
            "user_tag",
            Status::Fail,
            format!("the Android SDK cannot read matching: {why}"),
            Some("fix the matching object as the checks above say"),
        ),
        None => r.push(
            Section::Sdk,
            "user_tag",
            Status::Skip,
            "not computed: no matching object",
            None,
        ),
    }
}

/// Why the Android SDK would have no user tag for a matching object.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TagError {
    /// None of the identifier members is set (the SDK's `matchingIdIsNull`, error 545).
    #[error("matching has no identifier")]
    NoIdentifier,
    /// The object does not decode into the SDK's `JWTMatching`.
    #[error("{0}")]
    Unreadable(String),
}

/// The user tag the Android mSDK derives locally from a token's matching object.
///
/// Reproduces `AuthManager.extractJWTDataHash` with `DataClasses.JWTMatching.asString()` of
/// github.com/altcraft/android-sdk (`altcraft-sdk/src/main/java/com/altcraft/sdk/auth/` and
/// `.../data/`; read at commits 47f9d7e (AuthManager.kt), 29034ba (DataClasses.kt) and 4a1132f
/// (Constants.kt)): the non-blank values of email, phone, profile_id, field_name, field_value
/// (its JSON text, even when blank), provider and subscription_id, in that order, are joined
/// with `/`; that string goes into this exact text (a Kotlin raw string whose `trimIndent()`
/// removes nothing, since the first line has no indent)
///
/// ```text
/// {
///             "db_id": "<db_id>",
///             "matching": "<mode>",
///             "matching_identifier": "<values>"
///         }
/// ```
///
/// and the tag is the lowercase hex SHA-256 of its UTF-8 bytes. The values are inserted as
/// they are, unescaped, as the SDK does. The SDK uses the configured rToken itself as the tag
/// instead when the app sets one; that case needs no token.
///
/// The iOS SDK has its own derivation, which is not reproduced.
pub fn android_user_tag(matching: &Map<String, Value>) -> Result<String, TagError> {
    let unreadable = |why: &str| TagError::Unreadable(why.to_string());
    // JWTMatching.dbId is a Kotlin Int.
    let db_id = matching
        .get("db_id")
        .and_then(Value::as_i64)
        .filter(|id| i32::try_from(*id).is_ok())
        .ok_or_else(|| unreadable("db_id is not an integer that fits a 32-bit Int"))?;
    let mode = matching
        .get("matching")
        .and_then(Value::as_str)
        .ok_or_else(|| unreadable("\"matching\" (the mode) is not a string"))?;
    let text = |key: &str| -> Result<Option<&str>, TagError> {
        match matching.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.as_str())),
            Some(_) => Err(TagError::Unreadable(format!("{key} is not a string"))),
        }
    };
    let field_value = match matching.get("field_value") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(value @ (Value::Number(_) | Value::Bool(_))) => Some(value.to_string()),
        Some(_) => return Err(unreadable("field_value is not a string or a number")),
    };
    let not_blank = |value: Option<&str>| value.filter(|v| !v.trim().is_empty()).map(String::from);
    let mut parts: Vec<String> = Vec::new();
    for key in ["email", "phone", "profile_id", "field_name"] {
        parts.extend(not_blank(text(key)?));
    }
    // Unlike the others, field_value is added even when blank.
    parts.extend(field_value);
    for key in ["provider", "subscription_id"] {
        parts.extend(not_blank(text(key)?));
    }
    if parts.is_empty() {
        return Err(TagError::NoIdentifier);
    }
    let source = format!(
        "{{\n            \"db_id\": \"{db_id}\",\n            \"matching\": \"{mode}\",\n            \"matching_identifier\": \"{}\"\n        }}",
        parts.join("/")
    );
    Ok(hex(&Sha256::digest(source.as_bytes())))
}

/// `explain A B`: whether two tokens name the same user and the same resource.
pub fn compare(a: &Report, b: &Report) -> Vec<Check> {
    let mut checks = Vec::new();
    let check = |code, status, message: String, fix: Option<&str>| Check {
        section: Section::Sdk,
        code,
        status,
        message,
        fix: fix.map(String::from),
    };
    match (&a.user_tag, &b.user_tag) {
        (Some(ta), Some(tb)) if ta == tb => checks.push(check(
            "same_user",
            Status::Pass,
            format!("both tokens map to the same user (Android user tag {ta})"),
            None,
        )),
        (Some(_), Some(_)) => {
            let (ma, mb) = (
                a.matching.clone().unwrap_or_default(),
                b.matching.clone().unwrap_or_default(),
            );
            let keys: BTreeSet<&String> = ma.keys().chain(mb.keys()).collect();
            let differences: Vec<String> = keys
                .into_iter()
                .filter(|k| ma.get(*k) != mb.get(*k))
                .map(|k| {
                    let show = |v: Option<&Value>| {
                        v.map_or_else(|| "absent".to_string(), Value::to_string)
                    };
                    format!("{k} {} vs {}", show(ma.get(k)), show(mb.get(k)))
                })
                .collect();
            checks.push(check(
                "same_user",
                Status::Fail,
                format!(
                    "the tokens map to different users: {}",
                    differences.join(", ")
                ),
                Some("mint both from the same matching object (db_id, mode and identifier)"),
            ));
        }
        _ => checks.push(check(
            "same_user",
            Status::Skip,
            "not compared: a token has no user tag (see its report)".into(),
            None,
        )),
    }
    let same_resource =
        a.rtoken_digest.is_some() && a.rtoken_digest == b.rtoken_digest && a.iss == b.iss;
    let status = if same_resource {
        Status::Pass
    } else {
        Status::Warn
    };
    checks.push(check(
        "same_resource",
        status,
        if same_resource {
            "same iss and rtoken".into()
        } else {
            format!(
                "iss {} and the rtoken {}",
                if a.iss == b.iss { "match" } else { "differ" },
                if a.rtoken_digest.is_some() && a.rtoken_digest == b.rtoken_digest {
                    "matches"
                } else {
                    "differs"
                }
            )
        },
        (!same_resource).then_some("tokens for one app use one iss and the resource's rtoken"),
    ));
    checks
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use crate::hazmat::sign_unchecked as sign_with;
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

    fn token(claims: &Value) -> String {
        sign(&key(), json!({"alg": "ES256", "typ": "JWT"}), claims)
    }

    fn with(change: impl FnOnce(&mut Value)) -> Report {
        let mut claims = good_claims();
        change(&mut claims);
        explain(&token(&claims), None, NOW)
    }

    fn status(report: &Report, code: &str) -> Status {
        report
            .checks
            .iter()
            .find(|c| c.code == code)
            .unwrap_or_else(|| panic!("no check {code}: {report:#?}"))
            .status
    }

    fn message<'a>(report: &'a Report, code: &str) -> &'a str {
        &report
            .checks
            .iter()
            .find(|c| c.code == code)
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
        let report = explain(&text, Some(&file), NOW);
        let not_passed: Vec<&Check> = report
            .checks
            .iter()
            .filter(|c| c.status != Status::Pass)
            .collect();
        assert!(not_passed.is_empty(), "{not_passed:#?}");
        assert!(!report.failed());
        assert_eq!(report.matching_mode.as_deref(), Some("email_profile"));
        // The order is the report's contract: JOSE, times, claims, SDK.
        let codes: Vec<&str> = report.checks.iter().map(|c| c.code).collect();
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
        let report = explain("a.b", None, NOW);
        assert_eq!(status(&report, "format"), Status::Fail);
        assert_eq!(report.checks.len(), 1);

        let k = key();
        let hs = explain(
            &sign(&k, json!({"alg": "HS256"}), &good_claims()),
            None,
            NOW,
        );
        assert_eq!(status(&hs, "alg"), Status::Fail);
        assert!(hs.checks.iter().any(|c| {
            c.fix
                .as_deref()
                .is_some_and(|f| f.contains("shared secret"))
        }));
        assert_eq!(status(&hs, "key_strength"), Status::Skip);

        let es384 = PrivateKey::generate(Algorithm::Es384, 0).unwrap();
        let odd = explain(
            &sign(
                &es384,
                json!({"alg": "ES384", "typ": "at+jwt", "x5u": "u"}),
                &good_claims(),
            ),
            None,
            NOW,
        );
        assert_eq!(status(&odd, "alg"), Status::Pass);
        assert_eq!(status(&odd, "typ"), Status::Warn);
        assert_eq!(status(&odd, "header_members"), Status::Warn);
        assert_eq!(status(&odd, "signature"), Status::Skip);
        assert_eq!(status(&odd, "key_strength"), Status::Pass);

        let crit = explain(
            &sign(&k, json!({"alg": "ES256", "crit": ["b64"]}), &good_claims()),
            None,
            NOW,
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
        let report = explain(&text, Some(&wrong), NOW);
        assert_eq!(status(&report, "signature"), Status::Fail);
        assert!(report.failed());

        let mut jwk = crate::keys::Jwk::from_public(&signer.public_key());
        jwk.kid = Some("k2".into());
        let set = json!({"keys": [jwk]}).to_string();
        let set = load_key_file(set.as_bytes()).unwrap();
        let report = explain(&text, Some(&set), NOW);
        assert_eq!(status(&report, "kid"), Status::Fail);
        assert_eq!(status(&report, "signature"), Status::Skip);

        let right = load_key_file(signer.public_key().to_spki_pem().unwrap().as_bytes()).unwrap();
        let report = explain(&text, Some(&right), NOW);
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
        let small = load_key_file(include_bytes!("../../../tests/data/rsa1024.pem")).unwrap();
        let report = explain(&rs256_shaped(128), Some(&small), NOW);
        assert_eq!(status(&report, "key_strength"), Status::Fail);
        assert!(message(&report, "key_strength").contains("1024"));

        let report = explain(&rs256_shaped(128), None, NOW);
        assert_eq!(status(&report, "key_strength"), Status::Fail);
        let report = explain(&rs256_shaped(256), None, NOW);
        assert_eq!(status(&report, "key_strength"), Status::Pass);

        // A DER-encoded ECDSA signature: 0x30 and the wrong length.
        let text = token(&good_claims());
        let (head, _) = text.rsplit_once('.').unwrap();
        let der = format!("{head}.{}", URL_SAFE_NO_PAD.encode([0x30u8; 70]));
        let report = explain(&der, None, NOW);
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
        assert_eq!(
            status(&with(|c| c["iat"] = json!(NOW + 7200)), "iat"),
            Status::Fail
        );
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
        assert_eq!(status(&no_mode, "matching_mode"), Status::Fail);
        let no_id = with(|c| c["matching"] = json!(r#"{"db_id":2,"matching":"email"}"#));
        assert_eq!(status(&no_id, "user_tag"), Status::Fail);
        assert_eq!(status(&no_id, "matching_mode"), Status::Pass);
    }

    fn tag_of(json: &str) -> Result<String, TagError> {
        android_user_tag(
            serde_json::from_str::<Value>(json)
                .unwrap()
                .as_object()
                .unwrap(),
        )
    }

    #[test]
    fn android_user_tag_vectors() {
        // Computed independently with Python's hashlib from the SDK's text (see android_user_tag).
        assert_eq!(
            tag_of(MATCHING).unwrap(),
            "c9158d5a487ea0145f8cd9bacd9a79586ed7414e679cbe3423393f4bd4ef88f0"
        );
        assert_eq!(
            tag_of(r#"{"db_id":1,"field_name":"CRM_ID","field_value":42,"matching":"custom"}"#)
                .unwrap(),
            "892555853598e589e525ec736a908877d043c1bb160f37d99242409a58c99dee"
        );
        assert_eq!(
            tag_of(r#"{"db_id":3,"matching":"push_sub","subscription_id":"tok-123","provider":"android-firebase"}"#)
                .unwrap(),
            "4e3e6e326af7bd947bcee8ea2c7a11021232f6b912aacb4c3eaf22aafaf36e8e"
        );
        // Blank identifiers are skipped, member order in the JSON does not matter.
        assert_eq!(
            tag_of(r#"{"phone":" ","matching":"email_profile","email":"registered_db@localhost","db_id":2}"#).unwrap(),
            tag_of(MATCHING).unwrap()
        );
        assert_eq!(
            tag_of(r#"{"db_id":2,"matching":"email"}"#),
            Err(TagError::NoIdentifier)
        );
        assert!(matches!(
            tag_of(r#"{"db_id":"2","matching":"email","email":"a@b"}"#),
            Err(TagError::Unreadable(_))
        ));
        assert!(matches!(
            tag_of(r#"{"db_id":2,"matching":"phone","phone":7900}"#),
            Err(TagError::Unreadable(_))
        ));
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
}
