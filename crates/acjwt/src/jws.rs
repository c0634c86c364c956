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

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::backend::{Signer, Verifier};
use crate::keys::{PrivateKey, PublicKey};

/// Tokens longer than this are refused before any decoding: a pasted log line or a hostile
/// input must be answered at once, and no Altcraft token comes near it (the Android SDK refuses
/// payloads of 16 KiB).
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// JSON nesting deeper than this is refused in headers and payloads.
pub const MAX_JSON_DEPTH: usize = 32;

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

/// Why a token could not be parsed or verified.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwsError {
    /// Nothing but whitespace.
    #[error("the token is empty")]
    Empty,
    /// The input is over [`MAX_TOKEN_LEN`].
    #[error("token is {len} bytes, over the {max}-byte limit")]
    TooLong { len: usize, max: usize },
    /// Not three dot-separated parts.
    #[error("token has {parts} part(s) separated by '.', a compact JWS has 3")]
    WrongPartCount { parts: usize },
    /// A part is not unpadded base64url.
    #[error("token {part} is not valid base64url")]
    Base64 { part: &'static str },
    /// The header or payload is not a JSON object.
    #[error("token {part} is not a JSON object: {reason}")]
    Json { part: &'static str, reason: String },
    /// The header has no usable `alg`.
    #[error("header has no \"alg\" string")]
    MissingAlg,
    /// `alg` is `none`, an HMAC or anything else the platform does not accept.
    #[error(
        "header alg {alg:?} is not allowed; the platform accepts ES384, ES256, ES512 and RS256"
    )]
    AlgNotAllowed { alg: String },
    /// `alg` names a different family or curve than the key.
    #[error("header alg {header} does not match the key, which is for {key}")]
    AlgMismatch { header: Algorithm, key: Algorithm },
    /// A `crit` header names extensions this implementation must understand but does not.
    #[error("header has \"crit\" {names}; acjwt supports no critical extensions")]
    CriticalHeader { names: String },
    /// The signature does not verify (wrong key, changed header or payload, or bad encoding).
    #[error("signature does not verify: {reason}")]
    BadSignature { reason: &'static str },
    /// A member appears twice in the header or payload: JSON readers disagree on which value
    /// counts (serde_json and most others take the last, some the first), so a token could
    /// say one `alg` to one reader and another to the next.
    #[error("token {part} has the member {name:?} more than once")]
    DuplicateMember { part: &'static str, name: String },
    /// The header's `kid` is there but is not a string (RFC 7515 §4.1.4).
    #[error("header kid is {found}, not a string")]
    KidNotString { found: &'static str },
    /// The signing backend failed (not expected with a valid key).
    #[error("signing failed: {0}")]
    Signing(String),
}

impl JwsError {
    /// A stable snake_case code for `--json` output and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            JwsError::Empty
            | JwsError::TooLong { .. }
            | JwsError::WrongPartCount { .. }
            | JwsError::Base64 { .. }
            | JwsError::Json { .. } => "malformed",
            JwsError::MissingAlg | JwsError::AlgNotAllowed { .. } => "alg_not_allowed",
            JwsError::AlgMismatch { .. } => "alg_mismatch",
            JwsError::CriticalHeader { .. } => "crit_unsupported",
            JwsError::BadSignature { .. } => "bad_signature",
            JwsError::DuplicateMember { .. } => "duplicate_member",
            JwsError::KidNotString { .. } => "kid_invalid",
            JwsError::Signing(_) => "signing_failed",
        }
    }
}

/// The JOSE header acjwt writes: `{"alg":…,"typ":"JWT"}` plus `kid` when given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub alg: Algorithm,
    pub kid: Option<String>,
}

