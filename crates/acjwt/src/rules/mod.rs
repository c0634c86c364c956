//! The one rule engine: a token is parsed once and every rule it breaks, or is worth a word
//! about, becomes a typed [`Finding`].
//!
//! `verify`, `decode` and `explain` used to judge tokens each in their own way, and the copies
//! disagreed (an `iat` in the future, a 1024-bit RSA key, a 17 KB payload). Now each rule is
//! defined once, here: one [`Code`] with one [`Severity`], emitted under the [`CheckName`] it
//! belongs to, with structured data and what the mobile SDKs do with such a token. (The table
//! of codes itself sits at the bottom of the library, below `claims` and `jws`, whose errors
//! carry the same [`Code`]s; it is re-exported here.) The commands only present findings:
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

pub use crate::code::{Code, Severity};
pub use engine::{
    Evaluation, KNOWN_CLAIMS, LONG_LIFETIME, SHORT_LIFETIME, evaluate, evaluate_token,
};
pub use sdk::{Sdk, SdkEffect};

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
