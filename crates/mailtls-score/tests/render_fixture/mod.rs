//! The reports the renderer tests draw: the demo domain assessed in
//! process, and the same report with hand-made grades, a TLS scan and a
//! server that answers with markup.
// Each test binary uses a part of this module.
#![allow(dead_code)]

use mailtls_core::{
    CheckMethod, CipherSuiteObservation, DhParameters, Evidence, Feature, Finding, GroupSupport,
    MailProtocol, ProtocolSupport, Reference, ScanOutcome, Severity, Status, Support, TlsFeatures, TlsScan,
    TlsVersion, Vulnerability, VulnerabilityCheck, VulnerabilityResult,
};
use mailtls_score::grade::{
    Cap, Category, CategoryScore, Confidence, EndpointGrade, Grades, Letter, OverallGrade,
};
use mailtls_score::report::DomainReport;

/// What a hostile server puts in its greeting.
pub(crate) const HOSTILE: &str = "<script>alert(1)</script> | `tick` **bold** [x](javascript:alert(2))";

/// The demo domain, assessed once and judged, exactly as `mailtls demo` makes it.
pub(crate) fn demo_report() -> DomainReport {
    DomainReport::new(crate::demo_assessment::demo())
}

/// The demo report with grades, a TLS scan on the MX, a greeting full of
/// markup and a failing finding whose evidence repeats it.
pub(crate) fn rich_report() -> DomainReport {
    let mut report = demo_report();
    let mx = report
        .assessment
        .endpoints
        .iter_mut()
        .find(|endpoint| endpoint.endpoint.protocol == MailProtocol::Smtp)
        .expect("the demo has an MX");
    let dialogue = mx.dialogue.as_mut().expect("the MX has a dialogue");
    dialogue.greeting = vec![format!("220 {HOSTILE}")];
    mx.tls_scan = Some(scan());
    let mx_endpoint = mx.endpoint.clone();
    let mx_address = mx.address;
    report.findings.insert(
        0,
        Finding {
            id: "tls.certificate.expired".into(),
            status: Status::Fail,
            severity: Severity::High,
            title: "The certificate has expired".into(),
            detail: "The leaf certificate of the MX expired 3 days ago.".into(),
            evidence: vec![Evidence {
                source: format!("{mx_endpoint} ({}) greeting", mx_address.ip()),
                text: format!("220 {HOSTILE}\nnotAfter 2026-01-01T00:00:00Z"),
            }],
            references: vec![Reference {
                title: "RFC 5280 §4.1.2.5: validity".into(),
                url: "https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5".into(),
            }],
        },
    );
    report.findings.push(Finding {
        id: "smtp.starttls.missing".into(),
        status: Status::Pass,
        severity: Severity::Info,
        title: "STARTTLS is offered".into(),
        detail: String::new(),
        evidence: Vec::new(),
        references: Vec::new(),
    });
    report.grades = grades(mx_endpoint, mx_address);
    report
}

fn category(category: Category, percent: Option<u8>, counts: [u32; 4]) -> CategoryScore {
    let [passed, warned, failed, not_tested] = counts;
    CategoryScore {
        category,
        percent,
        not_applicable: percent
            .is_none()
            .then(|| "the demo publishes no such record".to_owned()),
        passed,
        warned,
        failed,
        not_tested,
        confidence: Confidence::Full,
    }
}

fn grades(endpoint: mailtls_core::Endpoint, address: std::net::SocketAddr) -> Grades {
    Grades {
        profile: "default".into(),
        endpoints: vec![EndpointGrade {
            endpoint,
            address,
            protocol_score: Some(95),
            key_exchange_score: Some(90),
            cipher_score: Some(90),
            score: Some(91),
            letter: Some(Letter::B),
            letter_if_trusted: None,
            caps: vec![Cap {
                letter: Letter::B,
                rule: "tls.version.tls1_0".into(),
                reason: "TLS 1.0 is accepted".into(),
            }],
            trust_counts: true,
            explanation: "B: TLS 1.0 is accepted.".into(),
            confidence: Confidence::Full,
        }],
        categories: vec![
            category(Category::Transport, Some(80), [4, 1, 0, 0]),
            category(Category::Dane, Some(50), [1, 1, 0, 0]),
            category(Category::MtaSts, Some(100), [3, 0, 0, 0]),
            category(Category::SenderAuthentication, Some(90), [5, 0, 0, 0]),
            category(Category::Dns, Some(60), [2, 1, 0, 1]),
            CategoryScore {
                confidence: Confidence::Reduced {
                    reasons: vec!["POP3 on port 995 was not tested".into()],
                },
                ..category(Category::ClientAccess, None, [0, 0, 0, 1])
            },
        ],
        overall: Some(OverallGrade {
            letter: Letter::B,
            because: vec![
                "TLS 1.0 is accepted on mx1.demo.mailtls.test".into(),
                "the TLSA records of mx1.demo.mailtls.test are not DNSSEC-signed".into(),
            ],
            confidence: Confidence::Full,
        }),
    }
}

