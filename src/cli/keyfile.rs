//! Reading key files that may be encrypted, and the kid that keygen records beside a key.
//!
//! The passphrase comes from ACJWT_KEY_PASSPHRASE or, in a terminal, a hidden prompt; nothing
//! else in the command line handles passphrases.
//!
//! `keygen --kid` records the kid in `<private key>.kid`, one line, because a PEM key has no
//! place for one and extra text around a PEM block breaks strict readers (node's jose). `mint`
//! reads that file when it has neither `--kid` nor a JWK that names its kid.

use std::path::{Path, PathBuf};

use acjwt::keys::{KeyError, KeyFile, load_key_file_with_passphrase};
use anyhow::{Context as _, Result};
use zeroize::Zeroizing;

use super::{Context, UsageError, input, prompt};

/// The environment variable an encrypted key's passphrase is read from.
pub const PASSPHRASE_ENV: &str = "ACJWT_KEY_PASSPHRASE";

/// A key file read and parsed, decrypted first when it is an encrypted PKCS#8 key.
///
/// Returns whether it was encrypted, so reports can say so.
pub fn read_key_unlocking(path: &str, flag: &str, context: Context) -> Result<(KeyFile, bool)> {
    let (name, bytes) = input::read_key_bytes(path, flag)?;
    let located = || format!("key file {name} ({flag})");
    match load_key_file_with_passphrase(&bytes, None) {
        Err(KeyError::Encrypted) => {}
        other => return Ok((other.with_context(located)?, false)),
    }
    let passphrase = passphrase(&name, context)?;
    let file =
        load_key_file_with_passphrase(&bytes, Some(passphrase.as_bytes())).with_context(located)?;
    Ok((file, true))
}

fn passphrase(name: &str, context: Context) -> Result<Zeroizing<String>> {
    if let Some(value) = std::env::var_os(PASSPHRASE_ENV) {
        let value = value
            .into_string()
            .map_err(|_| UsageError::new(format!("{PASSPHRASE_ENV} is not valid UTF-8")))?;
        return Ok(Zeroizing::new(value));
    }
    if context.interactive {
        return prompt::secret(&format!("Passphrase for {name}"));
    }
    Err(UsageError::with_hint(
        format!("key file {name} is encrypted and there is no passphrase to open it"),
        format!("set {PASSPHRASE_ENV}, or run in a terminal to be asked for it"),
    )
    .into())
}

/// Where keygen records the kid of `private_key`: the same path with `.kid` appended.
pub fn kid_sidecar(private_key: &Path) -> PathBuf {
    let mut path = private_key.as_os_str().to_owned();
    path.push(".kid");
    PathBuf::from(path)
}

/// The kid recorded beside a key file, if there is one.
pub fn recorded_kid(key_path: &str) -> Result<Option<String>> {
    if key_path == "-" {
        return Ok(None);
    }
    let path = kid_sidecar(Path::new(key_path));
    let text = match std::fs::read(&path) {
        Ok(bytes) if bytes.len() <= 1024 => String::from_utf8(bytes)
            .map_err(|_| UsageError::new(format!("{} is not UTF-8 text", path.display())))?,
        Ok(_) => anyhow::bail!(UsageError::new(format!(
            "{} is too large for a kid file",
            path.display()
        ))),
        // A key name near the 255-byte limit leaves no room for ".kid": then there is none.
        Err(err)
            if matches!(
                err.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::InvalidFilename
            ) =>
        {
            return Ok(None);
        }
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    // The file is what keygen wrote: the kid and one newline. The kid itself is held to the
    // rule keygen and mint apply, so the kid in a token is the one in the JWKS.
    let kid = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(&text);
    if let Err(err) = acjwt::keys::check_kid(kid) {
        anyhow::bail!(UsageError::with_hint(
            format!(
                "{} must hold one kid on one line, as keygen --kid writes it: {err}",
                path.display()
            ),
            "rewrite it, or pass --kid to override it"
        ));
    }
    Ok(Some(kid.to_string()))
}
