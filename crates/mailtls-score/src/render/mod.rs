//! Renderers: one report, the same words in the terminal and on the web.

mod assessment;
mod dns;
mod findings;
mod grades;

use std::fmt::Write;

pub use assessment::assessment_text;
pub use dns::dns_text;
pub use findings::findings_text;
pub use grades::{endpoint_line, grades_text};

use mailtls_core::{
    DaneStatus, EndpointObservation, InjectionTest, Observations, ProbeOutcome, Target, TlsHandshake,
    TlsaMatch, TrustVerdict,
};

/// Renders observations as plain text for a terminal, one block per endpoint.
pub fn observations_text(observations: &Observations) -> String {
    let mut out = String::new();
    let target = match &observations.target {
        Target::Domain { domain } => domain.to_unicode(),
        Target::Endpoint { endpoint } => endpoint.to_string(),
    };
    let _ = writeln!(
        out,
        "{} {} | {} | {} endpoint(s), {} connection(s), {} ms",
        observations.generator.name,
        observations.generator.version,
        target,
        observations.endpoints.len(),
        observations.connections,
        observations.duration_ms,
    );
    for endpoint in &observations.endpoints {
        out.push('\n');
        endpoint_text(&mut out, endpoint);
    }
    out
}

fn row(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "  {label:<13}{value}");
}

pub(crate) fn endpoint_text(out: &mut String, observation: &EndpointObservation) {
    let _ = writeln!(out, "{}  ({})", observation.endpoint, observation.address);
    let outcome = match &observation.outcome {
        ProbeOutcome::Completed => "completed".to_owned(),
        ProbeOutcome::NotTested { reason } => format!("not tested: {reason}"),
        ProbeOutcome::Error { message } => format!("error: {message}"),
    };
    row(out, "outcome", &outcome);
    if let Some(dialogue) = &observation.dialogue {
        for (index, line) in dialogue.greeting.iter().enumerate() {
            row(out, if index == 0 { "greeting" } else { "" }, line);
        }
        if !dialogue.capabilities_before_tls.is_empty() {
            row(out, "before TLS", &dialogue.capabilities_before_tls.join(", "));
        }
        if observation.endpoint.tls_mode() == mailtls_core::TlsMode::Starttls {
            let starttls = match (&dialogue.starttls_reply, dialogue.starttls_offered) {
                (Some(reply), _) => reply.clone(),
                (None, true) => "offered, not tried".to_owned(),
                (None, false) => "not offered".to_owned(),
            };
            row(out, "STARTTLS", &starttls);
        }
        if let Some(test) = &dialogue.starttls_injection {
            let verdict = match test {
                InjectionTest::NotVulnerable => "not vulnerable (pipelined plaintext discarded)".to_owned(),
                InjectionTest::Vulnerable { evidence } => {
                    format!("VULNERABLE: answered inside TLS with {evidence:?}")
                }
                InjectionTest::NotTested { reason } => format!("not tested: {reason}"),
            };
            row(out, "injection", &verdict);
        }
    }
    if let Some(tls) = &observation.tls {
        tls_text(out, tls);
    }
    if let Some(failure) = &observation.tls_failure {
        row(out, "TLS", failure);
    }
    if let Some(dialogue) = &observation.dialogue
        && !dialogue.capabilities_after_tls.is_empty()
    {
        row(out, "inside TLS", &dialogue.capabilities_after_tls.join(", "));
    }
}

