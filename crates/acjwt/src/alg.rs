//! The bottom of the crypto layers: the four algorithms, their curve facts, and the two traits
//! every key implements. Nothing here knows keys, backends or tokens, so every other module can
//! depend on it without a circle:
//!
//! ```text
//! alg  <-  arith (aws-lc)  <-  keys  <-  backend (prepared keys)
//!  ^                                        |
//!  +----  jws (generic over JwsSigner/JwsVerifier)  <-  claims, verify, explain, hazmat
//! ```
//!
//! ```
//! use acjwt::alg::Algorithm;
//!
//! // Headers name algorithms exactly, as RFC 7515 requires ...
//! assert_eq!(Algorithm::from_name("ES384"), Some(Algorithm::Es384));
//! assert_eq!(Algorithm::from_name("es384"), None);
//! assert_eq!(Algorithm::from_name("none"), None);
//!
//! // ... while a command line may spell them in any case.
//! let alg: Algorithm = "rs256".parse()?;
//! assert_eq!((alg.name(), alg.curve()), ("RS256", None));
//! assert_eq!(Algorithm::Es512.curve(), Some("P-521"));
//! assert_eq!(Algorithm::Es512.ecdsa_signature_len(), Some(132));
//! # Ok::<(), String>(())
//! ```

use std::fmt;

/// The signature algorithms the Altcraft platform accepts for mSDK JWTs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// ECDSA on P-256 with SHA-256.
    Es256,
    /// ECDSA on P-384 with SHA-384: the platform's recommended default.
    Es384,
    /// ECDSA on P-521 with SHA-512.
    Es512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
}

impl Algorithm {
    /// Every supported algorithm, the recommended one first.
    pub const ALL: [Algorithm; 4] = [
        Algorithm::Es384,
        Algorithm::Es256,
        Algorithm::Es512,
        Algorithm::Rs256,
    ];

    /// The JOSE name, as it appears in a header's `alg`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Es256 => "ES256",
            Algorithm::Es384 => "ES384",
            Algorithm::Es512 => "ES512",
            Algorithm::Rs256 => "RS256",
        }
    }

    /// Parses a JOSE name; case-sensitive, as RFC 7515 requires.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|alg| alg.name() == name)
    }

    /// The curve name for ECDSA algorithms.
    pub fn curve(self) -> Option<&'static str> {
        match self {
            Algorithm::Es256 => Some("P-256"),
            Algorithm::Es384 => Some("P-384"),
            Algorithm::Es512 => Some("P-521"),
            Algorithm::Rs256 => None,
        }
    }

    /// The length of an ECDSA `r || s` signature; `None` for RSA, whose length is the modulus'.
    pub fn ecdsa_signature_len(self) -> Option<usize> {
        match self {
            Algorithm::Es256 => Some(64),
            Algorithm::Es384 => Some(96),
            Algorithm::Es512 => Some(132),
            Algorithm::Rs256 => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Algorithm {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::from_name(&s.to_ascii_uppercase()).ok_or_else(|| {
            format!("unknown algorithm {s:?}; expected ES384, ES256, ES512 or RS256")
        })
    }
}

/// Why a signature could not be made or does not verify: what keys and backends report, below
/// the token layer (which wraps it in [`JwsError`](crate::jws::JwsError)).
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature does not verify (wrong key, changed input, or a malformed signature).
    #[error("signature does not verify: {reason}")]
    BadSignature {
        /// Why, in words that hold no key material.
        reason: &'static str,
    },
    /// The arithmetic failed (not expected with a valid key).
    #[error("signing failed: {0}")]
    Signing(String),
}

/// Makes JWS signatures for one algorithm: a [`PrivateKey`](crate::keys::PrivateKey), or one
/// prepared by a backend ([`Signer`](crate::backend::Signer)). [`jws::sign`](crate::jws::sign)
/// takes any of them.
pub trait JwsSigner {
    /// The one algorithm this key signs with; a header naming another is refused.
    fn algorithm(&self) -> Algorithm;
    /// The signature of `message` (ECDSA as the fixed-size `r || s` of RFC 7518 §3.4).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError>;
}

/// Checks JWS signatures for one algorithm: a [`PublicKey`](crate::keys::PublicKey), or one
/// prepared by a backend ([`Verifier`](crate::backend::Verifier)).
/// [`Token::verify`](crate::jws::Token::verify) takes any of them.
pub trait JwsVerifier {
    /// The one algorithm this key verifies; a header naming another is refused.
    fn algorithm(&self) -> Algorithm;
    /// Whether `signature` is this key's over `message`.
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), SignatureError>;
}
