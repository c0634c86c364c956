//! A [`Minter`]: everything a backend fixes once (key, issuer, role token, kid), checked once,
//! then one call per token.
//!
//! A service that hands tokens to apps mints the same header and the same three claims over
//! and over; only the matching object and the expiry change. The minter validates the fixed
//! part when it is built (issuer and role token non-empty, kid chosen, the key prepared by its
//! signing backend), encodes the header once, and is `Send + Sync`, so one minter serves every
//! request thread. The library has no clock: `now` is passed to [`Minter::mint`].
//!
//! ```
//! use acjwt::jws::Algorithm;
//! use acjwt::keys::PrivateKey;
//! use acjwt::matching::Matching;
//! use acjwt::mint::{Expiry, Issuer, KidPolicy, Minter, RoleToken};
//!
//! let key = PrivateKey::generate(Algorithm::Es384, 0)?;
//! let minter = Minter::builder(&key, Issuer::new("MyApp")?, RoleToken::new("rt-secret")?)
//!     .kid(KidPolicy::Thumbprint)
//!     .build()?;
//! let matching = Matching::parse(r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#)?;
//! let now = 1_800_000_000;
//! let minted = minter.mint(&matching, Expiry::Ttl(900), now)?;
//! assert_eq!(minted.exp, now + 900);
//! assert_eq!(minted.kid.as_deref(), minter.kid());
//! let token = acjwt::jws::Token::parse(&minted.token)?;
//! assert_eq!(token.verify(&key.public_key())?, Algorithm::Es384);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroizing;

use crate::backend::{Backend, BackendError, Signer};
use crate::claims::{Claims, MintError};
use crate::jws::{Algorithm, Header};
use crate::keys::{PrivateKey, PublicKey, jwk_thumbprint};
use crate::matching::Matching;

/// The `iss` claim: the application's name as registered on the platform. Never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issuer(String);

impl Issuer {
    /// Fails on an empty (or all-whitespace) name, which the platform cannot match.
    pub fn new(name: impl Into<String>) -> Result<Issuer, MintError> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(MintError::EmptyClaim { claim: "iss" });
        }
        Ok(Issuer(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The `rtoken` claim: the role token from the resource's settings, a credential. It is wiped
/// from memory when dropped, and `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct RoleToken(Zeroizing<String>);

impl RoleToken {
    /// Fails on an empty (or all-whitespace) token.
    pub fn new(token: impl Into<String>) -> Result<RoleToken, MintError> {
        let token = Zeroizing::new(token.into());
        if token.trim().is_empty() {
            return Err(MintError::EmptyClaim { claim: "rtoken" });
        }
        Ok(RoleToken(token))
    }

    /// The secret itself: for signing, and for checking that it never appears in output.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RoleToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RoleToken(<redacted, {} chars>)", self.0.chars().count())
    }
}

/// Which `kid` the header carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KidPolicy {
    /// No kid.
    None,
    /// This kid (from a JWK, `keygen --kid`, or the caller).
    Given(String),
    /// The key's RFC 7638 SHA-256 thumbprint: stable, and what JWKS clients select by.
    Thumbprint,
}

/// When a token expires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// This many seconds after `now`.
    Ttl(i64),
    /// At this unix time.
    At(i64),
}

/// One token and what a caller reports about it.
#[derive(Clone, PartialEq, Eq)]
pub struct MintedToken {
    /// The compact JWS.
    pub token: String,
    /// The algorithm it is signed with.
    pub alg: Algorithm,
    /// The header's kid.
    pub kid: Option<String>,
    /// Its `exp`, unix seconds.
    pub exp: i64,
}

/// The token carries the role token: `Debug` shows everything else.
impl fmt::Debug for MintedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MintedToken")
            .field("token", &"<redacted>")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("exp", &self.exp)
            .finish()
    }
}

/// Builds a [`Minter`]; see the module docs.
#[derive(Debug)]
pub struct MinterBuilder<'a> {
    key: &'a PrivateKey,
    issuer: Issuer,
    rtoken: RoleToken,
    kid: KidPolicy,
    backend: Backend,
}

impl MinterBuilder<'_> {
    /// The kid policy (default [`KidPolicy::None`]).
    pub fn kid(mut self, kid: KidPolicy) -> Self {
        self.kid = kid;
        self
    }

    /// The signing backend (default: the fastest in this build).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Prepares the key and encodes the header.
    pub fn build(self) -> Result<Minter, BackendError> {
        let public = self.key.public_key();
        let kid = match self.kid {
            KidPolicy::None => None,
            KidPolicy::Given(kid) => Some(kid),
            KidPolicy::Thumbprint => Some(jwk_thumbprint(&public)),
        };
        let header = Header {
            alg: self.key.algorithm(),
            kid: kid.clone(),
        };
        Ok(Minter {
            signer: Signer::new(self.key, self.backend)?,
            issuer: self.issuer,
            rtoken: self.rtoken,
            header: URL_SAFE_NO_PAD.encode(header.to_json()),
            kid,
            public,
        })
    }
}

