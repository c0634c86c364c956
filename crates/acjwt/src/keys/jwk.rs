//! JSON Web Keys (RFC 7517/7518) and thumbprints (RFC 7638).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::BoxedUint;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::load::{AnyKey, KeyFile, LoadedKey, UnusableKey, from_jwk};
use super::{
    EcKeyError, EcPrivateKey, KeyError, KeyFormat, PrivateKey, PublicKey, RsaSigningKey,
    RsaVerifyingKey,
};

/// A JWK as acjwt reads and writes it: EC (`P-256`, `P-384`, `P-521`) or RSA, public or private.
///
/// Read member by member ([`Jwk::from_json`]) rather than with a serde derive, whose errors
/// quote the offending value: in a JWK that may be a private key's `d` or `p`.
#[derive(Clone, Default, Serialize, PartialEq, Eq)]
pub struct Jwk {
    /// The key type: `EC` or `RSA` (RFC 7517 §4.1).
    pub kty: String,
    /// The key id a token's header names to pick this key from a set; see
    /// [`check_kid`](super::check_kid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// The JSON member `use`: `sig` or `enc`; a key with anything but `sig` is not used for JWS.
    #[serde(rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    /// The permitted operations; if given, must include `sign` (private key) or `verify` (public).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_ops: Option<Vec<String>>,
    /// The one algorithm the key is for (`ES384`, ...); if given, must be the key's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// The curve of an EC key: `P-256`, `P-384` or `P-521`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// The EC public point's x coordinate, base64url, the curve's length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// The EC public point's y coordinate, base64url, the curve's length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    /// The RSA modulus, base64url big-endian.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// The RSA public exponent, base64url big-endian.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// The private part: the EC scalar or the RSA private exponent, base64url. Secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    /// The first RSA prime factor, base64url. Secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p: Option<String>,
    /// The second RSA prime factor, base64url. Secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// The RSA CRT exponent `d mod (p - 1)`, base64url. Secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dp: Option<String>,
    /// The RSA CRT exponent `d mod (q - 1)`, base64url. Secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dq: Option<String>,
    /// The RSA CRT coefficient `q⁻¹ mod p`, base64url. Secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qi: Option<String>,
}

impl std::fmt::Debug for Jwk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwk")
            .field("kty", &self.kty)
            .field("crv", &self.crv)
            .field("kid", &self.kid)
            .field("private", &self.d.is_some())
            .finish_non_exhaustive()
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn invalid(reason: impl Into<String>) -> KeyError {
    KeyError::Invalid {
        format: KeyFormat::Jwk,
        reason: reason.into(),
    }
}

/// A member value fit for an error message: names such as `secp256k1` are shown, anything
/// long or odd is not, since a JWK holds private key material and a value in the wrong member
/// (a pasted `d`) must not end up in a terminal or a CI log.
fn shown(value: &str) -> String {
    if value.len() <= 12
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        value.to_string()
    } else {
        "an unrecognized value".to_string()
    }
}

fn member<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, KeyError> {
    value
        .as_deref()
        .ok_or_else(|| invalid(format!("missing \"{name}\"")))
}

/// A member's bytes, zeroized on drop: for `d`, `p`, `q` they are the private key.
fn decode_member(
    value: &Option<String>,
    name: &str,
) -> Result<zeroize::Zeroizing<Vec<u8>>, KeyError> {
    URL_SAFE_NO_PAD
        .decode(member(value, name)?)
        .map(zeroize::Zeroizing::new)
        .map_err(|_| invalid(format!("\"{name}\" is not base64url")))
}

fn uint(value: &Option<String>, name: &str) -> Result<BoxedUint, KeyError> {
    let bytes = decode_member(value, name)?;
    if bytes.is_empty() {
        return Err(invalid(format!("\"{name}\" is empty")));
    }
    Ok(BoxedUint::from_be_slice_vartime(&bytes))
}

/// A string member, or `None`; any other JSON type is an error that names the member and
/// what it should be, never the value.
fn string_member(object: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match object.get(name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(format!(
            "\"{name}\" must be a string, found {}",
            crate::json::json_type(other)
        )),
    }
}

