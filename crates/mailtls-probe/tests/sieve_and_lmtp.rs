//! ManageSieve with STARTTLS against an in-process TLS server, and LMTP's LHLO.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use mailtls_core::transport::TcpConnector;
use mailtls_core::{Direction, Domain, Endpoint, Host, MailProtocol, ProbeOutcome};
use mailtls_probe::{ProbeConfig, probe_endpoint};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

mod pki;

fn acceptor() -> TlsAcceptor {
    pki::self_signed_acceptor("sieve.example.test")
}

fn endpoint(protocol: MailProtocol, host: &str, port: u16) -> Endpoint {
    Endpoint {
        protocol,
        host: Host::Domain(Domain::parse(host).unwrap()),
        port,
    }
}

#[tokio::test]
async fn managesieve_capabilities_before_and_after_starttls() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let acceptor = acceptor();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let mut socket = BufReader::new(socket);
        socket
            .write_all(
                b"\"IMPLEMENTATION\" \"mailtls test\"\r\n\"SASL\" \"\"\r\n\"STARTTLS\"\r\n\"VERSION\" \"1.0\"\r\nOK \"ready\"\r\n",
            )
            .await
            .unwrap();
        let mut line = String::new();
        socket.read_line(&mut line).await.unwrap();
        assert_eq!(line, "STARTTLS\r\n");
        socket
            .write_all(b"OK \"Begin TLS negotiation now\"\r\n")
            .await
            .unwrap();
        let tls = acceptor.accept(socket.into_inner()).await.unwrap();
        let mut tls = BufReader::new(tls);
        // RFC 5804 §2.2: the capabilities again, unasked, after the handshake.
        tls.write_all(
            b"\"IMPLEMENTATION\" \"mailtls test\"\r\n\"SASL\" \"PLAIN\"\r\n\"VERSION\" \"1.0\"\r\nOK \"TLS done\"\r\n",
        )
        .await
        .unwrap();
        let mut line = String::new();
        tls.read_line(&mut line).await.unwrap();
        assert_eq!(line, "LOGOUT\r\n");
        tls.write_all(b"OK \"bye\"\r\n").await.unwrap();
    });
    let observation = probe_endpoint(
        &TcpConnector::default(),
        &ProbeConfig::default(),
        &endpoint(MailProtocol::Sieve, "sieve.example.test", address.port()),
        address,
    )
    .await;
    assert_eq!(observation.outcome, ProbeOutcome::Completed);
    let dialogue = observation.dialogue.unwrap();
    assert!(dialogue.starttls_offered);
    assert_eq!(
        dialogue.starttls_reply.as_deref(),
        Some("OK \"Begin TLS negotiation now\"")
    );
    assert!(
        dialogue
            .capabilities_before_tls
            .contains(&"\"SASL\" \"\"".to_owned())
    );
    assert!(
        dialogue
            .capabilities_after_tls
            .contains(&"\"SASL\" \"PLAIN\"".to_owned())
    );
    assert!(
        !dialogue
            .capabilities_after_tls
            .iter()
            .any(|line| line.contains("STARTTLS"))
    );
    assert!(observation.tls.is_some());
}

#[tokio::test]
async fn lmtp_greets_with_lhlo_not_ehlo() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let mut socket = BufReader::new(socket);
        socket.write_all(b"220 lmtp.example.test LMTP\r\n").await.unwrap();
        let mut line = String::new();
        socket.read_line(&mut line).await.unwrap();
        let reply: &[u8] = if line.starts_with("LHLO ") {
            b"250-lmtp.example.test\r\n250 PIPELINING\r\n"
        } else {
            b"500 5.5.1 LHLO first\r\n"
        };
        socket.write_all(reply).await.unwrap();
        line.clear();
        socket.read_line(&mut line).await.unwrap();
        socket.write_all(b"221 bye\r\n").await.unwrap();
    });
    let observation = probe_endpoint(
        &TcpConnector::default(),
        &ProbeConfig::default(),
        &endpoint(MailProtocol::Lmtp, "lmtp.example.test", address.port()),
        address,
    )
    .await;
    assert_eq!(observation.outcome, ProbeOutcome::Completed);
    let dialogue = observation.dialogue.unwrap();
    assert_eq!(dialogue.capabilities_before_tls, vec!["PIPELINING"]);
    assert!(!dialogue.starttls_offered);
    let first_sent = dialogue
        .transcript
        .iter()
        .find(|line| line.direction == Direction::Sent)
        .unwrap();
    assert_eq!(first_sent.text, "LHLO mailtls.invalid");
}
