//! The one rule engine: a token is parsed once and every rule it breaks, or is worth a word
//! about, becomes a typed [`Finding`].
//!
//! `verify`, `decode` and `explain` used to judge tokens each in their own way, and the copies
//! disagreed (an `iat` in the future, a 1024-bit RSA key, a 17 KB payload). Now each rule is
//! defined once, here: one [`Code`] with one [`Severity`], emitted under the [`CheckName`] it
//! belongs to, with structured data and what the mobile SDKs do with such a token. The
//! commands only present findings:
//!
//! - [`verify`](crate::verify) turns them into a verdict: failures are the error findings,
//!   warnings the warning findings;
//! - `decode` ([`verify::inspect`](crate::verify::inspect)) shows them all as warnings;
//! - [`explain`](crate::explain) sorts them into its checks: a check fails iff a finding of
//!   error severity belongs to it, and the CLI adds a fix text keyed by the code.
//!
//! Everything about the token is a finding, `malformed` included; errors in the Rust sense
//! ([`KeyError`](crate::keys::KeyError), ...) are for keys, configuration and input only.
//! Messages are lowercase facts without hints or command lines (the CLI owns those), and never
//! quote the role token.
//!
//! ```
//! use acjwt::claims::{Claims, Rules};
//! use acjwt::jws::Algorithm;
//! use acjwt::keys::PrivateKey;
//! use acjwt::matching::Matching;
//! use acjwt::rules::{CheckName, Code, Severity, evaluate};
//!
//! let key = PrivateKey::generate(Algorithm::Es384, 0)?;
//! let matching = Matching::parse(r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#)?;
//! let now = 1_800_000_000;
//! let token = Claims::new("MyApp".into(), now + 60, "rtoken".into(), &matching).sign(&key, None, now)?;
//!
//! // An hour later: one error, under explain's exp check, with verify's code.
//! let rules = Rules { now: now + 3600, leeway: 0, altcraft: true };
//! let (parsed, mut evaluation) = evaluate(&token, &rules);
//! // The key step is the caller's: here, the key that signed.
//! let parsed = parsed.expect("a compact JWS");
//! evaluation.key_checked(&key.public_key(), &parsed.verify(&key.public_key()));
//! let errors: Vec<_> = evaluation.errors().map(|f| (f.code, f.check)).collect();
//! assert_eq!(errors, [(Code::Expired, CheckName::Exp)]);
//! assert_eq!(Code::Expired.as_str(), "expired");
//! assert_eq!(Code::Expired.severity(), Severity::Error);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod engine;
pub mod sdk;

use serde::Serialize;
use serde_json::{Map, Value};

pub use engine::{
    Evaluation, KNOWN_CLAIMS, LONG_LIFETIME, SHORT_LIFETIME, evaluate, evaluate_token,
};
pub use sdk::{Sdk, SdkEffect};

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// Something worth knowing that changes nothing: `verify` and `decode` do not list it and
    /// `explain` shows it as a pass. No rule is only informative yet; the level is there so
    /// that one can be added without moving the others.
    Info,
    /// The token works, but is likely to cause trouble.
    Warning,
    /// The platform or an SDK refuses the token: `verify` fails it.
    Error,
}

/// The check a finding belongs to: explain's report lines, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckName {
    /// Three base64url parts, a JSON header.
    Format,
    /// The header's `alg`.
    Alg,
    /// The header's `typ`.
    Typ,
    /// Header members other than alg, typ and kid (`crit` among them).
    HeaderMembers,
    /// The header's `kid` and the key it chooses.
    Kid,
    /// The signature, with the key.
    Signature,
    /// The key's (or, without a key, the signature's) size and shape.
    KeyStrength,
    /// A member given twice in the header.
    HeaderDuplicate,
    /// `exp`.
    Exp,
    /// How long the token lives.
    Lifetime,
    /// `iat`.
    Iat,
    /// `nbf`.
    Nbf,
    /// `iat` against this clock.
    ClockSkew,
    /// The payload as a JSON object.
    Payload,
    /// A member given twice in the payload or the matching string.
    ClaimsDuplicate,
    /// `iss`.
    Iss,
    /// `rtoken`.
    Rtoken,
    /// `matching` as a claim: a string holding a JSON object.
    Matching,
    /// The matching object's `db_id`.
    DbId,
    /// The matching object's mode.
    Mode,
    /// The mode's identifier fields.
    Identifier,
    /// Claims and matching members the platform does not read.
    UnknownFields,
    /// The Android SDK's payload size limit.
    PayloadSize,
    /// The `matching_mode` the SDKs send.
    MatchingMode,
    /// The Android SDK's local user tag.
    UserTag,
}

impl CheckName {
    /// The stable snake_case name `explain` prints and `--json` carries.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckName::Format => "format",
            CheckName::Alg => "alg",
            CheckName::Typ => "typ",
            CheckName::HeaderMembers => "header_members",
            CheckName::Kid => "kid",
            CheckName::Signature => "signature",
            CheckName::KeyStrength => "key_strength",
            CheckName::HeaderDuplicate | CheckName::ClaimsDuplicate => "duplicate_member",
            CheckName::Exp => "exp",
            CheckName::Lifetime => "lifetime",
            CheckName::Iat => "iat",
            CheckName::Nbf => "nbf",
            CheckName::ClockSkew => "clock_skew",
            CheckName::Payload => "payload",
            CheckName::Iss => "iss",
            CheckName::Rtoken => "rtoken",
            CheckName::Matching => "matching",
            CheckName::DbId => "db_id",
            CheckName::Mode => "mode",
            CheckName::Identifier => "identifier",
            CheckName::UnknownFields => "unknown_fields",
            CheckName::PayloadSize => "payload_size",
            CheckName::MatchingMode => "matching_mode",
            CheckName::UserTag => "user_tag",
        }
    }
}

