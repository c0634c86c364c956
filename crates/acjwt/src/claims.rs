//! The Altcraft payload `{iss, exp, rtoken, matching}`, times, and the rules a token must meet.
//!
//! Nothing here reads the clock: every check takes `now` (unix seconds) from the caller, so
//! the same rules serve `verify --at`, tests and batch runs. Two sides use them: mint
//! ([`Claims::check_mintable`], [`Claims::sign`]) refuses to sign a payload the platform or
//! an SDK would reject, with a [`MintError`]; verify ([`check_claims`]) lists every rule a
//! received payload breaks, as [`Violation`]s with stable codes. Times on both sides are unix
//! seconds in `0..`[`MILLISECONDS_THRESHOLD`], which is what [`parse_time`] and
//! [`parse_duration`] accept from flags.
//!
//! ```
//! use acjwt::claims::{self, Claims, Rules, Violation};
//! use acjwt::matching::Matching;
//!
//! let now = claims::parse_time("2027-01-15T08:00:00Z", 0)?;
//! let ttl = claims::parse_duration("15m")?;
//! let matching = Matching::parse(r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#)?;
//! let minted = Claims::new("MyApp".into(), now + ttl, "rtoken".into(), &matching);
//! // The payload a signer would sign, after the mint-side rules.
//! let payload = minted.check_mintable(now)?;
//! assert!(payload.starts_with(r#"{"iss":"MyApp","exp":"#));
//!
//! // An hour later the same claims, as a verifier reads them, have expired.
//! let received: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&payload)?;
//! let rules = Rules { now: now + 3600, leeway: 0, altcraft: true };
//! let violations = claims::check_claims(&received, &rules);
//! assert_eq!(violations, [Violation::Expired { exp: now + ttl, now: now + 3600 }]);
//! assert_eq!(violations[0].code().as_str(), "expired");
//! assert_eq!(
//!     violations[0].to_string(),
//!     "token expired 45m ago (exp 1800000900 is 2027-01-15T08:15:00Z)"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

use crate::alg::JwsSigner;
use crate::code::Code;
use crate::json::json_type;
use crate::jws::{self, Header, JwsError};
use crate::matching::{Matching, MatchingError};

/// The Android SDK refuses a payload whose decoded size is 16 KiB or more (its error 542).
pub const MAX_PAYLOAD_LEN: usize = 16 * 1024;

/// An `exp` above this (year 5138) is taken to be milliseconds by mistake.
///
/// Every time acjwt accepts, from a token or a flag, lies in `0..MILLISECONDS_THRESHOLD`, so
/// sums and differences of two times never overflow.
pub const MILLISECONDS_THRESHOLD: i64 = 100_000_000_000;

/// The claims acjwt mints, serialized in the documented order.
///
/// The fields are not checked when set: [`Claims::check_mintable`] (which [`Claims::sign`]
/// calls) holds them to the platform's rules. `Debug` shows the role token as `<redacted>`,
/// and it is wiped from memory when the claims are dropped.
#[derive(Clone, Serialize, PartialEq, Eq)]
pub struct Claims {
    /// The application's name as registered on the platform; never empty when minted.
    pub iss: String,
    /// The expiry, unix seconds: after the `now` of minting and below
    /// [`MILLISECONDS_THRESHOLD`].
    pub exp: i64,
    /// The role token from the resource's settings: a credential, one word of visible ASCII
    /// ([`check_rtoken`]).
    pub rtoken: String,
    /// The compact JSON text of a matching object: a string, never an object.
    pub matching: String,
}

/// The role token is a credential: wipe it when the claims go away.
impl Drop for Claims {
    fn drop(&mut self) {
        self.rtoken.zeroize();
    }
}

impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claims")
            .field("iss", &self.iss)
            .field("exp", &self.exp)
            .field("rtoken", &"<redacted>")
            .field("matching", &self.matching)
            .finish()
    }
}

