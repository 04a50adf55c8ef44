//! The STARTTLS command injection test (CVE-2011-0411 class) against an
//! in-process server that is vulnerable and one that is not.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use mailtls_core::transport::TcpConnector;
use mailtls_core::{Domain, Endpoint, Host, InjectionTest, MailProtocol, ProbeOutcome};
use mailtls_probe::{ProbeConfig, probe_endpoint};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

mod pki;

fn acceptor() -> TlsAcceptor {
    pki::self_signed_acceptor("mx.example.test")
}

/// An SMTP server offering PIPELINING and STARTTLS. A `vulnerable` one keeps
/// what was pipelined after STARTTLS and executes it inside TLS.
async fn server(vulnerable: bool, pipelining: bool) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let acceptor = acceptor();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        socket.write_all(b"220 mx.example.test ESMTP\r\n").await.unwrap();
        let mut received = Vec::new();
        let mut chunk = [0u8; 512];
        // EHLO
        while !received.ends_with(b"\r\n") {
            let read = socket.read(&mut chunk).await.unwrap();
            received.extend_from_slice(&chunk[..read]);
        }
        received.clear();
        let capabilities: &[u8] = if pipelining {
            b"250-mx.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n"
        } else {
            b"250-mx.example.test\r\n250 STARTTLS\r\n"
        };
        socket.write_all(capabilities).await.unwrap();
        while !received.windows(10).any(|w| w == b"STARTTLS\r\n") {
            let read = socket.read(&mut chunk).await.unwrap();
            received.extend_from_slice(&chunk[..read]);
        }
        let after_starttls =
            received[received.windows(10).position(|w| w == b"STARTTLS\r\n").unwrap() + 10..].to_vec();
        socket
            .write_all(b"220 2.0.0 Ready to start TLS\r\n")
            .await
            .unwrap();
        let tls = acceptor.accept(socket).await.unwrap();
        let (read, mut write) = tokio::io::split(tls);
        if vulnerable && after_starttls.starts_with(b"NOOP") {
            write.write_all(b"250 2.0.0 Ok\r\n").await.unwrap();
        }
        let mut lines = BufReader::new(read).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let reply: &[u8] = if line.starts_with("EHLO") {
                b"250-mx.example.test\r\n250 PIPELINING\r\n"
            } else if line.starts_with("QUIT") {
                b"221 bye\r\n"
            } else {
                b"500 5.5.2 what\r\n"
            };
            if write.write_all(reply).await.is_err() || line.starts_with("QUIT") {
                break;
            }
        }
    });
    address
}

async fn probe(address: std::net::SocketAddr) -> mailtls_core::EndpointObservation {
    let endpoint = Endpoint {
        protocol: MailProtocol::Smtp,
        host: Host::Domain(Domain::parse("mx.example.test").unwrap()),
        port: address.port(),
    };
    probe_endpoint(
        &TcpConnector::default(),
        &ProbeConfig::default(),
        &endpoint,
        address,
    )
    .await
}

#[tokio::test]
async fn server_that_answers_the_injected_noop_inside_tls_is_vulnerable() {
    let observation = probe(server(true, true).await).await;
    assert_eq!(observation.outcome, ProbeOutcome::Completed);
    let dialogue = observation.dialogue.unwrap();
    assert_eq!(
        dialogue.starttls_injection,
        Some(InjectionTest::Vulnerable {
            evidence: "250 2.0.0 Ok".into()
        })
    );
    // The unasked reply is not mistaken for the answer to EHLO.
    assert_eq!(dialogue.capabilities_after_tls, vec!["PIPELINING"]);
}

#[tokio::test]
async fn server_that_discards_pipelined_plaintext_is_not_vulnerable() {
    let observation = probe(server(false, true).await).await;
    let dialogue = observation.dialogue.unwrap();
    assert_eq!(dialogue.starttls_injection, Some(InjectionTest::NotVulnerable));
    assert_eq!(dialogue.capabilities_after_tls, vec!["PIPELINING"]);
    let sent: Vec<&str> = dialogue
        .transcript
        .iter()
        .filter(|line| line.direction == mailtls_core::Direction::Sent)
        .map(|line| line.text.as_str())
        .collect();
    assert_eq!(&sent[..3], &["EHLO mailtls.invalid", "STARTTLS", "NOOP"]);
}

#[tokio::test]
async fn without_pipelining_the_test_is_not_run() {
    let observation = probe(server(true, false).await).await;
    let dialogue = observation.dialogue.unwrap();
    assert!(
        matches!(dialogue.starttls_injection, Some(InjectionTest::NotTested { ref reason }) if reason.contains("PIPELINING"))
    );
    assert!(observation.tls.is_some());
}
