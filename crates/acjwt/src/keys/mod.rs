//! Keys for the four platform algorithms: generation, signing, verification and encodings.
//!
//! A key file is recognized by its content, never by its name: SEC1, PKCS#8, PKCS#1 and SPKI in
//! PEM or DER, and JWK or JWKS in JSON. When a key is the wrong kind for a job, the error says
//! what the file *is* ("a P-256 public key"), since that is what the user needs to fix it.
//!
//! ```
//! use acjwt::alg::Algorithm;
//! use acjwt::keys::{KeyFormat, KeyInfo, PrivateKey, convert, load_key_file};
//!
//! // A fresh key, written as PKCS#8 PEM (what `acjwt keygen` writes).
//! let key = PrivateKey::generate(Algorithm::Es384, 0)?;
//! let pem = key.to_pkcs8_pem()?;
//!
//! // Read back: the format is recognized from the content alone.
//! let file = load_key_file(pem.as_bytes())?;
//! assert_eq!(file.format, KeyFormat::Pkcs8);
//! assert_eq!(file.signing_key("mint")?.public_key(), key.public_key());
//!
//! // What `acjwt key inspect` reports: no private material, even for a private key.
//! let info = KeyInfo::new(&file.keys[0])?;
//! assert_eq!((info.algorithm, info.curve), ("ES384", Some("P-384")));
//! assert!(info.private && info.accepted());
//!
//! // The public JWK to publish; it loads back as the same public key.
//! let jwk = convert(&file, KeyFormat::Jwk, false)?;
//! assert!(!jwk.private);
//! let public = load_key_file(jwk.text.as_bytes())?;
//! assert_eq!(public.verification_key(None)?, key.public_key());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod convert;
mod ec;
mod jwk;
mod load;

use std::fmt;

use getrandom::SysRng;
use getrandom::rand_core::UnwrapErr;
use pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};
use signature::{SignatureEncoding as _, Signer, Verifier};
use zeroize::Zeroizing;

use crate::alg::{Algorithm, JwsSigner, JwsVerifier, SignatureError};

pub use convert::{Converted, KeyInfo, convert, hex, platform_refusal};
pub use ec::{EcKeyError, EcPrivateKey, PlatformCurve};
pub use jwk::{Jwk, jwk_thumbprint};
pub use load::{
    AnyKey, KeyFile, LoadedKey, MAX_KEY_FILE_LEN, MAX_PBKDF2_ROUNDS, MAX_SCRYPT_MEMORY,
    MAX_SCRYPT_WORK, UnusableKey, load_key_file, load_key_file_with_passphrase,
};

/// RSA moduli below this are refused for key generation and signing.
pub const MIN_RSA_BITS: usize = 2048;
/// The RSA modulus size `keygen` uses unless told otherwise.
pub const DEFAULT_RSA_BITS: usize = 3072;
/// The largest RSA modulus acjwt generates or loads (verification cost grows with it).
pub const MAX_RSA_BITS: usize = 8192;

/// The longest `kid` acjwt writes or reads.
pub const MAX_KID_LEN: usize = 256;

/// Why a key id is refused.
#[derive(Clone, Copy, Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum KidError {
    /// The kid is the empty string, which names no key.
    #[error("a kid cannot be empty")]
    Empty,
    /// The kid is longer than [`MAX_KID_LEN`] bytes.
    #[error("a kid is at most {MAX_KID_LEN} bytes; this one has {len}")]
    TooLong {
        /// The kid's length in bytes (UTF-8).
        len: usize,
    },
    /// Some readers trim and some do not, so " x " and "x" would be different keys to one
    /// program and the same to another.
    #[error("a kid cannot begin or end with whitespace")]
    SurroundingWhitespace,
    /// A control character, such as a line break that would split a `<key>.kid` file or a
    /// log line.
    #[error("a kid cannot hold control characters (a line break, a tab)")]
    Control,
}

/// The one kid rule, for every kid acjwt writes or reads: `keygen --kid`, `mint --kid`, the
/// `<key>.kid` file keygen records, and the kid of every JWK (so of `key convert`, `key
/// public` and the keys `verify` chooses among). A kid is compared byte for byte, so nothing
/// is trimmed: what could differ between two readers is refused instead.
pub fn check_kid(kid: &str) -> Result<(), KidError> {
    if kid.is_empty() {
        return Err(KidError::Empty);
    }
    if kid.len() > MAX_KID_LEN {
        return Err(KidError::TooLong { len: kid.len() });
    }
    if kid.chars().any(char::is_control) {
        return Err(KidError::Control);
    }
    if kid.trim() != kid {
        return Err(KidError::SurroundingWhitespace);
    }
    Ok(())
}