impl Header {
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

/// Signs `payload` (a serialized JSON object) and returns the compact token.
///
/// The key decides the algorithm; `header.alg` must agree with it.
pub fn sign(header: &Header, payload: &[u8], key: &PrivateKey) -> Result<String, JwsError> {
    let key_alg = key.algorithm();
    if header.alg != key_alg {
        return Err(JwsError::AlgMismatch {
            header: header.alg,
            key: key_alg,
        });
    }
    sign_with(&header.to_json(), payload, |input| key.sign(input))
}

/// Signs `payload` with a key prepared by a [`Backend`](crate::backend::Backend); the same
/// checks and output as [`sign`], for runs that sign many tokens with one key.
pub fn sign_with_signer(
    header: &Header,
    payload: &[u8],
    signer: &Signer,
) -> Result<String, JwsError> {
    let key_alg = signer.algorithm();
    if header.alg != key_alg {
        return Err(JwsError::AlgMismatch {
            header: header.alg,
            key: key_alg,
        });
    }
    sign_with(&header.to_json(), payload, |input| signer.sign(input))
}

/// Assembles a compact token around a signing function; the seam shared by every backend.
///
/// Low level: the header is signed as given, without the checks [`sign`] makes, so this can
/// produce tokens acjwt itself rejects (tests use it to forge them). Prefer [`sign`].
pub fn sign_with(
    header_json: &str,
    payload: &[u8],
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, JwsError>,
) -> Result<String, JwsError> {
    let mut token =
        String::with_capacity(base64_len(header_json.len()) + base64_len(payload.len()) + 180 + 2);
    URL_SAFE_NO_PAD.encode_string(header_json, &mut token);
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

    /// Checks the header and the signature against `key`.
    ///
    /// The key's algorithm must equal the header's; `crit` is refused.
    pub fn verify(&self, key: &PublicKey) -> Result<Algorithm, JwsError> {
        let alg = self.check_header(key.algorithm())?;
        key.verify(self.signing_input.as_bytes(), &self.signature)?;
        Ok(alg)
    }

    /// [`Token::verify`] with a key prepared by a backend: the same header rules.
    pub fn verify_with(&self, verifier: &Verifier) -> Result<Algorithm, JwsError> {
        let alg = self.check_header(verifier.algorithm())?;
        verifier.verify(self.signing_input.as_bytes(), &self.signature)?;
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

/// The JSON type of a value, for messages that must not show the value.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The members that appear more than once in an object of `json`, as paths (`alg`,
/// `keys[0].kid`), in the order found; empty when there are none or `json` is not JSON (the
/// caller's parser reports that).
///
/// serde_json's `Value` keeps the last of duplicate members without a word, so this walks the
/// document once more with a visitor that remembers each object's member names. The input is
/// a token part or a key file (at most 64 KiB and 1 MiB, depth-limited by the caller).
pub fn duplicate_members(json: &[u8]) -> Vec<String> {
    use serde::de::DeserializeSeed as _;
    let mut found = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let scan = duplicates::Scan {
        path: String::new(),
        found: &mut found,
    };
    if scan.deserialize(&mut deserializer).is_err() || deserializer.end().is_err() {
        return Vec::new();
    }
    found
}

mod duplicates {
    //! The visitor behind [`duplicate_members`](super::duplicate_members).

    use std::collections::HashSet;
    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

    pub(super) struct Scan<'a> {
        pub(super) path: String,
        pub(super) found: &'a mut Vec<String>,
    }

    impl<'de> DeserializeSeed<'de> for Scan<'_> {
        type Value = ();

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    macro_rules! ignore {
        ($($method:ident: $type:ty),*) => {
            $(fn $method<E: serde::de::Error>(self, _: $type) -> Result<(), E> { Ok(()) })*
        };
    }

    impl<'de> Visitor<'de> for Scan<'_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        ignore!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64,
            visit_str: &str);

        fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
            Ok(())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0usize;
            loop {
                let element = Scan {
                    path: format!("{}[{index}]", self.path),
                    found: &mut *self.found,
                };
                if seq.next_element_seed(element)?.is_none() {
                    return Ok(());
                }
                index += 1;
            }
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = HashSet::new();
            while let Some(name) = map.next_key::<String>()? {
                let path = if self.path.is_empty() {
                    name.clone()
                } else {
                    format!("{}.{name}", self.path)
                };
                if !seen.insert(name) && !self.found.contains(&path) {
                    self.found.push(path.clone());
                }
                map.next_value_seed(Scan {
                    path,
                    found: &mut *self.found,
                })?;
            }
            Ok(())
        }
    }
}

/// Whether brackets nest deeper than `max`, counted without parsing (strings are skipped).
///
/// serde_json has its own recursion limit of 128; this keeps the bound tighter and the error
/// clearer for hostile input.
pub(crate) fn json_depth_exceeds(bytes: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let token = sign_with(header, b"{}", |input| key.sign(input)).unwrap();
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
        let token =
            sign_with(r#"{"alg":"ES256","kid":5}"#, b"{}", |input| key.sign(input)).unwrap();
        let parsed = Token::parse(&token).unwrap();
        assert_eq!(
            parsed.verify(&key.public_key()).unwrap_err().code(),
            "kid_invalid"
        );
    }

    #[test]
    fn depth_counter_ignores_brackets_in_strings() {
        assert!(!json_depth_exceeds(br#"{"a":"[[[[[[[["}"#, 2));
        assert!(json_depth_exceeds(b"[[[", 2));
        assert!(!json_depth_exceeds(br#"{"a":"\"[[["}"#, 1));
    }
}
