//! The signing arithmetic, below the keys: which cryptographic library does the work, and
//! aws-lc-rs behind one seam. Keys ([`crate::keys`]) build on this module and
//! [`crate::backend`] prepares them for it; nothing here knows a key type, so no circle.

use std::fmt;

use crate::alg::Algorithm;

/// Why a signature does not verify when the key's arithmetic says no: no more is known, and
/// saying more would only help an attacker.
pub(crate) const NOT_MADE_BY_THIS_KEY: &str =
    "the signature was not made by this key over this header and payload";

/// A cryptographic library that signs and verifies for acjwt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// The RustCrypto crates: pure Rust, always available.
    RustCrypto,
    /// aws-lc-rs: available when acjwt is built with the `aws-lc` feature.
    AwsLc,
}

impl Backend {
    /// Every backend, whether or not this build has it.
    pub const ALL: [Backend; 2] = [Backend::RustCrypto, Backend::AwsLc];

    /// The fastest backend this build has.
    pub const fn fastest() -> Backend {
        if cfg!(feature = "aws-lc") {
            Backend::AwsLc
        } else {
            Backend::RustCrypto
        }
    }

    /// The backend for a process that signs one `alg` token and exits, such as one
    /// `acjwt mint`: [`Backend::fastest`], unless this build's aws-lc seeds its random
    /// generator from CPU-jitter entropy and `alg` is an ECDSA one, and then RustCrypto.
    ///
    /// RS256 stays with aws-lc even then: RustCrypto's RSA is the `rsa` crate, whose timing
    /// side channel (RUSTSEC-2023-0071) acjwt keeps to `--backend rustcrypto` and the pure-Rust
    /// build, so that no default path signs with it.
    ///
    /// aws-lc-sys builds jitter entropy in unless `AWS_LC_SYS_NO_JITTER_ENTROPY=1` is set when
    /// it compiles, which a crate cannot set for a dependency (the repository's
    /// `.cargo/config.toml` does, but `cargo install` from crates.io never reads it). The
    /// collection runs on a process's first aws-lc random draw, i.e. its first aws-lc
    /// signature (ECDSA nonce, RSA blinding); verifying, key generation and key loading draw
    /// none. Measured with hyperfine on the 2-core machine, 2026-12-04: one ES384 `acjwt mint`
    /// took 25.8 ms with jitter entropy in aws-lc (24.7 ms of it CPU), 1.9 ms without, and
    /// 2.9 ms with RustCrypto in either build. A batch or a server pays it about once (31 ms
    /// more for 10,000 tokens, 8%), so [`Backend::fastest`] stays right for them.
    pub fn fastest_for_one_signature(alg: Algorithm) -> Backend {
        #[cfg(feature = "aws-lc")]
        if alg.curve().is_some() && aws::seeds_from_cpu_jitter() {
            return Backend::RustCrypto;
        }
        let _ = alg;
        Backend::fastest()
    }

    /// The backends compiled into this build.
    pub fn available() -> impl Iterator<Item = Backend> {
        Backend::ALL.into_iter().filter(|b| b.is_available())
    }

    /// Whether this build has the backend.
    pub const fn is_available(self) -> bool {
        match self {
            Backend::RustCrypto => true,
            Backend::AwsLc => cfg!(feature = "aws-lc"),
        }
    }

    /// The name used on the command line and in reports: `rustcrypto`, `aws-lc`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::RustCrypto => "rustcrypto",
            Backend::AwsLc => "aws-lc",
        }
    }

    pub(crate) fn check_available(self) -> Result<(), BackendError> {
        if self.is_available() {
            Ok(())
        } else {
            Err(BackendError::Unavailable { backend: self })
        }
    }
}

