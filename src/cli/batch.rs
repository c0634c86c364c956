//! `mint --batch` and `verify --batch`: one token per input line, on every core.
//!
//! The line-by-line machinery is the library's [`acjwt::batch::map_lines`]; this module
//! wires it to files, stdin and stdout, and turns each line into its output text inside the
//! worker threads so the writer only copies bytes.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal as _, Read, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use acjwt::alg::Algorithm;
use acjwt::backend::Backend;
use acjwt::batch::{self, BatchError, Options};
use acjwt::claims;
use acjwt::matching::Matching;
use acjwt::mint::{Expiry, Minter};
use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;

use super::{Status, UsageError, files, output};

/// Output buffer for stdout and --output; flushed whenever the workers fall behind.
const WRITE_BUFFER: usize = 64 * 1024;

/// Undocumented members or unused identifiers are reported for this many lines, then counted.
const MAX_LINE_WARNINGS: usize = 10;

/// How the work is run: shared by `mint` and `verify`, single token or batch.
#[derive(Debug, Args)]
pub struct EngineArgs {
    #[command(flatten)]
    pub backend: BackendArg,

    /// With --batch: worker threads, 1 to 256 (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

/// `--backend` alone, for `serve`, which has no batch and so no `--threads`.
#[derive(Debug, Args)]
pub struct BackendArg {
    /// Signing library: aws-lc (fastest; in the default build) or rustcrypto (pure Rust).
    /// Default: the fastest this build has.
    #[arg(long, value_name = "BACKEND", env = "ACJWT_BACKEND")]
    pub backend: Option<Backend>,
}

impl BackendArg {
    /// --backend, else the fastest in the build.
    pub fn backend(&self) -> Backend {
        self.backend.unwrap_or_default()
    }
}

impl EngineArgs {
    /// The backend for work that signs or verifies many times (a batch, `serve`) or draws no
    /// randomness (`verify`): --backend, else the fastest in the build.
    pub fn backend(&self) -> Backend {
        self.backend.backend()
    }

    /// The backend for `mint` without --batch, which signs one `alg` token and exits:
    /// --backend, else [`Backend::fastest_for_one_signature`] (which says why it differs).
    pub fn backend_for_one_signature(&self, alg: Algorithm) -> Backend {
        self.backend
            .backend
            .unwrap_or_else(|| Backend::fastest_for_one_signature(alg))
    }

    pub(super) fn options(&self, max_line_len: usize) -> Options {
        let mut options = Options::all_cores(max_line_len);
        if let Some(threads) = self.threads.and_then(|n| NonZeroUsize::new(n.into())) {
            options.threads = threads;
        }
        options
    }
}

/// The format of `mint --batch` output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BatchFormat {
    /// One token per line.
    Tokens,
    /// One JSON object per line: {"line": N, "token": "...", "matching": {...}}.
    Jsonl,
}

/// `mint --batch` and its companions.
#[derive(Debug, Args)]
pub struct MintBatchArgs {
    /// Mint one token per line of FILE (- reads stdin): each line a matching object as JSON,
    /// checked as --matching is. Output keeps the input order.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["json", "matching", "mode", "db_id",
        "email", "phone", "profile_id", "provider", "subscription_id", "field_name",
        "field_value", "field_value_int"])]
    pub batch: Option<String>,

    /// With --batch: tokens (one per line, the default) or jsonl ({"line", "token",
    /// "matching"} per line).
    // No clap default: with one, clap cannot tell that the flag was given without --batch.
    #[arg(long, value_name = "FORMAT")]
    pub batch_format: Option<BatchFormat>,

    /// With --batch: write to FILE (mode 0600) instead of stdout; on failure FILE is left as it
    /// was, never half-written.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl MintBatchArgs {
    /// The flags that only mean something with --batch, refused without it rather than
    /// ignored (clap's `requires` does not fire for flattened arguments like these).
    pub fn check_batch_only(&self, engine: &EngineArgs) -> Result<()> {
        if self.batch.is_some() {
            return Ok(());
        }
        let given = [
            ("--output", self.output.is_some()),
            ("--batch-format", self.batch_format.is_some()),
            ("--threads", engine.threads.is_some()),
        ];
        match given.iter().find(|(_, given)| *given) {
            Some((flag, _)) => Err(batch_only(flag, "mint")),
            None => Ok(()),
        }
    }
}

impl EngineArgs {
    /// `--threads` without `verify --batch`: refused, not ignored.
    pub fn check_batch_only(&self, batch: bool, command: &str) -> Result<()> {
        match self.threads {
            Some(_) if !batch => Err(batch_only("--threads", command)),
            _ => Ok(()),
        }
    }
}

fn batch_only(flag: &str, command: &str) -> anyhow::Error {
    UsageError::with_hint(
        format!("{flag} applies only to {command} --batch"),
        format!("add --batch FILE (one input per line), or drop {flag}"),
    )
    .into()
}

/// Everything a batch mint needs, resolved once by `mint`.
pub struct MintJob<'a> {
    pub minter: &'a Minter,
    pub exp: i64,
    pub now: i64,
}