pub(crate) use crate::arith::NOT_MADE_BY_THIS_KEY;

type RsaSigningKey = rsa::pkcs1v15::SigningKey<Sha256>;
type RsaVerifyingKey = rsa::pkcs1v15::VerifyingKey<Sha256>;

/// Why a key could not be generated, loaded, used or encoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The content is none of the formats acjwt reads.
    #[error("not a key acjwt can read ({reason})")]
    Unrecognized {
        /// What the content looked like and why it was not taken, in words; never the
        /// content itself.
        reason: String,
    },
    /// A recognized container holding a key type the platform does not use.
    #[error("unsupported key type: {what}")]
    Unsupported {
        /// What the key is, named so the user can tell ("Ed25519", "an X.509 certificate").
        what: String,
    },
    /// The container was recognized but its content is damaged or inconsistent.
    #[error("invalid {format} key: {reason}")]
    Invalid {
        /// The container that was recognized.
        format: KeyFormat,
        /// What is wrong, in words; never a key's bytes or a JWK member's value.
        reason: String,
    },
    /// An encrypted PKCS#8 key and no passphrase to open it.
    #[error("the key is encrypted (ENCRYPTED PRIVATE KEY) and no passphrase was given")]
    Encrypted,
    /// The passphrase does not open the encrypted PKCS#8 key.
    #[error("the passphrase does not decrypt the key")]
    BadPassphrase,
    /// An encrypted PKCS#8 key whose key derivation asks for more memory or work than acjwt
    /// spends (see `MAX_SCRYPT_MEMORY`, `MAX_SCRYPT_WORK`, `MAX_PBKDF2_ROUNDS`), or whose
    /// memory cannot be allocated; refused before any derivation.
    #[error("the encrypted key's key derivation is refused: {0}")]
    KdfTooCostly(String),
    /// A key encrypted the pre-PKCS#8 OpenSSL way (`Proc-Type: 4,ENCRYPTED`), which acjwt
    /// does not read: its key derivation is a single MD5 round.
    #[error("the key uses legacy PEM encryption (Proc-Type: 4,ENCRYPTED)")]
    EncryptedLegacy,
    /// An EC key that spells out its curve (explicit parameters, `openssl ecparam
    /// -param_enc explicit`) instead of naming it: RFC 5480 and JOSE allow only named curves.
    #[error(
        "the EC key has explicit curve parameters instead of a named curve, which JWS keys must have; \
         convert it with openssl ec -param_enc named_curve (add -pubin for a public key)"
    )]
    ExplicitCurve,
    /// A PEM file with several keys (or a key and something else): which one is meant would be
    /// a guess, and the others would go unchecked.
    #[error("the file holds {count} PEM blocks ({labels}); a key file holds exactly one key")]
    SeveralPemBlocks {
        /// How many `-----BEGIN` blocks the file holds.
        count: usize,
        /// Their labels, comma-separated, for the message ("PRIVATE KEY, CERTIFICATE").
        labels: String,
    },
    /// A public key where a private one is needed.
    #[error("this is {found}; {purpose} needs a private key")]
    NeedPrivate {
        /// What the file is ("a SPKI P-384 public key"), from [`KeyFile::describe`].
        found: String,
        /// The job that needed the private key, completing "… needs a private key".
        purpose: String,
    },
    /// RSA modulus outside the accepted range.
    #[error("RSA key has {bits} bits; {action} needs {min} to {max}")]
    RsaSize {
        /// The key's modulus size in bits.
        bits: usize,
        /// The smallest accepted size, [`MIN_RSA_BITS`].
        min: usize,
        /// The largest accepted size, [`MAX_RSA_BITS`].
        max: usize,
        /// What was refused: "signing" or "key generation".
        action: &'static str,
    },
    /// A JWKS holds several keys where exactly one is needed.
    #[error("the JWKS holds {count} keys; {purpose} needs a file with exactly one key")]
    NotOneKey {
        /// How many usable keys the set holds.
        count: usize,
        /// The job that needed exactly one ("mint", "conversion to SEC1").
        purpose: String,
    },
    /// No key in a JWKS has the token's `kid`.
    #[error("no key with kid {kid:?} in the JWKS (it has {available})")]
    KidNotFound {
        /// The token's `kid`.
        kid: String,
        /// The kids the set does have, quoted and comma-separated, for the message.
        available: String,
    },
    /// The key that a `kid` names is of a type acjwt cannot use.
    #[error("the JWKS key with kid {kid:?} is {reason}")]
    KidUnsupported {
        /// The token's `kid`.
        kid: String,
        /// Why the key was skipped when the set was read ([`UnusableKey::reason`]).
        reason: String,
    },
    /// Several keys share the token's `kid`.
    #[error("the JWKS has several keys with kid {kid:?}")]
    KidAmbiguous {
        /// The `kid` several keys share.
        kid: String,
    },
    /// The token has no `kid` to choose among several keys.
    #[error("the token has no kid and the JWKS has {count} keys ({available})")]
    KidRequired {
        /// How many usable keys the set holds.
        count: usize,
        /// Their kids, quoted and comma-separated, for the message.
        available: String,
    },
    /// A JWK whose `use`, `key_ops` or `alg` says it is not for this algorithm's signatures;
    /// JOSE libraries refuse such keys too.
    #[error("the JWK is not for {alg} signatures: {reason}")]
    NotForSignatures {
        /// The algorithm the key would verify or sign.
        alg: Algorithm,
        /// Which member says otherwise, and what it says.
        reason: String,
    },
    /// A JWKS with no key acjwt can use.
    #[error("the JWKS has no key acjwt can use (ES256, ES384, ES512 or RS256)")]
    EmptyKeySet,
    /// The requested output format cannot hold this kind of key.
    #[error("{format} cannot hold {reason}")]
    NotRepresentable {
        /// The requested output format.
        format: KeyFormat,
        /// The kind of key it cannot hold, and the format to use instead.
        reason: String,
    },
    /// Key generation or encoding failed.
    #[error("{0}")]
    Encoding(String),
}