/// Why a token could not be minted.
///
/// No variant holds the role token or any part of it: the messages are safe to log.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MintError {
    /// A claim that must name something is empty or all whitespace (so far only `iss`).
    #[error("{claim} is empty")]
    EmptyClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// The role token breaks the one rtoken rule ([`check_rtoken`]).
    #[error(transparent)]
    Rtoken(#[from] RtokenError),
    /// The kid given for the header is empty, too long, or has control characters or
    /// surrounding whitespace ([`check_kid`](crate::keys::check_kid)).
    #[error("kid: {0}")]
    Kid(#[from] crate::keys::KidError),
    /// `exp` is `now` or earlier: the token would be dead on arrival.
    #[error("exp {exp} ({}) is not in the future (now is {})", format_utc(*exp), format_utc(*now))]
    AlreadyExpired {
        /// The expiry asked for, unix seconds.
        exp: i64,
        /// The caller's clock, unix seconds.
        now: i64,
    },
    /// `exp` is [`MILLISECONDS_THRESHOLD`] or later, most likely milliseconds; `verify` would
    /// call the token broken, so it is never minted.
    #[error("exp {exp} is too far in the future; is it in milliseconds? JWT times are seconds")]
    ExpTooFar {
        /// The expiry asked for.
        exp: i64,
    },
    /// The payload JSON is [`MAX_PAYLOAD_LEN`] bytes or more, which the Android SDK refuses.
    #[error("payload is {len} bytes; the Android SDK refuses {max} bytes or more")]
    PayloadTooLarge {
        /// The payload's length in bytes.
        len: usize,
        /// The limit, [`MAX_PAYLOAD_LEN`].
        max: usize,
    },
    /// The token layer refused: a header whose `alg` is not the key's, or a failed signature.
    #[error(transparent)]
    Jws(#[from] JwsError),
    /// The signing backend could not take the key (a [`Minter`](crate::mint::Minter) is built).
    #[error(transparent)]
    Backend(#[from] crate::backend::BackendError),
}

impl Claims {
    /// Claims for `matching`, serialized to its compact JSON string; nothing is checked until
    /// [`Claims::check_mintable`]. `exp` is unix seconds.
    pub fn new(iss: String, exp: i64, rtoken: String, matching: &Matching) -> Claims {
        Claims {
            iss,
            exp,
            rtoken,
            matching: matching.to_json(),
        }
    }

    /// The payload JSON, exactly `{"iss":…,"exp":…,"rtoken":…,"matching":"…"}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("strings and integers always serialize")
    }

    /// Checks what the platform and SDKs require of a payload acjwt is about to sign, with
    /// `now` in unix seconds, and returns that payload (it holds the role token, so it is
    /// wiped when dropped).
    ///
    /// In this order: [`MintError::EmptyClaim`] for a blank `iss`, [`MintError::Rtoken`],
    /// [`MintError::AlreadyExpired`] for `exp <= now`, [`MintError::ExpTooFar`], then
    /// [`MintError::PayloadTooLarge`]. The matching string is not checked: [`Claims::new`]
    /// takes it from a [`Matching`], which is valid by construction.
    pub fn check_mintable(&self, now: i64) -> Result<Zeroizing<String>, MintError> {
        if self.iss.trim().is_empty() {
            return Err(MintError::EmptyClaim { claim: "iss" });
        }
        check_rtoken(&self.rtoken)?;
        if self.exp <= now {
            return Err(MintError::AlreadyExpired { exp: self.exp, now });
        }
        if self.exp >= MILLISECONDS_THRESHOLD {
            return Err(MintError::ExpTooFar { exp: self.exp });
        }
        let payload = Zeroizing::new(self.to_json());
        if payload.len() >= MAX_PAYLOAD_LEN {
            return Err(MintError::PayloadTooLarge {
                len: payload.len(),
                max: MAX_PAYLOAD_LEN,
            });
        }
        Ok(payload)
    }

    /// Signs these claims into a compact token after [`Claims::check_mintable`], with a
    /// private key or one prepared by a backend ([`Signer`](crate::backend::Signer)).
    ///
    /// The header is `{"alg":…}` with the key's algorithm, plus `kid` when given; a kid is
    /// checked first ([`MintError::Kid`]). Signing failures are [`MintError::Jws`].
    pub fn sign<S: JwsSigner + ?Sized>(
        &self,
        key: &S,
        kid: Option<&str>,
        now: i64,
    ) -> Result<String, MintError> {
        let payload = self.check_mintable(now)?;
        if let Some(kid) = kid {
            crate::keys::check_kid(kid)?;
        }
        let header = Header {
            alg: key.algorithm(),
            kid: kid.map(String::from),
        };
        Ok(jws::sign(&header, payload.as_bytes(), key)?)
    }
}

/// Why a role token cannot go into a token or an `Authorization: Bearer rtoken@…` header.
///
/// The messages say where the problem is and never show the rtoken: it is a credential.
#[derive(Clone, Copy, Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum RtokenError {
    /// Nothing is left (after [`clean_rtoken`]'s trimming, when it was used).
    #[error("the rtoken is empty")]
    Empty,
    /// A file or paste with several lines: which one is the role token is a guess.
    #[error("the rtoken has {lines} lines; a role token is one line")]
    SeveralLines {
        /// How many lines, counted at `\n`.
        lines: usize,
    },
    /// A space, tab or other whitespace inside the token, as a second word pasted along.
    #[error(
        "the rtoken has whitespace at character {position}; a role token has none (copy it again from the resource's settings)"
    )]
    Whitespace {
        /// Where, in characters from 1; the character itself is not kept.
        position: usize,
    },
    /// Control, invisible (a BOM or zero-width space inside) or non-ASCII characters, which no
    /// role token has and an HTTP header cannot carry safely.
    #[error(
        "the rtoken has a control, invisible or non-ASCII character at character {position}; a role token is visible ASCII"
    )]
    NotVisibleAscii {
        /// Where, in characters from 1; the character itself is not kept.
        position: usize,
    },
}

