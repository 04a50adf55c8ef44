//! Start, inventory and stop.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use base64::Engine as _;
use mailtls_core::{Host, MailProtocol};
use mailtls_demo::{DemoEnvironment, DemoError};
use tokio::net::TcpStream;

/// Every TCP address of the environment: each service's, and the DNS server's.
fn tcp_addresses(demo: &DemoEnvironment) -> Vec<SocketAddr> {
    let mut addresses: Vec<SocketAddr> = demo
        .services()
        .iter()
        .flat_map(|service| service.addresses.clone())
        .collect();
    addresses.push(demo.dns_server());
    addresses
}

async fn is_refused(address: SocketAddr) -> bool {
    matches!(
        TcpStream::connect(address).await,
        Err(error) if error.kind() == io::ErrorKind::ConnectionRefused
    )
}

#[tokio::test]
async fn starts_in_well_under_a_second() {
    let started = Instant::now();
    let demo = DemoEnvironment::start().await.unwrap();
    let elapsed = started.elapsed();
    println!("DemoEnvironment::start took {elapsed:?}");
    // The goal is well under a second; the bound is loose for slow CI machines.
    assert!(elapsed < Duration::from_secs(5), "start took {elapsed:?}");
    drop(demo);
}

#[tokio::test]
async fn lists_every_service_with_its_host_and_real_port() {
    let demo = DemoEnvironment::start().await.unwrap();
    let inventory: Vec<(MailProtocol, String, bool)> = demo
        .services()
        .iter()
        .map(|service| {
            (
                service.endpoint.protocol,
                service.endpoint.host.to_string(),
                service.endpoint.port == service.address.port() && service.address.ip().is_loopback(),
            )
        })
        .collect();
    assert_eq!(
        inventory,
        vec![
            (MailProtocol::Smtp, "mx1.demo.mailtls.test".to_owned(), true),
            (
                MailProtocol::Submissions,
                "mx1.demo.mailtls.test".to_owned(),
                true
            ),
            (MailProtocol::Imap, "imap.demo.mailtls.test".to_owned(), true),
            (MailProtocol::Imaps, "imap.demo.mailtls.test".to_owned(), true),
            (MailProtocol::Pop3, "imap.demo.mailtls.test".to_owned(), true),
        ]
    );
    assert_eq!(demo.zone().as_str(), "demo.mailtls.test");
    assert!(demo.service(MailProtocol::Lmtp).is_none());
    assert!(matches!(
        &demo.service(MailProtocol::Imaps).unwrap().endpoint.host,
        Host::Domain(domain) if domain.as_str() == "imap.demo.mailtls.test"
    ));
}

#[tokio::test]
async fn ca_pem_and_der_are_the_same_certificate() {
    let demo = DemoEnvironment::start().await.unwrap();
    let pem = demo.ca_certificate_pem();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(pem.trim_end().ends_with("-----END CERTIFICATE-----"));
    let body: String = pem.lines().filter(|line| !line.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(body).unwrap();
    assert_eq!(der, demo.ca_certificate_der().as_ref());
}

#[tokio::test]
async fn every_port_accepts_connections_while_running() {
    let demo = DemoEnvironment::start().await.unwrap();
    for address in tcp_addresses(&demo) {
        assert!(TcpStream::connect(address).await.is_ok(), "{address} refused");
    }
}

#[tokio::test]
async fn ports_refuse_connections_after_drop() {
    let demo = DemoEnvironment::start().await.unwrap();
    let addresses = tcp_addresses(&demo);
    drop(demo);
    // Cancellation is processed by the runtime, so allow it a moment.
    let deadline = Instant::now() + Duration::from_secs(2);
    for address in addresses {
        while !is_refused(address).await {
            assert!(
                Instant::now() < deadline,
                "{address} still accepts connections after drop"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

#[tokio::test]
async fn dns_udp_port_is_closed_after_shutdown() {
    let demo = DemoEnvironment::start().await.unwrap();
    let dns = demo.dns_server();
    demo.shutdown().await;
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket.connect(dns).await.unwrap();
    socket
        .send(b"\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00")
        .await
        .unwrap();
    let mut buffer = [0_u8; 512];
    let received = tokio::time::timeout(Duration::from_secs(2), socket.recv(&mut buffer)).await;
    assert!(
        matches!(&received, Ok(Err(error)) if error.kind() == io::ErrorKind::ConnectionRefused),
        "expected ICMP port unreachable, got {received:?}"
    );
}

#[tokio::test]
async fn shutdown_closes_every_port_before_returning() {
    let demo = DemoEnvironment::start().await.unwrap();
    let addresses = tcp_addresses(&demo);
    demo.shutdown().await;
    for address in addresses {
        assert!(
            is_refused(address).await,
            "{address} still accepts connections after shutdown"
        );
    }
}

#[tokio::test]
async fn dropping_also_ends_open_connections() {
    let demo = DemoEnvironment::start().await.unwrap();
    let smtp = demo.service(MailProtocol::Smtp).unwrap().address;
    let mut client = crate::support::LineClient::new(TcpStream::connect(smtp).await.unwrap());
    client.smtp_reply().await;
    drop(demo);
    assert_eq!(client.rest().await, "");
}

#[test]
fn start_outside_a_tokio_runtime_is_an_error() {
    let mut start = pin!(DemoEnvironment::start());
    let mut context = Context::from_waker(Waker::noop());
    assert!(matches!(
        start.as_mut().poll(&mut context),
        Poll::Ready(Err(DemoError::NoRuntime))
    ));
}

#[tokio::test]
async fn connector_routes_only_to_demo_servers() {
    let demo = DemoEnvironment::start().await.unwrap();
    let connector = demo.connector();
    let smtp = demo.service(MailProtocol::Smtp).unwrap().address;
    assert_eq!(connector.route("127.0.0.1:25".parse().unwrap()), Some(smtp));
    assert_eq!(
        connector.route("127.0.0.1:443".parse().unwrap()),
        Some(demo.policy_server())
    );
    let imaps = demo.service(MailProtocol::Imaps).unwrap().address;
    assert_eq!(connector.route(imaps), Some(imaps));
    // Nothing else on this host, nor anything off it, is reachable.
    assert_eq!(connector.route("127.0.0.1:22".parse().unwrap()), None);
    assert_eq!(connector.route("192.0.2.1:25".parse().unwrap()), None);
}
