//! A TLS scan as tables: protocol versions, cipher suites per version in the
//! server's order, groups, features and vulnerability checks, each with the
//! server's reply as evidence. Observations only: the findings judge them.

use mailtls_core::{
    CheckMethod, Feature, ProtocolSupport, ScanOutcome, Support, TlsScan, VulnerabilityResult,
};

use super::document::{Block, Inline, heading, words};

/// The blocks of one endpoint's scan.
pub(crate) fn scan_blocks(scan: &TlsScan) -> Vec<Block> {
    let mut blocks = vec![heading(4, "TLS scan")];
    let outcome = match &scan.outcome {
        ScanOutcome::Completed => "Completed".to_owned(),
        ScanOutcome::Stopped { reason } => {
            format!("Stopped early ({reason}); what it did not reach is not tested")
        }
    };
    blocks.push(Block::Paragraph(words(format!(
        "{outcome}: {} connection(s), {} ms.",
        scan.connections, scan.duration_ms
    ))));

    blocks.push(Block::Table {
        header: vec!["Version".to_owned(), "Accepted".to_owned(), "Evidence".to_owned()],
        rows: scan
            .protocols
            .iter()
            .map(|protocol| {
                let (word, evidence) = support_words(&protocol.support);
                vec![
                    words(protocol.version.name()),
                    vec![Inline::Strong(word.to_owned())],
                    vec![Inline::Code(evidence.to_owned())],
                ]
            })
            .collect(),
    });

    for protocol in &scan.protocols {
        if !protocol.cipher_suites.is_empty() {
            suites(&mut blocks, protocol);
        }
    }

    groups(&mut blocks, scan);

    if !scan.signature_algorithms.is_empty() {
        let mut line = vec![Inline::text("Signature algorithms: ")];
        for (index, name) in scan.signature_algorithms.iter().enumerate() {
            if index > 0 {
                line.push(Inline::text(", "));
            }
            line.push(Inline::code(name.clone()));
        }
        blocks.push(Block::Paragraph(line));
    }
    if let Some(dh) = &scan.dh {
        let known = dh
            .well_known
            .as_ref()
            .map(|name| format!(", the well-known prime {name}"))
            .unwrap_or_default();
        blocks.push(Block::Paragraph(vec![
            Inline::text(format!(
                "Diffie-Hellman: {} bit prime{known}, seen with ",
                dh.prime_bits
            )),
            Inline::code(dh.cipher_suite.clone()),
            Inline::text("."),
        ]));
    }

    features(&mut blocks, scan);
    vulnerabilities(&mut blocks, scan);

    if !scan.anomalies.is_empty() {
        blocks.push(Block::Paragraph(words("Anomalies seen on the way:")));
        blocks.push(Block::List(
            scan.anomalies
                .iter()
                .map(|anomaly| vec![Inline::code(anomaly.clone())])
                .collect(),
        ));
    }
    blocks
}

fn support_words(support: &Support) -> (&'static str, &str) {
    match support {
        Support::Yes { evidence } => ("yes", evidence),
        Support::No { evidence } => ("no", evidence),
        Support::NotTested { reason } => ("not tested", reason),
    }
}

fn suites(blocks: &mut Vec<Block>, protocol: &ProtocolSupport) {
    let order = match protocol.server_order {
        Some(true) => "in the server's order of preference",
        Some(false) => "the server follows the client's order",
        None => "order not known",
    };
    blocks.push(Block::Paragraph(vec![
        Inline::Strong(format!("{} cipher suites", protocol.version.name())),
        Inline::text(format!(" ({order})")),
    ]));
    blocks.push(Block::Table {
        header: ["#", "Suite", "Code", "Key exchange"].map(str::to_owned).to_vec(),
        rows: protocol
            .cipher_suites
            .iter()
            .enumerate()
            .map(|(index, suite)| {
                let code = if suite.code > 0xFFFF {
                    format!("0x{:06X}", suite.code)
                } else {
                    format!("0x{:04X}", suite.code)
                };
                vec![
                    words((index + 1).to_string()),
                    vec![Inline::code(suite.name.clone())],
                    vec![Inline::Code(code)],
                    words(suite.key_exchange.clone().unwrap_or_else(|| "–".to_owned())),
                ]
            })
            .collect(),
    });
}

