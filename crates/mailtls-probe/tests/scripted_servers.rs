//! The probe against scripted servers that misbehave in the ways real ones do.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::net::SocketAddr;
use std::time::Duration;

use mailtls_core::transport::{CountingConnector, LineLimits, TcpConnector};
use mailtls_core::{Direction, Domain, Endpoint, EndpointObservation, Host, MailProtocol, ProbeOutcome};
use mailtls_probe::tls_engine::{HandshakeOpener, OpenError};
use mailtls_probe::{EndpointOpener, ProbeConfig, probe_endpoint};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One step of a scripted server.
enum Step {
    /// Send these bytes.
    Send(&'static [u8]),
    /// Read one line and check it starts with this text.
    Expect(&'static str),
    /// Wait.
    Sleep(Duration),
}

/// Serves one connection following `script`, then closes it.
async fn scripted_server(script: Vec<Step>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut read = BufReader::new(read);
        for step in script {
            match step {
                Step::Send(bytes) => {
                    if write.write_all(bytes).await.is_err() {
                        return;
                    }
                }
                Step::Expect(prefix) => {
                    let mut line = String::new();
                    read.read_line(&mut line).await.unwrap();
                    assert!(line.starts_with(prefix), "expected {prefix:?}, got {line:?}");
                }
                Step::Sleep(duration) => tokio::time::sleep(duration).await,
            }
        }
    });
    address
}

fn smtp_endpoint(port: u16) -> Endpoint {
    Endpoint {
        protocol: MailProtocol::Smtp,
        host: Host::Domain(Domain::parse("mx.example.test").unwrap()),
        port,
    }
}

fn quick_config() -> ProbeConfig {
    ProbeConfig {
        limits: LineLimits {
            deadline: Duration::from_millis(500),
            ..LineLimits::default()
        },
        ..ProbeConfig::default()
    }
}

async fn probe(address: SocketAddr, config: &ProbeConfig) -> EndpointObservation {
    let connector = CountingConnector::new(TcpConnector::default());
    let observation = probe_endpoint(&connector, config, &smtp_endpoint(address.port()), address).await;
    assert_eq!(observation.connections, connector.opened());
    observation
}

fn reason(observation: &EndpointObservation) -> String {
    match &observation.outcome {
        ProbeOutcome::NotTested { reason } => reason.clone(),
        other => panic!("expected not_tested, got {other:?}"),
    }
}

#[tokio::test]
async fn greeting_split_across_segments_is_read_whole() {
    let address = scripted_server(vec![
        Step::Send(b"220-mx.exa"),
        Step::Sleep(Duration::from_millis(50)),
        Step::Send(b"mple.test ESMTP\r\n220 ready\r\n"),
        Step::Expect("EHLO mailtls.invalid"),
        Step::Send(b"250-mx.example.test\r\n250 PIPELINING\r\n"),
        Step::Expect("QUIT"),
        Step::Send(b"221 bye\r\n"),
    ])
    .await;
    let observation = probe(address, &ProbeConfig::default()).await;
    assert_eq!(observation.outcome, ProbeOutcome::Completed);
    let dialogue = observation.dialogue.unwrap();
    assert_eq!(dialogue.greeting, vec!["220 mx.example.test ESMTP", "220 ready"]);
    assert_eq!(dialogue.capabilities_before_tls, vec!["PIPELINING"]);
    assert!(!dialogue.starttls_offered);
    assert_eq!(dialogue.starttls_reply, None);
    assert!(observation.tls.is_none());
    assert_eq!(
        dialogue.transcript.first().unwrap().direction,
        Direction::Received
    );
}

#[tokio::test]
async fn nothing_is_sent_before_the_greeting_is_complete() {
    // The script reads EHLO only after the last greeting line: a probe that
    // sent early would have its EHLO read here and fail the expectation order.
    let address = scripted_server(vec![
        Step::Send(b"220-first\r\n"),
        Step::Sleep(Duration::from_millis(150)),
        Step::Send(b"220 last\r\n"),
        Step::Expect("EHLO"),
        Step::Send(b"250 mx\r\n"),
        Step::Expect("QUIT"),
    ])
    .await;
    let observation = probe(address, &ProbeConfig::default()).await;
    let transcript = observation.dialogue.unwrap().transcript;
    let texts: Vec<&str> = transcript.iter().map(|line| line.text.as_str()).collect();
    assert_eq!(&texts[..3], &["220-first", "220 last", "EHLO mailtls.invalid"]);
}

