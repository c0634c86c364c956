//! EC private keys that derive their public point once, with the fastest arithmetic in the build.

use std::fmt;
use std::ops::Add;
use std::sync::OnceLock;

use ecdsa::{DigestAlgorithm, EcdsaCurve, SigningKey, VerifyingKey};
use elliptic_curve::array::ArraySize;
use elliptic_curve::ops::Invert;
use elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use elliptic_curve::subtle::CtOption;
use elliptic_curve::{CurveArithmetic, FieldBytes, Generate as _, SecretKey};
use getrandom::SysRng;
use getrandom::rand_core::UnwrapErr;
use pkcs8::der::{SecretDocument, asn1::OctetStringRef};
use pkcs8::{AssociatedOid, ObjectIdentifier};
use signature::Signer as _;
use zeroize::Zeroizing;

use crate::alg::Algorithm;
use crate::arith::{self, EcKeyPair};

/// The `id-ecPublicKey` algorithm OID (RFC 5480) that PKCS#8 and SPKI put before the curve.
const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// A curve the platform accepts, with the one JWS algorithm that signs on it.
///
/// The bounds are what RustCrypto's ECDSA and SEC1 encoding need of a curve, gathered here so
/// code generic over the three curves does not repeat them. The trait is sealed: `ALGORITHM`
/// tells aws-lc which curve a scalar is on, so only P-256, P-384 and P-521 implement it.
pub trait PlatformCurve:
    sealed::Sealed
    + EcdsaCurve<FieldBytesSize: ModulusSize + Add<Output: ArraySize>>
    + CurveArithmetic<
        AffinePoint: FromSec1Point<Self> + ToSec1Point<Self>,
        Scalar: Invert<Output = CtOption<<Self as CurveArithmetic>::Scalar>>,
    > + AssociatedOid
    + DigestAlgorithm
{
    /// ES256 for P-256, ES384 for P-384, ES512 for P-521.
    const ALGORITHM: Algorithm;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for p256::NistP256 {}
    impl Sealed for p384::NistP384 {}
    impl Sealed for p521::NistP521 {}
}

impl PlatformCurve for p256::NistP256 {
    const ALGORITHM: Algorithm = Algorithm::Es256;
}

impl PlatformCurve for p384::NistP384 {
    const ALGORITHM: Algorithm = Algorithm::Es384;
}

impl PlatformCurve for p521::NistP521 {
    const ALGORITHM: Algorithm = Algorithm::Es512;
}

/// An EC private key: its secret scalar and its public point.
///
/// The point is derived once, when the key is read or generated, by aws-lc when the build has
/// it and by RustCrypto otherwise. With aws-lc, RustCrypto's `SigningKey` is built only if
/// RustCrypto signs, because building one derives the point again, and in a fresh process p384
/// first fills its base-point table: about 13 million instructions, which was most of a single
/// `acjwt mint`. aws-lc derives a P-384 point in about 0.6 million, and its key pair is kept
/// for an aws-lc [`Signer`](crate::backend::Signer). Without aws-lc (the pure-Rust build) the
/// `SigningKey` is what derives the point, so it is built at once and kept.
///
/// `Debug` never shows the secret scalar, which is zeroized on drop.
#[derive(Clone)]
pub struct EcPrivateKey<C: EcdsaCurve + CurveArithmetic> {
    secret: SecretKey<C>,
    public: VerifyingKey<C>,
    /// Boxed: most keys never build one, and the P-521 one is large.
    signing: OnceLock<Box<SigningKey<C>>>,
    backend_pair: Option<EcKeyPair>,
}

/// Why a scalar (and the public point stored beside it) is not an EC private key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EcKeyError {
    /// Zero, not below the curve order, or not the curve's length.
    #[error("the private scalar is not valid for the curve")]
    InvalidScalar,
    /// The public point stored with the scalar is some other key's (or no point at all).
    #[error("the public point stored with the private key does not belong to it")]
    WrongPublicPoint,
}

impl<C: PlatformCurve> fmt::Debug for EcPrivateKey<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EcPrivateKey({}, redacted)", C::ALGORITHM)
    }
}

impl<C: PlatformCurve> EcPrivateKey<C> {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Self {
        let secret = SecretKey::generate_from_rng(&mut UnwrapErr(SysRng));
        Self::from_secret(secret, None).expect("a derived point belongs to its scalar")
    }

    /// The key whose secret scalar is the big-endian `scalar` (a few bytes short is padded, as
    /// RustCrypto allows), checked against `claimed_point`: the public key (SEC1, compressed or
    /// not) that a key file stores beside the scalar, if it does.
    pub fn from_scalar(scalar: &[u8], claimed_point: Option<&[u8]>) -> Result<Self, EcKeyError> {
        let secret = SecretKey::from_slice(scalar).map_err(|_| EcKeyError::InvalidScalar)?;
        Self::from_secret(secret, claimed_point)
    }

    fn from_secret(secret: SecretKey<C>, claimed_point: Option<&[u8]>) -> Result<Self, EcKeyError> {
        let scalar = Zeroizing::new(secret.to_bytes());
        let pair = arith::ec_key_pair(C::ALGORITHM, &scalar, claimed_point);
        if let Some(pair) = pair
            && let Ok(public) = VerifyingKey::from_sec1_bytes(&pair.public_point)
        {
            return Ok(EcPrivateKey {
                secret,
                public,
                signing: OnceLock::new(),
                backend_pair: Some(pair),
            });
        }
        // RustCrypto: the portable build's arithmetic, and the reference for why aws-lc
        // refused a key.
        let signing = SigningKey::from(&secret);
        let public = *signing.verifying_key();
        if let Some(claimed) = claimed_point
            && !VerifyingKey::from_sec1_bytes(claimed).is_ok_and(|claimed| claimed == public)
        {
            return Err(EcKeyError::WrongPublicPoint);
        }
        Ok(EcPrivateKey {
            secret,
            public,
            signing: OnceLock::from(Box::new(signing)),
            backend_pair: None,
        })
    }

