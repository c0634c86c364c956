//! The accept loop: hyper connections under a header-read timeout, an idle timeout and a cap
//! on connections, with graceful shutdown.
//!
//! `axum::serve` has neither a header-read timeout nor a connection cap, so a few hundred
//! clients that send half a header and wait would hold the server's sockets for ever. Here
//! each connection takes a permit from a semaphore (over the cap, a client gets a 503 at once
//! instead of waiting in the kernel's queue), hyper closes a connection whose header has not
//! arrived within `--header-read-timeout` (hyper starts that clock whenever it waits for a
//! request, so it also ends idle keep-alive connections), and a watchdog closes one with no
//! traffic at all for `--idle-timeout`. On shutdown the listener closes first, every connection finishes its
//! in-flight request (keep-alive is refused from then on), and the grace period bounds the wait.
//!
//! The main thread's runtime accepts; [`Workers`], one single-threaded runtime per core, serve
//! the connections, each on one runtime for its whole life.

use std::net::{IpAddr, SocketAddr};
use std::os::unix::fs::{FileTypeExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use axum::Router;
use axum::http::StatusCode;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _, ReadBuf};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::{Semaphore, watch};

use super::super::UsageError;
use super::log::{self, LogFormat};
use super::routes::status_error;

/// Where `--listen` points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    Tcp(SocketAddr),
    Unix(PathBuf),
}

impl Address {
    /// Parses `IP:PORT`, `localhost:PORT` or `unix:PATH`.
    pub fn parse(text: &str) -> Result<Address> {
        if let Some(path) = text.strip_prefix("unix:") {
            if path.is_empty() {
                anyhow::bail!(UsageError::with_hint(
                    "--listen unix: needs a path",
                    "e.g. --listen unix:/run/acjwt/acjwt.sock"
                ));
            }
            return Ok(Address::Unix(PathBuf::from(path)));
        }
        let text_for_ip = match text.strip_prefix("localhost:") {
            Some(port) => format!("127.0.0.1:{port}"),
            None => text.to_string(),
        };
        text_for_ip.parse::<SocketAddr>().map(Address::Tcp).map_err(|_| {
            UsageError::with_hint(
                format!("--listen {text:?} is not an address to listen on"),
                "give IP:PORT (127.0.0.1:8787, 0.0.0.0:8787, [::1]:8787; port 0 takes a free one) or unix:PATH",
            )
            .into()
        })
    }

    /// Loopback or a Unix socket: only this machine can connect.
    pub fn is_local(&self) -> bool {
        match self {
            Address::Tcp(addr) => addr.ip().is_loopback(),
            Address::Unix(_) => true,
        }
    }
}

/// A bound listener.
pub enum Listener {
    Tcp(TcpListener),
    /// The socket and its path, removed again on shutdown.
    Unix(UnixListener, PathBuf),
}

impl Listener {
    /// Binds `address`. Errors are one line naming the address, with the fix.
    pub async fn bind(address: &Address) -> Result<Listener> {
        match address {
            Address::Tcp(addr) => {
                let listener = TcpListener::bind(addr).await.map_err(|err| {
                    let hint = if err.kind() == std::io::ErrorKind::AddrInUse {
                        "another process listens there: choose another port, or 127.0.0.1:0 for a free one"
                    } else {
                        "use an address of this machine, e.g. 127.0.0.1:8787 or 0.0.0.0:8787"
                    };
                    UsageError::with_hint(format!("cannot listen on {addr}: {err}"), hint)
                })?;
                Ok(Listener::Tcp(listener))
            }
            Address::Unix(path) => {
                remove_stale_socket(path)?;
                let listener = UnixListener::bind(path).map_err(|err| {
                    UsageError::with_hint(
                        format!("cannot listen on unix:{}: {err}", path.display()),
                        "the folder must exist and be writable",
                    )
                })?;
                // 0660: the backend's group may connect, other local users may not.
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))
                    .with_context(|| format!("cannot set the mode of {}", path.display()))?;
                Ok(Listener::Unix(listener, path.clone()))
            }
        }
    }

    /// What the first stdout line says: the base URL, or `unix:PATH`.
    pub fn announce(&self) -> Result<String> {
        Ok(match self {
            Listener::Tcp(listener) => {
                let addr = listener.local_addr()?;
                // An unspecified bind is reachable on loopback: print a URL that connects.
                let ip = match addr.ip() {
                    IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
                    IpAddr::V6(ip) if ip.is_unspecified() => {
                        IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
                    }
                    ip => ip,
                };
                format!("http://{}", SocketAddr::new(ip, addr.port()))
            }
            Listener::Unix(_, path) => format!("unix:{}", path.display()),
        })
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        match self {
            Listener::Tcp(listener) => listener.local_addr().ok(),
            Listener::Unix(..) => None,
        }
    }
}