/// The one rtoken rule, for every way a role token arrives (flag, environment, file, stdin,
/// prompt): a leading UTF-8 BOM (Windows editors write one), one trailing newline (every
/// editor writes one) and then spaces and tabs around it (a sloppy paste) are dropped, and
/// what is left must be one non-empty line, one word of visible ASCII. Anything else (a second
/// line, a space inside, a control or invisible character) is refused rather than repaired:
/// which part is the credential would be a guess, and a silently altered one makes tokens the
/// platform rejects with no clue why.
pub fn clean_rtoken(raw: &str) -> Result<&str, RtokenError> {
    let text = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    let text = text.trim_matches([' ', '\t']);
    check_rtoken(text)?;
    Ok(text)
}

/// Checks a role token exactly as given (see [`clean_rtoken`], which also drops a BOM and the
/// trailing newline of a file).
pub fn check_rtoken(rtoken: &str) -> Result<(), RtokenError> {
    if rtoken.is_empty() {
        return Err(RtokenError::Empty);
    }
    let lines = rtoken.split('\n').count();
    if lines > 1 {
        return Err(RtokenError::SeveralLines { lines });
    }
    for (index, c) in rtoken.chars().enumerate() {
        let position = index + 1;
        if c.is_whitespace() {
            return Err(RtokenError::Whitespace { position });
        }
        if !c.is_ascii_graphic() {
            return Err(RtokenError::NotVisibleAscii { position });
        }
    }
    Ok(())
}

/// One broken rule, with a stable [`Code`] for machine output.
///
/// Times are unix seconds; `now` is the instant the rules were applied at ([`Rules::now`]),
/// without the leeway. No variant holds the role token: where a claim's value could be the
/// secret, only its JSON type is kept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// There is no `exp`: the platform refuses a token that never expires.
    #[error("exp is missing; the platform requires an expiry")]
    ExpMissing,
    /// A time claim that is not a JSON integer: a string, a fraction, a boolean.
    #[error("{claim} must be an integer number of seconds, found {found}")]
    TimeNotInteger {
        /// `exp`, `nbf` or `iat`.
        claim: &'static str,
        /// The value for numbers, booleans and strings of up to 32 bytes, else its JSON type:
        /// time claims hold no secret.
        found: String,
    },
    /// An integer too large (or small) for 64-bit seconds, such as 2^63.
    #[error(
        "{claim} {found} is out of range: times are unix seconds that fit in a signed 64-bit integer"
    )]
    TimeOutOfRange {
        /// `exp`, `nbf` or `iat`.
        claim: &'static str,
        /// The number as the token spells it.
        found: String,
    },
    /// A time of [`MILLISECONDS_THRESHOLD`] or more (after the year 5138): milliseconds sent
    /// where JWTs use seconds.
    #[error("{claim} {value} looks like milliseconds; JWT times are seconds")]
    TimeInMilliseconds {
        /// `exp`, `nbf` or `iat`.
        claim: &'static str,
        /// The value found.
        value: i64,
    },
    /// A negative time.
    #[error("{claim} {value} is before 1970")]
    TimeBeforeEpoch {
        /// `exp`, `nbf` or `iat`.
        claim: &'static str,
        /// The value found.
        value: i64,
    },
    /// `exp + leeway` is `now` or earlier.
    #[error("token expired {} ago (exp {} is {})", human_duration(now.saturating_sub(*exp)), exp, format_utc(*exp))]
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// The instant judged at.
        now: i64,
    },
    /// `nbf` is later than `now + leeway`.
    #[error("token is not valid for another {} (nbf {} is {})", human_duration(nbf.saturating_sub(*now)), nbf, format_utc(*nbf))]
    NotYetValid {
        /// The token's `nbf`.
        nbf: i64,
        /// The instant judged at.
        now: i64,
    },
    /// `iat` is later than `now + leeway`: the issuer's clock, or this one, is wrong.
    #[error("iat {} is {} in the future", format_utc(*iat), human_duration(iat.saturating_sub(*now)))]
    IssuedInFuture {
        /// The token's `iat`.
        iat: i64,
        /// The instant judged at.
        now: i64,
    },
    /// An Altcraft claim (`iss`, `rtoken`, `matching`) is absent.
    #[error("{claim} is missing")]
    ClaimMissing {
        /// The claim's name.
        claim: &'static str,
    },
    /// Names only the JSON type found: the value may be a secret (a numeric rtoken).
    #[error("{claim} must be a string, found {found}")]
    ClaimNotString {
        /// The claim's name.
        claim: &'static str,
        /// The JSON type found ("a number", "null"), never the value.
        found: &'static str,
    },
    /// An Altcraft claim is a string, but empty or all whitespace.
    #[error("{claim} is an empty string")]
    ClaimEmpty {
        /// The claim's name.
        claim: &'static str,
    },
    /// `matching` is the JSON object itself instead of a string holding it.
    #[error(
        "matching is a JSON object; it must be a string holding JSON (the iOS SDK rejects an object)"
    )]
    MatchingIsObject,
    /// The `matching` string is not a valid matching object (bad JSON, unknown mode, missing
    /// identifier, ...); a duplicate member is [`Violation::DuplicateMember`] instead.
    #[error("matching: {0}")]
    MatchingInvalid(MatchingError),
    /// The payload is too large for the Android SDK ([`check_payload_size`]).
    #[error(
        "payload is about {len} bytes; the Android SDK refuses {MAX_PAYLOAD_LEN} or more (error 542)"
    )]
    PayloadTooLarge {
        /// The decoded size as the Android SDK estimates it ([`android_payload_len`]).
        len: usize,
    },
    /// A member given twice in the token's header, payload or matching string.
    #[error(
        "{part} has the member {name:?} more than once; readers disagree on which value counts"
    )]
    DuplicateMember {
        /// `header`, `payload` or `matching`.
        part: &'static str,
        /// The member's path (`alg`, `keys[0].kid`).
        name: String,
    },
}

