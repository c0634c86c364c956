//! Ordered, streaming, multi-threaded work over the lines of an input.
//!
//! [`map_lines`] is what `acjwt mint --batch` and `verify --batch` run on: one thread reads
//! lines into small chunks, worker threads turn each line into its output text, and the
//! calling thread writes the outputs in input order. Memory stays flat whatever the input's
//! size, because at most a fixed number of chunks is in flight: the reader blocks while the
//! workers or the writer are behind. Output starts as soon as the first chunk is done, and is
//! flushed whenever the writer would otherwise wait, so a slow producer (`tail -f | acjwt …`)
//! sees each result without waiting for the end of its input.
//!
//! The module does no I/O of its own: it reads any [`Read`] and writes any [`Write`].
//!
//! ```
//! use std::io::Write as _;
//! use std::num::NonZeroUsize;
//!
//! use acjwt::batch::{BatchError, Options, Summary, map_lines};
//!
//! let threads = NonZeroUsize::new(2).unwrap();
//! let options = Options { threads, max_line_len: 64, lossy_utf8: false };
//! let work = |number: u64, line: &str| -> Result<String, String> {
//!     match line.parse::<u32>() {
//!         Ok(n) => Ok(format!("{number}: {}", n * 2)),
//!         Err(_) => Err(format!("{line:?} is not a number")),
//!     }
//! };
//! let emit = |out: &mut Vec<u8>, text: String| writeln!(out, "{text}");
//!
//! // Outputs come in input order, whichever worker finished first; `\r\n` is a line end too.
//! let mut out = Vec::new();
//! let summary = map_lines(&b"1\n2\r\n3\n"[..], &mut out, options, work, emit)?;
//! assert_eq!(summary, Summary { lines: 3 });
//! assert_eq!(out, b"1: 2\n2: 4\n3: 6\n");
//!
//! // The first failure stops the run; every line before it has been written.
//! let mut out = Vec::new();
//! let err = map_lines(&b"4\nfive\n6\n"[..], &mut out, options, work, emit).unwrap_err();
//! assert!(matches!(err, BatchError::Line { line: 2, .. }));
//! assert_eq!(out, b"1: 8\n");
//! # Ok::<(), BatchError<String>>(())
//! ```

use std::io::{self, BufRead, BufReader, Read, Write};
use std::num::NonZeroUsize;

use crossbeam_channel::{Receiver, Sender, bounded};

/// How a batch runs.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Worker threads; the reader and writer threads come on top but mostly wait.
    pub threads: NonZeroUsize,
    /// Longest accepted line in bytes, without its line ending.
    pub max_line_len: usize,
    /// Hand lines that are not UTF-8 to the work with U+FFFD in place of the bad bytes,
    /// instead of stopping the run: right where a bad line is a finding (a malformed token),
    /// not an input error.
    pub lossy_utf8: bool,
}

impl Options {
    /// One worker per core the OS gives this process.
    pub fn all_cores(max_line_len: usize) -> Options {
        Options {
            threads: std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN),
            max_line_len,
            lossy_utf8: false,
        }
    }
}

/// Lines per chunk at most. Big enough that channel traffic (about a microsecond per chunk)
/// is noise against even the fastest signature (~30 µs), small enough that two workers get
/// even shares of a short input.
const CHUNK_LINES: usize = 64;

/// Chunks in flight per worker: enough that a worker never waits for the reader.
const CHUNKS_PER_WORKER: usize = 4;

/// Input read buffer; a chunk is also cut when this runs dry (see [`read_chunk`]).
const READ_BUFFER: usize = 64 * 1024;

/// Why a batch stopped. Line numbers count from 1.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError<E> {
    /// A line's work failed; the lines before it were all written.
    #[error("line {line}: {error}")]
    Line {
        /// The failing line's number.
        line: u64,
        /// What `work` returned for it.
        error: E,
    },
    /// A line is longer than [`Options::max_line_len`].
    #[error("line {line} is longer than {max} bytes")]
    LineTooLong {
        /// The long line's number.
        line: u64,
        /// The limit in bytes, [`Options::max_line_len`].
        max: usize,
    },
    /// A line is not UTF-8 text.
    #[error("line {line} is not UTF-8 text")]
    NotUtf8 {
        /// The line's number (its bytes are not kept).
        line: u64,
    },
    /// Reading the input failed.
    #[error("cannot read the input")]
    Read(#[source] io::Error),
    /// Writing the output failed (a closed pipe among others).
    #[error("cannot write the output")]
    Write(#[source] io::Error),
}

/// What a finished batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read and written.
    pub lines: u64,
}

