//! The `acjwt` command line: clap definitions, dispatch, and how errors are shown.
//!
//! Each subcommand lives in its own file as an `Args` struct plus `run() -> Result<ExitCode>`;
//! they parse, prompt and print, and leave the work to the library.

mod args;
mod batch;
mod decode;
mod docs;
mod explain;
mod files;
mod header;
mod input;
mod key;
mod keyfile;
mod keygen;
mod matching;
mod mint;
mod output;
mod prompt;
mod sanitize;
mod serve;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Keys, matching objects and JWTs for the Altcraft mobile SDK (mSDK).
///
/// acjwt makes the key pair you register on the platform, mints the JWTs your backend hands
/// to the app, and decodes and verifies tokens with the platform's rules.
// No Debug: mint's arguments hold the role token.
#[derive(Parser)]
#[command(
    name = "acjwt",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_help = "Exit codes: 0 success, 1 token invalid, 2 usage or input error.")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,

    /// When to use colour: auto (a terminal without NO_COLOR), always or never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    color: output::ColorWhen,

    /// Never prompt; fail at once when a value is missing (implied without a terminal or with CI set).
    #[arg(long, global = true)]
    no_input: bool,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
enum Command {
    Keygen(keygen::KeygenArgs),
    Matching(matching::MatchingCommand),
    Mint(mint::MintArgs),
    Decode(decode::DecodeArgs),
    Verify(verify::VerifyArgs),
    Header(header::HeaderArgs),
    Key(key::KeyCommand),
    Explain(explain::ExplainArgs),
    Serve(serve::ServeArgs),
    Completions(docs::CompletionsArgs),
    Man(docs::ManArgs),
}

/// Exit statuses, documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The command did what was asked; for verify, the token is valid.
    Success = 0,
    /// The token is invalid (verify), or malformed (decode, verify).
    TokenInvalid = 1,
    /// Bad usage or input: flags, files, keys, matching, times.
    UsageError = 2,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// What every subcommand gets besides its own arguments.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    /// Prompts are allowed: stdin and stderr are terminals, no --no-input, CI unset.
    pub interactive: bool,
}

/// Parses the command line and runs it; never panics on user input.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.color.apply();
    let context = Context {
        interactive: !cli.no_input && prompt::terminal_available(),
    };
    let result = match cli.command {
        Command::Keygen(args) => keygen::run(args, context),
        Command::Matching(args) => matching::run(args, context),
        Command::Mint(args) => mint::run(args, context),
        Command::Decode(args) => decode::run(args, context),
        Command::Verify(args) => verify::run(args, context),
        Command::Header(args) => header::run(args, context),
        Command::Key(args) => key::run(args, context),
        Command::Explain(args) => explain::run(args, context),
        Command::Serve(args) => serve::run(args, context),
        Command::Completions(args) => docs::run_completions(args),
        Command::Man(args) => docs::run_man(args),
    };
    match result {
        Ok(status) => status.into(),
        Err(err) => output::report_error(&err).into(),
    }
}

/// The current time in unix seconds; the only place the command reads the clock.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

/// The clap definition, for completions, man pages and tests.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// An error acjwt's own command line raises, with the exact fix when there is one.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    message: String,
    hint: Option<String>,
}

impl UsageError {
    pub fn new(message: impl Into<String>) -> UsageError {
        UsageError {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(message: impl Into<String>, hint: impl Into<String>) -> UsageError {
        UsageError {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        super::command().debug_assert();
    }
}
