//! The mailtls stub resolver against the lab's validating Unbound and the
//! DNSSEC-signed lab zone. Run after `lab/up.sh`: `cargo test -p mailtls-lab -- --ignored`.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::net::IpAddr;

use base64::Engine;
use hickory_proto::rr::{RData, RecordType};
use mailtls_core::transport::TcpConnector;
use mailtls_core::{DnssecStatus, LookupStatus, MailProtocol, TrustVerdict};
use mailtls_lab::*;
use mailtls_probe::probe_endpoint;
use sha2::{Digest, Sha256};

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn signed_lab_zone_is_secure_through_a_validating_resolver() {
    let lookup = lab_resolver(true).lookup("lab.test", RecordType::MX).await;
    assert_eq!(lookup.status(), LookupStatus::Answer);
    assert_eq!(
        lookup.observation.dnssec,
        DnssecStatus::Secure {
            source: "AD bit from validating resolver 127.0.10.53:53".into()
        }
    );
    let mut mx = lookup.mx();
    mx.sort();
    assert_eq!(
        mx,
        vec![(10, "mx1.lab.test.".to_owned()), (20, "mx2.lab.test.".to_owned())]
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn same_answer_is_indeterminate_when_the_resolver_is_not_trusted() {
    let lookup = lab_resolver(false).lookup("lab.test", RecordType::MX).await;
    assert!(matches!(
        lookup.observation.dnssec,
        DnssecStatus::Indeterminate { .. }
    ));
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn planted_broken_delegation_is_bogus() {
    let lookup = lab_resolver(true).lookup("bogus.lab.test", RecordType::A).await;
    assert_eq!(lookup.status(), LookupStatus::Error);
    assert!(
        matches!(lookup.observation.dnssec, DnssecStatus::Bogus { .. }),
        "{:?}",
        lookup.observation
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn policy_records_are_served_and_secure() {
    let resolver = lab_resolver(true);
    for (name, prefix) in [
        ("lab.test", "v=spf1 "),
        ("_dmarc.lab.test", "v=DMARC1;"),
        ("_mta-sts.lab.test", "v=STSv1;"),
        ("_smtp._tls.lab.test", "v=TLSRPTv1;"),
        ("lab2026._domainkey.lab.test", "v=DKIM1;"),
        ("default._bimi.lab.test", "v=BIMI1;"),
    ] {
        let lookup = resolver.lookup(name, RecordType::TXT).await;
        assert!(lookup.is_secure(), "{name}: {:?}", lookup.observation.dnssec);
        assert!(
            lookup.txt().iter().any(|txt| txt.starts_with(prefix)),
            "{name}: {:?}",
            lookup.txt()
        );
    }
    let caa = resolver.lookup("lab.test", RecordType::CAA).await;
    assert!(
        caa.observation.records.iter().any(|r| r.contains("issue")),
        "{:?}",
        caa.observation
    );
    let srv = resolver
        .lookup("_submissions._tcp.lab.test", RecordType::SRV)
        .await;
    assert_eq!(srv.observation.records, vec!["0 1 465 mx1.lab.test."]);
    let ptr = resolver.lookup_ptr(IpAddr::V4(MX1)).await;
    assert_eq!(ptr.ptr(), vec!["mx1.lab.test.".to_owned()]);
    assert!(ptr.is_secure());
}

/// The SubjectPublicKeyInfo of a DER certificate, found by walking the
/// outer structure: Certificate ::= SEQUENCE { tbsCertificate SEQUENCE {
/// [0] version, serial, signature, issuer, validity, subject, spki, … } … }.
fn spki(der: &[u8]) -> &[u8] {
    fn element(input: &[u8]) -> (&[u8], &[u8], &[u8]) {
        let (length, header) = match input[1] {
            short if short < 0x80 => (usize::from(short), 2),
            long => {
                let octets = usize::from(long & 0x7f);
                let length = input[2..2 + octets]
                    .iter()
                    .fold(0usize, |acc, b| acc << 8 | usize::from(*b));
                (length, 2 + octets)
            }
        };
        (
            &input[..header + length],
            &input[header..header + length],
            &input[header + length..],
        )
    }
    let (_, certificate, _) = element(der);
    let (_, tbs, _) = element(certificate);
    let mut rest = tbs;
    let mut fields = Vec::new();
    while !rest.is_empty() {
        let (whole, _, after) = element(rest);
        fields.push(whole);
        rest = after;
    }
    // With the explicit [0] version first, the SPKI is the seventh field.
    if fields[0][0] == 0xa0 {
        fields[6]
    } else {
        fields[5]
    }
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn tlsa_of_mx1_matches_the_key_it_serves_and_mx2_is_the_planted_mismatch() {
    let resolver = lab_resolver(true);
    let config = lab_probe_config();
    for (host, ip, should_match) in [("mx1.lab.test", MX1, true), ("mx2.lab.test", MX2, false)] {
        let tlsa = resolver
            .lookup(&format!("_25._tcp.{host}"), RecordType::TLSA)
            .await;
        assert!(tlsa.is_secure(), "{host}: {:?}", tlsa.observation.dnssec);
        let published: Vec<Vec<u8>> = tlsa
            .rdata()
            .filter_map(|data| {
                if let RData::TLSA(tlsa) = data {
                    Some(tlsa.cert_data.clone())
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(published.len(), 1, "{host}");
        let observation = probe_endpoint(
            &TcpConnector::default(),
            &config,
            &endpoint(MailProtocol::Smtp, host, 25),
            at(ip, 25),
        )
        .await;
        let tls = observation.tls.unwrap();
        assert_eq!(tls.trust, TrustVerdict::Trusted);
        let leaf = base64::engine::general_purpose::STANDARD
            .decode(&tls.certificates[0].der_base64)
            .unwrap();
        let served = Sha256::digest(spki(&leaf)).to_vec();
        assert_eq!(published[0] == served, should_match, "{host}");
    }
}
