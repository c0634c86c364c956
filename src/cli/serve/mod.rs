//! `acjwt serve`: the HTTP token service an app talks to in development, and that runs
//! beside a backend as the one process holding the signing key.
//!
//! Only this command starts a tokio runtime, so every other command keeps its start-up cost.
//! Start-up reads and checks everything (key, role token, users, access token, address)
//! before binding, so a mistake is one `error:` line and exit 2, never a half-started server.
//! Then the base URL is the first line on stdout, the banner goes to stderr, and each request
//! logs one line (see `log`). SIGHUP reloads the key, the role token file and the users file
//! as one set; SIGINT and SIGTERM drain and exit 0.

mod auth;
mod listen;
mod log;
mod metrics;
mod page;
mod routes;
mod users;

use std::io::{IsTerminal as _, Write as _};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use acjwt::alg::Algorithm;
use acjwt::backend::{Backend, Keyring};
use acjwt::claims::{self, MintError};
use acjwt::mint::{Issuer, KidPolicy, Minter, RoleToken};
use anyhow::{Context as _, Result};
use axum::http::HeaderValue;
use clap::Args;
use zeroize::Zeroizing;

use super::args::SigningArgs;
use super::batch::BackendArg;
use super::keyfile::{read_key_unlocking, recorded_kid};
use super::{Context, Status, UsageError, input};
use listen::{Address, ConnectionLimits, Listener, Workers};
use log::LogFormat;
use routes::{AppState, Loaded, Settings};

/// Serve tokens over HTTP: the token service an app under development (or a backend) calls.
///
/// GET /token/{user} mints for a user of --users FILE; GET /token?mode=email&db_id=2&email=...
/// mints from query parameters; POST /verify, /explain and /decode check a token against the
/// key. Anyone who can reach /token gets a token for any user: on an address other than
/// loopback every API call needs the access token. The base URL is the first line on stdout.
///
/// SIGHUP rereads --key, --rtoken-file and --users. Without --kid (or a kid the key records),
/// tokens and the JWKS carry the key's RFC 7638 thumbprint as kid.
///
/// Example: acjwt serve --key private.ec.key --iss MyApp --rtoken-file rtoken.txt --users users.toml
// No Debug: the arguments hold the role token.
#[derive(Args)]
#[command(
    mut_arg("key", |a| a.help("Private key file (PEM, DER or JWK), reread on SIGHUP. An encrypted PKCS#8 key needs ACJWT_KEY_PASSPHRASE, since a reload cannot prompt")),
    mut_arg("rtoken_file", |a| a.help("Read the role token from a file, reread on SIGHUP: one line; a BOM and the final newline are dropped. Cannot be combined with --rtoken; it takes precedence over ACJWT_RTOKEN")),
    mut_arg("kid", |a| a.help("Key id for every token and the JWKS (default: the kid of a JWK key, or the one keygen --kid recorded in <key>.kid, or else the key's RFC 7638 thumbprint)")),
)]
pub struct ServeArgs {
    #[command(flatten)]
    signing: SigningArgs,

    /// Named users, TOML: one table per user holding its matching object and an optional
    /// ttl, e.g. [alice] matching = "email", db_id = 2, email = "alice@example.com".
    /// Reread on SIGHUP.
    #[arg(long, value_name = "FILE")]
    users: Option<String>,

    /// Where to listen: IP:PORT (port 0 takes a free one) or unix:PATH.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    listen: String,

    /// Lifetime of tokens when a request names none.
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    ttl: String,

    /// The longest ttl a request (or a user) may ask for.
    #[arg(long, value_name = "DURATION", default_value = "24h")]
    max_ttl: String,

    /// File holding the access token API calls must send as Authorization: Bearer (or set
    /// ACJWT_ACCESS_TOKEN). Required on an address other than loopback, where without it a
    /// token is generated and shown once if stderr is a terminal.
    #[arg(long, value_name = "FILE")]
    access_token_file: Option<String>,

    /// Allow this origin to call the API from a browser (CORS); none by default.
    #[arg(long, value_name = "ORIGIN")]
    cors_origin: Option<String>,

    /// Request log format on stderr.
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    log_format: LogFormat,

    /// Close a connection whose request header has not arrived within this time (hyper starts
    /// the clock when it waits for a request, so this also closes idle keep-alive connections).
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    header_read_timeout: String,

    /// Close a connection with no traffic at all for this long (in a request as well).
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    idle_timeout: String,

