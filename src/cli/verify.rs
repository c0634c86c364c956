//! `acjwt verify`: signature, algorithm, times and the platform's claim rules.

use std::fmt::Write as _;

use acjwt::claims::{self, Rules, check_claims, describe_expiry, format_utc, time_claim};
use acjwt::jws::{JwsError, Token};
use acjwt::keys::{KeyError, KeyFile, MIN_RSA_BITS};
use acjwt::matching::Matching;
use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::{Map, Value, json};

use super::output::{BAD, GOOD, WARN};
use super::{Context, Status, UsageError, input, now, output};

/// Verify a token: signature, algorithm, exp/nbf/iat and the Altcraft claims.
///
/// Every failed check is listed, not just the first. The key file may be a public or private
/// key in PEM or DER, a JWK, or a JWKS (the token's kid chooses the key). The header never
/// chooses the key family: "none", HS256 and an alg that differs from the key are rejected.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The token; - or nothing reads it from stdin. "Bearer " and whitespace are ignored.
    #[arg(value_name = "TOKEN")]
    token: Option<String>,

    /// Public key (or private key, or JWK/JWKS) to verify with; - reads stdin.
    #[arg(long, value_name = "FILE", env = "ACJWT_VERIFY_KEY")]
    key: Option<String>,

    /// Clock skew to tolerate on exp, nbf and iat.
    #[arg(long, value_name = "DURATION", default_value = "0s")]
    leeway: String,

    /// Judge times at this instant instead of now: unix seconds, RFC 3339 or relative.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    at: Option<String>,

    /// Check only what any JWT verifier checks; skip the Altcraft claim rules.
    #[arg(long)]
    generic: bool,

    /// Print {"valid", "alg", "kid", "claims", "failures", "warnings"} as JSON.
    #[arg(long)]
    json: bool,
}

/// One failed check.
struct Failure {
    code: &'static str,
    message: String,
}

impl Failure {
    fn from_jws(err: &JwsError) -> Failure {
        Failure {
            code: err.code(),
            message: err.to_string(),
        }
    }
}

/// Everything verify found out about one token.
struct Verdict {
    alg: Option<String>,
    kid: Option<String>,
    claims: Option<Map<String, Value>>,
    failures: Vec<Failure>,
    warnings: Vec<String>,
}

impl Verdict {
    fn valid(&self) -> bool {
        self.failures.is_empty()
    }
}

fn verify_token(text: &str, keys: &KeyFile, rules: &Rules) -> Verdict {
    let mut verdict = Verdict {
        alg: None,
        kid: None,
        claims: None,
        failures: Vec::new(),
        warnings: Vec::new(),
    };
    let token = match Token::parse(text) {
        Ok(token) => token,
        Err(err) => {
            verdict.failures.push(Failure::from_jws(&err));
            return verdict;
        }
    };
    verdict.alg = token.alg().map(String::from);
    verdict.kid = token.kid().map(String::from);
    if let Some(typ) = token.header.get("typ").and_then(Value::as_str)
        && !typ.eq_ignore_ascii_case("JWT")
    {
        verdict
            .warnings
            .push(format!("header typ is {typ:?}, not \"JWT\""));
    }
    match keys.verification_key(token.kid()) {
        Ok(key) => {
            if let Some(bits) = key.rsa_bits()
                && bits < MIN_RSA_BITS
            {
                verdict.warnings.push(format!(
                    "the RSA key has only {bits} bits; use {MIN_RSA_BITS} or more"
                ));
            }
            if let Err(err) = token.verify(&key) {
                verdict.failures.push(Failure::from_jws(&err));
            }
        }
        Err(err) => verdict.failures.push(Failure {
            code: match err {
                KeyError::KidUnsupported { .. } => "key_unsupported",
                KeyError::KidAmbiguous { .. } => "kid_ambiguous",
                KeyError::KidRequired { .. } => "kid_required",
                _ => "kid_not_found",
            },
            message: err.to_string(),
        }),
    }
    match token.claims() {
        Ok(claims) => {
            for violation in check_claims(&claims, rules) {
                verdict.failures.push(Failure {
                    code: violation.code(),
                    message: violation.to_string(),
                });
            }
            if rules.altcraft
                && let Some(Ok(matching)) = claims
                    .get("matching")
                    .and_then(Value::as_str)
                    .map(Matching::parse)
            {
                verdict.warnings.extend(matching.warnings());
            }
            verdict.claims = Some(claims);
        }
        Err(err) => verdict.failures.push(Failure::from_jws(&err)),
    }
    verdict
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

fn render(verdict: &Verdict, now: i64) -> String {
    let mut out = String::new();
    let alg = verdict.alg.as_deref().unwrap_or("?");
    if verdict.valid() {
        let claims = verdict.claims.as_ref();
        let iss = claims
            .and_then(|c| c.get("iss"))
            .and_then(Value::as_str)
            .map(|iss| format!(" from {iss:?}"))
            .unwrap_or_default();
        let exp = claims
            .and_then(|c| c.get("exp"))
            .and_then(|v| time_claim("exp", v).ok())
            .map(|exp| format!(", {} ({})", describe_expiry(exp, now), format_utc(exp)))
            .unwrap_or_default();
        let _ = writeln!(out, "{GOOD}valid{GOOD:#}: {alg} token{iss}{exp}");
    } else {
        let count = verdict.failures.len();
        let _ = writeln!(
            out,
            "{BAD}invalid{BAD:#}: {count} check{} failed",
            if count == 1 { "" } else { "s" }
        );
        for failure in &verdict.failures {
            let _ = writeln!(out, "  {BAD}✗{BAD:#} {}: {}", failure.code, failure.message);
        }
    }
    for warning in &verdict.warnings {
        let _ = writeln!(out, "  {WARN}!{WARN:#} {warning}");
    }
    out
}

pub fn run(args: VerifyArgs, _context: Context) -> Result<Status> {
    let now = match &args.at {
        Some(at) => claims::parse_time(at, now()).context("--at")?,
        None => now(),
    };
    let leeway = claims::parse_duration(&args.leeway).context("--leeway")?;
    let Some(key_path) = &args.key else {
        anyhow::bail!(UsageError::with_hint(
            "missing --key (or ACJWT_VERIFY_KEY)",
            "pass the public key the platform has: acjwt verify --key public.pem TOKEN"
        ));
    };
    let keys = input::read_key(key_path, "--key")?;
    if keys.keys.is_empty() && keys.unusable.is_empty() {
        return Err(KeyError::EmptyKeySet).context("--key");
    }
    let text = input::read_token(args.token.as_deref())?;
    let rules = Rules {
        now,
        leeway,
        altcraft: !args.generic,
    };
    let verdict = verify_token(&text, &keys, &rules);
    if args.json {
        output::print_json(&json!({
            "valid": verdict.valid(),
            "alg": verdict.alg,
            "kid": verdict.kid,
            "claims": verdict.claims.as_ref().map(redacted),
            "failures": verdict.failures.iter().map(|f| json!({"code": f.code, "message": f.message})).collect::<Vec<_>>(),
            "warnings": verdict.warnings,
        }))?;
    } else {
        output::print_stdout(&render(&verdict, now))?;
    }
    Ok(if verdict.valid() {
        Status::Success
    } else {
        Status::TokenInvalid
    })
}