/// Mints tokens with one key, issuer, role token and kid; see the module docs.
pub struct Minter {
    signer: Signer,
    issuer: Issuer,
    rtoken: RoleToken,
    kid: Option<String>,
    /// The header, base64url-encoded once.
    header: String,
    public: PublicKey,
}

impl fmt::Debug for Minter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Minter")
            .field("alg", &self.signer.algorithm())
            .field("issuer", &self.issuer)
            .field("rtoken", &self.rtoken)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl Minter {
    /// Starts a minter for `key`, `issuer` and `rtoken`.
    pub fn builder(key: &PrivateKey, issuer: Issuer, rtoken: RoleToken) -> MinterBuilder<'_> {
        MinterBuilder {
            key,
            issuer,
            rtoken,
            kid: KidPolicy::None,
            backend: Backend::default(),
        }
    }

    /// Mints one token for `matching`. Fails when the expiry is not after `now` or too far
    /// off (milliseconds by mistake), or when the payload reaches the Android SDK's 16 KiB.
    pub fn mint(
        &self,
        matching: &Matching,
        expiry: Expiry,
        now: i64,
    ) -> Result<MintedToken, MintError> {
        let exp = match expiry {
            Expiry::Ttl(seconds) => now.saturating_add(seconds),
            Expiry::At(exp) => exp,
        };
        let claims = Claims::new(
            self.issuer.0.clone(),
            exp,
            self.rtoken.expose().to_string(),
            matching,
        );
        let payload = claims.check_mintable(now)?;
        let token = self.sign_payload(payload.as_bytes())?;
        Ok(MintedToken {
            token,
            alg: self.algorithm(),
            kid: self.kid.clone(),
            exp,
        })
    }

    /// Signs any payload under the minter's header, unchecked: for [`crate::hazmat`].
    pub(crate) fn sign_payload(&self, payload: &[u8]) -> Result<String, MintError> {
        let mut token = String::with_capacity(self.header.len() + payload.len() * 4 / 3 + 200);
        token.push_str(&self.header);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(payload, &mut token);
        let signature = self.signer.sign(token.as_bytes())?;
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(signature, &mut token);
        Ok(token)
    }

    /// The algorithm the key signs with.
    pub fn algorithm(&self) -> Algorithm {
        self.signer.algorithm()
    }

    /// The kid every token carries, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The public key, for a JWKS.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The issuer.
    pub fn issuer(&self) -> &Issuer {
        &self.issuer
    }

    /// The role token.
    pub(crate) fn rtoken(&self) -> &RoleToken {
        &self.rtoken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minter(kid: KidPolicy) -> (PrivateKey, Minter) {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let minter = Minter::builder(
            &key,
            Issuer::new("App").unwrap(),
            RoleToken::new("rt").unwrap(),
        )
        .kid(kid)
        .build()
        .unwrap();
        (key, minter)
    }

    #[test]
    fn tokens_match_the_claims_signer() {
        let (key, minter) = minter(KidPolicy::Given("k1".into()));
        let matching =
            Matching::parse(r#"{"db_id":2,"email":"a@b.c","matching":"email"}"#).unwrap();
        let minted = minter
            .mint(&matching, Expiry::At(2_000_000_000), 1_900_000_000)
            .unwrap();
        let token = crate::jws::Token::parse(&minted.token).unwrap();
        assert_eq!(token.verify(&key.public_key()).unwrap(), Algorithm::Es256);
        assert_eq!(token.kid(), Some("k1"));
        let expected = Claims::new("App".into(), 2_000_000_000, "rt".into(), &matching).to_json();
        assert_eq!(token.payload, expected.as_bytes());
    }

    #[test]
    fn the_thumbprint_kid_is_the_keys() {
        let (key, minter) = minter(KidPolicy::Thumbprint);
        assert_eq!(
            minter.kid(),
            Some(jwk_thumbprint(&key.public_key()).as_str())
        );
    }

    #[test]
    fn bad_fixed_parts_and_expiries_are_refused() {
        assert!(Issuer::new(" ").is_err());
        assert!(RoleToken::new("").is_err());
        let (_, minter) = minter(KidPolicy::None);
        let matching =
            Matching::parse(r#"{"db_id":2,"email":"a@b.c","matching":"email"}"#).unwrap();
        let err = minter
            .mint(&matching, Expiry::Ttl(0), 1_900_000_000)
            .unwrap_err();
        assert!(matches!(err, MintError::AlreadyExpired { .. }), "{err}");
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let (_, minter) = minter(KidPolicy::None);
        let text = format!("{minter:?}");
        assert!(!text.contains("\"rt\""), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }

    #[test]
    fn minters_are_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Minter>();
    }
}