/// The container format a key was read from or is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyFormat {
    /// `EC PRIVATE KEY` (RFC 5915), what `openssl ecparam -genkey` writes.
    Sec1,
    /// `PRIVATE KEY` (RFC 5958), what `openssl genpkey` writes.
    Pkcs8,
    /// `RSA PRIVATE KEY` / `RSA PUBLIC KEY` (RFC 8017).
    Pkcs1,
    /// `PUBLIC KEY` (RFC 5280 SubjectPublicKeyInfo), what `openssl ec -pubout` writes.
    Spki,
    /// A single JSON Web Key (RFC 7517).
    Jwk,
    /// A JSON Web Key Set.
    Jwks,
}

impl KeyFormat {
    /// The format's usual name ("SEC1", "PKCS#8", "JWKS"), as messages show it.
    pub fn name(self) -> &'static str {
        match self {
            KeyFormat::Sec1 => "SEC1",
            KeyFormat::Pkcs8 => "PKCS#8",
            KeyFormat::Pkcs1 => "PKCS#1",
            KeyFormat::Spki => "SPKI",
            KeyFormat::Jwk => "JWK",
            KeyFormat::Jwks => "JWKS",
        }
    }
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A private key able to sign for exactly one algorithm.
///
/// `Debug` never shows key material, which is zeroized on drop.
#[derive(Clone)]
pub enum PrivateKey {
    /// A P-256 key, for ES256.
    P256(EcPrivateKey<p256::NistP256>),
    /// A P-384 key, for ES384.
    P384(EcPrivateKey<p384::NistP384>),
    /// A P-521 key, for ES512.
    P521(EcPrivateKey<p521::NistP521>),
    /// An RSA key, for RS256 (PKCS#1 v1.5 padding, SHA-256); boxed, as it is large.
    Rsa(Box<RsaSigningKey>),
}

/// A public key able to verify for exactly one algorithm.
#[derive(Clone, PartialEq)]
pub enum PublicKey {
    /// A P-256 point, for ES256.
    P256(p256::ecdsa::VerifyingKey),
    /// A P-384 point, for ES384.
    P384(p384::ecdsa::VerifyingKey),
    /// A P-521 point, for ES512.
    P521(p521::ecdsa::VerifyingKey),
    /// An RSA key, for RS256 (PKCS#1 v1.5 padding, SHA-256); boxed, as it is large.
    Rsa(Box<RsaVerifyingKey>),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({}, redacted)", self.algorithm())
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.describe())
    }
}

