//! Hazardous materials: tokens no honest signer makes, and the one place that makes them.
//! Never use this module to mint tokens for production.
//!
//! Everything else in this crate refuses to produce a token that breaks a rule:
//! [`jws::sign`] checks the header against the key,
//! [`Minter::mint`] and [`Claims::sign`] the payload. Testing a verifier, fuzzing it, and an
//! app's failure paths need exactly such tokens: [`sign_unchecked`] signs any header and
//! payload as given; the defect functions below mint tokens with exactly one chosen defect.
//!
//! An app must cope when its backend hands it a bad token: expired, refused by one SDK, too
//! large for Android, or signed by the wrong key. No honest signer makes such tokens, so these
//! functions sign them on purpose, each with a [`Minter`]'s key, issuer and role token and
//! exactly one defect: `acjwt verify` fails each with exactly one code ([`Defect::code`]) and
//! `acjwt explain` names it. `acjwt serve` hands them out at `GET /token/{user}?defect=...`.
//!
//! Everything else about the token is as [`Minter::mint`] makes it, so the one defect is the
//! only thing the app's error path sees.
//!
//! ```
//! use acjwt::hazmat::Defect;
//! # use acjwt::{jws::Algorithm, keys::PrivateKey, matching::Matching};
//! # use acjwt::mint::{Expiry, Issuer, Minter, RoleToken};
//! # let key = PrivateKey::generate(Algorithm::Es256, 0)?;
//! # let minter = Minter::builder(&key, Issuer::new("App")?, RoleToken::new("rt")?).build()?;
//! # let matching = Matching::parse(r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#)?;
//! let defect: Defect = "missing_db_id".parse()?;
//! let token = defect.mint(&minter, &matching, Expiry::Ttl(900), 1_800_000_000)?;
//! assert_eq!(defect.code().as_str(), "matching_invalid");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use zeroize::Zeroizing;

use crate::claims::{Claims, MAX_PAYLOAD_LEN, MintError};
use crate::code::Code;
use crate::jws::{self, JwsError};
use crate::matching::Matching;
use crate::mint::{Expiry, MintedToken, Minter};

/// One defect a token can be minted with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Defect {
    /// `exp` an hour before `now`.
    Expired,
    /// `matching` as a JSON object instead of a string: the iOS SDK fails with 541.
    MatchingObject,
    /// The matching object without `db_id`: the platform cannot find the database.
    MissingDbId,
    /// A payload of 16 KiB: the Android SDK refuses it with 542.
    Oversized,
    /// A signature that does not verify: the platform rejects the token.
    BadSignature,
}

impl Defect {
    /// Every defect, in documentation order.
    pub const ALL: [Defect; 5] = [
        Defect::Expired,
        Defect::MatchingObject,
        Defect::MissingDbId,
        Defect::Oversized,
        Defect::BadSignature,
    ];

    /// The snake_case name (`?defect=` takes it).
    pub fn name(self) -> &'static str {
        match self {
            Defect::Expired => "expired",
            Defect::MatchingObject => "matching_object",
            Defect::MissingDbId => "missing_db_id",
            Defect::Oversized => "oversized",
            Defect::BadSignature => "bad_signature",
        }
    }

    /// The one failure code `acjwt verify` reports for such a token.
    pub fn code(self) -> Code {
        match self {
            Defect::Expired => Code::Expired,
            Defect::MatchingObject => Code::MatchingIsObject,
            Defect::MissingDbId => Code::MatchingInvalid,
            Defect::Oversized => Code::PayloadTooLarge,
            Defect::BadSignature => Code::BadSignature,
        }
    }

    /// What the app should do with such a token, in one line.
    pub fn description(self) -> &'static str {
        match self {
            Defect::Expired => "exp is an hour ago: the app should fetch a fresh token",
            Defect::MatchingObject => {
                "matching is a JSON object, not a string: the iOS SDK fails with 541"
            }
            Defect::MissingDbId => "the matching object has no db_id: the platform refuses it",
            Defect::Oversized => "the payload is 16 KiB: the Android SDK refuses it with 542",
            Defect::BadSignature => "the signature does not verify: the platform refuses the token",
        }
    }

    /// Mints a token for `matching` with this one defect; see the module docs.
    pub fn mint(
        self,
        minter: &Minter,
        matching: &Matching,
        expiry: Expiry,
        now: i64,
    ) -> Result<MintedToken, MintError> {
        match self {
            Defect::Expired => expired(minter, matching, now),
            Defect::MatchingObject => matching_object(minter, matching, expiry, now),
            Defect::MissingDbId => missing_db_id(minter, matching, expiry, now),
            Defect::Oversized => oversized(minter, matching, expiry, now),
            Defect::BadSignature => bad_signature(minter, matching, expiry, now),
        }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown defect name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown defect {0:?}; known defects: expired, matching_object, missing_db_id, oversized, bad_signature"
)]
pub struct UnknownDefect(pub String);

