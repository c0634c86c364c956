//! The HTTP interface: the router and its layers (read it as the README's endpoint table),
//! small handlers over the library, and the one place errors become statuses.
//!
//! The JSON documents are the CLI's own: `/token` answers with `mint --json`'s document,
//! `/verify`, `/explain` and `/decode` with `verify --json`, `explain --json` and
//! `decode --json`, built by the same functions, so the server and the CLI cannot drift.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use acjwt::backend::Keyring;
use acjwt::claims::{self, MintError, Rules};
use acjwt::hazmat::Defect;
use acjwt::jws::Token;
use acjwt::matching::{
    Field, FieldValue, Matching, MatchingError, MatchingInput, Mode, Requirement, Unmet,
};
use acjwt::mint::{Expiry, Minter};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use tower::ServiceBuilder;
use tower_http::cors::CorsLayer;
use tower_http::timeout::TimeoutLayer;

use super::super::decode::Decoded;
use super::super::{
    explain as explain_cli, input, matching as matching_cli, mint as mint_cli, verify as verify_cli,
};
use super::auth::{self, AccessToken};
use super::log::{self, LogFormat};
use super::metrics::Metrics;
use super::page;
use super::users::Users;

/// The largest request body: a token at the 64 KiB token limit, plus room for
/// `{"token": ...}`, so such a token gets the token error rather than a 413.
pub const BODY_LIMIT: usize = acjwt::jws::MAX_TOKEN_LEN + 1024;

/// Every route, for metric and log labels (`&'static`, and never a raw path).
const ROUTES: [&str; 16] = [
    "/healthz",
    "/token",
    "/token/{user}",
    "/users",
    "/modes",
    "/.well-known/jwks.json",
    "/verify",
    "/explain",
    "/decode",
    "/metrics",
    // The workbench page (`page`).
    "/",
    "/app.css",
    "/app.js",
    "/favicon.svg",
    "/favicon.ico",
    "/qr",
];

/// What SIGHUP replaces as one unit: the key (as minter and keyring), the role token inside
/// the minter, and the users.
pub struct Loaded {
    pub minter: Minter,
    pub keyring: Keyring,
    pub users: Users,
}

/// Fixed for the life of the process.
pub struct Settings {
    pub default_ttl: i64,
    pub max_ttl: i64,
    pub access_token: Option<AccessToken>,
    /// The Host check against DNS rebinding: on for loopback TCP binds.
    pub host_check: bool,
    pub cors_origin: Option<HeaderValue>,
    pub log_format: LogFormat,
    pub request_timeout: Duration,
}

/// The one state every handler shares.
pub struct AppState {
    loaded: RwLock<Arc<Loaded>>,
    pub settings: Settings,
    pub metrics: Metrics,
}

impl AppState {
    pub fn new(loaded: Loaded, settings: Settings) -> AppState {
        AppState {
            loaded: RwLock::new(Arc::new(loaded)),
            settings,
            metrics: Metrics::default(),
        }
    }

