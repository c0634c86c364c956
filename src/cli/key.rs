//! `acjwt key inspect|public|convert`: what a key file is, and the same key in another format.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use acjwt::keys::{KeyError, KeyFile, KeyFormat, KeyInfo, convert};
use anyhow::{Context as _, Result};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use super::files::{self, Output};
use super::keyfile::{read_key_unlocking, recorded_kid};
use super::output::{BAD, DIM, GOOD, HEADING, LABEL};
use super::sanitize::Screen;
use super::{Context, Status, UsageError, output};

/// Inspect and convert key files: PEM (SEC1, PKCS#8, PKCS#1, SPKI), DER, JWK and JWKS.
///
/// An encrypted PKCS#8 key (ENCRYPTED PRIVATE KEY) is opened with ACJWT_KEY_PASSPHRASE or a
/// passphrase prompt.
#[derive(Debug, Args)]
pub struct KeyCommand {
    #[command(subcommand)]
    action: KeyAction,
}

#[derive(Debug, Subcommand)]
enum KeyAction {
    Inspect(InspectArgs),
    Public(PublicArgs),
    Convert(ConvertArgs),
}

/// Say what a key file is and whether the platform accepts it for JWT auth.
///
/// Shows the format, private or public, algorithm and curve or modulus size, the SHA-256
/// fingerprint of the public key (SPKI DER), the RFC 7638 JWK thumbprint, and the public key
/// in PEM, ready to paste into the resource's token settings. Exits 1 when the platform would
/// refuse the key.
#[derive(Debug, Args)]
struct InspectArgs {
    /// The key file; - reads stdin.
    #[arg(value_name = "FILE")]
    file: String,

    /// Print {"file", "format", "encrypted", "accepted", "keys": [...]} as JSON.
    #[arg(long)]
    json: bool,
}

/// Print the public half of a key: SPKI PEM (what the platform takes), or a JWK/JWKS.
#[derive(Debug, Args)]
struct PublicArgs {
    /// The key file (private or public); - reads stdin.
    #[arg(value_name = "FILE")]
    file: String,

    /// Print a JWK instead of PEM.
    #[arg(long, conflicts_with = "jwks")]
    jwk: bool,

    /// Print a JWKS ({"keys": [...]}) instead of PEM.
    #[arg(long)]
    jwks: bool,
}

/// Write a key in another format.
///
/// sec1 and pkcs8 are private-key formats, spki a public one, pkcs1 either (RSA only). jwk
/// and jwks hold the public key unless --private is given. Files are written like keygen's:
/// atomically, private keys 0600, never replacing a file without --force. Private output is
/// never printed to a terminal.
///
/// Example: acjwt key convert private.ec.key --to jwk --private --output private.jwk
#[derive(Debug, Args)]
struct ConvertArgs {
    /// The key file; - reads stdin.
    #[arg(value_name = "FILE")]
    file: String,

    /// The format to write.
    #[arg(long, value_name = "FORMAT")]
    to: FormatArg,

    /// Write to this file instead of stdout.
    // --output, -o as in mint; --out was this flag's first name and stays as a hidden alias.
    #[arg(long, short = 'o', value_name = "FILE", alias = "out")]
    output: Option<PathBuf>,

    /// Keep the private key in a JWK or JWKS (the "d" member).
    #[arg(long)]
    private: bool,

    /// Replace --output if it exists.
    #[arg(long, requires = "output")]
    force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Sec1,
    Pkcs8,
    Pkcs1,
    Spki,
    Jwk,
    Jwks,
}

impl From<FormatArg> for KeyFormat {
    fn from(format: FormatArg) -> KeyFormat {
        match format {
            FormatArg::Sec1 => KeyFormat::Sec1,
            FormatArg::Pkcs8 => KeyFormat::Pkcs8,
            FormatArg::Pkcs1 => KeyFormat::Pkcs1,
            FormatArg::Spki => KeyFormat::Spki,
            FormatArg::Jwk => KeyFormat::Jwk,
            FormatArg::Jwks => KeyFormat::Jwks,
        }
    }
}

pub fn run(command: KeyCommand, context: Context) -> Result<Status> {
    match command.action {
        KeyAction::Inspect(args) => inspect(args, context),
        KeyAction::Public(args) => public(args, context),
        KeyAction::Convert(args) => run_convert(args, context),
    }
}

fn inspect(args: InspectArgs, context: Context) -> Result<Status> {
    let (file, encrypted) = match read_key_unlocking(&args.file, "FILE", context) {
        Ok(read) => read,
        // A key of a type the platform does not take is an answer, not an error. A certificate
        // is not a key at all: exit 2, with the command that extracts its key.
        Err(err) => {
            let Some(KeyError::Unsupported { what }) = err.downcast_ref::<KeyError>() else {
                return Err(err);
            };
            if what.contains("certificate") {
                return Err(err);
            }
            let refusal = format!("this is {what}");
            if args.json {
                output::print_json(&json!({
                    "file": args.file,
                    "format": null,
                    "encrypted": false,
                    "accepted": false,
                    "refusal": refusal,
                    "keys": [],
                }))?;
            } else {
                let mut out = Screen::new();
                writeln!(
                    out,
                    "{}: {BAD}refused by the platform{BAD:#}: {refusal}",
                    args.file
                );
                output::print_screen(&out)?;
            }
            return Ok(Status::TokenInvalid);
        }
    };
    let infos = file
        .keys
        .iter()
        .map(KeyInfo::new)
        .collect::<Result<Vec<_>, _>>()?;
    let accepted = !infos.is_empty() && infos.iter().all(KeyInfo::accepted);
    // The kid keygen --kid recorded beside a PEM key, which mint will use.
    let recorded = match infos.as_slice() {
        [only] if only.kid.is_none() => recorded_kid(&args.file)?,
        _ => None,
    };
    if args.json {
        output::print_json(&json!({
            "file": args.file,
            "format": file.format.name(),
            "encrypted": encrypted,
            "accepted": accepted,
            "recorded_kid": recorded,
            "keys": infos,
        }))?;
    } else {
        output::print_screen(&render_inspect(
            &args.file,
            &file,
            encrypted,
            &infos,
            recorded.as_deref(),
        ))?;
    }
    Ok(if accepted {
        Status::Success
    } else {
        Status::TokenInvalid
    })
}

