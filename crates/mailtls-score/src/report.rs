//! The reports of `mailtls check` and `mailtls demo` (a domain) and of
//! `mailtls tls` (one service): what was observed, the findings the rules
//! make of it, and the grades.

use mailtls_core::{Finding, Observations};
use mailtls_probe::assessor::Assessment;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::findings::findings;
use crate::findings::{endpoint_findings_alone, sort_worst_first};
use crate::grade::{Grades, OverallGrade, Profile, grade, grade_alone};

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

/// One service at one or more addresses, judged on its own (`mailtls tls`).
/// No domain is around it, so on port 25 certificate trust does not count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EndpointReport {
    /// What was observed.
    #[serde(flatten)]
    pub observations: Observations,
    /// The version of the rules that judged it.
    pub ruleset_version: u32,
    /// What it means, worst first.
    pub findings: Vec<Finding>,
    /// One grade per address; `overall` is the worst of them, and there are
    /// no categories.
    pub grades: Grades,
}

impl EndpointReport {
    /// Judges `observations` with the current rules as `profile` adjusts them.
    pub fn with_profile(observations: Observations, profile: &Profile) -> Self {
        let mut found = Vec::new();
        for endpoint in &observations.endpoints {
            endpoint_findings_alone(endpoint, &mut found);
        }
        let mut findings = profile.apply(&found);
        sort_worst_first(&mut findings);
        let endpoints: Vec<_> = observations
            .endpoints
            .iter()
            .map(|endpoint| grade_alone(endpoint, profile))
            .collect();
        // The worst address decides; one that could not be graded is worse
        // than any letter.
        let worst = endpoints
            .iter()
            .max_by_key(|grade| (grade.letter.is_none(), grade.letter));
        let overall = worst.and_then(|grade| {
            grade.letter.map(|letter| OverallGrade {
                letter,
                because: vec![format!(
                    "{} ({}): {}",
                    grade.endpoint,
                    grade.address.ip(),
                    grade.explanation
                )],
                confidence: grade.confidence.clone(),
            })
        });
        Self {
            observations,
            ruleset_version: RULESET_VERSION,
            findings,
            grades: Grades {
                profile: profile.name.to_owned(),
                endpoints,
                categories: Vec::new(),
                overall,
            },
        }
    }
}
