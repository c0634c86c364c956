//! Who may call the API: the access token, and the Host check against DNS rebinding.
//!
//! Anyone who can reach `/token` gets a token for any user, and every token carries the role
//! token. On a non-loopback address every API call therefore needs `Authorization: Bearer
//! <access token>`. On loopback the token is needed only when one is configured, but there a
//! web page could still reach the server through DNS rebinding (a name it controls, re-pointed
//! at 127.0.0.1), so the `Host` header must name a loopback host or an IP address: a rebinding
//! page can only send its own host name. (An IP literal is allowed because the Android
//! emulator reaches the host's loopback as `10.0.2.2`.)

use std::net::IpAddr;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

/// The paths anyone may fetch: the health probe and the page's static files (which hold no
/// secret, and must load to ask for the access token).
pub const PUBLIC_PATHS: [&str; 6] = [
    "/healthz",
    "/",
    "/app.css",
    "/app.js",
    "/favicon.svg",
    "/favicon.ico",
];

/// The configured access token, kept only as its SHA-256: comparing digests in constant
/// time reveals neither the token nor its length.
pub struct AccessToken([u8; 32]);

impl AccessToken {
    pub fn new(token: &str) -> AccessToken {
        AccessToken(Sha256::digest(token.as_bytes()).into())
    }

    /// Whether an `Authorization` header value carries this token.
    pub fn accepts(&self, authorization: Option<&[u8]>) -> bool {
        let Some(value) = authorization else {
            return false;
        };
        let Some(presented) = value
            .get(..7)
            .filter(|scheme| scheme.eq_ignore_ascii_case(b"bearer "))
            .map(|_| value[7..].trim_ascii())
        else {
            return false;
        };
        let digest: [u8; 32] = Sha256::digest(presented).into();
        bool::from(digest.ct_eq(&self.0))
    }
}

/// A fresh random access token: 32 bytes, base64url.
pub fn generate() -> Result<Zeroizing<String>, getrandom::Error> {
    use base64::Engine as _;
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut())?;
    Ok(Zeroizing::new(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes.as_ref()),
    ))
}

/// Whether a `Host` header may reach a loopback-bound server (see the module docs).
pub fn host_allowed(host: Option<&[u8]>) -> bool {
    let Some(host) = host.and_then(|h| std::str::from_utf8(h).ok()) else {
        // HTTP/1.1 requires Host; a client without it is no browser.
        return host.is_none();
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((v6, _)) => v6,
            None => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bearer_token_is_accepted() {
        let token = AccessToken::new("s3cret");
        assert!(token.accepts(Some(b"Bearer s3cret")));
        assert!(token.accepts(Some(b"bearer s3cret ")));
        assert!(!token.accepts(Some(b"Bearer s3cre")));
        assert!(!token.accepts(Some(b"Basic s3cret")));
        assert!(!token.accepts(Some(b"s3cret")));
        assert!(!token.accepts(None));
    }

    #[test]
    fn rebinding_hosts_are_refused() {
        for ok in [
            "127.0.0.1:8787",
            "localhost",
            "LOCALHOST:1",
            "[::1]:8787",
            "10.0.2.2:8787",
            "app.localhost",
        ] {
            assert!(host_allowed(Some(ok.as_bytes())), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8787",
            "127.0.0.1.evil.example",
            "[::1",
        ] {
            assert!(!host_allowed(Some(bad.as_bytes())), "{bad}");
        }
    }

    #[test]
    fn generated_tokens_differ() {
        assert_ne!(*generate().unwrap(), *generate().unwrap());
        assert_eq!(generate().unwrap().len(), 43);
    }
}
