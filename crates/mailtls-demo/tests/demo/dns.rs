//! The authoritative DNS server, asked over UDP and TCP with hickory-proto messages.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use hickory_proto::op::{Message, ResponseCode};
use hickory_proto::rr::rdata::tlsa::{CertUsage, Matching, Selector};
use hickory_proto::rr::{RData, Record, RecordType};
use mailtls_core::MailProtocol;
use mailtls_demo::DemoEnvironment;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpStream, UdpSocket};

use crate::support::{
    LineClient, ask_tcp, ask_udp, handshake, peer_certificate, query, subject_public_key_info,
};

/// The character-strings of a TXT record, as text.
fn txt_strings(record: &Record) -> Vec<String> {
    let RData::TXT(txt) = &record.data else {
        panic!("expected TXT, got {record}");
    };
    txt.txt_data
        .iter()
        .map(|string| String::from_utf8(string.to_vec()).unwrap())
        .collect()
}

/// The single answer of a successful authoritative response.
fn only_answer(response: &Message) -> &Record {
    assert_eq!(response.metadata.response_code, ResponseCode::NoError);
    assert!(response.metadata.authoritative);
    assert_eq!(response.answers.len(), 1, "answers: {:?}", response.answers);
    &response.answers[0]
}

async fn txt_at(demo: &DemoEnvironment, name: &str) -> Vec<String> {
    let response = ask_udp(demo.dns_server(), &query(name, RecordType::TXT)).await;
    txt_strings(only_answer(&response))
}

#[tokio::test]
async fn mx_is_mx1_with_preference_10() {
    let demo = DemoEnvironment::start().await.unwrap();
    let response = ask_udp(demo.dns_server(), &query("demo.mailtls.test.", RecordType::MX)).await;
    let RData::MX(mx) = &only_answer(&response).data else {
        panic!("expected MX");
    };
    assert_eq!(mx.preference, 10);
    assert_eq!(mx.exchange.to_ascii(), "mx1.demo.mailtls.test.");
}

#[tokio::test]
async fn mx1_has_loopback_addresses() {
    let demo = DemoEnvironment::start().await.unwrap();
    let response = ask_udp(demo.dns_server(), &query("mx1.demo.mailtls.test.", RecordType::A)).await;
    assert_eq!(
        only_answer(&response).data.ip_addr(),
        Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
    );
    let response = ask_udp(
        demo.dns_server(),
        &query("mx1.demo.mailtls.test.", RecordType::AAAA),
    )
    .await;
    let listens_on_ipv6 = demo
        .service(MailProtocol::Smtp)
        .unwrap()
        .addresses
        .iter()
        .any(std::net::SocketAddr::is_ipv6);
    if listens_on_ipv6 {
        assert_eq!(
            only_answer(&response).data.ip_addr(),
            Some(IpAddr::V6(Ipv6Addr::LOCALHOST))
        );
    } else {
        assert!(response.answers.is_empty());
    }
}

#[tokio::test]
async fn spf_record_allows_only_loopback() {
    let demo = DemoEnvironment::start().await.unwrap();
    assert_eq!(
        txt_at(&demo, "demo.mailtls.test.").await,
        vec!["v=spf1 ip4:127.0.0.1 -all"]
    );
}

#[tokio::test]
async fn policy_records_are_published() {
    let demo = DemoEnvironment::start().await.unwrap();
    assert_eq!(
        txt_at(&demo, "_dmarc.demo.mailtls.test.").await,
        vec!["v=DMARC1; p=quarantine; rua=mailto:dmarc@demo.mailtls.test"]
    );
    assert_eq!(
        txt_at(&demo, "_mta-sts.demo.mailtls.test.").await,
        vec!["v=STSv1; id=demo1"]
    );
    assert_eq!(
        txt_at(&demo, "_smtp._tls.demo.mailtls.test.").await,
        vec!["v=TLSRPTv1; rua=mailto:tlsrpt@demo.mailtls.test"]
    );
}

#[tokio::test]
async fn dkim_key_record_is_split_into_strings_of_at_most_255_octets() {
    let demo = DemoEnvironment::start().await.unwrap();
    let strings = txt_at(&demo, "demo._domainkey.demo.mailtls.test.").await;
    let lengths: Vec<usize> = strings.iter().map(String::len).collect();
    assert!(lengths.len() > 1, "lengths: {lengths:?}");
    assert!(
        lengths.iter().all(|&length| length <= 255),
        "lengths: {lengths:?}"
    );
    let record = strings.concat();
    assert!(
        record.starts_with("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"),
        "{record}"
    );
    assert_eq!(demo.dkim_selector(), "demo");
}

