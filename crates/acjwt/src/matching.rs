//! Altcraft matching objects: which profile a token acts for.
//!
//! The `matching` claim is a *string* holding a JSON object with `db_id` (an integer), the mode
//! name under `matching`, and the mode's identifier fields. The iOS SDK accepts only the string
//! form and the Android SDK declares `db_id` an `Int`, so acjwt always emits exactly that.
//! The eleven modes and their required fields are data ([`Mode::requirement`]), not code paths.
//! [`Matching::parse`] and [`Matching::from_value`] stop at the first problem of an object;
//! [`Matching::check`] reports every one, with what could be read despite them.
//!
//! ```
//! use std::collections::BTreeMap;
//!
//! use acjwt::matching::{Field, Matching, MatchingError, Mode};
//!
//! // Built from separate values, as `acjwt mint --db-id 2 --matching email_profile
//! // --email ...` does; the JSON has its members in the platform docs' order.
//! let identifiers = BTreeMap::from([(Field::Email, "registered_db@localhost".to_string())]);
//! let matching = Matching::build(2, Mode::EmailProfile, identifiers, None)?;
//! let json = matching.to_json();
//! assert_eq!(json, r#"{"db_id":2,"email":"registered_db@localhost","matching":"email_profile"}"#);
//!
//! // Parsed back from the claim's string, it is the same object.
//! assert_eq!(Matching::parse(&json)?, matching);
//!
//! // A mode without its fields is refused, saying what it needs.
//! let err = Matching::parse(r#"{"db_id":2,"matching":"push_sub","provider":"x"}"#).unwrap_err();
//! assert_eq!(
//!     err,
//!     MatchingError::MissingField {
//!         mode: Mode::PushSub,
//!         needs: "provider and subscription_id".into()
//!     }
//! );
//! # Ok::<(), MatchingError>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

/// An identifier field a matching object can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `email`: an email address, `local@domain`.
    Email,
    /// `phone`: digits with an optional leading `+`.
    Phone,
    /// `profile_id`: the platform's id of the profile.
    ProfileId,
    /// `provider`: the push provider of a push subscription.
    Provider,
    /// `subscription_id`: the push subscription's device token.
    SubscriptionId,
    /// `field_name`: the name of a custom profile field or channel, e.g. `CRM_ID`.
    FieldName,
    /// `field_value`: the custom field's value, a string or an integer ([`FieldValue`]).
    FieldValue,
}

impl Field {
    /// Every field, in the order messages and menus list them.
    pub const ALL: [Field; 7] = [
        Field::Email,
        Field::Phone,
        Field::ProfileId,
        Field::Provider,
        Field::SubscriptionId,
        Field::FieldName,
        Field::FieldValue,
    ];

    /// The JSON member name.
    pub fn key(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Phone => "phone",
            Field::ProfileId => "profile_id",
            Field::Provider => "provider",
            Field::SubscriptionId => "subscription_id",
            Field::FieldName => "field_name",
            Field::FieldValue => "field_value",
        }
    }

    /// The field whose JSON member name is `key`; case-sensitive, as the platform is.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.key() == key)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What a mode needs besides `db_id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// Every one of these fields.
    All(&'static [Field]),
    /// At least one of these fields.
    AnyOf(&'static [Field]),
}

impl Requirement {
    /// The fields named, whichever kind of requirement this is.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Requirement::All(fields) | Requirement::AnyOf(fields) => fields,
        }
    }

    /// What is still missing when `has` tells which fields are present; `None` when met.
    pub fn unmet(self, has: impl Fn(Field) -> bool) -> Option<Unmet> {
        match self {
            Requirement::All(fields) => {
                let missing: Vec<Field> = fields.iter().copied().filter(|&f| !has(f)).collect();
                (!missing.is_empty()).then_some(Unmet::All(missing))
            }
            Requirement::AnyOf(fields) => {
                (!fields.iter().any(|&f| has(f))).then_some(Unmet::OneOf(fields))
            }
        }
    }
}

/// The part of a [`Requirement`] that is not yet met.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unmet {
    /// Each of these fields is still needed.
    All(Vec<Field>),
    /// One of these fields is needed.
    OneOf(&'static [Field]),
}

