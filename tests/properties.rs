//! Property tests: the round trips acjwt relies on, over generated inputs.
//!
//! - a matching object built from values → its JSON text → parsed back is the same object;
//! - claims minted into a token → decoded give back the same claims and header;
//! - a key encoded in every format acjwt writes or reads → loaded back is the same key;
//! - a signature verifies with its own key, for every algorithm, and with no other;
//! - changing any one byte of a token makes it fail to parse or to verify;
//! - an EC key read from a scalar has RustCrypto's public point (the default build derives it
//!   with aws-lc), accepts that point stored beside it, compressed or not, and refuses another.
//!
//! RSA keys are generated once (generation takes seconds); EC keys come from the generated
//! scalar bytes, so their round trips cover many keys.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use acjwt::claims::Claims;
use acjwt::jws::{Algorithm, Token};
use acjwt::keys::{
    EcKeyError, EcPrivateKey, Jwk, KeyFormat, PlatformCurve, PrivateKey, PublicKey, load_key_file,
};
use acjwt::matching::{Field, FieldValue, Matching, Mode};
use proptest::prelude::*;

/// One RSA key for every RS256 case; MIN_RSA_BITS keeps debug-build signing fast.
static RSA_KEY: LazyLock<PrivateKey> = LazyLock::new(|| {
    PrivateKey::generate(Algorithm::Rs256, acjwt::keys::MIN_RSA_BITS).expect("RSA key")
});

/// An EC key for `alg` from 66 arbitrary bytes (the longest scalar, P-521's), or the RSA key.
fn key_from(alg: Algorithm, bytes: &[u8; 66]) -> Option<PrivateKey> {
    Some(match alg {
        Algorithm::Es256 => PrivateKey::P256(EcPrivateKey::from_scalar(&bytes[..32], None).ok()?),
        Algorithm::Es384 => PrivateKey::P384(EcPrivateKey::from_scalar(&bytes[..48], None).ok()?),
        Algorithm::Es512 => {
            // P-521 scalars are 521 bits: clear the top 7 bits so most inputs are in range.
            let mut scalar = *bytes;
            scalar[0] &= 0x01;
            PrivateKey::P521(EcPrivateKey::from_scalar(&scalar, None).ok()?)
        }
        Algorithm::Rs256 => RSA_KEY.clone(),
    })
}

/// The point `EcPrivateKey` derives (with aws-lc in the default build) is the one RustCrypto's
/// `SigningKey` derives, and a point stored beside the scalar is taken exactly when it is that
/// point, compressed or not: with one bit of it changed, the key is refused.
fn ec_point_matches<C: PlatformCurve>(
    scalar: &[u8],
    compress: bool,
    flip: prop::sample::Index,
) -> Result<(), TestCaseError> {
    let Ok(reference) = ecdsa::SigningKey::<C>::from_slice(scalar) else {
        let read = EcPrivateKey::<C>::from_scalar(scalar, None);
        prop_assert_eq!(read.err(), Some(EcKeyError::InvalidScalar));
        return Ok(());
    };
    let read = EcPrivateKey::<C>::from_scalar(scalar, None).unwrap();
    prop_assert!(
        read.verifying_key() == reference.verifying_key(),
        "{}",
        C::ALGORITHM
    );

    let point = reference.verifying_key().to_sec1_point(compress);
    let stored = EcPrivateKey::<C>::from_scalar(scalar, Some(point.as_bytes()));
    prop_assert!(stored.is_ok_and(|key| key.verifying_key() == reference.verifying_key()));

    let mut other = point.as_bytes().to_vec();
    let index = 1 + flip.index(other.len() - 1);
    other[index] ^= 1;
    let spliced = EcPrivateKey::<C>::from_scalar(scalar, Some(&other));
    prop_assert_eq!(
        spliced.err(),
        Some(EcKeyError::WrongPublicPoint),
        "byte {}",
        index
    );
    Ok(())
}

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop::sample::select(Algorithm::ALL.to_vec())
}

fn key() -> impl Strategy<Value = PrivateKey> {
    (
        algorithm(),
        prop::array::uniform32(any::<u8>()),
        any::<[u8; 34]>(),
    )
        .prop_filter_map("scalar out of range", |(alg, head, tail)| {
            let mut bytes = [0u8; 66];
            bytes[..32].copy_from_slice(&head);
            bytes[32..].copy_from_slice(&tail);
            key_from(alg, &bytes)
        })
}