impl PrivateKey {
    /// Generates a fresh key from the operating system's random source.
    ///
    /// `rsa_bits` is used only for RS256 and must lie within [`MIN_RSA_BITS`]..=[`MAX_RSA_BITS`].
    pub fn generate(alg: Algorithm, rsa_bits: usize) -> Result<PrivateKey, KeyError> {
        Ok(match alg {
            Algorithm::Es256 => PrivateKey::P256(EcPrivateKey::generate()),
            Algorithm::Es384 => PrivateKey::P384(EcPrivateKey::generate()),
            Algorithm::Es512 => PrivateKey::P521(EcPrivateKey::generate()),
            Algorithm::Rs256 => {
                check_rsa_bits(rsa_bits, "key generation")?;
                let key =
                    rsa::PrivateKey::new(&mut UnwrapErr(SysRng), rsa_bits).map_err(|err| {
                        KeyError::Encoding(format!("RSA key generation failed: {err}"))
                    })?;
                PrivateKey::Rsa(Box::new(RsaSigningKey::new(key)))
            }
        })
    }

    /// The one algorithm this key signs with.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            PrivateKey::P256(_) => Algorithm::Es256,
            PrivateKey::P384(_) => Algorithm::Es384,
            PrivateKey::P521(_) => Algorithm::Es512,
            PrivateKey::Rsa(_) => Algorithm::Rs256,
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        match self {
            PrivateKey::P256(key) => PublicKey::P256(*key.verifying_key()),
            PrivateKey::P384(key) => PublicKey::P384(*key.verifying_key()),
            PrivateKey::P521(key) => PublicKey::P521(*key.verifying_key()),
            PrivateKey::Rsa(key) => PublicKey::Rsa(Box::new(RsaVerifyingKey::new(
                rsa::PublicKey::from(key.as_ref().as_ref()),
            ))),
        }
    }

    /// The key pair the fast backend built when an EC key was read; `None` for RSA keys and
    /// in a build without aws-lc.
    #[cfg_attr(not(feature = "aws-lc"), allow(dead_code))]
    pub(crate) fn backend_pair(&self) -> Option<&crate::arith::EcKeyPair> {
        match self {
            PrivateKey::P256(key) => key.backend_pair(),
            PrivateKey::P384(key) => key.backend_pair(),
            PrivateKey::P521(key) => key.backend_pair(),
            PrivateKey::Rsa(_) => None,
        }
    }

    /// "P-384 private key", "RSA 3072-bit private key": what a person calls it.
    pub fn describe(&self) -> String {
        format!("{} private key", self.public_key().kind())
    }

    /// Signs `message` and returns the JWS signature bytes (`r || s` for ECDSA).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError> {
        Ok(match self {
            PrivateKey::P256(key) => key.sign(message),
            PrivateKey::P384(key) => key.sign(message),
            PrivateKey::P521(key) => key.sign(message),
            PrivateKey::Rsa(key) => key
                .try_sign(message)
                .map_err(|err| SignatureError::Signing(err.to_string()))?
                .to_vec(),
        })
    }

    /// SEC1 `EC PRIVATE KEY` PEM with the named curve, as `openssl ecparam -genkey -noout`
    /// writes it; `None` for RSA keys, which have no SEC1 form.
    pub fn to_sec1_pem(&self) -> Option<Result<Zeroizing<String>, KeyError>> {
        let der = match self {
            PrivateKey::P256(key) => key.to_sec1_der(),
            PrivateKey::P384(key) => key.to_sec1_der(),
            PrivateKey::P521(key) => key.to_sec1_der(),
            PrivateKey::Rsa(_) => return None,
        };
        Some(
            der.and_then(|der| der.to_pem("EC PRIVATE KEY", LineEnding::LF))
                .map_err(encoding_error),
        )
    }

    /// PKCS#8 `PRIVATE KEY` PEM, as `openssl genpkey` writes it.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        let pem = match self {
            PrivateKey::P256(key) => key.to_pkcs8_der().and_then(pkcs8_pem),
            PrivateKey::P384(key) => key.to_pkcs8_der().and_then(pkcs8_pem),
            PrivateKey::P521(key) => key.to_pkcs8_der().and_then(pkcs8_pem),
            PrivateKey::Rsa(key) => {
                return key.to_pkcs8_pem(LineEnding::LF).map_err(encoding_error);
            }
        };
        pem.map_err(encoding_error)
    }

    /// PKCS#8 DER, the form fast signing backends take.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let document = match self {
            PrivateKey::P256(key) => key.to_pkcs8_der().map_err(encoding_error),
            PrivateKey::P384(key) => key.to_pkcs8_der().map_err(encoding_error),
            PrivateKey::P521(key) => key.to_pkcs8_der().map_err(encoding_error),
            PrivateKey::Rsa(key) => key.to_pkcs8_der().map_err(encoding_error),
        }?;
        Ok(Zeroizing::new(document.as_bytes().to_vec()))
    }

    /// PKCS#1 `RSA PRIVATE KEY` PEM (`openssl genrsa -traditional`); `None` for EC keys.
    pub fn to_pkcs1_pem(&self) -> Option<Result<Zeroizing<String>, KeyError>> {
        match self {
            PrivateKey::Rsa(key) => Some(
                key.as_ref()
                    .as_ref()
                    .to_pkcs1_pem(LineEnding::LF)
                    .map_err(encoding_error),
            ),
            _ => None,
        }
    }

    /// The PEM a private key of this type is written as by default: SEC1 for EC keys (the
    /// platform docs' recipe), PKCS#8 for RSA (openssl 3's default).
    pub fn to_default_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        self.to_sec1_pem().unwrap_or_else(|| self.to_pkcs8_pem())
    }
}

