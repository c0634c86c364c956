//! `acjwt decode`: show a token's header and claims without a key.

use std::fmt::Write as _;

use acjwt::claims::{self, Rules, check_claims, describe_relative, format_utc, time_claim};
use acjwt::jws::{Algorithm, Token};
use acjwt::matching::Matching;
use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::{Map, Value, json};

use super::output::{DIM, HEADING, LABEL, WARN};
use super::{Context, Status, input, now, output};

/// Show a token's header and claims, matching unpacked and times made human. No key needed,
/// and nothing is verified: use `acjwt verify` for that.
///
/// The output includes the rtoken, since anyone holding the token can read it.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The token; - or nothing reads it from stdin. "Bearer " and whitespace are ignored.
    #[arg(value_name = "TOKEN")]
    token: Option<String>,

    /// Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    at: Option<String>,

    /// Print {"header", "claims", "matching", "times", "warnings"} as JSON.
    #[arg(long)]
    json: bool,
}

/// A decoded token, ready to print either way.
pub struct Decoded {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    /// The matching object, unpacked from its string (or taken as an object, with a warning).
    pub matching: Option<Value>,
    pub warnings: Vec<(&'static str, String)>,
}

impl Decoded {
    pub fn new(token: &Token<'_>, now: i64) -> Result<Decoded> {
        let claims = token.claims()?;
        let mut warnings: Vec<(&'static str, String)> = Vec::new();
        if let Some(alg) = token.alg()
            && Algorithm::from_name(alg).is_none()
        {
            warnings.push((
                "alg_not_allowed",
                format!("alg {alg:?} is not accepted by the platform (ES384, ES256, ES512, RS256)"),
            ));
        }
        let rules = Rules {
            now,
            leeway: 0,
            altcraft: true,
        };
        for violation in check_claims(&claims, &rules) {
            warnings.push((violation.code(), violation.to_string()));
        }
        let matching = match claims.get("matching") {
            Some(Value::String(text)) => serde_json::from_str::<Value>(text).ok(),
            Some(object @ Value::Object(_)) => Some(object.clone()),
            _ => None,
        };
        if let Some(value) = &matching
            && let Ok(parsed) = Matching::from_value(value)
        {
            warnings.extend(
                parsed
                    .warnings()
                    .into_iter()
                    .map(|w| ("matching_warning", w)),
            );
        }
        Ok(Decoded {
            header: token.header.clone(),
            claims,
            matching,
            warnings,
        })
    }

    /// exp/nbf/iat with UTC and relative forms, for JSON output.
    fn times(&self, now: i64) -> Value {
        let mut times = Map::new();
        for claim in ["exp", "nbf", "iat"] {
            if let Some(Ok(seconds)) = self.claims.get(claim).map(|v| time_claim(claim, v)) {
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
            "header": self.header,
            "claims": self.claims,
            "matching": self.matching,
            "times": self.times(now),
            "warnings": self.warnings.iter().map(|(code, message)| json!({"code": code, "message": message})).collect::<Vec<_>>(),
        })
    }

    /// The human report: sections for header, claims, matching and warnings.
    pub fn render(&self, now: i64) -> String {
        let mut out = String::new();
        section(&mut out, "Header", &self.header, |_, value| {
            value_text(value)
        });
        section(&mut out, "Claims", &self.claims, |name, value| {
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
                ("matching", Value::String(_)) if self.matching.is_some() => {
                    format!("{DIM}(JSON string, unpacked below){DIM:#}")
                }
                _ => text,
            }
        });
        if let Some(Value::Object(matching)) = &self.matching {
            section(&mut out, "Matching", matching, |_, value| value_text(value));
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(out, "{HEADING}Warnings{HEADING:#}");
            for (_, message) in &self.warnings {
                let _ = writeln!(out, "  {WARN}!{WARN:#} {message}");
            }
        }
        let _ = writeln!(
            out,
            "{DIM}Signature not checked; acjwt verify --key public.pem checks it.{DIM:#}"
        );
        out
    }
}

fn section(
    out: &mut String,
    title: &str,
    members: &Map<String, Value>,
    show: impl Fn(&str, &Value) -> String,
) {
    let _ = writeln!(out, "{HEADING}{title}{HEADING:#}");
    let width = members.keys().map(String::len).max().unwrap_or(0);
    for (name, value) in members {
        let _ = writeln!(
            out,
            "  {LABEL}{:<width$}{LABEL:#}  {}",
            printable(name),
            show(name, value)
        );
    }
}

/// Strings bare, everything else as JSON.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => printable(text),
        other => other.to_string(),
    }
}

/// Control characters escaped: a token is untrusted input, and raw escape sequences in it
/// could rewrite the terminal (clear lines, set the clipboard) when decoded.
fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

pub fn run(args: DecodeArgs, _context: Context) -> Result<Status> {
    let now = match &args.at {
        Some(at) => claims::parse_time(at, now()).context("--at")?,
        None => now(),
    };
    let text = input::read_token(args.token.as_deref())?;
    let token = Token::parse(&text)?;
    let decoded = Decoded::new(&token, now)?;
    if args.json {
        output::print_json(&decoded.to_json(now))?;
    } else {
        output::print_stdout(&decoded.render(now))?;
    }
    Ok(Status::Success)
}
