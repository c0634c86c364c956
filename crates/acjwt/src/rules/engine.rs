//! The rules themselves: one pass over a parsed token, then the key step the caller drives
//! (the library has no opinion on how a key is held: a [`Keyring`](crate::backend::Keyring)
//! verifier or a [`KeyFile`](crate::keys::KeyFile) key give the same findings).

use serde_json::{Map, Value};

use super::sdk::{
    ANDROID_NO_IDENTIFIER, ANDROID_NO_MODE, ANDROID_NO_PAYLOAD, ANDROID_TOO_LARGE,
    IOS_MATCHING_FIELDS, IOS_PARSE,
};
use super::{CheckName, Code, Finding, Severity};
use crate::claims::{
    MAX_PAYLOAD_LEN, Rules, Violation, android_payload_len_decoded, check_claims_but_matching_text,
    human_duration, time_claim,
};
use crate::jws::{Algorithm, JwsError, Token};
use crate::keys::{KeyError, MIN_RSA_BITS, PublicKey, platform_refusal};
use crate::matching::{self, Matching, MatchingError, Members};
use crate::user_tag::{TagError, android_user_tag};

/// Lifetimes longer than this earn a warning: a leaked token stays useful that long.
pub const LONG_LIFETIME: i64 = 24 * 3600;

/// Less than this left earns a warning: the SDK's next request may come after it.
pub const SHORT_LIFETIME: i64 = 60;

/// Claims that the platform reads, or that are registered JWT claims harmless to it.
pub const KNOWN_CLAIMS: [&str; 8] = [
    "iss", "exp", "rtoken", "matching", "iat", "nbf", "jti", "sub",
];

/// Header members the platform reads.
const KNOWN_HEADER: [&str; 3] = ["alg", "typ", "kid"];

/// Everything the rules found in one token, and what was read on the way.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    /// Every finding, header first, then the key's (once [`Evaluation::key_checked`] or
    /// [`Evaluation::key_not_chosen`] ran), then the payload's.
    pub findings: Vec<Finding>,
    /// The payload, when it is a JSON object (it holds the rtoken: redact before showing).
    pub claims: Option<Map<String, Value>>,
    /// The matching object the SDKs read: the JSON inside the `matching` string, or an object
    /// given instead (which only Android reads).
    pub matching_object: Option<Map<String, Value>>,
    /// The matching object, when it meets every rule of its mode.
    pub matching: Option<Matching>,
    /// The Android SDK's user tag, when there is a matching object.
    pub user_tag: Option<Result<String, TagError>>,
    /// The matching object's members as [`Matching::check`] judged them, when there is an
    /// object: what could be read even when some members are bad (`explain` shows it).
    pub(crate) members: Option<Members>,
    /// Where the key's findings go.
    key_at: usize,
    /// The `kid` a key is chosen by, or `None` when the header cannot choose one.
    kid: Option<Option<String>>,
}

/// Parses `text` and applies every rule that needs no key. `None` as the token means it is
/// malformed (the one finding says why).
pub fn evaluate<'t>(text: &'t str, rules: &Rules) -> (Option<Token<'t>>, Evaluation) {
    match Token::parse(text) {
        Ok(token) => {
            let evaluation = evaluate_token(&token, rules);
            (Some(token), evaluation)
        }
        Err(err) => {
            let finding =
                jws_finding(&err, CheckName::Format).sdk(&[IOS_PARSE, ANDROID_NO_PAYLOAD]);
            let evaluation = Evaluation {
                findings: vec![finding],
                ..Evaluation::default()
            };
            (None, evaluation)
        }
    }
}

