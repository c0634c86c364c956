//! Reading key files of any supported format, recognized by content.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use pkcs8::der::asn1::ObjectIdentifier;
use pkcs8::{AssociatedOid, DecodePrivateKey, DecodePublicKey};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use zeroize::Zeroizing;

use super::jwk::{self, Jwk};
use super::{
    EcKeyError, EcPrivateKey, KeyError, KeyFormat, MIN_RSA_BITS, PrivateKey, PublicKey,
    RsaSigningKey, RsaVerifyingKey,
};

/// Key files larger than this are refused unread; real keys and key sets are a few KiB.
pub const MAX_KEY_FILE_LEN: usize = 1024 * 1024;

const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Key types people commonly try, named so the error can say what the file is.
const KNOWN_OTHER_OIDS: &[(&str, &str)] = &[
    ("1.3.101.112", "Ed25519"),
    ("1.3.101.113", "Ed448"),
    ("1.3.101.110", "X25519"),
    ("1.2.840.113549.1.1.10", "RSA-PSS"),
    ("1.2.840.10040.4.1", "DSA"),
    ("1.3.132.0.10", "secp256k1 (ES256K)"),
    ("1.2.840.10045.3.1.1", "P-192"),
    ("1.3.132.0.33", "P-224"),
];

/// A private or a public key.
#[derive(Clone, Debug)]
pub enum AnyKey {
    /// A private key (which also gives its public half).
    Private(PrivateKey),
    /// A public key only.
    Public(PublicKey),
}

impl AnyKey {
    /// The public half (the key itself when it is public).
    pub fn public_key(&self) -> PublicKey {
        match self {
            AnyKey::Private(key) => key.public_key(),
            AnyKey::Public(key) => key.clone(),
        }
    }

    /// "P-384 private key", "RSA 2048-bit public key".
    pub fn describe(&self) -> String {
        match self {
            AnyKey::Private(key) => key.describe(),
            AnyKey::Public(key) => key.describe(),
        }
    }

    /// Whether this is a private key: one that can sign, and whose encodings are secret.
    pub fn is_private(&self) -> bool {
        matches!(self, AnyKey::Private(_))
    }
}

/// One key from a key file, with the `kid` a JWK gave it.
#[derive(Clone, Debug)]
pub struct LoadedKey {
    /// The JWK's `kid`, checked with [`check_kid`](super::check_kid); `None` for PEM and DER,
    /// which have no place for one, and for a JWK without it.
    pub kid: Option<String>,
    /// The key itself.
    pub key: AnyKey,
}

/// The keys read from one file: one for PEM, DER and JWK, any number for a JWKS.
#[derive(Clone, Debug)]
pub struct KeyFile {
    /// The container the file was recognized as.
    pub format: KeyFormat,
    /// The usable keys, in file order: exactly one unless `format` is [`KeyFormat::Jwks`],
    /// where there may be any number (zero too, if every member was skipped).
    pub keys: Vec<LoadedKey>,
    /// JWKS members of a type acjwt does not use (Ed25519, symmetric keys, other curves).
    /// Identity providers publish such mixed sets; only a token whose `kid` picks one fails.
    pub unusable: Vec<UnusableKey>,
}

/// A JWKS member acjwt skipped, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnusableKey {
    /// The member's `kid`, if it had one: a token naming it gets
    /// [`KeyError::KidUnsupported`] rather than [`KeyError::KidNotFound`].
    pub kid: Option<String>,
    /// What the member is and why acjwt does not use it; never its key material.
    pub reason: String,
}

impl KeyFile {
    /// "SEC1 P-384 private key", "JWKS with 3 keys".
    pub fn describe(&self) -> String {
        match &self.keys[..] {
            [only] if self.format != KeyFormat::Jwks => {
                format!("a {} {}", self.format, only.key.describe())
            }
            keys => format!("a JWKS with {} key(s)", keys.len()),
        }
    }

    /// The one private key in the file, for signing.
    ///
    /// `purpose` completes "… needs a private key" in the error for a public key.
    pub fn signing_key(&self, purpose: &str) -> Result<&PrivateKey, KeyError> {
        let key = match &self.keys[..] {
            [only] => &only.key,
            [] => return Err(KeyError::EmptyKeySet),
            keys => {
                return Err(KeyError::NotOneKey {
                    count: keys.len(),
                    purpose: purpose.to_string(),
                });
            }
        };
        match key {
            AnyKey::Private(private) => {
                if let Some(bits) = private.public_key().rsa_bits()
                    && !(MIN_RSA_BITS..=super::MAX_RSA_BITS).contains(&bits)
                {
                    return Err(KeyError::RsaSize {
                        bits,
                        min: MIN_RSA_BITS,
                        max: super::MAX_RSA_BITS,
                        action: "signing",
                    });
                }
                Ok(private)
            }
            AnyKey::Public(_) => Err(KeyError::NeedPrivate {
                found: self.describe(),
                purpose: purpose.to_string(),
            }),
        }
    }