fn render_inspect(
    name: &str,
    file: &KeyFile,
    encrypted: bool,
    infos: &[KeyInfo],
    recorded: Option<&str>,
) -> Screen {
    let mut out = Screen::new();
    writeln!(
        out,
        "{HEADING}{name}{HEADING:#}: {}{}",
        file.describe(),
        if encrypted {
            " (encrypted, opened with the passphrase)"
        } else {
            ""
        }
    );
    if infos.is_empty() {
        writeln!(out, "  {BAD}no keys{BAD:#}");
    }
    for (index, info) in infos.iter().enumerate() {
        if file.format == KeyFormat::Jwks {
            writeln!(out, "{HEADING}key {index}{HEADING:#}");
        }
        let key = match (info.curve, info.rsa_bits) {
            (Some(curve), _) => format!("EC {curve}"),
            (None, Some(bits)) => format!("RSA {bits}-bit"),
            (None, None) => info.key_type.to_string(),
        };
        let rows = [
            ("algorithm", info.algorithm.to_string()),
            ("key", key),
            (
                "private",
                if info.private {
                    "yes"
                } else {
                    "no (public key)"
                }
                .to_string(),
            ),
            (
                "kid",
                match (&info.kid, recorded) {
                    (Some(kid), _) => kid.clone(),
                    (None, Some(kid)) => format!("{kid} (recorded in {name}.kid by keygen)"),
                    (None, None) => "-".into(),
                },
            ),
            ("SPKI SHA-256", info.spki_sha256.clone()),
            ("thumbprint", format!("{} (RFC 7638)", info.thumbprint)),
        ];
        for (label, value) in rows {
            writeln!(out, "  {LABEL}{label:<12}{LABEL:#}  {value}");
        }
        // Painted, so written into the Screen directly rather than formatted into a row first.
        let label = "platform";
        match &info.refusal {
            None => writeln!(
                out,
                "  {LABEL}{label:<12}{LABEL:#}  {GOOD}accepted{GOOD:#} for JWT auth (choose {} in the token settings)",
                info.algorithm
            ),
            Some(reason) => writeln!(
                out,
                "  {LABEL}{label:<12}{LABEL:#}  {BAD}refused{BAD:#}: {reason}"
            ),
        }
        let label = if info.accepted() {
            "Public key, to paste into the resource's JWT token settings:"
        } else {
            "Public key (the platform would refuse it; make a new pair with acjwt keygen):"
        };
        writeln!(out, "{DIM}{label}{DIM:#}");
        for line in info.public_pem.lines() {
            writeln!(out, "{line}");
        }
    }
    out
}

/// The key file with the kid `keygen --kid` recorded beside it, so a JWK or JWKS made from it
/// names the kid that `mint` puts into tokens signed with it.
fn with_recorded_kid(mut file: KeyFile, path: &str) -> Result<KeyFile> {
    if let [only] = &mut file.keys[..]
        && only.kid.is_none()
    {
        only.kid = recorded_kid(path)?;
    }
    Ok(file)
}

fn public(args: PublicArgs, context: Context) -> Result<Status> {
    let (file, _) = read_key_unlocking(&args.file, "FILE", context)?;
    let file = with_recorded_kid(file, &args.file)?;
    let text = if args.jwks {
        convert(&file, KeyFormat::Jwks, false)?.text
    } else if args.jwk {
        convert(&file, KeyFormat::Jwk, false)?.text
    } else {
        // PEM blocks concatenate, so a key set's public keys can all be printed.
        let mut pem = String::new();
        for key in &file.keys {
            pem.push_str(&key.key.public_key().to_spki_pem()?);
        }
        zeroize::Zeroizing::new(pem)
    };
    output::print_stdout(&text)?;
    Ok(Status::Success)
}

fn run_convert(args: ConvertArgs, context: Context) -> Result<Status> {
    let to = KeyFormat::from(args.to);
    if args.private && !matches!(to, KeyFormat::Jwk | KeyFormat::Jwks) {
        anyhow::bail!(UsageError::with_hint(
            format!(
                "--private applies to --to jwk and jwks; {to} is a private or public format by itself"
            ),
            "drop --private"
        ));
    }
    let (file, _) = read_key_unlocking(&args.file, "FILE", context)?;
    let file = with_recorded_kid(file, &args.file)?;
    let converted = convert(&file, to, args.private).context("cannot convert")?;
    match &args.output {
        Some(path) => {
            files::write_keys(
                &[Output {
                    path: path.clone(),
                    contents: converted.text.as_bytes(),
                    private: converted.private,
                }],
                &[],
                args.force,
            )?;
            output::note(&format!(
                "Wrote {} {to} to {}{}.",
                if converted.private {
                    "the private key as"
                } else {
                    "the public key as"
                },
                path.display(),
                if converted.private {
                    " (mode 0600, keep it secret)"
                } else {
                    ""
                }
            ));
        }
        None if converted.private && std::io::stdout().is_terminal() => {
            anyhow::bail!(UsageError::with_hint(
                "refusing to print a private key to the terminal",
                "write it to a file with --output FILE (created 0600), or pipe the output"
            ));
        }
        None => output::print_stdout(&converted.text)?,
    }
    Ok(Status::Success)
}