/// Declares [`Code`] with each code's text and severity in one table, so a rule cannot have
/// two severities or two spellings.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal, $severity:ident;)*) => {
        /// The stable code of a finding: the README's list of `verify` codes, plus the
        /// warnings. Scripts match on [`Code::as_str`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The snake_case text (`bad_signature`, `expired`, ...).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// The one severity of this rule.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

codes! {
    /// Not a compact JWS, or its header or payload is no JSON object.
    Malformed = "malformed", Error;
    /// `alg` is missing, `none`, an HMAC or anything else the platform does not accept.
    AlgNotAllowed = "alg_not_allowed", Error;
    /// `alg` names another algorithm than the key's.
    AlgMismatch = "alg_mismatch", Error;
    /// A `crit` header member.
    CritUnsupported = "crit_unsupported", Error;
    /// The signature does not verify (or, without a key, cannot: it has the wrong length).
    BadSignature = "bad_signature", Error;
    /// A member given twice in the header, payload or matching string.
    DuplicateMember = "duplicate_member", Error;
    /// `kid` is not a string.
    KidInvalid = "kid_invalid", Error;
    /// No key in the set has the token's `kid`.
    KidNotFound = "kid_not_found", Error;
    /// A key set of several keys and a token without `kid`.
    KidRequired = "kid_required", Error;
    /// Several keys in the set have the token's `kid`.
    KidAmbiguous = "kid_ambiguous", Error;
    /// The key the `kid` chooses is of a type acjwt cannot use.
    KeyUnsupported = "key_unsupported", Error;
    /// The platform does not register such a key (RSA under 2048 bits, ...).
    KeyNotAccepted = "key_not_accepted", Error;
    /// No `exp`.
    ExpMissing = "exp_missing", Error;
    /// A time that is not an integer.
    TimeNotInteger = "time_not_integer", Error;
    /// A time outside 64-bit seconds.
    TimeOutOfRange = "time_out_of_range", Error;
    /// A time in milliseconds.
    TimeInMilliseconds = "time_in_milliseconds", Error;
    /// A time before 1970.
    TimeBeforeEpoch = "time_before_epoch", Error;
    /// `exp` has passed.
    Expired = "expired", Error;
    /// `nbf` is still ahead.
    NotYetValid = "not_yet_valid", Error;
    /// `iat` is ahead of the clock (beyond the leeway).
    IatInFuture = "iat_in_future", Error;
    /// `iss`, `rtoken` or `matching` is missing.
    ClaimMissing = "claim_missing", Error;
    /// `iss`, `rtoken` or `matching` is not a string.
    ClaimNotString = "claim_not_string", Error;
    /// `iss`, `rtoken` or `matching` is empty.
    ClaimEmpty = "claim_empty", Error;
    /// `matching` is a JSON object, not a string holding one.
    MatchingIsObject = "matching_is_object", Error;
    /// The matching object breaks a rule of its mode.
    MatchingInvalid = "matching_invalid", Error;
    /// The payload is 16 KiB or more, which the Android SDK refuses.
    PayloadTooLarge = "payload_too_large", Error;
    /// `typ` is there and is not `JWT`.
    TypNotJwt = "typ_not_jwt", Warning;
    /// Header members the platform does not use.
    HeaderMemberUnused = "header_member_unused", Warning;
    /// Claims the platform does not read.
    ClaimUnused = "claim_unused", Warning;
    /// A matching member that is undocumented or unused by the mode.
    MatchingWarning = "matching_warning", Warning;
    /// Under a minute left.
    LifetimeShort = "lifetime_short", Warning;
    /// A lifetime over a day: a leaked token stays useful that long.
    LifetimeLong = "lifetime_long", Warning;
    /// `iat` or `nbf` after `exp`.
    TimeAfterExp = "time_after_exp", Warning;
    /// The SDKs find no mode to send as `matching_mode`.
    MatchingModeMissing = "matching_mode_missing", Warning;
    /// The Android SDK cannot derive its user tag from the matching object.
    UserTagUnavailable = "user_tag_unavailable", Warning;
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One rule a token breaks, or a remark on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// What rule; decides the severity.
    pub code: Code,
    /// Which check of `explain` it belongs to.
    pub check: CheckName,
    /// A lowercase sentence naming the fact (never the role token, never a fix).
    pub message: String,
    /// Structured details for scripts (`{"claim": "exp", "value": ...}`); may be empty.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub data: Map<String, Value>,
    /// What the mobile SDKs do with such a token; empty when they pass it on and only the
    /// platform judges it (the SDKs read `matching` and the payload size, nothing else).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sdk: Vec<SdkEffect>,
}

impl Finding {
    /// A finding with no data and no SDK effect.
    pub fn new(code: Code, check: CheckName, message: impl Into<String>) -> Finding {
        Finding {
            code,
            check,
            message: message.into(),
            data: Map::new(),
            sdk: Vec::new(),
        }
    }

    /// The rule's severity.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Adds one member to [`Finding::data`].
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Finding {
        self.data.insert(key.into(), value.into());
        self
    }

    /// Adds what an SDK does with the token.
    pub fn sdk(mut self, effects: &[SdkEffect]) -> Finding {
        self.sdk.extend_from_slice(effects);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{text}"
            );
        }
    }
}
