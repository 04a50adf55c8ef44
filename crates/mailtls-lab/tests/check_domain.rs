//! The domain assessor against the whole lab: DNS policy, every endpoint SRV
//! and MX name, DANE and MTA-STS. Run after `lab/up.sh`:
//! `cargo test -p mailtls-lab -- --ignored`.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::Arc;

use mailtls_core::transport::{Connector, TcpConnector};
use mailtls_core::{DaneStatus, Domain, MailProtocol, ProbeOutcome, TrustVerdict};
use mailtls_dns::mta_sts::MtaStsMode;
use mailtls_lab::*;
use mailtls_probe::assessor::{AssessOptions, Assessment, assess};
use mailtls_probe::scheduler::no_progress;

async fn check_lab() -> Assessment {
    let resolver = lab_resolver(true);
    let options = AssessOptions {
        probe: lab_probe_config(),
        ipv6: false,
        ..AssessOptions::default()
    };
    let connector: Arc<dyn Connector> = Arc::new(TcpConnector::default());
    assess(
        &resolver,
        connector,
        &options,
        &Domain::parse(LAB_DOMAIN).unwrap(),
        no_progress(),
    )
    .await
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn every_mx_and_srv_endpoint_is_probed_once() {
    let assessment = check_lab().await;
    let mut seen: Vec<(MailProtocol, String)> = assessment
        .endpoints
        .iter()
        .map(|endpoint| (endpoint.endpoint.protocol, endpoint.address.to_string()))
        .collect();
    seen.sort();
    let expected = [
        (MailProtocol::Smtp, "127.0.10.25:25"),
        (MailProtocol::Smtp, "127.0.10.26:25"),
        (MailProtocol::Submission, "127.0.10.25:587"),
        (MailProtocol::Submissions, "127.0.10.25:465"),
        (MailProtocol::Imap, "127.0.10.143:143"),
        (MailProtocol::Imaps, "127.0.10.143:993"),
        (MailProtocol::Pop3, "127.0.10.143:110"),
        (MailProtocol::Pop3s, "127.0.10.143:995"),
    ];
    let mut expected: Vec<(MailProtocol, String)> = expected
        .iter()
        .map(|(protocol, address)| (*protocol, (*address).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(seen, expected);
    for endpoint in &assessment.endpoints {
        assert_eq!(endpoint.outcome, ProbeOutcome::Completed, "{}", endpoint.endpoint);
        assert_eq!(
            endpoint.tls.as_ref().unwrap().trust,
            TrustVerdict::Trusted,
            "{}",
            endpoint.endpoint
        );
    }
    // One connection per endpoint, plus the MTA-STS policy fetch.
    assert_eq!(assessment.connections, 8 + 1);
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn planted_dane_mismatch_on_mx2_is_reported() {
    let assessment = check_lab().await;
    let dane_of = |address: &str| {
        let endpoint = assessment
            .endpoints
            .iter()
            .find(|e| e.address.to_string() == address)
            .unwrap();
        endpoint.tls.as_ref().unwrap().dane.clone().unwrap()
    };
    assert!(
        matches!(dane_of("127.0.10.25:25").status, DaneStatus::Authenticated { ref matched } if matched == &[0])
    );
    let mx2 = dane_of("127.0.10.26:25");
    assert!(
        matches!(mx2.status, DaneStatus::NotAuthenticated { .. }),
        "{:?}",
        mx2.status
    );
    assert!(mx2.dnssec_secure);
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn planted_mta_sts_coverage_gap_is_reported() {
    let assessment = check_lab().await;
    let mta_sts = assessment.mta_sts.unwrap();
    assert_eq!(mta_sts.fetch.failure, None);
    assert_eq!(mta_sts.fetch.status, Some(200));
    assert_eq!(mta_sts.fetch.address, Some(at(MTA_STS, 443)));
    let policy = mta_sts.fetch.policy.unwrap();
    assert_eq!(policy.mode, MtaStsMode::Enforce);
    assert_eq!(policy.max_age, 86_400);
    let uncovered: Vec<&str> = mta_sts.uncovered_mx.iter().map(Domain::as_str).collect();
    assert_eq!(uncovered, vec!["mx2.lab.test"]);
    assert!(
        mta_sts
            .mx_certificates
            .iter()
            .all(|certificate| certificate.valid == Some(true))
    );
    assert_eq!(mta_sts.mx_certificates.len(), 2);
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn broken_domain_shows_every_planted_transport_fault() {
    let resolver = lab_resolver(true);
    let options = AssessOptions {
        probe: lab_probe_config(),
        ..AssessOptions::default()
    };
    let connector: Arc<dyn Connector> = Arc::new(TcpConnector::default());
    let domain = Domain::parse("broken.test").unwrap();
    let assessment = assess(&resolver, connector, &options, &domain, no_progress()).await;
    let tls_of = |host: &str| {
        let endpoint = assessment
            .endpoints
            .iter()
            .find(|e| e.endpoint.host.to_string() == host)
            .unwrap();
        endpoint.tls.clone().unwrap()
    };
    let wrongname = tls_of("wrongname.broken.test");
    assert!(
        matches!(wrongname.trust, TrustVerdict::Untrusted { ref reason } if reason.contains("not valid for name"))
    );
    // Usage 1 (PKIX-EE) is not used for SMTP: the TLSA set gives DANE nothing.
    assert!(matches!(
        wrongname.dane.unwrap().status,
        DaneStatus::Unusable { .. }
    ));
    let expired = tls_of("expired.broken.test");
    assert!(
        matches!(expired.trust, TrustVerdict::Untrusted { ref reason } if reason.to_lowercase().contains("expired"))
    );
    // DANE-EE ignores expiry: the matching 3 1 1 authenticates the expired certificate.
    assert!(matches!(
        expired.dane.unwrap().status,
        DaneStatus::Authenticated { .. }
    ));

    let mta_sts = assessment.mta_sts.unwrap();
    assert_eq!(mta_sts.fetch.policy.unwrap().mode, MtaStsMode::Testing);
    let uncovered: Vec<&str> = mta_sts.uncovered_mx.iter().map(Domain::as_str).collect();
    assert_eq!(uncovered, vec!["expired.broken.test"]);
    assert!(
        mta_sts
            .mx_certificates
            .iter()
            .all(|certificate| certificate.valid == Some(false))
    );
}