/// The eleven Altcraft matching modes; the fields each needs are [`Mode::requirement`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// `email`: email from the profile or its subscriptions (the platform's default).
    Email,
    /// `email_profile`: email from the profile only.
    EmailProfile,
    /// `email_sub`: email from subscriptions only.
    EmailSub,
    /// `phone`: phone from the profile or SMS subscriptions.
    Phone,
    /// `phone_sub`: phone from subscriptions only.
    PhoneSub,
    /// `profile_id`: the platform's profile id.
    ProfileId,
    /// `push_sub`: a push subscription, by provider and device token.
    PushSub,
    /// `custom`: a custom profile field, e.g. `CRM_ID`.
    Custom,
    /// `custom_sub`: a subscription to a custom channel.
    CustomSub,
    /// `email_phone`: email and/or phone, from the profile.
    EmailPhone,
    /// `email_phone_sub`: email and/or phone, from subscriptions.
    EmailPhoneSub,
}

impl Mode {
    /// Every mode, in the order of the platform's documentation.
    pub const ALL: [Mode; 11] = [
        Mode::Email,
        Mode::EmailProfile,
        Mode::EmailSub,
        Mode::Phone,
        Mode::PhoneSub,
        Mode::ProfileId,
        Mode::PushSub,
        Mode::Custom,
        Mode::CustomSub,
        Mode::EmailPhone,
        Mode::EmailPhoneSub,
    ];

    /// The name the platform uses, as in `"matching":"email_profile"`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Email => "email",
            Mode::EmailProfile => "email_profile",
            Mode::EmailSub => "email_sub",
            Mode::Phone => "phone",
            Mode::PhoneSub => "phone_sub",
            Mode::ProfileId => "profile_id",
            Mode::PushSub => "push_sub",
            Mode::Custom => "custom",
            Mode::CustomSub => "custom_sub",
            Mode::EmailPhone => "email_phone",
            Mode::EmailPhoneSub => "email_phone_sub",
        }
    }

    /// The mode the platform calls `name`; case-sensitive. [`str::parse`] does the same with
    /// a [`MatchingError::UnknownMode`] that lists the known names.
    pub fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|mode| mode.name() == name)
    }

    /// One line for menus and help.
    pub fn description(self) -> &'static str {
        match self {
            Mode::Email => "email from the profile or its subscriptions (platform default)",
            Mode::EmailProfile => "email from the profile only",
            Mode::EmailSub => "email from subscriptions only",
            Mode::Phone => "phone from the profile or SMS subscriptions",
            Mode::PhoneSub => "phone from subscriptions only",
            Mode::ProfileId => "the platform's profile id",
            Mode::PushSub => "a push subscription: provider + device token",
            Mode::Custom => "a custom profile field, e.g. CRM_ID",
            Mode::CustomSub => "a subscription to a custom channel",
            Mode::EmailPhone => "email and/or phone, from the profile",
            Mode::EmailPhoneSub => "email and/or phone, from subscriptions",
        }
    }

    /// The identifier fields this mode needs.
    pub fn requirement(self) -> Requirement {
        use Field::*;
        match self {
            Mode::Email | Mode::EmailProfile | Mode::EmailSub => Requirement::All(&[Email]),
            Mode::Phone | Mode::PhoneSub => Requirement::All(&[Phone]),
            Mode::ProfileId => Requirement::All(&[ProfileId]),
            Mode::PushSub => Requirement::All(&[Provider, SubscriptionId]),
            Mode::Custom | Mode::CustomSub => Requirement::All(&[FieldName, FieldValue]),
            Mode::EmailPhone | Mode::EmailPhoneSub => Requirement::AnyOf(&[Email, Phone]),
        }
    }

    /// "email", "provider and subscription_id", "email and/or phone".
    pub fn requirement_text(self) -> String {
        let names: Vec<&str> = self
            .requirement()
            .fields()
            .iter()
            .map(|f| f.key())
            .collect();
        match self.requirement() {
            Requirement::All(_) => names.join(" and "),
            Requirement::AnyOf(_) => names.join(" and/or "),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Mode {
    type Err = MatchingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::from_name(s).ok_or_else(|| MatchingError::UnknownMode(s.to_string()))
    }
}

/// A custom field's value: the platform takes a string or an integer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    /// A JSON string, kept as given (`"007"` stays text).
    Text(String),
    /// A JSON integer.
    Integer(i64),
}