impl Violation {
    /// The rule's stable code, for `--json` output and scripts ([`Code::as_str`] is its text).
    pub fn code(&self) -> Code {
        match self {
            Violation::ExpMissing => Code::ExpMissing,
            Violation::TimeNotInteger { .. } => Code::TimeNotInteger,
            Violation::TimeOutOfRange { .. } => Code::TimeOutOfRange,
            Violation::TimeInMilliseconds { .. } => Code::TimeInMilliseconds,
            Violation::TimeBeforeEpoch { .. } => Code::TimeBeforeEpoch,
            Violation::Expired { .. } => Code::Expired,
            Violation::NotYetValid { .. } => Code::NotYetValid,
            Violation::IssuedInFuture { .. } => Code::IatInFuture,
            Violation::ClaimMissing { .. } => Code::ClaimMissing,
            Violation::ClaimNotString { .. } => Code::ClaimNotString,
            Violation::ClaimEmpty { .. } => Code::ClaimEmpty,
            Violation::MatchingIsObject => Code::MatchingIsObject,
            Violation::MatchingInvalid(_) => Code::MatchingInvalid,
            Violation::PayloadTooLarge { .. } => Code::PayloadTooLarge,
            Violation::DuplicateMember { .. } => Code::DuplicateMember,
        }
    }
}

/// How claims are checked: the clock and tolerance [`check_claims`] applies.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// The instant to judge times at, unix seconds.
    pub now: i64,
    /// Clock skew tolerated on exp, nbf and iat, in seconds.
    pub leeway: i64,
    /// Check the Altcraft claims (iss, rtoken, matching) as well as the registered times.
    pub altcraft: bool,
}

/// Every rule the claims break, in a fixed order (times first, then the Altcraft claims);
/// empty when they meet them all.
///
/// `exp` is required, `nbf` and `iat` are checked when present; each is read by
/// [`time_claim`], and the sums with [`Rules::leeway`] saturate, so no value overflows. With
/// [`Rules::altcraft`], `iss`, `rtoken` and `matching` must be non-empty strings and the
/// matching string a valid matching object. The payload's size is not judged here
/// ([`check_payload_size`]): these are the decoded claims.
pub fn check_claims(claims: &Map<String, Value>, rules: &Rules) -> Vec<Violation> {
    let mut violations = check_claims_but_matching_text(claims, rules);
    if rules.altcraft
        && let Some(Value::String(text)) = claims.get("matching")
        && !text.trim().is_empty()
    {
        match Matching::parse(text) {
            Ok(_) => {}
            Err(MatchingError::DuplicateMember(name)) => {
                violations.push(Violation::DuplicateMember {
                    part: "matching",
                    name,
                })
            }
            Err(err) => violations.push(Violation::MatchingInvalid(err)),
        }
    }
    violations
}

/// [`check_claims`] up to the content of the matching string: the rule engine reads that
/// itself, once, since it also judges the members one by one.
pub(crate) fn check_claims_but_matching_text(
    claims: &Map<String, Value>,
    rules: &Rules,
) -> Vec<Violation> {
    let mut violations = Vec::new();
    match claims.get("exp") {
        None => violations.push(Violation::ExpMissing),
        Some(value) => match time_claim("exp", value) {
            Err(violation) => violations.push(violation),
            Ok(exp) if exp.saturating_add(rules.leeway) <= rules.now => {
                violations.push(Violation::Expired {
                    exp,
                    now: rules.now,
                })
            }
            Ok(_) => {}
        },
    }
    let now = rules.now;
    violations.extend(not_in_future(claims, "nbf", rules, |nbf| {
        Violation::NotYetValid { nbf, now }
    }));
    violations.extend(not_in_future(claims, "iat", rules, |iat| {
        Violation::IssuedInFuture { iat, now }
    }));
    if rules.altcraft {
        for claim in ["iss", "rtoken"] {
            if let Err(violation) = string_claim(claims, claim) {
                violations.push(violation);
            }
        }
        match claims.get("matching") {
            Some(Value::Object(_)) => violations.push(Violation::MatchingIsObject),
            _ => {
                if let Err(violation) = string_claim(claims, "matching") {
                    violations.push(violation);
                }
            }
        }
    }
    violations
}

