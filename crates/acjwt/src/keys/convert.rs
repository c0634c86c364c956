//! What a key is (for `acjwt key inspect`) and the same key written in another format (for
//! `acjwt key public` and `acjwt key convert`).

use serde::Serialize;
use zeroize::Zeroizing;

use super::load::{AnyKey, KeyFile, LoadedKey};
use super::{Jwk, KeyError, KeyFormat, MAX_RSA_BITS, MIN_RSA_BITS, PublicKey, jwk_thumbprint};

/// Everything `key inspect` reports about one key. Holds no private material.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct KeyInfo {
    /// The `kid` the file gave the key (JWK and JWKS only).
    pub kid: Option<String>,
    /// Whether the file holds the private key (the report itself never does).
    pub private: bool,
    /// The one JWS algorithm the key is for: `ES384`, `RS256`, ...
    pub algorithm: &'static str,
    /// `EC` or `RSA`, as in a JWK's `kty`.
    pub key_type: &'static str,
    /// The JOSE curve name (`P-256`, `P-384`, `P-521`); `None` for RSA.
    pub curve: Option<&'static str>,
    /// The RSA modulus size in bits; `None` for EC.
    pub rsa_bits: Option<usize>,
    /// SHA-256 of the SubjectPublicKeyInfo DER, lowercase hex: what
    /// `openssl pkey -pubin -outform DER | sha256sum` prints for the public key.
    pub spki_sha256: String,
    /// The RFC 7638 JWK thumbprint (SHA-256, base64url).
    pub thumbprint: String,
    /// Why the platform would refuse the key for JWT auth; `None` when it accepts it.
    pub refusal: Option<String>,
    /// The public key as SPKI PEM, what the resource's token settings take.
    pub public_pem: String,
}

impl KeyInfo {
    /// The report for one key of a file. Fails only if the public key cannot be encoded
    /// ([`KeyError::Encoding`]), which a key that loaded does not do.
    pub fn new(loaded: &LoadedKey) -> Result<KeyInfo, KeyError> {
        let public = loaded.key.public_key();
        let algorithm = public.algorithm();
        Ok(KeyInfo {
            kid: loaded.kid.clone(),
            private: loaded.key.is_private(),
            algorithm: algorithm.name(),
            key_type: if algorithm.curve().is_some() {
                "EC"
            } else {
                "RSA"
            },
            curve: algorithm.curve(),
            rsa_bits: public.rsa_bits(),
            spki_sha256: hex(&public.spki_sha256()?),
            thumbprint: jwk_thumbprint(&public),
            refusal: platform_refusal(&public),
            public_pem: public.to_spki_pem()?,
        })
    }

    /// Whether the platform takes the key for JWT auth (no [`KeyInfo::refusal`]).
    pub fn accepted(&self) -> bool {
        self.refusal.is_none()
    }
}

/// Why the platform would refuse this public key for JWT auth, or `None` if it takes it.
///
/// Keys on other curves (secp256k1, Ed25519, ...) never get this far: loading them fails with
/// [`KeyError::Unsupported`], whose message says the same thing.
pub fn platform_refusal(key: &PublicKey) -> Option<String> {
    match key.rsa_bits() {
        Some(bits) if bits < MIN_RSA_BITS => Some(format!(
            "RSA keys need at least {MIN_RSA_BITS} bits; this one has {bits}"
        )),
        Some(bits) if bits > MAX_RSA_BITS => Some(format!(
            "RSA keys over {MAX_RSA_BITS} bits are refused; this one has {bits}"
        )),
        _ => None,
    }
}

/// Lowercase hex, as sha256sum prints it.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A key written in a requested format.
#[derive(Debug)]
pub struct Converted {
    /// The key(s) in the requested format, PEM or pretty-printed JSON, ending in a newline;
    /// zeroized on drop, since it may be a private key.
    pub text: Zeroizing<String>,
    /// The text holds private key material: write it 0600, never to a terminal.
    pub private: bool,
}

