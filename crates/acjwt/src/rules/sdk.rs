//! What the Altcraft mobile SDKs do with a token, and the other way round: which token
//! problems cause an SDK auth error code (540-545).
//!
//! The SDKs never verify a token: they base64url-decode the payload and read `matching` (and
//! Android its size). So only findings about the payload and `matching` have an SDK effect;
//! everything else reaches the platform, which refuses it there. Sources: the public sources of
//! `altcraft/android-sdk` (`EventList.kt`, `AuthManager.kt`) and `altcraft/ios-sdk`
//! (`auth/AuthManager.swift`), as summarized in the project's reference notes.

use serde::Serialize;

use super::{CheckName, Code};

/// A mobile SDK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Sdk {
    /// `altcraft/android-sdk`.
    Android,
    /// `altcraft/ios-sdk`.
    Ios,
}

impl Sdk {
    /// The SDK's name for people.
    pub fn name(self) -> &'static str {
        match self {
            Sdk::Android => "Android",
            Sdk::Ios => "iOS",
        }
    }
}

/// One SDK refusing a token with one of its auth error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct SdkEffect {
    /// Which SDK.
    pub sdk: Sdk,
    /// Its auth error code (540-545).
    pub error: u16,
}

const fn effect(sdk: Sdk, error: u16) -> SdkEffect {
    SdkEffect { sdk, error }
}

/// iOS cannot parse the token or its `matching` (541 "JWT parsing error").
pub(crate) const IOS_PARSE: SdkEffect = effect(Sdk::Ios, 541);
/// Android finds no payload (543).
pub(crate) const ANDROID_NO_PAYLOAD: SdkEffect = effect(Sdk::Android, 543);
/// Android finds no matching mode (541).
pub(crate) const ANDROID_NO_MODE: SdkEffect = effect(Sdk::Android, 541);
/// Android refuses a payload of 16 KiB or more (542).
pub(crate) const ANDROID_TOO_LARGE: SdkEffect = effect(Sdk::Android, 542);
/// iOS finds `matching` without its required members (542).
pub(crate) const IOS_MATCHING_FIELDS: SdkEffect = effect(Sdk::Ios, 542);
/// Android finds no matching identifier (545).
pub(crate) const ANDROID_NO_IDENTIFIER: SdkEffect = effect(Sdk::Android, 545);

/// An SDK auth error code and what leads to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SdkError {
    /// The code (540-545).
    pub code: u16,
    /// What the SDKs' sources call it.
    pub meaning: &'static str,
    /// Each way to get it.
    pub causes: &'static [Cause],
}

/// One way to get an SDK auth error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// The SDK that reports it.
    pub sdk: Sdk,
    /// What is wrong.
    pub what: &'static str,
    /// The findings that show this cause in a token, when a token can show it at all (540 and
    /// 544 are about the app, which supplied no token).
    pub findings: &'static [Code],
    /// The `explain` check that shows it.
    pub check: Option<CheckName>,
}

const fn cause(
    sdk: Sdk,
    what: &'static str,
    findings: &'static [Code],
    check: Option<CheckName>,
) -> Cause {
    Cause {
        sdk,
        what,
        findings,
        check,
    }
}

/// Every SDK auth error code, 540 to 545.
pub const SDK_ERRORS: &[SdkError] = &[
    SdkError {
        code: 540,
        meaning: "JWT is null",
        causes: &[cause(
            Sdk::Android,
            "the app's JWT provider (JWTInterface.getJWT) returned null: the backend gave the app no token",
            &[],
            None,
        )],
    },
    SdkError {
        code: 541,
        meaning: "matching mode is null (Android), JWT parsing error (iOS)",
        causes: &[
            cause(
                Sdk::Android,
                "matching has no mode: no \"matching\" member naming it",
                &[Code::MatchingInvalid, Code::MatchingModeMissing],
                Some(CheckName::Mode),
            ),
            cause(
                Sdk::Android,
                "the payload has no matching claim",
                &[Code::ClaimMissing, Code::ClaimNotString, Code::ClaimEmpty],
                Some(CheckName::Matching),
            ),
            cause(
                Sdk::Ios,
                "matching is a JSON object; iOS reads only a string holding JSON",
                &[Code::MatchingIsObject],
                Some(CheckName::Matching),
            ),
            cause(
                Sdk::Ios,
                "the token or its matching string is not valid base64url JSON",
                &[Code::Malformed, Code::MatchingInvalid],
                Some(CheckName::Format),
            ),
        ],
    },
    SdkError {
        code: 542,
        meaning: "JWT payload exceeds allowed size (Android), matching lacks fields (iOS)",
        causes: &[
            cause(
                Sdk::Android,
                "the decoded payload is 16 KiB or more",
                &[Code::PayloadTooLarge],
                Some(CheckName::PayloadSize),
            ),
            cause(
                Sdk::Ios,
                "matching lacks db_id, the mode, or every identifier",
                &[Code::MatchingInvalid],
                Some(CheckName::Identifier),
            ),
        ],
    },
    SdkError {
        code: 543,
        meaning: "no payload",
        causes: &[cause(
            Sdk::Android,
            "the token has no readable payload part",
            &[Code::Malformed],
            Some(CheckName::Format),
        )],
    },
    SdkError {
        code: 544,
        meaning: "auth data is null",
        causes: &[cause(
            Sdk::Android,
            "the app configured neither a JWT provider nor an rToken",
            &[],
            None,
        )],
    },
    SdkError {
        code: 545,
        meaning: "matching claim has no matching id",
        causes: &[cause(
            Sdk::Android,
            "matching has none of the identifier members (email, phone, profile_id, field_name/field_value, provider/subscription_id), or all are blank",
            &[Code::MatchingInvalid, Code::UserTagUnavailable],
            Some(CheckName::Identifier),
        )],
    },
];

/// The causes of SDK auth error `code`, or `None` if it is not one of 540-545.
pub fn sdk_error(code: u16) -> Option<&'static SdkError> {
    SDK_ERRORS.iter().find(|error| error.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_from_540_to_545_has_causes() {
        for code in 540..=545 {
            let error = sdk_error(code).unwrap_or_else(|| panic!("{code}"));
            assert!(!error.causes.is_empty());
        }
        assert!(sdk_error(546).is_none());
    }
}
