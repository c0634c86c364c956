//! The Altcraft claims section: iss, rtoken, matching and its members, unknown fields.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::report::{Report, Status};
use crate::rules::{CheckName, Evaluation};

pub(super) fn lines(claims: &Map<String, Value>, eval: &Evaluation, r: &mut Report) {
    r.judge_if_found(eval, CheckName::ClaimsDuplicate);
    let text = |claim: &str| {
        claims
            .get(claim)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };

    r.judge(eval, CheckName::Iss, || {
        (
            Status::Pass,
            format!(
                "{:?} (should name your app; the platform's exact rule is undocumented)",
                text("iss")
            ),
        )
    });
    if eval.of(CheckName::Iss).next().is_none() {
        r.iss = Some(text("iss").to_string());
    }
    r.judge(eval, CheckName::Rtoken, || {
        (
            Status::Pass,
            format!(
                "present, {} characters (not shown)",
                text("rtoken").chars().count()
            ),
        )
    });
    if eval.of(CheckName::Rtoken).next().is_none() {
        r.rtoken_digest = Some(Sha256::digest(text("rtoken").as_bytes()).into());
    }
    r.judge(eval, CheckName::Matching, || {
        (
            Status::Pass,
            "a string holding a JSON object, as both SDKs need".into(),
        )
    });
    r.matching = eval.matching_object.clone();

    // The members as the rules read them, whenever there is a matching object.
    let members = eval.members.as_ref();
    let no_object = || (Status::Skip, "not judged: no matching object".to_string());
    r.judge(eval, CheckName::DbId, || match members {
        None => no_object(),
        Some(m) => (
            Status::Pass,
            format!("{}, an integer", m.db_id.unwrap_or_default()),
        ),
    });
    r.judge(eval, CheckName::Mode, || match members {
        None => no_object(),
        Some(m) => {
            let message = m.mode.map_or_else(
                || "a known mode".to_string(),
                |mode| format!("{mode}: {}", mode.description()),
            );
            (Status::Pass, message)
        }
    });
    r.judge(eval, CheckName::Identifier, || {
        match members.map(|m| (m, m.mode)) {
            None => no_object(),
            // No mode, so no requirement to judge the identifiers against.
            Some((_, None)) => (Status::Skip, "not judged: the mode is unknown".into()),
            Some((m, Some(mode))) => {
                let mut shown: Vec<String> = m
                    .identifiers
                    .iter()
                    .map(|(f, v)| format!("{f} {v:?}"))
                    .collect();
                if let Some(value) = &m.field_value {
                    shown.push(format!("field_value {value:?}"));
                }
                (
                    Status::Pass,
                    format!(
                        "{mode} needs {}: {}",
                        mode.requirement_text(),
                        shown.join(", ")
                    ),
                )
            }
        }
    });
    r.judge(eval, CheckName::UnknownFields, || {
        (
            Status::Pass,
            "no undocumented claims or matching members".into(),
        )
    });
}
