//! Reading what users hand to acjwt: key files, tokens and secrets, from paths, arguments,
//! `-` or piped stdin.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::OnceLock;

use acjwt::jws::{MAX_TOKEN_LEN, Token};
use acjwt::keys::MAX_KEY_FILE_LEN;
use anyhow::{Context as _, Result};
use zeroize::Zeroizing;

use super::UsageError;

/// What has read stdin so far: it can be read once, so a second reader (`--key -` with a piped
/// token, say) gets an error that names both instead of silently reading nothing.
static STDIN_READER: OnceLock<String> = OnceLock::new();

fn claim_stdin(what: &str) -> Result<()> {
    let owner = STDIN_READER.get_or_init(|| what.to_string());
    if owner == what {
        return Ok(());
    }
    Err(UsageError::with_hint(
        format!("{what} cannot be read from stdin: stdin is already read for {owner}"),
        "give one of them as a file",
    )
    .into())
}

/// A key file's name for messages and its bytes, size-limited; `-` reads stdin.
pub fn read_key_bytes(path: &str, flag: &str) -> Result<(String, Zeroizing<Vec<u8>>)> {
    Ok(if path == "-" {
        (
            "stdin".to_string(),
            read_stdin_limited(MAX_KEY_FILE_LEN as u64, flag)?,
        )
    } else {
        let bytes = read_file_limited(Path::new(path), MAX_KEY_FILE_LEN as u64)
            .with_context(|| format!("cannot read key file {path} ({flag})"))?;
        (path.to_string(), bytes)
    })
}

/// Reads at most `limit + 1` bytes (one more than allowed, so the caller can tell the input is
/// too large) without leaving an unzeroized copy of a secret in freed memory.
///
/// `Vec` growth copies the bytes and frees the old allocation as it is, so the buffer never
/// grows in place: `read_to_end` is held to its spare capacity, and when that fills up the
/// bytes move to a buffer twice the size and the old one is zeroized as it drops. The first
/// buffer holds what the file says its size is (at least 8 KiB), so a key file is one read into
/// one buffer. (Reserving
/// the whole limit up front would work too, but zeroizing 1 MiB on drop, page by page, was a
/// tenth of a single `acjwt mint`.)
fn read_secret(
    reader: impl Read,
    limit: u64,
    size_hint: u64,
) -> std::io::Result<Zeroizing<Vec<u8>>> {
    const FIRST_BUFFER: u64 = 8 * 1024;
    let most = limit.saturating_add(1);
    let capacity = |want: u64| usize::try_from(want.min(most)).unwrap_or(usize::MAX);
    let mut reader = reader.take(most);
    let mut bytes = Zeroizing::new(Vec::with_capacity(capacity(
        size_hint.saturating_add(1).max(FIRST_BUFFER),
    )));
    loop {
        let spare = (bytes.capacity() - bytes.len()) as u64;
        let read = reader.by_ref().take(spare).read_to_end(&mut bytes)? as u64;
        if read < spare || bytes.len() as u64 >= most {
            return Ok(bytes);
        }
        let mut larger = Zeroizing::new(Vec::with_capacity(capacity(
            (bytes.capacity() as u64).saturating_mul(2),
        )));
        larger.extend_from_slice(&bytes);
        bytes = larger;
    }
}

fn read_file_limited(path: &Path, limit: u64) -> std::io::Result<Zeroizing<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    let size_hint = file.metadata().map_or(0, |meta| meta.len());
    let bytes = read_secret(file, limit, size_hint)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "larger than {limit} bytes, more than any key or role-token file holds"
        )));
    }
    Ok(bytes)
}

pub fn read_stdin_limited(limit: u64, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    claim_stdin(what)?;
    let bytes = read_secret(std::io::stdin().lock(), limit, 0)
        .with_context(|| format!("cannot read {what} from stdin"))?;
    if bytes.len() as u64 > limit {
        anyhow::bail!(UsageError::new(format!(
            "{what} from stdin is larger than {limit} bytes"
        )));
    }
    Ok(bytes)
}

