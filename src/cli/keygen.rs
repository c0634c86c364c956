//! `acjwt keygen`: a key pair the platform and every JWT library accept.

use std::path::{Path, PathBuf};

use acjwt::jws::Algorithm;
use acjwt::keys::{DEFAULT_RSA_BITS, PrivateKey};
use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;

use super::files::{self, Output};
use super::{Context, Status, output, prompt};

/// Generate a key pair: the private key signs tokens, the public key goes to the platform.
///
/// By default an ES384 (P-384) pair, exactly what the platform docs' openssl recipe makes:
/// private.ec.key (SEC1 "EC PRIVATE KEY") and public.pem (SPKI "PUBLIC KEY"). RS256 writes
/// private.rsa.key (PKCS#8) instead. The private key is created 0600 and never overwritten
/// without --force.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Algorithm: ES384 (recommended), ES256, ES512 or RS256.
    #[arg(long, value_name = "ALG")]
    alg: Option<Algorithm>,

    /// RSA modulus size for RS256.
    #[arg(long, value_name = "BITS", value_parser = ["2048", "3072", "4096"], default_value_t = DEFAULT_RSA_BITS.to_string())]
    bits: String,

    /// Folder for both files, created if missing (default: the current folder).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,

    /// Private key file name (default: private.ec.key, or private.rsa.key for RS256).
    #[arg(long, value_name = "FILE")]
    private: Option<PathBuf>,

    /// Public key file name.
    #[arg(long, value_name = "FILE", default_value = "public.pem")]
    public: PathBuf,

    /// Write the private key as PKCS#8 ("PRIVATE KEY") instead of SEC1 for EC keys.
    #[arg(long)]
    pkcs8: bool,

    /// Replace existing files.
    #[arg(long)]
    force: bool,

    /// Print a JSON summary on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(args: KeygenArgs, context: Context) -> Result<Status> {
    let alg = match args.alg {
        Some(alg) => alg,
        None if context.interactive && !args.json => choose_algorithm()?,
        None => Algorithm::Es384,
    };
    let bits: usize = args.bits.parse()?;
    let dir = args.out_dir.clone().unwrap_or_default();
    let default_private = if alg == Algorithm::Rs256 {
        "private.rsa.key"
    } else {
        "private.ec.key"
    };
    let private_path = dir.join(
        args.private
            .as_deref()
            .unwrap_or(Path::new(default_private)),
    );
    let public_path = dir.join(&args.public);

    let mut force = args.force;
    if !force && context.interactive {
        let existing: Vec<String> = [&private_path, &public_path]
            .iter()
            .filter(|p| p.symlink_metadata().is_ok())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            if !prompt::confirm(&format!("Replace {}?", existing.join(" and ")))? {
                output::note("Nothing written.");
                return Ok(Status::UsageError);
            }
            force = true;
        }
    }

    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create --out-dir {}", dir.display()))?;
    }
    let key = PrivateKey::generate(alg, bits)?;
    let private_pem = if args.pkcs8 {
        key.to_pkcs8_pem()?
    } else {
        key.to_default_pem()?
    };
    let public_pem = key.public_key().to_spki_pem()?;
    files::write_all(
        &[
            Output {
                path: private_path.clone(),
                contents: private_pem.as_bytes(),
                private: true,
            },
            Output {
                path: public_path.clone(),
                contents: public_pem.as_bytes(),
                private: false,
            },
        ],
        force,
    )?;

    if args.json {
        output::print_json(&json!({
            "alg": alg.name(),
            "key": key.public_key().kind(),
            "private_key": private_path,
            "public_key": public_path,
            "public_pem": public_pem,
        }))?;
    } else {
        output::note(&format!(
            "Wrote {} {} to {} (keep it secret) and its public key to {}.",
            alg,
            key.describe(),
            private_path.display(),
            public_path.display()
        ));
        output::note(&format!(
            "Paste this public key into the resource's JWT token settings on the platform (algorithm {alg}):\n\n{public_pem}"
        ));
        output::note(&format!(
            "Then mint a token: ACJWT_RTOKEN=<role token> acjwt mint --key {} --iss <app name> --mode email --db-id 1 --email user@example.com",
            private_path.display()
        ));
    }
    Ok(Status::Success)
}

fn choose_algorithm() -> Result<Algorithm> {
    let items: Vec<String> = Algorithm::ALL
        .iter()
        .map(|alg| match alg {
            Algorithm::Es384 => "ES384  P-384, the platform's recommendation".to_string(),
            Algorithm::Es256 => "ES256  P-256".to_string(),
            Algorithm::Es512 => "ES512  P-521".to_string(),
            Algorithm::Rs256 => "RS256  RSA, for libraries without ECDSA".to_string(),
        })
        .collect();
    Ok(Algorithm::ALL[prompt::select("Algorithm", &items, 0)?])
}