    /// Answer a request (body included) within this time, or 408.
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    request_timeout: String,

    /// On SIGINT/SIGTERM, wait this long for in-flight requests.
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    shutdown_grace: String,

    /// Open connections at most; more get a 503.
    #[arg(long, value_name = "N", default_value = "512", value_parser = clap::value_parser!(u32).range(1..=65_536))]
    max_connections: u32,

    #[command(flatten)]
    backend: BackendArg,
}

/// The environment variable the access token can come from.
const ACCESS_TOKEN_ENV: &str = "ACJWT_ACCESS_TOKEN";

fn duration(text: &str, flag: &str) -> Result<Duration> {
    let seconds = claims::parse_duration(text).with_context(|| flag.to_string())?;
    if seconds <= 0 {
        anyhow::bail!(UsageError::new(format!("{flag} must be positive")));
    }
    Ok(Duration::from_secs(seconds as u64))
}

/// What `load` reads again on SIGHUP.
struct Sources {
    key: String,
    kid: Option<String>,
    iss: Issuer,
    /// The role token when it came from the flag or the environment (it cannot change).
    rtoken: Option<RoleToken>,
    rtoken_file: Option<String>,
    users: Option<String>,
    max_ttl: i64,
    backend: acjwt::backend::Backend,
}

/// Reads the key, the role token and the users into one set.
fn load(sources: &Sources, context: Context) -> Result<Loaded> {
    let (key_file, _) = read_key_unlocking(&sources.key, "--key", context)?;
    let key = key_file
        .signing_key("serve")
        .with_context(|| format!("key file {} (--key)", sources.key))?;
    let kid = match &sources.kid {
        Some(kid) => Some(kid.clone()),
        None => match key_file.signing_kid() {
            Some(kid) => Some(kid.to_string()),
            None => recorded_kid(&sources.key)?,
        },
    };
    let rtoken = match (&sources.rtoken, &sources.rtoken_file) {
        (_, Some(path)) => {
            let text = input::read_secret_file(path, "--rtoken-file")?;
            RoleToken::new(text.as_str()).with_context(|| format!("{path} (--rtoken-file)"))?
        }
        (Some(rtoken), None) => rtoken.clone(),
        (None, None) => anyhow::bail!(UsageError::new("missing --rtoken-file (or ACJWT_RTOKEN)")),
    };
    let minter = Minter::builder(key, sources.iss.clone(), rtoken)
        .kid(kid.map_or(KidPolicy::Thumbprint, KidPolicy::Given))
        .backend(sources.backend)
        .build()
        .map_err(|err| match err {
            MintError::Backend(err) => anyhow::Error::new(err).context("--backend"),
            other => other.into(),
        })?;
    let users = match &sources.users {
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("cannot read users file {path} (--users)"))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                UsageError::new(format!("users file {path} (--users) is not UTF-8"))
            })?;
            users::parse(&text, sources.max_ttl).map_err(|err| {
                UsageError::with_hint(
                    format!("users file {path} (--users): {err}"),
                    "one table per user: [alice] matching = \"email\" db_id = 2 email = \"alice@example.com\"",
                )
            })?
        }
        None => users::Users::new(),
    };
    let keyring = Keyring::new(key_file, sources.backend).context("--backend")?;
    Ok(Loaded {
        minter,
        keyring,
        users,
    })
}

