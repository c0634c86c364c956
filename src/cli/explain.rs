//! `acjwt explain`: the token doctor's report. The checks live in the library
//! (`acjwt::explain`, judged by `acjwt::rules`); this file reads the inputs, adds the fix
//! texts (keyed by the check and the finding's code, in [`fix`]) and prints.

use acjwt::claims::Rules;
use acjwt::explain::{Check, Report, Section, Status as CheckStatus, compare, explain};
use acjwt::keys::KeyFile;
use acjwt::rules::sdk::Cause;
use acjwt::rules::{Code, SdkEffect};
use anyhow::Result;
use clap::Args;
use serde_json::{Value, json};

use super::args::{CheckKeyArgs, TimeArgs};
use super::input::NotAToken;
use super::output::{BAD, DIM, GOOD, HEADING, LABEL, WARN};
use super::sanitize::{Paint, Screen};
use super::{Context, Status, UsageError, input, output};

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

    #[command(flatten)]
    key: CheckKeyArgs,

    #[command(flatten)]
    time: TimeArgs,

    /// Print the report as JSON: {"ok", "summary", "matching_mode", "user_tag", "checks"}, or
    /// {"ok", "tokens": [...], "comparison"} for two tokens.
    #[arg(long)]
    json: bool,

    /// Instead of a token, list the causes of an SDK auth error code (540-545) and how to
    /// check a token for each.
    #[arg(long, value_name = "CODE", conflicts_with_all = ["tokens", "key", "at"])]
    sdk_error: Option<u16>,
}

pub fn run(args: ExplainArgs, context: Context) -> Result<Status> {
    if let Some(code) = args.sdk_error {
        return sdk_error(code, args.json);
    }
    let rules = args.time.rules(true)?;
    let token_on_stdin = args.tokens.is_empty() || args.tokens.iter().any(|t| t == "-");
    let key = args
        .key
        .read(context, token_on_stdin.then_some("the token"))?;
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
        .map(|argument| report_for(argument, key.as_ref(), &rules))
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
                "comparison": checks_json(&Report::default(), &comparison),
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
                render_check(&mut out, &Report::default(), check);
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
/// format check as `malformed`, as verify judges it; what to do is printed as a hint.
fn report_for(argument: Option<&str>, key: Option<&KeyFile>, rules: &Rules) -> Result<Report> {
    let given = match input::read_token(argument) {
        Ok(text) => return Ok(explain(&text, key, rules)),
        Err(err) => err.downcast::<NotAToken>()?,
    };
    let mut report = Report::default();
    let mut check = Check::plain(
        Section::Jose,
        "format",
        CheckStatus::Fail,
        given.to_string(),
    );
    check.code = Some(Code::Malformed);
    report.checks.push(check);
    output::hint(given.hint());
    Ok(report)
}

/// The `--json` document for one report: `{"ok", "summary", "matching_mode", "user_tag",
/// "checks": [{"section", "name", "code", "status", "message", "sdk", "fix"}]}`. `serve`'s
/// `/explain` answers with it too.
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
        "checks": checks_json(report, &report.checks),
    })
}

/// Checks as JSON, each with its fix.
fn checks_json(report: &Report, checks: &[Check]) -> Vec<Value> {
    checks
        .iter()
        .map(|check| {
            let mut value = serde_json::to_value(check).unwrap_or(Value::Null);
            if let (Some(fix), Value::Object(map)) = (fix(report, check), &mut value) {
                map.insert("fix".into(), fix.into());
            }
            value
        })
        .collect()
}

