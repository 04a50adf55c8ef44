//! The probe against the demo environment's real TLS servers.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use mailtls_core::transport::TcpConnector;
use mailtls_core::{Domain, Endpoint, Host, MailProtocol, ProbeOutcome, TlsVersion, TrustVerdict};
use mailtls_demo::DemoEnvironment;
use mailtls_probe::{ProbeConfig, TrustAnchors, probe_endpoint};

fn trusting(demo: &DemoEnvironment) -> ProbeConfig {
    ProbeConfig {
        trust: TrustAnchors::mozilla()
            .with_der(demo.ca_certificate_der().clone())
            .unwrap(),
        ..ProbeConfig::default()
    }
}

#[tokio::test]
async fn smtp_starttls_handshake_captures_the_served_certificate() {
    let demo = DemoEnvironment::start().await.unwrap();
    let smtp = demo.service(MailProtocol::Smtp).unwrap();
    let observation = probe_endpoint(
        &TcpConnector::default(),
        &trusting(&demo),
        &smtp.endpoint,
        smtp.address,
    )
    .await;
    assert_eq!(observation.outcome, ProbeOutcome::Completed);
    assert_eq!(observation.sni.as_deref(), Some("mx1.demo.mailtls.test"));
    let tls = observation.tls.unwrap();
    assert_eq!(tls.version, TlsVersion::Tls13);
    assert_eq!(tls.group.as_deref(), Some("X25519MLKEM768"));
    assert_eq!(tls.trust, TrustVerdict::Trusted);
    assert_eq!(tls.certificates.len(), 1);
    let served = base64_decode(&tls.certificates[0].der_base64);
    assert_eq!(served, smtp.certificate.as_ref());
    let dialogue = observation.dialogue.unwrap();
    assert!(
        dialogue
            .capabilities_after_tls
            .iter()
            .any(|c| c == "AUTH PLAIN LOGIN")
    );
    assert!(!dialogue.capabilities_after_tls.iter().any(|c| c == "STARTTLS"));
    let in_tls = dialogue.transcript.iter().filter(|line| line.in_tls).count();
    assert!(in_tls >= 2, "EHLO and its reply inside TLS");
}

#[tokio::test]
async fn unknown_ca_is_untrusted_but_the_handshake_completes() {
    let demo = DemoEnvironment::start().await.unwrap();
    let imaps = demo.service(MailProtocol::Imaps).unwrap();
    let observation = probe_endpoint(
        &TcpConnector::default(),
        &ProbeConfig::default(),
        &imaps.endpoint,
        imaps.address,
    )
    .await;
    assert_eq!(observation.outcome, ProbeOutcome::Completed);
    let tls = observation.tls.unwrap();
    assert!(
        matches!(&tls.trust, TrustVerdict::Untrusted { reason } if reason.contains("UnknownIssuer")),
        "{:?}",
        tls.trust
    );
    assert!(!observation.dialogue.unwrap().capabilities_after_tls.is_empty());
}

#[tokio::test]
async fn certificate_for_another_name_is_untrusted() {
    let demo = DemoEnvironment::start().await.unwrap();
    let imap = demo.service(MailProtocol::Imap).unwrap();
    // The IMAP server's certificate is for imap.demo.mailtls.test, not mx1.
    let wrong = Endpoint {
        host: Host::Domain(Domain::parse("mx1.demo.mailtls.test").unwrap()),
        ..imap.endpoint.clone()
    };
    let observation = probe_endpoint(&TcpConnector::default(), &trusting(&demo), &wrong, imap.address).await;
    let tls = observation.tls.unwrap();
    assert!(
        matches!(&tls.trust, TrustVerdict::Untrusted { reason } if reason.contains("not valid for name")),
        "{:?}",
        tls.trust
    );
}

#[tokio::test]
async fn pop3_stls_and_capabilities_inside_tls() {
    let demo = DemoEnvironment::start().await.unwrap();
    let pop3 = demo.service(MailProtocol::Pop3).unwrap();
    let observation = probe_endpoint(
        &TcpConnector::default(),
        &trusting(&demo),
        &pop3.endpoint,
        pop3.address,
    )
    .await;
    assert_eq!(observation.outcome, ProbeOutcome::Completed);
    let dialogue = observation.dialogue.unwrap();
    assert!(dialogue.starttls_offered);
    assert_eq!(dialogue.starttls_reply.as_deref(), Some("+OK Begin TLS"));
    assert!(dialogue.capabilities_after_tls.iter().any(|c| c == "USER"));
    assert!(!dialogue.capabilities_before_tls.iter().any(|c| c == "USER"));
}

/// Decodes the report's standard, padded base64.
fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).unwrap()
}