impl JwsSigner for PrivateKey {
    fn algorithm(&self) -> Algorithm {
        PrivateKey::algorithm(self)
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError> {
        PrivateKey::sign(self, message)
    }
}

impl JwsVerifier for PublicKey {
    fn algorithm(&self) -> Algorithm {
        PublicKey::algorithm(self)
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        PublicKey::verify(self, message, signature)
    }
}

impl PublicKey {
    /// The one algorithm this key verifies.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            PublicKey::P256(_) => Algorithm::Es256,
            PublicKey::P384(_) => Algorithm::Es384,
            PublicKey::P521(_) => Algorithm::Es512,
            PublicKey::Rsa(_) => Algorithm::Rs256,
        }
    }

    /// The RSA modulus size in bits; `None` for EC keys.
    pub fn rsa_bits(&self) -> Option<usize> {
        match self {
            PublicKey::Rsa(key) => Some(key.as_ref().as_ref().n().bit_width_vartime() as usize),
            _ => None,
        }
    }

    /// "P-384", "RSA 3072-bit".
    pub fn kind(&self) -> String {
        match (self.algorithm().curve(), self.rsa_bits()) {
            (Some(curve), _) => curve.to_string(),
            (None, Some(bits)) => format!("RSA {bits}-bit"),
            (None, None) => unreachable!("every key is EC or RSA"),
        }
    }

    /// "P-384 public key".
    pub fn describe(&self) -> String {
        format!("{} public key", self.kind())
    }

    /// The length checks every backend makes before the arithmetic, so the reasons given for
    /// a malformed signature are the same whichever backend verifies.
    pub(crate) fn check_signature_shape(&self, signature: &[u8]) -> Result<(), SignatureError> {
        if let Some(len) = self.algorithm().ecdsa_signature_len()
            && signature.len() != len
        {
            return Err(SignatureError::BadSignature {
                reason: if signature.first() == Some(&0x30) {
                    "ECDSA signature has the wrong length (DER-encoded? JWS needs r||s)"
                } else {
                    "ECDSA signature has the wrong length"
                },
            });
        }
        if let PublicKey::Rsa(key) = self
            && signature.len() != key.as_ref().as_ref().size()
        {
            return Err(SignatureError::BadSignature {
                reason: "RSA signature length differs from the modulus length",
            });
        }
        Ok(())
    }

    /// Checks a JWS signature over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        self.check_signature_shape(signature)?;
        let invalid = |_| SignatureError::BadSignature {
            reason: NOT_MADE_BY_THIS_KEY,
        };
        match self {
            PublicKey::P256(key) => {
                let sig = p256::ecdsa::Signature::from_slice(signature).map_err(invalid)?;
                key.verify(message, &sig).map_err(invalid)
            }
            PublicKey::P384(key) => {
                let sig = p384::ecdsa::Signature::from_slice(signature).map_err(invalid)?;
                key.verify(message, &sig).map_err(invalid)
            }
            PublicKey::P521(key) => {
                let sig = p521::ecdsa::Signature::from_slice(signature).map_err(invalid)?;
                key.verify(message, &sig).map_err(invalid)
            }
            PublicKey::Rsa(key) => {
                let sig = rsa::pkcs1v15::Signature::try_from(signature).map_err(invalid)?;
                key.verify(message, &sig).map_err(invalid)
            }
        }
    }

    /// SubjectPublicKeyInfo DER.
    pub fn to_spki_der(&self) -> Result<Vec<u8>, KeyError> {
        let document = match self {
            PublicKey::P256(key) => key.to_public_key_der(),
            PublicKey::P384(key) => key.to_public_key_der(),
            PublicKey::P521(key) => key.to_public_key_der(),
            PublicKey::Rsa(key) => key.to_public_key_der(),
        };
        document
            .map(|doc| doc.as_bytes().to_vec())
            .map_err(encoding_error)
    }

    /// `PUBLIC KEY` PEM, what `openssl ec -pubout` writes and what the platform's token
    /// settings take.
    pub fn to_spki_pem(&self) -> Result<String, KeyError> {
        let pem = match self {
            PublicKey::P256(key) => key.to_public_key_pem(LineEnding::LF),
            PublicKey::P384(key) => key.to_public_key_pem(LineEnding::LF),
            PublicKey::P521(key) => key.to_public_key_pem(LineEnding::LF),
            PublicKey::Rsa(key) => key.to_public_key_pem(LineEnding::LF),
        };
        pem.map_err(encoding_error)
    }

    /// PKCS#1 `RSA PUBLIC KEY` PEM; `None` for EC keys.
    pub fn to_pkcs1_pem(&self) -> Option<Result<String, KeyError>> {
        match self {
            PublicKey::Rsa(key) => Some(
                key.as_ref()
                    .as_ref()
                    .to_pkcs1_pem(LineEnding::LF)
                    .map_err(encoding_error),
            ),
            _ => None,
        }
    }

    /// SHA-256 of the SubjectPublicKeyInfo DER, as `openssl pkey -pubin -outform DER | sha256sum`.
    pub fn spki_sha256(&self) -> Result<[u8; 32], KeyError> {
        Ok(Sha256::digest(self.to_spki_der()?).into())
    }
}