/// The exact change that makes a warning or failure go away, keyed by the check and the code
/// of the finding that decided it; `None` on a pass.
fn fix(report: &Report, check: &Check) -> Option<&'static str> {
    let code = check.code.map(Code::as_str);
    Some(match (check.name, code) {
        (_, _) if check.status == CheckStatus::Pass => return None,
        ("format" | "payload", _) => {
            "pass the whole token as minted: three base64url parts joined by dots, a JSON object in each of the first two"
        }
        ("duplicate_member", _) => "write each member once; acjwt mint never writes a member twice",
        ("alg", Some(_)) if check.message.contains("\"HS") => {
            "the platform verifies with a registered public key, not a shared secret: sign with ES384 (acjwt keygen, acjwt mint)"
        }
        ("alg", Some(_)) => {
            "sign with ES384, ES256, ES512 or RS256 (acjwt mint takes the algorithm from the key)"
        }
        ("typ", _) => "set typ to \"JWT\" or leave it out (acjwt mint writes \"JWT\")",
        ("header_members", Some("crit_unsupported")) => "drop the crit header member",
        ("header_members", _) => "leave them out; they only make the token longer",
        ("kid", Some("kid_invalid")) => "a kid is a string: acjwt mint --kid NAME",
        ("kid", Some(_)) => "mint with a --kid the key set holds (acjwt key inspect lists them)",
        ("signature", Some("alg_mismatch")) => {
            "verify with the public key of the private key that signed, or re-mint with the key whose public half the platform has"
        }
        ("signature", Some(_)) => {
            "the token was changed after signing or signed by another key: compare fingerprints with acjwt key inspect on both keys"
        }
        // Skipped for want of a key, not because the header failed.
        ("signature", None)
            if !report
                .checks
                .iter()
                .any(|c| c.section == Section::Jose && c.status == CheckStatus::Fail) =>
        {
            "pass --key with the public key registered on the platform"
        }
        ("key_strength", Some("bad_signature")) => {
            "encode ECDSA signatures as r||s (RFC 7518 3.4), as JWT libraries do"
        }
        ("key_strength", Some(_)) => {
            "make a new pair with acjwt keygen (ES384) and register its public key"
        }
        (_, Some("exp_missing")) => "set exp: acjwt mint --ttl 1h",
        (_, Some("time_not_integer")) => {
            "write the time as a JSON integer of unix seconds (1800000000), not a string or a fraction"
        }
        (_, Some("time_out_of_range")) => {
            "write the time as unix seconds (1800000000); this value is no time at all"
        }
        (_, Some("time_in_milliseconds")) => "write it in seconds: divide the value by 1000",
        (_, Some("time_before_epoch")) => "write the time as unix seconds since 1970",
        (_, Some("expired")) => {
            "mint a fresh token; the app should fetch a new one from the backend when it expires"
        }
        (_, Some("not_yet_valid")) => {
            "drop nbf or set it to the minting time; check the minting server's clock"
        }
        (_, Some("time_after_exp")) => "set times from one clock reading: exp = now + ttl",
        (_, Some("iat_in_future")) => "keep the minting server's clock in sync (NTP)",
        (_, Some("lifetime_short")) => {
            "mint tokens right before handing them to the app, with a ttl of minutes to hours"
        }
        (_, Some("lifetime_long")) => {
            "use a short ttl (acjwt mint --ttl 1h) and let the app fetch fresh tokens"
        }
        ("iss", Some(_)) => "set iss to your app's name: acjwt mint --iss NAME",
        ("rtoken", Some(_)) => {
            "copy the role token from the resource's settings: acjwt mint --rtoken-file FILE"
        }
        ("matching", Some(_)) => {
            "make matching a string holding a JSON object: acjwt matching build prints one, acjwt mint embeds it"
        }
        ("db_id", Some(_)) => "db_id is the profile database's id, a JSON integer: \"db_id\":2",
        ("mode", Some(_)) => "use one of the modes listed by acjwt matching modes",
        ("identifier", Some(_)) => "add the mode's fields: acjwt matching modes lists them",
        ("unknown_fields", Some(_)) => {
            "leave out what the platform does not read; it only makes the token longer"
        }
        ("payload_size", Some(_)) => {
            "shorten the claims: the platform reads only iss, exp, rtoken and matching"
        }
        ("matching_mode", Some(_)) => "put the mode in matching: \"matching\":\"email\"",
        ("user_tag", Some(_)) => {
            "give matching the mode's identifier (email, phone, profile_id, ...), as the checks above say"
        }
        ("same_user", None) if check.status == CheckStatus::Fail => {
            "mint both from the same matching object (db_id, mode and identifier)"
        }
        ("same_resource", None) if check.status == CheckStatus::Warn => {
            "tokens for one app use one iss and the resource's rtoken"
        }
        _ => return None,
    })
}

