//! The SDK view: Android's payload limit, the `matching_mode` the SDKs send, the Android user
//! tag.

use serde_json::Value;

use super::report::{Report, Status};
use crate::claims::{MAX_PAYLOAD_LEN, android_payload_len_decoded};
use crate::rules::{CheckName, Evaluation};

/// The payload size line: judged even when the payload is no JSON object, as verify judges it.
pub(super) fn payload_size(payload_len: usize, eval: &Evaluation, r: &mut Report) {
    r.judge(eval, CheckName::PayloadSize, || {
        (
            Status::Pass,
            format!(
                "about {} bytes, under the Android SDK's {MAX_PAYLOAD_LEN}-byte limit",
                android_payload_len_decoded(payload_len)
            ),
        )
    });
}

pub(super) fn lines(payload_len: usize, eval: &Evaluation, r: &mut Report) {
    payload_size(payload_len, eval, r);
    let mode = eval
        .matching_object
        .as_ref()
        .and_then(|m| m.get("matching"))
        .and_then(Value::as_str)
        .filter(|mode| !mode.is_empty())
        .map(String::from);
    r.judge(eval, CheckName::MatchingMode, || {
        (
            Status::Pass,
            format!(
                "the SDKs send matching_mode={} (push_sub instead when the app configures an rToken)",
                mode.as_deref().unwrap_or_default()
            ),
        )
    });
    r.matching_mode = mode;
    let tag = eval.user_tag.as_ref().and_then(|tag| tag.as_ref().ok());
    r.judge(eval, CheckName::UserTag, || match tag {
        Some(tag) => (Status::Pass, format!("Android user tag {tag}")),
        None => (Status::Skip, "not computed: no matching object".into()),
    });
    r.user_tag = tag.cloned();
}