/// Writes the key(s) in `file` as `to`.
///
/// SEC1 and PKCS#8 are private-key formats, SPKI a public one, PKCS#1 either (RSA only).
/// JWK and JWKS hold the public key unless `include_private` is set, so a private key is
/// never passed on by accident. A JWKS takes every key of the file; the other formats need a
/// file with exactly one key.
pub fn convert(
    file: &KeyFile,
    to: KeyFormat,
    include_private: bool,
) -> Result<Converted, KeyError> {
    if to == KeyFormat::Jwks {
        let mut keys = Vec::with_capacity(file.keys.len());
        for loaded in &file.keys {
            keys.push(jwk_of(loaded, include_private));
        }
        if include_private && !file.keys.iter().any(|k| k.key.is_private()) {
            return Err(need_private(file, to));
        }
        let text = serde_json::to_string_pretty(&serde_json::json!({ "keys": keys }))
            .map_err(|e| KeyError::Encoding(e.to_string()))?;
        return Ok(Converted {
            text: Zeroizing::new(text + "\n"),
            private: include_private,
        });
    }
    let loaded = match &file.keys[..] {
        [only] => only,
        keys => {
            return Err(KeyError::NotOneKey {
                count: keys.len(),
                purpose: format!("conversion to {to}"),
            });
        }
    };
    let not_representable = |reason: &str| KeyError::NotRepresentable {
        format: to,
        reason: reason.to_string(),
    };
    let (text, private) = match (to, &loaded.key) {
        (KeyFormat::Jwk, key) => {
            if include_private && !key.is_private() {
                return Err(need_private(file, to));
            }
            let jwk = jwk_of(loaded, include_private);
            let text = serde_json::to_string_pretty(&jwk)
                .map_err(|e| KeyError::Encoding(e.to_string()))?;
            (Zeroizing::new(text + "\n"), include_private)
        }
        (KeyFormat::Spki, key) => (Zeroizing::new(key.public_key().to_spki_pem()?), false),
        (KeyFormat::Sec1, AnyKey::Private(key)) => match key.to_sec1_pem() {
            Some(pem) => (pem?, true),
            None => return Err(not_representable("RSA keys (use pkcs8 or pkcs1)")),
        },
        (KeyFormat::Pkcs8, AnyKey::Private(key)) => (key.to_pkcs8_pem()?, true),
        (KeyFormat::Pkcs1, AnyKey::Private(key)) => match key.to_pkcs1_pem() {
            Some(pem) => (pem?, true),
            None => return Err(not_representable("EC keys (use sec1 or pkcs8)")),
        },
        (KeyFormat::Pkcs1, AnyKey::Public(key)) => match key.to_pkcs1_pem() {
            Some(pem) => (Zeroizing::new(pem?), false),
            None => return Err(not_representable("EC keys (use spki for a public key)")),
        },
        (KeyFormat::Sec1 | KeyFormat::Pkcs8, AnyKey::Public(_)) => {
            return Err(need_private(file, to));
        }
        (KeyFormat::Jwks, _) => unreachable!("handled above"),
    };
    Ok(Converted { text, private })
}

fn jwk_of(loaded: &LoadedKey, include_private: bool) -> Jwk {
    let mut jwk = match &loaded.key {
        AnyKey::Private(key) if include_private => Jwk::from_private(key),
        key => Jwk::from_public(&key.public_key()),
    };
    jwk.kid = loaded.kid.clone();
    jwk
}