/// The rule `nbf` and `iat` share: when present, a valid time no later than `now + leeway`;
/// `in_future` makes the violation for one that is later.
fn not_in_future(
    claims: &Map<String, Value>,
    claim: &'static str,
    rules: &Rules,
    in_future: impl FnOnce(i64) -> Violation,
) -> Option<Violation> {
    match time_claim(claim, claims.get(claim)?) {
        Err(violation) => Some(violation),
        Ok(time) if time > rules.now.saturating_add(rules.leeway) => Some(in_future(time)),
        Ok(_) => None,
    }
}

/// The payload size the Android SDK judges a token by: it estimates the decoded size from the
/// base64url text (AuthManager.kt, `jwtSizeExceeded`), rounding up to whole base64 quanta.
pub fn android_payload_len(payload_b64: &str) -> usize {
    android_len_of_base64(payload_b64.len())
}

/// [`android_payload_len`] for a payload known by its decoded bytes: what the SDK estimates
/// from the unpadded base64url text those bytes encode to.
pub fn android_payload_len_decoded(decoded: usize) -> usize {
    android_len_of_base64((decoded * 4).div_ceil(3))
}

fn android_len_of_base64(len: usize) -> usize {
    len.div_ceil(4) * 3
}

/// The Android SDK's payload limit, applied to a token's base64url payload part: the one
/// definition `verify` and `explain` share (mint checks the payload it is about to sign).
pub fn check_payload_size(payload_b64: &str) -> Option<Violation> {
    let len = android_payload_len(payload_b64);
    (len >= MAX_PAYLOAD_LEN).then_some(Violation::PayloadTooLarge { len })
}

/// [`check_payload_size`] for a payload already decoded, `len` bytes long: its base64url text
/// has `ceil(len / 3)` quanta, which the Android SDK counts as 3 bytes each.
pub fn check_decoded_payload_size(len: usize) -> Option<Violation> {
    let len = len.div_ceil(3) * 3;
    (len >= MAX_PAYLOAD_LEN).then_some(Violation::PayloadTooLarge { len })
}

/// A time claim as integer seconds: strings, floats, negative and millisecond values are
/// violations.
pub fn time_claim(claim: &'static str, value: &Value) -> Result<i64, Violation> {
    let not_integer = || Violation::TimeNotInteger {
        claim,
        found: describe_json(value),
    };
    let Value::Number(number) = value else {
        return Err(not_integer());
    };
    let Some(seconds) = number.as_i64() else {
        // An integer outside i64 is a u64 (2^63 and up), or a float for a literal beyond
        // u64: not a malformed time, an impossible one.
        let integral = number.is_u64()
            || number
                .as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.abs() >= 2f64.powi(63));
        return Err(if integral {
            Violation::TimeOutOfRange {
                claim,
                found: number.to_string(),
            }
        } else {
            not_integer()
        });
    };
    if seconds >= MILLISECONDS_THRESHOLD {
        return Err(Violation::TimeInMilliseconds {
            claim,
            value: seconds,
        });
    }
    if seconds < 0 {
        return Err(Violation::TimeBeforeEpoch {
            claim,
            value: seconds,
        });
    }
    Ok(seconds)
}

fn string_claim<'a>(
    claims: &'a Map<String, Value>,
    claim: &'static str,
) -> Result<&'a str, Violation> {
    match claims.get(claim) {
        None => Err(Violation::ClaimMissing { claim }),
        Some(Value::String(text)) if text.trim().is_empty() => Err(Violation::ClaimEmpty { claim }),
        Some(Value::String(text)) => Ok(text),
        Some(other) => Err(Violation::ClaimNotString {
            claim,
            found: json_type(other),
        }),
    }
}

/// A short description of a JSON value for messages: the value for numbers, booleans and
/// short strings, the type otherwise.
fn describe_json(value: &Value) -> String {
    match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.len() <= 32 => format!("the string {s:?}"),
        Value::Bool(b) => b.to_string(),
        other => json_type(other).into(),
    }
}

/// Why a time or duration argument could not be read: the text given and what was expected,
/// for a flag's message.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[error("{input:?} is not {expected}")]
pub struct TimeError {
    input: String,
    expected: &'static str,
}

/// Reads a duration such as `15m`, `1h`, `7d` or `1h30m`, or plain seconds (`90`), in whole
/// seconds.
///
/// Negative durations and those of [`MILLISECONDS_THRESHOLD`] seconds or more are a
/// [`TimeError`], so a time plus a duration never overflows.
pub fn parse_duration(text: &str) -> Result<i64, TimeError> {
    let error = || TimeError {
        input: text.to_string(),
        expected: "a duration such as 30s, 15m, 1h or 7d",
    };
    let trimmed = text.trim();
    let seconds = match trimmed.parse::<i64>() {
        Ok(seconds) => seconds,
        Err(_) => {
            let duration = humantime::parse_duration(trimmed).map_err(|_| error())?;
            i64::try_from(duration.as_secs()).map_err(|_| error())?
        }
    };
    if (0..MILLISECONDS_THRESHOLD).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(error())
    }
}