/// A socket file left by a server that died is removed; a live server's socket, or anything
/// that is not a socket, is an error.
fn remove_stale_socket(path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !meta.file_type().is_socket() {
        anyhow::bail!(UsageError::with_hint(
            format!("unix:{} exists and is not a socket", path.display()),
            "remove it, or choose another path"
        ));
    }
    if std::os::unix::net::UnixStream::connect(path).is_ok() {
        anyhow::bail!(UsageError::with_hint(
            format!("unix:{}: another server is listening there", path.display()),
            "stop it, or choose another path"
        ));
    }
    std::fs::remove_file(path)
        .with_context(|| format!("cannot remove the stale socket {}", path.display()))
}

/// How connections are served.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub grace: Duration,
}

/// The threads that serve connections: one single-threaded tokio runtime per core, each
/// keeping the connections handed to it (round-robin, as they are accepted) for their whole
/// life.
///
/// Not one multi-threaded runtime: signing is most of a request (about 75 µs of CPU for
/// ES384), and a work-stealing scheduler moves the tasks around it between threads, waking
/// parked workers as it goes (0.76 futex calls a request under load, by strace). Two processes
/// of the old server, each taking half the connections, served 21,000 tokens/s where one
/// served 17,200: the cost was the sharing. Measured with wrk on 2 cores, 3 runs each: 18,690
/// tokens/s with the multi-threaded runtime, 21,185 with these runtimes, the metrics sharded
/// per thread and log lines written without std's stderr lock. The price: a request waits
/// behind its own thread's, not the other cores' (no stealing), which for requests this short
/// is not a wait anyone sees.
pub struct Workers {
    handles: Vec<tokio::runtime::Handle>,
    next: AtomicUsize,
    stops: Vec<tokio::sync::oneshot::Sender<()>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Workers {
    /// Starts `count` runtimes (at least one), each on a thread of its own.
    pub fn start(count: usize) -> Result<Workers> {
        let mut workers = Workers {
            handles: Vec::new(),
            next: AtomicUsize::new(0),
            stops: Vec::new(),
            threads: Vec::new(),
        };
        for index in 0..count.max(1) {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
            workers.handles.push(runtime.handle().clone());
            let thread = std::thread::Builder::new()
                .name(format!("acjwt-serve-{index}"))
                // A current-thread runtime runs its tasks only inside block_on.
                .spawn(move || runtime.block_on(async move { drop(stop_rx.await) }))
                .context("cannot start a server thread")?;
            workers.stops.push(stop_tx);
            workers.threads.push(thread);
        }
        Ok(workers)
    }

    /// Runs `future` on the next runtime in turn.
    fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        let index = self.next.fetch_add(1, Ordering::Relaxed) % self.handles.len();
        drop(self.handles[index].spawn(future));
    }
}