impl Jwk {
    /// Reads a JWK object. Errors name the member and what was expected, and quote no value.
    ///
    /// `kid` must be a string that passes [`check_kid`](super::check_kid); `key_ops` an array
    /// of strings. Members acjwt does not use (`x5c`, `ext`, ...) are ignored. Nothing is
    /// checked against the key yet: [`Jwk::to_key`] and [`Jwk::check_for_signatures`] do that.
    pub fn from_json(value: &Value) -> Result<Jwk, KeyError> {
        Jwk::read_members(value).map_err(invalid)
    }

    /// [`Jwk::from_json`] with the reason alone, for a JWKS to say which member it is.
    fn read_members(value: &Value) -> Result<Jwk, String> {
        let Value::Object(object) = value else {
            return Err(format!(
                "a JWK must be a JSON object, found {}",
                crate::json::json_type(value)
            ));
        };
        let string = |name: &str| string_member(object, name);
        let kid = string("kid")?;
        if let Some(kid) = &kid {
            super::check_kid(kid).map_err(|err| format!("\"kid\": {err}"))?;
        }
        let key_ops = match object.get("key_ops") {
            None => None,
            Some(Value::Array(ops)) => Some(
                ops.iter()
                    .map(|op| op.as_str().map(String::from))
                    .collect::<Option<Vec<String>>>()
                    .ok_or("\"key_ops\" must be an array of strings")?,
            ),
            Some(_) => return Err("\"key_ops\" must be an array of strings".into()),
        };
        Ok(Jwk {
            kty: string("kty")?.ok_or("missing \"kty\"")?,
            kid,
            use_: string("use")?,
            key_ops,
            alg: string("alg")?,
            crv: string("crv")?,
            x: string("x")?,
            y: string("y")?,
            n: string("n")?,
            e: string("e")?,
            d: string("d")?,
            p: string("p")?,
            q: string("q")?,
            dp: string("dp")?,
            dq: string("dq")?,
            qi: string("qi")?,
        })
    }

    /// Refuses a key whose `use`, `key_ops` or `alg` says it is not for JWS with its own
    /// algorithm, as JOSE libraries (node's jose) do: `use` must be `sig`, `key_ops` must
    /// include `sign` for a private key and `verify` for a public one, and `alg` must be the
    /// key's own (`ES384` for P-384, ...). Absent members allow everything.
    pub fn check_for_signatures(&self, key: &AnyKey) -> Result<(), KeyError> {
        let alg = key.public_key().algorithm();
        let refuse = |reason: String| Err(KeyError::NotForSignatures { alg, reason });
        if let Some(use_) = self.use_.as_deref()
            && use_ != "sig"
        {
            return refuse(format!(
                "its \"use\" is {}; signature keys have \"sig\"",
                shown(use_)
            ));
        }
        if let Some(ops) = &self.key_ops {
            let needed = if key.is_private() { "sign" } else { "verify" };
            if !ops.iter().any(|op| op == needed) {
                return refuse(format!("its \"key_ops\" do not include \"{needed}\""));
            }
        }
        if let Some(named) = self.alg.as_deref()
            && named != alg.name()
        {
            return refuse(format!(
                "its \"alg\" is {}, but this {} key is for {alg}",
                shown(named),
                key.public_key().kind()
            ));
        }
        Ok(())
    }

    /// The public JWK of a key, with `alg` and `use` set for JWS.
    pub fn from_public(key: &PublicKey) -> Jwk {
        let mut jwk = Jwk {
            alg: Some(key.algorithm().name().into()),
            use_: Some("sig".into()),
            ..Jwk::default()
        };
        let point = match key {
            PublicKey::P256(k) => k.to_sec1_bytes(),
            PublicKey::P384(k) => k.to_sec1_bytes(),
            PublicKey::P521(k) => k.to_sec1_bytes(),
            PublicKey::Rsa(k) => {
                let k = k.as_ref().as_ref();
                jwk.kty = "RSA".into();
                jwk.n = Some(b64(&k.n_bytes()));
                jwk.e = Some(b64(&k.e_bytes()));
                return jwk;
            }
        };
        // Uncompressed SEC1 point: 0x04 || x || y, each coordinate the field size.
        let coordinate_len = (point.len() - 1) / 2;
        jwk.kty = "EC".into();
        jwk.crv = key.algorithm().curve().map(String::from);
        jwk.x = Some(b64(&point[1..1 + coordinate_len]));
        jwk.y = Some(b64(&point[1 + coordinate_len..]));
        jwk
    }