    /// The `kid` of the signing key, when the file (a JWK) names one.
    pub fn signing_kid(&self) -> Option<&str> {
        match &self.keys[..] {
            [only] => only.kid.as_deref(),
            _ => None,
        }
    }

    /// The public key to verify a token whose header carries `kid`.
    ///
    /// A key with no kid of its own (PEM, DER, a JWK without `kid`) is used whatever the
    /// token's `kid`. A JWK that names its kid is treated as a one-key JWKS: a token with
    /// another kid is refused. In a JWKS the `kid` chooses, and without one the set must hold
    /// exactly one key.
    pub fn verification_key(&self, kid: Option<&str>) -> Result<PublicKey, KeyError> {
        self.verification_index(kid)
            .map(|index| self.keys[index].key.public_key())
    }

    /// Where in [`KeyFile::keys`] the key [`KeyFile::verification_key`] picks is, so callers
    /// can keep prepared keys beside the file's.
    pub fn verification_index(&self, kid: Option<&str>) -> Result<usize, KeyError> {
        if let [only] = &self.keys[..]
            && self.format != KeyFormat::Jwks
            && only.kid.is_none()
        {
            return Ok(0);
        }
        let found: Vec<usize> = match kid {
            Some(kid) => (0..self.keys.len())
                .filter(|&i| self.keys[i].kid.as_deref() == Some(kid))
                .collect(),
            None => (0..self.keys.len()).collect(),
        };
        match (found.as_slice(), kid) {
            ([only], _) => Ok(*only),
            ([], Some(kid)) => match self.unusable.iter().find(|k| k.kid.as_deref() == Some(kid)) {
                Some(unusable) => Err(KeyError::KidUnsupported {
                    kid: kid.to_string(),
                    reason: unusable.reason.clone(),
                }),
                None => Err(KeyError::KidNotFound {
                    kid: kid.to_string(),
                    available: self.kid_list(),
                }),
            },
            ([], None) => Err(KeyError::EmptyKeySet),
            (_, Some(kid)) => Err(KeyError::KidAmbiguous {
                kid: kid.to_string(),
            }),
            (_, None) => Err(KeyError::KidRequired {
                count: self.keys.len(),
                available: self.kid_list(),
            }),
        }
    }

    fn kid_list(&self) -> String {
        let kids: Vec<String> = self
            .keys
            .iter()
            .map(|k| match &k.kid {
                Some(kid) => format!("{kid:?}"),
                None => "a key without kid".into(),
            })
            .collect();
        if kids.is_empty() {
            "no keys".into()
        } else {
            kids.join(", ")
        }
    }
}

/// Reads a key file's bytes: PEM (several blocks allowed, e.g. `EC PARAMETERS` first), DER,
/// JWK or JWKS.
pub fn load_key_file(bytes: &[u8]) -> Result<KeyFile, KeyError> {
    load_key_file_with_passphrase(bytes, None)
}

/// [`load_key_file`] that can also open an encrypted PKCS#8 key (`ENCRYPTED PRIVATE KEY`, as
/// `openssl genpkey -aes256` writes it) with `passphrase`.
///
/// Without a passphrase such a key is [`KeyError::Encrypted`], so a caller can ask for one
/// and try again; with a wrong one it is [`KeyError::BadPassphrase`].
pub fn load_key_file_with_passphrase(
    bytes: &[u8],
    passphrase: Option<&[u8]>,
) -> Result<KeyFile, KeyError> {
    if bytes.len() > MAX_KEY_FILE_LEN {
        return Err(KeyError::Unrecognized {
            reason: format!("{} bytes is far larger than any key", bytes.len()),
        });
    }
    let trimmed = bytes.trim_ascii();
    if trimmed.is_empty() {
        return Err(KeyError::Unrecognized {
            reason: "the file is empty".into(),
        });
    }
    if trimmed.starts_with(b"{") {
        return jwk::parse_jwk_or_set(trimmed);
    }
    if let Some(text) = std::str::from_utf8(trimmed)
        .ok()
        .filter(|t| t.contains("-----BEGIN "))
    {
        return load_pem(text, passphrase);
    }
    // DER is binary: its last byte may well be 0x20 or 0x0a, so it is never trimmed. Its
    // outer length says where it ends; bytes after that (a newline some tool appended) are
    // ignored, as openssl ignores them.
    let start = bytes.trim_ascii_start();
    load_der(der_object(start).unwrap_or(start), passphrase)
}

