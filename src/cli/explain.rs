//! `acjwt explain`: the token doctor's report. The checks live in the library
//! (`acjwt::explain`); this file reads the inputs and prints.

use acjwt::claims;
use acjwt::explain::{Check, Report, Section, Status as CheckStatus, compare, explain};
use acjwt::keys::KeyFile;
use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::{Value, json};

use super::input::NotAToken;
use super::keyfile::read_key_unlocking;
use super::output::{BAD, DIM, GOOD, HEADING, LABEL, WARN};
use super::sanitize::{Paint, Screen};
use super::{Context, Status, UsageError, input, now, output};

/// Explain whether a token will work: every check, in the order a support engineer goes.
///
/// JOSE (alg, typ, kid, signature with --key, key strength), times (exp, lifetime, iat, nbf,
/// clock skew), the Altcraft claims (iss, rtoken, matching, db_id, mode, identifier, unknown
/// members) and the SDK view (Android's 16 KiB payload limit, the matching_mode the SDKs send,
/// the Android SDK's user tag). Each line is pass, warn, fail or skip, with the fix. With two
/// tokens, also whether they map to the same user. Exits 1 if any check fails.
///
/// The rtoken is never printed.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The token; a second one compares the two. - or nothing reads one token from stdin.
    /// "Bearer " and whitespace are ignored.
    #[arg(value_name = "TOKEN", num_args = 0..=2)]
    tokens: Vec<String>,

    /// Public key (or private key, JWK, JWKS) to check the signature with; - reads stdin.
    #[arg(long, value_name = "FILE")]
    key: Option<String>,

    /// Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    at: Option<String>,

    /// Print the report as JSON: {"ok", "summary", "matching_mode", "user_tag", "checks"}, or
    /// {"ok", "tokens": [...], "comparison"} for two tokens.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ExplainArgs, context: Context) -> Result<Status> {
    let now = match &args.at {
        Some(at) => claims::parse_time(at, now()).context("--at")?,
        None => now(),
    };
    let key: Option<KeyFile> = match &args.key {
        Some(path) => Some(read_key_unlocking(path, "--key", context)?.0),
        None => None,
    };
    let arguments: Vec<Option<&str>> = match args.tokens.as_slice() {
        [] => vec![None],
        [one] => vec![Some(one)],
        [a, b] => {
            if a == "-" && b == "-" {
                anyhow::bail!(UsageError::new("only one token can come from stdin"));
            }
            vec![Some(a), Some(b)]
        }
        _ => unreachable!("clap allows at most two tokens"),
    };
    let reports = arguments
        .into_iter()
        .map(|argument| report_for(argument, key.as_ref(), now))
        .collect::<Result<Vec<Report>>>()?;
    let comparison = match reports.as_slice() {
        [a, b] => compare(a, b),
        _ => Vec::new(),
    };
    let failed = reports.iter().any(Report::failed)
        || comparison.iter().any(|c| c.status == CheckStatus::Fail);

    if args.json {
        let document = match reports.as_slice() {
            [only] => report_json(only),
            _ => json!({
                "ok": !failed,
                "tokens": reports.iter().map(report_json).collect::<Vec<_>>(),
                "comparison": comparison,
            }),
        };
        output::print_json(&document)?;
    } else {
        let mut out = Screen::new();
        for (index, report) in reports.iter().enumerate() {
            if reports.len() > 1 {
                writeln!(out, "{HEADING}Token {}{HEADING:#}", ["A", "B"][index]);
            }
            render(&mut out, report);
        }
        if !comparison.is_empty() {
            writeln!(out, "{HEADING}A and B{HEADING:#}");
            for check in &comparison {
                render_check(&mut out, check);
            }
            let failed = comparison
                .iter()
                .filter(|c| c.status == CheckStatus::Fail)
                .count();
            verdict(&mut out, failed, 0, 0);
        }
        output::print_screen(&out)?;
    }
    Ok(if failed {
        Status::TokenInvalid
    } else {
        Status::Success
    })
}

/// The report on one token argument (or stdin). Something else given as the token fails the
/// format check, with what to do as its fix, as verify judges it malformed.
fn report_for(argument: Option<&str>, key: Option<&KeyFile>, now: i64) -> Result<Report> {
    let given = match input::read_token(argument) {
        Ok(text) => return Ok(explain(&text, key, now)),
        Err(err) => err.downcast::<NotAToken>()?,
    };
    let mut report = Report::default();
    report.checks.push(Check {
        section: Section::Jose,
        code: "format",
        status: CheckStatus::Fail,
        message: given.to_string(),
        fix: Some(given.hint().to_string()),
    });
    Ok(report)
}

/// `explain --json`'s document for one token; `serve`'s `/explain` answers with it too.
pub(super) fn report_json(report: &Report) -> Value {
    json!({
        "ok": !report.failed(),
        "summary": {
            "pass": report.count(CheckStatus::Pass),
            "warn": report.count(CheckStatus::Warn),
            "fail": report.count(CheckStatus::Fail),
            "skip": report.count(CheckStatus::Skip),
        },
        "matching_mode": report.matching_mode,
        "user_tag": report.user_tag,
        "checks": report.checks,
    })
}

/// One report. Check messages quote the token (header member names, claim names, kids), so
/// they are written into the Screen like everything else, never pre-formatted with colour.
fn render(out: &mut Screen, report: &Report) {
    let mut section: Option<Section> = None;
    for check in &report.checks {
        if section != Some(check.section) {
            section = Some(check.section);
            writeln!(out, "{HEADING}{}{HEADING:#}", check.section.title());
        }
        render_check(out, check);
    }
    verdict(
        out,
        report.count(CheckStatus::Fail),
        report.count(CheckStatus::Warn),
        report.count(CheckStatus::Skip),
    );
    writeln!(
        out,
        "{DIM}{} passed, {} warnings, {} failed, {} skipped{DIM:#}",
        report.count(CheckStatus::Pass),
        report.count(CheckStatus::Warn),
        report.count(CheckStatus::Fail),
        report.count(CheckStatus::Skip)
    );
}

fn render_check(out: &mut Screen, check: &Check) {
    let (paint, mark): (Paint, &str) = match check.status {
        CheckStatus::Pass => (GOOD, "✓"),
        CheckStatus::Warn => (WARN, "!"),
        CheckStatus::Fail => (BAD, "✗"),
        CheckStatus::Skip => (DIM, "-"),
    };
    writeln!(
        out,
        "  {paint}{mark}{paint:#} {LABEL}{:<15}{LABEL:#} {}",
        check.code, check.message
    );
    if let Some(fix) = &check.fix
        && check.status != CheckStatus::Pass
    {
        writeln!(out, "    {:<15} {DIM}fix: {fix}{DIM:#}", "");
    }
}

fn verdict(out: &mut Screen, failed: usize, warnings: usize, skipped: usize) {
    let unchecked = if skipped > 0 {
        " (as far as checked)"
    } else {
        ""
    };
    match (failed, warnings) {
        (0, 0) => writeln!(out, "{GOOD}ok{GOOD:#}{unchecked}"),
        (0, n) => writeln!(
            out,
            "{GOOD}ok{GOOD:#}{unchecked}, with {n} warning{}",
            plural(n)
        ),
        (n, _) => writeln!(out, "{BAD}fails{BAD:#}: {n} check{} failed", plural(n)),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