impl FieldValue {
    fn to_json(&self) -> Value {
        match self {
            FieldValue::Text(text) => Value::String(text.clone()),
            FieldValue::Integer(n) => Value::from(*n),
        }
    }
}

/// Why a matching object is not acceptable.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum MatchingError {
    /// The text is not JSON, or is nested deeper than acjwt reads; the parser's message.
    #[error("matching is not valid JSON: {0}")]
    Json(String),
    /// A member given twice: readers disagree on which value counts, so acjwt takes neither.
    #[error("matching has the member {0:?} more than once")]
    DuplicateMember(String),
    /// Valid JSON but not an object; the JSON type found ("an array", "a string").
    #[error("matching must be a JSON object, found {0}")]
    NotAnObject(&'static str),
    /// No `db_id` member (or, building from [`MatchingInput`], no `db_id` given).
    #[error("matching has no db_id")]
    MissingDbId,
    /// A `db_id` that is not an integer from 1 to [`MAX_DB_ID`]; the value as JSON text.
    #[error(
        "db_id must be an integer from 1 to {MAX_DB_ID} (the Android SDK reads an Int), found {0}"
    )]
    BadDbId(String),
    /// No `matching` member naming the mode (or, from [`MatchingInput`], no mode given).
    #[error("matching has no \"matching\" member naming the mode")]
    MissingMode,
    /// A mode name that is none of the eleven; the name as given (JSON text if not a string).
    #[error("unknown matching mode {0:?}; known modes: {modes}", modes = mode_list())]
    UnknownMode(String),
    /// The mode's [`Requirement`] is not met.
    #[error("mode {mode} needs {needs}")]
    MissingField {
        /// The object's mode.
        mode: Mode,
        /// What it needs, as [`Mode::requirement_text`] says it ("email and/or phone").
        needs: String,
    },
    /// An identifier that is not a string, or is blank.
    #[error("{field} must be a non-empty string")]
    NotAString {
        /// The identifier; never [`Field::FieldValue`], whose error is
        /// [`MatchingError::BadFieldValue`].
        field: Field,
    },
    /// A `field_value` that is neither a non-blank string nor an integer.
    #[error("field_value must be a non-empty string or an integer")]
    BadFieldValue,
    /// An email or phone that is not shaped like one.
    #[error("{field} {value:?} does not look like {expected}")]
    Malformed {
        /// [`Field::Email`] or [`Field::Phone`].
        field: Field,
        /// The value as given: personal data, though not a secret.
        value: String,
        /// What it should look like, for the message ("an email address").
        expected: &'static str,
    },
}

/// The JSON value of a matching string, refusing nesting deeper than acjwt reads; the first
/// step of [`Matching::parse`], which the rule engine takes apart so that it reads a token's
/// matching string once.
pub(crate) fn parse_text(json: &str) -> Result<Value, MatchingError> {
    if crate::json::json_depth_exceeds(json.as_bytes(), crate::json::MAX_JSON_DEPTH) {
        return Err(MatchingError::Json("nested too deeply".into()));
    }
    serde_json::from_str(json).map_err(|err| MatchingError::Json(err.to_string()))
}

/// The first member a matching string gives twice, at any depth.
pub(crate) fn first_duplicate(json: &str) -> Option<String> {
    crate::json::duplicate_members(json.as_bytes())
        .into_iter()
        .next()
}

/// The largest `db_id`: the Android SDK declares it a Kotlin `Int`.
pub const MAX_DB_ID: u64 = i32::MAX as u64;

/// Checks a `db_id` value: a positive integer that fits the Android SDK's `Int`.
pub fn check_db_id(db_id: u64) -> Result<(), MatchingError> {
    if (1..=MAX_DB_ID).contains(&db_id) {
        Ok(())
    } else {
        Err(MatchingError::BadDbId(db_id.to_string()))
    }
}

fn mode_list() -> String {
    Mode::ALL.map(Mode::name).join(", ")
}

/// A validated matching object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matching {
    /// The platform database the profile is in: 1 to [`MAX_DB_ID`].
    pub db_id: u64,
    /// How the platform finds the profile; its [`Requirement`] is met.
    pub mode: Mode,
    /// Identifier values other than `field_value`, by field.
    pub identifiers: BTreeMap<Field, String>,
    /// The custom field's value, for the custom modes.
    pub field_value: Option<FieldValue>,
    /// Members the platform does not document, kept as given and reported as warnings.
    pub unknown: Map<String, Value>,
}