    /// The key pair the fast backend built when the key was read, if it did.
    pub(crate) fn backend_pair(&self) -> Option<&EcKeyPair> {
        self.backend_pair.as_ref()
    }

    /// The public half.
    pub fn verifying_key(&self) -> &VerifyingKey<C> {
        &self.public
    }

    /// RustCrypto's signing key, built on first use (at load in the pure-Rust build).
    pub fn signing_key(&self) -> &SigningKey<C> {
        self.signing
            .get_or_init(|| Box::new(SigningKey::from(&self.secret)))
    }

    /// The secret scalar, big-endian and the curve's length (a JWK's `d`).
    pub fn scalar_bytes(&self) -> Zeroizing<FieldBytes<C>> {
        Zeroizing::new(self.secret.to_bytes())
    }

    /// A JWS signature (`r || s`) over `message`, by RustCrypto.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let signature: ecdsa::Signature<C> = self.signing_key().sign(message);
        signature.to_vec()
    }

    /// SEC1 `ECPrivateKey` DER with the named curve and the public point, byte for byte what
    /// `openssl ecparam -genkey -noout -outform DER` writes.
    pub fn to_sec1_der(&self) -> pkcs8::der::Result<SecretDocument> {
        self.ec_private_key_der(true)
    }

    /// PKCS#8 `PrivateKeyInfo` DER, byte for byte what `openssl pkcs8 -topk8 -nocrypt` writes:
    /// the curve in the algorithm identifier, not repeated in the wrapped `ECPrivateKey`.
    pub fn to_pkcs8_der(&self) -> pkcs8::der::Result<SecretDocument> {
        let inner = self.ec_private_key_der(false)?;
        let info = pkcs8::PrivateKeyInfoRef::new(
            pkcs8::AlgorithmIdentifierRef {
                oid: ID_EC_PUBLIC_KEY,
                parameters: Some((&C::OID).into()),
            },
            OctetStringRef::new(inner.as_bytes())?,
        );
        SecretDocument::encode_msg(&info)
    }

    fn ec_private_key_der(&self, with_curve: bool) -> pkcs8::der::Result<SecretDocument> {
        let scalar = self.scalar_bytes();
        let point = self.public.to_sec1_point(false);
        let key = sec1::EcPrivateKey {
            private_key: &scalar,
            parameters: with_curve.then_some(sec1::EcParameters::NamedCurve(C::OID)),
            public_key: Some(point.as_bytes()),
        };
        SecretDocument::encode_msg(&key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys derived with the build's arithmetic agree with RustCrypto's own derivation and
    /// encodings, so aws-lc and RustCrypto are interchangeable here.
    fn agrees_with_rustcrypto<C: PlatformCurve>()
    where
        SecretKey<C>: pkcs8::EncodePrivateKey,
    {
        for _ in 0..20 {
            let key = EcPrivateKey::<C>::generate();
            assert_eq!(key.backend_pair().is_some(), cfg!(feature = "aws-lc"));
            let reference = SigningKey::<C>::from(&key.secret);
            assert!(key.public == *reference.verifying_key(), "{}", C::ALGORITHM);
            assert_eq!(
                key.to_sec1_der().unwrap().as_bytes(),
                key.secret.to_sec1_der().unwrap().as_slice()
            );
            assert_eq!(
                key.to_pkcs8_der().unwrap().as_bytes(),
                pkcs8::EncodePrivateKey::to_pkcs8_der(&key.secret)
                    .unwrap()
                    .as_bytes()
            );

            let scalar = key.scalar_bytes();
            for compress in [false, true] {
                let point = key.public.to_sec1_point(compress);
                let read = EcPrivateKey::<C>::from_scalar(&scalar, Some(point.as_bytes()));
                assert!(read.unwrap().public == key.public, "{}", C::ALGORITHM);
            }
            let other = EcPrivateKey::<C>::generate().public.to_sec1_point(false);
            assert_eq!(
                EcPrivateKey::<C>::from_scalar(&scalar, Some(other.as_bytes())).unwrap_err(),
                EcKeyError::WrongPublicPoint
            );
            assert_eq!(
                EcPrivateKey::<C>::from_scalar(&scalar, Some(&[4, 1, 2, 3])).unwrap_err(),
                EcKeyError::WrongPublicPoint
            );
        }
    }

    #[test]
    fn every_curve_agrees_with_rustcrypto() {
        agrees_with_rustcrypto::<p256::NistP256>();
        agrees_with_rustcrypto::<p384::NistP384>();
        agrees_with_rustcrypto::<p521::NistP521>();
    }

    #[test]
    fn scalars_out_of_range_are_refused() {
        let read = |scalar: &[u8]| EcPrivateKey::<p384::NistP384>::from_scalar(scalar, None);
        for bad in [&[0; 48][..], &[0xff; 48], &[1; 49], &[1; 20]] {
            assert_eq!(read(bad).unwrap_err(), EcKeyError::InvalidScalar);
        }
        assert!(read(&[1; 48]).is_ok());
    }
}