/// Text with at least one non-space character: quotes, backslashes, control characters and
/// any Unicode included, since they must survive JSON escaping twice (matching in a claim).
fn text() -> impl Strategy<Value = String> {
    any::<String>()
        .prop_filter("needs a non-space character", |s| !s.trim().is_empty())
        .prop_map(|s| s.chars().take(40).collect())
}

fn value_for(field: Field) -> BoxedStrategy<String> {
    match field {
        Field::Email => "[a-zA-Z0-9._%+-]{1,20}@[a-zA-Z0-9.-]{1,20}".boxed(),
        Field::Phone => "\\+?[0-9]{3,20}".boxed(),
        _ => text().boxed(),
    }
}

fn field_value() -> impl Strategy<Value = FieldValue> {
    prop_oneof![
        any::<i64>().prop_map(FieldValue::Integer),
        text().prop_map(FieldValue::Text),
    ]
}

/// A valid matching object for any mode: its required fields, plus any other fields.
fn matching() -> impl Strategy<Value = Matching> {
    let mode = prop::sample::select(Mode::ALL.to_vec());
    let extra = prop::collection::vec(
        prop::sample::select(vec![
            Field::Email,
            Field::Phone,
            Field::ProfileId,
            Field::Provider,
            Field::SubscriptionId,
            Field::FieldName,
        ]),
        0..3,
    );
    (mode, 1..=acjwt::matching::MAX_DB_ID, extra, any::<bool>())
        .prop_flat_map(|(mode, db_id, extra, any_of_both)| {
            let mut fields: Vec<Field> = match mode.requirement() {
                acjwt::matching::Requirement::All(fields) => fields.to_vec(),
                acjwt::matching::Requirement::AnyOf(fields) if any_of_both => fields.to_vec(),
                acjwt::matching::Requirement::AnyOf(fields) => fields[..1].to_vec(),
            };
            fields.extend(extra);
            fields.sort();
            fields.dedup();
            let needs_value = fields.contains(&Field::FieldValue);
            fields.retain(|&f| f != Field::FieldValue);
            let values: Vec<_> = fields.iter().map(|&f| value_for(f)).collect();
            (
                Just(mode),
                Just(db_id),
                Just(fields),
                values,
                if needs_value {
                    field_value().prop_map(Some).boxed()
                } else {
                    Just(None).boxed()
                },
            )
        })
        .prop_map(|(mode, db_id, fields, values, field_value)| {
            let identifiers: BTreeMap<Field, String> = fields.into_iter().zip(values).collect();
            Matching::build(db_id, mode, identifiers, field_value).expect("generated valid")
        })
}

fn public_formats(key: &PublicKey) -> Vec<(KeyFormat, Vec<u8>)> {
    let mut formats = vec![
        (KeyFormat::Spki, key.to_spki_pem().unwrap().into_bytes()),
        (KeyFormat::Spki, key.to_spki_der().unwrap()),
        (
            KeyFormat::Jwk,
            serde_json::to_vec(&Jwk::from_public(key)).unwrap(),
        ),
        (
            KeyFormat::Jwks,
            serde_json::to_vec(&serde_json::json!({ "keys": [Jwk::from_public(key)] })).unwrap(),
        ),
    ];
    if let Some(pkcs1) = key.to_pkcs1_pem() {
        formats.push((KeyFormat::Pkcs1, pkcs1.unwrap().into_bytes()));
    }
    formats
}

fn private_formats(key: &PrivateKey) -> Vec<(KeyFormat, Vec<u8>)> {
    let mut formats = vec![
        (
            KeyFormat::Pkcs8,
            key.to_pkcs8_pem().unwrap().as_bytes().to_vec(),
        ),
        (KeyFormat::Pkcs8, key.to_pkcs8_der().unwrap().to_vec()),
        (
            KeyFormat::Jwk,
            serde_json::to_vec(&Jwk::from_private(key)).unwrap(),
        ),
    ];
    if let Some(sec1) = key.to_sec1_pem() {
        formats.push((KeyFormat::Sec1, sec1.unwrap().as_bytes().to_vec()));
    }
    if let Some(pkcs1) = key.to_pkcs1_pem() {
        formats.push((KeyFormat::Pkcs1, pkcs1.unwrap().as_bytes().to_vec()));
    }
    formats
}