/// The first DER TLV in `bytes`, by its declared length; `None` when that does not fit.
fn der_object(bytes: &[u8]) -> Option<&[u8]> {
    let (&first_len, rest) = bytes.get(1..)?.split_first()?;
    let (header, len) = match first_len {
        0..=0x7f => (2, usize::from(first_len)),
        0x81..=0x83 => {
            let count = usize::from(first_len & 0x7f);
            let len = rest
                .get(..count)?
                .iter()
                .fold(0usize, |len, &byte| (len << 8) | usize::from(byte));
            (2 + count, len)
        }
        _ => return None,
    };
    bytes.get(..header + len)
}

fn single(format: KeyFormat, key: AnyKey) -> KeyFile {
    KeyFile {
        format,
        keys: vec![LoadedKey { kid: None, key }],
        unusable: Vec::new(),
    }
}

fn load_pem(text: &str, passphrase: Option<&[u8]>) -> Result<KeyFile, KeyError> {
    let blocks = pem_blocks(text)?;
    // `openssl ecparam -genkey` writes EC PARAMETERS before the key; it names the curve the
    // key names again, so it is skipped. Any other block is counted: one key per file.
    let parameters = blocks.iter().any(|b| b.label == "EC PARAMETERS");
    let keys: Vec<PemBlock<'_>> = blocks
        .into_iter()
        .filter(|b| b.label != "EC PARAMETERS")
        .collect();
    let block = match &keys[..] {
        [only] => only,
        [] => {
            return Err(KeyError::Unrecognized {
                reason: if parameters {
                    "only EC PARAMETERS, no key (was -noout given to openssl ecparam?)".into()
                } else {
                    "no complete PEM block".into()
                },
            });
        }
        several => {
            return Err(KeyError::SeveralPemBlocks {
                count: several.len(),
                labels: several
                    .iter()
                    .map(|b| b.label)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    };
    if block.encrypted {
        return Err(KeyError::EncryptedLegacy);
    }
    let der = block.der.as_slice();
    match block.label {
        "ENCRYPTED PRIVATE KEY" => load_encrypted_pkcs8(der, passphrase),
        "EC PRIVATE KEY" => load_sec1(der),
        "PRIVATE KEY" => load_pkcs8(der),
        "RSA PRIVATE KEY" => load_pkcs1_private(der),
        "PUBLIC KEY" => load_spki(der),
        "RSA PUBLIC KEY" => load_pkcs1_public(der),
        "CERTIFICATE" => Err(KeyError::Unsupported {
            what: "an X.509 certificate, not a key".into(),
        }),
        "OPENSSH PRIVATE KEY" => Err(KeyError::Unsupported {
            what: "an OpenSSH private key".into(),
        }),
        other => Err(KeyError::Unrecognized {
            reason: format!("PEM block \"{other}\" is not a key type acjwt reads"),
        }),
    }
}

struct PemBlock<'a> {
    label: &'a str,
    encrypted: bool,
    der: Zeroizing<Vec<u8>>,
}

/// Splits PEM text into blocks. Lenient where openssl is: CRLF, any line width, surrounding
/// text, and RFC 1421 headers (whose `Proc-Type: 4,ENCRYPTED` marks an encrypted key).
fn pem_blocks(text: &str) -> Result<Vec<PemBlock<'_>>, KeyError> {
    // Padding is optional in the wild; whitespace is removed before decoding.
    const PEM_BASE64: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let mut blocks = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
        else {
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut body = Zeroizing::new(String::new());
        let mut encrypted = false;
        let mut closed = false;
        for line in lines.by_ref() {
            if line == end {
                closed = true;
                break;
            }
            if line.contains(':') {
                encrypted |= line.starts_with("Proc-Type:") && line.contains("ENCRYPTED");
                continue;
            }
            body.push_str(line);
        }
        if !closed {
            return Err(KeyError::Unrecognized {
                reason: format!("PEM block \"{label}\" has no END line (truncated file?)"),
            });
        }
        let der = PEM_BASE64
            .decode(body.as_bytes())
            .map(Zeroizing::new)
            .map_err(|_| KeyError::Unrecognized {
                reason: format!("PEM block \"{label}\" is not valid base64"),
            })?;
        blocks.push(PemBlock {
            label,
            encrypted,
            der,
        });
    }
    Ok(blocks)
}

/// DER has no label, so the structures are tried in turn, most specific first.
fn load_der(der: &[u8], passphrase: Option<&[u8]>) -> Result<KeyFile, KeyError> {
    if pkcs8::PrivateKeyInfoRef::try_from(der).is_ok() {
        return load_pkcs8(der);
    }
    if sec1::EcPrivateKey::try_from(der).is_ok() {
        return load_sec1(der);
    }
    if pkcs8::SubjectPublicKeyInfoRef::try_from(der).is_ok() {
        return load_spki(der);
    }
    if rsa::pkcs1::RsaPrivateKeyRef::try_from(der).is_ok() {
        return load_pkcs1_private(der);
    }
    if rsa::pkcs1::RsaPublicKeyRef::try_from(der).is_ok() {
        return load_pkcs1_public(der);
    }
    if pkcs8::EncryptedPrivateKeyInfoRef::try_from(der).is_ok() {
        return load_encrypted_pkcs8(der, passphrase);
    }
    if has_explicit_curve(der) {
        return Err(KeyError::ExplicitCurve);
    }
    Err(KeyError::Unrecognized {
        reason: "neither PEM, JWK nor a DER key structure".into(),
    })
}

fn invalid(format: KeyFormat) -> impl Fn(String) -> KeyError {
    move |reason| KeyError::Invalid { format, reason }
}

#[derive(Clone, Copy)]
enum Curve {
    P256,
    P384,
    P521,
}

fn curve_for(oid: ObjectIdentifier) -> Result<Curve, KeyError> {
    if oid == p256::NistP256::OID {
        Ok(Curve::P256)
    } else if oid == p384::NistP384::OID {
        Ok(Curve::P384)
    } else if oid == p521::NistP521::OID {
        Ok(Curve::P521)
    } else {
        Err(KeyError::Unsupported {
            what: format!(
                "an EC key on {}; the platform accepts P-256, P-384 and P-521",
                name_oid(oid)
            ),
        })
    }
}

fn name_oid(oid: ObjectIdentifier) -> String {
    let dotted = oid.to_string();
    KNOWN_OTHER_OIDS
        .iter()
        .find(|(known, _)| *known == dotted)
        .map_or_else(|| format!("OID {dotted}"), |(_, name)| name.to_string())
}

/// Whether `der` holds explicit EC parameters: an `id-fieldType` OID (1.2.840.10045.1, the
/// prime or binary field of a spelled-out curve), which no key on a named curve contains.
/// Only asked once a key failed to parse or named no curve, to say why.
fn has_explicit_curve(der: &[u8]) -> bool {
    const ID_FIELD_TYPE: [u8; 9] = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x01, 0x01];
    const ID_FIELD_TYPE_BINARY: [u8; 9] = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x01, 0x02];
    der.windows(ID_FIELD_TYPE.len())
        .any(|window| window == ID_FIELD_TYPE || window == ID_FIELD_TYPE_BINARY)
}