impl std::str::FromStr for Defect {
    type Err = UnknownDefect;

    fn from_str(name: &str) -> Result<Defect, UnknownDefect> {
        Defect::ALL
            .into_iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| UnknownDefect(name.to_string()))
    }
}

fn exp_of(expiry: Expiry, now: i64) -> i64 {
    match expiry {
        Expiry::Ttl(seconds) => now.saturating_add(seconds),
        Expiry::At(exp) => exp,
    }
}

fn claims(minter: &Minter, matching_json: String, exp: i64) -> Claims {
    Claims {
        iss: minter.issuer().as_str().to_string(),
        exp,
        rtoken: minter.rtoken().expose().to_string(),
        matching: matching_json,
    }
}

/// A token that expired an hour before `now`.
///
/// ```
/// # use acjwt::{jws::Algorithm, keys::PrivateKey, matching::Matching};
/// # use acjwt::mint::{Issuer, Minter, RoleToken};
/// # let key = PrivateKey::generate(Algorithm::Es256, 0)?;
/// # let minter = Minter::builder(&key, Issuer::new("App")?, RoleToken::new("rt")?).build()?;
/// # let matching = Matching::parse(r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#)?;
/// let now = 1_800_000_000;
/// let token = acjwt::hazmat::expired(&minter, &matching, now)?;
/// assert_eq!(token.exp, now - 3600);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn expired(minter: &Minter, matching: &Matching, now: i64) -> Result<MintedToken, MintError> {
    let exp = now.saturating_sub(3600).max(1);
    let claims = claims(minter, matching.to_json(), exp);
    sign(minter, exp, &Zeroizing::new(claims.to_json()))
}

/// A token whose `matching` claim is the JSON object itself rather than a string holding it.
///
/// ```
/// # use acjwt::{jws::{Algorithm, Token}, keys::PrivateKey, matching::Matching};
/// # use acjwt::mint::{Expiry, Issuer, Minter, RoleToken};
/// # let key = PrivateKey::generate(Algorithm::Es256, 0)?;
/// # let minter = Minter::builder(&key, Issuer::new("App")?, RoleToken::new("rt")?).build()?;
/// # let matching = Matching::parse(r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#)?;
/// let minted = acjwt::hazmat::matching_object(&minter, &matching, Expiry::Ttl(900), 1_800_000_000)?;
/// let claims = Token::parse(&minted.token)?.claims()?;
/// assert!(claims["matching"].is_object());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn matching_object(
    minter: &Minter,
    matching: &Matching,
    expiry: Expiry,
    now: i64,
) -> Result<MintedToken, MintError> {
    let exp = checked_exp(expiry, now)?;
    let payload = json!({
        "iss": minter.issuer().as_str(),
        "exp": exp,
        "rtoken": minter.rtoken().expose(),
        "matching": matching.to_value(),
    });
    sign(minter, exp, &Zeroizing::new(payload.to_string()))
}

