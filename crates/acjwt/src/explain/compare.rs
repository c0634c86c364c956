//! `explain A B`: whether two tokens name one user and one resource.

use std::collections::BTreeSet;

use serde_json::Value;

use super::report::{Check, Report, Section, Status};

/// `explain A B`: whether two tokens name the same user and the same resource.
pub fn compare(a: &Report, b: &Report) -> Vec<Check> {
    let mut checks = Vec::new();
    let check = |name, status, message: String| Check::plain(Section::Sdk, name, status, message);
    match (&a.user_tag, &b.user_tag) {
        (Some(ta), Some(tb)) if ta == tb => checks.push(check(
            "same_user",
            Status::Pass,
            format!("both tokens map to the same user (Android user tag {ta})"),
        )),
        (Some(_), Some(_)) => {
            let (ma, mb) = (
                a.matching.clone().unwrap_or_default(),
                b.matching.clone().unwrap_or_default(),
            );
            let keys: BTreeSet<&String> = ma.keys().chain(mb.keys()).collect();
            let differences: Vec<String> = keys
                .into_iter()
                .filter(|k| ma.get(*k) != mb.get(*k))
                .map(|k| {
                    let show = |v: Option<&Value>| {
                        v.map_or_else(|| "absent".to_string(), Value::to_string)
                    };
                    format!("{k} {} vs {}", show(ma.get(k)), show(mb.get(k)))
                })
                .collect();
            checks.push(check(
                "same_user",
                Status::Fail,
                format!(
                    "the tokens map to different users: {}",
                    differences.join(", ")
                ),
            ));
        }
        _ => checks.push(check(
            "same_user",
            Status::Skip,
            "not compared: a token has no user tag (see its report)".into(),
        )),
    }
    let same_resource =
        a.rtoken_digest.is_some() && a.rtoken_digest == b.rtoken_digest && a.iss == b.iss;
    let status = if same_resource {
        Status::Pass
    } else {
        Status::Warn
    };
    checks.push(check(
        "same_resource",
        status,
        if same_resource {
            "same iss and rtoken".into()
        } else {
            format!(
                "iss {} and the rtoken {}",
                if a.iss == b.iss { "match" } else { "differ" },
                if a.rtoken_digest.is_some() && a.rtoken_digest == b.rtoken_digest {
                    "matches"
                } else {
                    "differs"
                }
            )
        },
    ));
    checks
}
