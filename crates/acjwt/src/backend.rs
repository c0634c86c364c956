//! The signing and verifying seam: which cryptographic library does the arithmetic.
//!
//! Keys are always parsed and described as RustCrypto types ([`PrivateKey`], [`PublicKey`]);
//! only the arithmetic is delegated, including, with aws-lc in the build, the check that an
//! EC key file's stored public point belongs to its scalar. A backend receives a key once and then
//! signs or verifies any number of tokens, from any number of threads: a public key as
//! SubjectPublicKeyInfo DER when a [`Verifier`] is built, an RSA private key as PKCS#8 DER when
//! a [`Signer`] is built, and an EC private key when it is read, because deriving its public
//! point is the one costly step of reading it and aws-lc does that fastest (see
//! [`crate::keys::EcPrivateKey`]); an aws-lc `Signer` then reuses that key pair. Two backends
//! exist:
//!
//! - [`Backend::RustCrypto`]: the p256/p384/p521/rsa crates, always built; pure Rust, the
//!   portable build (no C compiler, wasm-friendly).
//! - [`Backend::AwsLc`]: aws-lc-rs (the `aws-lc` cargo feature, on by default), whose
//!   hand-tuned P-384 signs about 3.5x faster than p384; the backend rustls chose as default.
//!   A process that signs only once may do better with RustCrypto; see
//!   [`Backend::fastest_for_one_signature`].
//!
//! Both produce the same JWS: ECDSA `r || s` (RFC 7518 §3.4), RSASSA-PKCS1-v1_5 with SHA-256.
//! ECDSA signatures are randomized, so the bytes differ, but each verifies with the other.
//!
//! ```
//! use acjwt::alg::Algorithm;
//! use acjwt::backend::{Backend, Keyring, Signer};
//! use acjwt::jws::{self, Header, Token};
//! use acjwt::keys::{PrivateKey, load_key_file};
//!
//! // Sign with every backend this build has (aws-lc only with the `aws-lc` feature).
//! let key = PrivateKey::generate(Algorithm::Es384, 0)?;
//! let mut tokens = Vec::new();
//! for backend in Backend::available() {
//!     let signer = Signer::new(&key, backend)?;
//!     tokens.push(jws::sign(&Header::new(Algorithm::Es384), br#"{"exp":1}"#, &signer)?);
//! }
//!
//! // A key file, wrapped once; the verifier a kid picks is prepared on first use.
//! let file = load_key_file(key.public_key().to_spki_pem()?.as_bytes())?;
//! let keyring = Keyring::new(file, Backend::fastest())?;
//! for token in &tokens {
//!     let token = Token::parse(token)?;
//!     let verifier = keyring.verifier(token.kid_checked()?)?;
//!     assert_eq!(token.verify(verifier)?, Algorithm::Es384);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::sync::OnceLock;

use crate::alg::{Algorithm, JwsSigner, JwsVerifier, SignatureError};
#[cfg(feature = "aws-lc")]
use crate::arith::aws;
pub use crate::arith::{Backend, BackendError};
use crate::keys::{KeyError, KeyFile, MIN_RSA_BITS, PrivateKey, PublicKey};

/// A private key prepared by one backend: build once, sign many times, from many threads.
pub struct Signer {
    algorithm: Algorithm,
    backend: Backend,
    engine: SignEngine,
}

enum SignEngine {
    RustCrypto(Box<PrivateKey>),
    #[cfg(feature = "aws-lc")]
    AwsLc(std::sync::Arc<aws::SigningKey>),
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signer({}, {}, redacted)", self.algorithm, self.backend)
    }
}

