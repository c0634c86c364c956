//! `acjwt decode`: show a token's header and claims without a key.

use acjwt::claims::{self, Rules, describe_relative, format_utc, time_claim};
use acjwt::jws::Token;
use acjwt::verify::{Inspection, inspect};
use anyhow::Result;
use clap::Args;
use serde_json::{Map, Value, json};

use super::args::TimeArgs;
use super::output::{DIM, HEADING, LABEL, WARN};
use super::sanitize::{Screen, escape};
use super::{Context, Status, input, output};

/// Show a token's header and claims, matching unpacked and times made human. No key needed,
/// and nothing is verified: use `acjwt verify` for that.
///
/// The output includes the rtoken, since anyone holding the token can read it.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The token; - or nothing reads it from stdin. "Bearer " and whitespace are ignored.
    #[arg(value_name = "TOKEN")]
    token: Option<String>,

    #[command(flatten)]
    time: TimeArgs,

    /// Print {"header", "claims", "matching", "times", "warnings"} as JSON.
    #[arg(long)]
    json: bool,
}

/// A decoded token, ready to print either way.
pub struct Decoded(Inspection);

impl Decoded {
    pub fn new(token: &Token<'_>, rules: &Rules) -> Result<Decoded> {
        Ok(Decoded(inspect(token, rules)?))
    }

    /// exp/nbf/iat with UTC and relative forms, for JSON output.
    fn times(&self, now: i64) -> Value {
        let mut times = Map::new();
        for claim in ["exp", "nbf", "iat"] {
            if let Some(Ok(seconds)) = self.0.claims.get(claim).map(|v| time_claim(claim, v)) {
                times.insert(
                    claim.into(),
                    json!({
                        "unix": seconds,
                        "utc": format_utc(seconds),
                        "relative": describe_relative(seconds, now),
                    }),
                );
            }
        }
        Value::Object(times)
    }

    pub fn to_json(&self, now: i64) -> Value {
        json!({
            "header": self.0.header,
            "claims": self.0.claims,
            "matching": self.0.matching,
            "times": self.times(now),
            "warnings": self.0.warnings.iter().map(|w| json!({"code": w.code, "message": w.message})).collect::<Vec<_>>(),
        })
    }

    /// The human report: sections for header, claims, matching and warnings.
    pub fn render(&self, now: i64) -> Screen {
        let mut out = Screen::new();
        let Inspection {
            header,
            claims,
            matching,
            warnings,
            ..
        } = &self.0;
        section(&mut out, "Header", header, false, |_, value| {
            value_text(value)
        });
        let unpacked = matching.is_some() && claims.get("matching").is_some_and(Value::is_string);
        section(&mut out, "Claims", claims, unpacked, |name, value| {
            let text = value_text(value);
            match (name, value) {
                ("exp", _) => match time_claim("exp", value) {
                    Ok(exp) => format!(
                        "{text}  {} ({})",
                        format_utc(exp),
                        claims::describe_expiry(exp, now)
                    ),
                    Err(_) => text,
                },
                ("nbf" | "iat", _) => {
                    match time_claim(if name == "nbf" { "nbf" } else { "iat" }, value) {
                        Ok(at) => format!(
                            "{text}  {} ({})",
                            format_utc(at),
                            describe_relative(at, now)
                        ),
                        Err(_) => text,
                    }
                }
                _ => text,
            }
        });
        if let Some(Value::Object(matching)) = matching {
            section(&mut out, "Matching", matching, false, |_, value| {
                value_text(value)
            });
        }
        if !warnings.is_empty() {
            writeln!(out, "{HEADING}Warnings{HEADING:#}");
            for warning in warnings {
                writeln!(out, "  {WARN}!{WARN:#} {}", warning.message);
            }
        }
        writeln!(
            out,
            "{DIM}Signature not checked; acjwt verify --key public.pem checks it.{DIM:#}"
        );
        out
    }
}

/// One section, names aligned; `show` gives a member's value as text. With `unpacked`, the
/// matching claim gets a note instead, written here because it is painted (a Screen escapes
/// colour codes that arrive inside text).
fn section(
    out: &mut Screen,
    title: &str,
    members: &Map<String, Value>,
    unpacked: bool,
    show: impl Fn(&str, &Value) -> String,
) {
    writeln!(out, "{HEADING}{title}{HEADING:#}");
    // Aligned by what the terminal shows: an escaped name is wider than its bytes.
    let width = members
        .keys()
        .map(|name| escape(name).chars().count())
        .max()
        .unwrap_or(0);
    for (name, value) in members {
        let pad = width - escape(name).chars().count();
        if unpacked && name == "matching" {
            writeln!(
                out,
                "  {LABEL}{name}{:pad$}{LABEL:#}  {DIM}(JSON string, unpacked below){DIM:#}",
                ""
            );
        } else {
            writeln!(
                out,
                "  {LABEL}{name}{:pad$}{LABEL:#}  {}",
                "",
                show(name, value)
            );
        }
    }
}

/// Strings bare, everything else as JSON; the Screen escapes what needs it.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

pub fn run(args: DecodeArgs, _context: Context) -> Result<Status> {
    let rules = args.time.rules(true)?;
    let now = rules.now;
    let text = input::read_token(args.token.as_deref())?;
    let token = Token::parse(&text)?;
    let decoded = Decoded::new(&token, &rules)?;
    if args.json {
        output::print_json(&decoded.to_json(now))?;
    } else {
        output::print_screen(&decoded.render(now))?;
    }
    Ok(Status::Success)
}
