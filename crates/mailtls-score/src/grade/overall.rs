//! The domain's letter: the worst endpoint letter (MX hosts and client
//! services alike; `T` counts below `F`), then the domain caps of
//! [`super::caps::DOMAIN_CAPS`] from DNS, DANE, MTA-STS and sender
//! authentication. The reasons are listed worst first.

use mailtls_core::Finding;

use super::caps::DOMAIN_CAPS;
use super::{CategoryScore, Confidence, EndpointGrade, Letter, OverallGrade};

/// The overall grade, or `None` when no endpoint could be graded.
pub fn overall_grade(
    endpoints: &[EndpointGrade],
    categories: &[CategoryScore],
    findings: &[Finding],
) -> Option<OverallGrade> {
    // The worst letter; among equals the first MX endpoint in report order.
    let worst = endpoints
        .iter()
        .rev()
        .filter_map(|grade| grade.letter.map(|letter| (letter, grade)))
        .max_by_key(|(letter, grade)| {
            (
                *letter,
                grade.endpoint.protocol == mailtls_core::MailProtocol::Smtp,
            )
        })?;
    let mut reasons: Vec<(Letter, String)> = Vec::new();
    let (worst_letter, worst_grade) = worst;
    // "F because X." reads as "… is graded F: X." after the endpoint.
    let prefix = format!("{worst_letter} because ");
    let explanation = worst_grade
        .explanation
        .strip_prefix(prefix.as_str())
        .unwrap_or(&worst_grade.explanation);
    reasons.push((
        worst_letter,
        format!(
            "{} ({}) is graded {}: {}",
            worst_grade.endpoint,
            worst_grade.address.ip(),
            worst_letter,
            explanation
        ),
    ));
    let mut letter = worst_letter;
    for cap in DOMAIN_CAPS {
        if findings
            .iter()
            .any(|finding| finding.id == cap.rule && cap.statuses.contains(&finding.status))
            && !reasons.iter().any(|(_, reason)| reason.as_str() == cap.reason)
        {
            letter = letter.max(cap.letter);
            reasons.push((cap.letter, cap.reason.to_owned()));
        }
    }
    if letter == Letter::APlus && reasons.len() > 1 {
        letter = Letter::A;
    }
    reasons.sort_by_key(|reason| std::cmp::Reverse(reason.0));
    let mut missing: Vec<String> = Vec::new();
    for grade in endpoints {
        if let Confidence::Reduced { reasons } = &grade.confidence {
            missing.extend(
                reasons
                    .iter()
                    .map(|reason| format!("{} ({}): {reason}", grade.endpoint, grade.address.ip())),
            );
        }
    }
    for category in categories {
        if category.not_tested > 0 {
            missing.push(format!(
                "{}: {} check(s) not tested",
                category.category.title(),
                category.not_tested
            ));
        }
    }
    missing.dedup();
    Some(OverallGrade {
        letter,
        because: reasons.into_iter().map(|(_, reason)| reason).collect(),
        confidence: if missing.is_empty() {
            Confidence::Full
        } else {
            Confidence::Reduced { reasons: missing }
        },
    })
}