pub fn run(args: ServeArgs, context: Context) -> Result<Status> {
    args.signing.check_rtoken_sources()?;
    let missing = args.signing.missing();
    if !missing.is_empty() {
        anyhow::bail!(UsageError::with_hint(
            format!("missing {}", missing.join(", ")),
            "e.g. acjwt serve --key private.ec.key --iss MyApp --rtoken-file rtoken.txt"
        ));
    }
    // SIGHUP reads these again, and stdin can be read only once.
    for (flag, path) in [
        ("--key", &args.signing.key),
        ("--rtoken-file", &args.signing.rtoken_file),
        ("--users", &args.users),
    ] {
        if path.as_deref() == Some("-") {
            anyhow::bail!(UsageError::with_hint(
                format!("{flag} - (stdin) cannot be reread on SIGHUP"),
                format!("give {flag} a file")
            ));
        }
    }
    let address = Address::parse(&args.listen)?;
    let max_ttl = duration(&args.max_ttl, "--max-ttl")?.as_secs() as i64;
    let default_ttl = duration(&args.ttl, "--ttl")?.as_secs() as i64;
    if default_ttl > max_ttl {
        anyhow::bail!(UsageError::with_hint(
            format!("--ttl {} is over --max-ttl {}", args.ttl, args.max_ttl),
            "lower --ttl, or raise --max-ttl"
        ));
    }
    let limits = ConnectionLimits {
        header_read_timeout: duration(&args.header_read_timeout, "--header-read-timeout")?,
        idle_timeout: duration(&args.idle_timeout, "--idle-timeout")?,
        max_connections: args.max_connections as usize,
        grace: duration(&args.shutdown_grace, "--shutdown-grace")?,
    };
    let request_timeout = duration(&args.request_timeout, "--request-timeout")?;
    let cors_origin = args
        .cors_origin
        .as_deref()
        .map(|origin| {
            HeaderValue::from_str(origin).map_err(|_| {
                UsageError::new(format!("--cors-origin {origin:?} is not a header value"))
            })
        })
        .transpose()?;
    let sources = Sources {
        key: args.signing.key.clone().unwrap_or_default(),
        kid: args.signing.kid.clone(),
        iss: Issuer::new(args.signing.iss.clone().unwrap_or_default()).context("--iss")?,
        rtoken: args
            .signing
            .rtoken
            .as_deref()
            .map(RoleToken::new)
            .transpose()
            .context("--rtoken (or ACJWT_RTOKEN)")?,
        rtoken_file: args.signing.rtoken_file.clone(),
        users: args.users.clone(),
        max_ttl,
        backend: args.backend.backend(),
    };
    let loaded = load(&sources, context)?;
    let access = access_token(&args, &address)?;
    let settings = Settings {
        default_ttl,
        max_ttl,
        access_token: access.token.as_deref().map(|t| auth::AccessToken::new(t)),
        host_check: matches!(address, Address::Tcp(addr) if addr.ip().is_loopback()),
        cors_origin,
        log_format: args.log_format,
        request_timeout,
    };
    // The main thread accepts, handles signals and reloads; `Workers` serve the connections.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let workers = Workers::start(cores)?;
    runtime.block_on(async move {
        let listener = Listener::bind(&address).await?;
        let announced = listener.announce()?;
        // The first stdout line, flushed at once: scripts wait for it.
        {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{announced}")
                .and_then(|()| stdout.flush())
                .context("cannot write to stdout")?;
        }
        let state = Arc::new(AppState::new(loaded, settings));
        banner(
            &listener,
            &announced,
            &address,
            &state,
            access
                .token
                .as_deref()
                .map(String::as_str)
                .filter(|_| access.generated),
        );
        let app = routes::router(state.clone());
        let format = args.log_format;
        let shutdown = signals(state, sources, format)?;
        listen::serve(listener, &workers, app, limits, format, shutdown).await;
        log::event(format, "info", "acjwt serve: stopped");
        Ok(Status::Success)
    })
}

/// The access token, and whether it was generated (and so must be shown once).
struct Access {
    token: Option<Zeroizing<String>>,
    generated: bool,
}

/// The access token from --access-token-file or the environment; on a non-loopback address
/// without one, a generated one if stderr is a terminal.
fn access_token(args: &ServeArgs, address: &Address) -> Result<Access> {
    let given = match (&args.access_token_file, std::env::var(ACCESS_TOKEN_ENV)) {
        // A file written by `echo` ends in a newline, which is not part of the token.
        (Some(path), _) => Some(Zeroizing::new(
            input::read_secret_file(path, "--access-token-file")?
                .trim()
                .to_string(),
        )),
        (None, Ok(token)) => Some(Zeroizing::new(token.trim().to_string())),
        (None, Err(_)) => None,
    };
    if let Some(token) = &given
        && token.len() < 16
    {
        anyhow::bail!(UsageError::with_hint(
            "the access token is shorter than 16 characters",
            "make one: head -c 32 /dev/urandom | base64 > access-token.txt"
        ));
    }
    if given.is_some() || address.is_local() {
        return Ok(Access {
            token: given,
            generated: false,
        });
    }
    if !std::io::stderr().is_terminal() {
        anyhow::bail!(UsageError::with_hint(
            format!(
                "--listen {} is reachable from other machines and needs an access token",
                args.listen
            ),
            "pass --access-token-file FILE (or set ACJWT_ACCESS_TOKEN); one is generated only when stderr is a terminal, so that none lands in a log"
        ));
    }
    Ok(Access {
        token: Some(
            auth::generate()
                .map_err(|err| anyhow::anyhow!("cannot generate an access token: {err}"))?,
        ),
        generated: true,
    })
}

