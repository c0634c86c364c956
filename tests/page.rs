//! The workbench page of `acjwt serve`, in a real browser: the real server on a free port,
//! and `tests/page/page_test.py` driving Debian's headless Chromium through selenium (both
//! from scripts/provision-peers.sh). The script prints one `PASS <check>` line per check; each
//! test names the checks it needs, so a check that silently stopped running fails too. No
//! timed assertions: the script's waits are generous upper bounds. Missing chromium,
//! chromedriver or selenium fails the test, never skips it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::server::{self, Server};
use crate::common::{TestEnv, python};

const RTOKEN: &str = "rt-page-secret-4242";
const ACCESS_TOKEN: &str = "page-access-token-0123456789";
const HTML_ISS: &str = "<img src=x onerror=alert(1)>";

fn setup(env: &TestEnv) {
    server::setup(env, "ES384", RTOKEN);
}

/// Where the script writes its screenshots: `target/tmp/page-screenshots/`.
fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("page-screenshots")
}

/// Runs the selenium script and returns its stdout; fails the test with everything the
/// script and the server printed unless it passed every check in `expected`.
fn run_script(server: &Server, args: &[&str], expected: &[&str]) -> String {
    for program in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
        assert!(
            Path::new(program).exists(),
            "{program} is missing: run scripts/provision-peers.sh (as root it installs chromium and chromium-driver)"
        );
    }
    let output = Command::new(python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/page/page_test.py"))
        .args(args)
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .expect("run tests/page/page_test.py");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let report = || {
        format!(
            "page_test.py {args:?} ({}):\nstdout:\n{stdout}\nstderr:\n{}\nserver stderr:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr),
            server.stderr()
        )
    };
    assert!(output.status.success(), "{}", report());
    // Shown with --nocapture: which checks ran.
    println!("{stdout}");
    for check in expected {
        assert!(
            stdout.lines().any(|line| line == format!("PASS {check}")),
            "check {check} did not pass; {}",
            report()
        );
    }
    stdout
}

#[test]
fn the_page_in_chromium() {
    let env = TestEnv::new();
    setup(&env);
    // A token whose iss is markup, signed by the server's key: the page must show it as text.
    let minted = env
        .acjwt()
        .args([
            "mint",
            "--key",
            "server.key",
            "--iss",
            HTML_ISS,
            "--rtoken",
            RTOKEN,
        ])
        .args([
            "--matching",
            r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#,
        ])
        .output()
        .expect("run acjwt mint");
    assert!(minted.status.success(), "{minted:?}");
    let html_token = String::from_utf8(minted.stdout).expect("utf-8");
    let html_token = html_token.trim();
    let server = Server::start(&env, &["--listen", "127.0.0.1:0"]);
    let out = screenshot_dir();
    run_script(
        &server,
        &[
            "main",
            &server.url,
            out.to_str().expect("utf-8 path"),
            html_token,
            RTOKEN,
        ],
        &[
            "users_listed",
            "user_matching_shown",
            "minted_token_verifies_with_pyjwt_and_the_jwks",
            "countdown_shown",
            "countdown_is_live",
            "keyboard_tab_and_enter_mint",
            "token_url_shown",
            "qr_codes_scan_as_the_token_and_its_url",
            "copy_falls_back_to_selecting",
            "explain_accepts_an_authorization_line",
            "clean_token_folds_its_findings",
            "findings_grouped_as_explain_groups_them",
            "rtoken_masked",
            "rtoken_revealed_on_request",
            "matching_object_unpacked",
            "live_expiry",
            "tampered_token_shows_bad_signature",
            "html_in_claims_shows_as_text",
            "mode_form_refuses_a_missing_field",
            "mode_form_fields_follow_the_mode",
            "mode_form_mints",
            "dense_qr_codes_scan",
            "defects_listed",
            "defects_say_what_the_app_should_do",
            "oversized_token_gets_the_qr_fallback",
            "expired_defect_counts_up",
            "defect_token_explained",
            "snippets_point_at_this_server",
            "every_input_is_labelled",
            "screenshots_light_dark_desktop_phone",
            "no_console_errors",
            "requests_only_to_the_server",
        ],
    );
    for scheme in ["light", "dark"] {
        for form in ["desktop", "phone"] {
            let path = out.join(format!("page-{scheme}-{form}.png"));
            let bytes =
                std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            assert!(
                bytes.starts_with(b"\x89PNG"),
                "{} is no PNG",
                path.display()
            );
        }
    }
    // The server logged the page's requests like any others, and never a token.
    let log = server.stderr();
    assert!(log.contains("GET / 200"), "{log}");
    assert!(!log.contains(RTOKEN) && !log.contains("eyJ"), "{log}");
}

