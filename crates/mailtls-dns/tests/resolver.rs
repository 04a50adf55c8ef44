//! The stub resolver against the demo's authoritative server and against
//! scripted transports that misbehave.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::A;
use hickory_proto::rr::{RData, Record, RecordType};
use mailtls_core::transport::{DnsTransport, DnsTransportError, UdpTcpTransport};
use mailtls_core::{DnssecStatus, LookupStatus};
use mailtls_demo::DemoEnvironment;
use mailtls_dns::Resolver;
use mailtls_dns::resolver::reverse_name;

fn over_udp(server: SocketAddr) -> Arc<dyn DnsTransport> {
    Arc::new(UdpTcpTransport::new(server, Duration::from_secs(2), 2))
}

#[tokio::test]
async fn mx_answer_from_the_demo_zone() {
    let demo = DemoEnvironment::start().await.unwrap();
    let resolver = Resolver::new(vec![over_udp(demo.dns_server())], false);
    let lookup = resolver.lookup("demo.mailtls.test", RecordType::MX).await;
    assert_eq!(lookup.status(), LookupStatus::Answer);
    assert_eq!(lookup.mx(), vec![(10, "mx1.demo.mailtls.test.".to_owned())]);
    assert_eq!(lookup.observation.name, "demo.mailtls.test.");
    assert_eq!(lookup.observation.record_type, "MX");
    assert_eq!(lookup.observation.records, vec!["10 mx1.demo.mailtls.test."]);
    assert_eq!(lookup.observation.server, Some(demo.dns_server()));
}

#[tokio::test]
async fn nxdomain_nodata_and_refused_are_kept_apart() {
    let demo = DemoEnvironment::start().await.unwrap();
    let resolver = Resolver::new(vec![over_udp(demo.dns_server())], false);
    let nx = resolver
        .lookup("nothing-here.demo.mailtls.test.", RecordType::A)
        .await;
    assert_eq!(nx.status(), LookupStatus::NxDomain);
    let nodata = resolver.lookup("mx1.demo.mailtls.test.", RecordType::MX).await;
    assert_eq!(nodata.status(), LookupStatus::NoData);
    let refused = resolver.lookup("example.org.", RecordType::A).await;
    assert_eq!(refused.status(), LookupStatus::Error);
    assert!(
        refused.observation.error.as_deref().unwrap().contains("Refused"),
        "{:?}",
        refused.observation
    );
}

#[tokio::test]
async fn long_txt_record_is_joined_without_separator() {
    let demo = DemoEnvironment::start().await.unwrap();
    let resolver = Resolver::new(vec![over_udp(demo.dns_server())], false);
    let name = format!("{}._domainkey.demo.mailtls.test.", demo.dkim_selector());
    let txt = resolver.lookup(&name, RecordType::TXT).await.txt();
    assert_eq!(txt.len(), 1);
    assert!(txt[0].starts_with("v=DKIM1;"), "{}", txt[0]);
    assert!(txt[0].len() > 255, "an RSA-2048 key record needs several strings");
}

#[tokio::test]
async fn ptr_of_loopback_names_mx1() {
    let demo = DemoEnvironment::start().await.unwrap();
    let resolver = Resolver::new(vec![over_udp(demo.dns_server())], false);
    let lookup = resolver.lookup_ptr(Ipv4Addr::LOCALHOST.into()).await;
    assert_eq!(lookup.ptr(), vec!["mx1.demo.mailtls.test.".to_owned()]);
}

#[tokio::test]
async fn without_a_validating_resolver_dnssec_is_indeterminate() {
    let demo = DemoEnvironment::start().await.unwrap();
    let resolver = Resolver::new(vec![over_udp(demo.dns_server())], false);
    let lookup = resolver.lookup("demo.mailtls.test", RecordType::MX).await;
    assert!(
        matches!(lookup.observation.dnssec, DnssecStatus::Indeterminate { ref reason } if reason.contains("not marked as validating"))
    );
}

#[tokio::test]
async fn repeated_and_concurrent_lookups_share_one_query() {
    let demo = DemoEnvironment::start().await.unwrap();
    let resolver = Arc::new(Resolver::new(vec![over_udp(demo.dns_server())], false));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let resolver = Arc::clone(&resolver);
        tasks.push(tokio::spawn(async move {
            resolver.lookup("Demo.Mailtls.Test.", RecordType::MX).await
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().status(), LookupStatus::Answer);
    }
    resolver.lookup("demo.mailtls.test", RecordType::MX).await;
    assert_eq!(resolver.queries_sent(), 1);
}

/// A transport that answers with a function of the query.
struct Scripted<F> {
    respond: F,
    calls: AtomicUsize,
}

#[async_trait]
impl<F> DnsTransport for Scripted<F>
where
    F: Fn(&Message) -> Result<Vec<u8>, DnsTransportError> + Send + Sync,
{
    async fn exchange(&self, query: &[u8]) -> Result<Vec<u8>, DnsTransportError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        (self.respond)(&Message::from_vec(query).unwrap())
    }

    fn server(&self) -> SocketAddr {
        "127.0.0.9:53".parse().unwrap()
    }
}

fn scripted<F>(respond: F) -> Arc<Scripted<F>>
where
    F: Fn(&Message) -> Result<Vec<u8>, DnsTransportError> + Send + Sync,
{
    Arc::new(Scripted {
        respond,
        calls: AtomicUsize::new(0),
    })
}