/// Reads an instant: `now`, unix seconds, RFC 3339 (`2026-11-24T10:00:00Z`, any offset) or
/// relative to `now` (`+1h`, `-30m`), as unix seconds.
///
/// A result outside `0..`[`MILLISECONDS_THRESHOLD`] (before 1970, or in milliseconds) is a
/// [`TimeError`], as is anything else.
pub fn parse_time(text: &str, now: i64) -> Result<i64, TimeError> {
    let trimmed = text.trim();
    let error = || TimeError {
        input: text.to_string(),
        expected: "a time: unix seconds, RFC 3339 (2026-11-24T10:00:00Z) or relative (+1h, -30m)",
    };
    let seconds = if trimmed == "now" {
        Some(now)
    } else if let Some(relative) = trimmed.strip_prefix('+') {
        parse_duration(relative)
            .ok()
            .and_then(|d| now.checked_add(d))
    } else if let Some(relative) = trimmed.strip_prefix('-') {
        parse_duration(relative)
            .ok()
            .and_then(|d| now.checked_sub(d))
    } else if let Ok(seconds) = trimmed.parse::<i64>() {
        Some(seconds)
    } else {
        trimmed
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|ts| ts.as_second())
    };
    seconds
        .filter(|seconds| (0..MILLISECONDS_THRESHOLD).contains(seconds))
        .ok_or_else(error)
}

/// `2026-11-24T10:00:00Z`; out-of-range values are shown as plain seconds.
pub fn format_utc(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|ts| ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| format!("{seconds} (out of range)"))
}

/// `59m`, `3h 5m`, `2d 4h`: the two largest units, for people.
pub fn human_duration(seconds: i64) -> String {
    let seconds = seconds.unsigned_abs();
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
    let mut parts = Vec::new();
    let mut rest = seconds;
    for (size, unit) in UNITS {
        if rest >= size {
            parts.push(format!("{}{unit}", rest / size));
            rest %= size;
        }
        if parts.len() == 2 {
            break;
        }
    }
    if parts.is_empty() {
        "0s".into()
    } else {
        parts.join(" ")
    }
}

/// "expires in 59m", "expired 3h ago": an expiry relative to `now`.
pub fn describe_expiry(exp: i64, now: i64) -> String {
    if exp > now {
        format!("expires in {}", human_duration(exp.saturating_sub(now)))
    } else {
        format!("expired {} ago", human_duration(now.saturating_sub(exp)))
    }
}

