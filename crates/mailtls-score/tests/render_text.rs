//! The demo report as terminal text: the grade first, findings grouped and
//! worst first, the TLS scan under its endpoint, colour only when asked.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod demo_assessment;
mod render_fixture;

use mailtls_score::render::{Colour, assessment_text, assessment_text_in};
use render_fixture::{demo_report, rich_report};

#[test]
fn grade_summary_comes_before_the_findings() {
    let text = assessment_text(&rich_report());
    let grade = text
        .find("\nGrade  B   because TLS 1.0 is accepted on mx1.demo.mailtls.test; the TLSA records")
        .unwrap();
    let findings = text.find("\nFindings (ruleset 2;").unwrap();
    assert!(grade < findings, "{text}");
    assert!(text.contains(
        "  Client access (submission, IMAP, POP3)    not applicable: the demo publishes no such record  (1 not tested)  partial\n"
    ), "{text}");
}

#[test]
fn findings_are_grouped_with_evidence_and_fix() {
    let text = assessment_text(&rich_report());
    assert!(
        text.contains(
            "\nTransport security (MX)\n  FAIL       tls.certificate.expired  The certificate has expired\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "             | notAfter 2026-01-01T00:00:00Z\n             fix: Renew the certificate"
        )
    );
    assert!(text.contains("  pass       smtp.starttls.missing  STARTTLS is offered\n"));
}

#[test]
fn tls_scan_rows_follow_the_endpoint() {
    let text = assessment_text(&rich_report());
    assert!(text.contains(
        "  TLS scan     completed; 23 connection(s), 840 ms\n  versions     SSLv2 no, SSLv3 no, TLSv1.0 yes, TLSv1.1 no, TLSv1.2 yes, TLSv1.3 yes\n"
    ), "{text}");
    assert!(text.contains(
        "  TLSv1.2      TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384  ECDH x25519 (server order)\n               TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256  ECDH x25519\n"
    ));
    assert!(text.contains("  checks       heartbleed: not vulnerable\n               beast: VULNERABLE: TLSv1.0 with TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA\n"));
}

#[test]
fn colour_is_only_added_when_asked_for() {
    let report = rich_report();
    assert!(!assessment_text(&report).contains('\x1b'));
    let coloured = assessment_text_in(&report, Colour::Ansi);
    assert!(
        coloured.contains("\nGrade \x1b[1;33m B \x1b[0m  because"),
        "{coloured}"
    );
    assert!(coloured.contains("  \x1b[1;31mFAIL\x1b[0m       tls.certificate.expired"));
    assert_eq!(
        coloured
            .replace("\x1b[1;33m", "")
            .replace("\x1b[1;31m", "")
            .replace("\x1b[33m", "")
            .replace("\x1b[32m", "")
            .replace("\x1b[1m", "")
            .replace("\x1b[0m", ""),
        assessment_text(&report),
        "colour changes nothing but the escape sequences"
    );
}

#[test]
fn a_report_without_grades_prints_no_grade_block() {
    let mut report = demo_report();
    report.grades = mailtls_score::grade::Grades::default();
    let text = assessment_text(&report);
    assert!(!text.contains("\nGrade "), "{text}");
    assert!(text.contains("\nDANE\n  WARN       dane.tlsa.unusable"));
}
