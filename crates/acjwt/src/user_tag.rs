//! The Android mSDK's local user tag: the key under which the SDK keeps a user's data on the
//! device, derived from the matching object. Two tokens with one tag are one user to the SDK.
//!
//! Its own module because it reproduces another program's exact text and hash: it changes
//! only when the SDK does, and its test vectors were computed independently.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::keys::hex;

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

#[cfg(test)]
mod tests {
    use super::*;

    const MATCHING: &str =
        r#"{"db_id":2,"email":"registered_db@localhost","matching":"email_profile"}"#;

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
}