/// A chunk of consecutive lines, the first numbered `first`.
struct Chunk {
    first: u64,
    lines: Vec<String>,
}

/// A chunk's outputs in order, and the error that cut it short, if any.
struct Done<T, E> {
    outputs: Vec<T>,
    failure: Option<BatchError<E>>,
}

/// Runs `work(line_number, line)` over every line of `input` on `options.threads` threads
/// and writes each output with `emit`, in input order, to `out`.
///
/// Line endings (`\n` or `\r\n`) are removed before `work` sees a line; an empty line is a
/// line like any other. The first failure in input order stops the run: everything before it
/// has been written, nothing after it is.
///
/// The reader runs on a thread of its own that is not joined when the run fails: it may be
/// blocked reading an input that never ends (`tail -f`), and the failure must be reported now,
/// not when the producer writes again. Such a thread ends with its next read or the process.
pub fn map_lines<R, W, T, E, F, G>(
    input: R,
    out: &mut W,
    options: Options,
    work: F,
    mut emit: G,
) -> Result<Summary, BatchError<E>>
where
    R: Read + Send + 'static,
    W: Write + ?Sized,
    T: Send + 'static,
    E: Send + 'static,
    F: Fn(u64, &str) -> Result<T, E> + Sync,
    G: FnMut(&mut W, T) -> io::Result<()>,
{
    let threads = options.threads.get();
    let depth = threads.saturating_mul(CHUNKS_PER_WORKER);
    // The reader sends each chunk to the workers and, in the same order, the receiving end of
    // that chunk's one-shot result channel to the writer: the writer so waits for chunks in
    // input order without a reorder buffer, and the bounded channels cap what is in flight.
    let (job_tx, job_rx) = bounded::<(Chunk, Sender<Done<T, E>>)>(depth);
    let (order_tx, order_rx) = bounded::<Receiver<Done<T, E>>>(depth);
    // Never sent on: dropping the sender tells the workers to stop.
    let (stop_tx, stop_rx) = bounded::<()>(0);
    let work = &work;
    let reader = std::thread::spawn(move || read_chunks(input, options, job_tx, order_tx));

    let result = std::thread::scope(|scope| {
        for _ in 0..threads {
            let job_rx = job_rx.clone();
            let stop_rx = stop_rx.clone();
            scope.spawn(move || {
                loop {
                    crossbeam_channel::select! {
                        recv(job_rx) -> job => match job {
                            Ok((chunk, done_tx)) => {
                                let _ = done_tx.send(run_chunk(chunk, work));
                            }
                            Err(_) => break, // the reader is done
                        },
                        recv(stop_rx) -> _ => break, // the writer gave up
                    }
                }
            });
        }
        drop((job_rx, stop_rx));
        let result = write_in_order(order_rx, out, &mut emit);
        // Leaving the scope joins the workers: stop them at once rather than after the
        // reader, which may be blocked on its input, closes the job channel.
        drop(stop_tx);
        result
    });
    if result.is_ok() {
        // The reader closed its channels, so it has returned or is about to.
        let _ = reader.join();
    }
    result
}

fn run_chunk<T, E>(chunk: Chunk, work: &impl Fn(u64, &str) -> Result<T, E>) -> Done<T, E> {
    let mut outputs = Vec::with_capacity(chunk.lines.len());
    for (line, text) in (chunk.first..).zip(&chunk.lines) {
        match work(line, text) {
            Ok(output) => outputs.push(output),
            Err(error) => {
                return Done {
                    outputs,
                    failure: Some(BatchError::Line { line, error }),
                };
            }
        }
    }
    Done {
        outputs,
        failure: None,
    }
}

fn write_in_order<W: Write + ?Sized, T, E>(
    order_rx: Receiver<Receiver<Done<T, E>>>,
    out: &mut W,
    emit: &mut impl FnMut(&mut W, T) -> io::Result<()>,
) -> Result<Summary, BatchError<E>> {
    let mut summary = Summary::default();
    loop {
        let next = match order_rx.try_recv() {
            Ok(next) => next,
            Err(crossbeam_channel::TryRecvError::Disconnected) => break,
            Err(crossbeam_channel::TryRecvError::Empty) => {
                // Nothing is ready: hand what is written so far to the reader of our output.
                out.flush().map_err(BatchError::Write)?;
                match order_rx.recv() {
                    Ok(next) => next,
                    Err(_) => break,
                }
            }
        };
        let done = match next.try_recv() {
            Ok(done) => done,
            Err(_) => {
                out.flush().map_err(BatchError::Write)?;
                // A worker that panicked drops its sender; the scope re-raises the panic.
                next.recv().map_err(|_| {
                    BatchError::Read(io::Error::other("a worker thread stopped unexpectedly"))
                })?
            }
        };
        for output in done.outputs {
            emit(out, output).map_err(BatchError::Write)?;
            summary.lines += 1;
        }
        if let Some(failure) = done.failure {
            out.flush().map_err(BatchError::Write)?;
            return Err(failure);
        }
    }
    out.flush().map_err(BatchError::Write)?;
    Ok(summary)
}