/// `result`, or [`KeyError::ExplicitCurve`] when it failed on a key with explicit parameters.
fn or_explicit_curve(der: &[u8], result: Result<KeyFile, KeyError>) -> Result<KeyFile, KeyError> {
    match result {
        Err(KeyError::Invalid { .. }) if has_explicit_curve(der) => Err(KeyError::ExplicitCurve),
        other => other,
    }
}

fn load_sec1(der: &[u8]) -> Result<KeyFile, KeyError> {
    or_explicit_curve(der, load_sec1_named(der))
}

fn load_sec1_named(der: &[u8]) -> Result<KeyFile, KeyError> {
    let invalid = invalid(KeyFormat::Sec1);
    let parsed = sec1::EcPrivateKey::try_from(der).map_err(|e| invalid(e.to_string()))?;
    let oid = parsed
        .parameters
        .and_then(|params| params.named_curve())
        .ok_or_else(|| invalid("no named curve in the key's parameters".into()))?;
    let key = ec_private_key(curve_for(oid)?, &parsed).map_err(invalid)?;
    Ok(single(KeyFormat::Sec1, AnyKey::Private(key)))
}

/// The private key of a SEC1 `ECPrivateKey` (also what PKCS#8 wraps for EC keys), whose
/// embedded public key, when there is one, must be the key's own point.
fn ec_private_key(curve: Curve, key: &sec1::EcPrivateKey<'_>) -> Result<PrivateKey, String> {
    let scalar = key.private_key;
    let embedded = key.public_key;
    let private = match curve {
        Curve::P256 => EcPrivateKey::from_scalar(scalar, embedded).map(PrivateKey::P256),
        Curve::P384 => EcPrivateKey::from_scalar(scalar, embedded).map(PrivateKey::P384),
        Curve::P521 => EcPrivateKey::from_scalar(scalar, embedded).map(PrivateKey::P521),
    };
    private.map_err(|err| match err {
        EcKeyError::InvalidScalar => "the private scalar is not valid for the curve".into(),
        EcKeyError::WrongPublicPoint => {
            "the embedded public key does not belong to the private key".into()
        }
    })
}

