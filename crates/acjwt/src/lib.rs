//! acjwt: keys, matching objects and JWTs for the Altcraft mobile SDK (mSDK).
//!
//! The Altcraft platform authorizes mSDK requests with a JWT that the customer's backend signs:
//!
//! ```text
//! {"iss": "<App Name>", "exp": <unix seconds>, "rtoken": "<role token>", "matching": "<JSON string>"}
//! ```
//!
//! verified with a public key registered on the platform (ES384 recommended; ES256, ES512 and
//! RS256 accepted). This crate is the library behind the `acjwt` command; it is plain domain
//! code with no I/O, terminal or clock of its own:
//!
//! - [`alg`]: the four algorithms and the traits every signing and verifying key implements;
//! - [`keys`]: generate, load (by content: SEC1, PKCS#8, PKCS#1, SPKI, JWK, JWKS) and encode keys;
//! - [`matching`]: the eleven matching modes, building and validating matching objects;
//! - [`claims`]: the payload, time parsing, and the rules `verify` applies;
//! - [`jws`]: compact JWS signing and verification for the four algorithms;
//! - [`explain`]: the token doctor, every check that decides whether a token will work;
//! - [`backend`]: which library does the signing arithmetic (RustCrypto, or aws-lc-rs);
//! - [`batch`]: streaming, ordered, multi-threaded work over the lines of a file;
//! - [`rules`]: the one rule engine: every rule a token can break, as typed findings;
//! - [`user_tag`]: the Android SDK's local user tag;
//! - [`verify`]: every check `acjwt verify` makes on one token, collected in a verdict;
//! - [`mint`]: a [`mint::Minter`], key, issuer, role token and kid fixed once, for backends;
//! - [`hazmat`]: tokens that break the rules on purpose: unchecked signing for testing
//!   verifiers, and tokens with exactly one chosen defect for testing an app's failure paths.
//!
//! ```
//! use acjwt::{claims::Claims, jws::{Algorithm, Token}, keys::PrivateKey, matching::Matching};
//!
//! let key = PrivateKey::generate(Algorithm::Es384, 0)?;
//! let matching = Matching::parse(r#"{"db_id":2,"email":"registered_db@localhost","matching":"email_profile"}"#)?;
//! let now = 1_800_000_000;
//! let claims = Claims::new("MyApp".into(), now + 3600, "rtoken".into(), &matching);
//! let token = claims.sign(&key, None, now)?;
//!
//! let parsed = Token::parse(&token)?;
//! assert_eq!(parsed.verify(&key.public_key())?, Algorithm::Es384);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

pub mod alg;
mod arith;
pub mod backend;
pub mod batch;
pub mod claims;
mod code;
pub mod explain;
pub mod hazmat;
mod json;
pub mod jws;
pub mod keys;
pub mod matching;
pub mod mint;
pub mod rules;
pub mod user_tag;
pub mod verify;