pub fn mint(batch: &MintBatchArgs, engine: &EngineArgs, job: MintJob<'_>) -> Result<Status> {
    let source = batch.batch.as_deref().unwrap_or("-");
    let input = open_input(source)?;
    // Opened before the first line is read, so a bad path is the usual error with its hint.
    let output = batch
        .output
        .as_deref()
        .map(|path| files::OutputFile::create(path, 0o600, "--output"))
        .transpose()?;
    let format = batch.batch_format.unwrap_or(BatchFormat::Tokens);
    let warnings = AtomicUsize::new(0);
    // A line holding a matching object over the payload limit could never be minted.
    let options = engine.options(claims::MAX_PAYLOAD_LEN);
    let started = Instant::now();
    let work = |line: u64, text: &str| -> Result<String, String> {
        let matching = Matching::parse(text).map_err(|err| err.to_string())?;
        for warning in matching.warnings() {
            if warnings.fetch_add(1, Ordering::Relaxed) < MAX_LINE_WARNINGS {
                output::warn(&format!("line {line}: {warning}"));
            }
        }
        let token = job
            .minter
            .mint(&matching, Expiry::At(job.exp), job.now)
            .map_err(|err| err.to_string())?
            .token;
        Ok(match format {
            BatchFormat::Tokens => token,
            BatchFormat::Jsonl => {
                json!({"line": line, "token": token, "matching": matching.to_value()}).to_string()
            }
        })
    };
    let summary = match output {
        Some(file) => write_output(file, |out| {
            batch::map_lines(input, out, options, work, write_line)
        }),
        None => to_stdout(|out| batch::map_lines(input, out, options, work, write_line)),
    };
    let summary = summary.map_err(|err| batch_error(err, source, MINT_HINT))?;
    let extra = warnings
        .load(Ordering::Relaxed)
        .saturating_sub(MAX_LINE_WARNINGS);
    if extra > 0 {
        output::warn(&format!("{extra} more warning(s) not shown"));
    }
    if let Some(batch::Summary { lines }) = summary
        && io::stderr().is_terminal()
    {
        let seconds = started.elapsed().as_secs_f64();
        output::note(&format!(
            "minted {lines} token(s) in {seconds:.2} s ({:.0}/s; {}, {} thread(s))",
            lines as f64 / seconds.max(1e-9),
            job.minter.backend(),
            options.threads
        ));
    }
    Ok(Status::Success)
}

fn write_line<W: Write + ?Sized>(out: &mut W, text: String) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

const MINT_HINT: &str = "each line must be one matching object, e.g. \
    {\"db_id\":2,\"email\":\"a@example.com\",\"matching\":\"email\"}";

pub(super) fn open_input(source: &str) -> Result<Box<dyn Read + Send>> {
    if source == "-" {
        // Unlocked: a lock cannot move to the reader thread, and the reads are 64 KiB each.
        return Ok(Box::new(io::stdin()));
    }
    let file = File::open(source).with_context(|| format!("cannot read {source} (--batch)"))?;
    Ok(Box::new(file))
}

/// Runs `body` writing to stdout; `None` when the reader of our output went away, which is
/// not an error (`acjwt mint --batch … | head`).
/// stdout through anstream, which drops `verify`'s colours when stdout is not a terminal.
pub(super) type Stdout = BufWriter<anstream::AutoStream<io::StdoutLock<'static>>>;

pub(super) fn to_stdout<T>(
    body: impl FnOnce(&mut Stdout) -> Result<T, BatchError<String>>,
) -> Result<Option<T>, BatchError<String>> {
    output::check_stdout().map_err(BatchError::Write)?;
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, anstream::stdout().lock());
    match body(&mut out) {
        Err(BatchError::Write(err)) if err.kind() == io::ErrorKind::BrokenPipe => Ok(None),
        other => other.map(Some),
    }
}

/// Runs `body` writing to `--output` by the output policy (`files::OutputFile`): a regular
/// file is replaced only when `body` succeeds (mode 0600: tokens are bearer credentials), and
/// is left as it was on failure, a panic or a signal; a device or FIFO is written to directly.
fn write_output<T>(
    file: files::OutputFile,
    body: impl FnOnce(&mut BufWriter<files::OutputFile>) -> Result<T, BatchError<String>>,
) -> Result<Option<T>, BatchError<String>> {
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
    let written = body(&mut out).and_then(|result| {
        let file = out
            .into_inner()
            .map_err(|err| BatchError::Write(err.into_error()))?;
        file.finish().map_err(BatchError::Write)?;
        Ok(result)
    });
    match written {
        // `--output /dev/stdout | head`: the reader went away, as with plain stdout.
        Err(BatchError::Write(err)) if err.kind() == io::ErrorKind::BrokenPipe => Ok(None),
        other => other.map(Some),
    }
}

pub(super) fn batch_error(err: BatchError<String>, source: &str, hint: &str) -> anyhow::Error {
    let name = if source == "-" { "stdin" } else { source };
    match err {
        BatchError::Line { .. } | BatchError::LineTooLong { .. } | BatchError::NotUtf8 { .. } => {
            UsageError::with_hint(format!("{name}: {err}"), hint).into()
        }
        BatchError::Read(_) => anyhow::Error::new(err).context(format!("--batch {name}")),
        other => anyhow::Error::new(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(backend: Option<Backend>) -> EngineArgs {
        EngineArgs {
            backend: BackendArg { backend },
            threads: None,
        }
    }

    #[test]
    fn a_given_backend_wins_for_every_job() {
        for backend in Backend::ALL {
            assert_eq!(engine(Some(backend)).backend(), backend);
            for alg in Algorithm::ALL {
                assert_eq!(
                    engine(Some(backend)).backend_for_one_signature(alg),
                    backend
                );
            }
        }
    }
}