    /// The current key, role token and users; a request keeps the set it started with.
    pub fn loaded(&self) -> Arc<Loaded> {
        self.loaded
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Swaps in a reloaded set (SIGHUP).
    pub fn replace(&self, loaded: Loaded) {
        *self.loaded.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(loaded);
    }
}

type Shared = Arc<AppState>;

/// The router: the endpoint table, then the layers every route goes through, outermost
/// first.
pub fn router(state: Shared) -> Router {
    let cors = state.settings.cors_origin.clone().map(|origin| {
        CorsLayer::new()
            .allow_origin(origin)
            .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
    });
    Router::new()
        .route("/healthz", get(healthz))
        .route("/token", get(token_from_query).post(token_from_body))
        .route("/token/{user}", get(token_for_user))
        .route("/users", get(users))
        .route("/modes", get(modes))
        .route("/.well-known/jwks.json", get(jwks))
        .route("/verify", post(verify))
        .route("/explain", post(explain))
        .route("/decode", post(decode))
        .route("/metrics", get(metrics))
        .route("/", get(page::index))
        .route("/app.css", get(page::app_css))
        .route("/app.js", get(page::app_js))
        .route("/favicon.svg", get(page::favicon))
        .route("/favicon.ico", get(page::favicon))
        .route("/qr", post(page::qr))
        .fallback(|| async { status_error(StatusCode::NOT_FOUND) })
        .layer(
            ServiceBuilder::new()
                // Outermost, so the log line and the metrics see the final status.
                .layer(from_fn_with_state(state.clone(), observe))
                // Every error below, the timeout's 408 included, gets the JSON shape.
                .layer(from_fn(json_errors))
                .layer(from_fn(header_limits))
                // A handler and the body it reads finish in time, or 408.
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    state.settings.request_timeout,
                ))
                // Before CORS: a DNS-rebinding page gets nothing, not even a preflight.
                .layer(from_fn_with_state(state.clone(), host_check))
                // Before the access token: a preflight carries no Authorization header.
                .option_layer(cors)
                .layer(from_fn_with_state(state.clone(), access_token)),
        )
        .with_state(state)
}

// --- Errors -----------------------------------------------------------------------------

/// An error response: `{"error": {"code", "message", "hint"}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    hint: Option<String>,
}

impl ApiError {
    pub(super) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub(super) fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub(super) fn hint(mut self, hint: impl Into<String>) -> ApiError {
        self.hint = Some(hint.into());
        self
    }

    /// The JSON body, for responses written outside the router (the connection cap).
    pub fn body(&self) -> String {
        json!({"error": {"code": self.code, "message": self.message, "hint": self.hint}})
            .to_string()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            self.body(),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"acjwt\""),
            );
        }
        response
    }
}

/// The error for a bare status: what the router, the body limit, the timeouts and the
/// connection cap produce without a body of their own.
pub fn status_error(status: StatusCode) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ApiError::new(status, "not_found", "no such endpoint")
            .hint("the endpoints: /healthz, /token, /token/{user}, /users, /modes, /.well-known/jwks.json, /verify, /explain, /decode, /metrics"),
        StatusCode::METHOD_NOT_ALLOWED => {
            ApiError::new(status, "method_not_allowed", "this endpoint does not take that method")
                .hint("/verify, /explain and /decode take POST; /token takes GET or POST; the rest GET")
        }
        StatusCode::REQUEST_TIMEOUT => {
            ApiError::new(status, "request_timeout", "the request took too long to arrive or to answer")
        }
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            status,
            "payload_too_large",
            format!("the request body is over {BODY_LIMIT} bytes"),
        )
        .hint("a token is at most 65536 bytes"),
        StatusCode::SERVICE_UNAVAILABLE => ApiError::new(
            status,
            "unavailable",
            "the server is at its connection limit",
        )
        .hint("retry shortly, or raise --max-connections"),
        other => ApiError::new(
            other,
            "http_error",
            other.canonical_reason().unwrap_or("error").to_lowercase(),
        ),
    }
}

fn matching_error(err: MatchingError) -> ApiError {
    ApiError::bad_request("matching_invalid", err.to_string())
        .hint("GET /modes lists the modes and the fields each needs")
}

fn mint_error(err: MintError) -> ApiError {
    match err {
        MintError::PayloadTooLarge { .. } => {
            ApiError::bad_request("payload_too_large", err.to_string())
                .hint("shorten the matching object's values")
        }
        MintError::Jws(err) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "signing_failed",
            err.to_string(),
        ),
        other => ApiError::bad_request("mint_refused", other.to_string()),
    }
}

// --- Middleware -------------------------------------------------------------------------

/// Logs one line and counts the request, by route template and final status.
async fn observe(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|path| ROUTES.iter().find(|r| **r == path.as_str()))
        .copied()
        .unwrap_or("<unmatched>");
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    state.metrics.request(route, status, elapsed);
    log::request(
        state.settings.log_format,
        method.as_str(),
        route,
        status,
        elapsed,
    );
    response
}