/// The reader thread: chunks of lines to the workers, result slots to the writer. Read
/// errors travel to the writer as a failed chunk, so they are reported in input order.
fn read_chunks<R: Read, T, E>(
    input: R,
    options: Options,
    job_tx: Sender<(Chunk, Sender<Done<T, E>>)>,
    order_tx: Sender<Receiver<Done<T, E>>>,
) {
    let mut reader = BufReader::with_capacity(READ_BUFFER, input);
    let mut next_line = 1u64;
    loop {
        let (lines, failure) = read_chunk(&mut reader, options, next_line);
        if lines.is_empty() && failure.is_none() {
            return;
        }
        let first = next_line;
        next_line += lines.len() as u64;
        let (done_tx, done_rx) = bounded(1);
        if order_tx.send(done_rx).is_err() {
            return; // the writer stopped
        }
        if let Some(failure) = failure {
            // The lines before the failure are still worked on and written first.
            let _ = job_tx.send((Chunk { first, lines }, done_tx));
            let (fail_tx, fail_rx) = bounded(1);
            let _ = fail_tx.send(Done {
                outputs: Vec::new(),
                failure: Some(failure),
            });
            let _ = order_tx.send(fail_rx);
            return;
        }
        if job_tx.send((Chunk { first, lines }, done_tx)).is_err() {
            return;
        }
    }
}