fn reply(query: &Message, code: ResponseCode, authentic: bool, answers: Vec<Record>) -> Vec<u8> {
    let mut message = query.clone();
    message.metadata.message_type = MessageType::Response;
    message.metadata.response_code = code;
    message.metadata.authentic_data = authentic;
    message.edns = None;
    for record in answers {
        message.add_answer(record);
    }
    message.to_vec().unwrap()
}

fn a_record(query: &Message) -> Record {
    Record::from_rdata(
        query.queries[0].name.clone(),
        300,
        RData::A(A(Ipv4Addr::new(192, 0, 2, 1))),
    )
}

#[tokio::test]
async fn ad_bit_from_a_validating_resolver_is_secure() {
    let transport = scripted(|query| Ok(reply(query, ResponseCode::NoError, true, vec![a_record(query)])));
    let resolver = Resolver::new(vec![transport], true);
    let lookup = resolver.lookup("signed.test", RecordType::A).await;
    assert!(lookup.is_secure());
    assert_eq!(
        lookup.observation.dnssec,
        DnssecStatus::Secure {
            source: "AD bit from validating resolver 127.0.0.9:53".into()
        }
    );
    assert_eq!(lookup.ipv4(), vec![Ipv4Addr::new(192, 0, 2, 1)]);
}

#[tokio::test]
async fn no_ad_from_a_validating_resolver_is_insecure() {
    let transport = scripted(|query| Ok(reply(query, ResponseCode::NoError, false, vec![a_record(query)])));
    let lookup = Resolver::new(vec![transport], true)
        .lookup("unsigned.test", RecordType::A)
        .await;
    assert!(matches!(lookup.observation.dnssec, DnssecStatus::Insecure { .. }));
}

#[tokio::test]
async fn servfail_that_answers_with_cd_is_bogus() {
    let transport = scripted(|query| {
        if query.metadata.checking_disabled {
            Ok(reply(query, ResponseCode::NoError, false, vec![a_record(query)]))
        } else {
            Ok(reply(query, ResponseCode::ServFail, false, vec![]))
        }
    });
    let lookup = Resolver::new(vec![transport.clone()], true)
        .lookup("bogus.test", RecordType::A)
        .await;
    assert_eq!(lookup.status(), LookupStatus::Error);
    assert!(
        matches!(lookup.observation.dnssec, DnssecStatus::Bogus { .. }),
        "{:?}",
        lookup.observation.dnssec
    );
    assert!(lookup.records.is_empty());
    assert_eq!(transport.calls.load(Ordering::Relaxed), 2);
}

#[tokio::test]
async fn servfail_also_with_cd_is_a_plain_failure() {
    let transport = scripted(|query| Ok(reply(query, ResponseCode::ServFail, false, vec![])));
    let lookup = Resolver::new(vec![transport], true)
        .lookup("broken.test", RecordType::A)
        .await;
    assert_eq!(lookup.status(), LookupStatus::Error);
    assert!(matches!(
        lookup.observation.dnssec,
        DnssecStatus::Indeterminate { .. }
    ));
}

#[tokio::test]
async fn garbage_answer_is_an_error_naming_the_server() {
    let transport = scripted(|_| Ok(vec![0xde, 0xad, 0xbe, 0xef, 0, 1, 0, 0, 0, 0, 0, 0, 0xff, 0xff]));
    let lookup = Resolver::new(vec![transport], false)
        .lookup("garbage.test", RecordType::TXT)
        .await;
    assert_eq!(lookup.status(), LookupStatus::Error);
    let error = lookup.observation.error.unwrap();
    assert!(error.starts_with("127.0.0.9:53:"), "{error}");
}

#[tokio::test]
async fn answer_to_another_question_is_refused() {
    let transport = scripted(|query| {
        let mut other = query.clone();
        other.queries[0].name = hickory_proto::rr::Name::from_ascii("evil.test.").unwrap();
        Ok(reply(
            &other,
            ResponseCode::NoError,
            false,
            vec![a_record(&other)],
        ))
    });
    let lookup = Resolver::new(vec![transport], false)
        .lookup("asked.test", RecordType::A)
        .await;
    assert_eq!(lookup.status(), LookupStatus::Error);
    assert!(lookup.observation.error.unwrap().contains("another question"));
}

#[tokio::test]
async fn a_failing_transport_falls_through_to_the_next() {
    let dead = scripted(|_| {
        Err(DnsTransportError::Timeout {
            server: "127.0.0.8:53".parse().unwrap(),
            attempts: 1,
            timeout: Duration::from_millis(10),
        })
    });
    let alive = scripted(|query| Ok(reply(query, ResponseCode::NoError, false, vec![a_record(query)])));
    let lookup = Resolver::new(vec![dead, alive], false)
        .lookup("host.test", RecordType::A)
        .await;
    assert_eq!(lookup.status(), LookupStatus::Answer);
}

#[tokio::test]
async fn silent_resolver_is_a_timeout_error_not_an_absent_record() {
    let silent = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let transport = Arc::new(UdpTcpTransport::new(
        silent.local_addr().unwrap(),
        Duration::from_millis(50),
        2,
    ));
    let lookup = Resolver::new(vec![transport], false)
        .lookup("example.test", RecordType::TXT)
        .await;
    assert_eq!(lookup.status(), LookupStatus::Error);
    assert!(lookup.observation.error.unwrap().contains("no answer"));
}

#[test]
fn reverse_names() {
    assert_eq!(
        reverse_name("192.0.2.1".parse().unwrap()),
        "1.2.0.192.in-addr.arpa."
    );
    assert_eq!(
        reverse_name("2001:db8::1".parse().unwrap()),
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."
    );
}
