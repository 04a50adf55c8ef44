//! Findings grouped by the part of mail security they are about, worst first
//! within each group, with the rule that explains them.

use mailtls_core::{Finding, Status};

use crate::rules::{self, Category, Rule};

/// The order reports show statuses in: what needs action first, what could
/// not be judged next, then facts and passes.
pub(crate) const STATUS_ORDER: [Status; 6] = [
    Status::Fail,
    Status::Warn,
    Status::NotTested,
    Status::Error,
    Status::Info,
    Status::Pass,
];

/// The findings of one category.
#[derive(Debug)]
pub(crate) struct FindingGroup<'a> {
    /// The category; `None` for findings of ids no rule names.
    pub(crate) category: Option<Category>,
    /// Its findings, worst first; each with its rule when the catalogue has it.
    pub(crate) findings: Vec<(&'a Finding, Option<&'static Rule>)>,
}

impl FindingGroup<'_> {
    /// The report heading of the group.
    pub(crate) fn title(&self) -> &'static str {
        self.category.map_or("Other", Category::title)
    }

    /// The anchor of the group's heading.
    pub(crate) fn anchor(&self) -> String {
        format!(
            "findings-{}",
            self.category.map_or("other", Category::name).replace('_', "-")
        )
    }
}

/// Where a status sits in [`STATUS_ORDER`].
pub(crate) fn status_rank(status: Status) -> usize {
    STATUS_ORDER
        .iter()
        .position(|candidate| *candidate == status)
        .unwrap_or(STATUS_ORDER.len())
}

/// The category of a finding id: the catalogue's, or for a DNS issue the
/// catalogue does not list yet, its family's.
fn category_of(id: &str, rule: Option<&Rule>) -> Option<Category> {
    if let Some(rule) = rule {
        return Some(rule.category);
    }
    let issue = id.strip_prefix("dns.")?;
    rules::dns_family(issue).map(|family| family.category)
}

/// Groups findings by category in report order, leaving out empty groups;
/// within a group the worst come first and equal ones keep their order.
pub(crate) fn group_findings(findings: &[Finding]) -> Vec<FindingGroup<'_>> {
    let mut groups: Vec<FindingGroup<'_>> = Category::ALL
        .iter()
        .map(|category| Some(*category))
        .chain([None])
        .map(|category| FindingGroup {
            category,
            findings: Vec::new(),
        })
        .collect();
    for finding in findings {
        let rule = rules::rule(&finding.id);
        let category = category_of(&finding.id, rule);
        if let Some(group) = groups.iter_mut().find(|group| group.category == category) {
            group.findings.push((finding, rule));
        }
    }
    for group in &mut groups {
        group
            .findings
            .sort_by_key(|(finding, _)| status_rank(finding.status));
    }
    groups.retain(|group| !group.findings.is_empty());
    groups
}

/// How many findings have each status, in [`STATUS_ORDER`], leaving out zeros.
pub(crate) fn status_counts(findings: &[Finding]) -> Vec<(Status, usize)> {
    STATUS_ORDER
        .iter()
        .map(|status| {
            (
                *status,
                findings
                    .iter()
                    .filter(|finding| finding.status == *status)
                    .count(),
            )
        })
        .filter(|(_, count)| *count > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailtls_core::Severity;

    fn finding(id: &str, status: Status) -> Finding {
        Finding {
            id: id.into(),
            status,
            severity: Severity::Medium,
            title: id.into(),
            detail: String::new(),
            evidence: Vec::new(),
            references: Vec::new(),
        }
    }

    #[test]
    fn groups_follow_category_order_and_put_the_worst_first() {
        let findings = [
            finding("dns.tlsa.rollover.single", Status::Info),
            finding("smtp.starttls.missing", Status::Pass),
            finding("dane.tlsa.unusable", Status::Warn),
            finding("tls.certificate.untrusted", Status::NotTested),
            finding("smtp.starttls.injection", Status::Fail),
            finding("no.such.rule", Status::Warn),
        ];
        let groups = group_findings(&findings);
        let shown: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|group| {
                (
                    group.title(),
                    group.findings.iter().map(|(f, _)| f.id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "Transport security (MX)",
                    vec![
                        "smtp.starttls.injection",
                        "tls.certificate.untrusted",
                        "smtp.starttls.missing"
                    ]
                ),
                ("DANE", vec!["dane.tlsa.unusable", "dns.tlsa.rollover.single"]),
                ("Other", vec!["no.such.rule"]),
            ]
        );
    }

    #[test]
    fn counts_leave_out_absent_statuses() {
        let findings = [
            finding("a", Status::Pass),
            finding("b", Status::Fail),
            finding("c", Status::Pass),
        ];
        assert_eq!(status_counts(&findings), [(Status::Fail, 1), (Status::Pass, 2)]);
    }
}
