//! Renderers: one report, the same words in the terminal and on the web.
//!
//! Four formats, one set of facts: text for a terminal (colour only when
//! asked for), GitHub-flavoured Markdown, one self-contained HTML page, and
//! the JSON the types serialise to. Markdown and HTML are written from one
//! document tree so that they never disagree; whatever a server or DNS
//! sent is escaped by each writer for its own syntax.

mod ansi;
mod assessment;
mod dns;
mod document;
mod endpoint;
mod finding_groups;
mod findings;
mod grade_text;
mod html;
mod markdown;
mod report_document;
mod scan_document;
mod scan_text;

use std::fmt::Write;

pub use ansi::{Colour, terminal_safe};
pub use assessment::{assessment_text, assessment_text_in};
pub use dns::dns_text;
pub use findings::{findings_text, findings_text_in};
pub use grade_text::endpoint_line;
pub use html::{assessment_html, dns_html, endpoint_report_html, observations_html};
pub use markdown::{assessment_markdown, dns_markdown, endpoint_report_markdown, observations_markdown};

use mailtls_core::{EndpointObservation, Observations, Target};

/// Renders observations as plain text for a terminal, one block per endpoint.
pub fn observations_text(observations: &Observations) -> String {
    let mut out = String::new();
    observations_header(&mut out, observations);
    endpoints_text(&mut out, &observations.endpoints);
    out
}

/// `mailtls tls` for a terminal: the grades and findings first, then the
/// observations as evidence.
pub fn endpoint_report_text_in(report: &crate::report::EndpointReport, colour: Colour) -> String {
    let mut out = String::new();
    observations_header(&mut out, &report.observations);
    grade_text::grades_text(&mut out, &report.grades, colour);
    let _ = writeln!(
        out,
        "\nFindings (ruleset {}; `mailtls explain <id>` tells more)",
        report.ruleset_version
    );
    out.push_str(&findings_text_in(&report.findings, colour));
    endpoints_text(&mut out, &report.observations.endpoints);
    out
}

/// The line naming the program, the target, and what the run cost.
fn observations_header(out: &mut String, observations: &Observations) {
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
}

/// Every endpoint's block, each after a blank line.
pub(crate) fn endpoints_text(out: &mut String, endpoints: &[EndpointObservation]) {
    for endpoint in endpoints {
        out.push('\n');
        endpoint_text(out, endpoint);
    }
}

/// One endpoint as text: its URL and address, then a row per fact.
pub(crate) fn endpoint_text(out: &mut String, observation: &EndpointObservation) {
    let _ = writeln!(out, "{}  ({})", observation.endpoint, observation.address);
    for (label, value) in endpoint::endpoint_facts(observation) {
        let _ = writeln!(out, "  {label:<13}{}", terminal_safe(&value));
    }
    if let Some(scan) = &observation.tls_scan {
        for (label, value) in scan_text::scan_facts(scan) {
            let _ = writeln!(out, "  {label:<13}{}", terminal_safe(&value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailtls_core::{
        CertificateObservation, DialogueObservation, Domain, Endpoint, Generator, Host, InjectionTest,
        MailProtocol, ProbeOutcome, TlsHandshake, TlsVersion, TrustVerdict,
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