impl Signer {
    /// Prepares `key` for `backend`. An aws-lc signer shares the key pair aws-lc built when an
    /// EC key was read; an RSA key is handed to aws-lc as PKCS#8 DER.
    pub fn new(key: &PrivateKey, backend: Backend) -> Result<Signer, BackendError> {
        backend.check_available()?;
        let engine = match backend {
            Backend::RustCrypto => SignEngine::RustCrypto(Box::new(key.clone())),
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => match key.backend_pair() {
                Some(pair) => SignEngine::AwsLc(pair.key.clone()),
                // RSA keys; and EC keys only if aws-lc refused them when read, which it does
                // not for keys RustCrypto accepts: then it refuses them again here, as before.
                None => {
                    let der = key.to_pkcs8_der().map_err(|err| BackendError::Encoding {
                        backend,
                        reason: err.to_string(),
                    })?;
                    let key = aws::SigningKey::from_pkcs8(key.algorithm(), &der)?;
                    SignEngine::AwsLc(std::sync::Arc::new(key))
                }
            },
            #[cfg(not(feature = "aws-lc"))]
            Backend::AwsLc => unreachable!("checked by check_available"),
        };
        Ok(Signer {
            algorithm: key.algorithm(),
            backend,
            engine,
        })
    }

    /// The one algorithm this key signs with.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The backend doing the signing.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Signs `message` and returns the JWS signature bytes (`r || s` for ECDSA).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError> {
        match &self.engine {
            SignEngine::RustCrypto(key) => key.sign(message),
            #[cfg(feature = "aws-lc")]
            SignEngine::AwsLc(key) => key.sign(message),
        }
    }
}

impl JwsSigner for Signer {
    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError> {
        Signer::sign(self, message)
    }
}

impl JwsVerifier for Verifier {
    fn algorithm(&self) -> Algorithm {
        Verifier::algorithm(self)
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        Verifier::verify(self, message, signature)
    }
}

/// A public key prepared by one backend: build once, verify many times, from many threads.
pub struct Verifier {
    key: PublicKey,
    backend: Backend,
    engine: VerifyEngine,
}

enum VerifyEngine {
    RustCrypto,
    #[cfg(feature = "aws-lc")]
    AwsLc(aws::VerifyingKey),
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Verifier({}, {})", self.key.describe(), self.backend)
    }
}

impl Verifier {
    /// Prepares `key` for `backend`; the aws-lc backend receives it as SPKI DER.
    ///
    /// RSA keys under [`MIN_RSA_BITS`] stay with RustCrypto whatever the backend: aws-lc
    /// refuses them, and `verify` still checks (and warns about) such legacy keys.
    pub fn new(key: &PublicKey, backend: Backend) -> Result<Verifier, BackendError> {
        backend.check_available()?;
        let engine = match backend {
            Backend::RustCrypto => VerifyEngine::RustCrypto,
            _ if key.rsa_bits().is_some_and(|bits| bits < MIN_RSA_BITS) => VerifyEngine::RustCrypto,
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => {
                let der = key.to_spki_der().map_err(|err| BackendError::Encoding {
                    backend,
                    reason: err.to_string(),
                })?;
                VerifyEngine::AwsLc(aws::VerifyingKey::from_spki(key.algorithm(), &der)?)
            }
            #[cfg(not(feature = "aws-lc"))]
            Backend::AwsLc => unreachable!("checked by check_available"),
        };
        let backend = match engine {
            VerifyEngine::RustCrypto => Backend::RustCrypto,
            #[cfg(feature = "aws-lc")]
            VerifyEngine::AwsLc(_) => Backend::AwsLc,
        };
        Ok(Verifier {
            key: key.clone(),
            backend,
            engine,
        })
    }

    fn rust_crypto(key: PublicKey) -> Verifier {
        Verifier {
            key,
            backend: Backend::RustCrypto,
            engine: VerifyEngine::RustCrypto,
        }
    }

    /// The key as RustCrypto parsed it, for descriptions and size checks.
    pub fn public_key(&self) -> &PublicKey {
        &self.key
    }

    /// The one algorithm this key verifies.
    pub fn algorithm(&self) -> Algorithm {
        self.key.algorithm()
    }