/// [`evaluate`] for a token already parsed.
pub fn evaluate_token(token: &Token<'_>, rules: &Rules) -> Evaluation {
    let mut eval = Evaluation::default();
    header_rules(token, &mut eval);
    eval.key_at = eval.findings.len();
    if rules.altcraft {
        let len = android_payload_len_decoded(token.payload.len());
        if len >= MAX_PAYLOAD_LEN {
            let violation = Violation::PayloadTooLarge { len };
            eval.findings.push(
                Finding::new(
                    Code::PayloadTooLarge,
                    CheckName::PayloadSize,
                    violation.to_string(),
                )
                .with("len", len)
                .with("max", MAX_PAYLOAD_LEN)
                .sdk(&[ANDROID_TOO_LARGE]),
            );
        }
    }
    let claims = match token.claims() {
        Ok(claims) => claims,
        Err(err) => {
            eval.findings
                .push(jws_finding(&err, CheckName::Payload).sdk(&[IOS_PARSE]));
            return eval;
        }
    };
    for violation in check_claims_but_matching_text(&claims, rules) {
        eval.findings.extend(violation_finding(&violation));
    }
    // The matching string is read here, once: its JSON rules in the order `check_claims`
    // gives them, its members later by `matching_rules`.
    let object = if rules.altcraft {
        matching_object(&claims, &mut eval)
    } else {
        None
    };
    time_rules(&claims, rules.now, &mut eval);
    if rules.altcraft {
        matching_rules(&claims, object, &mut eval);
    }
    eval.claims = Some(claims);
    eval
}

fn header_rules(token: &Token<'_>, eval: &mut Evaluation) {
    for duplicate in &token.duplicates {
        let check = match duplicate {
            JwsError::DuplicateMember { part: "header", .. } => CheckName::HeaderDuplicate,
            _ => CheckName::ClaimsDuplicate,
        };
        eval.findings.push(jws_finding(duplicate, check));
    }
    // A header with a member twice reads differently to different libraries: its alg, crit
    // and kid are not judged, and no key is chosen by it.
    let ambiguous = token.header_duplicates().next().is_some();
    if !ambiguous && let Err(err) = token.algorithm() {
        eval.findings.push(jws_finding(&err, CheckName::Alg));
    }
    if let Some(typ) = token.header.get("typ")
        && !typ.as_str().is_some_and(|t| t.eq_ignore_ascii_case("JWT"))
    {
        eval.findings.push(
            Finding::new(
                Code::TypNotJwt,
                CheckName::Typ,
                format!("header typ is {typ}, not \"JWT\""),
            )
            .with("typ", typ.clone()),
        );
    }
    if !ambiguous && let Some(crit) = token.header.get("crit") {
        let err = JwsError::CriticalHeader {
            names: crit.to_string(),
        };
        eval.findings
            .push(jws_finding(&err, CheckName::HeaderMembers));
    }
    let unused: Vec<&str> = token
        .header
        .keys()
        .map(String::as_str)
        .filter(|name| !KNOWN_HEADER.contains(name) && *name != "crit")
        .collect();
    if !unused.is_empty() {
        eval.findings.push(
            Finding::new(
                Code::HeaderMemberUnused,
                CheckName::HeaderMembers,
                format!(
                    "header members the platform does not use: {}",
                    unused.join(", ")
                ),
            )
            .with("members", unused),
        );
    }
    if ambiguous {
        return;
    }
    match token.kid_checked() {
        Ok(kid) => eval.kid = Some(kid.map(String::from)),
        Err(err) => eval.findings.push(jws_finding(&err, CheckName::Kid)),
    }
}

/// The warnings about times that only matter together: the order of iat, nbf and exp, and
/// how long the token lives.
fn time_rules(claims: &Map<String, Value>, now: i64, eval: &mut Evaluation) {
    let valid = |claim: &'static str| claims.get(claim).and_then(|v| time_claim(claim, v).ok());
    let (exp, iat, nbf) = (valid("exp"), valid("iat"), valid("nbf"));
    for (claim, check, at) in [("iat", CheckName::Iat, iat), ("nbf", CheckName::Nbf, nbf)] {
        if let (Some(at), Some(exp)) = (at, exp)
            && at > exp
        {
            eval.findings.push(
                Finding::new(
                    Code::TimeAfterExp,
                    check,
                    format!(
                        "{claim} {} is after exp {}",
                        crate::claims::format_utc(at),
                        crate::claims::format_utc(exp)
                    ),
                )
                .with("claim", claim)
                .with("value", at)
                .with("exp", exp),
            );
        }
    }
    let Some(exp) = exp.filter(|&exp| exp > now) else {
        return;
    };
    let left = exp - now;
    let total = iat.filter(|&iat| iat <= now).map_or(left, |iat| exp - iat);
    if left < SHORT_LIFETIME {
        eval.findings.push(
            Finding::new(
                Code::LifetimeShort,
                CheckName::Lifetime,
                format!(
                    "only {} left: the SDK's next request may come after it",
                    human_duration(left)
                ),
            )
            .with("left", left),
        );
    } else if total > LONG_LIFETIME {
        eval.findings.push(
            Finding::new(
                Code::LifetimeLong,
                CheckName::Lifetime,
                format!(
                    "lifetime of {}: a leaked token works that long",
                    human_duration(total)
                ),
            )
            .with("lifetime", total),
        );
    }
}

