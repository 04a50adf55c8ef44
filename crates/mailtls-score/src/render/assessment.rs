//! A whole domain assessment as text: the DNS policy, every endpoint, MTA-STS.

use std::fmt::Write;

use mailtls_probe::assessor::MtaStsAssessment;

use super::ansi::Colour;
use super::dns::policy_text;
use super::endpoints_text;
use super::findings::findings_text_in;
use super::grade_text::grades_text;
use crate::report::DomainReport;

/// Renders `mailtls check` output for a terminal without colour.
pub fn assessment_text(report: &DomainReport) -> String {
    assessment_text_in(report, Colour::Plain)
}

/// Renders `mailtls check` output for a terminal: the grades and findings
/// first, then the DNS policy, MTA-STS and every endpoint as evidence.
pub fn assessment_text_in(report: &DomainReport, colour: Colour) -> String {
    let assessment = &report.assessment;
    let mut out = String::new();
    let resolvers: Vec<String> = assessment.resolvers.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        out,
        "{} {} | {} | {} endpoint(s), {} connection(s), {} DNS queries to {}{} | {} ms",
        assessment.generator.name,
        assessment.generator.version,
        assessment.domain.to_unicode(),
        assessment.endpoints.len(),
        assessment.connections,
        assessment.dns_queries,
        resolvers.join(", "),
        if assessment.validating_resolver {
            " (validating)"
        } else {
            " (not trusted to validate)"
        },
        assessment.duration_ms,
    );
    grades_text(&mut out, &report.grades, colour);
    let _ = writeln!(
        out,
        "\nFindings (ruleset {}; `mailtls explain <id>` tells more)",
        report.ruleset_version
    );
    out.push_str(&findings_text_in(&report.findings, colour));
    policy_text(&mut out, &assessment.policy);
    mta_sts_text(&mut out, assessment.mta_sts.as_ref());

    let _ = writeln!(out, "\nEndpoints");
    endpoints_text(&mut out, &assessment.endpoints);
    out
}

/// The MTA-STS policy as a sender fetched it, and what it covers.
pub(crate) fn mta_sts_text(out: &mut String, mta_sts: Option<&MtaStsAssessment>) {
    let _ = writeln!(out, "\nMTA-STS policy");
    match mta_sts {
        None => {
            let _ = writeln!(out, "  not fetched: the domain publishes no MTA-STS record");
        }
        Some(mta_sts) => {
            let fetch = &mta_sts.fetch;
            let at = fetch
                .address
                .map(|address| format!(" from {address}"))
                .unwrap_or_default();
            let _ = writeln!(out, "  {}{at}", fetch.url);
            if let Some(status) = fetch.status {
                let media = fetch.content_type.as_deref().unwrap_or("no Content-Type");
                let _ = writeln!(out, "  HTTP {status}, {media}");
            }
            match (&fetch.policy, &fetch.failure) {
                (Some(policy), _) => {
                    let patterns: Vec<String> =
                        policy.mx.iter().map(|pattern| format!("{pattern:?}")).collect();
                    let _ = writeln!(
                        out,
                        "  mode {:?}, max_age {} s, {} mx pattern(s)",
                        policy.mode,
                        policy.max_age,
                        patterns.len()
                    );
                }
                (None, Some(failure)) => {
                    let _ = writeln!(out, "  NOT usable: {failure}");
                }
                (None, None) => {}
            }
            for issue in &fetch.issues {
                let _ = writeln!(out, "  [{:?}] {}: {}", issue.level, issue.id, issue.message);
            }
            for host in &mta_sts.uncovered_mx {
                let _ = writeln!(
                    out,
                    "  MX {host} is NOT covered by the policy: enforcing senders refuse it"
                );
            }
            for certificate in &mta_sts.mx_certificates {
                let verdict = match certificate.valid {
                    Some(true) => "valid".to_owned(),
                    Some(false) => format!("NOT valid ({})", certificate.detail),
                    None => format!("unknown ({})", certificate.detail),
                };
                let _ = writeln!(
                    out,
                    "  MX {} at {}: certificate {verdict}",
                    certificate.host, certificate.address
                );
            }
        }
    }
}
