//! The report model: checks grouped in sections, each with a status decided by the findings
//! that belong to it.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::rules::{CheckName, Code, Evaluation, Finding, SdkEffect, Severity};

/// How one check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Nothing found.
    Pass,
    /// Works, but is likely to cause trouble (a warning finding).
    Warn,
    /// The platform or an SDK will refuse the token (an error finding).
    Fail,
    /// Could not be judged (no key given, or an earlier failure hides it).
    Skip,
}

/// The group a check belongs to, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Section {
    /// The JOSE header, signature and key.
    Jose,
    /// exp, iat, nbf.
    Times,
    /// iss, rtoken, matching.
    Claims,
    /// What the mobile SDKs do with the token.
    Sdk,
}

impl Section {
    /// The section's heading.
    pub fn title(self) -> &'static str {
        match self {
            Section::Jose => "JOSE",
            Section::Times => "Times",
            Section::Claims => "Altcraft claims",
            Section::Sdk => "SDK view",
        }
    }

    /// The section a check is shown in.
    pub fn of(check: CheckName) -> Section {
        match check {
            CheckName::Format
            | CheckName::Alg
            | CheckName::Typ
            | CheckName::HeaderMembers
            | CheckName::Kid
            | CheckName::Signature
            | CheckName::KeyStrength
            | CheckName::HeaderDuplicate => Section::Jose,
            CheckName::Exp
            | CheckName::Lifetime
            | CheckName::Iat
            | CheckName::Nbf
            | CheckName::ClockSkew => Section::Times,
            CheckName::PayloadSize | CheckName::MatchingMode | CheckName::UserTag => Section::Sdk,
            _ => Section::Claims,
        }
    }
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Where it is shown.
    pub section: Section,
    /// The check's stable snake_case name (`signature`, `exp`, ...).
    pub name: &'static str,
    /// The code of the finding that decided a warning or failure (`bad_signature`, ...);
    /// absent when the check passed or was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    /// How it came out.
    pub status: Status,
    /// What was found, or on a pass what was seen.
    pub message: String,
    /// What the mobile SDKs do with such a token.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sdk: Vec<SdkEffect>,
}

impl Check {
    /// A check with no finding: a pass or a skip.
    pub fn plain(
        section: Section,
        name: &'static str,
        status: Status,
        message: impl Into<String>,
    ) -> Check {
        Check {
            section,
            name,
            code: None,
            status,
            message: message.into(),
            sdk: Vec::new(),
        }
    }
}

/// Everything `explain` found out about one token. Holds no secret: the role token is only
/// kept as a digest, to tell whether two tokens share it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// The checks, in report order.
    pub checks: Vec<Check>,
    /// The `matching_mode` the SDKs send with this token.
    pub matching_mode: Option<String>,
    /// The Android SDK's local user tag for this token (see
    /// [`android_user_tag`](crate::user_tag::android_user_tag)).
    pub user_tag: Option<String>,
    /// Every finding the checks were judged by.
    #[serde(skip)]
    pub findings: Vec<Finding>,
    /// The matching object the SDKs read, for comparing two tokens.
    #[serde(skip)]
    pub(super) matching: Option<Map<String, Value>>,
    #[serde(skip)]
    pub(super) iss: Option<String>,
    #[serde(skip)]
    pub(super) rtoken_digest: Option<[u8; 32]>,
}

impl Report {
    /// Whether any check failed: `explain` exits 1 then.
    pub fn failed(&self) -> bool {
        self.checks.iter().any(|c| c.status == Status::Fail)
    }

    /// How many checks came out `status`.
    pub fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }

    /// Adds the line of `check`: decided by its findings of the highest severity if it has
    /// any, else `line` gives the pass or skip and its description.
    pub(super) fn judge(
        &mut self,
        evaluation: &Evaluation,
        check: CheckName,
        line: impl FnOnce() -> (Status, String),
    ) {
        let findings: Vec<&Finding> = evaluation.of(check).collect();
        let top = findings.iter().map(|f| f.severity()).max();
        let Some(top) = top else {
            let (status, message) = line();
            self.checks.push(Check::plain(
                Section::of(check),
                check.as_str(),
                status,
                message,
            ));
            return;
        };
        let deciding: Vec<&Finding> = findings
            .into_iter()
            .filter(|f| f.severity() == top)
            .collect();
        let mut sdk: Vec<SdkEffect> = Vec::new();
        for effect in deciding.iter().flat_map(|f| &f.sdk) {
            if !sdk.contains(effect) {
                sdk.push(*effect);
            }
        }
        let status = match top {
            Severity::Error => Status::Fail,
            Severity::Warning => Status::Warn,
            _ => Status::Pass,
        };
        self.checks.push(Check {
            section: Section::of(check),
            name: check.as_str(),
            code: (status != Status::Pass).then(|| deciding[0].code),
            status,
            message: deciding
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            sdk,
        });
    }

    /// Adds the line of a check only when a finding belongs to it (the duplicate members).
    pub(super) fn judge_if_found(&mut self, evaluation: &Evaluation, check: CheckName) {
        if evaluation.of(check).next().is_some() {
            self.judge(evaluation, check, || (Status::Pass, String::new()));
        }
    }
}
