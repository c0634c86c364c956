//! One line per request on stderr, and the server's own events.
//!
//! A request line holds the method, the route template (`/token/{user}`: never the path
//! itself, whose query holds emails and phones, nor the user), the status and the duration;
//! nothing from headers or bodies, so no token, role token or access token can reach it.

use std::os::fd::AsFd as _;
use std::time::Duration;

use serde_json::json;

/// `--log-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// `GET /token/{user} 200 0.4ms`
    Text,
    /// `{"time":..., "method":"GET", "route":"/token/{user}", "status":200, "duration_ms":0.4}`
    Json,
}

fn now_utc() -> String {
    jiff::Timestamp::now().to_string()
}

fn line(text: &str) {
    // One write(2) per line, so lines from parallel requests never interleave (a pipe keeps
    // writes under PIPE_BUF whole, an O_APPEND file appends each at the end), and without
    // std's stderr lock, which would make the threads serving requests queue for each other.
    let line = format!("{text}\n");
    let stderr = std::io::stderr();
    let mut bytes = line.as_bytes();
    while !bytes.is_empty() {
        match rustix::io::write(stderr.as_fd(), bytes) {
            Ok(0) | Err(_) => return,
            Ok(n) => bytes = &bytes[n..],
        }
    }
}

/// The request line.
pub fn request(format: LogFormat, method: &str, route: &str, status: u16, elapsed: Duration) {
    let millis = elapsed.as_secs_f64() * 1000.0;
    match format {
        LogFormat::Text => line(&format!("{method} {route} {status} {millis:.1}ms")),
        LogFormat::Json => line(
            &json!({
                "time": now_utc(),
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": (millis * 1000.0).round() / 1000.0,
            })
            .to_string(),
        ),
    }
}

/// A server event (reload, shutdown) at `level` (`info` or `error`).
pub fn event(format: LogFormat, level: &str, message: &str) {
    match format {
        LogFormat::Text if level == "info" => line(message),
        LogFormat::Text => line(&format!("{level}: {message}")),
        LogFormat::Json => {
            line(&json!({"time": now_utc(), "level": level, "message": message}).to_string())
        }
    }
}