fn yes(evidence: &str) -> Support {
    Support::Yes {
        evidence: evidence.into(),
    }
}

fn no(evidence: &str) -> Support {
    Support::No {
        evidence: evidence.into(),
    }
}

fn suite(name: &str, code: u32, key_exchange: &str) -> CipherSuiteObservation {
    CipherSuiteObservation {
        name: name.into(),
        code,
        key_exchange: Some(key_exchange.into()),
    }
}

fn protocol(
    version: TlsVersion,
    support: Support,
    cipher_suites: Vec<CipherSuiteObservation>,
) -> ProtocolSupport {
    let server_order = (cipher_suites.len() > 1).then_some(true);
    ProtocolSupport {
        version,
        support,
        cipher_suites,
        server_order,
    }
}

/// A scan as a TLS 1.0–1.3 server with a preference order would show it.
pub(crate) fn scan() -> TlsScan {
    TlsScan {
        outcome: ScanOutcome::Completed,
        connections: 23,
        duration_ms: 840,
        protocols: vec![
            protocol(TlsVersion::Ssl2, no("connection closed"), Vec::new()),
            protocol(TlsVersion::Ssl3, no("alert handshake_failure(40)"), Vec::new()),
            protocol(
                TlsVersion::Tls10,
                yes("ServerHello TLSv1.0 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
                vec![suite("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC013, "ECDH x25519")],
            ),
            protocol(TlsVersion::Tls11, no("alert protocol_version(70)"), Vec::new()),
            protocol(
                TlsVersion::Tls12,
                yes("ServerHello TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
                vec![
                    suite("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xC030, "ECDH x25519"),
                    suite(
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                        0xCCA8,
                        "ECDH x25519",
                    ),
                    suite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F, "ECDH x25519"),
                    suite("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009E, "DH 2048"),
                ],
            ),
            protocol(
                TlsVersion::Tls13,
                yes("ServerHello TLSv1.3 TLS_AES_256_GCM_SHA384"),
                vec![
                    suite("TLS_AES_256_GCM_SHA384", 0x1302, "ECDH X25519MLKEM768"),
                    suite("TLS_CHACHA20_POLY1305_SHA256", 0x1303, "ECDH X25519MLKEM768"),
                    suite("TLS_AES_128_GCM_SHA256", 0x1301, "ECDH X25519MLKEM768"),
                ],
            ),
        ],
        groups: GroupSupport {
            tls13: vec!["X25519MLKEM768".into(), "x25519".into(), "secp256r1".into()],
            tls12: vec!["x25519".into(), "secp256r1".into(), "secp384r1".into()],
            server_order: Some(true),
            not_tested: None,
        },
        signature_algorithms: vec!["rsa_pss_rsae_sha256".into(), "rsa_pkcs1_sha256".into()],
        dh: Some(DhParameters {
            prime_bits: 2048,
            well_known: Some("RFC 7919 ffdhe2048".into()),
            cipher_suite: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256".into(),
        }),
        features: TlsFeatures {
            secure_renegotiation: Feature {
                support: yes("renegotiation_info in ServerHello"),
            },
            extended_master_secret: Feature {
                support: yes("extended_master_secret in ServerHello"),
            },
            encrypt_then_mac: Feature {
                support: no("not in ServerHello"),
            },
            session_ticket: Feature {
                support: yes("NewSessionTicket"),
            },
            compression: Feature {
                support: no("null compression chosen"),
            },
            heartbeat: Feature {
                support: no("not echoed"),
            },
            fallback_scsv: Feature {
                support: yes("alert inappropriate_fallback(86)"),
            },
            ..TlsFeatures::default()
        },
        vulnerabilities: vec![
            VulnerabilityCheck {
                vulnerability: Vulnerability::Heartbleed,
                method: CheckMethod::Active,
                result: VulnerabilityResult::NotVulnerable {
                    evidence: "no heartbeat response".into(),
                },
                connections: 1,
            },
            VulnerabilityCheck {
                vulnerability: Vulnerability::Beast,
                method: CheckMethod::Derived,
                result: VulnerabilityResult::Vulnerable {
                    evidence: "TLSv1.0 with TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA".into(),
                },
                connections: 0,
            },
            VulnerabilityCheck {
                vulnerability: Vulnerability::Robot,
                method: CheckMethod::Active,
                result: VulnerabilityResult::NotTested {
                    reason: "no RSA key exchange suite is accepted".into(),
                },
                connections: 0,
            },
        ],
        anomalies: Vec::new(),
    }
}
