//! What the end-to-end tests need to know about the real-server lab that
//! `lab/up.sh` starts: its fixed addresses, where its CA is, and small
//! helpers to reach it. The tests themselves are in `tests/` and are
//! `#[ignore]`d unless run with `--ignored` after `lab/up.sh`.
//!
//! This is test support: a lab that is not up is a reason to stop with a clear
//! message, so the helpers panic instead of returning errors.
#![allow(clippy::panic)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_proto::rr::{Name, RecordType};
use mailtls_core::transport::{DnsTransport, UdpTcpTransport};
use mailtls_core::{Domain, Endpoint, Host, MailProtocol};

/// The lab's domain.
pub const LAB_DOMAIN: &str = "lab.test";
/// Knot, authoritative for `test.` and `lab.test.`.
pub const AUTHORITATIVE: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 1);
/// Unbound, validating with the lab's trust anchor.
pub const RESOLVER: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 53);
/// Postfix, first MX: 25, 587, 465.
pub const MX1: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 25);
/// Postfix, second MX: 25.
pub const MX2: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 26);
/// Dovecot: 143, 993, 110, 995.
pub const IMAP: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 143);
/// nginx serving the MTA-STS policy on 443.
pub const MTA_STS: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 44);
/// OpenSSL `s_server` with TLS 1.0 and 1.1 only, on 443.
pub const LEGACY_TLS: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 10);
/// `gnutls-serv` offering RC4 and 3DES, on 4433.
pub const WEAK_TLS: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 11);
/// Exim, `mx3.lab.test`: 25 with STARTTLS (not in `lab.test`'s MX set).
pub const MX3: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 27);

/// The lab's second domain, whose policies carry planted faults (see `lab/README.md`).
pub const BROKEN_DOMAIN: &str = "broken.test";
/// Postfix as `wrongname.broken.test`: 25, with a certificate for `other-host.lab.test`.
pub const WRONGNAME: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 28);
/// Postfix as `expired.broken.test`: 25, with an expired certificate.
pub const EXPIRED: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 29);
/// nginx serving `broken.test`'s MTA-STS policy (`mode: testing`) on 443.
pub const MTA_STS_BROKEN: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 45);

/// The lab's runtime directory (`MAILTLS_LAB_DIR`, else `lab/run` in the workspace).
pub fn run_dir() -> PathBuf {
    std::env::var_os("MAILTLS_LAB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../lab/run"))
}

/// The lab CA certificate, PEM.
pub fn ca_pem() -> Vec<u8> {
    let path = run_dir().join("ca/ca.pem");
    std::fs::read(&path)
        .unwrap_or_else(|error| panic!("{}: {error}; is the lab up (lab/up.sh)?", path.display()))
}

/// An endpoint on a lab host name.
pub fn endpoint(protocol: MailProtocol, host: &str, port: u16) -> Endpoint {
    let domain = Domain::parse(host).unwrap_or_else(|error| panic!("{host}: {error}"));
    Endpoint {
        protocol,
        host: Host::Domain(domain),
        port,
    }
}

/// A socket address on a lab host.
pub fn at(ip: Ipv4Addr, port: u16) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(ip), port)
}

/// Asks `server` for `name`/`record_type` with EDNS0 and the DO bit, over the
/// mailtls transport, and returns the parsed answer.
pub async fn query(
    server: Ipv4Addr,
    name: &str,
    record_type: RecordType,
    checking_disabled: bool,
) -> Message {
    let name = Name::from_ascii(name).unwrap_or_else(|error| panic!("{name}: {error}"));
    let mut message = Message::new(0x4d54, MessageType::Query, OpCode::Query);
    message.metadata.recursion_desired = true;
    message.metadata.checking_disabled = checking_disabled;
    message.add_query(Query::query(name, record_type));
    let mut edns = Edns::new();
    edns.set_max_payload(1232);
    edns.set_dnssec_ok(true);
    message.edns = Some(edns);
    let bytes = message
        .to_vec()
        .unwrap_or_else(|error| panic!("encoding the query: {error}"));
    let transport = UdpTcpTransport::new(SocketAddr::new(IpAddr::V4(server), 53), Duration::from_secs(3), 2);
    let answer = transport
        .exchange(&bytes)
        .await
        .unwrap_or_else(|error| panic!("DNS exchange: {error}"));
    Message::from_vec(&answer).unwrap_or_else(|error| panic!("parsing the answer: {error}"))
}

/// A resolver asking the lab's Unbound; `validating` says whether to trust
/// its AD bit (the lab's Unbound does validate).
pub fn lab_resolver(validating: bool) -> mailtls_dns::Resolver {
    let transport: std::sync::Arc<dyn DnsTransport> = std::sync::Arc::new(UdpTcpTransport::new(
        SocketAddr::new(IpAddr::V4(RESOLVER), 53),
        Duration::from_secs(3),
        2,
    ));
    mailtls_dns::Resolver::new(vec![transport], validating)
}

/// Probe settings that trust the lab CA besides the Mozilla roots, without
/// the TLS scan (one connection per probe).
pub fn lab_probe_config() -> mailtls_probe::ProbeConfig {
    let trust = mailtls_probe::TrustAnchors::mozilla()
        .with_pem(&ca_pem())
        .unwrap_or_else(|error| panic!("the lab CA is not a usable trust anchor: {error}"));
    mailtls_probe::ProbeConfig {
        trust,
        tls_scan: None,
        ..mailtls_probe::ProbeConfig::default()
    }
}