#[tokio::test]
async fn greeting_421_is_not_tested_with_the_reply() {
    let address = scripted_server(vec![Step::Send(
        b"421 4.7.0 mx.example.test too many connections\r\n",
    )])
    .await;
    let observation = probe(address, &ProbeConfig::default()).await;
    let reason = reason(&observation);
    assert!(reason.contains("421"), "{reason}");
    assert!(reason.contains("too many connections"), "{reason}");
}

#[tokio::test]
async fn only_a_421_reply_tells_the_scan_the_server_is_throttling() {
    let config = ProbeConfig::default();
    let connector = TcpConnector::default();
    // A refusal that only mentions 421 (in a host name) is a refusal.
    let address = scripted_server(vec![Step::Send(b"554 5.7.1 mx421.example.test: no service\r\n")]).await;
    let endpoint = smtp_endpoint(address.port());
    let opener = EndpointOpener::new(&connector, &config, &endpoint, address);
    assert!(
        matches!(opener.open().await, Err(OpenError::Refused { .. })),
        "a 554 is not throttling"
    );
    let address = scripted_server(vec![Step::Send(b"421 4.7.0 mx.example.test too busy\r\n")]).await;
    let opener = EndpointOpener::new(&connector, &config, &endpoint, address);
    let Err(OpenError::Throttled { reply }) = opener.open().await else {
        panic!("a 421 greeting is throttling");
    };
    assert_eq!(
        reply,
        "the server is not accepting connections now (421; throttling or overload): \
         421 4.7.0 mx.example.test too busy"
    );
}

#[tokio::test]
async fn greeting_554_is_a_refusal() {
    let address = scripted_server(vec![Step::Send(b"554 5.7.1 blocked\r\n")]).await;
    assert!(reason(&probe(address, &ProbeConfig::default()).await).contains("refused the session"));
}

#[tokio::test]
async fn close_after_greeting_is_not_tested() {
    let address = scripted_server(vec![Step::Send(b"220 Ready\r\n"), Step::Expect("EHLO")]).await;
    let reason = reason(&probe(address, &ProbeConfig::default()).await);
    assert!(reason.contains("closed the connection"), "{reason}");
}

#[tokio::test]
async fn starttls_454_is_recorded_and_no_handshake_is_tried() {
    let address = scripted_server(vec![
        Step::Send(b"220 mx ESMTP\r\n"),
        Step::Expect("EHLO"),
        Step::Send(b"250-mx\r\n250 STARTTLS\r\n"),
        Step::Expect("STARTTLS"),
        Step::Send(b"454 4.7.0 TLS not available due to local problem\r\n"),
        Step::Expect("QUIT"),
        Step::Send(b"221 bye\r\n"),
    ])
    .await;
    let observation = probe(address, &ProbeConfig::default()).await;
    assert_eq!(observation.outcome, ProbeOutcome::Completed);
    let dialogue = observation.dialogue.unwrap();
    assert!(dialogue.starttls_offered);
    assert_eq!(
        dialogue.starttls_reply.as_deref(),
        Some("454 4.7.0 TLS not available due to local problem")
    );
    assert!(observation.tls.is_none());
    assert!(observation.tls_failure.is_none());
}

#[tokio::test]
async fn silent_server_is_a_tarpit_within_the_deadline() {
    let address = scripted_server(vec![Step::Sleep(Duration::from_secs(10))]).await;
    let started = std::time::Instant::now();
    let reason = reason(&probe(address, &quick_config()).await);
    assert!(reason.contains("tarpit"), "{reason}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn binary_garbage_is_not_an_smtp_reply() {
    let address = scripted_server(vec![Step::Send(b"\x16\x03\x01\x00\x05\xff\xfe\r\n")]).await;
    let reason = reason(&probe(address, &ProbeConfig::default()).await);
    assert!(reason.contains("not an SMTP reply line"), "{reason}");
}

#[tokio::test]
async fn endless_multiline_reply_is_cut_off() {
    let mut script = vec![Step::Send(b"220 mx\r\n"), Step::Expect("EHLO")];
    script.extend((0..20_000).map(|_| Step::Send(b"250-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n")));
    let address = scripted_server(script).await;
    let reason = reason(&probe(address, &ProbeConfig::default()).await);
    assert!(reason.contains("more than 262144 bytes"), "{reason}");
}

#[tokio::test]
async fn refused_connection_is_an_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let observation = probe(address, &ProbeConfig::default()).await;
    assert_eq!(observation.connections, 0);
    assert!(
        matches!(observation.outcome, ProbeOutcome::Error { ref message } if message.contains("refused"))
    );
    assert!(observation.dialogue.is_none());
}
