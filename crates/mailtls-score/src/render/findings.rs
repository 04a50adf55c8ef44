//! Findings as text: worst first, one line each, then where it was seen.

use std::fmt::Write;

use mailtls_core::{Finding, Status};

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Fail => "FAIL",
        Status::Warn => "WARN",
        Status::Error => "ERROR",
        Status::NotTested => "NOT TESTED",
        Status::Info => "info",
        Status::Pass => "pass",
    }
}

/// Renders findings for a terminal; `mailtls explain <id>` tells more of each.
pub fn findings_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    if findings.is_empty() {
        out.push_str("  no findings\n");
        return out;
    }
    for finding in findings {
        let _ = writeln!(
            out,
            "  {:<11}{}  {}",
            status_word(finding.status),
            finding.id,
            finding.title
        );
        let sources: Vec<&str> = finding
            .evidence
            .iter()
            .map(|evidence| evidence.source.as_str())
            .collect();
        if !sources.is_empty() {
            let mut shown: Vec<&str> = sources.clone();
            shown.dedup();
            let more = if shown.len() > 3 {
                format!(" and {} more", shown.len() - 3)
            } else {
                String::new()
            };
            shown.truncate(3);
            let _ = writeln!(out, "  {:<11}at {}{more}", "", shown.join(", "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailtls_core::{Evidence, Severity};

    fn finding(id: &str, status: Status, sources: &[&str]) -> Finding {
        Finding {
            id: id.into(),
            status,
            severity: Severity::Medium,
            title: format!("title of {id}"),
            detail: String::new(),
            evidence: sources
                .iter()
                .map(|s| Evidence {
                    source: (*s).into(),
                    text: String::new(),
                })
                .collect(),
            references: Vec::new(),
        }
    }

    #[test]
    fn one_line_per_finding_with_its_sources() {
        let text = findings_text(&[
            finding(
                "dane.tlsa.mismatch",
                Status::Fail,
                &["smtp://mx2.example:25 (192.0.2.2)"],
            ),
            finding("dns.dmarc.policy.none", Status::Warn, &[]),
        ]);
        assert_eq!(
            text,
            "  FAIL       dane.tlsa.mismatch  title of dane.tlsa.mismatch\n             at smtp://mx2.example:25 (192.0.2.2)\n  WARN       dns.dmarc.policy.none  title of dns.dmarc.policy.none\n"
        );
    }

    #[test]
    fn many_sources_are_summarised() {
        let text = findings_text(&[finding(
            "endpoint.unreachable",
            Status::Error,
            &["a", "b", "c", "d", "e"],
        )]);
        assert!(text.ends_with("at a, b, c and 2 more\n"), "{text}");
    }

    #[test]
    fn no_findings_says_so() {
        assert_eq!(findings_text(&[]), "  no findings\n");
    }
}