/// The matching object a token carries, as a string (what the platform takes) or as an object
/// (which `check_claims_but_matching_text` has already failed): the string's JSON rules
/// become findings as [`crate::claims::check_claims`] would report them (a member given
/// twice, then JSON that is not an object), and its members are still read when it has a
/// member twice (last one wins, as serde_json reads it), so that they are judged too.
fn matching_object(
    claims: &Map<String, Value>,
    eval: &mut Evaluation,
) -> Option<Map<String, Value>> {
    let text = match claims.get("matching") {
        Some(Value::Object(object)) => return Some(object.clone()),
        Some(Value::String(text)) if !text.trim().is_empty() => text,
        _ => return None,
    };
    let value = match matching::parse_text(text) {
        Ok(value) => value,
        Err(err) => {
            eval.findings
                .extend(violation_finding(&Violation::MatchingInvalid(err)));
            return None;
        }
    };
    if let Some(name) = matching::first_duplicate(text) {
        eval.findings
            .extend(violation_finding(&Violation::DuplicateMember {
                part: "matching",
                name,
            }));
    } else if !value.is_object() {
        let err = MatchingError::NotAnObject(crate::json::json_type(&value));
        eval.findings
            .extend(violation_finding(&Violation::MatchingInvalid(err)));
    }
    match value {
        Value::Object(object) => Some(object),
        _ => None,
    }
}

/// The matching object's members, the claims the platform does not read, and what the SDKs
/// make of the object.
fn matching_rules(
    claims: &Map<String, Value>,
    object: Option<Map<String, Value>>,
    eval: &mut Evaluation,
) {
    if let Some(object) = &object {
        let members = Members::read(object);
        eval.findings.extend(member_findings(&members));
        eval.members = Some(members);
    }
    let unknown: Vec<&str> = claims
        .keys()
        .map(String::as_str)
        .filter(|name| !KNOWN_CLAIMS.contains(name))
        .collect();
    if !unknown.is_empty() {
        eval.findings.push(
            Finding::new(
                Code::ClaimUnused,
                CheckName::UnknownFields,
                format!("claims not used by the platform: {}", unknown.join(", ")),
            )
            .with("claims", unknown),
        );
    }
    if let Some(members) = &eval.members {
        for warning in members.warnings() {
            eval.findings.push(Finding::new(
                Code::MatchingWarning,
                CheckName::UnknownFields,
                warning,
            ));
        }
    }
    let has_mode = object
        .as_ref()
        .and_then(|m| m.get("matching"))
        .and_then(Value::as_str)
        .is_some_and(|mode| !mode.is_empty());
    if !has_mode {
        eval.findings.push(
            Finding::new(
                Code::MatchingModeMissing,
                CheckName::MatchingMode,
                "the SDKs find no mode in matching",
            )
            .sdk(&[ANDROID_NO_MODE]),
        );
    }
    if let Some(object) = &object {
        let tag = android_user_tag(object);
        match &tag {
            Ok(_) => {}
            Err(TagError::NoIdentifier) => eval.findings.push(
                Finding::new(
                    Code::UserTagUnavailable,
                    CheckName::UserTag,
                    "the Android SDK finds no matching identifier and cannot name the user",
                )
                .sdk(&[ANDROID_NO_IDENTIFIER]),
            ),
            Err(TagError::Unreadable(why)) => eval.findings.push(Finding::new(
                Code::UserTagUnavailable,
                CheckName::UserTag,
                format!("the Android SDK cannot read matching: {why}"),
            )),
        }
        eval.user_tag = Some(tag);
    }
    let valid = !eval
        .findings
        .iter()
        .any(|f| f.severity() == Severity::Error && is_matching_check(f.check));
    // What the members were read as is the matching object itself when nothing is wrong with
    // it (Matching::parse reads a string the same way), so the string is parsed only once.
    if valid && claims.get("matching").is_some_and(Value::is_string) {
        eval.matching = eval.members.clone().and_then(|m| m.into_matching().ok());
    }
    eval.matching_object = object;
}

