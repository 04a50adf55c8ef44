//! The whole DNS policy of the lab domain, gathered through the lab's
//! validating Unbound from the DNSSEC-signed Knot zones. Run after
//! `lab/up.sh`: `cargo test -p mailtls-lab -- --ignored`.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::net::{IpAddr, SocketAddr};

use mailtls_core::{DnsLookup, DnssecStatus, Domain, LookupStatus};
use mailtls_dns::IssueLevel;
use mailtls_dns::dkim::PublicKey;
use mailtls_dns::dmarc::Policy;
use mailtls_dns::mx::MxSet;
use mailtls_dns::policy::{DnsReport, DomainPolicy, PolicyOptions};
use mailtls_dns::srv::{MailService, ServiceOffer};
use mailtls_lab::*;

async fn lab_policy(domain: &str) -> DnsReport {
    let resolver = lab_resolver(true);
    let options = PolicyOptions {
        dkim_selectors: vec!["lab2026".into()],
        common_dkim_selectors: true,
    };
    DnsReport::gather(&resolver, &Domain::parse(domain).unwrap(), &options).await
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

fn no_errors(policy: &DomainPolicy) {
    let all = [
        &policy.mx.issues,
        &policy.spf.issues,
        &policy.dmarc.issues,
        &policy.mta_sts.issues,
        &policy.tls_rpt.issues,
        &policy.caa.issues,
        &policy.services.issues,
    ];
    for issues in all {
        for issue in issues {
            assert_ne!(issue.level, IssueLevel::Error, "{issue:?}");
        }
    }
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn mx_hosts_with_addresses_reverse_names_and_secure_tlsa() {
    let report = lab_policy("lab.test").await;
    let mx = &report.policy.mx;
    assert_secure(&mx.lookup);
    let names: Vec<&str> = mx.hosts.iter().map(|host| host.name.as_str()).collect();
    assert_eq!(names, vec!["mx1.lab.test", "mx2.lab.test"]);
    assert!(matches!(mx.set, Some(MxSet::Hosts(ref hosts)) if hosts.len() == 2));
    let mx1 = &mx.hosts[0];
    assert!(mx1.addresses.contains(&IpAddr::V4(MX1)), "{:?}", mx1.addresses);
    let reverse = mx1
        .reverse
        .iter()
        .find(|check| check.address == IpAddr::V4(MX1))
        .unwrap();
    assert_eq!(reverse.names, vec!["mx1.lab.test.".to_owned()]);
    assert!(reverse.forward_confirmed);
    assert_secure(&reverse.lookup);
    assert!(mx1.tlsa.secure);
    assert_eq!(mx1.tlsa.records.len(), 1);
    let spki = std::fs::read_to_string(run_dir().join("ca/mx1.spki-sha256")).unwrap();
    let published: String = mx1.tlsa.records[0]
        .data
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(published, spki.trim());
    assert!(
        mx1.tlsa
            .issues
            .iter()
            .any(|issue| issue.id == "tlsa.rollover.single")
    );
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn every_policy_record_is_found_parsed_and_secure() {
    let report = lab_policy("lab.test").await;
    assert!(report.validating_resolver);
    assert_eq!(report.resolvers, vec![SocketAddr::new(IpAddr::V4(RESOLVER), 53)]);
    let policy = &report.policy;
    no_errors(policy);

    assert_eq!(policy.spf.records, vec!["v=spf1 ip4:127.0.10.0/24 -all"]);
    assert_eq!((policy.spf.dns_lookups, policy.spf.void_lookups), (0, 0));
    assert_secure(&policy.spf.lookup);
    assert_eq!(policy.spf.spf_rr_lookup.status, LookupStatus::NoData);

    let dmarc = policy.dmarc.record.as_ref().unwrap();
    assert_eq!(dmarc.policy, Policy::Reject);
    assert_eq!(policy.dmarc.organizational_domain.as_str(), "lab.test");
    assert_eq!(policy.dmarc.inherited_from, None);
    assert!(
        policy.dmarc.report_authorizations.is_empty(),
        "rua is inside the organisational domain"
    );
    assert_secure(&policy.dmarc.lookups[0]);

    assert_eq!(policy.dkim.domainkey_exists, Some(true));
    let selector = policy
        .dkim
        .selectors
        .iter()
        .find(|s| s.selector == "lab2026")
        .unwrap();
    assert!(selector.given);
    let key = selector.record.as_ref().unwrap();
    assert!(
        matches!(key.key, PublicKey::Rsa(ref rsa) if rsa.modulus_bits == 2048),
        "{:?}",
        key.key
    );
    assert_secure(&selector.lookup);

    assert_eq!(policy.mta_sts.record.as_ref().unwrap().id, "20261129T000000");
    assert!(policy.tls_rpt.record.is_some());
    assert!(policy.bimi.record.is_some());
    for lookup in [
        &policy.mta_sts.lookup,
        &policy.tls_rpt.lookup,
        &policy.bimi.lookup,
    ] {
        assert_secure(lookup);
    }

    assert_eq!(
        policy.caa.relevant_name.as_ref().map(Domain::as_str),
        Some("lab.test")
    );
    // An RRset has no order.
    let mut tags: Vec<&str> = policy.caa.records.iter().map(|caa| caa.tag.as_str()).collect();
    tags.sort_unstable();
    assert_eq!(tags, vec!["iodef", "issue"]);

    for service in &policy.services.services {
        let Some(ServiceOffer::Offered(targets)) = &service.offer else {
            panic!("{:?} not offered: {:?}", service.service, service.offer);
        };
        let expected_port = match service.service {
            MailService::Submission => 587,
            MailService::Submissions => 465,
            MailService::Imap => 143,
            MailService::Imaps => 993,
            MailService::Pop3 => 110,
            MailService::Pop3s => 995,
        };
        assert_eq!(targets[0].port, expected_port, "{:?}", service.service);
        assert_secure(&service.lookup);
    }
}

#[tokio::test]
#[ignore = "needs the lab: lab/up.sh"]
async fn broken_delegation_is_bogus_and_nothing_reads_as_absent() {
    let report = lab_policy("bogus.lab.test").await;
    let mx = &report.policy.mx;
    assert_eq!(mx.lookup.status, LookupStatus::Error);
    assert!(
        matches!(mx.lookup.dnssec, DnssecStatus::Bogus { .. }),
        "{:?}",
        mx.lookup.dnssec
    );
    assert_eq!(mx.set, None);
    assert!(mx.hosts.is_empty());
    assert_eq!(report.policy.spf.lookup.status, LookupStatus::Error);
    assert!(
        report.policy.spf.issues.is_empty(),
        "a failed lookup is not a missing record"
    );
    assert_eq!(report.policy.dkim.domainkey_exists, None);
}