/// Gives every error the JSON shape, whoever produced it (a 405 from the router, a 413 from
/// the body limit, a 408 from a timeout).
async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, _) = response.into_parts();
    let mut replaced = status_error(status).into_response();
    for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(value) = parts.headers.get(&name) {
            replaced.headers_mut().insert(name, value.clone());
        }
    }
    replaced
}

/// The request line and headers acjwt answers with its JSON 431 beyond. hyper's own limits
/// (`listen::BUF_SIZE` bytes, `listen::MAX_HEADERS` headers) stay above these: what crosses
/// them gets hyper's bare 431 and a closed connection, since hyper answers before a request
/// exists. Between the two, a client with an oversized cookie gets the usual error document.
pub(super) const MAX_HEADER_BYTES: usize = 16 * 1024;
/// See [`MAX_HEADER_BYTES`].
pub(super) const MAX_HEADER_COUNT: usize = 48;

async fn header_limits(request: Request, next: Next) -> Response {
    let headers = request.headers();
    // As on the wire: "name: value\r\n" per header, after the request target.
    let bytes = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len())
        + headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 4)
            .sum::<usize>();
    if bytes > MAX_HEADER_BYTES || headers.len() > MAX_HEADER_COUNT {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!(
                "the request target and headers are {bytes} bytes in {} headers; the limit is {MAX_HEADER_BYTES} bytes in {MAX_HEADER_COUNT} headers",
                headers.len()
            ),
        )
        .hint("send fewer or shorter headers (cookies for other sites?); a token goes in the body of POST /verify")
        .into_response();
    }
    next.run(request).await
}

async fn host_check(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(HeaderValue::as_bytes);
    if state.settings.host_check && !auth::host_allowed(host) {
        return ApiError::bad_request(
            "host_not_allowed",
            "the Host header names neither a loopback host nor an IP address",
        )
        .hint("use http://127.0.0.1:PORT or http://localhost:PORT; for other hosts, --listen 0.0.0.0:PORT with an access token")
        .into_response();
    }
    next.run(request).await
}

async fn access_token(State(state): State<Shared>, request: Request, next: Next) -> Response {
    if let Some(token) = &state.settings.access_token
        && !auth::PUBLIC_PATHS.contains(&request.uri().path())
        && !token.accepts(
            request
                .headers()
                .get(header::AUTHORIZATION)
                .map(HeaderValue::as_bytes),
        )
    {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this endpoint needs Authorization: Bearer <access token>",
        )
        .hint("send the token from --access-token-file (or ACJWT_ACCESS_TOKEN)")
        .into_response();
    }
    next.run(request).await
}

// --- Request parts ----------------------------------------------------------------------

/// The query's parameters, each at most once and each one of `allowed`.
fn query_params(
    query: Option<&str>,
    allowed: &[&str],
) -> Result<BTreeMap<String, String>, ApiError> {
    let mut params = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if !allowed.contains(&name.as_ref()) {
            return Err(ApiError::bad_request(
                "unknown_parameter",
                format!("unknown query parameter {name:?}"),
            )
            .hint(format!("this endpoint takes {}", allowed.join(", "))));
        }
        if params
            .insert(name.to_string(), value.into_owned())
            .is_some()
        {
            return Err(ApiError::bad_request(
                "repeated_parameter",
                format!("query parameter {name} is given more than once"),
            ));
        }
    }
    Ok(params)
}

/// Reads the whole body (at most [`BODY_LIMIT`]: over it is a 413). A client that stops
/// sending runs into the request timeout, a 408.
pub(super) async fn read_body(body: Body) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|err| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
        while let Some(cause) = source {
            if cause.is::<http_body_util::LengthLimitError>() {
                return status_error(StatusCode::PAYLOAD_TOO_LARGE);
            }
            source = cause.source();
        }
        ApiError::bad_request("bad_body", "cannot read the request body")
    })
}

enum BodyKind {
    Text,
    Json,
}