fn groups(blocks: &mut Vec<Block>, scan: &TlsScan) {
    let groups = &scan.groups;
    if groups.tls13.is_empty() && groups.tls12.is_empty() && groups.not_tested.is_none() {
        return;
    }
    let order = match groups.server_order {
        Some(true) => "in the server's order of preference",
        Some(false) => "the server follows the client's order",
        None => "order not known",
    };
    blocks.push(Block::Paragraph(vec![
        Inline::Strong("Key exchange groups".to_owned()),
        Inline::text(format!(" ({order})")),
    ]));
    let list = |names: &[String]| -> Vec<Inline> {
        if names.is_empty() {
            return words("none");
        }
        let mut line = Vec::new();
        for (index, name) in names.iter().enumerate() {
            if index > 0 {
                line.push(Inline::text(", "));
            }
            line.push(Inline::code(name.clone()));
        }
        line
    };
    let mut rows = vec![
        vec![words("TLS 1.3"), list(&groups.tls13)],
        vec![words("TLS 1.2 and older"), list(&groups.tls12)],
    ];
    if let Some(reason) = &groups.not_tested {
        rows.push(vec![words("not tested"), words(reason.clone())]);
    }
    blocks.push(Block::Table {
        header: vec!["Versions".to_owned(), "Groups".to_owned()],
        rows,
    });
}

fn features(blocks: &mut Vec<Block>, scan: &TlsScan) {
    let features = &scan.features;
    let named: [(&str, &Feature); 9] = [
        ("Secure renegotiation (RFC 5746)", &features.secure_renegotiation),
        (
            "Extended master secret (RFC 7627)",
            &features.extended_master_secret,
        ),
        ("Encrypt-then-MAC (RFC 7366)", &features.encrypt_then_mac),
        ("Session tickets (RFC 5077)", &features.session_ticket),
        ("Session resumption", &features.session_resumption),
        ("OCSP stapling", &features.ocsp_stapling),
        ("TLS compression", &features.compression),
        ("Heartbeat (RFC 6520)", &features.heartbeat),
        ("TLS_FALLBACK_SCSV (RFC 7507)", &features.fallback_scsv),
    ];
    blocks.push(Block::Paragraph(vec![Inline::Strong("Features".to_owned())]));
    blocks.push(Block::Table {
        header: ["Feature", "Supported", "Evidence"].map(str::to_owned).to_vec(),
        rows: named
            .iter()
            .map(|(name, feature)| {
                let (word, evidence) = support_words(&feature.support);
                vec![words(*name), words(word), vec![Inline::code(evidence.to_owned())]]
            })
            .collect(),
    });
}

fn vulnerabilities(blocks: &mut Vec<Block>, scan: &TlsScan) {
    if scan.vulnerabilities.is_empty() {
        return;
    }
    blocks.push(Block::Paragraph(vec![Inline::Strong(
        "Vulnerability checks".to_owned(),
    )]));
    blocks.push(Block::Table {
        header: ["Check", "Result", "How", "Evidence"].map(str::to_owned).to_vec(),
        rows: scan
            .vulnerabilities
            .iter()
            .map(|check| {
                let (result, evidence) = match &check.result {
                    VulnerabilityResult::Vulnerable { evidence } => {
                        (Inline::Strong("VULNERABLE".to_owned()), evidence)
                    }
                    VulnerabilityResult::NotVulnerable { evidence } => {
                        (Inline::text("not vulnerable"), evidence)
                    }
                    VulnerabilityResult::NotTested { reason } => (Inline::text("not tested"), reason),
                };
                let method = match check.method {
                    CheckMethod::Derived => "from the enumeration".to_owned(),
                    CheckMethod::Active => format!("active, {} connection(s)", check.connections),
                };
                vec![
                    vec![Inline::code(check.vulnerability.id())],
                    vec![result],
                    words(method),
                    vec![Inline::code(evidence.clone())],
                ]
            })
            .collect(),
    });
}
