//! `acjwt verify`: signature, algorithm, times and the platform's claim rules.

use std::io::IsTerminal as _;

use acjwt::backend::Keyring;
use acjwt::claims::{Rules, describe_expiry, format_utc, time_claim};
use acjwt::verify::{Failure, Verdict, verify_token};
use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::{Map, Value, json};

use super::args::{CheckKeyArgs, TimeArgs};
use super::batch::EngineArgs;
use super::input::NotAToken;
use super::output::{BAD, GOOD, WARN};
use super::sanitize::Screen;
use super::{Context, Status, UsageError, batch, input, output};

/// Verify a token: signature, algorithm, exp/nbf/iat and the Altcraft claims.
///
/// Every failed check is listed, not just the first. The key file may be a public or private
/// key in PEM or DER, a JWK, or a JWKS (the token's kid chooses the key). The header never
/// chooses the key family: "none", HS256 and an alg that differs from the key are rejected.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The token; - or nothing reads it from stdin. "Bearer " and whitespace are ignored.
    #[arg(value_name = "TOKEN", conflicts_with = "batch")]
    token: Option<String>,

    /// Verify one token per line of FILE (- reads stdin) on every core; one report per line
    /// (with --json, one JSON object per line), exit 1 if any token is invalid.
    #[arg(long, value_name = "FILE")]
    batch: Option<String>,

    #[command(flatten)]
    engine: EngineArgs,

    #[command(flatten)]
    key: CheckKeyArgs,

    #[command(flatten)]
    time: TimeArgs,

    /// Check only what any JWT verifier checks; skip the Altcraft claim rules.
    #[arg(long)]
    generic: bool,

    /// Print {"valid", "alg", "kid", "claims", "failures", "warnings"} as JSON.
    #[arg(long)]
    json: bool,
}

/// The claims for output, with the role token replaced by a note of its length.
fn redacted(claims: &Map<String, Value>) -> Map<String, Value> {
    let mut claims = claims.clone();
    let note = match claims.get("rtoken") {
        None => return claims,
        Some(Value::String(rtoken)) => format!("<redacted, {} chars>", rtoken.chars().count()),
        Some(_) => "<redacted>".to_string(),
    };
    claims.insert("rtoken".into(), Value::String(note));
    claims
}

/// Failures and warnings alike as `[{"code", "message"}]`, the shape decode's warnings have.
fn findings(list: &[Failure]) -> Vec<Value> {
    list.iter()
        .map(|f| json!({"code": f.code, "message": f.message}))
        .collect()
}

/// The `--json` document for one verdict.
pub(super) fn verdict_json(verdict: &Verdict) -> Value {
    json!({
        "valid": verdict.valid(),
        "alg": verdict.alg,
        "kid": verdict.kid,
        "claims": verdict.claims.as_ref().map(redacted),
        "failures": findings(&verdict.failures),
        "warnings": findings(&verdict.warnings),
    })
}

pub(super) fn render(verdict: &Verdict, now: i64) -> Screen {
    let mut out = Screen::new();
    let alg = verdict.alg.as_deref().unwrap_or("?");
    if verdict.valid() {
        let claims = verdict.claims.as_ref();
        let iss = claims
            .and_then(|c| c.get("iss"))
            .and_then(Value::as_str)
            .map(|iss| format!(" from \"{iss}\""))
            .unwrap_or_default();
        let exp = claims
            .and_then(|c| c.get("exp"))
            .and_then(|v| time_claim("exp", v).ok())
            .map(|exp| format!(", {} ({})", describe_expiry(exp, now), format_utc(exp)))
            .unwrap_or_default();
        writeln!(out, "{GOOD}valid{GOOD:#}: {alg} token{iss}{exp}");
    } else {
        let count = verdict.failures.len();
        writeln!(
            out,
            "{BAD}invalid{BAD:#}: {count} check{} failed",
            if count == 1 { "" } else { "s" }
        );
        for failure in &verdict.failures {
            writeln!(out, "  {BAD}✗{BAD:#} {}: {}", failure.code, failure.message);
        }
    }
    for warning in &verdict.warnings {
        writeln!(out, "  {WARN}!{WARN:#} {}", warning.message);
    }
    out
}

