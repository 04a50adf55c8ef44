//! IMAP with STARTTLS, and IMAP on implicit TLS.

use mailtls_core::MailProtocol;
use mailtls_demo::DemoEnvironment;
use tokio::net::TcpStream;

use crate::support::{LineClient, handshake, peer_certificate};

#[tokio::test]
async fn imap_starttls_then_capability_offers_auth_plain() {
    let demo = DemoEnvironment::start().await.unwrap();
    let service = demo.service(MailProtocol::Imap).unwrap();
    let mut client = LineClient::new(TcpStream::connect(service.address).await.unwrap());
    assert_eq!(
        client.line().await,
        "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED ID] mailtls demo ready\r\n"
    );
    client.send("a1 CAPABILITY\r\n").await;
    assert_eq!(
        client.lines_until("a1 ").await,
        "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED ID\r\na1 OK CAPABILITY completed\r\n"
    );
    client.send("a2 STARTTLS\r\n").await;
    assert_eq!(client.line().await, "a2 OK Begin TLS negotiation now\r\n");

    let tls = handshake(&demo, client.into_inner(), "imap.demo.mailtls.test").await;
    assert_eq!(peer_certificate(&tls), service.certificate);
    let mut client = LineClient::new(tls);
    client.send("a3 CAPABILITY\r\n").await;
    assert_eq!(
        client.lines_until("a3 ").await,
        "* CAPABILITY IMAP4rev1 AUTH=PLAIN ID\r\na3 OK CAPABILITY completed\r\n"
    );
    client.send("a4 LOGOUT\r\n").await;
    assert_eq!(
        client.rest().await,
        "* BYE mailtls demo logging out\r\na4 OK LOGOUT completed\r\n"
    );
}

#[tokio::test]
async fn imap_unknown_command_is_bad_with_its_tag() {
    let demo = DemoEnvironment::start().await.unwrap();
    let service = demo.service(MailProtocol::Imap).unwrap();
    let mut client = LineClient::new(TcpStream::connect(service.address).await.unwrap());
    client.line().await;
    client.send("x7 FETCH 1 BODY[]\r\n").await;
    assert_eq!(client.line().await, "x7 BAD Unknown command\r\n");
}

#[tokio::test]
async fn imaps_greets_inside_tls_with_the_tls_capabilities() {
    let demo = DemoEnvironment::start().await.unwrap();
    let service = demo.service(MailProtocol::Imaps).unwrap();
    let stream = TcpStream::connect(service.address).await.unwrap();
    let tls = handshake(&demo, stream, "imap.demo.mailtls.test").await;
    let mut client = LineClient::new(tls);
    assert_eq!(
        client.line().await,
        "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN ID] mailtls demo ready\r\n"
    );
    client.send("b1 NOOP\r\n").await;
    assert_eq!(client.line().await, "b1 OK NOOP completed\r\n");
}
