//! JWS compact serialization (RFC 7515) for the four algorithms the Altcraft platform accepts.
//!
//! This layer works on bytes and JSON only: it knows nothing of files, clocks or the Altcraft
//! claims. acjwt writes it rather than using `jsonwebtoken`, which has no ES512, rejects SEC1
//! keys and pins an older, slower RustCrypto generation (see the README's design notes).
//!
//! The rules that matter for security live here:
//! - the *key* decides the algorithm family; a header whose `alg` disagrees is rejected, so
//!   `none` and `HS*` can never be chosen by a token;
//! - ECDSA signatures are the fixed-size `r || s` of RFC 7518 §3.4, never DER;
//! - a `crit` header is rejected, since acjwt understands no extensions.
//!
//! ```
//! use acjwt::jws::{self, Algorithm, Header, JwsError, Token};
//! use acjwt::keys::PrivateKey;
//!
//! let key = PrivateKey::generate(Algorithm::Es256, 0)?;
//! let header = Header { alg: Algorithm::Es256, kid: Some("k1".into()) };
//! let token = jws::sign(&header, br#"{"iss":"MyApp"}"#, &key)?;
//!
//! // Parsing decodes; only `verify` says whether to believe it.
//! let parsed = Token::parse(&token)?;
//! assert_eq!((parsed.alg(), parsed.kid()), (Some("ES256"), Some("k1")));
//! assert_eq!(parsed.verify(&key.public_key())?, Algorithm::Es256);
//!
//! // Another key of the same curve: the signature does not verify.
//! let other = PrivateKey::generate(Algorithm::Es256, 0)?;
//! let err = parsed.verify(&other.public_key()).unwrap_err();
//! assert_eq!(err.code().as_str(), "bad_signature");
//!
//! // A key of another algorithm: refused before any arithmetic, whatever the header says.
//! let p384 = PrivateKey::generate(Algorithm::Es384, 0)?;
//! assert_eq!(
//!     parsed.verify(&p384.public_key()),
//!     Err(JwsError::AlgMismatch { header: Algorithm::Es256, key: Algorithm::Es384 })
//! );
//! assert!(jws::sign(&header, b"{}", &p384).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

pub use crate::alg::Algorithm;
use crate::alg::{JwsSigner, JwsVerifier, SignatureError};
use crate::code::Code;
use crate::json::{json_depth_exceeds, json_type};

/// Tokens longer than this are refused before any decoding: a pasted log line or a hostile
/// input must be answered at once, and no Altcraft token comes near it (the Android SDK refuses
/// payloads of 16 KiB).
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

pub use crate::json::{MAX_JSON_DEPTH, duplicate_members};

/// Why a token could not be parsed or verified.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwsError {
    /// Nothing but whitespace.
    #[error("the token is empty")]
    Empty,
    /// The input is over [`MAX_TOKEN_LEN`].
    #[error("token is {len} bytes, over the {max}-byte limit")]
    TooLong {
        /// The input's length in bytes.
        len: usize,
        /// The limit, [`MAX_TOKEN_LEN`].
        max: usize,
    },
    /// Not three dot-separated parts.
    #[error("token has {parts} part(s) separated by '.', a compact JWS has 3")]
    WrongPartCount {
        /// How many parts the input has (one more than its dots).
        parts: usize,
    },
    /// A part is not unpadded base64url.
    #[error("token {part} is not valid base64url")]
    Base64 {
        /// Which part: `"header"`, `"payload"` or `"signature"`.
        part: &'static str,
    },
    /// The header or payload is not a JSON object.
    #[error("token {part} is not a JSON object: {reason}")]
    Json {
        /// Which part: `"header"` or `"payload"`.
        part: &'static str,
        /// The JSON parser's message (what and where, never the content), or "not an object".
        reason: String,
    },
    /// The header has no usable `alg`.
    #[error("header has no \"alg\" string")]
    MissingAlg,
    /// `alg` is `none`, an HMAC or anything else the platform does not accept.
    #[error(
        "header alg {alg:?} is not allowed; the platform accepts ES384, ES256, ES512 and RS256"
    )]
    AlgNotAllowed {
        /// The header's `alg`, as given.
        alg: String,
    },
    /// `alg` names a different family or curve than the key.
    #[error("header alg {header} does not match the key, which is for {key}")]
    AlgMismatch {
        /// The algorithm the header names.
        header: Algorithm,
        /// The one algorithm the key is for.
        key: Algorithm,
    },
    /// A `crit` header names extensions this implementation must understand but does not.
    #[error("header has \"crit\" {names}; acjwt supports no critical extensions")]
    CriticalHeader {
        /// The `crit` member's value, as JSON text.
        names: String,
    },
    /// The signature does not verify (wrong key, changed header or payload, or bad encoding).
    #[error("signature does not verify: {reason}")]
    BadSignature {
        /// Why, in words that hold no key material.
        reason: &'static str,
    },
    /// A member appears twice in the header or payload: JSON readers disagree on which value
    /// counts (serde_json and most others take the last, some the first), so a token could
    /// say one `alg` to one reader and another to the next.
    #[error("token {part} has the member {name:?} more than once")]
    DuplicateMember {
        /// Which part: `"header"` or `"payload"`.
        part: &'static str,
        /// The member's name (its values are not kept).
        name: String,
    },
    /// The header's `kid` is there but is not a string (RFC 7515 §4.1.4).
    #[error("header kid is {found}, not a string")]
    KidNotString {
        /// The JSON type found: "a number", "null", ...
        found: &'static str,
    },
    /// The signing backend failed (not expected with a valid key).
    #[error("signing failed: {0}")]
    Signing(String),
}

