//! Golden tests: hand-altered assessments of the demo domain (assessed once
//! on loopback), with their exact findings and grades.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod demo_assessment;

use mailtls_core::{
    CheckMethod, CipherSuiteObservation, DaneStatus, Feature, MailProtocol, ProbeOutcome, ProtocolSupport,
    Status, Support, TlsFeatures, TlsScan, TlsVersion, Vulnerability, VulnerabilityCheck,
    VulnerabilityResult,
};

use demo_assessment::demo;
use mailtls_dns::mx::MxSet;
use mailtls_probe::assessor::Assessment;
use mailtls_score::grade::{Category, Letter};
use mailtls_score::report::DomainReport;

fn yes(evidence: &str) -> Support {
    Support::Yes {
        evidence: evidence.to_owned(),
    }
}

fn no() -> Support {
    Support::No {
        evidence: "alert handshake_failure(40)".to_owned(),
    }
}

fn suite(name: &str, code: u32, key_exchange: &str) -> CipherSuiteObservation {
    CipherSuiteObservation {
        name: name.to_owned(),
        code,
        key_exchange: Some(key_exchange.to_owned()),
    }
}

fn protocol(version: TlsVersion, support: Support, suites: Vec<CipherSuiteObservation>) -> ProtocolSupport {
    ProtocolSupport {
        version,
        support,
        cipher_suites: suites,
        server_order: Some(true),
    }
}

fn checks(vulnerable: &[Vulnerability]) -> Vec<VulnerabilityCheck> {
    [
        Vulnerability::Heartbleed,
        Vulnerability::CcsInjection,
        Vulnerability::Robot,
        Vulnerability::Drown,
        Vulnerability::Poodle,
        Vulnerability::Beast,
        Vulnerability::Freak,
        Vulnerability::Logjam,
        Vulnerability::Crime,
    ]
    .into_iter()
    .map(|vulnerability| VulnerabilityCheck {
        vulnerability,
        method: CheckMethod::Derived,
        result: if vulnerable.contains(&vulnerability) {
            VulnerabilityResult::Vulnerable {
                evidence: "seen".to_owned(),
            }
        } else {
            VulnerabilityResult::NotVulnerable {
                evidence: "not seen".to_owned(),
            }
        },
        connections: 0,
    })
    .collect()
}

fn feature(support: Support) -> Feature {
    Feature { support }
}