/// A token whose matching object lacks `db_id`.
///
/// ```
/// # use acjwt::{jws::{Algorithm, Token}, keys::PrivateKey, matching::Matching};
/// # use acjwt::mint::{Expiry, Issuer, Minter, RoleToken};
/// # let key = PrivateKey::generate(Algorithm::Es256, 0)?;
/// # let minter = Minter::builder(&key, Issuer::new("App")?, RoleToken::new("rt")?).build()?;
/// # let matching = Matching::parse(r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#)?;
/// let minted = acjwt::hazmat::missing_db_id(&minter, &matching, Expiry::Ttl(900), 1_800_000_000)?;
/// let claims = Token::parse(&minted.token)?.claims()?;
/// assert!(!claims["matching"].as_str().unwrap().contains("db_id"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn missing_db_id(
    minter: &Minter,
    matching: &Matching,
    expiry: Expiry,
    now: i64,
) -> Result<MintedToken, MintError> {
    let exp = checked_exp(expiry, now)?;
    let mut object = matching.to_value();
    if let Some(members) = object.as_object_mut() {
        members.remove("db_id");
    }
    let claims = claims(minter, object.to_string(), exp);
    sign(minter, exp, &Zeroizing::new(claims.to_json()))
}

/// A token whose decoded payload is exactly 16 KiB, the size from which the Android SDK
/// refuses it.
///
/// The padding goes into the one claim that may legitimately be long, `matching`: it is a
/// JSON string the backend serializes (a custom field's comma-separated tag list can run
/// long), and JSON allows whitespace between members. The matching object, and so the user
/// the SDKs derive from it, stays the same; no member and no claim is added.
///
/// ```
/// # use acjwt::{jws::{Algorithm, Token}, keys::PrivateKey, matching::Matching};
/// # use acjwt::mint::{Expiry, Issuer, Minter, RoleToken};
/// # let key = PrivateKey::generate(Algorithm::Es256, 0)?;
/// # let minter = Minter::builder(&key, Issuer::new("App")?, RoleToken::new("rt")?).build()?;
/// # let matching = Matching::parse(r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#)?;
/// let minted = acjwt::hazmat::oversized(&minter, &matching, Expiry::Ttl(900), 1_800_000_000)?;
/// let token = Token::parse(&minted.token)?;
/// assert_eq!(token.payload.len(), acjwt::claims::MAX_PAYLOAD_LEN);
/// let inner = token.claims()?["matching"].as_str().unwrap().to_string();
/// assert_eq!(Matching::parse(&inner)?, matching);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn oversized(
    minter: &Minter,
    matching: &Matching,
    expiry: Expiry,
    now: i64,
) -> Result<MintedToken, MintError> {
    let exp = checked_exp(expiry, now)?;
    let compact = matching.to_json();
    let unpadded = claims(minter, compact.clone(), exp).to_json().len();
    // A space in the matching string is one byte of payload: JSON does not escape it.
    let padding = MAX_PAYLOAD_LEN.saturating_sub(unpadded);
    let padded = format!("{{{}{}", " ".repeat(padding), &compact[1..]);
    let claims = claims(minter, padded, exp);
    sign(minter, exp, &Zeroizing::new(claims.to_json()))
}

/// A token whose signature does not verify: a valid token with one bit of its signature
/// flipped.
///
/// ```
/// # use acjwt::{jws::{Algorithm, Token}, keys::PrivateKey, matching::Matching};
/// # use acjwt::mint::{Expiry, Issuer, Minter, RoleToken};
/// # let key = PrivateKey::generate(Algorithm::Es256, 0)?;
/// # let minter = Minter::builder(&key, Issuer::new("App")?, RoleToken::new("rt")?).build()?;
/// # let matching = Matching::parse(r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#)?;
/// let minted = acjwt::hazmat::bad_signature(&minter, &matching, Expiry::Ttl(900), 1_800_000_000)?;
/// let token = Token::parse(&minted.token)?;
/// assert_eq!(token.verify(&key.public_key()).unwrap_err().code().as_str(), "bad_signature");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn bad_signature(
    minter: &Minter,
    matching: &Matching,
    expiry: Expiry,
    now: i64,
) -> Result<MintedToken, MintError> {
    let mut minted = minter.mint(matching, expiry, now)?;
    let (signing_input, signature) = minted
        .token
        .rsplit_once('.')
        .expect("a minted token has three parts");
    let mut bytes = URL_SAFE_NO_PAD
        .decode(signature)
        .expect("a minted signature is base64url");
    // The last byte: the low end of s (or of the RSA signature), so the signature keeps its
    // shape and only fails the arithmetic.
    if let Some(last) = bytes.last_mut() {
        *last ^= 0x01;
    }
    minted.token = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(bytes));
    Ok(minted)
}

