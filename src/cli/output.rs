//! Colour, stdout/stderr writing and error reporting.
//!
//! The product of a command (a token, a JSON document, a report) goes to stdout; notes,
//! warnings and errors go to stderr. `anstream` strips colour from pipes and honours NO_COLOR
//! and CLICOLOR_FORCE; `--color` overrides both.
//!
//! Everything written for a person (reports, notes, warnings, errors) is a [`Screen`], so it is
//! escaped by `sanitize` on the way: see there why. [`print_stdout`] is only for what acjwt made
//! itself and a script reads back exactly (tokens, keys, JSON, completions).

use std::io::{self, Write};

use acjwt::jws::JwsError;
use acjwt::keys::KeyError;
use anstyle::{AnsiColor, Style};

use super::input::NotAToken;
use super::sanitize::{Paint, Screen};
use super::{Status, UsageError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    pub fn apply(self) {
        let choice = match self {
            ColorWhen::Auto => return,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
    }
}

pub const HEADING: Paint = Paint::new(AnsiColor::Cyan.on_default().bold());
pub const LABEL: Paint = Paint::new(Style::new().bold());
pub const DIM: Paint = Paint::new(Style::new().dimmed());
pub const GOOD: Paint = Paint::new(AnsiColor::Green.on_default().bold());
pub const WARN: Paint = Paint::new(AnsiColor::Yellow.on_default().bold());
pub const BAD: Paint = Paint::new(AnsiColor::Red.on_default().bold());

/// Writes a report for a person to stdout.
pub fn print_screen(screen: &Screen) -> anyhow::Result<()> {
    print_stdout(screen.as_str())
}

/// Fails when stdout was closed when acjwt started (`acjwt mint >&-`). Rust's runtime opens
/// `/dev/null` on a closed standard descriptor before `main`, so the product would vanish with
/// exit 0; what stdout was is recorded before that, by [`RECORD_STDOUT`]. A stdout that is
/// `/dev/null` from the start (`> /dev/null`, Python's `subprocess.DEVNULL`) is not closed.
/// ENOSPC and EIO reach the writer as errors by themselves.
pub fn check_stdout() -> io::Result<()> {
    if STDOUT_CLOSED_AT_START.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(io::Error::other("cannot write to stdout: it is closed"));
    }
    Ok(())
}

static STDOUT_CLOSED_AT_START: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Runs from `.init_array`, which the dynamic loader runs before `main` and so before Rust's
/// runtime fills closed standard descriptors in. `fcntl(F_GETFD)` fails only on a closed one.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_STDOUT: extern "C" fn() = {
    extern "C" fn record() {
        use std::os::fd::AsFd as _;
        let closed = rustix::io::fcntl_getfd(io::stdout().as_fd()).is_err();
        STDOUT_CLOSED_AT_START.store(closed, std::sync::atomic::Ordering::Relaxed);
    }
    record
};

/// Writes the product to stdout. A closed pipe (`acjwt … | head`) is not an error.
///
/// Only for text acjwt made itself: anything quoting a token or a key file is a [`Screen`].
pub fn print_stdout(text: &str) -> anyhow::Result<()> {
    check_stdout()?;
    let mut stdout = anstream::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(err).context("cannot write to stdout"))
        }
        _ => Ok(()),
    }
}

/// A JSON document on stdout, pretty-printed, newline-terminated.
pub fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    print_stdout(&text)
}

fn print_stderr(screen: &Screen) {
    let _ = anstream::stderr().write_all(screen.as_str().as_bytes());
}

/// A note for the person at the terminal, on stderr. Its line breaks are kept (keygen's note
/// holds the public key PEM); everything else that could act on the terminal is escaped.
pub fn note(message: &str) {
    let mut screen = Screen::new();
    for line in message.split('\n') {
        write!(screen, "{line}");
    }
    print_stderr(&screen);
}

/// `warning: …` on stderr, one line.
pub fn warn(message: &str) {
    let mut screen = Screen::new();
    write!(screen, "{WARN}warning:{WARN:#} {message}");
    print_stderr(&screen);
}

/// `hint: …` on stderr: the exact fix for what was just reported.
pub fn hint(message: &str) {
    let mut screen = Screen::new();
    write!(screen, "{GOOD}hint:{GOOD:#} {message}");
    print_stderr(&screen);
}

/// Prints `error: …` and, where acjwt knows the fix, `hint: …`; returns the exit status.
///
/// Only the `{:#}` chain is printed, never `{:?}`, so RUST_BACKTRACE cannot add a trace.
/// The chain may quote a token or a key file (a header's alg, a PEM label), so it is one
/// escaped line like any other text for a person.
pub fn report_error(err: &anyhow::Error) -> Status {
    let mut screen = Screen::new();
    write!(screen, "{BAD}error:{BAD:#} {err:#}");
    if let Some(hint) = hint_for(err) {
        write!(screen, "{GOOD}hint:{GOOD:#} {hint}");
    }
    print_stderr(&screen);
    if err
        .chain()
        .any(|cause| cause.is::<JwsError>() || cause.is::<NotAToken>())
    {
        Status::TokenInvalid
    } else {
        Status::UsageError
    }
}

fn hint_for(err: &anyhow::Error) -> Option<String> {
    for cause in err.chain() {
        if let Some(usage) = cause.downcast_ref::<UsageError>() {
            return usage.hint().map(String::from);
        }
        if let Some(given) = cause.downcast_ref::<NotAToken>() {
            return Some(given.hint().to_string());
        }
        if let Some(key_error) = cause.downcast_ref::<KeyError>() {
            return key_hint(key_error);
        }
    }
    None
}

fn key_hint(err: &KeyError) -> Option<String> {
    Some(match err {
        KeyError::NeedPrivate { .. } => {
            "pass the private key (e.g. private.ec.key); the public key is the one the platform gets"
                .into()
        }
        KeyError::Encrypted => {
            "set ACJWT_KEY_PASSPHRASE to its passphrase, or use the public key (acjwt key public FILE)"
                .into()
        }
        KeyError::BadPassphrase => {
            "check ACJWT_KEY_PASSPHRASE (or what you typed): it is the passphrase the key was encrypted with"
                .into()
        }
        KeyError::EncryptedLegacy => {
            "re-encrypt it as PKCS#8: openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out private.key"
                .into()
        }
        KeyError::NotRepresentable { .. } => {
            "acjwt key inspect FILE shows the key type; choose a format that holds it".into()
        }
        KeyError::Unsupported { what } if what.contains("certificate") => {
            "extract its public key: openssl x509 -in cert.pem -pubkey -noout > public.pem".into()
        }
        KeyError::Unsupported { what } if what.contains("OpenSSH") => {
            "convert it to PEM: ssh-keygen -p -m PEM -f KEYFILE (or make a new pair: acjwt keygen)"
                .into()
        }
        KeyError::Unsupported { .. } => {
            "the platform accepts ES384, ES256, ES512 and RS256 keys: acjwt keygen makes one".into()
        }
        KeyError::RsaSize { .. } => "make a 3072-bit key: acjwt keygen --alg RS256".into(),
        KeyError::Unrecognized { .. } => {
            "acjwt reads PEM (SEC1, PKCS#8, PKCS#1, SPKI), DER, JWK and JWKS; check the file path"
                .into()
        }
        _ => return None,
    })
}
