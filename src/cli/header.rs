//! `acjwt header`: the Authorization header value the mSDK sends.

use acjwt::jws::Token;
use anyhow::Result;
use clap::Args;

use super::{Context, Status, input, output};

/// Print the Authorization header value the SDK sends, for trying the platform API with curl.
///
/// With a JWT: "Bearer <jwt>". With --rtoken: "Bearer rtoken@<rtoken>".
///
/// Example: curl -H "Authorization: $(acjwt header "$TOKEN")" ...
#[derive(Debug, Args)]
pub struct HeaderArgs {
    /// The JWT; - or nothing (without --rtoken) reads it from stdin.
    #[arg(value_name = "TOKEN", conflicts_with = "rtoken")]
    token: Option<String>,

    /// A role token instead of a JWT.
    #[arg(long, value_name = "RTOKEN")]
    rtoken: Option<String>,
}

pub fn run(args: HeaderArgs, _context: Context) -> Result<Status> {
    let value = match &args.rtoken {
        Some(raw) => {
            // The rule mint applies: a header value cannot hold line breaks, and a space
            // would end the token.
            let rtoken = input::rtoken(raw, "--rtoken")?;
            format!("Bearer rtoken@{}", rtoken.as_str())
        }
        None => {
            let token = input::read_token(args.token.as_deref())?;
            // Refuse to wrap something that is not even a compact JWS.
            Token::parse(&token)?;
            format!("Bearer {token}")
        }
    };
    output::print_stdout(&format!("{value}\n"))?;
    Ok(Status::Success)
}