/// The values a user supplies to build a matching object, e.g. from flags or prompts.
#[derive(Clone, Debug, Default)]
pub struct MatchingInput {
    /// The `db_id`, once given.
    pub db_id: Option<u64>,
    /// The mode, once chosen.
    pub mode: Option<Mode>,
    /// Identifier values given so far, other than `field_value`, unchecked.
    pub identifiers: BTreeMap<Field, String>,
    /// The custom field's value, once given.
    pub field_value: Option<FieldValue>,
}

impl Matching {
    /// Builds and validates a matching object from separate values.
    pub fn build(
        db_id: u64,
        mode: Mode,
        identifiers: BTreeMap<Field, String>,
        field_value: Option<FieldValue>,
    ) -> Result<Matching, MatchingError> {
        let matching = Matching {
            db_id,
            mode,
            identifiers,
            field_value,
            unknown: Map::new(),
        };
        matching.validate()?;
        Ok(matching)
    }

    /// Parses and validates the JSON text of a matching object (the claim's string content).
    pub fn parse(json: &str) -> Result<Matching, MatchingError> {
        let value = parse_text(json)?;
        if let Some(name) = first_duplicate(json) {
            return Err(MatchingError::DuplicateMember(name));
        }
        Matching::from_value(&value)
    }

    /// Validates an already-parsed matching object; the first of its problems
    /// ([`Matching::check`] gives them all).
    pub fn from_value(value: &Value) -> Result<Matching, MatchingError> {
        // `into_matching` never fails with no problem; the fallback is for the type's sake.
        Matching::check(value).into_matching().map_err(|problems| {
            problems
                .into_iter()
                .next()
                .unwrap_or(MatchingError::MissingDbId)
        })
    }

    /// Judges every member of an already-parsed matching object: each problem, not only the
    /// first, and what could be read despite them (for a valid object,
    /// [`Members::into_matching`] is [`Matching::from_value`]'s result).
    ///
    /// The members are judged independently: `db_id` (missing or bad), the mode (missing or
    /// unknown), each identifier (not a string, a malformed email or phone, a bad
    /// `field_value`), and, when the mode is known, whether the identifiers it needs are
    /// there. The problems come in that order, so the first is the one `from_value` reports.
    ///
    /// ```
    /// use acjwt::matching::{Field, Matching, MatchingError, Mode};
    ///
    /// let object = serde_json::json!({"db_id": 0, "email": "nobody", "matching": "phone"});
    /// let members = Matching::check(&object);
    /// assert_eq!(
    ///     members.problems,
    ///     [
    ///         MatchingError::BadDbId("0".into()),
    ///         MatchingError::Malformed {
    ///             field: Field::Email,
    ///             value: "nobody".into(),
    ///             expected: "an email address",
    ///         },
    ///         MatchingError::MissingField { mode: Mode::Phone, needs: "phone".into() },
    ///     ]
    /// );
    /// // What is read is what meets its own rule: the mode, not the db_id or the email.
    /// assert_eq!((members.db_id, members.mode), (None, Some(Mode::Phone)));
    /// assert!(members.identifiers.is_empty());
    /// assert_eq!(Matching::from_value(&object), Err(members.problems[0].clone()));
    ///
    /// let object = serde_json::json!({"db_id": 2, "phone": "+79000000000", "matching": "phone"});
    /// let matching = Matching::check(&object).into_matching().expect("valid");
    /// assert_eq!(matching.to_json(), r#"{"db_id":2,"matching":"phone","phone":"+79000000000"}"#);
    /// ```
    pub fn check(value: &Value) -> Members {
        match value {
            Value::Object(object) => Members::read(object),
            other => Members {
                problems: vec![MatchingError::NotAnObject(crate::json::json_type(other))],
                ..Members::default()
            },
        }
    }

    fn has(&self, field: Field) -> bool {
        has_field(&self.identifiers, &self.field_value, field)
    }

    fn validate(&self) -> Result<(), MatchingError> {
        check_db_id(self.db_id)?;
        for (&field, value) in &self.identifiers {
            check_identifier(field, value)?;
        }
        if let Some(FieldValue::Text(text)) = &self.field_value
            && text.trim().is_empty()
        {
            return Err(MatchingError::BadFieldValue);
        }
        match self.mode.requirement().unmet(|f| self.has(f)) {
            None => Ok(()),
            Some(_) => Err(MatchingError::MissingField {
                mode: self.mode,
                needs: self.mode.requirement_text(),
            }),
        }
    }