/// Reads a secret file (`--rtoken-file`; `-` reads stdin), as it is: what may be trimmed is
/// the caller's rule to decide.
pub fn read_secret_file(path: &str, flag: &str) -> Result<Zeroizing<String>> {
    let bytes = if path == "-" {
        read_stdin_limited(64 * 1024, flag)?
    } else {
        read_file_limited(Path::new(path), 64 * 1024)
            .with_context(|| format!("cannot read {path} ({flag})"))?
    };
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| UsageError::new(format!("{path} ({flag}) is not UTF-8 text")))?;
    Ok(Zeroizing::new(text.to_string()))
}

/// `--rtoken` and `--rtoken-file` together are two role tokens: refused before anything is
/// read, by every command that takes them (mint, serve). ACJWT_RTOKEN is only a default, so an
/// explicit `--rtoken-file` overrides it, as flags override the environment everywhere. (clap
/// counts a value from the environment as given, so its `conflicts_with` would refuse the
/// exported variable too, naming a flag the user did not type; hence this check.)
pub fn check_one_rtoken_source(flag: Option<&str>, file_given: bool) -> Result<()> {
    let Some(flag) = flag else {
        return Ok(());
    };
    let from_environment = std::env::var_os("ACJWT_RTOKEN").is_some_and(|env| env == flag);
    if file_given && !from_environment {
        anyhow::bail!(UsageError::with_hint(
            "--rtoken and --rtoken-file both give the role token",
            "give one of them (--rtoken-file keeps it out of the process list)"
        ));
    }
    Ok(())
}

/// A role token through the library's one rule ([`acjwt::claims::clean_rtoken`]), whatever it
/// came from; `origin` ("--rtoken-file rt.txt", "ACJWT_RTOKEN or --rtoken") names the source
/// in the error, which never shows the rtoken.
pub fn rtoken(raw: &str, origin: &str) -> Result<Zeroizing<String>> {
    match acjwt::claims::clean_rtoken(raw) {
        Ok(rtoken) => Ok(Zeroizing::new(rtoken.to_string())),
        Err(err) => Err(UsageError::with_hint(
            format!("{origin}: {err}"),
            "copy the role token from the resource's settings, one line with nothing else",
        )
        .into()),
    }
}

/// What was given where a token was expected, when it is recognizably something else: a file
/// name, a role token, two tokens, a token in quotes, or more than stdin is read of. The message says what it is and the hint what to do; the exit status is
/// 1, as for any malformed token.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct NotAToken {
    message: String,
    hint: String,
}

impl NotAToken {
    fn new(message: String, hint: impl Into<String>) -> NotAToken {
        NotAToken {
            message,
            hint: hint.into(),
        }
    }

    pub fn hint(&self) -> &str {
        &self.hint
    }
}

/// How far stdin is read for one token: past the token limit the rest is not read.
const STDIN_TOKEN_CAP: usize = MAX_TOKEN_LEN * 2;

/// The token to work on: the argument, or stdin when the argument is `-` or absent and stdin
/// is not a terminal. Whitespace and a leading `Bearer ` are dropped. What stdin holds is
/// returned even when it is not a token (not UTF-8, too long, empty): the parser then reports
/// it as a malformed token, exit 1; so do the [`NotAToken`] errors, which say what it is.
pub fn read_token(argument: Option<&str>) -> Result<String> {
    let (raw, from) = match argument {
        Some(token) if token != "-" => (token.to_string(), "the TOKEN argument"),
        Some(_) => (read_stdin_token()?, "stdin"),
        None if !std::io::stdin().is_terminal() => (read_stdin_token()?, "stdin"),
        None => anyhow::bail!(UsageError::with_hint(
            "no token given",
            "pass it as an argument, or pipe it: echo \"$TOKEN\" | acjwt decode"
        )),
    };
    let token = clean_token(&raw);
    if let Some(err) = not_a_token(token, from) {
        return Err(err.into());
    }
    if from != "stdin" && Token::parse(token).is_err() && Path::new(&raw).is_file() {
        return Err(NotAToken::new(
            format!("the TOKEN argument {raw:?} is the name of a file, not a token"),
            format!("pass the token itself, or - for TOKEN with the file on stdin: - < {raw}"),
        )
        .into());
    }
    Ok(token.to_string())
}