/// The start-up banner on stderr: where it listens, how phones and emulators reach it, and
/// the two platform settings that block cleartext HTTP in development.
fn banner(
    listener: &Listener,
    announced: &str,
    address: &Address,
    state: &AppState,
    generated: Option<&str>,
) {
    let loaded = state.loaded();
    let mut out = format!(
        "acjwt serve: listening on {announced} ({}, kid {}, {} user(s))\n",
        loaded.minter.algorithm(),
        // A kid from a key file is text from outside: escaped before it reaches a terminal.
        loaded.minter.kid().unwrap_or("none").escape_debug(),
        loaded.users.len()
    );
    let port = listener.local_addr().map(|a| a.port());
    if let (Some(port), Address::Tcp(addr)) = (port, address) {
        if addr.ip().is_loopback() {
            out.push_str(&format!("  Android emulator: http://10.0.2.2:{port} (the emulator's alias for this machine's loopback)\n"));
        } else {
            for ip in lan_addresses(addr.ip()) {
                out.push_str(&format!(
                    "  on the network: http://{}\n",
                    std::net::SocketAddr::new(ip, port)
                ));
            }
            out.push_str(&format!("  Android emulator: http://10.0.2.2:{port}\n"));
            out.push_str("  warning: anyone who can reach /token gets a token for any user; keep this to your own network\n");
        }
    }
    if loaded.minter.algorithm() == Algorithm::Rs256
        && loaded.minter.backend() == Backend::RustCrypto
    {
        // A server signs whatever its callers ask for: the one setting where the rsa crate's
        // timing side channel (RUSTSEC-2023-0071, no fixed release) has an oracle to time.
        // aws-lc's RSA is blinded and constant-time.
        out.push_str("  warning: RS256 on the rustcrypto backend signs with the rsa crate, whose timing side channel (RUSTSEC-2023-0071) a caller could measure; use ES384, or the aws-lc backend (the default build)\n");
    }
    out.push_str("  Android: cleartext HTTP needs android:usesCleartextTraffic=\"true\" or a network security config (debug builds only)\n");
    out.push_str("  iOS: ATS blocks cleartext HTTP; add NSAppTransportSecurity > NSAllowsLocalNetworking in development\n");
    if let Some(token) = generated {
        out.push_str(&format!(
            "  access token (shown once, not saved): {token}\n  e.g. curl -H 'Authorization: Bearer {token}' {announced}/users\n"
        ));
    }
    let _ = std::io::stderr().lock().write_all(out.as_bytes());
}

/// This machine's non-loopback addresses, for a bind on every interface (or just the one).
fn lan_addresses(bound: IpAddr) -> Vec<IpAddr> {
    if !bound.is_unspecified() {
        return vec![bound];
    }
    let mut found: Vec<IpAddr> = if_addrs::get_if_addrs()
        .map(|interfaces| interfaces.into_iter().map(|i| i.ip()).collect())
        .unwrap_or_default();
    found.retain(|ip| !ip.is_loopback() && ip.is_ipv4() == bound.is_ipv4());
    found.sort();
    found.dedup();
    found
}

/// Resolves on SIGINT or SIGTERM; reloads on SIGHUP meanwhile.
fn signals(
    state: Arc<AppState>,
    sources: Sources,
    format: LogFormat,
) -> Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    let mut hangup = signal(SignalKind::hangup()).context("cannot handle SIGHUP")?;
    let context = Context { interactive: false };
    let sources = Arc::new(sources);
    Ok(async move {
        loop {
            tokio::select! {
                _ = interrupt.recv() => break,
                _ = terminate.recv() => break,
                _ = hangup.recv() => {
                    // Reading files blocks: on a blocking thread, while connections are
                    // still accepted and served.
                    let sources = sources.clone();
                    let result = tokio::task::spawn_blocking(move || load(&sources, context))
                        .await
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("the reload panicked")));
                    match result {
                        Ok(loaded) => {
                            state.replace(loaded);
                            log::event(format, "info", "acjwt serve: reloaded the key, the role token and the users");
                        }
                        Err(err) => log::event(
                            format,
                            "error",
                            &format!("reload failed, still serving the previous set: {err:#}"),
                        ),
                    }
                }
            }
        }
        log::event(format, "info", "acjwt serve: shutting down");
    })
}