fn body_kind(headers: &HeaderMap, allow_text: bool) -> Result<BodyKind, ApiError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    match media.as_deref() {
        Some("application/json") => Ok(BodyKind::Json),
        None | Some("text/plain") if allow_text => Ok(BodyKind::Text),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            if allow_text {
                "the body must be text/plain (the token) or application/json ({\"token\": ...})"
            } else {
                "the body must be application/json"
            },
        )
        .hint("set the Content-Type header")),
    }
}

fn parse_json<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ApiError> {
    // The rule the CLI applies to what it is given to sign: a member given twice is refused,
    // never resolved last-wins.
    if let Some(name) = acjwt::jws::duplicate_members(bytes).into_iter().next() {
        return Err(ApiError::bad_request(
            "duplicate_member",
            format!("the JSON body has the member {name:?} more than once"),
        ));
    }
    // serde_json stops at 128 levels of nesting by itself.
    serde_json::from_slice(bytes)
        .map_err(|err| ApiError::bad_request("invalid_json", format!("the JSON body: {err}")))
}

/// The token of a `/verify`, `/explain` or `/decode` request, cleaned as the CLI cleans one.
async fn token_text(headers: &HeaderMap, body: Body) -> Result<String, ApiError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct TokenBody {
        token: String,
    }
    let kind = body_kind(headers, true)?;
    let bytes = read_body(body).await?;
    let text = match kind {
        // Not UTF-8 is a malformed token to report, as the CLI reports it.
        BodyKind::Text => String::from_utf8_lossy(&bytes).into_owned(),
        BodyKind::Json => parse_json::<TokenBody>(&bytes)?.token,
    };
    Ok(input::clean_token(&text).to_string())
}

/// A `ttl`: a duration within `--max-ttl`.
fn ttl(text: Option<&str>, fallback: i64, max: i64) -> Result<i64, ApiError> {
    let Some(text) = text else {
        return Ok(fallback);
    };
    let seconds = claims::parse_duration(text).map_err(|err| {
        ApiError::bad_request("invalid_ttl", format!("ttl: {err}")).hint("e.g. ttl=30s, 15m, 1h")
    })?;
    if seconds <= 0 {
        return Err(ApiError::bad_request("invalid_ttl", "ttl must be positive"));
    }
    if seconds > max {
        return Err(ApiError::bad_request(
            "ttl_too_long",
            format!(
                "ttl {text} is over the server's --max-ttl ({})",
                claims::human_duration(max)
            ),
        )
        .hint("ask for a shorter ttl, or start the server with a larger --max-ttl"));
    }
    Ok(seconds)
}

/// The query parameters of `GET /token`: `matching build`'s flags in snake_case, and `ttl`.
const TOKEN_PARAMS: [&str; 11] = {
    let mut params = ["ttl"; 11];
    let mut i = 0;
    while i < matching_cli::FLAG_IDS.len() {
        params[i] = matching_cli::FLAG_IDS[i];
        i += 1;
    }
    params
};