/// `explain --sdk-error CODE`: what makes an SDK report the auth error `code`.
fn sdk_error(code: u16, json: bool) -> Result<Status> {
    let Some(error) = acjwt::rules::sdk::sdk_error(code) else {
        anyhow::bail!(UsageError::with_hint(
            format!("{code} is not an SDK auth error code"),
            "the mSDK auth errors are 540 to 545"
        ));
    };
    let how = |cause: &Cause| match cause.check {
        Some(check) => format!(
            "acjwt explain TOKEN: the {} check ({})",
            check.as_str(),
            cause
                .findings
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "check the app's code: no token reaches the SDK".to_string(),
    };
    if json {
        let causes: Vec<Value> = error
            .causes
            .iter()
            .map(|cause| {
                json!({
                    "sdk": cause.sdk,
                    "cause": cause.what,
                    "check": cause.check.map(|c| c.as_str()),
                    "codes": cause.findings,
                    "how": how(cause),
                })
            })
            .collect();
        output::print_json(&json!({
            "code": error.code,
            "meaning": error.meaning,
            "causes": causes,
        }))?;
    } else {
        let mut out = Screen::new();
        writeln!(
            out,
            "{HEADING}SDK error {}{HEADING:#}: {}",
            error.code, error.meaning
        );
        for cause in error.causes {
            writeln!(
                out,
                "  {WARN}•{WARN:#} {}: {}",
                cause.sdk.name(),
                cause.what
            );
            writeln!(out, "    {DIM}check: {}{DIM:#}", how(cause));
        }
        output::print_screen(&out)?;
    }
    Ok(Status::Success)
}

/// What the SDKs do, for people: "Android error 542, iOS error 541".
fn sdk_text(effects: &[SdkEffect]) -> String {
    effects
        .iter()
        .map(|e| format!("{} error {}", e.sdk.name(), e.error))
        .collect::<Vec<_>>()
        .join(", ")
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
        render_check(out, report, check);
    }
    verdict(
        out,
        report.count(CheckStatus::Fail),
        report.count(CheckStatus::Warn),
        report.count(CheckStatus::Skip),
    );
    let warned = report.count(CheckStatus::Warn);
    writeln!(
        out,
        "{DIM}{} passed, {warned} warning{}, {} failed, {} skipped{DIM:#}",
        report.count(CheckStatus::Pass),
        plural(warned),
        report.count(CheckStatus::Fail),
        report.count(CheckStatus::Skip)
    );
}

fn render_check(out: &mut Screen, report: &Report, check: &Check) {
    let (paint, mark): (Paint, &str) = match check.status {
        CheckStatus::Pass => (GOOD, "✓"),
        CheckStatus::Warn => (WARN, "!"),
        CheckStatus::Fail => (BAD, "✗"),
        CheckStatus::Skip => (DIM, "-"),
    };
    writeln!(
        out,
        "  {paint}{mark}{paint:#} {LABEL}{:<15}{LABEL:#} {}",
        check.name, check.message
    );
    if !check.sdk.is_empty() && check.status != CheckStatus::Pass {
        writeln!(
            out,
            "    {:<15} {DIM}sdk: {}{DIM:#}",
            "",
            sdk_text(&check.sdk)
        );
    }
    if let Some(fix) = fix(report, check) {
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