    /// The private JWK of a key (public members plus `d` and, for RSA, the CRT values).
    pub fn from_private(key: &PrivateKey) -> Jwk {
        let mut jwk = Jwk::from_public(&key.public_key());
        match key {
            PrivateKey::P256(k) => jwk.d = Some(b64(&k.scalar_bytes())),
            PrivateKey::P384(k) => jwk.d = Some(b64(&k.scalar_bytes())),
            PrivateKey::P521(k) => jwk.d = Some(b64(&k.scalar_bytes())),
            PrivateKey::Rsa(k) => {
                let k = k.as_ref().as_ref();
                let trimmed = |n: &BoxedUint| b64(&n.to_be_bytes_trimmed_vartime());
                jwk.d = Some(trimmed(k.d()));
                if let [p, q] = k.primes() {
                    jwk.p = Some(trimmed(p.as_ref()));
                    jwk.q = Some(trimmed(q.as_ref()));
                }
                jwk.dp = k.dp().map(trimmed);
                jwk.dq = k.dq().map(trimmed);
                jwk.qi = k.crt_coefficient().as_ref().map(trimmed);
            }
        }
        jwk
    }

    /// The key this JWK describes; private when it has `d`.
    pub fn to_key(&self) -> Result<AnyKey, KeyError> {
        match self.kty.as_str() {
            "EC" => self.to_ec_key(),
            "RSA" => self.to_rsa_key(),
            "oct" => Err(KeyError::Unsupported {
                what: "a symmetric (oct) JWK; the platform needs an EC or RSA public key".into(),
            }),
            "OKP" => Err(KeyError::Unsupported {
                what: format!(
                    "an OKP ({}) JWK; the platform accepts P-256, P-384, P-521 and RSA",
                    shown(self.crv.as_deref().unwrap_or("?"))
                ),
            }),
            other => Err(invalid(format!("unknown kty {}", shown(other)))),
        }
    }

    fn to_ec_key(&self) -> Result<AnyKey, KeyError> {
        let crv = member(&self.crv, "crv")?;
        let x = decode_member(&self.x, "x")?;
        let y = decode_member(&self.y, "y")?;
        let coordinate_len = match crv {
            "P-256" => 32,
            "P-384" => 48,
            "P-521" => 66,
            other => {
                return Err(KeyError::Unsupported {
                    what: format!(
                        "an EC JWK on {}; the platform accepts P-256, P-384 and P-521",
                        shown(other)
                    ),
                });
            }
        };
        if x.len() != coordinate_len || y.len() != coordinate_len {
            return Err(invalid(format!(
                "{crv} coordinates must be {coordinate_len} bytes each"
            )));
        }
        let mut point = Vec::with_capacity(1 + 2 * coordinate_len);
        point.push(0x04);
        point.extend_from_slice(&x);
        point.extend_from_slice(&y);
        let bad_point = |_| invalid("x/y is not a point on the curve");
        let public = match crv {
            "P-256" => PublicKey::P256(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(bad_point)?,
            ),
            "P-384" => PublicKey::P384(
                p384::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(bad_point)?,
            ),
            _ => PublicKey::P521(
                p521::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(bad_point)?,
            ),
        };
        if self.d.is_none() {
            return Ok(AnyKey::Public(public));
        }
        let d = decode_member(&self.d, "d")?;
        let private = match crv {
            "P-256" => EcPrivateKey::from_scalar(&d, Some(&point)).map(PrivateKey::P256),
            "P-384" => EcPrivateKey::from_scalar(&d, Some(&point)).map(PrivateKey::P384),
            _ => EcPrivateKey::from_scalar(&d, Some(&point)).map(PrivateKey::P521),
        }
        .map_err(|err| match err {
            EcKeyError::InvalidScalar => {
                invalid("\"d\" is not a valid private scalar for the curve")
            }
            EcKeyError::WrongPublicPoint => {
                invalid("\"d\" does not belong to the public point x/y")
            }
        })?;
        Ok(AnyKey::Private(private))
    }

