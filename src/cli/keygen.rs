//! `acjwt keygen`: a key pair the platform and every JWT library accept.

use std::path::{Path, PathBuf};

use acjwt::jws::Algorithm;
use acjwt::keys::{AnyKey, DEFAULT_RSA_BITS, Jwk, KeyInfo, LoadedKey, PrivateKey, jwk_thumbprint};
use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;

use super::files::{self, Output};
use super::keyfile::kid_sidecar;
use super::{Context, Status, UsageError, output, prompt};

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

    /// Key id: auto (the key's RFC 7638 thumbprint) or a name. Recorded in <private key>.kid,
    /// which mint puts in the token header, and in the JWKS.
    #[arg(long, value_name = "auto|NAME", value_parser = parse_kid)]
    kid: Option<String>,

    /// Also write the public key as a JWK Set, jwks.json, beside the PEM pair.
    #[arg(long)]
    jwks: bool,

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
    let kid_path = args.kid.as_ref().map(|_| kid_sidecar(&private_path));
    let jwks_path = args.jwks.then(|| dir.join("jwks.json"));
    // A kid recorded for an earlier key at this path would be put into the new key's tokens.
    let stale_kid = Some(kid_sidecar(&private_path))
        .filter(|path| args.kid.is_none() && path.symlink_metadata().is_ok());

    let mut force = args.force;
    if !force && context.interactive {
        let existing: Vec<String> = [Some(&private_path), Some(&public_path)]
            .into_iter()
            .chain([kid_path.as_ref(), jwks_path.as_ref(), stale_kid.as_ref()])
            .flatten()
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

    if let Some(stale) = &stale_kid
        && !force
    {
        anyhow::bail!(UsageError::with_hint(
            format!(
                "{} already exists: a kid recorded for an earlier key",
                stale.display()
            ),
            "pass --force to replace the pair and drop it, or --kid auto to record the new key's"
        ));
    }
    if let Some(dir) = &args.out_dir {
        files::create_key_dir(dir).context("--out-dir")?;
    }
    let key = PrivateKey::generate(alg, bits)?;
    let private_pem = if args.pkcs8 {
        key.to_pkcs8_pem()?
    } else {
        key.to_default_pem()?
    };
    let public_pem = key.public_key().to_spki_pem()?;
    let kid = args.kid.as_deref().map(|kid| match kid {
        "auto" => jwk_thumbprint(&key.public_key()),
        name => name.to_string(),
    });
    let kid_line = kid.as_ref().map(|kid| format!("{kid}\n"));
    let jwks = jwks_path
        .as_ref()
        .map(|_| {
            let mut jwk = Jwk::from_public(&key.public_key());
            jwk.kid = kid.clone();
            serde_json::to_string_pretty(&json!({ "keys": [jwk] })).map(|text| text + "\n")
        })
        .transpose()?;
    let mut outputs = vec![
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
    ];
    if let (Some(path), Some(line)) = (&kid_path, &kid_line) {
        outputs.push(Output {
            path: path.clone(),
            contents: line.as_bytes(),
            private: false,
        });
    }
    if let (Some(path), Some(text)) = (&jwks_path, &jwks) {
        outputs.push(Output {
            path: path.clone(),
            contents: text.as_bytes(),
            private: false,
        });
    }
    // The sidecar is removed under the folder's lock whether or not it existed when checked
    // above: a concurrent run may have written one for its own key meanwhile.
    let remove: Vec<PathBuf> = args
        .kid
        .is_none()
        .then(|| kid_sidecar(&private_path))
        .into_iter()
        .collect();
    files::write_keys(&outputs, &remove, force)?;
    let old_jwks = dir.join("jwks.json");
    if jwks_path.is_none() && old_jwks.symlink_metadata().is_ok() {
        output::warn(&format!(
            "{} is from before this key and does not hold it; pass --jwks to replace it",
            old_jwks.display()
        ));
    }

    if args.json {
        // The keys are on disk by now; a failure to print must not read as "nothing written".
        // The key described with key inspect's members, so one concept has one shape.
        let info = KeyInfo::new(&LoadedKey {
            kid: None,
            key: AnyKey::Public(key.public_key()),
        })?;
        output::print_json(&json!({
            "alg": alg.name(),
            "key_type": info.key_type,
            "curve": info.curve,
            "rsa_bits": info.rsa_bits,
            "private_key": private_path,
            "public_key": public_path,
            "public_pem": public_pem,
            "kid": kid,
            "kid_file": kid_path,
            "jwks": jwks_path,
        }))
        .with_context(|| {
            format!(
                "wrote {} and {}, but cannot print the JSON summary",
                private_path.display(),
                public_path.display()
            )
        })?;
    } else {
        output::note(&format!(
            "Wrote {} {} to {} (keep it secret) and its public key to {}.",
            alg,
            key.describe(),
            private_path.display(),
            public_path.display()
        ));
        if let (Some(kid), Some(path)) = (&kid, &kid_path) {
            output::note(&format!(
                "Recorded kid {kid:?} in {}; mint puts it in the token header.",
                path.display()
            ));
        }
        if let Some(path) = &jwks_path {
            output::note(&format!(
                "Wrote the public key as a JWKS to {}.",
                path.display()
            ));
        }
        output::note(&format!(
            "Paste this public key into the resource's JWT token settings on the platform (algorithm {alg}):\n\n{public_pem}"
        ));
        // Not `ACJWT_RTOKEN=<role token> acjwt mint`: that invites the secret into the
        // shell history. A file, or a variable exported by a secret manager, keeps it out.
        output::note(&format!(
            "Then mint a token, with the role token in a file (or exported as ACJWT_RTOKEN):\n  acjwt mint --key {} --rtoken-file rtoken.txt --iss <app name> --mode email --db-id 1 --email user@example.com",
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

/// A kid goes into a JSON header and a one-line file: the library's one kid rule.
fn parse_kid(value: &str) -> Result<String, String> {
    match acjwt::keys::check_kid(value) {
        Ok(()) => Ok(value.to_string()),
        Err(err) => Err(format!("{err}; a kid is auto or a name")),
    }
}
