//! A backend endpoint that hands the app its token, with nothing but the standard library and
//! acjwt: the shape of what a Rust service adds once its user is authenticated.
//!
//! ```text
//! cargo run -p acjwt --example backend -- private.ec.key MyApp 127.0.0.1:8080
//! ACJWT_RTOKEN=... curl 'http://127.0.0.1:8080/token?email=alice@example.com'
//! ```
//!
//! The role token comes from `ACJWT_RTOKEN`. With no arguments the example makes a throwaway
//! key, mints one token, verifies it and exits (that is what CI runs). A real service would
//! take the identifier from its session, never from the query string as here, and would sit
//! behind the service's own authentication: whoever can call it gets a token.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::time::{SystemTime, UNIX_EPOCH};

use acjwt::alg::Algorithm;
use acjwt::jws::Token;
use acjwt::keys::{PrivateKey, load_key_file};
use acjwt::matching::Matching;
use acjwt::mint::{Expiry, Issuer, KidPolicy, Minter, RoleToken};
use serde_json::json;

/// Tokens live a quarter of an hour; the app asks again when one runs out.
const TTL_SECONDS: i64 = 15 * 60;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rtoken = std::env::var("ACJWT_RTOKEN").unwrap_or_else(|_| "rt-example".into());
    let Some(key_path) = args.first() else {
        return self_check(&rtoken);
    };
    let file = load_key_file(&std::fs::read(key_path)?)?;
    let key = file.signing_key("mint")?;
    let issuer = Issuer::new(args.get(1).map_or("MyApp", String::as_str))?;
    // Built once: the issuer, role token and kid are checked here, the header encoded here,
    // and the minter is shared by every request.
    let minter = Minter::builder(key, issuer, RoleToken::new(rtoken)?)
        .kid(KidPolicy::Thumbprint)
        .build()?;
    let address = args.get(2).map_or("127.0.0.1:8080", String::as_str);
    let listener = TcpListener::bind(address)?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    for stream in listener.incoming() {
        let mut stream = stream?;
        let mut request_line = String::new();
        BufReader::new(&stream).read_line(&mut request_line)?;
        let (status, body) = match email_from(&request_line) {
            Some(email) => match token_for(&minter, &email) {
                Ok(document) => ("200 OK", document.to_string()),
                Err(err) => (
                    "400 Bad Request",
                    json!({"error": err.to_string()}).to_string(),
                ),
            },
            None => (
                "404 Not Found",
                json!({"error": "GET /token?email=..."}).to_string(),
            ),
        };
        write!(
            stream,
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )?;
    }
    Ok(())
}

/// The `mint --json` document for the user with this email.
fn token_for(
    minter: &Minter,
    email: &str,
) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let matching =
        Matching::parse(&json!({"db_id": 1, "email": email, "matching": "email"}).to_string())?;
    let minted = minter.mint(&matching, Expiry::Ttl(TTL_SECONDS), unix_now())?;
    Ok(
        json!({"token": minted.token, "alg": minted.alg.name(), "kid": minted.kid, "exp": minted.exp}),
    )
}

/// `alice@example.com` from `GET /token?email=alice@example.com HTTP/1.1`.
fn email_from(request_line: &str) -> Option<String> {
    let target = request_line.strip_prefix("GET ")?.split(' ').next()?;
    let query = target.strip_prefix("/token?")?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("email="))
        .map(|value| value.replace("%40", "@"))
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

/// Without a key: make one, mint, verify, print the token's header and exit.
fn self_check(rtoken: &str) -> Result<(), Box<dyn std::error::Error>> {
    let key = PrivateKey::generate(Algorithm::Es384, 0)?;
    let minter = Minter::builder(&key, Issuer::new("MyApp")?, RoleToken::new(rtoken)?)
        .kid(KidPolicy::Thumbprint)
        .build()?;
    let document = token_for(&minter, "alice@example.com")?;
    let token = document["token"].as_str().unwrap_or_default();
    let parsed = Token::parse(token)?;
    parsed.verify(&key.public_key())?;
    println!("{}", serde_json::Value::Object(parsed.header.clone()));
    Ok(())
}