    fn to_rsa_key(&self) -> Result<AnyKey, KeyError> {
        let n = uint(&self.n, "n")?;
        let e = uint(&self.e, "e")?;
        if self.d.is_none() {
            let key = rsa::PublicKey::new(n, e).map_err(|err| invalid(err.to_string()))?;
            return Ok(AnyKey::Public(PublicKey::Rsa(Box::new(
                RsaVerifyingKey::new(key),
            ))));
        }
        let d = uint(&self.d, "d")?;
        let primes = match (&self.p, &self.q) {
            (Some(_), Some(_)) => vec![uint(&self.p, "p")?, uint(&self.q, "q")?],
            _ => Vec::new(),
        };
        let key = rsa::PrivateKey::from_components(n, e, d, primes)
            .map_err(|err| invalid(err.to_string()))?;
        Ok(AnyKey::Private(PrivateKey::Rsa(Box::new(
            RsaSigningKey::new(key),
        ))))
    }
}

/// The RFC 7638 SHA-256 thumbprint of a public key, base64url: a stable `kid`.
pub fn jwk_thumbprint(key: &PublicKey) -> String {
    let jwk = Jwk::from_public(key);
    // Required members only, in lexicographic order, no whitespace (RFC 7638 §3.2).
    let canonical = match jwk.kty.as_str() {
        "EC" => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            jwk.crv.unwrap_or_default(),
            jwk.x.unwrap_or_default(),
            jwk.y.unwrap_or_default()
        ),
        _ => format!(
            r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
            jwk.e.unwrap_or_default(),
            jwk.n.unwrap_or_default()
        ),
    };
    b64(&Sha256::digest(canonical.as_bytes()))
}