/// TLS 1.3 and TLS 1.2 with forward-secret AEAD suites only.
fn modern_scan() -> TlsScan {
    TlsScan {
        protocols: vec![
            protocol(TlsVersion::Ssl2, no(), vec![]),
            protocol(TlsVersion::Ssl3, no(), vec![]),
            protocol(TlsVersion::Tls10, no(), vec![]),
            protocol(TlsVersion::Tls11, no(), vec![]),
            protocol(
                TlsVersion::Tls12,
                yes("ServerHello TLSv1.2"),
                vec![
                    suite("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xC030, "ECDH x25519"),
                    suite(
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                        0xCCA8,
                        "ECDH x25519",
                    ),
                ],
            ),
            protocol(
                TlsVersion::Tls13,
                yes("ServerHello TLSv1.3"),
                vec![
                    suite("TLS_AES_256_GCM_SHA384", 0x1302, "ECDH X25519MLKEM768"),
                    suite("TLS_CHACHA20_POLY1305_SHA256", 0x1303, "ECDH X25519MLKEM768"),
                ],
            ),
        ],
        groups: mailtls_core::GroupSupport {
            tls13: vec!["X25519MLKEM768".to_owned(), "x25519".to_owned()],
            tls12: vec!["x25519".to_owned()],
            server_order: Some(true),
            not_tested: None,
        },
        features: TlsFeatures {
            secure_renegotiation: feature(yes("renegotiation_info")),
            extended_master_secret: feature(yes("extended_master_secret")),
            encrypt_then_mac: feature(no()),
            session_ticket: feature(yes("ticket")),
            session_resumption: feature(yes("resumed")),
            ocsp_stapling: feature(no()),
            compression: feature(no()),
            heartbeat: feature(no()),
            fallback_scsv: feature(yes("inappropriate_fallback")),
        },
        vulnerabilities: checks(&[]),
        ..TlsScan::default()
    }
}

/// TLS 1.0 only, with RC4 and static RSA.
fn legacy_scan() -> TlsScan {
    TlsScan {
        protocols: vec![
            protocol(TlsVersion::Ssl2, no(), vec![]),
            protocol(TlsVersion::Ssl3, no(), vec![]),
            protocol(
                TlsVersion::Tls10,
                yes("ServerHello TLSv1.0"),
                vec![
                    suite("TLS_RSA_WITH_RC4_128_SHA", 0x0005, "RSA"),
                    suite("TLS_RSA_WITH_AES_128_CBC_SHA", 0x002F, "RSA"),
                ],
            ),
            protocol(TlsVersion::Tls11, no(), vec![]),
            protocol(TlsVersion::Tls12, no(), vec![]),
            protocol(TlsVersion::Tls13, no(), vec![]),
        ],
        features: TlsFeatures {
            secure_renegotiation: feature(yes("renegotiation_info")),
            extended_master_secret: feature(no()),
            encrypt_then_mac: feature(no()),
            session_ticket: feature(no()),
            session_resumption: feature(no()),
            ocsp_stapling: feature(no()),
            compression: feature(no()),
            heartbeat: feature(no()),
            fallback_scsv: feature(no()),
        },
        vulnerabilities: checks(&[Vulnerability::Beast]),
        ..TlsScan::default()
    }
}

fn mx_index(assessment: &Assessment) -> usize {
    assessment
        .endpoints
        .iter()
        .position(|e| e.endpoint.protocol == MailProtocol::Smtp)
        .unwrap()
}

fn statuses(report: &DomainReport, prefix: &str) -> Vec<(String, Status)> {
    report
        .findings
        .iter()
        .filter(|finding| finding.id.starts_with(prefix))
        .map(|finding| (finding.id.clone(), finding.status))
        .collect()
}

fn percent(report: &DomainReport, category: Category) -> Option<u8> {
    report
        .grades
        .categories
        .iter()
        .find(|c| c.category == category)
        .unwrap()
        .percent
}

fn only_first_mx(assessment: &mut Assessment) {
    let index = mx_index(assessment);
    let first = assessment.endpoints[index].clone();
    assessment
        .endpoints
        .retain(|e| e.endpoint.protocol != MailProtocol::Smtp);
    assessment.endpoints.insert(0, first);
}

#[test]
fn the_demo_with_its_tls_scans_grades_a_plus() {
    // TLS 1.2 and 1.3 with forward-secret AEAD suites only, and an MTA-STS
    // policy in enforce mode that covers the MX.
    let report = DomainReport::new(demo());
    let overall = report.grades.overall.as_ref().unwrap();
    assert_eq!(overall.letter, Letter::APlus, "{overall:?}");
    // Protocol 100 · 0.3 + key exchange x25519 (90) · 0.3 + cipher
    // (AES-128 80 + AES-256 100) / 2 · 0.4 = 30 + 27 + 36.
    assert_eq!(report.grades.endpoints[0].score, Some(93));
    assert_eq!(percent(&report, Category::Dane), Some(50));
    assert_eq!(percent(&report, Category::Transport), Some(100));
}

#[test]
fn null_mx_makes_the_mail_categories_not_applicable() {
    let mut assessment = demo();
    assessment.policy.mx.set = Some(MxSet::Null);
    assessment.policy.mx.hosts.clear();
    assessment.endpoints.clear();
    assessment.mta_sts = None;
    let report = DomainReport::new(assessment);
    for category in [Category::Transport, Category::Dane, Category::MtaSts] {
        let score = report
            .grades
            .categories
            .iter()
            .find(|c| c.category == category)
            .unwrap();
        assert_eq!(score.percent, None);
        assert_eq!(
            score.not_applicable.as_deref(),
            Some("the domain publishes a Null MX (RFC 7505): it accepts no mail")
        );
    }
    assert_eq!(report.grades.overall, None);
}

#[test]
fn no_mx_hosts_is_not_applicable_rather_than_perfect() {
    let mut assessment = demo();
    assessment.policy.mx.hosts.clear();
    assessment
        .endpoints
        .retain(|e| e.endpoint.protocol != MailProtocol::Smtp);
    let report = DomainReport::new(assessment);
    let transport = &report.grades.categories[0];
    assert_eq!(transport.percent, None);
    assert_eq!(
        transport.not_applicable.as_deref(),
        Some("the domain has no MX hosts")
    );
}

#[test]
fn every_mx_unreachable_is_not_tested() {
    let mut assessment = demo();
    for endpoint in &mut assessment.endpoints {
        if endpoint.endpoint.protocol == MailProtocol::Smtp {
            endpoint.outcome = ProbeOutcome::Error {
                message: "connection refused".to_owned(),
            };
            endpoint.tls = None;
            endpoint.dialogue = None;
        }
    }
    let report = DomainReport::new(assessment);
    let transport = &report.grades.categories[0];
    assert_eq!(transport.percent, None);
    assert_eq!(
        transport.not_applicable.as_deref(),
        Some("not tested: every MX host was unreachable")
    );
    assert_eq!(transport.not_tested, 1);
    assert_eq!(report.grades.endpoints[0].letter, None);
    assert!(matches!(
        transport.confidence,
        mailtls_score::grade::Confidence::Reduced { .. }
    ));
}

#[test]
fn dane_without_mta_sts_counts_trust() {
    let mut assessment = demo();
    assessment.mta_sts = None;
    let index = mx_index(&assessment);
    let tls = assessment.endpoints[index].tls.as_mut().unwrap();
    tls.trust = mailtls_core::TrustVerdict::Untrusted {
        reason: "UnknownIssuer".to_owned(),
    };
    let dane = tls.dane.as_mut().unwrap();
    dane.status = DaneStatus::NotAuthenticated {
        reason: "no record matches".to_owned(),
    };
    let report = DomainReport::new(assessment);
    let grade = &report.grades.endpoints[index];
    assert!(grade.trust_counts);
    assert_eq!(grade.letter, Some(Letter::T));
    assert_eq!(grade.letter_if_trusted, Some(Letter::A));
    assert_eq!(report.grades.overall.as_ref().unwrap().letter, Letter::T);
}

#[test]
fn mta_sts_testing_counts_trust_but_warns() {
    let mut assessment = demo();
    assessment
        .mta_sts
        .as_mut()
        .unwrap()
        .fetch
        .policy
        .as_mut()
        .unwrap()
        .mode = mailtls_dns::mta_sts::MtaStsMode::Testing;
    let report = DomainReport::new(assessment);
    assert_eq!(
        statuses(&report, "mtasts."),
        [("mtasts.mode.testing".to_owned(), Status::Warn)]
    );
    assert!(report.grades.endpoints[0].trust_counts);
    assert_eq!(percent(&report, Category::MtaSts), Some(90));
}

#[test]
fn untrusted_certificate_on_plain_port_25_is_no_t() {
    let mut assessment = demo();
    assessment.mta_sts = None;
    let index = mx_index(&assessment);
    let tls = assessment.endpoints[index].tls.as_mut().unwrap();
    tls.trust = mailtls_core::TrustVerdict::Untrusted {
        reason: "UnknownIssuer".to_owned(),
    };
    tls.dane = None;
    let report = DomainReport::new(assessment);
    let grade = &report.grades.endpoints[index];
    assert!(!grade.trust_counts);
    assert_eq!(grade.letter, Some(Letter::A));
}

#[test]
fn tls1_0_only_with_rc4_is_c() {
    let mut assessment = demo();
    only_first_mx(&mut assessment);
    assessment.endpoints[0].tls_scan = Some(legacy_scan());
    let report = DomainReport::new(assessment);
    let grade = &report.grades.endpoints[0];
    assert_eq!(grade.protocol_score, Some(90));
    assert_eq!(grade.key_exchange_score, Some(90));
    assert_eq!(grade.cipher_score, Some(80));
    assert_eq!(grade.score, Some(86));
    assert_eq!(grade.letter, Some(Letter::C));
    assert_eq!(grade.explanation, "C because RC4 is accepted.");
    let caps: Vec<(&str, Letter)> = grade
        .caps
        .iter()
        .map(|cap| (cap.rule.as_str(), cap.letter))
        .collect();
    assert_eq!(
        caps,
        [
            ("tls.cipher.rc4", Letter::C),
            ("tls.version.no_tls1_2", Letter::C),
            ("tls.version.tls1_0", Letter::B),
            ("tls.cipher.no_forward_secrecy", Letter::B),
            ("tls.cipher.no_aead", Letter::B),
            ("tls.feature.extended_master_secret", Letter::AMinus),
        ]
    );
    let failing: Vec<(String, Status)> = statuses(&report, "tls.")
        .into_iter()
        .filter(|(_, status)| matches!(status, Status::Fail | Status::Warn))
        .collect();
    assert_eq!(
        failing,
        [
            ("tls.cipher.rc4".to_owned(), Status::Fail),
            ("tls.version.no_tls1_2".to_owned(), Status::Fail),
            ("tls.cipher.no_forward_secrecy".to_owned(), Status::Fail),
            ("tls.cipher.no_aead".to_owned(), Status::Warn),
            ("tls.version.tls1_0".to_owned(), Status::Warn),
            ("tls.feature.extended_master_secret".to_owned(), Status::Warn),
        ]
    );
}

#[test]
fn modern_server_with_mta_sts_enforce_is_a_plus() {
    let mut assessment = demo();
    only_first_mx(&mut assessment);
    assessment.endpoints[0].tls_scan = Some(modern_scan());
    let report = DomainReport::new(assessment);
    let grade = &report.grades.endpoints[0];
    assert_eq!(
        (grade.protocol_score, grade.key_exchange_score, grade.cipher_score),
        (Some(100), Some(90), Some(100))
    );
    assert_eq!(grade.score, Some(97));
    assert_eq!(grade.letter, Some(Letter::APlus));
    assert!(grade.caps.is_empty());
    assert_eq!(
        statuses(&report, "tls.")
            .iter()
            .filter(|(_, s)| *s == Status::Fail || *s == Status::Warn)
            .count(),
        0
    );
    assert_eq!(
        report
            .findings
            .iter()
            .find(|f| f.id == "tls.kex.pq_hybrid")
            .unwrap()
            .status,
        Status::Pass
    );
    let modern = DomainReport::with_profile(
        report.assessment.clone(),
        mailtls_score::grade::Profile::named("mozilla-modern").unwrap(),
    );
    assert_eq!(modern.grades.endpoints[0].letter, Some(Letter::B));
    assert_eq!(
        modern.grades.endpoints[0].explanation,
        "B because TLS 1.2 is accepted."
    );
}