/// "in 5m", "3h ago": any instant relative to `now`.
pub fn describe_relative(at: i64, now: i64) -> String {
    if at > now {
        format!("in {}", human_duration(at.saturating_sub(now)))
    } else if at == now {
        "now".into()
    } else {
        format!("{} ago", human_duration(now.saturating_sub(at)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::keys::PrivateKey;

    #[test]
    fn one_rtoken_rule() {
        assert_eq!(clean_rtoken("rt-1"), Ok("rt-1"));
        assert_eq!(clean_rtoken("rt-1\n"), Ok("rt-1"));
        assert_eq!(clean_rtoken("rt-1\r\n"), Ok("rt-1"));
        assert_eq!(clean_rtoken("\u{feff}rt-1\n"), Ok("rt-1"));
        assert_eq!(clean_rtoken(""), Err(RtokenError::Empty));
        assert_eq!(clean_rtoken("\n"), Err(RtokenError::Empty));
        assert_eq!(
            clean_rtoken("rt-1\n\n"),
            Err(RtokenError::SeveralLines { lines: 2 })
        );
        assert_eq!(
            clean_rtoken("a\nb\n"),
            Err(RtokenError::SeveralLines { lines: 2 })
        );
        assert_eq!(
            clean_rtoken("rt 1"),
            Err(RtokenError::Whitespace { position: 3 })
        );
        assert_eq!(clean_rtoken("  rt1\t\r\n"), Ok("rt1"));
        assert_eq!(
            clean_rtoken("rt1\t2"),
            Err(RtokenError::Whitespace { position: 4 })
        );
        assert_eq!(
            clean_rtoken("rt1\n "),
            Err(RtokenError::SeveralLines { lines: 2 })
        );
        assert_eq!(
            clean_rtoken("rt\u{200b}1"),
            Err(RtokenError::NotVisibleAscii { position: 3 })
        );
        assert_eq!(
            clean_rtoken("r\u{feff}t"),
            Err(RtokenError::NotVisibleAscii { position: 2 })
        );
        // Exactly as given: the library's own check drops nothing.
        assert!(check_rtoken("rt-1\n").is_err());
        let err = clean_rtoken("secret value").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
    }

    const NOW: i64 = 1_800_000_000;

    fn rules() -> Rules {
        Rules {
            now: NOW,
            leeway: 0,
            altcraft: true,
        }
    }

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn good() -> Value {
        json!({
            "iss": "App",
            "exp": NOW + 60,
            "rtoken": "rt",
            "matching": r#"{"db_id":2,"email":"a@b","matching":"email"}"#,
        })
    }

    #[test]
    fn payload_order_is_the_documented_one() {
        let matching = Matching::parse(
            r#"{"db_id":2,"email":"registered_db@localhost","matching":"email_profile"}"#,
        )
        .unwrap();
        let claims = Claims::new("App".into(), 1_700_000_000, "rt".into(), &matching);
        assert_eq!(
            claims.to_json(),
            r#"{"iss":"App","exp":1700000000,"rtoken":"rt","matching":"{\"db_id\":2,\"email\":\"registered_db@localhost\",\"matching\":\"email_profile\"}"}"#
        );
        assert!(!format!("{claims:?}").contains("\"rt\""));
    }

    #[test]
    fn good_claims_pass() {
        assert_eq!(check_claims(&claims(good()), &rules()), vec![]);
    }

    #[test]
    fn every_violation_is_listed() {
        let bad = json!({"exp": "1800000060", "iss": "", "matching": {"db_id": 2}});
        let codes: Vec<Code> = check_claims(&claims(bad), &rules())
            .iter()
            .map(Violation::code)
            .collect();
        assert_eq!(
            codes,
            [
                Code::TimeNotInteger,
                Code::ClaimEmpty,
                Code::ClaimMissing,
                Code::MatchingIsObject
            ]
        );
    }

    #[test]
    fn times_are_checked_with_leeway() {
        let mut value = good();
        value["exp"] = json!(NOW - 10);
        assert_eq!(
            check_claims(&claims(value.clone()), &rules()),
            vec![Violation::Expired {
                exp: NOW - 10,
                now: NOW
            }]
        );
        let lenient = Rules {
            leeway: 30,
            ..rules()
        };
        assert_eq!(check_claims(&claims(value), &lenient), vec![]);

        let mut value = good();
        value["nbf"] = json!(NOW + 100);
        value["iat"] = json!(NOW + 100);
        let codes: Vec<Code> = check_claims(&claims(value), &rules())
            .iter()
            .map(Violation::code)
            .collect();
        assert_eq!(codes, [Code::NotYetValid, Code::IatInFuture]);
    }

    #[test]
    fn exp_shapes_are_judged() {
        assert!(matches!(
            time_claim("exp", &json!(1.5)),
            Err(Violation::TimeNotInteger { .. })
        ));
        assert!(matches!(
            time_claim("exp", &json!(1_800_000_000_000i64)),
            Err(Violation::TimeInMilliseconds { .. })
        ));
        assert_eq!(time_claim("exp", &json!(NOW)), Ok(NOW));
        assert!(matches!(
            time_claim("exp", &json!(1u64 << 63)),
            Err(Violation::TimeOutOfRange { .. })
        ));
        assert!(matches!(
            time_claim("exp", &json!(-1e19)),
            Err(Violation::TimeOutOfRange { .. })
        ));
        assert!(matches!(
            time_claim("exp", &json!(1.0)),
            Err(Violation::TimeNotInteger { .. })
        ));
    }

    #[test]
    fn a_malformed_rtoken_is_not_shown() {
        let mut value = good();
        value["rtoken"] = json!(987_654_321);
        let violations = check_claims(&claims(value), &rules());
        assert_eq!(violations.len(), 1);
        assert_eq!(
            violations[0].to_string(),
            "rtoken must be a string, found a number"
        );
    }

    #[test]
    fn generic_rules_skip_altcraft_claims() {
        let generic = Rules {
            altcraft: false,
            ..rules()
        };
        assert_eq!(
            check_claims(&claims(json!({"exp": NOW + 1})), &generic),
            vec![]
        );
    }

    #[test]
    fn mint_refuses_expired_and_oversized() {
        let matching = Matching::parse(r#"{"db_id":2,"email":"a@b","matching":"email"}"#).unwrap();
        let key = PrivateKey::generate(crate::jws::Algorithm::Es256, 0).unwrap();
        let expired = Claims::new("App".into(), NOW, "rt".into(), &matching);
        assert!(matches!(
            expired.sign(&key, None, NOW),
            Err(MintError::AlreadyExpired { .. })
        ));
        let huge = Claims::new("A".repeat(MAX_PAYLOAD_LEN), NOW + 1, "rt".into(), &matching);
        assert!(matches!(
            huge.sign(&key, None, NOW),
            Err(MintError::PayloadTooLarge { .. })
        ));
        // acjwt verify would call such an exp milliseconds: never mint one.
        let far = Claims::new("App".into(), i64::MAX, "rt".into(), &matching);
        assert!(matches!(
            far.sign(&key, None, NOW),
            Err(MintError::ExpTooFar { exp: i64::MAX })
        ));
        let empty = Claims::new(" ".into(), NOW + 1, "rt".into(), &matching);
        assert!(matches!(
            empty.sign(&key, None, NOW),
            Err(MintError::EmptyClaim { claim: "iss" })
        ));
    }

    #[test]
    fn extreme_values_never_overflow() {
        assert_eq!(
            time_claim("exp", &json!(i64::MIN)),
            Err(Violation::TimeBeforeEpoch {
                claim: "exp",
                value: i64::MIN
            })
        );
        let huge = Rules {
            leeway: i64::MAX,
            now: i64::MAX,
            altcraft: false,
        };
        let mut value = good();
        value["nbf"] = json!(NOW);
        value["iat"] = json!(NOW);
        // Saturated, not wrapped: exp + leeway reaches i64::MAX, which is not after now.
        let codes: Vec<Code> = check_claims(&claims(value), &huge)
            .iter()
            .map(Violation::code)
            .collect();
        assert_eq!(codes, [Code::Expired]);
        assert!(parse_time("9223372036854775807", NOW).is_err());
        assert!(parse_time("+9223372036854775807", NOW).is_err());
        assert!(parse_duration("9223372036854775807").is_err());
        assert!(parse_duration("5000y").is_err());
        assert_eq!(
            describe_expiry(i64::MIN, i64::MAX),
            format!("expired {} ago", human_duration(i64::MAX))
        );
    }

    #[test]
    fn mint_refuses_millisecond_expiry() {
        let matching = Matching::parse(r#"{"db_id":2,"email":"a@b","matching":"email"}"#).unwrap();
        let claims = Claims::new("A".into(), 1_795_521_600_000, "rt".into(), &matching);
        assert!(matches!(
            claims.check_mintable(NOW),
            Err(MintError::ExpTooFar { .. })
        ));
    }

    #[test]
    fn non_string_claims_do_not_echo_their_value() {
        let mut value = good();
        value["rtoken"] = json!(987_654_321_987i64);
        let violations = check_claims(&claims(value), &rules());
        assert_eq!(violations.len(), 1);
        assert_eq!(
            violations[0].to_string(),
            "rtoken must be a string, found a number"
        );
    }

    #[test]
    fn times_parse() {
        assert_eq!(parse_time("now", NOW), Ok(NOW));
        assert_eq!(parse_time("+1h", NOW), Ok(NOW + 3600));
        assert_eq!(parse_time("-30m", NOW), Ok(NOW - 1800));
        assert_eq!(parse_time("1700000000", NOW), Ok(1_700_000_000));
        assert_eq!(parse_time("2023-11-14T22:13:20Z", NOW), Ok(1_700_000_000));
        assert_eq!(
            parse_time("2023-11-15T01:13:20+03:00", NOW),
            Ok(1_700_000_000)
        );
        assert!(parse_time("tomorrow", NOW).is_err());
        assert_eq!(parse_duration("15m"), Ok(900));
        assert_eq!(parse_duration("7d"), Ok(604_800));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("90"), Ok(90));
        assert!(parse_duration("-5m").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn extreme_times_neither_overflow_nor_pass() {
        // Regression (found by the token_decode fuzz target): times at the ends of i64 made
        // `exp + leeway` and the messages' `now - exp` overflow, a panic in debug builds.
        let value =
            json!({"exp": 0, "nbf": MILLISECONDS_THRESHOLD - 1, "iat": MILLISECONDS_THRESHOLD - 1});
        let lenient = Rules {
            leeway: i64::MAX,
            ..rules()
        };
        assert_eq!(
            check_claims(&claims(value.clone()), &lenient)
                .iter()
                .map(Violation::code)
                .collect::<Vec<_>>(),
            [Code::ClaimMissing; 3]
        );
        let violations = check_claims(&claims(value), &rules());
        assert_eq!(violations[0].code(), Code::Expired);
        assert!(violations[0].to_string().contains("ago"));
        let future = Violation::NotYetValid {
            nbf: MILLISECONDS_THRESHOLD - 1,
            now: i64::MIN,
        };
        assert!(future.to_string().contains("not valid for another"));
        assert!(describe_expiry(i64::MIN, i64::MAX).starts_with("expired"));
        assert!(describe_relative(i64::MAX, i64::MIN).starts_with("in "));
    }

    #[test]
    fn humans_read_durations() {
        assert_eq!(human_duration(3540), "59m");
        assert_eq!(human_duration(3599), "59m 59s");
        assert_eq!(human_duration(10_800), "3h");
        assert_eq!(human_duration(90_061), "1d 1h");
        assert_eq!(describe_expiry(NOW + 3540, NOW), "expires in 59m");
        assert_eq!(describe_expiry(NOW - 10_800, NOW), "expired 3h ago");
        assert_eq!(format_utc(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
