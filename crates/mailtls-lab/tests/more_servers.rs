//! The second SMTP implementation (Exim as `mx3.lab.test`) and the domain
//! with planted faults, `broken.test`: MX hosts whose certificates are for
//! another name or expired, and policies that break the rules (see the list in
//! `lab/README.md`). Run after `lab/up.sh`:
//! `cargo test -p mailtls-lab -- --ignored`.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use hickory_proto::rr::{RData, RecordType};
use mailtls_core::transport::{Connector, TcpConnector};
use mailtls_core::{
    DnsLookup, DnssecStatus, Domain, EndpointObservation, LookupStatus, MailProtocol, ProbeOutcome,
    TlsVersion, TrustVerdict,
};
use mailtls_dns::dmarc::{Policy, ReportKind};
use mailtls_dns::mta_sts::{MtaStsMode, parse_policy, policy_covers};
use mailtls_dns::policy::{DnsReport, PolicyOptions};
use mailtls_dns::tlsa::CertUsage;
use mailtls_dns::{IssueLevel, RecordIssue};
use mailtls_lab::*;
use mailtls_probe::probe_endpoint;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use sha2::{Digest, Sha256};
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
    assert_eq!(observation.outcome, ProbeOutcome::Completed, "{observation:#?}");
    observation
}

/// The verdict of a completed TLS 1.2+ handshake.
fn trust(observation: &EndpointObservation) -> &TrustVerdict {
    let tls = observation
        .tls
        .as_ref()
        .unwrap_or_else(|| panic!("no TLS: {:?}", observation.tls_failure));
    assert!(
        matches!(tls.version, TlsVersion::Tls12 | TlsVersion::Tls13),
        "{:?}",
        tls.version
    );
    assert!(!tls.certificates.is_empty());
    &tls.trust
}

