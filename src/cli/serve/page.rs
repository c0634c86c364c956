//! The workbench page: one HTML page with its stylesheet, script and icon, compiled into the
//! binary, and the QR endpoint it draws codes from.
//!
//! The page adds no logic of its own: it calls the same JSON endpoints as scripts (`/users`,
//! `/modes`, `/token`, `/decode`, `/explain`, `/verify`), so what it shows is what the CLI
//! says. Its files are public (like `/healthz`: they hold no secret, and the page must load to
//! ask for the access token); `/qr` is an API endpoint and needs the access token like the
//! others, because what it encodes is a token.
//!
//! Every static response carries `Content-Security-Policy: default-src 'self'`: no inline
//! script, no other host, so a token whose claims hold HTML can at worst show as text (the
//! script inserts everything with `textContent`, and the tests check it).

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use qrcode::{EcLevel, QrCode};
use serde_json::json;

use super::routes::{ApiError, json_response, read_body};

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_CSS: &str = include_str!("page/app.css");
const APP_JS: &str = include_str!("page/app.js");
const FAVICON_SVG: &str = include_str!("page/favicon.svg");

/// The page's static files: public, see the module docs.
/// The most a QR code holds: version 40, error correction L, byte mode.
pub const QR_MAX_BYTES: usize = 2953;

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // The files are in the binary: a new binary is a new page, so no stale caches.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

pub async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

pub async fn app_css() -> Response {
    asset("text/css; charset=utf-8", APP_CSS)
}

pub async fn app_js() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

pub async fn favicon() -> Response {
    asset("image/svg+xml", FAVICON_SVG)
}

/// `POST /qr` with the text to encode as the body (`text/plain`): the QR code's modules as
/// `{"size": N, "rows": ["1010…", …]}` (dark is `1`), which the page draws as SVG. Over
/// [`QR_MAX_BYTES`] is a 400 `qr_too_large`.
pub async fn qr(headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
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
    if !matches!(media.as_deref(), None | Some("text/plain")) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the body must be text/plain (the text to encode)",
        )
        .hint("set the Content-Type header"));
    }
    let data = read_body(body).await?;
    let too_large = || {
        ApiError::bad_request(
            "qr_too_large",
            format!(
                "{} bytes do not fit in a QR code (at most {QR_MAX_BYTES})",
                data.len()
            ),
        )
        .hint("copy the token instead, or scan the QR code of the token URL")
    };
    if data.is_empty() {
        return Err(ApiError::bad_request("empty", "nothing to encode"));
    }
    if data.len() > QR_MAX_BYTES {
        return Err(too_large());
    }
    let code = QrCode::with_error_correction_level(&data, EcLevel::L).map_err(|_| too_large())?;
    let size = code.width();
    let modules = code.to_colors();
    let rows: Vec<String> = modules
        .chunks(size)
        .map(|row| {
            row.iter()
                .map(|&color| {
                    if color == qrcode::Color::Dark {
                        '1'
                    } else {
                        '0'
                    }
                })
                .collect()
        })
        .collect();
    Ok(json_response(&json!({ "size": size, "rows": rows })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_byte_payload_fits_and_one_more_does_not() {
        let fits = vec![b'~'; QR_MAX_BYTES];
        assert!(QrCode::with_error_correction_level(&fits, EcLevel::L).is_ok());
        let over = vec![b'~'; QR_MAX_BYTES + 1];
        assert!(QrCode::with_error_correction_level(&over, EcLevel::L).is_err());
    }

    #[test]
    fn the_page_loads_only_its_own_files() {
        for needle in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!APP_JS.contains(needle), "app.js contains {needle}");
        }
        for needle in [
            "<script>", "style=", "http://", "https://", " onclick", " onload",
        ] {
            assert!(
                !INDEX_HTML.contains(needle),
                "index.html contains {needle:?}"
            );
        }
    }
}