impl Default for Backend {
    fn default() -> Backend {
        Backend::fastest()
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Backend {
    type Err = String;

    fn from_str(s: &str) -> Result<Backend, String> {
        Backend::ALL
            .into_iter()
            .find(|b| b.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown backend {s:?}; expected rustcrypto or aws-lc"))
    }
}

/// Why a backend could not take a key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum BackendError {
    /// The backend was not compiled into this build.
    #[error("the {backend} backend is not in this build (rebuild with --features {backend})")]
    Unavailable {
        /// The backend asked for.
        backend: Backend,
    },
    /// The backend refused a key RustCrypto accepted (not expected for keys acjwt loads).
    #[error("the {backend} backend rejected the key: {reason}")]
    KeyRejected {
        /// The backend that refused.
        backend: Backend,
        /// The backend's own error, which names a kind of failure, not key material.
        reason: String,
    },
    /// The key could not be encoded as DER to hand over.
    #[error("cannot encode the key for the {backend} backend: {reason}")]
    Encoding {
        /// The backend the key was for.
        backend: Backend,
        /// The encoder's message, which holds no key material.
        reason: String,
    },
}

/// An EC key pair the fast backend built while the key was read: its public point, and the
/// backend's own key, which a [`Signer`] on that backend reuses instead of taking the key again.
///
/// Every EC key needs its public point once, when it is read or generated, and aws-lc derives
/// it in a fraction of the time RustCrypto takes in a fresh process (see
/// [`crate::keys::EcPrivateKey`]); keeping aws-lc's key pair then spares the signer a second
/// derivation. So a single `acjwt mint` does one scalar multiplication before it signs.
#[derive(Clone)]
pub(crate) struct EcKeyPair {
    /// Uncompressed SEC1.
    pub(crate) public_point: Vec<u8>,
    #[cfg(feature = "aws-lc")]
    pub(crate) key: std::sync::Arc<aws::SigningKey>,
}

/// The key pair of the EC key whose big-endian secret scalar is `scalar`, built by aws-lc and
/// checked against `claimed_point` (the public key a key file carries beside the scalar).
///
/// `None` when the build has no aws-lc, or aws-lc refuses the pair: the caller then derives the
/// point with RustCrypto, whose answer (and error message) is the reference.
pub(crate) fn ec_key_pair(
    alg: Algorithm,
    scalar: &[u8],
    claimed_point: Option<&[u8]>,
) -> Option<EcKeyPair> {
    #[cfg(feature = "aws-lc")]
    return aws::SigningKey::ec_key_pair(alg, scalar, claimed_point).map(|(public_point, key)| {
        EcKeyPair {
            public_point,
            key: std::sync::Arc::new(key),
        }
    });
    #[cfg(not(feature = "aws-lc"))]
    {
        let _ = (alg, scalar, claimed_point);
        None
    }
}

#[cfg(feature = "aws-lc")]
pub(crate) mod aws {
    //! aws-lc-rs behind the seam. Its key types own an `EVP_PKEY`, which AWS-LC documents as
    //! safe to use from several threads at once for signing and verifying.

    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{self, EcdsaKeyPair, ParsedPublicKey, RsaKeyPair};
    use sec1::der::Encode as _;
    use zeroize::Zeroizing;

    use super::{Backend, BackendError, NOT_MADE_BY_THIS_KEY};
    use crate::alg::{Algorithm, SignatureError};

    pub(crate) enum SigningKey {
        Ecdsa(EcdsaKeyPair),
        Rsa(RsaKeyPair),
    }

    /// Whether aws-lc seeds its random generator from CPU-jitter entropy: compiled in unless
    /// aws-lc-sys was built with `AWS_LC_SYS_NO_JITTER_ENTROPY=1`, and skipped at run time on
    /// a VM that offers `/dev/sysgenid`. Despite its name the aws-lc-rs call works in non-FIPS
    /// builds; it only looks up aws-lc's entropy source and draws nothing.
    pub(crate) fn seeds_from_cpu_jitter() -> bool {
        aws_lc_rs::try_fips_cpu_jitter_entropy().is_ok()
    }

    fn rejected(err: impl std::fmt::Display) -> BackendError {
        BackendError::KeyRejected {
            backend: Backend::AwsLc,
            reason: err.to_string(),
        }
    }

    /// aws-lc-rs's ECDSA signing parameters for an EC algorithm; `None` for RS256.
    fn ecdsa_signing(alg: Algorithm) -> Option<&'static signature::EcdsaSigningAlgorithm> {
        match alg {
            Algorithm::Es256 => Some(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
            Algorithm::Es384 => Some(&signature::ECDSA_P384_SHA384_FIXED_SIGNING),
            Algorithm::Es512 => Some(&signature::ECDSA_P521_SHA512_FIXED_SIGNING),
            Algorithm::Rs256 => None,
        }
    }

    impl SigningKey {
        /// The uncompressed public point and key pair of an EC scalar, checked against the
        /// point the key file claims.
        ///
        /// aws-lc takes the two as an RFC 5915 `ECPrivateKey` (the curve is given apart) and
        /// checks that the scalar times the generator is the claimed point: one fixed-base
        /// multiplication in all. Without a claimed point it derives one first: two.
        pub(crate) fn ec_key_pair(
            alg: Algorithm,
            scalar: &[u8],
            claimed_point: Option<&[u8]>,
        ) -> Option<(Vec<u8>, SigningKey)> {
            let sec1 = sec1::EcPrivateKey {
                private_key: scalar,
                parameters: None,
                public_key: claimed_point,
            };
            let der = Zeroizing::new(sec1.to_der().ok()?);
            let pair = EcdsaKeyPair::from_private_key_der(ecdsa_signing(alg)?, &der).ok()?;
            let point = signature::KeyPair::public_key(&pair).as_ref().to_vec();
            Some((point, SigningKey::Ecdsa(pair)))
        }

        pub(crate) fn from_pkcs8(alg: Algorithm, der: &[u8]) -> Result<SigningKey, BackendError> {
            match ecdsa_signing(alg) {
                Some(ecdsa) => EcdsaKeyPair::from_pkcs8(ecdsa, der).map(SigningKey::Ecdsa),
                None => RsaKeyPair::from_pkcs8(der).map(SigningKey::Rsa),
            }
            .map_err(rejected)
        }

        pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignatureError> {
            let failed = |_| SignatureError::Signing("aws-lc signing failed".into());
            // aws-lc-rs draws its own randomness; the rng argument is kept for ring's API.
            let rng = SystemRandom::new();
            match self {
                SigningKey::Ecdsa(key) => {
                    Ok(key.sign(&rng, message).map_err(failed)?.as_ref().to_vec())
                }
                SigningKey::Rsa(key) => {
                    let mut signature = vec![0; key.public_modulus_len()];
                    key.sign(&signature::RSA_PKCS1_SHA256, &rng, message, &mut signature)
                        .map_err(failed)?;
                    Ok(signature)
                }
            }
        }
    }

    /// A public key parsed once; aws-lc-rs takes SPKI DER for both EC and RSA.
    pub(crate) struct VerifyingKey(ParsedPublicKey);

    impl VerifyingKey {
        pub(crate) fn from_spki(alg: Algorithm, der: &[u8]) -> Result<VerifyingKey, BackendError> {
            let params: &'static dyn signature::VerificationAlgorithm = match alg {
                Algorithm::Es256 => &signature::ECDSA_P256_SHA256_FIXED,
                Algorithm::Es384 => &signature::ECDSA_P384_SHA384_FIXED,
                Algorithm::Es512 => &signature::ECDSA_P521_SHA512_FIXED,
                Algorithm::Rs256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            };
            ParsedPublicKey::new(params, der)
                .map(VerifyingKey)
                .map_err(rejected)
        }

        pub(crate) fn verify(
            &self,
            message: &[u8],
            signature: &[u8],
        ) -> Result<(), SignatureError> {
            self.0
                .verify_sig(message, signature)
                .map_err(|_| SignatureError::BadSignature {
                    reason: NOT_MADE_BY_THIS_KEY,
                })
        }
    }
}
