//! POP3 with STLS.

use mailtls_core::MailProtocol;
use mailtls_demo::DemoEnvironment;
use tokio::net::TcpStream;

use crate::support::{LineClient, handshake};

#[tokio::test]
async fn pop3_capa_then_stls_handshake_then_capa_offers_user() {
    let demo = DemoEnvironment::start().await.unwrap();
    let service = demo.service(MailProtocol::Pop3).unwrap();
    let mut client = LineClient::new(TcpStream::connect(service.address).await.unwrap());
    assert_eq!(client.line().await, "+OK mailtls demo POP3 ready\r\n");
    client.send("CAPA\r\n").await;
    assert_eq!(
        client.lines_until(".\r\n").await,
        "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nSTLS\r\n.\r\n"
    );
    client.send("USER alice\r\n").await;
    assert_eq!(
        client.line().await,
        "-ERR [AUTH] Plaintext authentication is disabled until TLS is active\r\n"
    );
    client.send("STLS\r\n").await;
    assert_eq!(client.line().await, "+OK Begin TLS\r\n");

    let tls = handshake(&demo, client.into_inner(), "imap.demo.mailtls.test").await;
    let mut client = LineClient::new(tls);
    client.send("CAPA\r\n").await;
    assert_eq!(
        client.lines_until(".\r\n").await,
        "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nUSER\r\n.\r\n"
    );
    client.send("QUIT\r\n").await;
    assert_eq!(client.rest().await, "+OK mailtls demo POP3 signing off\r\n");
}
