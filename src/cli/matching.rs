//! `acjwt matching build`, and the matching flags `mint` shares.

use std::collections::BTreeMap;

use acjwt::matching::{Field, FieldValue, MAX_DB_ID, Matching, MatchingInput, Mode, Unmet};
use anyhow::Result;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
use clap::{Args, Subcommand};

use super::{Context, Status, UsageError, output, prompt};

/// Assemble and validate matching objects (which profile a token acts for).
#[derive(Debug, Args)]
pub struct MatchingCommand {
    #[command(subcommand)]
    action: MatchingAction,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
enum MatchingAction {
    Build(BuildArgs),
    /// List the matching modes, the fields each needs, and what each matches on.
    Modes,
}

/// Print a matching object as compact JSON, checked against its mode's required fields.
///
/// Example: acjwt matching build --mode email_profile --db-id 2 --email registered_db@localhost
#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    matching: MatchingArgs,
}

/// The ids of the matching flags (`--db-id` is `db_id`): what `mint --matching` conflicts
/// with, and the query parameters of `serve`'s `GET /token`, which uses the flags' names.
pub const FLAG_IDS: [&str; 10] = [
    "mode",
    "db_id",
    "email",
    "phone",
    "profile_id",
    "provider",
    "subscription_id",
    "field_name",
    "field_value",
    "field_value_int",
];

/// The matching object's parts as flags; shared by `matching build` and `mint`.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Matching")]
pub struct MatchingArgs {
    /// Matching mode: how the platform finds the profile.
    #[arg(long, value_name = "MODE", value_parser = mode_parser())]
    pub mode: Option<Mode>,

    /// Profile database id (an integer from 1 to 2147483647).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_DB_ID))]
    pub db_id: Option<u64>,

    /// Email (modes email, email_profile, email_sub, email_phone, email_phone_sub).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    /// Phone, e.g. +79000000000 (modes phone, phone_sub, email_phone, email_phone_sub).
    #[arg(long, value_name = "PHONE")]
    pub phone: Option<String>,

    /// Platform profile id (mode profile_id).
    #[arg(long, value_name = "ID")]
    pub profile_id: Option<String>,

    /// Push provider, e.g. android-firebase, ios-apns (mode push_sub).
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,

    /// Push subscription id: the device token (mode push_sub).
    #[arg(long, value_name = "ID")]
    pub subscription_id: Option<String>,

    /// Custom field name, e.g. CRM_ID (modes custom, custom_sub).
    #[arg(long, value_name = "NAME")]
    pub field_name: Option<String>,

    /// Custom field value, kept a string (modes custom, custom_sub).
    #[arg(long, value_name = "VALUE", conflicts_with = "field_value_int")]
    pub field_value: Option<String>,

    /// Custom field value as a JSON integer instead of a string.
    #[arg(long, value_name = "N")]
    pub field_value_int: Option<i64>,
}

fn mode_parser() -> impl clap::builder::TypedValueParser<Value = Mode> {
    let values = Mode::ALL.map(|mode| PossibleValue::new(mode.name()).help(mode.description()));
    PossibleValuesParser::new(values)
        .map(|name: String| Mode::from_name(&name).expect("clap allowed only known modes"))
}

impl MatchingArgs {
    /// Whether any matching flag was given.
    pub fn any_given(&self) -> bool {
        let input = self.to_input();
        input.db_id.is_some()
            || input.mode.is_some()
            || !input.identifiers.is_empty()
            || input.field_value.is_some()
    }

    fn to_input(&self) -> MatchingInput {
        let mut identifiers = BTreeMap::new();
        let text_fields = [
            (Field::Email, &self.email),
            (Field::Phone, &self.phone),
            (Field::ProfileId, &self.profile_id),
            (Field::Provider, &self.provider),
            (Field::SubscriptionId, &self.subscription_id),
            (Field::FieldName, &self.field_name),
        ];
        for (field, value) in text_fields {
            if let Some(value) = value {
                identifiers.insert(field, value.clone());
            }
        }
        let field_value = match (&self.field_value, self.field_value_int) {
            (Some(text), _) => Some(FieldValue::Text(text.clone())),
            (None, Some(n)) => Some(FieldValue::Integer(n)),
            (None, None) => None,
        };
        MatchingInput {
            db_id: self.db_id,
            mode: self.mode,
            identifiers,
            field_value,
        }
    }

    /// The matching flags still needed, as one phrase; `None` when all are there.
    pub fn missing_flags(&self) -> Option<String> {
        missing_flags(&self.to_input())
    }