impl Drop for Workers {
    /// Stops every runtime; a connection still open (past the grace period) is dropped.
    fn drop(&mut self) {
        for stop in self.stops.drain(..) {
            let _ = stop.send(());
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains within the grace period.
pub async fn serve(
    listener: Listener,
    workers: &Workers,
    app: Router,
    limits: ConnectionLimits,
    log_format: LogFormat,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener) => match accepted {
                Ok(stream) => {
                    let Ok(permit) = permits.clone().try_acquire_owned() else {
                        tokio::spawn(refuse(stream));
                        continue;
                    };
                    let app = app.clone();
                    let stop = stop_rx.clone();
                    // A tokio stream belongs to the reactor it was made on: it moves to the
                    // worker as a std socket (still non-blocking) and registers there.
                    let Ok(stream) = stream.into_std() else {
                        continue; // gone before it could be handed over
                    };
                    workers.spawn(async move {
                        if let Ok(stream) = Stream::from_std(stream) {
                            connection(stream, app, limits, stop).await;
                        }
                        drop(permit);
                    });
                }
                Err(err) => {
                    // Out of file descriptors, say: wait rather than spin.
                    log::event(log_format, "error", &format!("accept failed: {err}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
        }
    }
    // Stop accepting first, then ask every connection to finish.
    let socket_path = match &listener {
        Listener::Unix(_, path) => Some(path.clone()),
        Listener::Tcp(_) => None,
    };
    drop(listener);
    let _ = stop_tx.send(true);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let drained = tokio::time::timeout(limits.grace, permits.acquire_many(all)).await;
    if drained.is_err() {
        let open = limits.max_connections - permits.available_permits();
        log::event(
            log_format,
            "error",
            &format!("grace period over: closing {open} connection(s) still open"),
        );
    }
    if let Some(path) = socket_path {
        let _ = std::fs::remove_file(path);
    }
}

/// Either kind of accepted stream.
enum Stream {
    Tcp(tokio::net::TcpStream),
    Unix(tokio::net::UnixStream),
}

/// A [`Stream`] on its way to another runtime.
enum StdStream {
    Tcp(std::net::TcpStream),
    Unix(std::os::unix::net::UnixStream),
}

impl Stream {
    fn into_std(self) -> std::io::Result<StdStream> {
        Ok(match self {
            Stream::Tcp(s) => StdStream::Tcp(s.into_std()?),
            Stream::Unix(s) => StdStream::Unix(s.into_std()?),
        })
    }

    /// Registers the stream with the current runtime's reactor.
    fn from_std(stream: StdStream) -> std::io::Result<Stream> {
        Ok(match stream {
            StdStream::Tcp(s) => Stream::Tcp(tokio::net::TcpStream::from_std(s)?),
            StdStream::Unix(s) => Stream::Unix(tokio::net::UnixStream::from_std(s)?),
        })
    }
}

async fn accept(listener: &Listener) -> std::io::Result<Stream> {
    match listener {
        Listener::Tcp(listener) => {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            Ok(Stream::Tcp(stream))
        }
        Listener::Unix(listener, _) => Ok(Stream::Unix(listener.accept().await?.0)),
    }
}

/// Over the connection cap: a 503 at once, then close. The request is read and dropped
/// (briefly) before the socket closes: closing with unread bytes would reset the connection,
/// and the client might lose the 503.
async fn refuse(stream: Stream) {
    let body = status_error(StatusCode::SERVICE_UNAVAILABLE).body();
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        match stream {
            Stream::Tcp(s) => answer_and_close(s, response.as_bytes()).await,
            Stream::Unix(s) => answer_and_close(s, response.as_bytes()).await,
        }
    })
    .await;
}

async fn answer_and_close<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, response: &[u8]) {
    use tokio::io::AsyncReadExt as _;
    if stream.write_all(response).await.is_err() || stream.shutdown().await.is_err() {
        return;
    }
    let mut sink = [0u8; 4096];
    let mut left: usize = 64 * 1024;
    while left > 0 {
        match stream.read(&mut sink).await {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

async fn connection(
    stream: Stream,
    app: Router,
    limits: ConnectionLimits,
    stop: watch::Receiver<bool>,
) {
    match stream {
        Stream::Tcp(s) => serve_connection(s, app, limits, stop).await,
        Stream::Unix(s) => serve_connection(s, app, limits, stop).await,
    }
}

async fn serve_connection<S>(
    stream: S,
    app: Router,
    limits: ConnectionLimits,
    mut stop: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let started = Instant::now();
    let activity = Arc::new(AtomicU64::new(0));
    let io = TokioIo::new(Watched {
        inner: stream,
        started,
        activity: activity.clone(),
    });
    let service = TowerToHyperService::new(app);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_headers(MAX_HEADERS)
        .max_buf_size(BUF_SIZE);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut closing = false;
    let mut tick = tokio::time::interval(limits.idle_timeout.min(Duration::from_secs(1)));
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            changed = stop.changed(), if !closing => {
                // A closed channel means the server is going away too.
                let _ = changed;
                closing = true;
                conn.as_mut().graceful_shutdown();
            }
            _ = tick.tick(), if !closing => {
                let last = Duration::from_millis(activity.load(Ordering::Relaxed));
                if started.elapsed().saturating_sub(last) >= limits.idle_timeout {
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// Bounds what one connection buffers (headers included): 64 KiB plus a little. Above
/// `routes::MAX_HEADER_BYTES`, so that oversized headers mostly get the JSON 431.
const BUF_SIZE: usize = 80 * 1024;

/// hyper's cap on the number of headers; above `routes::MAX_HEADER_COUNT` for the same reason.
const MAX_HEADERS: usize = 64;

/// A stream that records when bytes last moved, for the idle timeout.
struct Watched<S> {
    inner: S,
    started: Instant,
    /// Milliseconds after `started` of the last read or write.
    activity: Arc<AtomicU64>,
}

impl<S> Watched<S> {
    fn touch(&self) {
        let millis = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.activity.store(millis, Ordering::Relaxed);
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.touch();
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        result
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