fn need_private(file: &KeyFile, to: KeyFormat) -> KeyError {
    KeyError::NeedPrivate {
        found: file.describe(),
        purpose: format!("{to} output"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::Algorithm;
    use crate::keys::{PrivateKey, load_key_file};

    fn file_of(key: &PrivateKey) -> KeyFile {
        load_key_file(key.to_pkcs8_pem().unwrap().as_bytes()).unwrap()
    }

    #[test]
    fn every_format_round_trips_to_the_same_key() {
        for alg in Algorithm::ALL {
            let key = PrivateKey::generate(alg, 2048).unwrap();
            let file = file_of(&key);
            for to in [
                KeyFormat::Sec1,
                KeyFormat::Pkcs8,
                KeyFormat::Pkcs1,
                KeyFormat::Spki,
                KeyFormat::Jwk,
                KeyFormat::Jwks,
            ] {
                for include_private in [false, true] {
                    let converted = match convert(&file, to, include_private) {
                        Ok(converted) => converted,
                        Err(KeyError::NotRepresentable { .. }) => {
                            assert!(
                                matches!(to, KeyFormat::Sec1 | KeyFormat::Pkcs1),
                                "{alg} {to}"
                            );
                            continue;
                        }
                        Err(err) => panic!("{alg} {to}: {err}"),
                    };
                    let back = load_key_file(converted.text.as_bytes()).unwrap();
                    assert_eq!(back.format, to, "{alg} {to}");
                    assert_eq!(back.keys[0].key.is_private(), converted.private);
                    assert_eq!(
                        back.keys[0].key.public_key(),
                        key.public_key(),
                        "{alg} {to}"
                    );
                }
            }
        }
    }

    #[test]
    fn jwk_keeps_d_only_when_asked() {
        let key = PrivateKey::generate(Algorithm::Es384, 0).unwrap();
        let file = file_of(&key);
        let public = convert(&file, KeyFormat::Jwk, false).unwrap();
        assert!(!public.private);
        assert!(!public.text.contains("\"d\""));
        let private = convert(&file, KeyFormat::Jwk, true).unwrap();
        assert!(private.private);
        assert!(private.text.contains("\"d\""));
    }

    #[test]
    fn public_keys_cannot_become_private_formats() {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let spki = load_key_file(key.public_key().to_spki_pem().unwrap().as_bytes()).unwrap();
        for to in [KeyFormat::Sec1, KeyFormat::Pkcs8] {
            let err = convert(&spki, to, false).unwrap_err();
            assert!(matches!(err, KeyError::NeedPrivate { .. }), "{to}: {err}");
        }
        assert!(matches!(
            convert(&spki, KeyFormat::Jwk, true).unwrap_err(),
            KeyError::NeedPrivate { .. }
        ));
        assert!(matches!(
            convert(&spki, KeyFormat::Pkcs1, false).unwrap_err(),
            KeyError::NotRepresentable { .. }
        ));
    }

    #[test]
    fn info_names_the_key_and_matches_openssl_style_fingerprints() {
        let key = PrivateKey::generate(Algorithm::Es384, 0).unwrap();
        let file = file_of(&key);
        let info = KeyInfo::new(&file.keys[0]).unwrap();
        assert_eq!(info.algorithm, "ES384");
        assert_eq!(info.curve, Some("P-384"));
        assert!(info.private && info.accepted());
        assert_eq!(info.spki_sha256.len(), 64);
        assert_eq!(
            info.spki_sha256,
            hex(&key.public_key().spki_sha256().unwrap())
        );
        assert_eq!(info.thumbprint, jwk_thumbprint(&key.public_key()));
        assert!(info.public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert!(!format!("{info:?}").contains("PRIVATE"));
    }

    #[test]
    fn small_rsa_keys_are_refused_by_the_platform() {
        // Made by openssl (tests/data/README.md): acjwt refuses to generate one.
        let small = load_key_file(include_bytes!("../../../../tests/data/rsa1024.pem")).unwrap();
        let info = KeyInfo::new(&small.keys[0]).unwrap();
        assert_eq!(info.rsa_bits, Some(1024));
        assert!(!info.accepted());
        assert_eq!(
            info.refusal.as_deref(),
            Some("RSA keys need at least 2048 bits; this one has 1024")
        );
        let key = PrivateKey::generate(Algorithm::Rs256, 2048).unwrap();
        assert!(KeyInfo::new(&file_of(&key).keys[0]).unwrap().accepted());
        assert_eq!(hex(&[0x00, 0xab, 0x0f]), "00ab0f");
    }
}
