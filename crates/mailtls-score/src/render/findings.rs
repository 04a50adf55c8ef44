//! Findings as text: grouped by category, worst first, with where each was
//! seen, the start of its evidence and a hint how to fix it.

use std::fmt::Write;

use mailtls_core::{Finding, Status};

use super::ansi::{Colour, terminal_safe};
use super::document::status_word;
use super::finding_groups::group_findings;

/// Evidence lines shown per finding; the JSON, Markdown and HTML reports have it all.
const EVIDENCE_LINES: usize = 3;
/// Longest evidence or hint line shown.
const LINE_CHARS: usize = 100;
/// Where the words after the status start.
const INDENT: &str = "             ";

/// Renders findings for a terminal without colour.
pub fn findings_text(findings: &[Finding]) -> String {
    findings_text_in(findings, Colour::Plain)
}

/// Renders findings for a terminal; `mailtls explain <id>` tells more of each.
pub fn findings_text_in(findings: &[Finding], colour: Colour) -> String {
    let mut out = String::new();
    if findings.is_empty() {
        out.push_str("  no findings\n");
        return out;
    }
    for group in group_findings(findings) {
        let _ = writeln!(out, "\n{}", colour.bold(group.title()));
        for (finding, rule) in &group.findings {
            let (_, word) = status_word(finding.status);
            let word = if matches!(finding.status, Status::Info | Status::Pass) {
                word.to_ascii_lowercase()
            } else {
                word.to_owned()
            };
            let padding = " ".repeat(11_usize.saturating_sub(word.len()));
            let _ = writeln!(
                out,
                "  {}{padding}{}  {}",
                colour.status(finding.status, &word),
                finding.id,
                terminal_safe(&finding.title)
            );
            if finding.status == Status::Pass {
                continue;
            }
            sources(&mut out, finding);
            evidence(&mut out, finding);
            if matches!(finding.status, Status::Fail | Status::Warn)
                && let Some(hint) = rule.and_then(|rule| rule.remediation.lines().next())
            {
                let _ = writeln!(out, "{INDENT}fix: {}", clip(hint.trim()));
            }
        }
    }
    out
}

fn sources(out: &mut String, finding: &Finding) {
    let mut shown: Vec<&str> = finding
        .evidence
        .iter()
        .map(|evidence| evidence.source.as_str())
        .collect();
    shown.dedup();
    if shown.is_empty() {
        return;
    }
    let more = if shown.len() > 3 {
        format!(" and {} more", shown.len() - 3)
    } else {
        String::new()
    };
    shown.truncate(3);
    let _ = writeln!(out, "{INDENT}at {}{more}", terminal_safe(&shown.join(", ")));
}

fn evidence(out: &mut String, finding: &Finding) {
    let lines: Vec<&str> = finding
        .evidence
        .iter()
        .flat_map(|evidence| evidence.text.lines())
        .filter(|line| !line.trim().is_empty())
        .collect();
    for line in lines.iter().take(EVIDENCE_LINES) {
        let _ = writeln!(out, "{INDENT}| {}", clip(&terminal_safe(line)));
    }
    if lines.len() > EVIDENCE_LINES {
        let _ = writeln!(
            out,
            "{INDENT}| … {} more line(s) in --format json, md or html",
            lines.len() - EVIDENCE_LINES
        );
    }
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(LINE_CHARS) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or(text)),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailtls_core::{Evidence, Severity};

    fn finding(id: &str, status: Status, evidence: &[(&str, &str)]) -> Finding {
        Finding {
            id: id.into(),
            status,
            severity: Severity::Medium,
            title: format!("title of {id}"),
            detail: String::new(),
            evidence: evidence
                .iter()
                .map(|(source, text)| Evidence {
                    source: (*source).into(),
                    text: (*text).into(),
                })
                .collect(),
            references: Vec::new(),
        }
    }

    #[test]
    fn findings_are_grouped_worst_first_with_evidence_and_a_fix() {
        let text = findings_text(&[
            finding("smtp.starttls.injection", Status::Pass, &[("a", "b")]),
            finding(
                "smtp.starttls.missing",
                Status::Fail,
                &[(
                    "smtp://mx2.example:25 (192.0.2.2) EHLO reply",
                    "250-mx2\n250 SIZE",
                )],
            ),
            finding("dane.tlsa.unusable", Status::Warn, &[]),
        ]);
        assert_eq!(
            text,
            "
Transport security (MX)
  FAIL       smtp.starttls.missing  title of smtp.starttls.missing
             at smtp://mx2.example:25 (192.0.2.2) EHLO reply
             | 250-mx2
             | 250 SIZE
             fix: Give the MTA a certificate and enable opportunistic TLS on port 25.
  pass       smtp.starttls.injection  title of smtp.starttls.injection

DANE
  WARN       dane.tlsa.unusable  title of dane.tlsa.unusable
             fix: Sign the zone with DNSSEC (and publish the DS record at the parent), and publish DANE-EE or DANE-TA …
"
        );
    }

    #[test]
    fn many_sources_are_summarised() {
        let text = findings_text(&[finding(
            "endpoint.unreachable",
            Status::Error,
            &[("a", ""), ("b", ""), ("c", ""), ("d", ""), ("e", "")],
        )]);
        assert!(text.ends_with("at a, b, c and 2 more\n"), "{text}");
    }

    #[test]
    fn long_evidence_is_cut_to_three_lines() {
        let text = findings_text(&[finding(
            "endpoint.unreachable",
            Status::Error,
            &[("a", "1\n2\n3\n4\n5")],
        )]);
        assert!(
            text.ends_with("| 3\n             | … 2 more line(s) in --format json, md or html\n"),
            "{text}"
        );
    }

    #[test]
    fn colour_marks_only_the_status() {
        let text = findings_text_in(
            &[finding("endpoint.unreachable", Status::Fail, &[])],
            Colour::Ansi,
        );
        assert!(
            text.contains("  \x1b[1;31mFAIL\x1b[0m       endpoint.unreachable  title"),
            "{text:?}"
        );
    }

    #[test]
    fn hostile_evidence_cannot_drive_the_terminal() {
        let text = findings_text(&[finding(
            "endpoint.unreachable",
            Status::Error,
            &[("a", "\x1b[2J220 hi")],
        )]);
        assert!(text.contains("| \\u{1b}[2J220 hi"), "{text:?}");
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn no_findings_says_so() {
        assert_eq!(findings_text(&[]), "  no findings\n");
    }
}
