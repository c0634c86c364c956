//! The times section: exp, lifetime, iat, nbf and clock skew.

use serde_json::{Map, Value};

use super::report::{Report, Status};
use crate::claims::{
    Rules, describe_expiry, describe_relative, format_utc, human_duration, time_claim,
};
use crate::rules::{CheckName, Evaluation};

/// The lines of the checks that pass; with a leeway, a pass the leeway made says so.
pub(super) fn lines(claims: &Map<String, Value>, rules: &Rules, eval: &Evaluation, r: &mut Report) {
    let (now, leeway) = (rules.now, rules.leeway);
    let valid = |claim: &'static str| claims.get(claim).and_then(|v| time_claim(claim, v).ok());
    let (exp, iat, nbf) = (valid("exp"), valid("iat"), valid("nbf"));
    let within = || format!("within the leeway of {}", human_duration(leeway));

    r.judge(eval, CheckName::Exp, || match exp {
        Some(exp) if exp <= now => (
            Status::Pass,
            format!(
                "{} ({}, {})",
                format_utc(exp),
                describe_expiry(exp, now),
                within()
            ),
        ),
        Some(exp) => (
            Status::Pass,
            format!("{} ({})", format_utc(exp), describe_expiry(exp, now)),
        ),
        None => (Status::Skip, "not judged".into()),
    });
    r.judge(eval, CheckName::Lifetime, || {
        match exp.filter(|&exp| exp > now) {
            None if exp.is_some() => (
                Status::Skip,
                "not judged: exp has passed (accepted by the leeway)".into(),
            ),
            None => (Status::Skip, "not judged: exp is not usable".into()),
            Some(exp) => {
                let left = exp - now;
                let total = iat.filter(|&iat| iat <= now).map_or(left, |iat| exp - iat);
                (
                    Status::Pass,
                    format!("{} left of {}", human_duration(left), human_duration(total)),
                )
            }
        }
    });
    for (claim, check, value) in [("iat", CheckName::Iat, iat), ("nbf", CheckName::Nbf, nbf)] {
        r.judge(eval, check, || match value {
            None => (Status::Pass, format!("no {claim} (optional)")),
            Some(at) => (
                Status::Pass,
                format!("{} ({})", format_utc(at), describe_relative(at, now)),
            ),
        });
    }
    r.judge(eval, CheckName::ClockSkew, || match iat {
        None => (
            Status::Skip,
            "no usable iat, so the minting server's clock cannot be compared with this one".into(),
        ),
        Some(iat) if iat > now => (
            Status::Pass,
            format!(
                "iat is {} ahead of this clock, {}",
                human_duration(iat - now),
                within()
            ),
        ),
        Some(_) => (
            Status::Pass,
            "iat is not in the future; no skew visible".into(),
        ),
    });
}