/// Parses a JWK or a JWKS (`{"keys": [...]}`).
///
/// A member given twice is refused (which `kid` or `d` counts would be a guess), and errors
/// never quote a member's value.
pub(super) fn parse_jwk_or_set(json: &[u8]) -> Result<KeyFile, KeyError> {
    if crate::json::json_depth_exceeds(json, crate::json::MAX_JSON_DEPTH) {
        return Err(invalid("JSON nested too deeply"));
    }
    let value: Value = serde_json::from_slice(json).map_err(|err| KeyError::Unrecognized {
        reason: format!("starts like JSON but is not: {err}"),
    })?;
    let format = if value.get("keys").is_some() {
        KeyFormat::Jwks
    } else {
        KeyFormat::Jwk
    };
    if let Some(name) = crate::json::duplicate_members(json).into_iter().next() {
        return Err(KeyError::Invalid {
            format,
            reason: format!("the member {name:?} appears more than once"),
        });
    }
    if let Some(keys) = value.get("keys") {
        let keys = keys.as_array().ok_or_else(|| KeyError::Invalid {
            format: KeyFormat::Jwks,
            reason: "\"keys\" is not an array".into(),
        })?;
        let mut loaded = Vec::with_capacity(keys.len());
        let mut unusable = Vec::new();
        for (index, key) in keys.iter().enumerate() {
            let invalid_member = |err: &dyn std::fmt::Display| KeyError::Invalid {
                format: KeyFormat::Jwks,
                reason: format!("key {index}: {err}"),
            };
            let jwk = Jwk::read_members(key).map_err(|e| invalid_member(&e))?;
            match from_jwk(&jwk) {
                Ok(key) => loaded.push(key),
                // Mixed sets are normal (identity providers publish encryption keys and
                // other key types beside signing keys); a damaged member of a supported type
                // is not. Only a token whose kid picks a skipped key fails.
                Err(KeyError::Unsupported { what }) => unusable.push(UnusableKey {
                    kid: jwk.kid.clone(),
                    reason: what,
                }),
                // Worded to follow "the JWKS key with kid … is": "not for ES384 signatures: …".
                Err(KeyError::NotForSignatures { alg, reason }) => unusable.push(UnusableKey {
                    kid: jwk.kid.clone(),
                    reason: format!("not for {alg} signatures: {reason}"),
                }),
                Err(err) => return Err(invalid_member(&err)),
            }
        }
        return Ok(KeyFile {
            format: KeyFormat::Jwks,
            keys: loaded,
            unusable,
        });
    }
    let jwk = Jwk::from_json(&value)?;
    let key: LoadedKey = from_jwk(&jwk)?;
    Ok(KeyFile {
        format: KeyFormat::Jwk,
        keys: vec![key],
        unusable: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::Algorithm;
    use crate::keys::load_key_file;

    #[test]
    fn rfc7638_example_thumbprint() {
        // RFC 7638 §3.1.
        let jwk = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
        let file = load_key_file(jwk.as_bytes()).unwrap();
        let key = file.verification_key(None).unwrap();
        assert_eq!(
            jwk_thumbprint(&key),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        assert_eq!(file.keys[0].kid.as_deref(), Some("2011-04-29"));
    }

    #[test]
    fn jwk_round_trips_for_every_algorithm() {
        for alg in Algorithm::ALL {
            let key = PrivateKey::generate(alg, 2048).unwrap();
            let private = serde_json::to_string(&Jwk::from_private(&key)).unwrap();
            let file = load_key_file(private.as_bytes()).unwrap();
            assert_eq!(file.format, KeyFormat::Jwk);
            let loaded = file.signing_key("test").unwrap();
            let signature = loaded.sign(b"m").unwrap();
            key.public_key().verify(b"m", &signature).unwrap();

            let public = serde_json::to_string(&Jwk::from_public(&key.public_key())).unwrap();
            let file = load_key_file(public.as_bytes()).unwrap();
            assert_eq!(file.verification_key(None).unwrap(), key.public_key());
        }
    }

    #[test]
    fn jwks_selects_by_kid() {
        let a = PrivateKey::generate(Algorithm::Es256, 0)
            .unwrap()
            .public_key();
        let b = PrivateKey::generate(Algorithm::Es384, 0)
            .unwrap()
            .public_key();
        let mut ja = Jwk::from_public(&a);
        ja.kid = Some("a".into());
        let mut jb = Jwk::from_public(&b);
        jb.kid = Some("b".into());
        let set = serde_json::json!({ "keys": [ja, jb] }).to_string();
        let file = load_key_file(set.as_bytes()).unwrap();
        assert_eq!(file.verification_key(Some("b")).unwrap(), b);
        assert!(
            file.verification_key(Some("c"))
                .unwrap_err()
                .to_string()
                .contains("\"c\"")
        );
        assert!(file.verification_key(None).is_err());
    }

    #[test]
    fn odd_member_values_are_not_echoed() {
        // Regression (found by the secrets test): an unknown crv or kty was quoted in full,
        // so a private value pasted into the wrong member was printed.
        let secret = "O3Nnd7teoLh1WxBVigWQDHzUIYOuWoAi6bDG5LE8leBvvcvOa4Hs4dUevAnzaxQd";
        for jwk in [
            format!(r#"{{"kty":"EC","crv":"{secret}","x":"AA","y":"AA"}}"#),
            format!(r#"{{"kty":"{secret}"}}"#),
            format!(r#"{{"kty":"OKP","crv":"{secret}"}}"#),
        ] {
            let err = load_key_file(jwk.as_bytes()).unwrap_err().to_string();
            assert!(!err.contains(secret), "{err}");
            assert!(err.contains("an unrecognized value"), "{err}");
        }
        let err = load_key_file(br#"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("an EC JWK on secp256k1"), "{err}");
    }

    #[test]
    fn unsupported_members_of_a_set_are_skipped_but_remembered() {
        let ec = PrivateKey::generate(Algorithm::Es384, 0)
            .unwrap()
            .public_key();
        let mut jwk = Jwk::from_public(&ec);
        jwk.kid = Some("ec1".into());
        let set = serde_json::json!({"keys": [
            {"kty": "OKP", "crv": "Ed25519", "kid": "ed1", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
            {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
            jwk,
        ]})
        .to_string();
        let file = load_key_file(set.as_bytes()).unwrap();
        assert_eq!(file.keys.len(), 1);
        assert_eq!(file.unusable.len(), 2);
        assert_eq!(file.verification_key(Some("ec1")).unwrap(), ec);
        assert!(matches!(
            file.verification_key(Some("ed1")),
            Err(KeyError::KidUnsupported { .. })
        ));
        assert!(matches!(
            file.verification_key(Some("nope")),
            Err(KeyError::KidNotFound { .. })
        ));
    }

    #[test]
    fn a_jwk_with_a_kid_is_a_one_key_set() {
        let key = PrivateKey::generate(Algorithm::Es256, 0)
            .unwrap()
            .public_key();
        let mut jwk = Jwk::from_public(&key);
        let unnamed = load_key_file(serde_json::to_string(&jwk).unwrap().as_bytes()).unwrap();
        assert_eq!(unnamed.verification_key(Some("any")).unwrap(), key);
        jwk.kid = Some("k1".into());
        let named = load_key_file(serde_json::to_string(&jwk).unwrap().as_bytes()).unwrap();
        assert_eq!(named.verification_key(Some("k1")).unwrap(), key);
        assert_eq!(named.verification_key(None).unwrap(), key);
        assert!(matches!(
            named.verification_key(Some("k2")),
            Err(KeyError::KidNotFound { .. })
        ));
    }

    #[test]
    fn members_of_the_wrong_type_are_named_not_quoted() {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let mut jwk = serde_json::to_value(Jwk::from_private(&key)).unwrap();
        jwk["d"] = serde_json::json!(1.424_641_953_452_388e308);
        let err = load_key_file(jwk.to_string().as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "invalid JWK key: \"d\" must be a string, found a number"
        );
        jwk["d"] = serde_json::json!(["secret"]);
        let set = serde_json::json!({ "keys": [jwk] }).to_string();
        let err = load_key_file(set.as_bytes()).unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid JWKS key: key 0: \"d\" must be a string, found an array"
        );
    }

    #[test]
    fn use_key_ops_and_alg_must_allow_signatures_with_the_key() {
        let private = PrivateKey::generate(Algorithm::Es384, 0).unwrap();
        let public = Jwk::from_public(&private.public_key());
        let check = |jwk: &Jwk, key: &PrivateKey, private: bool| {
            let key = if private {
                AnyKey::Private(key.clone())
            } else {
                AnyKey::Public(key.public_key())
            };
            jwk.check_for_signatures(&key)
        };
        assert!(check(&public, &private, false).is_ok());
        let with = |change: fn(&mut Jwk)| {
            let mut jwk = public.clone();
            change(&mut jwk);
            jwk
        };
        for jwk in [
            with(|j| j.use_ = Some("enc".into())),
            with(|j| j.alg = Some("ES256".into())),
            with(|j| j.key_ops = Some(vec!["sign".into()])),
        ] {
            assert!(matches!(
                check(&jwk, &private, false),
                Err(KeyError::NotForSignatures { .. })
            ));
        }
        let sign_only = with(|j| j.key_ops = Some(vec!["sign".into()]));
        assert!(check(&sign_only, &private, true).is_ok());
    }

    #[test]
    fn mismatched_private_scalar_is_rejected() {
        let a = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let b = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let mut jwk = Jwk::from_public(&a.public_key());
        jwk.d = Jwk::from_private(&b).d;
        let err = jwk.to_key().unwrap_err().to_string();
        assert!(err.contains("does not belong"), "{err}");
    }
}