#[tokio::test]
async fn caa_allows_the_demo_ca() {
    let demo = DemoEnvironment::start().await.unwrap();
    let response = ask_udp(demo.dns_server(), &query("demo.mailtls.test.", RecordType::CAA)).await;
    let RData::CAA(caa) = &only_answer(&response).data else {
        panic!("expected CAA");
    };
    assert_eq!(caa.flags(), 0);
    assert_eq!(caa.tag, "issue");
    assert_eq!(caa.value, b"demo-ca.mailtls.test");
}

#[tokio::test]
async fn srv_records_carry_the_real_ports() {
    let demo = DemoEnvironment::start().await.unwrap();
    for (owner, protocol, target) in [
        (
            "_submissions._tcp.demo.mailtls.test.",
            MailProtocol::Submissions,
            "mx1.demo.mailtls.test.",
        ),
        (
            "_imap._tcp.demo.mailtls.test.",
            MailProtocol::Imap,
            "imap.demo.mailtls.test.",
        ),
        (
            "_imaps._tcp.demo.mailtls.test.",
            MailProtocol::Imaps,
            "imap.demo.mailtls.test.",
        ),
        (
            "_pop3._tcp.demo.mailtls.test.",
            MailProtocol::Pop3,
            "imap.demo.mailtls.test.",
        ),
    ] {
        let response = ask_udp(demo.dns_server(), &query(owner, RecordType::SRV)).await;
        let RData::SRV(srv) = &only_answer(&response).data else {
            panic!("expected SRV at {owner}");
        };
        assert_eq!(
            srv.port,
            demo.service(protocol).unwrap().address.port(),
            "{owner}"
        );
        assert_eq!(srv.target.to_ascii(), target, "{owner}");
    }
}

#[tokio::test]
async fn tlsa_hash_is_the_spki_of_the_certificate_mx1_serves() {
    let demo = DemoEnvironment::start().await.unwrap();
    let response = ask_udp(
        demo.dns_server(),
        &query("_25._tcp.mx1.demo.mailtls.test.", RecordType::TLSA),
    )
    .await;
    let RData::TLSA(tlsa) = &only_answer(&response).data else {
        panic!("expected TLSA");
    };
    assert_eq!(
        (tlsa.cert_usage, tlsa.selector, tlsa.matching),
        (CertUsage::DaneEe, Selector::Spki, Matching::Sha256)
    );

    let smtp = demo.service(MailProtocol::Smtp).unwrap();
    let mut client = LineClient::new(TcpStream::connect(smtp.address).await.unwrap());
    client.smtp_reply().await;
    client.send("EHLO client.example\r\n").await;
    client.smtp_reply().await;
    client.send("STARTTLS\r\n").await;
    client.smtp_reply().await;
    let tls = handshake(&demo, client.into_inner(), "mx1.demo.mailtls.test").await;
    let served = peer_certificate(&tls);
    let expected = Sha256::digest(subject_public_key_info(&served)).to_vec();
    assert_eq!(tlsa.cert_data, expected);
}

#[tokio::test]
async fn ptr_of_127_0_0_1_is_mx1() {
    let demo = DemoEnvironment::start().await.unwrap();
    let response = ask_udp(
        demo.dns_server(),
        &query("1.0.0.127.in-addr.arpa.", RecordType::PTR),
    )
    .await;
    assert_eq!(only_answer(&response).data.to_string(), "mx1.demo.mailtls.test.");
}

#[tokio::test]
async fn unknown_name_in_the_zone_is_nxdomain_with_the_soa() {
    let demo = DemoEnvironment::start().await.unwrap();
    let response = ask_udp(demo.dns_server(), &query("www.demo.mailtls.test.", RecordType::A)).await;
    assert_eq!(response.metadata.response_code, ResponseCode::NXDomain);
    assert!(response.metadata.authoritative);
    assert!(response.answers.is_empty());
    let types: Vec<RecordType> = response.authorities.iter().map(Record::record_type).collect();
    assert_eq!(types, vec![RecordType::SOA]);
}

#[tokio::test]
async fn known_name_without_the_type_is_nodata_with_the_soa() {
    let demo = DemoEnvironment::start().await.unwrap();
    let response = ask_udp(
        demo.dns_server(),
        &query("imap.demo.mailtls.test.", RecordType::MX),
    )
    .await;
    assert_eq!(response.metadata.response_code, ResponseCode::NoError);
    assert!(response.metadata.authoritative);
    assert!(response.answers.is_empty());
    let types: Vec<RecordType> = response.authorities.iter().map(Record::record_type).collect();
    assert_eq!(types, vec![RecordType::SOA]);
}

