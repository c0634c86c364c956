//! Hazardous materials: tokens no honest signer makes.
//!
//! Everything else in this crate refuses to produce a token that breaks a rule: [`jws::sign`]
//! checks the header against the key, [`Claims::sign`](crate::claims::Claims::sign) the
//! payload. Testing a verifier, fuzzing it, or an app's failure paths (`acjwt serve`'s
//! `?defect=`) needs exactly such tokens, so this module makes them, and is the only place
//! that does. Never use it to mint tokens for production.
//!
//! [`jws::sign`]: crate::jws::sign

use crate::jws::{self, JwsError};

/// Signs `header_json` and `payload` exactly as given, with no check at all: the header may
/// name another algorithm than the key's, carry `crit`, duplicate members or anything else.
///
/// ```
/// use acjwt::alg::Algorithm;
/// use acjwt::hazmat::sign_unchecked;
/// use acjwt::jws::Token;
/// use acjwt::keys::PrivateKey;
///
/// let key = PrivateKey::generate(Algorithm::Es256, 0)?;
/// // A header claiming ES384 over an ES256 signature: verification must refuse it.
/// let token = sign_unchecked(r#"{"alg":"ES384"}"#, br#"{"exp":1}"#, |input| key.sign(input))?;
/// assert!(Token::parse(&token)?.verify(&key.public_key()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign_unchecked<E>(
    header_json: &str,
    payload: &[u8],
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, E>,
) -> Result<String, JwsError>
where
    JwsError: From<E>,
{
    jws::assemble(header_json, payload, sign)
}