    /// Builds the matching object, prompting for what is missing when allowed.
    pub fn resolve(&self, context: Context) -> Result<Matching> {
        let mut input = self.to_input();
        if context.interactive {
            prompt::complete_matching(&mut input)?;
        } else if let Some(missing) = missing_flags(&input) {
            anyhow::bail!(UsageError::with_hint(
                format!("missing matching flags: {missing}"),
                "see the modes and their fields: acjwt matching modes"
            ));
        }
        Ok(input.build().map_err(|err| {
            UsageError::with_hint(
                err.to_string(),
                "see the modes and their fields: acjwt matching modes",
            )
        })?)
    }

    /// The flags that reproduce `matching`, for the echoed non-interactive command.
    pub fn flags_for(matching: &Matching) -> Vec<String> {
        let mut flags = vec![
            format!("--mode {}", matching.mode),
            format!("--db-id {}", matching.db_id),
        ];
        for (field, value) in &matching.identifiers {
            flags.push(format!("{} {}", flag(*field), shell_quote(value)));
        }
        match &matching.field_value {
            Some(FieldValue::Text(text)) => {
                flags.push(format!("--field-value {}", shell_quote(text)))
            }
            Some(FieldValue::Integer(n)) => flags.push(format!("--field-value-int {n}")),
            None => {}
        }
        flags
    }
}

/// Every flag still needed, as one phrase: "--mode, --db-id", "--email or --phone".
fn missing_flags(input: &MatchingInput) -> Option<String> {
    let mut missing = Vec::new();
    if input.mode.is_none() {
        missing.push("--mode".to_string());
    }
    if input.db_id.is_none() {
        missing.push("--db-id".to_string());
    }
    match input.unmet() {
        Some(Unmet::All(fields)) => missing.extend(fields.into_iter().map(flag)),
        Some(Unmet::OneOf(fields)) => {
            missing.push(
                fields
                    .iter()
                    .map(|&f| flag(f))
                    .collect::<Vec<_>>()
                    .join(" or "),
            );
        }
        None => {}
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// The flag that sets a field: `--profile-id` for `profile_id`.
pub fn flag(field: Field) -> String {
    format!("--{}", field.key().replace('_', "-"))
}

/// Quotes a value for a POSIX shell when it needs it.
pub fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./_-".contains(&b));
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

pub fn run(command: MatchingCommand, context: Context) -> Result<Status> {
    match command.action {
        MatchingAction::Build(args) => {
            let matching = args.matching.resolve(context)?;
            for warning in matching.warnings() {
                output::warn(&warning);
            }
            output::print_stdout(&format!("{}\n", matching.to_json()))?;
        }
        MatchingAction::Modes => output::print_stdout(&modes_table())?,
    }
    Ok(Status::Success)
}

fn modes_table() -> String {
    let mut table = String::new();
    for mode in Mode::ALL {
        table.push_str(&format!(
            "{:<16} needs {:<30} {}\n",
            mode.name(),
            mode.requirement_text(),
            mode.description()
        ));
    }
    table
}

#[cfg(test)]
mod tests {

    /// FLAG_IDS are exactly MatchingArgs' arguments, so --matching conflicts with each of them
    /// and serve's GET /token takes each of them.
    #[test]
    fn flag_ids_are_the_matching_args() {
        use clap::Args as _;
        let command = MatchingArgs::augment_args(clap::Command::new("t"));
        let ids: Vec<&str> = command
            .get_arguments()
            .map(|a| a.get_id().as_str())
            .collect();
        assert_eq!(ids, FLAG_IDS);
    }
    use super::*;

    #[test]
    fn missing_flags_are_all_named() {
        let input = MatchingInput::default();
        assert_eq!(missing_flags(&input).unwrap(), "--mode, --db-id");
        let input = MatchingInput {
            mode: Some(Mode::PushSub),
            db_id: Some(1),
            ..Default::default()
        };
        assert_eq!(
            missing_flags(&input).unwrap(),
            "--provider, --subscription-id"
        );
        let input = MatchingInput {
            mode: Some(Mode::EmailPhone),
            ..Default::default()
        };
        assert_eq!(
            missing_flags(&input).unwrap(),
            "--db-id, --email or --phone"
        );
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("a@b.c"), "a@b.c");
        assert_eq!(shell_quote("+79000000000"), "+79000000000");
        assert_eq!(shell_quote("tag_1, tag_2"), "'tag_1, tag_2'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
