//! The stable codes of the rules a token can break, each with its one severity.
//!
//! They sit at the bottom of the library so that every layer names a rule the same way:
//! [`claims`](crate::claims) and [`jws`](crate::jws) give their errors a [`Code`]
//! ([`Violation::code`](crate::claims::Violation::code),
//! [`JwsError::code`](crate::jws::JwsError::code)), and the rule engine above them
//! ([`rules`](crate::rules), which re-exports both types) makes findings of the same codes.
//! Each code's text is written once, in the table below; there is no other copy to drift.

use serde::Serialize;

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

/// Declares [`Code`] with each code's text and severity in one table, so a rule cannot have
/// two severities or two spellings.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal, $severity:ident;)*) => {
        /// The stable code of a finding: the README's list of `verify` codes, plus the
        /// warnings; library errors ([`Violation`](crate::claims::Violation),
        /// [`JwsError`](crate::jws::JwsError)) carry the same codes. Scripts match on
        /// [`Code::as_str`].
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
    /// The signing backend failed ([`JwsError::Signing`](crate::jws::JwsError::Signing)):
    /// a code of signing only, never of a token's findings.
    SigningFailed = "signing_failed", Error;
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
