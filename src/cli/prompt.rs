//! Interactive prompts. dialoguer lives only here, and every prompt has a flag, so nothing a
//! person can type here is out of reach of a script.

use std::io::IsTerminal;

use acjwt::matching::{Field, FieldValue, MatchingInput, Mode, Unmet, check_db_id};
use anyhow::{Context as _, Result};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, Password, Select};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
use zeroize::Zeroizing;

/// Prompts are possible: stdin and stderr are terminals and CI is not set.
///
/// Most CI systems set `CI`; a script that must never block also has `--no-input`.
pub fn terminal_available() -> bool {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
    !ci && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn theme() -> ColorfulTheme {
    ColorfulTheme::default()
}

fn interrupted(err: dialoguer::Error) -> anyhow::Error {
    anyhow::Error::new(err).context("prompt interrupted")
}

/// Holds Ctrl-C back while a prompt is open, so that the terminal is put right first.
///
/// dialoguer hides the cursor while a menu is open, and console, reading its keys in raw mode,
/// answers Ctrl-C by raising SIGINT itself: acjwt died at once and the shell was left without a
/// cursor. With SIGINT blocked on this thread the raised signal waits, the prompt returns an
/// error, the guard shows the cursor, and restoring the mask delivers the signal: acjwt still
/// dies of Ctrl-C, as a person and a shell expect. No handler is installed, so SIGINT keeps
/// whatever disposition it has (the file writer's cleanup included).
struct CtrlCDeferred {
    previous: Option<SigSet>,
}

impl CtrlCDeferred {
    fn new() -> CtrlCDeferred {
        let mut sigint = SigSet::empty();
        sigint.add(Signal::SIGINT);
        let mut previous = SigSet::empty();
        let blocked = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&sigint), Some(&mut previous));
        CtrlCDeferred {
            previous: blocked.is_ok().then_some(previous),
        }
    }
}

impl Drop for CtrlCDeferred {
    fn drop(&mut self) {
        // The cursor first: a pending SIGINT ends the process the moment it is unblocked.
        let _ = console::Term::stderr().show_cursor();
        if let Some(previous) = &self.previous {
            let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(previous), None);
        }
    }
}

/// Asks for a line of text, validated by `check`.
pub fn text(
    prompt: &str,
    default: Option<&str>,
    check: impl Fn(&String) -> Result<(), String>,
) -> Result<String> {
    let _ctrl_c = CtrlCDeferred::new();
    let theme = theme();
    let mut input = Input::<String>::with_theme(&theme).with_prompt(prompt);
    if let Some(default) = default {
        input = input.default(default.to_string());
    }
    input
        .validate_with(|value: &String| check(value))
        .interact_text()
        .map_err(interrupted)
}

/// Asks for a secret without echoing it.
pub fn secret(prompt: &str) -> Result<Zeroizing<String>> {
    let _ctrl_c = CtrlCDeferred::new();
    Password::with_theme(&theme())
        .with_prompt(prompt)
        .validate_with(|value: &String| {
            if value.trim().is_empty() {
                Err("must not be empty")
            } else {
                Ok(())
            }
        })
        .interact()
        .map(Zeroizing::new)
        .map_err(interrupted)
}

/// Asks to choose one of `items`; returns its index.
pub fn select(prompt: &str, items: &[String], default: usize) -> Result<usize> {
    let _ctrl_c = CtrlCDeferred::new();
    Select::with_theme(&theme())
        .with_prompt(prompt)
        .items(items)
        .default(default)
        .interact()
        .map_err(interrupted)
}

/// Asks a yes/no question; `false` is the default.
pub fn confirm(prompt: &str) -> Result<bool> {
    let _ctrl_c = CtrlCDeferred::new();
    Confirm::with_theme(&theme())
        .with_prompt(prompt)
        .default(false)
        .interact()
        .map_err(interrupted)
}

fn non_empty(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(())
    }
}

/// Fills in whatever the matching object still lacks: mode, db_id and the mode's fields.
pub fn complete_matching(input: &mut MatchingInput) -> Result<()> {
    let mode = match input.mode {
        Some(mode) => mode,
        None => {
            let items: Vec<String> = Mode::ALL
                .iter()
                .map(|m| format!("{:<16} {}", m.name(), m.description()))
                .collect();
            let mode = Mode::ALL[select("Matching mode", &items, 0)?];
            input.mode = Some(mode);
            mode
        }
    };
    if input.db_id.is_none() {
        let db_id = text("db_id (profile database id)", None, |value| {
            let id = value
                .trim()
                .parse::<u64>()
                .map_err(|_| "a positive integer".to_string())?;
            check_db_id(id).map_err(|err| err.to_string())
        })?;
        input.db_id = Some(db_id.trim().parse().context("db_id")?);
    }
    let wanted: Vec<Field> = match input.unmet() {
        None => Vec::new(),
        Some(Unmet::All(fields)) => fields,
        Some(Unmet::OneOf(fields)) => {
            let items: Vec<String> = fields.iter().map(|f| f.key().to_string()).collect();
            vec![fields[select(&format!("Mode {mode} matches on"), &items, 0)?]]
        }
    };
    for field in wanted {
        let value = text(field.key(), None, |value: &String| {
            check_field(field, value)
        })?;
        let value = value.trim().to_string();
        if field == Field::FieldValue {
            input.field_value = Some(FieldValue::Text(value));
        } else {
            input.identifiers.insert(field, value);
        }
    }
    Ok(())
}

/// The library's own rule, run per prompt so a typo is caught at once.
fn check_field(field: Field, value: &str) -> Result<(), String> {
    acjwt::matching::check_identifier(field, value.trim()).map_err(|err| err.to_string())
}

/// Asks for a non-empty line.
pub fn required_text(prompt: &str, default: Option<&str>) -> Result<String> {
    text(prompt, default, |value: &String| non_empty(value)).map(|v| v.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_checks_match_the_library() {
        assert!(check_field(Field::Email, "a@b").is_ok());
        assert!(check_field(Field::Email, "nope").is_err());
        assert!(check_field(Field::Phone, "+79000000000").is_ok());
        assert!(check_field(Field::Phone, "phone").is_err());
        assert!(check_field(Field::Provider, "android-firebase").is_ok());
        assert!(check_field(Field::FieldValue, "  ").is_err());
    }
}
