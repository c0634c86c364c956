//! `acjwt mint`: sign a platform-ready token.

use std::path::Path;

use acjwt::backend::Backend;
use acjwt::claims::MintError;
use acjwt::claims::{self, Claims, format_utc};
use acjwt::jws::Algorithm;
use acjwt::keys::{KeyFile, PrivateKey};
use acjwt::matching::Matching;
use acjwt::mint::{Expiry, Issuer, KidPolicy, Minter, RoleToken};
use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;
use zeroize::Zeroizing;

use super::args::SigningArgs;
use super::batch::{EngineArgs, MintBatchArgs, MintJob};
use super::keyfile::{kid_sidecar, read_key_unlocking, recorded_kid};
use super::matching::{self, MatchingArgs, shell_quote};
use super::{Context, Status, UsageError, batch, files, input, now, output, prompt};

/// Sign a token: {"iss", "exp", "rtoken", "matching"} with matching as a JSON string.
///
/// The key decides the algorithm (ES384, ES256, ES512 or RS256). Only the token is printed on
/// stdout. Prefer ACJWT_RTOKEN or --rtoken-file to --rtoken: command lines end up in shell
/// history and process lists.
///
/// Example: acjwt mint --key private.ec.key --iss MyApp --mode email --db-id 2 --email a@example.com
// No Debug: the arguments hold the role token.
#[derive(Args)]
#[command(
    mut_arg("key", |a| a.help("Private key file (PEM, DER or JWK; - reads stdin). An encrypted PKCS#8 key is opened with ACJWT_KEY_PASSPHRASE or a passphrase prompt")),
    mut_arg("backend", |a| a.help("Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust). Default: the fastest this build has; one ES token is signed with rustcrypto instead when aws-lc was built with CPU-jitter entropy, whose first random draw costs ~25 ms a process")),
    mut_arg("rtoken_file", |a| a.help("Read the role token from a file (- reads stdin): one line; a BOM and the final newline are dropped. Cannot be combined with --rtoken; it takes precedence over ACJWT_RTOKEN")),
)]
pub struct MintArgs {
    #[command(flatten)]
    signing: SigningArgs,

    /// The whole matching object as JSON, instead of the matching flags.
    #[arg(long, value_name = "JSON", conflicts_with_all = matching::FLAG_IDS)]
    matching: Option<String>,

    /// Lifetime: 30s, 15m, 1h, 7d.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "1h",
        conflicts_with = "exp"
    )]
    ttl: String,

    /// Expiry instead of --ttl: unix seconds, RFC 3339 or relative (+2h).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    exp: Option<String>,

    /// Expected algorithm; an error if the key is for another one.
    #[arg(long, value_name = "ALG")]
    alg: Option<Algorithm>,

    /// Print a JSON document (token, alg, exp, matching) instead of the bare token.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    batch: MintBatchArgs,

    #[command(flatten)]
    engine: EngineArgs,

    // Last: its "Matching" help heading holds for every flag after it.
    #[command(flatten)]
    matching_args: MatchingArgs,
}

/// Where the role token came from, so the echoed command can say it without the secret.
enum RtokenSource {
    /// `--rtoken-file`: the echoed command names the same file.
    File(String),
    /// The flag, ACJWT_RTOKEN or the prompt: the echoed command reads ACJWT_RTOKEN.
    Secret,
}

pub fn run(args: MintArgs, context: Context) -> Result<Status> {
    args.batch.check_batch_only(&args.engine)?;
    args.signing.check_rtoken_sources()?;
    let now = now();
    if args.batch.batch.is_some() {
        return run_batch(&args, now, context);
    }
    if !context.interactive {
        check_nothing_missing(&args, true)?;
    }
    let mut key_path = args.signing.key.clone();
    let key_file = match &key_path {
        Some(path) => read_key_unlocking(path, "--key", context)?.0,
        None => {
            let (path, file) = prompt_for_key(context)?;
            key_path = Some(path);
            file
        }
    };
    let key = signing_key(&key_file, key_path.as_deref().unwrap_or("-"), args.alg)?;
    let iss = match &args.signing.iss {
        Some(iss) => iss.clone(),
        None => prompt::required_text("iss (your app's name)", None)?,
    };
    let (rtoken, source) = rtoken(&args)?;
    let matching = match &args.matching {
        Some(json) => parse_matching(json)?,
        None => args.matching_args.resolve(context)?,
    };
    for warning in matching.warnings() {
        output::warn(&warning);
    }
    let exp = expiry(&args, now)?;
    let kid = kid(&args, &key_file, key_path.as_deref())?;
    let kid = kid.as_deref();
    let minter = minter(
        key,
        &iss,
        &rtoken,
        kid,
        args.engine.backend_for_one_signature(key.algorithm()),
    )?;
    let token = minter.mint(&matching, Expiry::At(exp), now)?.token;

    if args.json {
        output::print_json(&minted_json(&token, key.algorithm(), kid, exp, &matching))?;
    } else {
        output::print_stdout(&format!("{token}\n"))?;
    }
    if context.interactive && !args.json {
        let command = echo_command(&args, key_path.as_deref(), &iss, &source, &matching);
        let from = match source {
            RtokenSource::File(_) => "",
            RtokenSource::Secret => " (with the role token exported as ACJWT_RTOKEN)",
        };
        output::note(&format!(
            "\nThe same token from a script{from}:\n  {command}"
        ));
    }
    Ok(Status::Success)
}