/// A matching object from query parameters, checked as `matching build` checks its flags.
fn matching_from_params(params: &BTreeMap<String, String>) -> Result<Matching, ApiError> {
    let mode = params
        .get("mode")
        .map(|name| Mode::from_name(name).ok_or_else(|| MatchingError::UnknownMode(name.clone())))
        .transpose()
        .map_err(matching_error)?;
    let db_id = params
        .get("db_id")
        .map(|text| {
            text.parse::<u64>()
                .map_err(|_| MatchingError::BadDbId(text.clone()))
        })
        .transpose()
        .map_err(matching_error)?;
    let mut identifiers = BTreeMap::new();
    for field in Field::ALL {
        if field != Field::FieldValue
            && let Some(value) = params.get(field.key())
        {
            identifiers.insert(field, value.clone());
        }
    }
    let field_value = match (params.get("field_value"), params.get("field_value_int")) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "conflicting_parameters",
                "give field_value or field_value_int, not both",
            ));
        }
        (Some(text), None) => Some(FieldValue::Text(text.clone())),
        (None, Some(text)) => Some(FieldValue::Integer(
            text.parse()
                .map_err(|_| matching_error(MatchingError::BadFieldValue))?,
        )),
        (None, None) => None,
    };
    let input = MatchingInput {
        db_id,
        mode,
        identifiers,
        field_value,
    };
    let mut missing: Vec<String> = Vec::new();
    if input.mode.is_none() {
        missing.push("mode".into());
    }
    if input.db_id.is_none() {
        missing.push("db_id".into());
    }
    match input.unmet() {
        Some(Unmet::All(fields)) => missing.extend(fields.iter().map(|f| f.key().to_string())),
        Some(Unmet::OneOf(fields)) => missing.push(
            fields
                .iter()
                .map(|f| f.key())
                .collect::<Vec<_>>()
                .join(" or "),
        ),
        None => {}
    }
    if !missing.is_empty() {
        return Err(ApiError::bad_request(
            "missing_parameter",
            format!("missing matching parameters: {}", missing.join(", ")),
        )
        .hint("e.g. /token?mode=email&db_id=2&email=a@example.com; GET /modes lists each mode's fields"));
    }
    input.build().map_err(matching_error)
}

/// Whether the client asked for the bare token: `Accept: text/plain` first.
fn wants_text(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|first| {
            first
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .eq_ignore_ascii_case("text/plain")
        })
}

/// Mints and answers: `mint --json`'s document, or the bare token.
fn issue(
    state: &AppState,
    loaded: &Loaded,
    headers: &HeaderMap,
    matching: &Matching,
    ttl: i64,
    user: Option<&str>,
    defect: Option<Defect>,
) -> Result<Response, ApiError> {
    let now = super::super::now();
    let expiry = Expiry::Ttl(ttl);
    let minted = match defect {
        None => loaded.minter.mint(matching, expiry, now),
        Some(defect) => defect.mint(&loaded.minter, matching, expiry, now),
    }
    .map_err(mint_error)?;
    state.metrics.token_issued(matching.mode.name(), user);
    if wants_text(headers) {
        return Ok((
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            minted.token,
        )
            .into_response());
    }
    let mut document = mint_cli::minted_json(
        &minted.token,
        minted.alg,
        minted.kid.as_deref(),
        minted.exp,
        matching,
    );
    if let (Some(defect), Some(object)) = (defect, document.as_object_mut()) {
        object.insert("defect".into(), defect.name().into());
    }
    Ok(json_response(&document))
}

pub(super) fn json_response(value: &Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

// --- Handlers ---------------------------------------------------------------------------

async fn healthz(State(state): State<Shared>) -> Response {
    let loaded = state.loaded();
    json_response(&json!({
        "status": "ok",
        "alg": loaded.minter.algorithm().name(),
        "kid": loaded.minter.kid(),
    }))
}

async fn token_from_query(
    State(state): State<Shared>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = query_params(query.as_deref(), &TOKEN_PARAMS)?;
    let matching = matching_from_params(&params)?;
    let settings = &state.settings;
    let ttl = ttl(
        params.get("ttl").map(String::as_str),
        settings.default_ttl,
        settings.max_ttl,
    )?;
    issue(
        &state,
        &state.loaded(),
        &headers,
        &matching,
        ttl,
        None,
        None,
    )
}

async fn token_from_body(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct TokenRequest {
        /// The object, or its JSON text (as `mint --matching` takes it).
        matching: Value,
        ttl: Option<String>,
    }
    body_kind(&headers, false)?;
    let request: TokenRequest = parse_json(&read_body(body).await?)?;
    let matching = match &request.matching {
        Value::String(text) => Matching::parse(text),
        other => Matching::from_value(other),
    }
    .map_err(matching_error)?;
    let settings = &state.settings;
    let ttl = ttl(
        request.ttl.as_deref(),
        settings.default_ttl,
        settings.max_ttl,
    )?;
    issue(
        &state,
        &state.loaded(),
        &headers,
        &matching,
        ttl,
        None,
        None,
    )
}

async fn token_for_user(
    State(state): State<Shared>,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = query_params(query.as_deref(), &["ttl", "defect"])?;
    let loaded = state.loaded();
    let Some(user) = loaded.users.get(&name) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_user",
            format!("no user {name:?}"),
        )
        .hint("GET /users lists the users of --users FILE"));
    };
    let defect = params
        .get("defect")
        .map(|name| {
            name.parse::<Defect>()
                .map_err(|err| ApiError::bad_request("unknown_defect", err.to_string()))
        })
        .transpose()?;
    let settings = &state.settings;
    let fallback = user.ttl.unwrap_or(settings.default_ttl);
    let ttl = ttl(
        params.get("ttl").map(String::as_str),
        fallback,
        settings.max_ttl,
    )?;
    issue(
        &state,
        &loaded,
        &headers,
        &user.matching,
        ttl,
        Some(&name),
        defect,
    )
}