    /// The backend doing the verifying.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Checks a JWS signature over `message`, with the same error reasons on every backend.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        match &self.engine {
            VerifyEngine::RustCrypto => self.key.verify(message, signature),
            #[cfg(feature = "aws-lc")]
            VerifyEngine::AwsLc(key) => {
                // The shape checks give specific reasons ("DER-encoded?"); aws-lc only says no.
                self.key.check_signature_shape(signature)?;
                key.verify(message, signature)
            }
        }
    }
}

/// The keys of a key file, each prepared for a backend the first time a token needs it.
///
/// A JWKS may hold many keys and a token uses one, so preparation is lazy; once prepared, a
/// key serves every later token, from any thread.
pub struct Keyring {
    file: KeyFile,
    backend: Backend,
    prepared: Vec<OnceLock<Verifier>>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Keyring({}, {})", self.file.describe(), self.backend)
    }
}

impl Keyring {
    /// Wraps a loaded key file; nothing is prepared yet.
    pub fn new(file: KeyFile, backend: Backend) -> Result<Keyring, BackendError> {
        backend.check_available()?;
        let prepared = file.keys.iter().map(|_| OnceLock::new()).collect();
        Ok(Keyring {
            file,
            backend,
            prepared,
        })
    }

    /// The key file as loaded.
    pub fn file(&self) -> &KeyFile {
        &self.file
    }