/// The reason of an `Untrusted` verdict, lower-cased.
fn untrusted_reason(observation: &EndpointObservation) -> String {
    match trust(observation) {
        TrustVerdict::Untrusted { reason } => reason.to_ascii_lowercase(),
        other => panic!("expected an untrusted certificate, got {other:?}"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of the DER of the lab certificate `$RUN/ca/NAME.pem`.
fn certificate_sha256(name: &str) -> String {
    let path = run_dir().join(format!("ca/{name}.pem"));
    let der =
        CertificateDer::from_pem_file(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    hex(&Sha256::digest(der.as_ref()))
}

/// The hash of a lab key's SubjectPublicKeyInfo that up.sh published (`$RUN/ca/NAME.spki-sha256`).
fn published_spki(name: &str) -> String {
    let path = run_dir().join(format!("ca/{name}.spki-sha256"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .trim()
        .to_owned()
}

fn has_issue(issues: &[RecordIssue], id: &str) -> bool {
    issues.iter().any(|issue| issue.id == id)
}

fn assert_secure(lookup: &DnsLookup) {
    assert!(
        matches!(lookup.dnssec, DnssecStatus::Secure { .. }),
        "{} {}: {:?}",
        lookup.name,
        lookup.record_type,
        lookup.dnssec
    );
}

async fn broken_policy() -> DnsReport {
    let resolver = lab_resolver(true);
    let options = PolicyOptions {
        dkim_selectors: Vec::new(),
        common_dkim_selectors: false,
    };
    DnsReport::gather(&resolver, &Domain::parse(BROKEN_DOMAIN).unwrap(), &options).await
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn exim_mx3_starttls_with_a_trusted_lab_certificate() {
    let observation = probe(MailProtocol::Smtp, "mx3.lab.test", MX3, 25).await;
    assert_eq!(trust(&observation), &TrustVerdict::Trusted);
    let tls = observation.tls.as_ref().unwrap();
    assert_eq!(tls.certificates[0].sha256, certificate_sha256("mx3"));

    let dialogue = observation.dialogue.unwrap();
    let greeting = &dialogue.greeting[0];
    assert!(greeting.starts_with("220 mx3.lab.test"), "{greeting}");
    assert!(greeting.contains("Exim"), "not Exim: {greeting}");
    assert!(dialogue.starttls_offered);
    assert!(dialogue.starttls_reply.unwrap().starts_with("220"));
    assert!(
        !dialogue
            .capabilities_after_tls
            .iter()
            .any(|c| c.eq_ignore_ascii_case("STARTTLS")),
        "{:?}",
        dialogue.capabilities_after_tls
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn exim_mx3_has_a_matching_dane_ee_record() {
    let answer = query(RESOLVER, "_25._tcp.mx3.lab.test.", RecordType::TLSA, false).await;
    assert!(answer.metadata.authentic_data, "no AD flag: {answer:?}");
    let records: Vec<String> = answer
        .answers
        .iter()
        .filter_map(|record| match &record.data {
            RData::TLSA(tlsa) => Some(format!(
                "{} {} {} {}",
                u8::from(tlsa.cert_usage),
                u8::from(tlsa.selector),
                u8::from(tlsa.matching),
                hex(&tlsa.cert_data)
            )),
            _ => None,
        })
        .collect();
    assert_eq!(records, vec![format!("3 1 1 {}", published_spki("mx3"))]);
    // mx3 is probed by name only: lab.test's MX set stays mx1 and mx2.
    let mx = query(RESOLVER, "lab.test.", RecordType::MX, false).await;
    assert!(
        !mx.answers.iter().any(
            |record| matches!(&record.data, RData::MX(mx) if mx.exchange.to_ascii().starts_with("mx3."))
        ),
        "{mx:?}"
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn wrongname_serves_a_certificate_for_another_name() {
    let observation = probe(MailProtocol::Smtp, "wrongname.broken.test", WRONGNAME, 25).await;
    let reason = untrusted_reason(&observation);
    assert!(reason.contains("not valid for name"), "{reason}");
    assert_eq!(
        observation.tls.as_ref().unwrap().certificates[0].sha256,
        certificate_sha256("wrongname")
    );
    let greeting = &observation.dialogue.as_ref().unwrap().greeting[0];
    assert!(greeting.starts_with("220 wrongname.broken.test"), "{greeting}");

    // The same certificate is valid, from the lab CA, for the name it carries.
    let other = probe(MailProtocol::Smtp, "other-host.lab.test", WRONGNAME, 25).await;
    assert_eq!(trust(&other), &TrustVerdict::Trusted);
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn expired_serves_an_expired_certificate() {
    let observation = probe(MailProtocol::Smtp, "expired.broken.test", EXPIRED, 25).await;
    let reason = untrusted_reason(&observation);
    assert!(reason.contains("expired"), "{reason}");
    assert!(!reason.contains("not valid for name"), "{reason}");
    assert_eq!(
        observation.tls.as_ref().unwrap().certificates[0].sha256,
        certificate_sha256("expired")
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn broken_test_mx_hosts_are_found_and_secure() {
    let report = broken_policy().await;
    assert!(report.validating_resolver);
    let mx = &report.policy.mx;
    assert_secure(&mx.lookup);
    let names: Vec<(&str, u16)> = mx
        .hosts
        .iter()
        .map(|host| (host.name.as_str(), host.preference))
        .collect();
    assert_eq!(
        names,
        vec![("wrongname.broken.test", 10), ("expired.broken.test", 20)]
    );
    for (host, ip) in mx.hosts.iter().zip([WRONGNAME, EXPIRED]) {
        assert_eq!(host.addresses, vec![IpAddr::V4(ip)], "{}", host.name);
        let reverse = host
            .reverse
            .iter()
            .find(|check| check.address == IpAddr::V4(ip))
            .unwrap();
        assert_eq!(reverse.names, vec![format!("{}.", host.name)]);
        assert!(reverse.forward_confirmed);
        assert_secure(&reverse.lookup);
    }
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn broken_test_spf_needs_too_many_lookups() {
    let report = broken_policy().await;
    let spf = &report.policy.spf;
    assert_secure(&spf.lookup);
    assert_eq!(
        spf.records,
        vec!["v=spf1 include:_spf.broken.test include:a.broken.test ~all"]
    );
    // 2 includes here, 4 terms in _spf (3 + its include of b), 3 in b, 4 in a.
    assert_eq!((spf.dns_lookups, spf.void_lookups), (13, 0));
    let too_many = spf
        .issues
        .iter()
        .find(|issue| issue.id == "spf.lookups.too_many")
        .unwrap_or_else(|| panic!("no spf.lookups.too_many in {:#?}", spf.issues));
    assert_eq!(too_many.level, IssueLevel::Error);
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn broken_test_dmarc_reports_go_to_an_unauthorised_domain() {
    let report = broken_policy().await;
    let dmarc = &report.policy.dmarc;
    assert_secure(&dmarc.lookups[0]);
    assert_eq!(dmarc.organizational_domain.as_str(), "broken.test");
    assert_eq!(dmarc.inherited_from, None);
    assert_eq!(dmarc.record.as_ref().unwrap().policy, Policy::None);
    assert_eq!(
        dmarc.report_authorizations.len(),
        1,
        "{:#?}",
        dmarc.report_authorizations
    );
    let authorization = &dmarc.report_authorizations[0];
    assert!(!authorization.authorized);
    assert_eq!(authorization.destination.kind, ReportKind::Aggregate);
    assert_eq!(authorization.destination.destination.as_str(), "lab.test");
    assert_eq!(
        authorization.destination.authorization_name.trim_end_matches('.'),
        "broken.test._report._dmarc.lab.test"
    );
    assert_eq!(authorization.lookup.status, LookupStatus::NxDomain);
    assert_secure(&authorization.lookup);
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn broken_test_has_mta_sts_but_no_tls_rpt() {
    let report = broken_policy().await;
    let policy = &report.policy;
    assert_eq!(policy.mta_sts.record.as_ref().unwrap().id, "broken1");
    assert_secure(&policy.mta_sts.lookup);
    assert!(policy.tls_rpt.record.is_none(), "{:?}", policy.tls_rpt.record);
    assert_eq!(policy.tls_rpt.lookup.status, LookupStatus::NxDomain);
    assert_secure(&policy.tls_rpt.lookup);
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn broken_test_tlsa_usage_1_is_flagged_and_expired_matches() {
    let report = broken_policy().await;
    let hosts = &report.policy.mx.hosts;
    let wrongname = &hosts[0];
    assert_eq!(wrongname.name.as_str(), "wrongname.broken.test");
    assert!(wrongname.tlsa.secure);
    assert_eq!(wrongname.tlsa.records.len(), 1);
    assert_eq!(wrongname.tlsa.records[0].usage, CertUsage::PkixEe);
    assert_eq!(hex(&wrongname.tlsa.records[0].data), published_spki("wrongname"));
    assert!(
        has_issue(&wrongname.tlsa.issues, "tlsa.usage.pkix"),
        "{:#?}",
        wrongname.tlsa.issues
    );

    let expired = &hosts[1];
    assert_eq!(expired.name.as_str(), "expired.broken.test");
    assert!(expired.tlsa.secure);
    assert_eq!(expired.tlsa.records.len(), 1);
    assert_eq!(expired.tlsa.records[0].usage, CertUsage::DaneEe);
    assert_eq!(hex(&expired.tlsa.records[0].data), published_spki("expired"));
    assert!(
        !has_issue(&expired.tlsa.issues, "tlsa.usage.pkix"),
        "{:#?}",
        expired.tlsa.issues
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn broken_test_mta_sts_policy_is_testing_and_leaves_an_mx_out() {
    let host = "mta-sts.broken.test";
    let observation = probe(MailProtocol::Https, host, MTA_STS_BROKEN, 443).await;
    assert_eq!(trust(&observation), &TrustVerdict::Trusted);

    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(&ca_pem()) {
        roots.add(certificate.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let stream = TcpConnector::default()
        .connect(at(MTA_STS_BROKEN, 443), Duration::from_secs(5))
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
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("content-type: text/plain"),
        "{head}"
    );

    let (policy, issues) = parse_policy(body);
    let policy = policy.unwrap_or_else(|| panic!("{body:?}: {issues:#?}"));
    assert_eq!(policy.mode, MtaStsMode::Testing);
    let mx_hosts = [
        Domain::parse("wrongname.broken.test").unwrap(),
        Domain::parse("expired.broken.test").unwrap(),
    ];
    let uncovered = policy_covers(&policy, &mx_hosts);
    assert_eq!(uncovered, vec![Domain::parse("expired.broken.test").unwrap()]);
}
