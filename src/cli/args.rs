//! Argument groups that several subcommands flatten in, so that a flag has one name, one
//! help text, one environment variable and one rule wherever it appears.
//!
//! - [`SigningArgs`]: `--key --iss --rtoken --rtoken-file --kid`, for `mint` and `serve`;
//! - [`TimeArgs`]: `--at --leeway`, the clock `decode`, `verify` and `explain` judge by;
//! - [`CheckKeyArgs`]: the `--key` that `verify` and `explain` check signatures with.

use acjwt::claims::{self, Rules};
use acjwt::keys::{KeyError, KeyFile};
use anyhow::{Context as _, Result};
use clap::Args;

use super::keyfile::read_key_unlocking;
use super::{Context, UsageError, input, now};

/// What a signer needs besides the matching object. No Debug: it holds the role token.
#[derive(Args)]
pub struct SigningArgs {
    /// Private key file (PEM, DER or JWK). An encrypted PKCS#8 key is opened with
    /// ACJWT_KEY_PASSPHRASE (or a passphrase prompt in a terminal).
    #[arg(long, value_name = "FILE", env = "ACJWT_KEY")]
    pub key: Option<String>,

    /// Issuer: your application's name.
    #[arg(long, value_name = "NAME", env = "ACJWT_ISS")]
    pub iss: Option<String>,

    /// Role token from the resource's settings (prefer ACJWT_RTOKEN or --rtoken-file: command
    /// lines end up in shell history and process lists).
    #[arg(
        long,
        value_name = "RTOKEN",
        env = "ACJWT_RTOKEN",
        hide_env_values = true
    )]
    pub rtoken: Option<String>,

    /// Read the role token from a file: one line; a BOM and the final newline are dropped.
    /// Cannot be combined with --rtoken; it takes precedence over ACJWT_RTOKEN.
    #[arg(long, value_name = "FILE")]
    pub rtoken_file: Option<String>,

    /// Key id for the header (default: the kid of a JWK key, or the one keygen --kid
    /// recorded in <key>.kid).
    #[arg(long, value_name = "KID", value_parser = parse_kid)]
    pub kid: Option<String>,
}

impl SigningArgs {
    /// The flags that were not given, as an error names them; `rtoken` names the sources of
    /// the role token in the order the command prefers them.
    pub fn missing(&self) -> Vec<&'static str> {
        [
            (self.key.is_none(), "--key (or ACJWT_KEY)"),
            (self.iss.is_none(), "--iss (or ACJWT_ISS)"),
            (
                self.rtoken.is_none() && self.rtoken_file.is_none(),
                "--rtoken-file or --rtoken (or ACJWT_RTOKEN)",
            ),
        ]
        .into_iter()
        .filter_map(|(missing, name)| missing.then_some(name))
        .collect()
    }

    /// The one rule on where the role token comes from: not both --rtoken and --rtoken-file.
    pub fn check_rtoken_sources(&self) -> Result<()> {
        input::check_one_rtoken_source(self.rtoken.as_deref(), self.rtoken_file.is_some())
    }
}

/// `--kid`: the library's one kid rule, the one keygen applies (nothing is trimmed).
fn parse_kid(value: &str) -> Result<String, String> {
    acjwt::keys::check_kid(value)
        .map(|()| value.to_string())
        .map_err(|err| err.to_string())
}

/// The clock a token's times are judged by.
#[derive(Debug, Args)]
pub struct TimeArgs {
    /// Judge times at this instant instead of now: unix seconds, RFC 3339 or relative (-1h).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,

    /// Clock skew to tolerate on exp, nbf and iat.
    #[arg(long, value_name = "DURATION", default_value = "0s")]
    pub leeway: String,
}

impl TimeArgs {
    /// The rules at `--at` (or now) with `--leeway`; `altcraft` adds the platform's claims.
    pub fn rules(&self, altcraft: bool) -> Result<Rules> {
        let now = match &self.at {
            Some(at) => claims::parse_time(at, now()).context("--at")?,
            None => now(),
        };
        let leeway = claims::parse_duration(&self.leeway).context("--leeway")?;
        Ok(Rules {
            now,
            leeway,
            altcraft,
        })
    }
}

/// The key a signature is checked with.
#[derive(Debug, Args)]
pub struct CheckKeyArgs {
    /// Public key (or private key, JWK, or JWKS whose entry the token's kid chooses) to check
    /// the signature with; - reads stdin.
    #[arg(long, value_name = "FILE", env = "ACJWT_VERIFY_KEY")]
    pub key: Option<String>,
}

impl CheckKeyArgs {
    /// Reads the key file, when one is given. `stdin_user` names what else reads stdin in this
    /// run (`--batch`, the token), since only one of them can have it. An empty key set is
    /// refused here, so verify and explain refuse it alike.
    pub fn read(&self, context: Context, stdin_user: Option<&str>) -> Result<Option<KeyFile>> {
        let Some(path) = &self.key else {
            return Ok(None);
        };
        if path == "-"
            && let Some(other) = stdin_user
        {
            anyhow::bail!(UsageError::with_hint(
                format!("{other} and --key cannot both read stdin (-)"),
                "give the key as a file: --key public.pem"
            ));
        }
        let keys = read_key_unlocking(path, "--key", context)?.0;
        if keys.keys.is_empty() && keys.unusable.is_empty() {
            return Err(KeyError::EmptyKeySet).context("--key");
        }
        Ok(Some(keys))
    }
}