async fn users(State(state): State<Shared>) -> Response {
    let loaded = state.loaded();
    let users: Vec<Value> = loaded
        .users
        .iter()
        .map(|(name, user)| {
            json!({
                "name": name,
                "matching": user.matching.to_value(),
                "ttl": user.ttl.unwrap_or(state.settings.default_ttl),
                "url": format!("/token/{name}"),
            })
        })
        .collect();
    json_response(&json!({ "users": users }))
}

async fn modes() -> Response {
    let modes: Vec<Value> = Mode::ALL
        .iter()
        .map(|mode| {
            let requirement = mode.requirement();
            json!({
                "name": mode.name(),
                "description": mode.description(),
                "needs": mode.requirement_text(),
                "fields": requirement.fields().iter().map(|f| f.key()).collect::<Vec<_>>(),
                "requires": match requirement {
                    Requirement::All(_) => "all",
                    Requirement::AnyOf(_) => "any",
                },
            })
        })
        .collect();
    let defects: Vec<Value> = Defect::ALL
        .iter()
        .map(|d| json!({"name": d.name(), "code": d.code().as_str(), "description": d.description()}))
        .collect();
    json_response(&json!({ "modes": modes, "defects": defects }))
}

async fn jwks(State(state): State<Shared>) -> Response {
    let loaded = state.loaded();
    let mut jwk = acjwt::keys::Jwk::from_public(loaded.minter.public_key());
    jwk.kid = loaded.minter.kid().map(String::from);
    json_response(&json!({ "keys": [jwk] }))
}

/// What /verify, /explain and /decode judge by: the defaults of the CLI's `--at` and
/// `--leeway`, i.e. now and no leeway, with the Altcraft rules.
fn clock() -> Rules {
    Rules {
        now: super::super::now(),
        leeway: 0,
        altcraft: true,
    }
}

async fn verify(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let text = token_text(&headers, body).await?;
    let verdict = acjwt::verify::verify_token(&text, &state.loaded().keyring, &clock());
    Ok(json_response(&verify_cli::verdict_json(&verdict)))
}

async fn explain(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let text = token_text(&headers, body).await?;
    let loaded = state.loaded();
    let report = acjwt::explain::explain(&text, Some(loaded.keyring.file()), &clock());
    Ok(json_response(&explain_cli::report_json(&report)))
}

async fn decode(headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let text = token_text(&headers, body).await?;
    let rules = clock();
    let token_error = |err: acjwt::jws::JwsError| {
        ApiError::bad_request(err.code().as_str(), err.to_string())
            .hint("POST /explain says what is wrong with it")
    };
    let token = Token::parse(&text).map_err(token_error)?;
    let decoded = Decoded::new(&token, &rules).map_err(|err| {
        match err.downcast::<acjwt::jws::JwsError>() {
            Ok(err) => token_error(err),
            Err(err) => ApiError::bad_request("malformed", format!("{err:#}")),
        }
    })?;
    Ok(json_response(&decoded.to_json(rules.now)))
}

async fn metrics(State(state): State<Shared>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}