/// Recognizes what a pasted or piped token often is instead. None of these characters can be
/// in a compact JWS (base64url and dots), so a real token never matches.
fn not_a_token(token: &str, from: &str) -> Option<NotAToken> {
    if let Some(rest) = token.strip_prefix("rtoken@") {
        return Some(NotAToken::new(
            format!(
                "{from} is a role-token header (Bearer rtoken@…, {} characters), not a JWT",
                rest.chars().count()
            ),
            "pass the JWT your backend mints (acjwt mint makes one); an rtoken is not a token to decode or verify",
        ));
    }
    let quoted =
        |quote: char| token.len() >= 2 && token.starts_with(quote) && token.ends_with(quote);
    if quoted('"') || quoted('\'') {
        return Some(NotAToken::new(
            format!("{from} is a token in quotes"),
            "pass it without the quotes (a JSON string's quotes are not part of the token)",
        ));
    }
    let words = token.split_whitespace().count();
    if words > 1 && token.split_whitespace().all(|word| word.contains('.')) {
        return Some(NotAToken::new(
            format!("{from} holds {words} tokens; this command takes one"),
            "pass one token (verify --batch FILE checks one per line)",
        ));
    }
    None
}

fn read_stdin_token() -> Result<String> {
    claim_stdin("the token")?;
    // Past the token limit the rest is not read, so its size is only known to be over the cap.
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(STDIN_TOKEN_CAP as u64 + 1)
        .read_to_end(&mut bytes)
        .context("cannot read the token from stdin")?;
    if bytes.len() > STDIN_TOKEN_CAP {
        return Err(NotAToken::new(
            format!(
                "the token on stdin is over {STDIN_TOKEN_CAP} bytes (the rest is not read), over the {MAX_TOKEN_LEN}-byte limit"
            ),
            "pipe in the token alone",
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Drops a byte order mark, surrounding whitespace, an `Authorization:` prefix and a `Bearer `
/// scheme.
pub fn clean_token(raw: &str) -> &str {
    // A byte order mark is what an editor puts before a file's text, never part of a token
    // (the rtoken rule drops it too).
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let mut token = raw.trim();
    if let Some(rest) = strip_prefix_ignore_case(token, "authorization:") {
        token = rest.trim_start();
    }
    if let Some(rest) = strip_prefix_ignore_case(token, "bearer ") {
        token = rest.trim_start();
    }
    token
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::{clean_token, read_file_limited, read_secret};

    #[test]
    fn a_key_file_is_read_into_one_buffer_of_its_size() {
        // The buffer that held the key must be the only copy: no growth, so no freed,
        // unzeroized earlier allocation.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, vec![b'k'; 300_000]).unwrap();
        let bytes = read_file_limited(&path, 1 << 20).unwrap();
        assert_eq!(bytes.len(), 300_000);
        assert_eq!(bytes.capacity(), 300_001);
        let err = read_file_limited(&path, 1000).unwrap_err().to_string();
        assert!(err.contains("larger than 1000 bytes"), "{err}");
    }

    #[test]
    fn streams_of_any_size_are_read_whole_up_to_one_past_the_limit() {
        let limit = 100_000;
        for len in [
            0, 1, 8191, 8192, 8193, 16_385, 99_999, 100_000, 100_001, 250_000,
        ] {
            let input: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let bytes = read_secret(input.as_slice(), limit, 0).unwrap();
            let kept = len.min(limit as usize + 1);
            assert_eq!(bytes.as_slice(), &input[..kept], "{len} bytes");
            // Only the sizes read_secret chose: std never grew the buffer itself.
            let capacity = bytes.capacity();
            assert!(
                capacity == limit as usize + 1
                    || (capacity % 8192 == 0 && (capacity / 8192).is_power_of_two()),
                "{len} bytes in a buffer of {capacity}"
            );
        }
    }

    #[test]
    fn tokens_are_cleaned() {
        assert_eq!(clean_token("  a.b.c\n"), "a.b.c");
        assert_eq!(clean_token("Bearer a.b.c"), "a.b.c");
        assert_eq!(clean_token("bearer   a.b.c"), "a.b.c");
        assert_eq!(clean_token("Authorization: Bearer a.b.c\r\n"), "a.b.c");
        assert_eq!(clean_token("Bearer"), "Bearer");
        assert_eq!(clean_token("\u{feff}a.b.c\r\n"), "a.b.c");
    }
}
