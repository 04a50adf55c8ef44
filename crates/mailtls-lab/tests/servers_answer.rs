//! Every lab server answers as the lab promises. Run after `lab/up.sh`:
//! `cargo test -p mailtls-lab -- --ignored`.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::Arc;

use hickory_proto::op::ResponseCode;
use hickory_proto::rr::{RData, RecordType};
use mailtls_core::transport::{Connector, TcpConnector};
use mailtls_core::{EndpointObservation, MailProtocol, ProbeOutcome, TlsVersion, TrustVerdict};
use mailtls_lab::*;
use mailtls_probe::probe_endpoint;
use std::net::Ipv4Addr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn probe(protocol: MailProtocol, host: &str, ip: Ipv4Addr, port: u16) -> EndpointObservation {
    let observation = probe_endpoint(
        &TcpConnector::default(),
        &lab_probe_config(),
        &endpoint(protocol, host, port),
        at(ip, port),
    )
    .await;
    assert_eq!(observation.connections, 1, "{observation:?}");
    observation
}

/// Completed, with a TLS 1.2+ handshake whose chain the lab CA makes trusted.
fn assert_trusted_tls(observation: &EndpointObservation) {
    assert_eq!(observation.outcome, ProbeOutcome::Completed, "{:#?}", observation);
    let tls = observation
        .tls
        .as_ref()
        .unwrap_or_else(|| panic!("no TLS: {:?}", observation.tls_failure));
    assert!(
        matches!(tls.version, TlsVersion::Tls12 | TlsVersion::Tls13),
        "{:?}",
        tls.version
    );
    assert_eq!(tls.trust, TrustVerdict::Trusted);
    assert!(!tls.certificates.is_empty());
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn postfix_mx1_smtp_starttls() {
    let observation = probe(MailProtocol::Smtp, "mx1.lab.test", MX1, 25).await;
    assert_trusted_tls(&observation);
    let dialogue = observation.dialogue.unwrap();
    assert!(
        dialogue.greeting[0].starts_with("220 mx1.lab.test"),
        "{:?}",
        dialogue.greeting
    );
    assert!(dialogue.starttls_offered);
    assert!(dialogue.starttls_reply.unwrap().starts_with("220"));
    // Postfix discards plaintext pipelined after STARTTLS.
    assert_eq!(
        dialogue.starttls_injection,
        Some(mailtls_core::InjectionTest::NotVulnerable)
    );
    assert!(
        !dialogue
            .capabilities_after_tls
            .iter()
            .any(|c| c.eq_ignore_ascii_case("STARTTLS"))
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn postfix_mx2_smtp_starttls_serves_its_own_certificate() {
    let mx1 = probe(MailProtocol::Smtp, "mx1.lab.test", MX1, 25).await;
    let mx2 = probe(MailProtocol::Smtp, "mx2.lab.test", MX2, 25).await;
    assert_trusted_tls(&mx2);
    assert_ne!(
        mx1.tls.unwrap().certificates[0].sha256,
        mx2.tls.unwrap().certificates[0].sha256
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn postfix_submission_requires_tls_before_auth() {
    let observation = probe(MailProtocol::Submission, "mx1.lab.test", MX1, 587).await;
    assert_trusted_tls(&observation);
    let dialogue = observation.dialogue.unwrap();
    assert!(dialogue.starttls_offered);
    let auth = |caps: &[String]| caps.iter().any(|c| c.to_ascii_uppercase().starts_with("AUTH"));
    assert!(
        !auth(&dialogue.capabilities_before_tls),
        "{:?}",
        dialogue.capabilities_before_tls
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn postfix_submissions_implicit_tls() {
    let observation = probe(MailProtocol::Submissions, "mx1.lab.test", MX1, 465).await;
    assert_trusted_tls(&observation);
    assert!(observation.dialogue.unwrap().greeting[0].starts_with("220"));
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn dovecot_imap_and_pop3_over_tls() {
    for (protocol, port) in [
        (MailProtocol::Imap, 143),
        (MailProtocol::Imaps, 993),
        (MailProtocol::Pop3, 110),
        (MailProtocol::Pop3s, 995),
    ] {
        let observation = probe(protocol, "imap.lab.test", IMAP, port).await;
        assert_trusted_tls(&observation);
        let dialogue = observation.dialogue.unwrap();
        let greeting = &dialogue.greeting[0];
        match protocol {
            MailProtocol::Imap | MailProtocol::Imaps => assert!(greeting.starts_with("* OK"), "{greeting}"),
            _ => assert!(greeting.starts_with("+OK"), "{greeting}"),
        }
        assert!(
            !dialogue.capabilities_after_tls.is_empty(),
            "{protocol}: no capabilities inside TLS"
        );
    }
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn nginx_serves_the_mta_sts_policy_over_trusted_https() {
    let host = "mta-sts.lab.test";
    let observation = probe(MailProtocol::Https, host, MTA_STS, 443).await;
    assert_trusted_tls(&observation);
    assert_eq!(observation.tls.unwrap().alpn.as_deref(), Some("http/1.1"));

    // Fetch the policy itself with a validating client.
    let mut roots = rustls::RootCertStore::empty();
    for certificate in rustls::pki_types::pem::PemObject::pem_slice_iter(&ca_pem()) {
        roots.add(certificate.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let stream = TcpConnector::default()
        .connect(at(MTA_STS, 443), std::time::Duration::from_secs(5))
        .await
        .unwrap();
    let name = rustls::pki_types::ServerName::try_from(host).unwrap();
    let mut tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, stream)
        .await
        .unwrap();
    let request =
        format!("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    let _ = tls.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response).to_ascii_lowercase();
    assert!(response.starts_with("http/1.1 200"), "{response}");
    assert!(response.contains("content-type: text/plain"), "{response}");
    assert!(response.contains("version: stsv1"), "{response}");
    assert!(response.contains("mode: enforce"), "{response}");
    assert!(response.contains("mx: mx1.lab.test"), "{response}");
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn openssl_legacy_server_speaks_only_tls_1_0_and_1_1() {
    // rustls offers TLS 1.2 and 1.3 only, so the handshake must fail with a
    // version complaint: the server answered, and it has no modern TLS.
    let observation = probe(MailProtocol::Https, "legacy-tls.lab.test", LEGACY_TLS, 443).await;
    assert_eq!(observation.outcome, ProbeOutcome::Completed);
    assert!(observation.tls.is_none());
    let failure = observation.tls_failure.unwrap();
    assert!(failure.to_ascii_lowercase().contains("version"), "{failure}");
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn gnutls_weak_server_answers_tls() {
    let mut stream = TcpConnector::default()
        .connect(at(WEAK_TLS, 4433), std::time::Duration::from_secs(5))
        .await
        .unwrap();
    // A TLS 1.0 ClientHello offering only TLS_RSA_WITH_RC4_128_SHA (0x0005)
    // and TLS_RSA_WITH_3DES_EDE_CBC_SHA (0x000a): the server must pick one.
    let mut body = vec![0x03, 0x01];
    body.extend_from_slice(&[0x11; 32]);
    body.push(0);
    body.extend_from_slice(&[0x00, 0x04, 0x00, 0x05, 0x00, 0x0a]);
    body.extend_from_slice(&[0x01, 0x00]);
    let mut handshake = vec![0x01, 0x00, 0x00, u8::try_from(body.len()).unwrap()];
    handshake.extend_from_slice(&body);
    let mut record = vec![0x16, 0x03, 0x01, 0x00, u8::try_from(handshake.len()).unwrap()];
    record.extend_from_slice(&handshake);
    stream.write_all(&record).await.unwrap();
    let mut header = [0u8; 5];
    stream.read_exact(&mut header).await.unwrap();
    assert_eq!(header[0], 0x16, "expected a handshake record, got {header:?}");
    let mut hello = vec![0u8; usize::from(u16::from_be_bytes([header[3], header[4]]))];
    stream.read_exact(&mut hello).await.unwrap();
    assert_eq!(hello[0], 0x02, "expected ServerHello");
    // ServerHello: type(1) len(3) version(2) random(32) session_id_len(1) session_id suite(2)
    let session_id_len = usize::from(hello[38]);
    let suite = u16::from_be_bytes([hello[39 + session_id_len], hello[40 + session_id_len]]);
    assert!(suite == 0x0005 || suite == 0x000a, "server chose {suite:#06x}");
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn unbound_validates_the_signed_lab_zone() {
    let answer = query(RESOLVER, "lab.test.", RecordType::MX, false).await;
    assert_eq!(answer.metadata.response_code, ResponseCode::NoError);
    assert!(answer.metadata.authentic_data, "no AD flag: {answer:?}");
    let mut exchanges: Vec<String> = answer
        .answers
        .iter()
        .filter_map(|record| match &record.data {
            RData::MX(mx) => Some(format!("{} {}", mx.preference, mx.exchange)),
            _ => None,
        })
        .collect();
    exchanges.sort();
    assert_eq!(exchanges, vec!["10 mx1.lab.test.", "20 mx2.lab.test."]);
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn unbound_answers_tlsa_with_ad() {
    let answer = query(RESOLVER, "_25._tcp.mx1.lab.test.", RecordType::TLSA, false).await;
    assert!(answer.metadata.authentic_data);
    assert!(
        answer
            .answers
            .iter()
            .any(|record| record.record_type() == RecordType::TLSA)
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn broken_signature_is_servfail_unless_checking_disabled() {
    let validated = query(RESOLVER, "bogus.lab.test.", RecordType::A, false).await;
    assert_eq!(validated.metadata.response_code, ResponseCode::ServFail);
    let unchecked = query(RESOLVER, "bogus.lab.test.", RecordType::A, true).await;
    assert_eq!(unchecked.metadata.response_code, ResponseCode::NoError);
    assert!(!unchecked.answers.is_empty());
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn knot_answers_authoritatively() {
    let answer = query(AUTHORITATIVE, "lab.test.", RecordType::SOA, false).await;
    assert!(answer.metadata.authoritative);
    assert_eq!(answer.metadata.response_code, ResponseCode::NoError);
}