/// The key family an X.509 AlgorithmIdentifier names, shared by PKCS#8 and SPKI.
enum Family {
    Ec(Curve),
    Rsa,
}

fn family(
    algorithm: &pkcs8::AlgorithmIdentifierRef<'_>,
    format: KeyFormat,
    kind: &str,
) -> Result<Family, KeyError> {
    if algorithm.oid == ID_EC_PUBLIC_KEY {
        let curve_oid = algorithm.parameters_oid().map_err(|_| KeyError::Invalid {
            format,
            reason: "no named curve in the algorithm parameters".into(),
        })?;
        Ok(Family::Ec(curve_for(curve_oid)?))
    } else if algorithm.oid == RSA_ENCRYPTION {
        Ok(Family::Rsa)
    } else {
        Err(KeyError::Unsupported {
            what: format!("a {} {kind} key", name_oid(algorithm.oid)),
        })
    }
}

fn load_pkcs8(der: &[u8]) -> Result<KeyFile, KeyError> {
    or_explicit_curve(der, load_pkcs8_named(der))
}

fn load_pkcs8_named(der: &[u8]) -> Result<KeyFile, KeyError> {
    let invalid = invalid(KeyFormat::Pkcs8);
    let info = pkcs8::PrivateKeyInfoRef::try_from(der).map_err(|e| invalid(e.to_string()))?;
    let key = match family(&info.algorithm, KeyFormat::Pkcs8, "private")? {
        Family::Ec(curve) => {
            let inner = sec1::EcPrivateKey::try_from(info.private_key.as_bytes())
                .map_err(|e| invalid(e.to_string()))?;
            if let Some(named) = inner.parameters.and_then(|params| params.named_curve())
                && Some(named) != info.algorithm.parameters_oid().ok()
            {
                return Err(invalid(
                    "the curve in the key differs from the algorithm parameters".into(),
                ));
            }
            ec_private_key(curve, &inner).map_err(&invalid)?
        }
        Family::Rsa => rsa::PrivateKey::from_pkcs8_der(der)
            .map(|key| PrivateKey::Rsa(Box::new(RsaSigningKey::new(key))))
            .map_err(|e| invalid(e.to_string()))?,
    };
    Ok(single(KeyFormat::Pkcs8, AnyKey::Private(key)))
}

/// The most memory scrypt may take: 128·N·r bytes, 1 GiB. The README promises N = 2^20 at
/// r = 8 (exactly 1 GiB); openssl writes N = 2^14, r = 8 (16 MiB).
pub const MAX_SCRYPT_MEMORY: u64 = 1 << 30;
/// The most scrypt work, N·r·p (block mixes, each of 128·r bytes): 2^23, N = 2^20 at r = 8 and
/// p = 1, a few seconds.
pub const MAX_SCRYPT_WORK: u64 = 1 << 23;
/// The most PBKDF2 rounds: openssl writes 2,048, and a hostile file can ask for 2^31
/// (minutes of CPU) before the passphrase is even checked.
pub const MAX_PBKDF2_ROUNDS: u32 = 2_000_000;

