//! SMTP with STARTTLS on the MX, and submissions on implicit TLS.

use mailtls_core::MailProtocol;
use mailtls_demo::DemoEnvironment;
use tokio::net::TcpStream;

use crate::support::{LineClient, handshake, peer_certificate};

const GREETING: &str = "220-mx1.demo.mailtls.test ESMTP mailtls demo\r\n\
                        220 mx1.demo.mailtls.test a demonstration server on loopback; it accepts no mail\r\n";
const EHLO_PLAINTEXT: &str = "250-mx1.demo.mailtls.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n\
                              250-8BITMIME\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n\
                              250 CHUNKING\r\n";
const EHLO_TLS: &str = "250-mx1.demo.mailtls.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n\
                        250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n\
                        250 CHUNKING\r\n";

async fn connect(demo: &DemoEnvironment, protocol: MailProtocol) -> TcpStream {
    TcpStream::connect(demo.service(protocol).unwrap().address)
        .await
        .unwrap()
}

#[tokio::test]
async fn greeting_is_multiline_and_names_mx1() {
    let demo = DemoEnvironment::start().await.unwrap();
    let mut client = LineClient::new(connect(&demo, MailProtocol::Smtp).await);
    assert_eq!(client.smtp_reply().await, GREETING);
}

#[tokio::test]
async fn ehlo_in_plaintext_advertises_starttls_and_no_auth() {
    let demo = DemoEnvironment::start().await.unwrap();
    let mut client = LineClient::new(connect(&demo, MailProtocol::Smtp).await);
    client.smtp_reply().await;
    client.send("EHLO client.example\r\n").await;
    assert_eq!(client.smtp_reply().await, EHLO_PLAINTEXT);
}

#[tokio::test]
async fn starttls_handshake_validates_mx1_and_ehlo_inside_tls_offers_auth() {
    let demo = DemoEnvironment::start().await.unwrap();
    let mut client = LineClient::new(connect(&demo, MailProtocol::Smtp).await);
    client.smtp_reply().await;
    client.send("EHLO client.example\r\n").await;
    client.smtp_reply().await;
    client.send("STARTTLS\r\n").await;
    assert_eq!(client.smtp_reply().await, "220 2.0.0 Ready to start TLS\r\n");

    let tls = handshake(&demo, client.into_inner(), "mx1.demo.mailtls.test").await;
    assert_eq!(
        peer_certificate(&tls),
        demo.service(MailProtocol::Smtp).unwrap().certificate
    );
    let mut client = LineClient::new(tls);
    client.send("EHLO client.example\r\n").await;
    assert_eq!(client.smtp_reply().await, EHLO_TLS);
    client.send("QUIT\r\n").await;
    assert_eq!(client.smtp_reply().await, "221 2.0.0 Bye\r\n");
}

#[tokio::test]
async fn command_pipelined_after_starttls_is_not_executed_inside_tls() {
    let demo = DemoEnvironment::start().await.unwrap();
    let mut client = LineClient::new(connect(&demo, MailProtocol::Smtp).await);
    client.smtp_reply().await;
    client.send("EHLO client.example\r\n").await;
    client.smtp_reply().await;
    // The injection: a plaintext command in the same segment as STARTTLS.
    client.send("STARTTLS\r\nNOOP\r\n").await;
    assert_eq!(client.smtp_reply().await, "220 2.0.0 Ready to start TLS\r\n");

    let tls = handshake(&demo, client.into_inner(), "mx1.demo.mailtls.test").await;
    let mut client = LineClient::new(tls);
    client.send("EHLO client.example\r\nQUIT\r\n").await;
    // A vulnerable server would answer the injected NOOP ("250 2.0.0 Ok") first.
    assert_eq!(client.rest().await, format!("{EHLO_TLS}221 2.0.0 Bye\r\n"));
}

#[tokio::test]
async fn line_over_1000_octets_is_refused_and_the_session_continues() {
    let demo = DemoEnvironment::start().await.unwrap();
    let mut client = LineClient::new(connect(&demo, MailProtocol::Smtp).await);
    client.smtp_reply().await;
    client.send(&format!("NOOP {}\r\n", "x".repeat(2000))).await;
    assert_eq!(client.smtp_reply().await, "500 5.5.2 Error: line too long\r\n");
    client.send("NOOP\r\n").await;
    assert_eq!(client.smtp_reply().await, "250 2.0.0 Ok\r\n");
}

#[tokio::test]
async fn too_many_errors_end_the_session_with_421() {
    let demo = DemoEnvironment::start().await.unwrap();
    let mut client = LineClient::new(connect(&demo, MailProtocol::Smtp).await);
    client.smtp_reply().await;
    client.send(&"BOGUS\r\n".repeat(10)).await;
    let expected = format!(
        "{}421 4.7.0 mx1.demo.mailtls.test Error: too many errors\r\n",
        "500 5.5.2 Error: command not recognized\r\n".repeat(9)
    );
    assert_eq!(client.rest().await, expected);
}

#[tokio::test]
async fn mail_from_is_refused() {
    let demo = DemoEnvironment::start().await.unwrap();
    let mut client = LineClient::new(connect(&demo, MailProtocol::Smtp).await);
    client.smtp_reply().await;
    client
        .send("EHLO client.example\r\nMAIL FROM:<alice@example.org>\r\n")
        .await;
    client.smtp_reply().await;
    assert_eq!(
        client.smtp_reply().await,
        "554 5.7.1 demo server accepts no mail\r\n"
    );
}

#[tokio::test]
async fn submissions_greets_inside_implicit_tls_and_offers_auth() {
    let demo = DemoEnvironment::start().await.unwrap();
    let stream = connect(&demo, MailProtocol::Submissions).await;
    let tls = handshake(&demo, stream, "mx1.demo.mailtls.test").await;
    let mut client = LineClient::new(tls);
    assert_eq!(client.smtp_reply().await, GREETING);
    client.send("EHLO client.example\r\n").await;
    assert_eq!(client.smtp_reply().await, EHLO_TLS);
}

#[tokio::test]
async fn smtp_serves_the_same_port_on_ipv6_loopback_when_available() {
    let demo = DemoEnvironment::start().await.unwrap();
    let service = demo.service(MailProtocol::Smtp).unwrap();
    let Some(v6) = service.addresses.iter().find(|address| address.is_ipv6()) else {
        println!("no IPv6 loopback on this host; nothing to check");
        return;
    };
    assert_eq!(v6.port(), service.address.port());
    let mut client = LineClient::new(TcpStream::connect(v6).await.unwrap());
    assert_eq!(client.smtp_reply().await, GREETING);
}

#[tokio::test(start_paused = true)]
async fn silent_client_is_disconnected_after_60_seconds() {
    let demo = DemoEnvironment::start().await.unwrap();
    let mut client = LineClient::new(connect(&demo, MailProtocol::Smtp).await);
    client.smtp_reply().await;
    let silent_since = tokio::time::Instant::now();
    assert_eq!(
        client.rest_untimed().await,
        "421 4.4.2 mx1.demo.mailtls.test Error: timeout exceeded\r\n"
    );
    assert_eq!(silent_since.elapsed().as_secs(), 60);
}