    /// Warnings that do not make the object invalid: undocumented members, identifiers the
    /// mode does not use.
    pub fn warnings(&self) -> Vec<String> {
        member_warnings(&self.unknown, Some(self.mode), |f| self.has(f))
    }

    /// The object as JSON, members in lexicographic order as in the platform docs' example
    /// `{"db_id":2,"email":"registered_db@localhost","matching":"email_profile"}`.
    pub fn to_value(&self) -> Value {
        let mut members: BTreeMap<&str, Value> = BTreeMap::new();
        members.insert("db_id", Value::from(self.db_id));
        members.insert("matching", Value::from(self.mode.name()));
        for (field, value) in &self.identifiers {
            members.insert(field.key(), Value::from(value.as_str()));
        }
        if let Some(value) = &self.field_value {
            members.insert(Field::FieldValue.key(), value.to_json());
        }
        for (key, value) in &self.unknown {
            members.insert(key, value.clone());
        }
        Value::Object(
            members
                .into_iter()
                .map(|(key, value)| (key.to_string(), value))
                .collect(),
        )
    }

    /// The compact JSON text that goes into the `matching` claim.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }
}

/// A matching object judged member by member ([`Matching::check`]): every problem, and the
/// members that meet their own rule.
///
/// A member with a problem is left out: `db_id` is `None` when it is missing or bad, `mode`
/// when it is missing or unknown, and an identifier that is not a string or is malformed is
/// not among `identifiers`. So what is here can be shown and warned about even when the
/// object as a whole is invalid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Members {
    /// The `db_id`, when it is an integer from 1 to [`MAX_DB_ID`].
    pub db_id: Option<u64>,
    /// The mode, when it names one of the eleven.
    pub mode: Option<Mode>,
    /// The identifiers other than `field_value` that meet their rule ([`check_identifier`]).
    pub identifiers: BTreeMap<Field, String>,
    /// The custom field's value, when it is a non-blank string or an integer.
    pub field_value: Option<FieldValue>,
    /// Members the platform does not document, kept as given.
    pub unknown: Map<String, Value>,
    /// Every problem, in [`Matching::check`]'s order; empty when the object is valid.
    pub problems: Vec<MatchingError>,
}

impl Members {
    /// [`Matching::check`] for an object.
    pub(crate) fn read(object: &Map<String, Value>) -> Members {
        let mut members = Members::default();
        let problems = &mut members.problems;
        match object.get("db_id") {
            None => problems.push(MatchingError::MissingDbId),
            Some(Value::Number(n)) if n.as_u64().is_some_and(|id| check_db_id(id).is_ok()) => {
                members.db_id = n.as_u64();
            }
            Some(other) => problems.push(MatchingError::BadDbId(other.to_string())),
        }
        match object.get("matching") {
            None => problems.push(MatchingError::MissingMode),
            Some(Value::String(name)) => match name.parse() {
                Ok(mode) => members.mode = Some(mode),
                Err(err) => problems.push(err),
            },
            Some(other) => problems.push(MatchingError::UnknownMode(other.to_string())),
        }
        // Types first, in the object's order; then each string's shape, in field order.
        let mut strings = BTreeMap::new();
        for (key, value) in object {
            if key == "db_id" || key == "matching" {
                continue;
            }
            match (Field::from_key(key), value) {
                (Some(Field::FieldValue), Value::String(text)) => {
                    members.field_value = Some(FieldValue::Text(text.clone()));
                }
                (Some(Field::FieldValue), Value::Number(n)) if n.is_i64() => {
                    members.field_value = n.as_i64().map(FieldValue::Integer);
                }
                (Some(Field::FieldValue), _) => problems.push(MatchingError::BadFieldValue),
                (Some(field), Value::String(text)) => {
                    strings.insert(field, text.clone());
                }
                (Some(field), _) => problems.push(MatchingError::NotAString { field }),
                (None, _) => {
                    members.unknown.insert(key.clone(), value.clone());
                }
            }
        }
        for (field, value) in strings {
            match check_identifier(field, &value) {
                Ok(()) => drop(members.identifiers.insert(field, value)),
                Err(err) => problems.push(err),
            }
        }
        if let Some(FieldValue::Text(text)) = &members.field_value
            && text.trim().is_empty()
        {
            problems.push(MatchingError::BadFieldValue);
            members.field_value = None;
        }
        // A field that is there but bad has its own problem; the mode misses only absent ones.
        if let Some(mode) = members.mode
            && mode
                .requirement()
                .unmet(|field| object.contains_key(field.key()))
                .is_some()
        {
            problems.push(MatchingError::MissingField {
                mode,
                needs: mode.requirement_text(),
            });
        }
        members
    }

