//! The JOSE section: alg, typ, header members, kid, signature and key strength.

use serde_json::Value;

use super::report::{Report, Status};
use crate::jws::{Algorithm, JwsError, Token};
use crate::keys::{KeyFile, PublicKey};
use crate::rules::{CheckName, Evaluation};

/// What became of the key.
pub(super) enum KeyState {
    /// No key given: the signature's shape was judged instead.
    NoKey,
    /// The header cannot choose a key (a member twice, a kid that is not a string).
    HeaderUnusable,
    /// No key in the file for the token's kid.
    NotChosen,
    /// The key chosen, and how verifying with it went.
    Checked {
        public: Box<PublicKey>,
        result: Result<Algorithm, JwsError>,
    },
}

/// Chooses the key and verifies with it, recording the findings in `evaluation`.
pub(super) fn check_key(
    token: &Token<'_>,
    key: Option<&KeyFile>,
    evaluation: &mut Evaluation,
) -> KeyState {
    let Some(file) = key else {
        evaluation.signature_shape(token);
        return KeyState::NoKey;
    };
    let Some(kid) = evaluation.key_request() else {
        return KeyState::HeaderUnusable;
    };
    match file.verification_key(kid) {
        Ok(public) => {
            let result = token.verify(&public);
            evaluation.key_checked(&public, &result);
            KeyState::Checked {
                public: Box::new(public),
                result,
            }
        }
        Err(err) => {
            evaluation.key_not_chosen(&err);
            KeyState::NotChosen
        }
    }
}

pub(super) fn lines(token: &Token<'_>, key: &KeyState, eval: &Evaluation, r: &mut Report) {
    let alg = token.algorithm();
    r.judge(eval, CheckName::Alg, || match &alg {
        Ok(Algorithm::Es384) => (
            Status::Pass,
            "ES384, the platform's recommended algorithm".into(),
        ),
        Ok(alg) => (Status::Pass, format!("{alg} is accepted by the platform")),
        Err(_) => (
            Status::Skip,
            "not judged: the header has a member twice".into(),
        ),
    });
    r.judge(eval, CheckName::Typ, || match token.header.get("typ") {
        None => (Status::Pass, "no typ (optional)".into()),
        Some(_) => (Status::Pass, "JWT".into()),
    });
    r.judge(eval, CheckName::HeaderMembers, || {
        (Status::Pass, "only alg, typ and kid".into())
    });
    r.judge(eval, CheckName::Kid, || {
        match (key, token.header.get("kid")) {
            (KeyState::HeaderUnusable, _) => (
                Status::Skip,
                "not judged: the header has a member twice".into(),
            ),
            (KeyState::Checked { .. }, Some(Value::String(kid))) => {
                (Status::Pass, format!("kid {kid:?} selects the key"))
            }
            (_, Some(Value::String(kid))) => (Status::Pass, format!("kid {kid:?}")),
            _ => (
                Status::Pass,
                "no kid (needed only to choose among several keys)".into(),
            ),
        }
    });
    r.judge(eval, CheckName::Signature, || match key {
        KeyState::NoKey => (Status::Skip, "not checked: no key given".into()),
        KeyState::HeaderUnusable | KeyState::NotChosen => (
            Status::Skip,
            "not checked: no key selected (see kid)".into(),
        ),
        // A header rule found before the signature (alg, crit) stopped verification.
        KeyState::Checked { result: Err(_), .. } => (
            Status::Skip,
            "not checked: the header is refused (see above)".into(),
        ),
        KeyState::Checked { public, .. } => (
            Status::Pass,
            format!("verifies with the {}", public.describe()),
        ),
    });
    r.judge(eval, CheckName::KeyStrength, || match (key, &alg) {
        (KeyState::Checked { public, .. }, _) => (Status::Pass, format!("{} key", public.kind())),
        (KeyState::NoKey, Ok(Algorithm::Rs256)) => (
            Status::Pass,
            format!(
                "RSA {}-bit, judging by the signature length",
                token.signature.len() * 8
            ),
        ),
        (KeyState::NoKey, Ok(alg)) => (
            Status::Pass,
            format!(
                "{} key, a {}-byte r||s signature",
                alg.curve().unwrap_or_default(),
                alg.ecdsa_signature_len().unwrap_or_default()
            ),
        ),
        (KeyState::NoKey, Err(_)) => (
            Status::Skip,
            "not judged: the algorithm is not one the platform accepts".into(),
        ),
        _ => (Status::Skip, "not judged: no key selected (see kid)".into()),
    });
    r.judge_if_found(eval, CheckName::HeaderDuplicate);
}