/// The expiry of a defect other than `expired`: as [`Minter::mint`] would accept it.
fn checked_exp(expiry: Expiry, now: i64) -> Result<i64, MintError> {
    let exp = exp_of(expiry, now);
    if exp <= now {
        return Err(MintError::AlreadyExpired { exp, now });
    }
    if exp >= crate::claims::MILLISECONDS_THRESHOLD {
        return Err(MintError::ExpTooFar { exp });
    }
    Ok(exp)
}

/// Signs a payload under the minter's header, unchecked: the defect is the point.
fn sign(minter: &Minter, exp: i64, payload: &str) -> Result<MintedToken, MintError> {
    Ok(MintedToken {
        token: minter.sign_payload(payload.as_bytes())?,
        alg: minter.algorithm(),
        kid: minter.kid().map(String::from),
        exp,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::{Backend, Keyring};
    use crate::claims::Rules;
    use crate::jws::Algorithm;
    use crate::keys::{AnyKey, KeyFile, KeyFormat, LoadedKey, PrivateKey};
    use crate::mint::{Issuer, KidPolicy, RoleToken};
    use crate::verify::verify_token;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn each_defect_fails_verify_with_exactly_its_code() {
        for alg in [Algorithm::Es256, Algorithm::Es384, Algorithm::Es512] {
            let key = PrivateKey::generate(alg, 0).unwrap();
            let minter = Minter::builder(
                &key,
                Issuer::new("App").unwrap(),
                RoleToken::new("rt").unwrap(),
            )
            .kid(KidPolicy::Thumbprint)
            .build()
            .unwrap();
            let file = KeyFile {
                format: KeyFormat::Pkcs8,
                keys: vec![LoadedKey {
                    kid: None,
                    key: AnyKey::Private(key),
                }],
                unusable: Vec::new(),
            };
            let keys = Keyring::new(file, Backend::RustCrypto).unwrap();
            let rules = Rules {
                now: NOW,
                leeway: 0,
                altcraft: true,
            };
            for json in [
                r#"{"db_id":2,"email":"a@example.com","matching":"email"}"#,
                r#"{"db_id":7,"field_name":"TAGS","field_value":"a, b","matching":"custom"}"#,
            ] {
                let matching = Matching::parse(json).unwrap();
                let good = minter.mint(&matching, Expiry::Ttl(900), NOW).unwrap();
                assert!(verify_token(&good.token, &keys, &rules).valid());
                for defect in Defect::ALL {
                    let minted = defect
                        .mint(&minter, &matching, Expiry::Ttl(900), NOW)
                        .unwrap();
                    let verdict = verify_token(&minted.token, &keys, &rules);
                    let codes: Vec<&str> = verdict.failures.iter().map(|f| f.code).collect();
                    assert_eq!(codes, [defect.code().as_str()], "{alg} {defect}");
                    // Warnings may follow from the one defect (no db_id, so no Android user
                    // tag), but none may be about anything else.
                    for warning in &verdict.warnings {
                        assert!(
                            defect == Defect::MissingDbId && warning.code == "user_tag_unavailable",
                            "{alg} {defect}: {warning:?}"
                        );
                    }
                    assert_eq!(minted.kid.as_deref(), minter.kid());
                }
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for defect in Defect::ALL {
            assert_eq!(defect.name().parse::<Defect>().unwrap(), defect);
        }
        assert!("bogus".parse::<Defect>().is_err());
    }
}