fn is_matching_check(check: CheckName) -> bool {
    matches!(
        check,
        CheckName::Matching
            | CheckName::DbId
            | CheckName::Mode
            | CheckName::Identifier
            | CheckName::ClaimsDuplicate
    )
}

/// Which member of the matching object a [`Matching::check`] problem is about.
fn member_check(err: &MatchingError) -> CheckName {
    match err {
        MatchingError::MissingDbId | MatchingError::BadDbId(_) => CheckName::DbId,
        MatchingError::MissingMode | MatchingError::UnknownMode(_) => CheckName::Mode,
        _ => CheckName::Identifier,
    }
}

/// Whether a matching error is about a member (and so comes from [`member_findings`]), not
/// about the string that holds the object.
fn is_member_error(err: &MatchingError) -> bool {
    !matches!(
        err,
        MatchingError::Json(_) | MatchingError::NotAnObject(_) | MatchingError::DuplicateMember(_)
    )
}

/// One finding per problem [`Matching::check`] found, under the member it is about.
fn member_findings(members: &Members) -> Vec<Finding> {
    members
        .problems
        .iter()
        .map(|problem| {
            let check = member_check(problem);
            let sdk: &[_] = match problem {
                MatchingError::MissingMode => &[ANDROID_NO_MODE, IOS_MATCHING_FIELDS],
                MatchingError::MissingDbId | MatchingError::MissingField { .. } => {
                    &[IOS_MATCHING_FIELDS]
                }
                _ => &[],
            };
            Finding::new(
                Code::MatchingInvalid,
                check,
                Violation::MatchingInvalid(problem.clone()).to_string(),
            )
            .with("member", check.as_str())
            .sdk(sdk)
        })
        .collect()
}

/// The finding for a claim rule; `None` for a matching member's, which [`member_findings`]
/// gives with the member it is about.
fn violation_finding(violation: &Violation) -> Option<Finding> {
    let time_check = |claim: &str| match claim {
        "iat" => CheckName::Iat,
        "nbf" => CheckName::Nbf,
        _ => CheckName::Exp,
    };
    let claim_check = |claim: &str| match claim {
        "iss" => CheckName::Iss,
        "rtoken" => CheckName::Rtoken,
        _ => CheckName::Matching,
    };
    let (check, claim) = match violation {
        Violation::ExpMissing | Violation::Expired { .. } => (CheckName::Exp, "exp"),
        Violation::TimeNotInteger { claim, .. }
        | Violation::TimeOutOfRange { claim, .. }
        | Violation::TimeInMilliseconds { claim, .. }
        | Violation::TimeBeforeEpoch { claim, .. } => (time_check(claim), *claim),
        Violation::NotYetValid { .. } => (CheckName::Nbf, "nbf"),
        Violation::IssuedInFuture { .. } => (CheckName::ClockSkew, "iat"),
        Violation::ClaimMissing { claim }
        | Violation::ClaimNotString { claim, .. }
        | Violation::ClaimEmpty { claim } => (claim_check(claim), *claim),
        Violation::MatchingIsObject => (CheckName::Matching, "matching"),
        Violation::MatchingInvalid(err) if is_member_error(err) => return None,
        Violation::MatchingInvalid(_) => (CheckName::Matching, "matching"),
        Violation::PayloadTooLarge { .. } => (CheckName::PayloadSize, "payload"),
        Violation::DuplicateMember { .. } => (CheckName::ClaimsDuplicate, "matching"),
    };
    let mut finding =
        Finding::new(violation.code(), check, violation.to_string()).with("claim", claim);
    match violation {
        Violation::TimeInMilliseconds { value, .. } | Violation::TimeBeforeEpoch { value, .. } => {
            finding = finding.with("value", *value);
        }
        Violation::Expired { exp, now } => finding = finding.with("exp", *exp).with("now", *now),
        Violation::NotYetValid { nbf, now } => {
            finding = finding.with("nbf", *nbf).with("now", *now)
        }
        Violation::IssuedInFuture { iat, now } => {
            finding = finding.with("iat", *iat).with("now", *now)
        }
        Violation::DuplicateMember { part, name } => {
            finding = finding.with("part", *part).with("name", name.as_str())
        }
        _ => {}
    }
    let sdk: &[_] = match violation {
        Violation::MatchingIsObject | Violation::MatchingInvalid(_) => &[IOS_PARSE],
        Violation::ClaimMissing { claim: "matching" }
        | Violation::ClaimNotString {
            claim: "matching", ..
        }
        | Violation::ClaimEmpty { claim: "matching" } => &[ANDROID_NO_MODE],
        _ => &[],
    };
    Some(finding.sdk(sdk))
}