/// `mint --json`'s document; `serve`'s `/token` answers with it too.
pub(super) fn minted_json(
    token: &str,
    alg: Algorithm,
    kid: Option<&str>,
    exp: i64,
    matching: &Matching,
) -> serde_json::Value {
    json!({
        "token": token,
        "alg": alg.name(),
        "kid": kid,
        "exp": exp,
        "expires_at": format_utc(exp),
        "matching": matching.to_value(),
    })
}

/// `mint --batch`: the key, issuer, role token and expiry are resolved and checked once,
/// before the first line is read; they never come from prompts, since the input may be stdin.
fn run_batch(args: &MintArgs, now: i64, context: Context) -> Result<Status> {
    // Each line brings its own matching object; everything else must be given up front.
    check_nothing_missing(args, false)?;
    let stdin_users = [
        args.batch.batch.as_deref(),
        args.signing.key.as_deref(),
        args.signing.rtoken_file.as_deref(),
    ]
    .iter()
    .filter(|source| **source == Some("-"))
    .count();
    if stdin_users > 1 {
        anyhow::bail!(UsageError::new(
            "only one of --batch, --key and --rtoken-file can read stdin (-)"
        ));
    }
    let key_path = args.signing.key.as_deref().unwrap_or("-");
    if let Some(output) = &args.batch.output {
        // Every file the run reads, stdin included: the tokens must never replace a secret.
        let kid_file = (key_path != "-").then(|| kid_sidecar(Path::new(key_path)));
        let inputs = [
            ("--key", Some(Path::new(key_path))),
            ("--batch", args.batch.batch.as_deref().map(Path::new)),
            (
                "--rtoken-file",
                args.signing.rtoken_file.as_deref().map(Path::new),
            ),
            ("kid", kid_file.as_deref()),
        ];
        for (flag, input) in inputs {
            let Some(input) = input else { continue };
            let read = if input == Path::new("-") {
                Path::new("/dev/stdin")
            } else {
                input
            };
            if files::same_file(output, read) {
                let what = match flag {
                    "kid" => format!("the kid file of --key ({})", input.display()),
                    _ if input == Path::new("-") => format!("stdin, which {flag} - reads"),
                    _ => format!("the {flag} file"),
                };
                anyhow::bail!(UsageError::new(format!(
                    "--output {} is {what}; the tokens would replace it",
                    output.display()
                )));
            }
        }
    }
    let key_file = read_key_unlocking(key_path, "--key", context)?.0;
    let key = signing_key(&key_file, key_path, args.alg)?;
    let iss = args.signing.iss.clone().unwrap_or_default();
    let (rtoken, _) = rtoken(args)?;
    let exp = expiry(args, now)?;
    // Every claim but matching is the same on each line: check them once, up front.
    Claims {
        iss: iss.clone(),
        exp,
        rtoken: rtoken.to_string(),
        matching: "{}".into(),
    }
    .check_mintable(now)?;
    let kid = kid(args, &key_file, Some(key_path))?;
    let minter = minter(key, &iss, &rtoken, kid.as_deref(), args.engine.backend())?;
    let job = MintJob {
        minter: &minter,
        exp,
        now,
    };
    batch::mint(&args.batch, &args.engine, job)
}

/// The library's [`Minter`], which single and batch mints (and `serve`) all go through: the
/// issuer, role token and kid are checked once and the header is encoded once.
fn minter(
    key: &PrivateKey,
    iss: &str,
    rtoken: &str,
    kid: Option<&str>,
    backend: Backend,
) -> Result<Minter> {
    let builder = Minter::builder(key, Issuer::new(iss)?, RoleToken::new(rtoken)?)
        .kid(kid.map_or(KidPolicy::None, |kid| KidPolicy::Given(kid.to_string())))
        .backend(backend);
    match builder.build() {
        Err(MintError::Backend(err)) => Err(anyhow::Error::new(err).context("--backend")),
        other => Ok(other?),
    }
}

/// The expiry from --exp, or now plus --ttl. A huge --ttl saturates rather than overflowing,
/// and the library then refuses the far-off exp.
fn expiry(args: &MintArgs, now: i64) -> Result<i64> {
    Ok(match &args.exp {
        Some(time) => claims::parse_time(time, now).context("--exp")?,
        None => now.saturating_add(claims::parse_duration(&args.ttl).context("--ttl")?),
    })
}

/// The header's kid: --kid, else the kid a JWK key names, else the one `keygen --kid`
/// recorded beside the key file.
fn kid(args: &MintArgs, key_file: &KeyFile, key_path: Option<&str>) -> Result<Option<String>> {
    if let Some(kid) = args.signing.kid.as_deref().or(key_file.signing_kid()) {
        return Ok(Some(kid.to_string()));
    }
    match key_path {
        Some(path) => recorded_kid(path),
        None => Ok(None),
    }
}