/// Reads up to [`CHUNK_LINES`] lines. The chunk is also cut when the read buffer runs dry:
/// the next read may block on a slow producer, and the lines in hand should not wait for it.
fn read_chunk<R: Read, E>(
    reader: &mut BufReader<R>,
    options: Options,
    first: u64,
) -> (Vec<String>, Option<BatchError<E>>) {
    let max_line_len = options.max_line_len;
    let mut lines = Vec::with_capacity(CHUNK_LINES);
    let mut bytes = Vec::new();
    while lines.len() < CHUNK_LINES {
        let line = first + lines.len() as u64;
        bytes.clear();
        // Room for the longest line, its "\r\n", and one byte to detect a longer one.
        let limit = max_line_len as u64 + 3;
        match reader.by_ref().take(limit).read_until(b'\n', &mut bytes) {
            Ok(0) => break,
            Ok(_) => {}
            Err(err) => return (lines, Some(BatchError::Read(err))),
        }
        let text = bytes
            .strip_suffix(b"\n")
            .map(|b| b.strip_suffix(b"\r").unwrap_or(b))
            .unwrap_or(&bytes);
        if text.len() > max_line_len {
            let max = max_line_len;
            return (lines, Some(BatchError::LineTooLong { line, max }));
        }
        match std::str::from_utf8(text) {
            Ok(text) => lines.push(text.to_string()),
            Err(_) if options.lossy_utf8 => {
                lines.push(String::from_utf8_lossy(text).into_owned());
            }
            Err(_) => return (lines, Some(BatchError::NotUtf8 { line })),
        }
        if reader.buffer().is_empty() {
            break;
        }
    }
    (lines, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_is_reported_while_the_input_is_still_open() {
        let (reader, mut writer) = std::io::pipe().unwrap();
        writer.write_all(b"ok\nbad\n").unwrap();
        // `writer` stays open: a reader thread that had to finish first would block forever.
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = Vec::new();
            let result = map_lines(
                reader,
                &mut out,
                options(2),
                |_, text| {
                    if text == "bad" {
                        Err("bad line".to_string())
                    } else {
                        Ok(text.to_string())
                    }
                },
                |out, text| writeln!(out, "{text}"),
            );
            let _ = done_tx.send((result.map(|_| ()).map_err(|e| e.to_string()), out));
        });
        let (result, out) = done_rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("map_lines waited for the input to end");
        assert_eq!(result, Err("line 2: bad line".to_string()));
        assert_eq!(out, b"ok\n");
        drop(writer);
    }

    fn options(threads: usize) -> Options {
        Options {
            threads: NonZeroUsize::new(threads).unwrap(),
            max_line_len: 100,
            lossy_utf8: false,
        }
    }

    fn upper(input: &str, threads: usize) -> Result<(String, Summary), BatchError<String>> {
        let mut out = Vec::new();
        let summary = map_lines(
            std::io::Cursor::new(input.as_bytes().to_vec()),
            &mut out,
            options(threads),
            |line, text| {
                if text == "bad" {
                    Err(format!("bad at {line}"))
                } else {
                    Ok(format!("{line}:{}", text.to_uppercase()))
                }
            },
            |out, text| writeln!(out, "{text}"),
        )?;
        Ok((String::from_utf8(out).unwrap(), summary))
    }

    #[test]
    fn keeps_input_order_across_threads() {
        let input: String = (1..=10_000).map(|n| format!("l{n}\n")).collect();
        let (out, summary) = upper(&input, 4).unwrap();
        assert_eq!(summary.lines, 10_000);
        let expected: String = (1..=10_000).map(|n| format!("{n}:L{n}\n")).collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn handles_line_endings_and_empty_input() {
        assert_eq!(upper("a\r\nb", 2).unwrap().0, "1:A\n2:B\n");
        assert_eq!(upper("a\n\nb\n", 1).unwrap().0, "1:A\n2:\n3:B\n");
        assert_eq!(upper("", 2).unwrap(), (String::new(), Summary { lines: 0 }));
    }

    #[test]
    fn the_first_bad_line_stops_the_run_after_the_lines_before_it() {
        let mut input: String = (1..=500).map(|n| format!("l{n}\n")).collect();
        input.push_str("bad\nl502\nbad\n");
        let mut out = Vec::new();
        let err = map_lines(
            std::io::Cursor::new(input.as_bytes().to_vec()),
            &mut out,
            options(3),
            |_, text| {
                if text == "bad" {
                    Err("no")
                } else {
                    Ok(text.to_string())
                }
            },
            |out, text| writeln!(out, "{text}"),
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                BatchError::Line {
                    line: 501,
                    error: "no"
                }
            ),
            "{err:?}"
        );
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 500);
    }

    #[test]
    fn long_and_binary_lines_are_named() {
        let long = format!("ok\n{}\n", "x".repeat(101));
        assert!(matches!(
            upper(&long, 2),
            Err(BatchError::LineTooLong { line: 2, max: 100 })
        ));
        assert!(upper(&format!("{}\n", "x".repeat(100)), 2).is_ok());
        let mut out = Vec::new();
        let err = map_lines(
            &b"ok\n\xff\xfe\n"[..],
            &mut out,
            options(2),
            |_, text| Ok::<_, String>(text.to_string()),
            |out, text| writeln!(out, "{text}"),
        )
        .unwrap_err();
        assert!(matches!(err, BatchError::NotUtf8 { line: 2 }), "{err:?}");
        assert_eq!(out, b"ok\n");
    }

    /// Lines really are worked on by `threads` threads at once: each of the first lines waits
    /// until that many are in progress. The wait is bounded only so a bug fails instead of
    /// hanging; nothing here depends on speed.
    #[test]
    fn work_runs_on_every_thread_at_once() {
        use std::sync::{Condvar, Mutex};
        let threads = 3;
        let state = (Mutex::new((0usize, 0usize)), Condvar::new()); // (in progress, most seen)
        let input: String = (1..=1000).map(|n| format!("{n}\n")).collect();
        let mut out = Vec::new();
        map_lines(
            std::io::Cursor::new(input.as_bytes().to_vec()),
            &mut out,
            options(threads),
            |_, text| {
                let (lock, ready) = &state;
                let mut guard = lock.lock().unwrap();
                guard.0 += 1;
                guard.1 = guard.1.max(guard.0);
                ready.notify_all();
                let deadline = std::time::Duration::from_secs(30);
                let (mut guard, _) = ready
                    .wait_timeout_while(guard, deadline, |(_, most)| *most < threads)
                    .unwrap();
                guard.0 -= 1;
                Ok::<_, ()>(text.to_string())
            },
            |out, text| writeln!(out, "{text}"),
        )
        .unwrap();
        assert_eq!(state.0.lock().unwrap().1, threads);
        assert_eq!(out.len(), input.len());
    }

    /// A writer that fails after some bytes, like a closed pipe.
    struct Closing(usize);

    impl Write for Closing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.0 < buf.len() {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            self.0 -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_output_stops_the_run() {
        let input: String = (1..=100_000).map(|n| format!("l{n}\n")).collect();
        let err = map_lines(
            std::io::Cursor::new(input.as_bytes().to_vec()),
            &mut Closing(1000),
            options(2),
            |_, text| Ok::<_, ()>(text.to_string()),
            |out, text| writeln!(out, "{text}"),
        )
        .unwrap_err();
        assert!(matches!(err, BatchError::Write(e) if e.kind() == io::ErrorKind::BrokenPipe));
    }
}