    /// The matching object, when there is no problem; else every problem (never none).
    pub fn into_matching(mut self) -> Result<Matching, Vec<MatchingError>> {
        if self.problems.is_empty() {
            if let (Some(db_id), Some(mode)) = (self.db_id, self.mode) {
                return Ok(Matching {
                    db_id,
                    mode,
                    identifiers: self.identifiers,
                    field_value: self.field_value,
                    unknown: self.unknown,
                });
            }
            // Only members built by hand get here: say what they lack.
            self.problems.push(if self.db_id.is_none() {
                MatchingError::MissingDbId
            } else {
                MatchingError::MissingMode
            });
        }
        Err(self.problems)
    }

    /// [`Matching::warnings`] for what could be read: undocumented members always, the
    /// identifiers the mode does not use when the mode is known.
    pub fn warnings(&self) -> Vec<String> {
        member_warnings(&self.unknown, self.mode, |f| {
            has_field(&self.identifiers, &self.field_value, f)
        })
    }
}

fn member_warnings(
    unknown: &Map<String, Value>,
    mode: Option<Mode>,
    has: impl Fn(Field) -> bool,
) -> Vec<String> {
    let mut warnings: Vec<String> = unknown
        .keys()
        .map(|key| format!("matching member {key:?} is not documented by Altcraft"))
        .collect();
    let Some(mode) = mode else {
        return warnings;
    };
    let used = mode.requirement().fields();
    for field in Field::ALL {
        if has(field) && !used.contains(&field) {
            warnings.push(format!(
                "{field} is not used by mode {mode}, which matches on {}",
                mode.requirement_text()
            ));
        }
    }
    warnings
}

fn has_field(
    identifiers: &BTreeMap<Field, String>,
    field_value: &Option<FieldValue>,
    field: Field,
) -> bool {
    match field {
        Field::FieldValue => field_value.is_some(),
        _ => identifiers.contains_key(&field),
    }
}

impl MatchingInput {
    /// Whether a value for `field` has been given.
    pub fn has(&self, field: Field) -> bool {
        has_field(&self.identifiers, &self.field_value, field)
    }

    /// The mode's fields still missing; `None` when there is no mode yet or nothing is missing.
    pub fn unmet(&self) -> Option<Unmet> {
        self.mode?.requirement().unmet(|f| self.has(f))
    }

    /// Validates the collected values; `None` fields become the matching errors they imply.
    pub fn build(self) -> Result<Matching, MatchingError> {
        let db_id = self.db_id.ok_or(MatchingError::MissingDbId)?;
        let mode = self.mode.ok_or(MatchingError::MissingMode)?;
        Matching::build(db_id, mode, self.identifiers, self.field_value)
    }
}