/// Without a terminal every value must come from flags or the environment: name all that
/// are missing at once.
fn check_nothing_missing(args: &MintArgs, needs_matching: bool) -> Result<()> {
    let mut missing: Vec<String> = args
        .signing
        .missing()
        .into_iter()
        .map(String::from)
        .collect();
    if needs_matching && args.matching.is_none() {
        if !args.matching_args.any_given() {
            missing.push("--matching JSON or the matching flags (--mode, --db-id, ...)".into());
        } else if let Some(flags) = args.matching_args.missing_flags() {
            missing.push(flags);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    anyhow::bail!(UsageError::with_hint(
        format!("missing {}", missing.join(", ")),
        "run in a terminal without --no-input to be asked for them; see acjwt mint --help"
    ))
}

fn prompt_for_key(context: Context) -> Result<(String, KeyFile)> {
    loop {
        let path = prompt::required_text("Private key file", Some("private.ec.key"))?;
        match read_key_unlocking(&path, "key file", context).map(|(file, _)| file) {
            Ok(file) if file.signing_key("mint").is_ok() => return Ok((path, file)),
            Ok(file) => output::warn(&format!(
                "{path} is {}; mint needs a private key",
                file.describe()
            )),
            Err(err) => output::warn(&format!("{err:#}")),
        }
    }
}

fn signing_key<'a>(
    file: &'a KeyFile,
    path: &str,
    expected: Option<Algorithm>,
) -> Result<&'a PrivateKey> {
    let key = file
        .signing_key("mint")
        .with_context(|| format!("key file {path} (--key)"))?;
    if let Some(expected) = expected
        && expected != key.algorithm()
    {
        let fix = match expected.curve() {
            Some(curve) => format!("generate a {curve} key with acjwt keygen --alg {expected}"),
            None => "generate an RSA key with acjwt keygen --alg RS256".to_string(),
        };
        anyhow::bail!(UsageError::with_hint(
            format!(
                "--alg {expected} does not match key file {path}: this is {}",
                file.describe()
            ),
            format!("use --alg {} or {fix}", key.algorithm())
        ));
    }
    Ok(key)
}

/// The role token from --rtoken-file, else --rtoken or ACJWT_RTOKEN, else a hidden prompt.
fn rtoken(args: &MintArgs) -> Result<(Zeroizing<String>, RtokenSource)> {
    if let Some(path) = &args.signing.rtoken_file {
        let raw = input::read_secret_file(path, "--rtoken-file")?;
        let rtoken = input::rtoken(&raw, &format!("--rtoken-file {path}"))?;
        return Ok((rtoken, RtokenSource::File(path.clone())));
    }
    if let Some(raw) = &args.signing.rtoken {
        let rtoken = input::rtoken(raw, "--rtoken (or ACJWT_RTOKEN)")?;
        return Ok((rtoken, RtokenSource::Secret));
    }
    let raw = prompt::secret("rtoken (role token, hidden)")?;
    Ok((input::rtoken(&raw, "the rtoken")?, RtokenSource::Secret))
}

fn parse_matching(json: &str) -> Result<Matching> {
    let json = if json == "-" {
        let bytes = input::read_stdin_limited(claims::MAX_PAYLOAD_LEN as u64, "--matching")?;
        String::from_utf8(bytes.to_vec()).context("--matching from stdin is not UTF-8")?
    } else {
        json.to_string()
    };
    Matching::parse(&json).map_err(|err| {
        UsageError::with_hint(
            format!("--matching: {err}"),
            "build one with acjwt matching build --mode MODE --db-id N ...",
        )
        .into()
    })
}

/// The non-interactive command that mints the same kind of token, secrets named by their
/// environment variable instead of shown.
fn echo_command(
    args: &MintArgs,
    key_path: Option<&str>,
    iss: &str,
    source: &RtokenSource,
    matching: &Matching,
) -> String {
    let mut parts = vec!["acjwt mint".to_string()];
    if let Some(path) = key_path {
        parts.push(format!("--key {}", shell_quote(path)));
    }
    parts.push(format!("--iss {}", shell_quote(iss)));
    match source {
        RtokenSource::File(path) => parts.push(format!("--rtoken-file {}", shell_quote(path))),
        // mint reads ACJWT_RTOKEN by itself; `--rtoken "$ACJWT_RTOKEN"` would put the
        // secret on the command line, where `ps` shows it to every local user.
        RtokenSource::Secret => {}
    }
    parts.extend(MatchingArgs::flags_for(matching));
    match &args.exp {
        Some(exp) => parts.push(format!("--exp {}", shell_quote(exp))),
        None => parts.push(format!("--ttl {}", shell_quote(&args.ttl))),
    }
    if let Some(kid) = &args.signing.kid {
        parts.push(format!("--kid {}", shell_quote(kid)));
    }
    parts.join(" ")
}
