//! The report of `mailtls check` and `mailtls demo`: what was observed, and
//! the findings the rules make of it.

use mailtls_core::Finding;
use mailtls_probe::assessor::Assessment;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::findings::findings;
use crate::grade::{Grades, Profile, grade};

/// The version of the rules that made the findings. Raised whenever a rule
/// is added, removed or judges differently, so that reports made by
/// different versions can be told apart.
pub const RULESET_VERSION: u32 = 2;

/// A domain's assessment with its findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DomainReport {
    /// What was observed.
    #[serde(flatten)]
    pub assessment: Assessment,
    /// The version of the rules that judged it.
    pub ruleset_version: u32,
    /// What it means, worst first.
    pub findings: Vec<Finding>,
    /// The grades made from the findings.
    #[serde(default)]
    pub grades: Grades,
}

impl DomainReport {
    /// Judges `assessment` with the current rules and the default profile.
    pub fn new(assessment: Assessment) -> Self {
        Self::with_profile(assessment, Profile::default_profile())
    }

    /// Judges `assessment` with the current rules as `profile` adjusts
    /// them: the findings and the grades both carry the profile's statuses.
    pub fn with_profile(assessment: Assessment, profile: &Profile) -> Self {
        let findings = profile.apply(&findings(&assessment));
        let grades = grade(&assessment, &findings, profile);
        Self {
            assessment,
            ruleset_version: RULESET_VERSION,
            findings,
            grades,
        }
    }
}