/// Checks one identifier value as a matching object would: non-empty, and shaped like an
/// email or phone where the field is one. A `field_value` given as text is checked here too.
pub fn check_identifier(field: Field, value: &str) -> Result<(), MatchingError> {
    if value.trim().is_empty() {
        return Err(if field == Field::FieldValue {
            MatchingError::BadFieldValue
        } else {
            MatchingError::NotAString { field }
        });
    }
    let malformed = |expected| MatchingError::Malformed {
        field,
        value: value.to_string(),
        expected,
    };
    match field {
        Field::Email => {
            let (local, domain) = value
                .split_once('@')
                .ok_or_else(|| malformed("an email address"))?;
            if local.is_empty() || domain.is_empty() || value.chars().any(char::is_whitespace) {
                return Err(malformed("an email address"));
            }
        }
        Field::Phone => {
            let digits = value.strip_prefix('+').unwrap_or(value);
            if digits.len() < 3 || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(malformed(
                    "a phone number (digits with an optional leading +)",
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_example_round_trips_byte_for_byte() {
        let example = r#"{"db_id":2,"email":"registered_db@localhost","matching":"email_profile"}"#;
        let matching = Matching::parse(example).unwrap();
        assert_eq!(matching.mode, Mode::EmailProfile);
        assert_eq!(matching.to_json(), example);
        assert!(matching.warnings().is_empty());
    }

    #[test]
    fn every_mode_enforces_its_fields() {
        for mode in Mode::ALL {
            let err = Matching::build(1, mode, BTreeMap::new(), None).unwrap_err();
            assert!(matches!(err, MatchingError::MissingField { .. }), "{mode}");
            let mut ids = BTreeMap::new();
            let mut value = None;
            for &field in mode.requirement().fields() {
                match field {
                    Field::FieldValue => value = Some(FieldValue::Integer(7)),
                    Field::Email => drop(ids.insert(field, "a@b".into())),
                    Field::Phone => drop(ids.insert(field, "+79000000000".into())),
                    _ => drop(ids.insert(field, "x".into())),
                }
            }
            let built = Matching::build(1, mode, ids, value).unwrap();
            assert_eq!(Matching::parse(&built.to_json()).unwrap(), built);
        }
    }

    #[test]
    fn either_field_satisfies_email_phone() {
        let ids = BTreeMap::from([(Field::Phone, "+1555".to_string())]);
        Matching::build(3, Mode::EmailPhone, ids, None).unwrap();
    }

    #[test]
    fn rejects_wrong_types() {
        let cases = [
            (
                r#"{"matching":"email","email":"a@b"}"#,
                MatchingError::MissingDbId,
            ),
            (
                r#"{"db_id":"2","matching":"email","email":"a@b"}"#,
                MatchingError::BadDbId("\"2\"".into()),
            ),
            (
                r#"{"db_id":2.5,"matching":"email","email":"a@b"}"#,
                MatchingError::BadDbId("2.5".into()),
            ),
            (r#"{"db_id":2,"email":"a@b"}"#, MatchingError::MissingMode),
            (
                r#"{"db_id":2,"matching":"mail","email":"a@b"}"#,
                MatchingError::UnknownMode("mail".into()),
            ),
            (
                r#"{"db_id":2,"matching":"phone","phone":79000000000}"#,
                MatchingError::NotAString {
                    field: Field::Phone,
                },
            ),
            (
                r#"{"db_id":2,"matching":"custom","field_name":"CRM","field_value":1.5}"#,
                MatchingError::BadFieldValue,
            ),
            ("[1]", MatchingError::NotAnObject("an array")),
        ];
        for (json, expected) in cases {
            assert_eq!(Matching::parse(json).unwrap_err(), expected, "{json}");
        }
    }

    #[test]
    fn check_reports_each_member_independently() {
        // Written in sorted order, so that the object's order is the same with or without
        // serde_json's preserve_order.
        let object = serde_json::json!({
            "crm": 1, "db_id": "x", "email": "nope", "field_value": 1.5,
            "matching": "bogus", "phone": 79000000000u64
        });
        let members = Matching::check(&object);
        assert_eq!(
            members.problems,
            [
                MatchingError::BadDbId("\"x\"".into()),
                MatchingError::UnknownMode("bogus".into()),
                MatchingError::BadFieldValue,
                MatchingError::NotAString {
                    field: Field::Phone
                },
                MatchingError::Malformed {
                    field: Field::Email,
                    value: "nope".into(),
                    expected: "an email address",
                },
            ]
        );
        // No known mode, so no requirement; the undocumented member still warns.
        assert_eq!(members.warnings().len(), 1);
        assert_eq!(
            Matching::from_value(&object),
            Err(members.problems[0].clone())
        );
    }

    #[test]
    fn a_field_present_but_bad_is_not_also_missing() {
        for json in [
            r#"{"db_id":2,"matching":"phone","phone":79000000000}"#,
            r#"{"db_id":2,"matching":"phone","phone":"  "}"#,
            r#"{"db_id":2,"matching":"custom","field_name":"CRM","field_value":""}"#,
        ] {
            let value: Value = serde_json::from_str(json).unwrap();
            let problems = Matching::check(&value).problems;
            assert_eq!(problems.len(), 1, "{json}: {problems:?}");
            assert!(
                !matches!(problems[0], MatchingError::MissingField { .. }),
                "{json}"
            );
        }
    }

    #[test]
    fn an_invalid_object_still_warns_about_what_was_read() {
        let value = serde_json::json!({
            "db_id": 0, "email": "a@b", "matching": "phone", "x": true
        });
        let members = Matching::check(&value);
        assert_eq!(members.problems.len(), 2, "{:?}", members.problems);
        assert_eq!(
            members.warnings(),
            [
                r#"matching member "x" is not documented by Altcraft"#,
                "email is not used by mode phone, which matches on phone",
            ]
        );
        assert!(members.into_matching().is_err());
    }

    #[test]
    fn a_valid_object_checks_to_what_parse_gives() {
        let json = r#"{"db_id":2,"email":"a@b","extra":true,"matching":"email"}"#;
        let members = Matching::check(&serde_json::from_str(json).unwrap());
        assert!(members.problems.is_empty());
        let warnings = members.warnings();
        let matching = members.into_matching().unwrap();
        assert_eq!(matching, Matching::parse(json).unwrap());
        assert_eq!(warnings, matching.warnings());
        // Members built by hand without a db_id are never a matching object.
        assert_eq!(
            Members::default().into_matching(),
            Err(vec![MatchingError::MissingDbId])
        );
    }

    #[test]
    fn db_id_is_an_android_int() {
        let json = |id: u64| format!(r#"{{"db_id":{id},"email":"a@b","matching":"email"}}"#);
        assert!(Matching::parse(&json(MAX_DB_ID)).is_ok());
        assert!(matches!(
            Matching::parse(&json(MAX_DB_ID + 1)),
            Err(MatchingError::BadDbId(_))
        ));
    }

    #[test]
    fn unmet_names_what_is_missing() {
        let mut input = MatchingInput {
            mode: Some(Mode::PushSub),
            ..Default::default()
        };
        input.identifiers.insert(Field::Provider, "ios-apns".into());
        assert_eq!(input.unmet(), Some(Unmet::All(vec![Field::SubscriptionId])));
        input.mode = Some(Mode::EmailPhoneSub);
        assert_eq!(
            input.unmet(),
            Some(Unmet::OneOf(&[Field::Email, Field::Phone]))
        );
        input.identifiers.insert(Field::Phone, "+1555".into());
        assert_eq!(input.unmet(), None);
    }

    #[test]
    fn custom_value_keeps_its_type() {
        let json = r#"{"db_id":1,"field_name":"CRM_ID","field_value":42,"matching":"custom"}"#;
        assert_eq!(Matching::parse(json).unwrap().to_json(), json);
        let json = r#"{"db_id":1,"field_name":"tags","field_value":"tag_1, tag_2","matching":"custom_sub"}"#;
        assert_eq!(Matching::parse(json).unwrap().to_json(), json);
    }

    #[test]
    fn unknown_numbers_survive_a_round_trip() {
        // Regression (found by the matching_parse fuzz target): without serde_json's
        // float_roundtrip, "3e50" parsed one ulp off and was written back as
        // 3.0000000000000002e+50, so mint changed a member it promises to keep as given.
        let json = r#"{"db_id":1,"email":"a@b","matching":"email","x":3e50,"y":0.1}"#;
        let matching = Matching::parse(json).unwrap();
        let again = Matching::parse(&matching.to_json()).unwrap();
        assert_eq!(again, matching);
        assert_eq!(
            matching.to_json(),
            r#"{"db_id":1,"email":"a@b","matching":"email","x":3e+50,"y":0.1}"#
        );
    }

    #[test]
    fn duplicate_members_are_refused() {
        assert_eq!(
            Matching::parse(r#"{"db_id":2,"email":"a@b","email":"c@d","matching":"email"}"#),
            Err(MatchingError::DuplicateMember("email".into()))
        );
        assert_eq!(
            Matching::parse(r#"{"db_id":2,"db_id":3,"email":"a@b","matching":"email"}"#),
            Err(MatchingError::DuplicateMember("db_id".into()))
        );
    }

    #[test]
    fn unknown_and_unused_members_warn() {
        let json = r#"{"db_id":1,"email":"a@b","extra":true,"matching":"phone","phone":"+1555"}"#;
        let matching = Matching::parse(json).unwrap();
        assert_eq!(matching.warnings().len(), 2);
        assert_eq!(matching.to_json(), json);
    }
}