/// The code of a token error as a finding: [`JwsError::code`], except that a signing failure
/// (not expected while judging a token) means no valid signature.
fn jws_code(err: &JwsError) -> Code {
    match err {
        JwsError::Signing(_) => Code::BadSignature,
        _ => err.code(),
    }
}

fn jws_finding(err: &JwsError, check: CheckName) -> Finding {
    let code = jws_code(err);
    let finding = Finding::new(code, check, err.to_string());
    match err {
        JwsError::AlgNotAllowed { alg } => finding.with("alg", alg.as_str()),
        JwsError::AlgMismatch { header, key } => finding
            .with("alg", header.name())
            .with("key_alg", key.name()),
        JwsError::DuplicateMember { part, name } => {
            finding.with("part", *part).with("name", name.as_str())
        }
        _ => finding,
    }
}

impl Evaluation {
    /// The `kid` to choose a key by (itself optional), or `None` when the header cannot
    /// choose one: the token is malformed, the header has a member twice, or `kid` is not a
    /// string. Then no key is judged.
    pub fn key_request(&self) -> Option<Option<&str>> {
        self.kid.as_ref().map(Option::as_deref)
    }

    /// Records that no key could be chosen for the token's `kid`.
    pub fn key_not_chosen(&mut self, err: &KeyError) {
        let code = match err {
            KeyError::KidUnsupported { .. } => Code::KeyUnsupported,
            KeyError::KidAmbiguous { .. } => Code::KidAmbiguous,
            KeyError::KidRequired { .. } => Code::KidRequired,
            _ => Code::KidNotFound,
        };
        self.insert_key_finding(Finding::new(code, CheckName::Kid, err.to_string()));
    }

    /// Records the key chosen and the outcome of verifying the token with it
    /// ([`Token::verify`]). A header rule already found (alg, crit)
    /// is not found twice.
    pub fn key_checked(&mut self, key: &PublicKey, result: &Result<Algorithm, JwsError>) {
        // The platform does not register such a key, so no token it signed can work there.
        if let Some(reason) = platform_refusal(key) {
            let mut finding = Finding::new(Code::KeyNotAccepted, CheckName::KeyStrength, reason);
            if let Some(bits) = key.rsa_bits() {
                finding = finding.with("bits", bits);
            }
            self.insert_key_finding(finding);
        }
        if let Err(err) = result {
            let check = match err {
                JwsError::AlgNotAllowed { .. } | JwsError::MissingAlg => CheckName::Alg,
                JwsError::CriticalHeader { .. } => CheckName::HeaderMembers,
                JwsError::KidNotString { .. } => CheckName::Kid,
                JwsError::DuplicateMember { .. } => CheckName::HeaderDuplicate,
                _ => CheckName::Signature,
            };
            if !self.has(jws_code(err)) {
                self.insert_key_finding(jws_finding(err, check));
            }
        }
    }