impl From<SignatureError> for JwsError {
    fn from(err: SignatureError) -> JwsError {
        match err {
            SignatureError::BadSignature { reason } => JwsError::BadSignature { reason },
            SignatureError::Signing(reason) => JwsError::Signing(reason),
        }
    }
}

impl JwsError {
    /// The error's stable code, for `--json` output and scripts ([`Code::as_str`] is its
    /// text); the rule engine's findings about a token carry the same code.
    pub fn code(&self) -> Code {
        match self {
            JwsError::Empty
            | JwsError::TooLong { .. }
            | JwsError::WrongPartCount { .. }
            | JwsError::Base64 { .. }
            | JwsError::Json { .. } => Code::Malformed,
            JwsError::MissingAlg | JwsError::AlgNotAllowed { .. } => Code::AlgNotAllowed,
            JwsError::AlgMismatch { .. } => Code::AlgMismatch,
            JwsError::CriticalHeader { .. } => Code::CritUnsupported,
            JwsError::BadSignature { .. } => Code::BadSignature,
            JwsError::DuplicateMember { .. } => Code::DuplicateMember,
            JwsError::KidNotString { .. } => Code::KidInvalid,
            JwsError::Signing(_) => Code::SigningFailed,
        }
    }
}

/// The JOSE header acjwt writes: `{"alg":…,"typ":"JWT"}` plus `kid` when given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The algorithm; [`sign`] refuses it unless it is the key's.
    pub alg: Algorithm,
    /// The key id that tells a verifier with a JWKS which key to use; written as given.
    pub kid: Option<String>,
}

impl Header {
    /// A header for `alg` with no `kid`.
    pub fn new(alg: Algorithm) -> Header {
        Header { alg, kid: None }
    }

    /// The header serialized as compact JSON, members in the order peers print them.
    pub fn to_json(&self) -> String {
        let mut header = Map::new();
        header.insert("alg".into(), self.alg.name().into());
        header.insert("typ".into(), "JWT".into());
        if let Some(kid) = &self.kid {
            header.insert("kid".into(), kid.as_str().into());
        }
        Value::Object(header).to_string()
    }
}

/// Signs `payload` (a serialized JSON object) with `key` and returns the compact token.
///
/// The key decides the algorithm; `header.alg` must agree with it. The one way to sign:
/// [`hazmat`](crate::hazmat) alone makes tokens without this check.
pub fn sign<S: JwsSigner + ?Sized>(
    header: &Header,
    payload: &[u8],
    key: &S,
) -> Result<String, JwsError> {
    let key_alg = key.algorithm();
    if header.alg != key_alg {
        return Err(JwsError::AlgMismatch {
            header: header.alg,
            key: key_alg,
        });
    }
    assemble(&header.to_json(), payload, |input| key.sign(input))
}

/// Assembles a compact token around a signing function, the header signed as given: the seam
/// [`sign`] and [`hazmat::sign_unchecked`](crate::hazmat::sign_unchecked) share.
pub(crate) fn assemble<E>(
    header_json: &str,
    payload: &[u8],
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, E>,
) -> Result<String, JwsError>
where
    JwsError: From<E>,
{
    assemble_encoded(&URL_SAFE_NO_PAD.encode(header_json), payload, sign)
}

/// [`assemble`] with the header already base64url-encoded: a [`Minter`](crate::mint::Minter)
/// encodes its header once and reuses it for every token.
pub(crate) fn assemble_encoded<E>(
    header_b64: &str,
    payload: &[u8],
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, E>,
) -> Result<String, JwsError>
where
    JwsError: From<E>,
{
    let mut token = String::with_capacity(header_b64.len() + base64_len(payload.len()) + 180 + 2);
    token.push_str(header_b64);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(payload, &mut token);
    let signature = sign(token.as_bytes())?;
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(signature, &mut token);
    Ok(token)
}

fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

/// A compact token split and decoded, with nothing verified yet.
#[derive(Clone, Debug)]
pub struct Token<'a> {
    signing_input: &'a str,
    /// The decoded JOSE header.
    pub header: Map<String, Value>,
    /// The decoded payload bytes (JSON for every token acjwt deals with).
    pub payload: Vec<u8>,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
    /// Members that appear more than once in the header or the payload (in `header` and
    /// `payload` the last one is kept, as serde_json does). Verification refuses such tokens.
    pub duplicates: Vec<JwsError>,
}

impl<'a> Token<'a> {
    /// Splits and decodes a compact JWS. Surrounding whitespace is the caller's to trim.
    pub fn parse(token: &'a str) -> Result<Token<'a>, JwsError> {
        if token.is_empty() {
            return Err(JwsError::Empty);
        }
        if token.len() > MAX_TOKEN_LEN {
            return Err(JwsError::TooLong {
                len: token.len(),
                max: MAX_TOKEN_LEN,
            });
        }
        let parts: Vec<&str> = token.split('.').collect();
        let [header_b64, payload_b64, signature_b64] = parts[..] else {
            return Err(JwsError::WrongPartCount { parts: parts.len() });
        };
        let header_bytes = decode_part(header_b64, "header")?;
        let header = parse_object(&header_bytes, "header")?;
        let payload = decode_part(payload_b64, "payload")?;
        let signature = decode_part(signature_b64, "signature")?;
        // Every JSON object of a token is parsed here (the payload by `claims`), so this is
        // the one place duplicates are looked for.
        let duplicates = [("header", &header_bytes), ("payload", &payload)]
            .into_iter()
            .flat_map(|(part, bytes)| {
                duplicate_members(bytes)
                    .into_iter()
                    .map(move |name| JwsError::DuplicateMember { part, name })
            })
            .collect();
        Ok(Token {
            signing_input: &token[..header_b64.len() + 1 + payload_b64.len()],
            header,
            payload,
            signature,
            duplicates,
        })
    }

    /// The payload parsed as a JSON object.
    pub fn claims(&self) -> Result<Map<String, Value>, JwsError> {
        parse_object(&self.payload, "payload")
    }

    /// The header's `alg`, if it is a string.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The header's `kid`, if it is a string.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The header's `kid`: absent, a string, or an error for any other JSON type (a numeric
    /// kid must not pass as "no kid" and so pick the only key of a set).
    pub fn kid_checked(&self) -> Result<Option<&str>, JwsError> {
        match self.header.get("kid") {
            None => Ok(None),
            Some(Value::String(kid)) => Ok(Some(kid)),
            Some(other) => Err(JwsError::KidNotString {
                found: json_type(other),
            }),
        }
    }

    /// The duplicated members of the header, which make its `alg` ambiguous.
    pub fn header_duplicates(&self) -> impl Iterator<Item = &JwsError> {
        self.duplicates
            .iter()
            .filter(|err| matches!(err, JwsError::DuplicateMember { part: "header", .. }))
    }

    /// The header's `alg` as a supported algorithm.
    pub fn algorithm(&self) -> Result<Algorithm, JwsError> {
        let alg = self.alg().ok_or(JwsError::MissingAlg)?;
        Algorithm::from_name(alg).ok_or_else(|| JwsError::AlgNotAllowed {
            alg: alg.to_string(),
        })
    }

    /// Checks the header and the signature against `key`: a public key, or one prepared by a
    /// backend. The one way to verify.
    ///
    /// The key's algorithm must equal the header's; `crit` and duplicated members are refused.
    pub fn verify<V: JwsVerifier + ?Sized>(&self, key: &V) -> Result<Algorithm, JwsError> {
        let alg = self.check_header(key.algorithm())?;
        key.verify(self.signing_input.as_bytes(), &self.signature)?;
        Ok(alg)
    }

    fn check_header(&self, key_alg: Algorithm) -> Result<Algorithm, JwsError> {
        if let Some(duplicate) = self.header_duplicates().next() {
            return Err(duplicate.clone());
        }
        self.kid_checked()?;
        let alg = self.algorithm()?;
        if alg != key_alg {
            return Err(JwsError::AlgMismatch {
                header: alg,
                key: key_alg,
            });
        }
        if let Some(crit) = self.header.get("crit") {
            return Err(JwsError::CriticalHeader {
                names: crit.to_string(),
            });
        }
        Ok(alg)
    }
}

fn decode_part(part: &str, name: &'static str) -> Result<Vec<u8>, JwsError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwsError::Base64 { part: name })
}

fn parse_object(bytes: &[u8], part: &'static str) -> Result<Map<String, Value>, JwsError> {
    let json_error = |reason: String| JwsError::Json { part, reason };
    if json_depth_exceeds(bytes, MAX_JSON_DEPTH) {
        return Err(json_error(format!(
            "nested deeper than {MAX_JSON_DEPTH} levels"
        )));
    }
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(json_error("not an object".into())),
        Err(err) => Err(json_error(err.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::PrivateKey;

    #[test]
    fn algorithm_names_round_trip() {
        for alg in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(alg.name()), Some(alg));
            assert_eq!(alg.name().parse::<Algorithm>(), Ok(alg));
        }
        assert_eq!("es384".parse::<Algorithm>(), Ok(Algorithm::Es384));
        assert_eq!(Algorithm::from_name("es384"), None);
        assert!("HS256".parse::<Algorithm>().is_err());
    }

    #[test]
    fn header_json_is_compact_and_ordered() {
        let mut header = Header::new(Algorithm::Es384);
        assert_eq!(header.to_json(), r#"{"alg":"ES384","typ":"JWT"}"#);
        header.kid = Some("k1".into());
        assert_eq!(
            header.to_json(),
            r#"{"alg":"ES384","typ":"JWT","kid":"k1"}"#
        );
    }

    #[test]
    fn parse_rejects_malformed_tokens() {
        assert_eq!(
            Token::parse("a.b").unwrap_err(),
            JwsError::WrongPartCount { parts: 2 }
        );
        assert_eq!(
            Token::parse("a.b.c.d").unwrap_err(),
            JwsError::WrongPartCount { parts: 4 }
        );
        assert_eq!(
            Token::parse("!!.e30.").unwrap_err(),
            JwsError::Base64 { part: "header" }
        );
        // "W10" is "[]": valid JSON, not an object.
        assert!(matches!(
            Token::parse("W10.e30.").unwrap_err(),
            JwsError::Json { part: "header", .. }
        ));
        let long = "a".repeat(MAX_TOKEN_LEN + 1);
        assert!(matches!(
            Token::parse(&long).unwrap_err(),
            JwsError::TooLong { .. }
        ));
    }

    #[test]
    fn padded_base64_is_rejected() {
        // RFC 7515 §2: base64url without padding.
        assert_eq!(
            Token::parse("e30=.e30.").unwrap_err(),
            JwsError::Base64 { part: "header" }
        );
    }

    #[test]
    fn duplicate_members_are_found_at_any_depth() {
        assert!(duplicate_members(br#"{"alg":"ES384","typ":"JWT"}"#).is_empty());
        assert_eq!(
            duplicate_members(br#"{"alg":"none","alg":"ES384"}"#),
            ["alg"]
        );
        // An escaped name is the same name.
        assert_eq!(
            duplicate_members(br#"{"alg":"none","a\u006cg":"ES384"}"#),
            ["alg"]
        );
        assert_eq!(
            duplicate_members(br#"{"keys":[{"kid":"a"},{"kid":"b","kid":"c","kid":"d"}]}"#),
            ["keys[1].kid"]
        );
        assert_eq!(
            duplicate_members(br#"{"a":{"b":1,"b":2},"a":3}"#),
            ["a.b", "a"]
        );
        assert!(duplicate_members(b"not json").is_empty());
        assert!(duplicate_members(br#"{"a":1} trailing"#).is_empty());
    }

    #[test]
    fn a_duplicated_alg_never_verifies() {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let header = r#"{"alg":"none","alg":"ES256"}"#;
        let token = crate::hazmat::sign_unchecked(header, b"{}", |input| key.sign(input)).unwrap();
        let parsed = Token::parse(&token).unwrap();
        assert_eq!(
            parsed.verify(&key.public_key()).unwrap_err(),
            JwsError::DuplicateMember {
                part: "header",
                name: "alg".into()
            }
        );
    }

    #[test]
    fn a_kid_that_is_not_a_string_is_refused() {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let token = crate::hazmat::sign_unchecked(r#"{"alg":"ES256","kid":5}"#, b"{}", |input| {
            key.sign(input)
        })
        .unwrap();
        let parsed = Token::parse(&token).unwrap();
        assert_eq!(
            parsed.verify(&key.public_key()).unwrap_err().code(),
            Code::KidInvalid
        );
    }

    #[test]
    fn depth_counter_ignores_brackets_in_strings() {
        assert!(!json_depth_exceeds(br#"{"a":"[[[[[[[["}"#, 2));
        assert!(json_depth_exceeds(b"[[[", 2));
        assert!(!json_depth_exceeds(br#"{"a":"\"[[["}"#, 1));
    }
}