fn tls_text(out: &mut String, tls: &TlsHandshake) {
    let mut line = format!("{}  {}", tls.version.name(), tls.cipher_suite);
    if let Some(group) = &tls.group {
        let _ = write!(line, "  {group}");
    }
    if let Some(alpn) = &tls.alpn {
        let _ = write!(line, "  ALPN {alpn}");
    }
    row(out, "TLS", &line);
    let trust = match &tls.trust {
        TrustVerdict::Trusted => "trusted".to_owned(),
        TrustVerdict::Untrusted { reason } => format!("NOT trusted: {reason}"),
        TrustVerdict::NotChecked { reason } => format!("not checked: {reason}"),
    };
    row(
        out,
        "certificate",
        &format!("{trust}; chain of {}", tls.certificates.len()),
    );
    if let Some(leaf) = tls.certificates.first() {
        match (&leaf.facts, &leaf.parse_error) {
            (Some(facts), _) => {
                let names = facts
                    .subject_alt_names
                    .as_ref()
                    .map(|sans| sans.dns_names.join(", "))
                    .unwrap_or_else(|| facts.subject_common_names.join(", "));
                row(out, "leaf names", &names);
                row(out, "leaf issuer", &facts.issuer);
                let key = match (facts.public_key.bits, &facts.public_key.curve) {
                    (_, Some(curve)) => format!("{:?} {curve}", facts.public_key.algorithm),
                    (Some(bits), None) => format!("{:?} {bits} bits", facts.public_key.algorithm),
                    (None, None) => format!("{:?}", facts.public_key.algorithm),
                };
                row(
                    out,
                    "leaf key",
                    &format!("{key}, signed with {}", facts.signature_algorithm.name),
                );
                row(
                    out,
                    "leaf expiry",
                    &format!(
                        "{} ({} days, {:?})",
                        facts.validity.not_after_rfc3339,
                        facts.validity.days_to_expiry,
                        facts.validity.status
                    ),
                );
            }
            (None, Some(error)) => row(out, "leaf", &format!("does not parse: {error:?}")),
            (None, None) => {}
        }
        row(out, "leaf sha256", &leaf.sha256);
    }
    if tls.ocsp_stapled {
        row(out, "OCSP", "stapled");
    }
    if let Some(dane) = &tls.dane {
        let status = match &dane.status {
            DaneStatus::Authenticated { matched } => format!("authenticated by {} record(s)", matched.len()),
            DaneStatus::NotAuthenticated { reason } => format!("NOT authenticated: {reason}"),
            DaneStatus::Unusable { reason } => format!("unusable: {reason}"),
        };
        row(out, "DANE", &status);
        for record in &dane.records {
            let result = match &record.result {
                TlsaMatch::Matched { .. } => "matches".to_owned(),
                TlsaMatch::NotMatched { reason }
                | TlsaMatch::UnusableForSmtp { reason }
                | TlsaMatch::Unusable { reason } => reason.clone(),
            };
            let shown = record.record.get(..24).unwrap_or(&record.record);
            row(out, "", &format!("{shown}…: {result}"));
        }
        row(out, "", &format!("rollover: {}", dane.rollover.description));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailtls_core::{
        CertificateObservation, DialogueObservation, Domain, Endpoint, Generator, Host, MailProtocol,
        TlsVersion,
    };

    fn sample() -> Observations {
        let host = Host::Domain(Domain::parse("mx1.example.test").unwrap());
        Observations {
            schema_version: mailtls_core::SCHEMA_VERSION,
            generator: Generator {
                name: "mailtls".into(),
                version: "9.9.9".into(),
            },
            target: Target::Domain {
                domain: Domain::parse("example.test").unwrap(),
            },
            started_at: 0,
            duration_ms: 42,
            connections: 1,
            endpoints: vec![EndpointObservation {
                endpoint: Endpoint::new(MailProtocol::Smtp, host),
                address: "127.0.0.1:25".parse().unwrap(),
                sni: Some("mx1.example.test".into()),
                connections: 1,
                outcome: ProbeOutcome::Completed,
                dialogue: Some(DialogueObservation {
                    greeting: vec!["220 mx1.example.test ESMTP".into()],
                    capabilities_before_tls: vec!["PIPELINING".into(), "STARTTLS".into()],
                    starttls_offered: true,
                    starttls_reply: Some("220 2.0.0 Ready".into()),
                    capabilities_after_tls: vec!["AUTH PLAIN".into()],
                    starttls_injection: Some(InjectionTest::NotVulnerable),
                    transcript: Vec::new(),
                }),
                tls: Some(TlsHandshake {
                    version: TlsVersion::Tls13,
                    cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
                    group: Some("x25519".into()),
                    alpn: None,
                    ocsp_stapled: false,
                    certificates: vec![CertificateObservation {
                        sha256: "ab".repeat(32),
                        der_base64: String::new(),
                        facts: None,
                        parse_error: None,
                    }],
                    chain: None,
                    trust: TrustVerdict::Untrusted {
                        reason: "UnknownIssuer".into(),
                    },
                    dane: None,
                }),
                tls_failure: None,
                tls_scan: None,
            }],
        }
    }

    #[test]
    fn text_report_shows_each_fact_on_its_own_row() {
        let text = observations_text(&sample());
        let expected = "\
mailtls 9.9.9 | example.test | 1 endpoint(s), 1 connection(s), 42 ms

smtp://mx1.example.test:25  (127.0.0.1:25)
  outcome      completed
  greeting     220 mx1.example.test ESMTP
  before TLS   PIPELINING, STARTTLS
  STARTTLS     220 2.0.0 Ready
  injection    not vulnerable (pipelined plaintext discarded)
  TLS          TLSv1.3  TLS_AES_128_GCM_SHA256  x25519
  certificate  NOT trusted: UnknownIssuer; chain of 1
  leaf sha256  abababababababababababababababababababababababababababababababab
  inside TLS   AUTH PLAIN
";
        assert_eq!(text, expected);
    }
}