    /// The verifier for a token whose header carries `kid`, chosen as
    /// [`KeyFile::verification_key`] chooses.
    ///
    /// Should the backend refuse a key RustCrypto accepted, RustCrypto verifies with it: the
    /// answer is the same, only slower.
    pub fn verifier(&self, kid: Option<&str>) -> Result<&Verifier, KeyError> {
        let index = self.file.verification_index(kid)?;
        Ok(self.prepared[index].get_or_init(|| {
            let key = self.file.keys[index].key.public_key();
            Verifier::new(&key, self.backend).unwrap_or_else(|_| Verifier::rust_crypto(key))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::MIN_RSA_BITS;

    fn keys() -> Vec<PrivateKey> {
        Algorithm::ALL
            .into_iter()
            .map(|alg| PrivateKey::generate(alg, MIN_RSA_BITS).unwrap())
            .collect()
    }

    /// Every backend's signatures verify with every backend, and tampering fails everywhere.
    #[test]
    fn backends_verify_each_other() {
        for key in keys() {
            for signing in Backend::available() {
                let signer = Signer::new(&key, signing).unwrap();
                assert_eq!(signer.algorithm(), key.algorithm());
                let signature = signer.sign(b"header.payload").unwrap();
                if let Some(len) = key.algorithm().ecdsa_signature_len() {
                    assert_eq!(signature.len(), len, "{signing} {}", key.algorithm());
                }
                for verifying in Backend::available() {
                    let verifier = Verifier::new(&key.public_key(), verifying).unwrap();
                    let what = format!(
                        "{} signed by {signing}, checked by {verifying}",
                        key.algorithm()
                    );
                    verifier.verify(b"header.payload", &signature).expect(&what);
                    assert!(
                        verifier.verify(b"header.payloaD", &signature).is_err(),
                        "{what}"
                    );
                    let mut bent = signature.clone();
                    bent[5] ^= 1;
                    assert!(verifier.verify(b"header.payload", &bent).is_err(), "{what}");
                }
            }
        }
    }

    #[test]
    fn shape_errors_are_the_same_on_every_backend() {
        let key = PrivateKey::generate(Algorithm::Es384, 0).unwrap();
        let der_like = [0x30u8; 102];
        let reasons: Vec<SignatureError> = Backend::available()
            .map(|b| {
                Verifier::new(&key.public_key(), b)
                    .unwrap()
                    .verify(b"m", &der_like)
                    .unwrap_err()
            })
            .collect();
        assert!(reasons.windows(2).all(|w| w[0] == w[1]), "{reasons:?}");
    }

    #[test]
    fn the_default_backend_is_the_fastest_in_the_build() {
        let expected = if cfg!(feature = "aws-lc") {
            Backend::AwsLc
        } else {
            Backend::RustCrypto
        };
        assert_eq!(Backend::default(), expected);
    }

    /// aws-lc-sys reads `AWS_LC_SYS_NO_JITTER_ENTROPY` when it compiles aws-lc, and cargo gives
    /// this crate's rustc the same environment (`.cargo/config.toml`'s `[env]` included), so the
    /// test knows how aws-lc was built and checks the run-time answer against it. (A
    /// target-suffixed `AWS_LC_SYS_NO_JITTER_ENTROPY_<target>` would win over the plain name.)
    #[cfg(feature = "aws-lc")]
    #[test]
    fn one_signature_avoids_aws_lc_exactly_when_it_seeds_from_cpu_jitter() {
        let jitter = crate::arith::aws::seeds_from_cpu_jitter();
        match option_env!("AWS_LC_SYS_NO_JITTER_ENTROPY") {
            Some("1") => assert!(!jitter, "aws-lc was built without jitter entropy"),
            Some("0") if !std::path::Path::new("/dev/sysgenid").exists() => {
                assert!(jitter, "aws-lc was built with jitter entropy");
            }
            _ => {}
        }
        let expected = if jitter {
            Backend::RustCrypto
        } else {
            Backend::AwsLc
        };
        for alg in [Algorithm::Es256, Algorithm::Es384, Algorithm::Es512] {
            assert_eq!(Backend::fastest_for_one_signature(alg), expected, "{alg}");
        }
        // The rsa crate signs only when asked for by name.
        assert_eq!(
            Backend::fastest_for_one_signature(Algorithm::Rs256),
            Backend::AwsLc
        );
    }

    #[cfg(not(feature = "aws-lc"))]
    #[test]
    fn one_signature_uses_the_only_backend() {
        for alg in Algorithm::ALL {
            assert_eq!(Backend::fastest_for_one_signature(alg), Backend::RustCrypto);
        }
    }

    #[test]
    fn names_parse() {
        for backend in Backend::ALL {
            assert_eq!(backend.name().parse::<Backend>(), Ok(backend));
        }
        assert!("openssl".parse::<Backend>().is_err());
        assert!(Backend::default().is_available());
    }

    /// An EC key read from a file reaches aws-lc once: the signer shares the key pair the
    /// reading built, and signs with it.
    #[cfg(feature = "aws-lc")]
    #[test]
    fn aws_lc_signers_reuse_the_key_pair_built_when_the_key_was_read() {
        for alg in [Algorithm::Es256, Algorithm::Es384, Algorithm::Es512] {
            let pem = PrivateKey::generate(alg, 0)
                .unwrap()
                .to_sec1_pem()
                .unwrap()
                .unwrap();
            let file = crate::keys::load_key_file(pem.as_bytes()).unwrap();
            let key = file.signing_key("test").unwrap();
            let pair = key.backend_pair().expect("aws-lc built a key pair");
            let signer = Signer::new(key, Backend::AwsLc).unwrap();
            let SignEngine::AwsLc(engine) = &signer.engine else {
                panic!("{alg}: not signing with aws-lc");
            };
            assert!(std::sync::Arc::ptr_eq(engine, &pair.key), "{alg}");
            let signature = signer.sign(b"header.payload").unwrap();
            let verifier = Verifier::new(&key.public_key(), Backend::RustCrypto).unwrap();
            verifier.verify(b"header.payload", &signature).unwrap();
        }
    }

    #[cfg(not(feature = "aws-lc"))]
    #[test]
    fn missing_backend_is_an_error() {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        assert_eq!(
            Signer::new(&key, Backend::AwsLc).unwrap_err(),
            BackendError::Unavailable {
                backend: Backend::AwsLc
            }
        );
    }
}