/// The verdict on a token argument or stdin that is no token at all.
fn malformed(given: &NotAToken) -> Verdict {
    Verdict::malformed(given.to_string())
}

pub fn run(args: VerifyArgs, context: Context) -> Result<Status> {
    args.engine
        .check_batch_only(args.batch.is_some(), "verify")?;
    let rules = args.time.rules(!args.generic)?;
    let now = rules.now;
    let stdin_user = match (&args.batch, args.token.as_deref()) {
        (Some(batch), _) => (batch == "-").then_some("--batch"),
        (None, None | Some("-")) => Some("the token"),
        (None, Some(_)) => None,
    };
    let Some(keys) = args.key.read(context, stdin_user)? else {
        anyhow::bail!(UsageError::with_hint(
            "missing --key (or ACJWT_VERIFY_KEY)",
            "pass the public key the platform has: acjwt verify --key public.pem TOKEN"
        ));
    };
    let keys = Keyring::new(keys, args.engine.backend()).context("--backend")?;
    if let Some(source) = &args.batch {
        let job = BatchJob {
            keys: &keys,
            rules,
            json: args.json,
        };
        return run_batch(source, &args.engine, job);
    }
    let (verdict, hint) = match input::read_token(args.token.as_deref()) {
        Ok(text) => (verify_token(&text, &keys, &rules), None),
        // Something else given as the token is judged as a malformed token, so that --json
        // still prints a verdict.
        Err(err) => match err.downcast::<NotAToken>() {
            Ok(given) => (malformed(&given), Some(given.hint().to_string())),
            Err(err) => return Err(err),
        },
    };
    if args.json {
        output::print_json(&verdict_json(&verdict))?;
    } else {
        output::print_screen(&render(&verdict, now))?;
        if let Some(hint) = hint {
            output::hint(&hint);
        }
    }
    Ok(if verdict.valid() {
        Status::Success
    } else {
        Status::TokenInvalid
    })
}

/// `verify --batch`: what `verify` needs, resolved once.
struct BatchJob<'a> {
    keys: &'a Keyring,
    rules: Rules,
    json: bool,
}

fn run_batch(source: &str, engine: &EngineArgs, job: BatchJob<'_>) -> Result<Status> {
    let input = batch::open_input(source)?;
    // A little over the token limit, so an over-long token is reported as such per line; a
    // line that is not UTF-8 is a malformed token to report, not a reason to stop.
    let options = acjwt::batch::Options {
        lossy_utf8: true,
        ..engine.options(acjwt::jws::MAX_TOKEN_LEN + 1024)
    };
    let work = |line: u64, text: &str| -> Result<(bool, String), String> {
        let verdict = acjwt::verify::verify_token(input::clean_token(text), job.keys, &job.rules);
        let text = if job.json {
            let mut value = verdict_json(&verdict);
            if let Some(object) = value.as_object_mut() {
                object.shift_insert(0, "line".into(), line.into());
            }
            format!("{value}\n")
        } else {
            format!("line {line}: {}", render(&verdict, job.rules.now))
        };
        Ok((verdict.valid(), text))
    };
    let (mut valid, mut invalid) = (0u64, 0u64);
    let emit = |out: &mut batch::Stdout, (ok, text): (bool, String)| {
        if ok {
            valid += 1
        } else {
            invalid += 1
        }
        std::io::Write::write_all(out, text.as_bytes())
    };
    let done = batch::to_stdout(|out| acjwt::batch::map_lines(input, out, options, work, emit))
        .map_err(|err| batch::batch_error(err, source, "put one token per line"))?;
    if done.is_some() && std::io::stderr().is_terminal() {
        output::note(&format!("{valid} valid, {invalid} invalid"));
    }
    Ok(if invalid == 0 {
        Status::Success
    } else {
        Status::TokenInvalid
    })
}
