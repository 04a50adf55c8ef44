//! Grades: a letter per TLS endpoint, a percentage per category of the
//! domain, and an overall letter that says why. `docs/scoring.md` gives the
//! method with worked examples.

mod caps;
mod category;
mod endpoint;
mod model;
mod overall;
mod profile;
pub(crate) mod suites;

pub use crate::rules::Category;
pub use caps::{CapRule, DOMAIN_CAPS, ENDPOINT_CAPS};
pub use category::category_scores;
pub use endpoint::{
    TrustContext, cipher_points, grade_endpoint, group_bits, key_exchange_points, letter_for_score,
    protocol_points,
};
pub use model::{Cap, CategoryScore, Confidence, EndpointGrade, Grades, Letter, OverallGrade};
pub use overall::overall_grade;
pub use profile::{Override, PROFILES, Profile, profile_names};

use mailtls_core::{EndpointObservation, Finding};
use mailtls_probe::assessor::Assessment;

/// Every grade of `assessment`, from its findings already judged by
/// `profile` ([`Profile::apply`]).
pub fn grade(assessment: &Assessment, judged: &[Finding], profile: &Profile) -> Grades {
    let endpoints: Vec<EndpointGrade> = assessment
        .endpoints
        .iter()
        .map(|endpoint| grade_endpoint(endpoint, judged, TrustContext::of(assessment, endpoint)))
        .collect();
    let categories = category_scores(assessment, judged);
    let overall = overall_grade(&endpoints, &categories, judged);
    Grades {
        profile: profile.name.to_owned(),
        endpoints,
        categories,
        overall,
    }
}

/// The grade of one endpoint on its own (`mailtls tls`): no domain around
/// it, so on port 25 certificate trust does not count.
pub fn grade_alone(endpoint: &EndpointObservation, profile: &Profile) -> EndpointGrade {
    let mut findings = Vec::new();
    crate::findings::endpoint_findings_alone(endpoint, &mut findings);
    let judged = profile.apply(&findings);
    grade_endpoint(endpoint, &judged, TrustContext::default())
}

impl Letter {
    /// Whether this letter is worse than `other`; `T` ranks below `F`.
    pub fn is_below(self, other: Letter) -> bool {
        self > other
    }
}
