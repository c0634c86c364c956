//! `--users FILE`: named matching objects, so an app fetches `/token/alice` instead of
//! spelling out an email.
//!
//! One TOML table per user holding its matching object, plus the one reserved key `ttl`:
//!
//! ```toml
//! [alice]
//! matching = "email"
//! db_id = 2
//! email = "alice@example.com"
//! ttl = "15m"
//! ```
//!
//! Any other key the platform does not document is an error, at start and at reload: a typo
//! (`emial`) would otherwise mint tokens for the wrong profile. User names are URL segments
//! and metric labels, so they are restricted to `[A-Za-z0-9._-]` and can never be an email.

use std::collections::BTreeMap;

use acjwt::claims;
use acjwt::matching::{Field, Matching, MatchingError};
use serde_json::Value;

/// One user from the file.
#[derive(Clone, Debug)]
pub struct User {
    pub matching: Matching,
    /// The user's own lifetime, seconds; `None` for the server's `--ttl`.
    pub ttl: Option<i64>,
}

/// Every user, by name, in name order.
pub type Users = BTreeMap<String, User>;

/// Whether `name` can be a user: a URL segment and a metric label as it is.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// Parses the users file. `max_ttl` bounds each user's `ttl`. Errors name the user, never a
/// value (they may be personal data).
pub fn parse(text: &str, max_ttl: i64) -> Result<Users, String> {
    // toml's own Display quotes the offending line, which may hold an email: name the line.
    let table: toml::Table = toml::from_str(text).map_err(|err| {
        let line = err.span().map_or(0, |span| {
            text[..span.start.min(text.len())].matches('\n').count() + 1
        });
        format!("line {line}: {}", err.message().trim_end())
    })?;
    let mut users = Users::new();
    for (name, entry) in table {
        if !valid_name(&name) {
            return Err(format!(
                "user name {name:?} may only hold letters, digits, '.', '_' and '-' (at most 64)"
            ));
        }
        let toml::Value::Table(entry) = entry else {
            return Err(format!(
                "{name} must be a table ([{name}] with matching = \"...\", db_id = ...)"
            ));
        };
        let mut object = serde_json::Map::new();
        let mut ttl = None;
        for (key, value) in entry {
            if key == "ttl" {
                let text = value.as_str().ok_or_else(|| {
                    format!("[{name}] ttl must be a duration string, e.g. \"15m\"")
                })?;
                let seconds =
                    claims::parse_duration(text).map_err(|err| format!("[{name}] ttl: {err}"))?;
                if seconds <= 0 || seconds > max_ttl {
                    return Err(format!(
                        "[{name}] ttl {text} is not between 1s and --max-ttl ({})",
                        claims::human_duration(max_ttl)
                    ));
                }
                ttl = Some(seconds);
                continue;
            }
            let value = match value {
                toml::Value::String(text) => Value::String(text),
                toml::Value::Integer(n) => Value::from(n),
                other => {
                    return Err(format!(
                        "[{name}] {key} must be a string or an integer, found {}",
                        other.type_str()
                    ));
                }
            };
            object.insert(key, value);
        }
        if let Some(key) = object.keys().find(|key| {
            !["db_id", "matching"].contains(&key.as_str()) && Field::from_key(key).is_none()
        }) {
            return Err(format!(
                "[{name}] {key:?} is not a matching field (nor ttl); see acjwt matching modes"
            ));
        }
        let matching = Matching::from_value(&Value::Object(object))
            .map_err(|err| format!("[{name}] {}", without_value(&err)))?;
        users.insert(name, User { matching, ttl });
    }
    Ok(users)
}

/// A matching error without the value it quotes: errors end up in logs, values are personal
/// data.
fn without_value(err: &MatchingError) -> String {
    match err {
        MatchingError::Malformed {
            field, expected, ..
        } => {
            format!("{field} does not look like {expected}")
        }
        MatchingError::UnknownMode(_) => "unknown matching mode; see acjwt matching modes".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn users_parse_with_their_ttl() {
        let users = parse(
            "[alice]\nmatching = \"email\"\ndb_id = 2\nemail = \"alice@example.com\"\nttl = \"15m\"\n\
             [crm]\nmatching = \"custom\"\ndb_id = 2\nfield_name = \"CRM_ID\"\nfield_value = 42\n",
            DAY,
        )
        .unwrap();
        assert_eq!(users["alice"].ttl, Some(900));
        assert_eq!(
            users["crm"].matching.to_json(),
            r#"{"db_id":2,"field_name":"CRM_ID","field_value":42,"matching":"custom"}"#
        );
    }

    #[test]
    fn typos_bad_names_and_long_ttls_are_errors() {
        let cases = [
            (
                "[alice]\nmatching = \"email\"\ndb_id = 2\nemial = \"a@b.c\"\n",
                "emial",
            ),
            (
                "[\"a@b.c\"]\nmatching = \"email\"\ndb_id = 2\nemail = \"a@b.c\"\n",
                "user name",
            ),
            (
                "[alice]\nmatching = \"email\"\ndb_id = 2\nemail = \"a@b.c\"\nttl = \"2d\"\n",
                "--max-ttl",
            ),
            ("[alice]\nmatching = \"email\"\ndb_id = 2\n", "needs email"),
            ("alice = 1\n", "must be a table"),
        ];
        for (text, expected) in cases {
            let err = parse(text, DAY).unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
            assert!(!err.contains("a@b.c") || expected == "user name", "{err}");
        }
    }
}