#[tokio::test]
async fn empty_non_terminal_is_nodata() {
    let demo = DemoEnvironment::start().await.unwrap();
    let response = ask_udp(
        demo.dns_server(),
        &query("_domainkey.demo.mailtls.test.", RecordType::TXT),
    )
    .await;
    assert_eq!(response.metadata.response_code, ResponseCode::NoError);
    assert!(response.answers.is_empty());
}

#[tokio::test]
async fn name_outside_the_zone_is_refused() {
    let demo = DemoEnvironment::start().await.unwrap();
    let response = ask_udp(demo.dns_server(), &query("example.com.", RecordType::A)).await;
    assert_eq!(response.metadata.response_code, ResponseCode::Refused);
    assert!(!response.metadata.authoritative);
    assert!(response.answers.is_empty());
}

#[tokio::test]
async fn garbage_with_a_header_is_answered_formerr_with_its_id() {
    let demo = DemoEnvironment::start().await.unwrap();
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket.connect(demo.dns_server()).await.unwrap();
    // A header announcing one question, followed by a truncated name.
    socket
        .send(b"\xbe\xef\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x3fabc")
        .await
        .unwrap();
    let mut buffer = [0_u8; 512];
    let length = tokio::time::timeout(Duration::from_secs(5), socket.recv(&mut buffer))
        .await
        .unwrap()
        .unwrap();
    let response = Message::from_vec(&buffer[..length]).unwrap();
    assert_eq!(response.metadata.id, 0xbeef);
    assert_eq!(response.metadata.response_code, ResponseCode::FormErr);
}

/// A deterministic xorshift generator: the same "random" bytes on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes(&mut self, length: usize) -> Vec<u8> {
        (0..length).map(|_| self.next().to_le_bytes()[0]).collect()
    }
}

#[tokio::test]
async fn random_bytes_over_udp_and_tcp_do_not_stop_the_server() {
    let demo = DemoEnvironment::start().await.unwrap();
    let mut random = XorShift(0x9e37_79b9_7f4a_7c15);
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket.connect(demo.dns_server()).await.unwrap();
    for round in 0..2000_u64 {
        let length = usize::try_from(random.next() % 600).unwrap();
        let mut datagram = random.bytes(length);
        if round % 2 == 0 && datagram.len() >= 12 {
            // Half of them look like queries: QR clear, one question.
            datagram[2] &= 0x7f;
            datagram[4..6].copy_from_slice(&[0, 1]);
        }
        socket.send(&datagram).await.unwrap();
    }
    for _ in 0..50 {
        let mut stream = TcpStream::connect(demo.dns_server()).await.unwrap();
        let length = usize::try_from(random.next() % 300).unwrap();
        let _ = stream.write_all(&random.bytes(length)).await;
    }

    let response = ask_udp(demo.dns_server(), &query("demo.mailtls.test.", RecordType::SOA)).await;
    assert_eq!(only_answer(&response).record_type(), RecordType::SOA);
    let mut stream = TcpStream::connect(demo.dns_server()).await.unwrap();
    let response = ask_tcp(&mut stream, &query("demo.mailtls.test.", RecordType::SOA)).await;
    assert_eq!(only_answer(&response).record_type(), RecordType::SOA);
}

#[tokio::test]
async fn tcp_answers_several_queries_on_one_connection() {
    let demo = DemoEnvironment::start().await.unwrap();
    let mut stream = TcpStream::connect(demo.dns_server()).await.unwrap();
    let response = ask_tcp(&mut stream, &query("demo.mailtls.test.", RecordType::MX)).await;
    assert_eq!(only_answer(&response).record_type(), RecordType::MX);
    let response = ask_tcp(
        &mut stream,
        &query("demo._domainkey.demo.mailtls.test.", RecordType::TXT),
    )
    .await;
    assert!(
        txt_strings(only_answer(&response))
            .concat()
            .starts_with("v=DKIM1;")
    );
}

#[tokio::test]
async fn zone_text_lists_every_record() {
    let demo = DemoEnvironment::start().await.unwrap();
    let text = demo.zone_text();
    println!("{text}");
    assert!(
        text.contains("demo.mailtls.test. 300 IN MX 10 mx1.demo.mailtls.test."),
        "{text}"
    );
    assert!(
        text.contains("1.0.0.127.in-addr.arpa. 300 IN PTR mx1.demo.mailtls.test."),
        "{text}"
    );
    assert!(
        text.contains("demo.mailtls.test. 300 IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n"),
        "{text}"
    );
}
