//! A TLS scan as text rows under its endpoint: versions, the suites of each
//! version in the server's order, groups, features and vulnerability checks.
//! The Markdown and HTML reports show the same as tables, with evidence.

use mailtls_core::{ScanOutcome, Support, TlsScan, VulnerabilityResult};

use super::endpoint::Fact;

/// The rows of one endpoint's scan.
pub(crate) fn scan_facts(scan: &TlsScan) -> Vec<Fact> {
    let mut facts = Vec::new();
    let outcome = match &scan.outcome {
        ScanOutcome::Completed => "completed".to_owned(),
        ScanOutcome::Stopped { reason } => format!("stopped early: {reason}"),
    };
    facts.push((
        "TLS scan",
        format!(
            "{outcome}; {} connection(s), {} ms",
            scan.connections, scan.duration_ms
        ),
    ));
    let versions: Vec<String> = scan
        .protocols
        .iter()
        .map(|protocol| format!("{} {}", protocol.version.name(), support_word(&protocol.support)))
        .collect();
    if !versions.is_empty() {
        facts.push(("versions", versions.join(", ")));
    }
    for protocol in &scan.protocols {
        let order = match protocol.server_order {
            Some(true) => " (server order)",
            Some(false) => " (client order)",
            None => "",
        };
        for (index, suite) in protocol.cipher_suites.iter().enumerate() {
            let key_exchange = suite
                .key_exchange
                .as_ref()
                .map(|key_exchange| format!("  {key_exchange}"))
                .unwrap_or_default();
            let label = if index == 0 { protocol.version.name() } else { "" };
            let order = if index == 0 { order } else { "" };
            facts.push((label, format!("{}{key_exchange}{order}", suite.name)));
        }
    }
    let groups = &scan.groups;
    if !groups.tls13.is_empty() {
        facts.push(("groups 1.3", groups.tls13.join(", ")));
    }
    if !groups.tls12.is_empty() {
        facts.push(("groups ≤1.2", groups.tls12.join(", ")));
    }
    if let Some(reason) = &groups.not_tested {
        facts.push(("groups", format!("not tested: {reason}")));
    }
    if !scan.signature_algorithms.is_empty() {
        facts.push(("signatures", scan.signature_algorithms.join(", ")));
    }
    if let Some(dh) = &scan.dh {
        let known = dh
            .well_known
            .as_ref()
            .map(|name| format!(", {name}"))
            .unwrap_or_default();
        facts.push(("DH", format!("{} bits{known}", dh.prime_bits)));
    }
    let features = &scan.features;
    let named = [
        ("secure renegotiation", &features.secure_renegotiation),
        ("extended master secret", &features.extended_master_secret),
        ("encrypt-then-MAC", &features.encrypt_then_mac),
        ("session tickets", &features.session_ticket),
        ("resumption", &features.session_resumption),
        ("OCSP stapling", &features.ocsp_stapling),
        ("compression", &features.compression),
        ("heartbeat", &features.heartbeat),
        ("fallback SCSV", &features.fallback_scsv),
    ];
    let shown: Vec<String> = named
        .iter()
        .map(|(name, feature)| format!("{name} {}", support_word(&feature.support)))
        .collect();
    facts.push(("features", shown.join(", ")));
    for (index, check) in scan.vulnerabilities.iter().enumerate() {
        let result = match &check.result {
            VulnerabilityResult::Vulnerable { evidence } => format!("VULNERABLE: {evidence}"),
            VulnerabilityResult::NotVulnerable { .. } => "not vulnerable".to_owned(),
            VulnerabilityResult::NotTested { reason } => format!("not tested: {reason}"),
        };
        let label = if index == 0 { "checks" } else { "" };
        facts.push((label, format!("{}: {result}", check.vulnerability.id())));
    }
    for anomaly in &scan.anomalies {
        facts.push(("anomaly", anomaly.clone()));
    }
    facts
}

fn support_word(support: &Support) -> &'static str {
    match support {
        Support::Yes { .. } => "yes",
        Support::No { .. } => "no",
        Support::NotTested { .. } => "not tested",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailtls_core::{
        CheckMethod, CipherSuiteObservation, ProtocolSupport, TlsVersion, Vulnerability, VulnerabilityCheck,
    };

    #[test]
    fn scan_rows_list_versions_suites_in_order_and_checks() {
        let scan = TlsScan {
            protocols: vec![
                ProtocolSupport {
                    version: TlsVersion::Tls11,
                    support: Support::No {
                        evidence: "alert".into(),
                    },
                    cipher_suites: Vec::new(),
                    server_order: None,
                },
                ProtocolSupport {
                    version: TlsVersion::Tls12,
                    support: Support::Yes {
                        evidence: "ServerHello".into(),
                    },
                    cipher_suites: vec![
                        CipherSuiteObservation {
                            name: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384".into(),
                            code: 0xC030,
                            key_exchange: Some("ECDH x25519".into()),
                        },
                        CipherSuiteObservation {
                            name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".into(),
                            code: 0xC02F,
                            key_exchange: None,
                        },
                    ],
                    server_order: Some(true),
                },
            ],
            vulnerabilities: vec![VulnerabilityCheck {
                vulnerability: Vulnerability::Heartbleed,
                method: CheckMethod::Active,
                result: VulnerabilityResult::NotVulnerable {
                    evidence: "no echo".into(),
                },
                connections: 1,
            }],
            connections: 5,
            duration_ms: 12,
            ..TlsScan::default()
        };
        let facts = scan_facts(&scan);
        let features = "secure renegotiation not tested, extended master secret not tested, encrypt-then-MAC not \
                        tested, session tickets not tested, resumption not tested, OCSP stapling not tested, \
                        compression not tested, heartbeat not tested, fallback SCSV not tested";
        assert_eq!(
            facts,
            [
                ("TLS scan", "completed; 5 connection(s), 12 ms".to_owned()),
                ("versions", "TLSv1.1 no, TLSv1.2 yes".to_owned()),
                (
                    "TLSv1.2",
                    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384  ECDH x25519 (server order)".to_owned()
                ),
                ("", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".to_owned()),
                ("features", features.to_owned()),
                ("checks", "heartbleed: not vulnerable".to_owned()),
            ]
        );
    }
}