    /// Without a key, what the signature's length tells: the RSA modulus size, and whether an
    /// ECDSA signature has the JWS r||s shape. Verifying with a key finds the same problems
    /// (as `key_not_accepted` and `bad_signature`), so call this only when there is none.
    pub fn signature_shape(&mut self, token: &Token<'_>) {
        let Ok(alg) = token.algorithm() else {
            return;
        };
        let len = token.signature.len();
        let finding = match alg.ecdsa_signature_len() {
            None => {
                let bits = len * 8;
                (bits < MIN_RSA_BITS).then(|| {
                    Finding::new(
                        Code::KeyNotAccepted,
                        CheckName::KeyStrength,
                        format!(
                            "the signature is {len} bytes, so the RSA key has about {bits} bits; the platform needs {MIN_RSA_BITS}"
                        ),
                    )
                    .with("bits", bits)
                })
            }
            Some(expected) => (len != expected).then(|| {
                let der = if token.signature.first() == Some(&0x30) {
                    ", this looks DER-encoded"
                } else {
                    ""
                };
                Finding::new(
                    Code::BadSignature,
                    CheckName::KeyStrength,
                    format!("the signature is {len} bytes; {alg} signatures are {expected} bytes (r||s){der}"),
                )
                .with("len", len)
                .with("expected", expected)
            }),
        };
        if let Some(finding) = finding {
            self.insert_key_finding(finding);
        }
    }

    fn insert_key_finding(&mut self, finding: Finding) {
        self.findings.insert(self.key_at, finding);
        self.key_at += 1;
    }

    /// Whether a finding has this code.
    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    /// The findings that make the token fail.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity() == Severity::Error)
    }

    /// The findings of one check.
    pub fn of(&self, check: CheckName) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.check == check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_violations_are_error_findings() {
        let violations = [
            Violation::ExpMissing,
            Violation::TimeNotInteger {
                claim: "iat",
                found: "x".into(),
            },
            Violation::Expired { exp: 1, now: 2 },
            Violation::IssuedInFuture { iat: 3, now: 2 },
            Violation::ClaimEmpty { claim: "iss" },
            Violation::MatchingIsObject,
            Violation::PayloadTooLarge { len: 20_000 },
            Violation::DuplicateMember {
                part: "matching",
                name: "email".into(),
            },
        ];
        for violation in violations {
            let finding = violation_finding(&violation).unwrap();
            assert_eq!(finding.severity(), Severity::Error);
        }
        assert!(
            violation_finding(&Violation::MatchingInvalid(MatchingError::MissingDbId)).is_none()
        );
    }

    /// The engine reads the matching string once, apart from `check_claims`; whatever the
    /// string holds, it must still find what `check_claims` finds, with the same codes.
    #[test]
    fn the_engine_reads_matching_as_check_claims_does() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let texts = [
            r#"{"db_id":2,"email":"a@b.c","matching":"email"}"#,
            r#"{"db_id":2,"email":"a@b.c","email":"x@y.z","matching":"email"}"#,
            r#"[{"a":1,"a":2}]"#,
            r#"{"db_id":0,"email":"nope","matching":"phone"}"#,
            r#"[1,2]"#,
            r#""a string""#,
            "not json",
            " ",
            deep.as_str(),
        ];
        let rules = Rules {
            now: 1_800_000_000,
            leeway: 0,
            altcraft: true,
        };
        for text in texts {
            let claims: Map<String, Value> = serde_json::from_value(serde_json::json!({
                "iss": "App", "exp": 1_800_000_060, "rtoken": "rt", "matching": text
            }))
            .unwrap();
            let expected: Vec<Code> = crate::claims::check_claims(&claims, &rules)
                .iter()
                .map(Violation::code)
                .collect();
            // Through the engine's entry point, on a token with a well-formed header.
            use base64::Engine as _;
            let b64 = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
            let text = format!(
                "{}.{}.c2ln",
                b64(r#"{"alg":"ES256","typ":"JWT"}"#),
                b64(&Value::Object(claims.clone()).to_string())
            );
            let eval = evaluate_token(&Token::parse(&text).unwrap(), &rules);
            let mut found: Vec<Code> = eval
                .findings
                .iter()
                .filter(|f| f.severity() == Severity::Error)
                .map(|f| f.code)
                .collect();
            // check_claims stops at a matching object's first problem; the engine names each.
            found.dedup();
            assert_eq!(found, expected, "{text}");
        }
    }
}