/// Refuses a key derivation that would hang the run or exhaust memory, before any of it is
/// done; the error names the parameter over its bound. A derivation within the bounds whose
/// memory cannot be had (a memory limit, a small machine) is refused too: the scrypt crate
/// allocates with `vec!`, which aborts the process when allocation fails, so the same amount
/// is first reserved with `try_reserve_exact` and released. (Under overcommit that reservation
/// is address space only, so it costs nothing; under `ulimit -v` it fails as scrypt would.)
fn check_key_derivation(scheme: &pkcs8::pkcs5::EncryptionScheme) -> Result<(), KeyError> {
    use pkcs8::pkcs5::{EncryptionScheme, pbes2::Kdf};
    let EncryptionScheme::Pbes2(params) = scheme else {
        return Ok(());
    };
    let too_costly = |reason: String| Err(KeyError::KdfTooCostly(reason));
    match &params.kdf {
        Kdf::Pbkdf2(pbkdf2) if pbkdf2.iteration_count > MAX_PBKDF2_ROUNDS => too_costly(format!(
            "PBKDF2 with {} rounds is over the bound of {MAX_PBKDF2_ROUNDS}",
            pbkdf2.iteration_count
        )),
        Kdf::Scrypt(scrypt) => {
            let n = scrypt.cost_parameter;
            let r = u64::from(scrypt.block_size);
            let p = u64::from(scrypt.parallelization);
            let memory = 128u128 * u128::from(n) * u128::from(r);
            if memory > u128::from(MAX_SCRYPT_MEMORY) {
                return too_costly(format!(
                    "scrypt N = {n} with r = {r} needs {} of memory (128·N·r), over the 1 GiB bound",
                    mebibytes(memory)
                ));
            }
            let work = u128::from(n) * u128::from(r) * u128::from(p);
            if work > u128::from(MAX_SCRYPT_WORK) {
                return too_costly(format!(
                    "scrypt N = {n}, r = {r}, p = {p} asks for N·r·p = {work} block mixes, over the bound of 2^23 = {MAX_SCRYPT_WORK}"
                ));
            }
            // What scrypt allocates: V (128·r·N), B (128·r·p) and a scratch block (128·r).
            let needed = 128 * r * (n + p + 1);
            let mut probe: Vec<u8> = Vec::new();
            let available = usize::try_from(needed)
                .ok()
                .is_some_and(|needed| probe.try_reserve_exact(needed).is_ok());
            drop(probe);
            if !available {
                return too_costly(format!(
                    "scrypt N = {n} with r = {r} needs {} of memory, which cannot be allocated here",
                    mebibytes(u128::from(needed))
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn mebibytes(bytes: u128) -> String {
    match bytes >> 20 {
        mib if mib >= 1024 => format!("{} GiB", mib / 1024),
        mib => format!("{mib} MiB"),
    }
}

/// Decrypts an `EncryptedPrivateKeyInfo` (PBES2: PBKDF2 or scrypt with AES-CBC, what openssl
/// writes) and reads the PKCS#8 key inside. The decrypted DER is zeroized on drop.
fn load_encrypted_pkcs8(der: &[u8], passphrase: Option<&[u8]>) -> Result<KeyFile, KeyError> {
    // Asked for first, so a caller that has no passphrase yet learns what it needs.
    let passphrase = passphrase.ok_or(KeyError::Encrypted)?;
    let info = pkcs8::EncryptedPrivateKeyInfoRef::try_from(der)
        .map_err(|e| invalid(KeyFormat::Pkcs8)(format!("encrypted key: {e}")))?;
    check_key_derivation(&info.encryption_algorithm)?;
    // A wrong passphrase shows up as bad padding or as garbage that is not a PrivateKeyInfo;
    // PBES2 has no integrity check that could tell the two apart.
    let document = info
        .decrypt(passphrase)
        .map_err(|_| KeyError::BadPassphrase)?;
    if pkcs8::PrivateKeyInfoRef::try_from(document.as_bytes()).is_err() {
        return Err(KeyError::BadPassphrase);
    }
    load_pkcs8(document.as_bytes())
}

fn load_spki(der: &[u8]) -> Result<KeyFile, KeyError> {
    or_explicit_curve(der, load_spki_named(der))
}

fn load_spki_named(der: &[u8]) -> Result<KeyFile, KeyError> {
    let invalid = invalid(KeyFormat::Spki);
    let info = pkcs8::SubjectPublicKeyInfoRef::try_from(der).map_err(|e| invalid(e.to_string()))?;
    let key = match family(&info.algorithm, KeyFormat::Spki, "public")? {
        Family::Ec(Curve::P256) => {
            p256::ecdsa::VerifyingKey::from_public_key_der(der).map(PublicKey::P256)
        }
        Family::Ec(Curve::P384) => {
            p384::ecdsa::VerifyingKey::from_public_key_der(der).map(PublicKey::P384)
        }
        Family::Ec(Curve::P521) => {
            p521::ecdsa::VerifyingKey::from_public_key_der(der).map(PublicKey::P521)
        }
        Family::Rsa => rsa::PublicKey::from_public_key_der(der)
            .map(|key| PublicKey::Rsa(Box::new(RsaVerifyingKey::new(key)))),
    }
    .map_err(|e| invalid(e.to_string()))?;
    Ok(single(KeyFormat::Spki, AnyKey::Public(key)))
}

fn load_pkcs1_private(der: &[u8]) -> Result<KeyFile, KeyError> {
    let key = rsa::PrivateKey::from_pkcs1_der(der)
        .map_err(|e| invalid(KeyFormat::Pkcs1)(e.to_string()))?;
    Ok(single(
        KeyFormat::Pkcs1,
        AnyKey::Private(PrivateKey::Rsa(Box::new(RsaSigningKey::new(key)))),
    ))
}

fn load_pkcs1_public(der: &[u8]) -> Result<KeyFile, KeyError> {
    let key = rsa::PublicKey::from_pkcs1_der(der)
        .map_err(|e| invalid(KeyFormat::Pkcs1)(e.to_string()))?;
    Ok(single(
        KeyFormat::Pkcs1,
        AnyKey::Public(PublicKey::Rsa(Box::new(RsaVerifyingKey::new(key)))),
    ))
}

/// Builds the single-key file for a parsed JWK.
pub(super) fn from_jwk(jwk: &Jwk) -> Result<LoadedKey, KeyError> {
    let key = jwk.to_key()?;
    jwk.check_for_signatures(&key)?;
    Ok(LoadedKey {
        kid: jwk.kid.clone(),
        key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::Algorithm;

    #[test]
    fn every_private_encoding_loads_back() {
        for alg in Algorithm::ALL {
            let key = PrivateKey::generate(alg, 2048).unwrap();
            let mut encodings = vec![(KeyFormat::Pkcs8, key.to_pkcs8_pem().unwrap())];
            if let Some(sec1) = key.to_sec1_pem() {
                encodings.push((KeyFormat::Sec1, sec1.unwrap()));
            }
            if let Some(pkcs1) = key.to_pkcs1_pem() {
                encodings.push((KeyFormat::Pkcs1, pkcs1.unwrap()));
            }
            for (format, pem) in encodings {
                let file = load_key_file(pem.as_bytes()).unwrap();
                assert_eq!(file.format, format);
                let loaded = file.signing_key("test").unwrap();
                assert_eq!(loaded.public_key(), key.public_key(), "{alg} {format}");
            }
            let public = key.public_key();
            let spki = load_key_file(public.to_spki_pem().unwrap().as_bytes()).unwrap();
            assert_eq!(spki.format, KeyFormat::Spki);
            assert_eq!(spki.verification_key(None).unwrap(), public);
            let der = load_key_file(&public.to_spki_der().unwrap()).unwrap();
            assert_eq!(der.verification_key(Some("any")).unwrap(), public);
        }
    }

    #[test]
    fn an_embedded_public_key_must_match() {
        use pkcs8::der::{Decode as _, Encode as _};
        let key = PrivateKey::generate(crate::alg::Algorithm::Es384, 0).unwrap();
        let other = PrivateKey::generate(crate::alg::Algorithm::Es384, 0).unwrap();
        let der = |k: &PrivateKey| {
            let pem = k.to_sec1_pem().unwrap().unwrap();
            let (_, der) = pkcs8::der::pem::decode_vec(pem.as_bytes()).unwrap();
            der
        };
        let (mine, theirs) = (der(&key), der(&other));
        let mut spliced = sec1::EcPrivateKey::from_der(&mine).unwrap();
        spliced.public_key = sec1::EcPrivateKey::from_der(&theirs).unwrap().public_key;
        let err = load_key_file(&spliced.to_der().unwrap()).unwrap_err();
        assert!(err.to_string().contains("does not belong"), "{err}");
        assert!(load_key_file(&mine).is_ok());

        // A compressed point (some tools write one) is the same point: accepted when it is the
        // key's, refused when it is another's.
        for (owner, expected_ok) in [(&key, true), (&other, false)] {
            let PublicKey::P384(verifying) = owner.public_key() else {
                unreachable!("a P-384 key")
            };
            let compressed = verifying.to_sec1_point(true);
            assert_eq!(compressed.len(), 49);
            let mut stored = sec1::EcPrivateKey::from_der(&mine).unwrap();
            stored.public_key = Some(compressed.as_bytes());
            let loaded = load_key_file(&stored.to_der().unwrap());
            assert_eq!(loaded.is_ok(), expected_ok, "{:?}", loaded.err());
            if let Ok(file) = loaded {
                assert_eq!(file.keys[0].key.public_key(), key.public_key());
            }
        }
    }

    #[test]
    fn der_object_reads_the_declared_length() {
        assert_eq!(
            der_object(&[0x30, 3, 1, 2, 3, b'\n']),
            Some(&[0x30, 3, 1, 2, 3][..])
        );
        let long = [&[0x30, 0x81, 0x80][..], &[0x20; 0x80], b"\r\n"].concat();
        assert_eq!(der_object(&long), Some(&long[..0x83]));
        assert_eq!(der_object(&[0x30, 4, 1, 2]), None, "shorter than declared");
        assert_eq!(
            der_object(&[0x30, 0x80, 0, 0]),
            None,
            "indefinite length is not DER"
        );
        assert_eq!(der_object(&[0x30]), None);
    }

    #[test]
    fn der_ending_in_a_whitespace_byte_loads() {
        // About 2% of keys end in a byte that is ASCII whitespace; trimming it corrupted them
        // (found by the Wycheproof suite, whose P-256 and P-384 groups include such keys).
        let mut found = 0;
        for _ in 0..20_000 {
            let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
            let der = key.public_key().to_spki_der().unwrap();
            if !der.last().unwrap().is_ascii_whitespace() {
                continue;
            }
            let file = load_key_file(&der).unwrap();
            assert_eq!(file.verification_key(None).unwrap(), key.public_key());
            let with_newline = [&der[..], b"\n"].concat();
            let file = load_key_file(&with_newline).unwrap();
            assert_eq!(file.verification_key(None).unwrap(), key.public_key());
            found += 1;
            if found == 3 {
                return;
            }
        }
        panic!("no key ending in a whitespace byte was generated");
    }

    #[test]
    fn public_key_cannot_sign() {
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let file = load_key_file(key.public_key().to_spki_pem().unwrap().as_bytes()).unwrap();
        let err = file.signing_key("mint").unwrap_err().to_string();
        assert_eq!(
            err,
            "this is a SPKI P-256 public key; mint needs a private key"
        );
    }

    #[test]
    fn pem_with_parameters_block_and_crlf_loads() {
        let key = PrivateKey::generate(Algorithm::Es384, 0).unwrap();
        let params = "-----BEGIN EC PARAMETERS-----\nBgUrgQQAIg==\n-----END EC PARAMETERS-----\n";
        let pem = format!("{params}{}", key.to_sec1_pem().unwrap().unwrap().as_str())
            .replace('\n', "\r\n");
        let file = load_key_file(pem.as_bytes()).unwrap();
        assert_eq!(file.format, KeyFormat::Sec1);
    }

    #[test]
    fn a_pem_file_holds_one_key() {
        let a = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        let b = PrivateKey::generate(Algorithm::Es384, 0).unwrap();
        let pem = format!(
            "{}{}",
            a.to_sec1_pem().unwrap().unwrap().as_str(),
            b.public_key().to_spki_pem().unwrap()
        );
        match load_key_file(pem.as_bytes()) {
            Err(KeyError::SeveralPemBlocks { count: 2, labels }) => {
                assert_eq!(labels, "EC PRIVATE KEY, PUBLIC KEY")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn explicit_curve_parameters_are_recognized_only_by_their_field_type() {
        // id-fieldType prime-field, as in ECParameters' fieldID.
        assert!(has_explicit_curve(&[
            0x30, 9, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x01, 0x01
        ]));
        let key = PrivateKey::generate(Algorithm::Es256, 0).unwrap();
        assert!(!has_explicit_curve(&key.to_pkcs8_der().unwrap()));
        assert!(!has_explicit_curve(
            &key.public_key().to_spki_der().unwrap()
        ));
    }

    #[test]
    fn garbage_is_named() {
        assert!(matches!(
            load_key_file(b"   "),
            Err(KeyError::Unrecognized { .. })
        ));
        assert!(matches!(
            load_key_file(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            Err(KeyError::Unsupported { .. })
        ));
        assert!(matches!(
            load_key_file(b"-----BEGIN PRIVATE KEY-----\nAAAA\n"),
            Err(KeyError::Unrecognized { .. })
        ));
        assert!(matches!(
            load_key_file(
                b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"
            ),
            Err(KeyError::Encrypted)
        ));
    }

    #[test]
    fn encrypted_pkcs8_opens_with_its_passphrase() {
        // openssl genpkey -aes256: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC.
        let pem = include_bytes!("../../../../tests/data/p384-encrypted.pem");
        assert!(matches!(load_key_file(pem), Err(KeyError::Encrypted)));
        assert!(matches!(
            load_key_file_with_passphrase(pem, Some(b"wrong")),
            Err(KeyError::BadPassphrase)
        ));
        let file = load_key_file_with_passphrase(pem, Some(b"correct-horse")).unwrap();
        assert_eq!(file.format, KeyFormat::Pkcs8);
        let public = load_key_file(include_bytes!(
            "../../../../tests/data/p384-encrypted.pub.pem"
        ))
        .unwrap()
        .verification_key(None)
        .unwrap();
        assert_eq!(file.signing_key("t").unwrap().public_key(), public);
    }

    #[test]
    fn legacy_encrypted_pem_is_named() {
        let legacy = include_bytes!("../../../../tests/data/p384-legacy-encrypted.pem");
        assert!(matches!(
            load_key_file_with_passphrase(legacy, Some(b"correct-horse")),
            Err(KeyError::EncryptedLegacy)
        ));
    }
}