fn check_rsa_bits(bits: usize, action: &'static str) -> Result<(), KeyError> {
    if (MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        Ok(())
    } else {
        Err(KeyError::RsaSize {
            bits,
            min: MIN_RSA_BITS,
            max: MAX_RSA_BITS,
            action,
        })
    }
}

fn pkcs8_pem(der: pkcs8::der::SecretDocument) -> pkcs8::der::Result<Zeroizing<String>> {
    der.to_pem("PRIVATE KEY", LineEnding::LF)
}

fn encoding_error(err: impl fmt::Display) -> KeyError {
    KeyError::Encoding(format!("key encoding failed: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(alg: Algorithm) {
        let key = PrivateKey::generate(alg, MIN_RSA_BITS).unwrap();
        assert_eq!(key.algorithm(), alg);
        let public = key.public_key();
        let signature = key.sign(b"message").unwrap();
        public.verify(b"message", &signature).unwrap();
        assert!(public.verify(b"messagf", &signature).is_err());
        if let Some(len) = alg.ecdsa_signature_len() {
            assert_eq!(signature.len(), len);
        }
    }

    #[test]
    fn every_algorithm_signs_and_verifies() {
        for alg in Algorithm::ALL {
            round_trip(alg);
        }
    }

    #[test]
    fn rsa_sizes_are_bounded() {
        assert!(matches!(
            PrivateKey::generate(Algorithm::Rs256, 1024),
            Err(KeyError::RsaSize { bits: 1024, .. })
        ));
    }

    #[test]
    fn debug_redacts_private_keys() {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        assert_eq!(format!("{key:?}"), "PrivateKey(ES256, redacted)");
    }

    #[test]
    fn one_kid_rule() {
        assert_eq!(check_kid("k1"), Ok(()));
        assert_eq!(check_kid("key 2026"), Ok(()));
        assert_eq!(check_kid(""), Err(KidError::Empty));
        assert_eq!(check_kid(" x "), Err(KidError::SurroundingWhitespace));
        assert_eq!(check_kid("x\u{a0}"), Err(KidError::SurroundingWhitespace));
        assert_eq!(check_kid("a\nb"), Err(KidError::Control));
        assert_eq!(check_kid(&"k".repeat(256)), Ok(()));
        assert_eq!(
            check_kid(&"k".repeat(257)),
            Err(KidError::TooLong { len: 257 })
        );
    }

    #[test]
    fn sec1_pem_names_the_curve() {
        let key = PrivateKey::generate(Algorithm::Es384, 0).unwrap();
        let pem = key.to_sec1_pem().unwrap().unwrap();
        assert!(pem.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
        let loaded = load_key_file(pem.as_bytes()).unwrap();
        assert_eq!(loaded.format, KeyFormat::Sec1);
    }
}