const NOW: i64 = 1_800_000_000;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn matching_build_to_string_to_parse(matching in matching()) {
        let text = matching.to_json();
        let parsed = Matching::parse(&text).unwrap();
        prop_assert_eq!(&parsed, &matching);
        prop_assert_eq!(parsed.to_json(), text);
    }

    #[test]
    fn mint_then_decode_gives_the_claims_back(
        key in key(),
        matching in matching(),
        iss in text(),
        // The one rtoken and kid rules: visible ASCII; a kid may hold inner spaces.
        rtoken in "[!-~]{1,40}",
        ttl in 1i64..10_000_000,
        kid in prop::option::of("[!-~]([ -~]{0,18}[!-~])?"),
    ) {
        let claims = Claims::new(iss.clone(), NOW + ttl, rtoken.clone(), &matching);
        let token = claims.sign(&key, kid.as_deref(), NOW).unwrap();
        let parsed = Token::parse(&token).unwrap();
        prop_assert_eq!(parsed.algorithm(), Ok(key.algorithm()));
        prop_assert_eq!(parsed.kid(), kid.as_deref());
        prop_assert_eq!(parsed.verify(&key.public_key()), Ok(key.algorithm()));
        let decoded = parsed.claims().unwrap();
        prop_assert_eq!(decoded["iss"].as_str(), Some(iss.as_str()));
        prop_assert_eq!(decoded["exp"].as_i64(), Some(NOW + ttl));
        prop_assert_eq!(decoded["rtoken"].as_str(), Some(rtoken.as_str()));
        let inner = Matching::parse(decoded["matching"].as_str().unwrap()).unwrap();
        prop_assert_eq!(inner, matching);
    }

    #[test]
    fn every_key_format_loads_back(key in key()) {
        for (format, bytes) in private_formats(&key) {
            let file = load_key_file(&bytes).unwrap();
            prop_assert_eq!(file.format, format);
            let loaded = file.signing_key("test").unwrap();
            prop_assert_eq!(loaded.public_key(), key.public_key(), "{}", format);
            prop_assert_eq!(loaded.to_pkcs8_der().unwrap(), key.to_pkcs8_der().unwrap());
        }
        let public = key.public_key();
        for (format, bytes) in public_formats(&public) {
            let file = load_key_file(&bytes).unwrap();
            prop_assert_eq!(file.format, format);
            prop_assert_eq!(file.verification_key(None).unwrap(), public.clone(), "{}", format);
        }
    }

    #[test]
    fn signatures_verify_with_their_key_only(
        key in key(),
        other in key(),
        message in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let signature = key.sign(&message).unwrap();
        prop_assert!(key.public_key().verify(&message, &signature).is_ok());
        if other.public_key() != key.public_key() {
            prop_assert!(other.public_key().verify(&message, &signature).is_err());
        }
        let mut changed = message.clone();
        changed.push(0);
        prop_assert!(key.public_key().verify(&changed, &signature).is_err());
    }

    #[test]
    fn ec_public_points_agree_with_rustcrypto(
        bytes in any::<[u8; 66]>(),
        alg in prop::sample::select(vec![Algorithm::Es256, Algorithm::Es384, Algorithm::Es512]),
        compress in any::<bool>(),
        flip in any::<prop::sample::Index>(),
    ) {
        match alg {
            Algorithm::Es256 => ec_point_matches::<p256::NistP256>(&bytes[..32], compress, flip)?,
            Algorithm::Es384 => ec_point_matches::<p384::NistP384>(&bytes[..48], compress, flip)?,
            _ => {
                // P-521 scalars are 521 bits: clear the top 7 bits so most inputs are in range.
                let mut scalar = bytes;
                scalar[0] &= 0x01;
                ec_point_matches::<p521::NistP521>(&scalar, compress, flip)?
            }
        }
    }

    #[test]
    fn any_changed_byte_fails_verification(
        key in key(),
        matching in matching(),
        position in any::<prop::sample::Index>(),
        replacement in any::<u8>(),
    ) {
        let claims = Claims::new("App".into(), NOW + 60, "rtoken".into(), &matching);
        let token = claims.sign(&key, None, NOW).unwrap();
        let mut bytes = token.clone().into_bytes();
        let index = position.index(bytes.len());
        prop_assume!(bytes[index] != replacement);
        bytes[index] = replacement;
        // Not UTF-8 is rejected before parsing, by the CLI's reader.
        if let Ok(text) = String::from_utf8(bytes) {
            let verified = Token::parse(&text).and_then(|t| t.verify(&key.public_key()));
            prop_assert!(verified.is_err(), "{} verified after changing byte {}", text, index);
        }
        // Truncation is a change too.
        let cut = &token[..index];
        prop_assert!(Token::parse(cut).and_then(|t| t.verify(&key.public_key())).is_err());
    }
}