#[test]
fn the_access_token_comes_from_the_fragment_or_is_asked_once() {
    let env = TestEnv::new();
    setup(&env);
    env.write("access.txt", format!("{ACCESS_TOKEN}\n"));
    // A network bind, reached over loopback: every API call needs the access token.
    let server = Server::start(
        &env,
        &["--listen", "0.0.0.0:0", "--access-token-file", "access.txt"],
    );
    run_script(
        &server,
        &[
            "access",
            &server.url,
            screenshot_dir().to_str().expect("utf-8 path"),
            ACCESS_TOKEN,
        ],
        &[
            "page_asks_for_the_access_token",
            "access_token_typed_once_lists_users",
            "fragment_token_kept_for_the_tab_and_cleared_from_the_url",
            "mint_and_qr_with_the_access_token",
            "token_survives_a_reload_of_the_tab",
            "snippets_send_the_access_token_without_embedding_it",
            "no_console_errors",
            "requests_only_to_the_server",
            "the_fragment_never_reaches_the_server",
            "api_needs_the_token_static_files_do_not",
        ],
    );
    assert!(!server.stderr().contains(ACCESS_TOKEN));
}

/// A plain HTTP request: status, headers, body.
fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Vec<(String, String)>, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let response = if method == "GET" {
        let mut request = agent.get(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.call()
    } else {
        let mut request = agent.post(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send(body)
    };
    let mut response = response.unwrap_or_else(|err| panic!("{method} {url}: {err}"));
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let status = response.status().as_u16();
    (
        status,
        headers,
        response.body_mut().read_to_string().expect("body"),
    )
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn the_page_files_are_public_and_locked_down_and_qr_needs_the_token() {
    let env = TestEnv::new();
    setup(&env);
    env.write("access.txt", format!("{ACCESS_TOKEN}\n"));
    let server = Server::start(
        &env,
        &["--listen", "0.0.0.0:0", "--access-token-file", "access.txt"],
    );
    for (path, media) in [
        ("/", "text/html"),
        ("/app.css", "text/css"),
        ("/app.js", "text/javascript"),
        ("/favicon.svg", "image/svg+xml"),
        ("/favicon.ico", "image/svg+xml"),
    ] {
        // No access token needed: the page must load to ask for it.
        let (status, headers, body) = http("GET", &format!("{}{path}", server.url), &[], "");
        assert_eq!(status, 200, "{path}: {body}");
        assert!(
            header(&headers, "content-type").is_some_and(|v| v.starts_with(media)),
            "{path}: {headers:?}"
        );
        let csp = header(&headers, "content-security-policy").unwrap_or_default();
        assert!(csp.starts_with("default-src 'self'"), "{path}: {csp}");
        assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));
        assert_eq!(header(&headers, "referrer-policy"), Some("no-referrer"));
    }
    let (_, _, html) = http("GET", &format!("{}/", server.url), &[], "");
    assert!(html.contains(r#"<script src="/app.js" defer></script>"#));

    let qr = format!("{}/qr", server.url);
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    let text = [("Content-Type", "text/plain")];
    let authed = [("Content-Type", "text/plain"), ("Authorization", &bearer)];
    let (status, headers, _) = http("POST", &qr, &text, "hello");
    assert_eq!(status, 401);
    assert!(header(&headers, "www-authenticate").is_some());

    // The largest QR code (version 40, 177 modules), and one byte more.
    let (status, _, body) = http("POST", &qr, &authed, &"~".repeat(2953));
    assert_eq!(status, 200, "{body}");
    let doc: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(doc["size"], 177);
    let rows = doc["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 177);
    assert!(rows.iter().all(|row| {
        row.as_str()
            .is_some_and(|r| r.len() == 177 && r.bytes().all(|b| b == b'0' || b == b'1'))
    }));
    let (status, _, body) = http("POST", &qr, &authed, &"~".repeat(2954));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("\"qr_too_large\""), "{body}");
    let (status, _, body) = http("POST", &qr, &authed, "");
    assert_eq!(status, 400, "{body}");
    let json = [
        ("Content-Type", "application/json"),
        ("Authorization", &bearer),
    ];
    let (status, _, _) = http("POST", &qr, &json, "{}");
    assert_eq!(status, 415);
    let (status, _, _) = http("GET", &qr, &[("Authorization", &bearer)], "");
    assert_eq!(status, 405);
    assert!(!server.stderr().contains(ACCESS_TOKEN));
}
