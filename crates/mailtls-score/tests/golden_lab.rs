//! Golden tests on saved observations of the lab (`lab/README.md` lists its
//! planted faults): the assessments of `lab.test` and `broken.test` as
//! `mailtls check --format json` saved them, judged again by the current
//! rules. Findings and grades are asserted exactly; a change of a rule shows
//! here as a changed expectation, to be entered in docs/ruleset-changelog.md.
//!
//! The fixtures were made with the lab up:
//! `mailtls check lab.test --resolver 127.0.10.53 --validating-resolver
//! --ca-file lab/run/ca/ca.pem --format json`, with `findings`, `grades` and
//! `ruleset_version` removed.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;

use mailtls_core::Status;
use mailtls_probe::assessor::Assessment;
use mailtls_score::grade::{Category, Letter};
use mailtls_score::report::DomainReport;

fn report(fixture: &str) -> DomainReport {
    let assessment: Assessment = serde_json::from_str(fixture).unwrap();
    DomainReport::new(assessment)
}

/// (rule id, status) → how many findings, leaving out passes.
fn not_passed(report: &DomainReport) -> BTreeMap<(String, Status), usize> {
    let mut counts = BTreeMap::new();
    for finding in report
        .findings
        .iter()
        .filter(|finding| finding.status != Status::Pass)
    {
        *counts.entry((finding.id.clone(), finding.status)).or_insert(0) += 1;
    }
    counts
}

fn expected(rows: &[(&str, Status, usize)]) -> BTreeMap<(String, Status), usize> {
    rows.iter()
        .map(|(id, status, count)| (((*id).to_owned(), *status), *count))
        .collect()
}

fn percents(report: &DomainReport) -> Vec<(Category, Option<u8>)> {
    report
        .grades
        .categories
        .iter()
        .map(|score| (score.category, score.percent))
        .collect()
}

fn letters(report: &DomainReport) -> Vec<(String, Option<Letter>)> {
    report
        .grades
        .endpoints
        .iter()
        .map(|grade| {
            (
                format!("{} {}", grade.endpoint.protocol, grade.address),
                grade.letter,
            )
        })
        .collect()
}

#[test]
fn lab_test_findings_are_exact() {
    let report = report(include_str!("golden/lab.test.json"));
    assert_eq!(report.findings.len(), 297);
    assert_eq!(
        not_passed(&report),
        expected(&[
            // mx2's TLSA record does not match its certificate (planted).
            ("dane.tlsa.mismatch", Status::Fail, 1),
            ("dns.bimi.evidence.missing", Status::Info, 1),
            ("dns.tlsa.rollover.single", Status::Info, 2),
            // Postfix listens on ::1 for port 25 only.
            ("endpoint.unreachable", Status::Error, 2),
            // The MTA-STS policy names mx1 only (planted).
            ("mtasts.mx_not_covered", Status::Fail, 1),
            ("tls.cipher.cbc", Status::Info, 9),
            // Postfix's default "medium" ciphers include anonymous suites: a
            // failure on 587 and 465, tolerated on 25.
            ("tls.cipher.null_or_anonymous", Status::Fail, 2),
            ("tls.cipher.null_or_anonymous", Status::Warn, 3),
            ("tls.cipher.server_order", Status::Warn, 9),
            ("tls.feature.ocsp_stapling", Status::Info, 9),
            // Dovecot's login processes do not resume sessions.
            ("tls.feature.session_resumption", Status::Info, 4),
            ("tls.kex.dh_weak", Status::Warn, 5),
            ("tls.kex.pq_hybrid", Status::Info, 9),
            ("tls.version.tls1_0", Status::Warn, 5),
            ("tls.version.tls1_1", Status::Warn, 5),
            ("tls.version.tls1_2", Status::Info, 9),
            ("tls.vuln.beast", Status::Info, 5),
        ])
    );
}

#[test]
fn lab_test_grades_are_exact() {
    let report = report(include_str!("golden/lab.test.json"));
    let overall = report.grades.overall.as_ref().unwrap();
    assert_eq!(overall.letter, Letter::F);
    assert_eq!(
        overall.because[0],
        "submission://mx1.lab.test:587 (127.0.10.25) is graded F: NULL or anonymous suites are accepted."
    );
    assert_eq!(
        percents(&report),
        [
            (Category::Transport, Some(83)),
            (Category::Dane, Some(0)),
            (Category::MtaSts, Some(80)),
            (Category::SenderAuthentication, Some(100)),
            (Category::Dns, Some(100)),
            (Category::ClientAccess, Some(90)),
        ]
    );
    assert_eq!(
        letters(&report),
        [
            ("smtp 127.0.10.25:25".to_owned(), Some(Letter::B)),
            ("smtp [::1]:25".to_owned(), Some(Letter::B)),
            ("smtp 127.0.10.26:25".to_owned(), Some(Letter::B)),
            ("submission 127.0.10.25:587".to_owned(), Some(Letter::F)),
            ("submission [::1]:587".to_owned(), None),
            ("submissions 127.0.10.25:465".to_owned(), Some(Letter::F)),
            ("submissions [::1]:465".to_owned(), None),
            ("imap 127.0.10.143:143".to_owned(), Some(Letter::AMinus)),
            ("imaps 127.0.10.143:993".to_owned(), Some(Letter::AMinus)),
            ("pop3 127.0.10.143:110".to_owned(), Some(Letter::AMinus)),
            ("pop3s 127.0.10.143:995".to_owned(), Some(Letter::AMinus)),
        ]
    );
}

#[test]
fn broken_test_findings_are_exact() {
    let report = report(include_str!("golden/broken.test.json"));
    assert_eq!(report.findings.len(), 80);
    assert_eq!(
        not_passed(&report),
        expected(&[
            ("dane.tlsa.unusable", Status::Warn, 1),
            ("dns.dmarc.policy.none", Status::Warn, 1),
            ("dns.spf.lookups.too_many", Status::Fail, 1),
            ("dns.tlsa.rollover.single", Status::Info, 1),
            ("dns.tlsa.rrset.unusable", Status::Fail, 1),
            ("dns.tlsa.usage.pkix", Status::Warn, 1),
            ("mtasts.mode.testing", Status::Warn, 1),
            ("mtasts.mx_certificate_invalid", Status::Warn, 2),
            ("mtasts.mx_not_covered", Status::Warn, 1),
            ("mtasts.tlsrpt.missing", Status::Warn, 1),
            // expired.broken.test: no TLSA, not in the MTA-STS policy, so
            // senders do not validate it: a warning.
            ("tls.certificate.expired", Status::Warn, 1),
            // wrongname.broken.test is in the (testing) MTA-STS policy and has TLSA.
            ("tls.certificate.name_mismatch", Status::Fail, 1),
            ("tls.certificate.untrusted", Status::Fail, 1),
            ("tls.certificate.untrusted", Status::Warn, 1),
            ("tls.cipher.cbc", Status::Info, 2),
            ("tls.cipher.null_or_anonymous", Status::Warn, 2),
            ("tls.cipher.server_order", Status::Warn, 2),
            ("tls.feature.ocsp_stapling", Status::Info, 2),
            ("tls.kex.dh_weak", Status::Warn, 2),
            ("tls.kex.pq_hybrid", Status::Info, 2),
            ("tls.version.tls1_0", Status::Warn, 2),
            ("tls.version.tls1_1", Status::Warn, 2),
            ("tls.version.tls1_2", Status::Info, 2),
            ("tls.vuln.beast", Status::Info, 2),
        ])
    );
}

#[test]
fn broken_test_grades_are_exact() {
    let report = report(include_str!("golden/broken.test.json"));
    let overall = report.grades.overall.as_ref().unwrap();
    // T: the certificate of an MX that senders validate does not cover its name.
    assert_eq!(overall.letter, Letter::T);
    assert_eq!(overall.because.len(), 2);
    assert_eq!(overall.because[1], "DMARC is p=none");
    assert_eq!(
        percents(&report),
        [
            (Category::Transport, Some(75)),
            (Category::Dane, Some(0)),
            (Category::MtaSts, Some(70)),
            (Category::SenderAuthentication, Some(25)),
            (Category::Dns, Some(100)),
            // broken.test publishes no client services.
            (Category::ClientAccess, None),
        ]
    );
    let wrongname = &report.grades.endpoints[0];
    assert_eq!(wrongname.letter, Some(Letter::T));
    assert_eq!(wrongname.letter_if_trusted, Some(Letter::B));
    assert_eq!(
        letters(&report),
        [
            ("smtp 127.0.10.28:25".to_owned(), Some(Letter::T)),
            ("smtp 127.0.10.29:25".to_owned(), Some(Letter::B)),
        ]
    );
}
