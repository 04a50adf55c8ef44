//! What the tests share: a line-oriented client, TLS client configuration,
//! DNS queries, and a SubjectPublicKeyInfo extractor.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hickory_proto::op::{Edns, Message, Query};
use hickory_proto::rr::{Name, RecordType};
use mailtls_demo::DemoEnvironment;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

/// How long any single read in a test may take.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// A client of a line-based protocol.
pub struct LineClient<S> {
    stream: BufReader<S>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> LineClient<S> {
    pub fn new(stream: S) -> Self {
        Self {
            stream: BufReader::new(stream),
        }
    }

    /// One line, with its CRLF.
    pub async fn line(&mut self) -> String {
        let mut line = String::new();
        let read = timeout(READ_TIMEOUT, self.stream.read_line(&mut line))
            .await
            .expect("the server answers within the read timeout")
            .expect("reading from the server works");
        assert!(
            read > 0,
            "the server closed the connection while a line was expected"
        );
        line
    }

    /// An SMTP reply: lines until one whose fourth character is a space.
    pub async fn smtp_reply(&mut self) -> String {
        let mut reply = String::new();
        loop {
            let line = self.line().await;
            reply.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return reply;
            }
        }
    }

    /// Lines until one that starts with `prefix` (an IMAP tagged response).
    pub async fn lines_until(&mut self, prefix: &str) -> String {
        let mut lines = String::new();
        loop {
            let line = self.line().await;
            lines.push_str(&line);
            if line.starts_with(prefix) {
                return lines;
            }
        }
    }

    /// Everything until the server closes the connection.
    pub async fn rest(&mut self) -> String {
        let mut rest = String::new();
        timeout(READ_TIMEOUT, self.stream.read_to_string(&mut rest))
            .await
            .expect("the server closes within the read timeout")
            .expect("reading from the server works");
        rest
    }

    /// Everything until the server closes the connection, however long that
    /// takes (for tests on a paused clock).
    pub async fn rest_untimed(&mut self) -> String {
        let mut rest = String::new();
        self.stream.read_to_string(&mut rest).await.unwrap();
        rest
    }

    pub async fn send(&mut self, text: &str) {
        self.stream.get_mut().write_all(text.as_bytes()).await.unwrap();
        self.stream.get_mut().flush().await.unwrap();
    }

    /// The stream, for the TLS handshake. Nothing may be buffered: the server
    /// sends nothing after its TLS reply until the client's hello.
    pub fn into_inner(self) -> S {
        assert!(
            self.stream.buffer().is_empty(),
            "the server sent bytes after its TLS reply"
        );
        self.stream.into_inner()
    }
}

/// A rustls client configuration that trusts the demo CA and nothing else.
pub fn client_config(demo: &DemoEnvironment) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    roots.add(demo.ca_certificate_der().clone()).unwrap();
    let config = ClientConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// A TLS handshake that validates the certificate chain and `host`.
pub async fn handshake(demo: &DemoEnvironment, stream: TcpStream, host: &str) -> TlsStream<TcpStream> {
    let name = ServerName::try_from(host.to_owned()).unwrap();
    timeout(
        READ_TIMEOUT,
        TlsConnector::from(client_config(demo)).connect(name, stream),
    )
    .await
    .expect("the handshake completes within the read timeout")
    .expect("the server's certificate validates against the demo CA")
}

/// The certificate the server presented in `tls`.
pub fn peer_certificate(tls: &TlsStream<TcpStream>) -> CertificateDer<'static> {
    let (_, connection) = tls.get_ref();
    let chain = connection
        .peer_certificates()
        .expect("the server sent certificates");
    assert_eq!(chain.len(), 1, "the server sends the leaf only");
    chain[0].clone().into_owned()
}

pub fn query(name: &str, record_type: RecordType) -> Message {
    let mut message = Message::query();
    message.metadata.recursion_desired = false;
    message.add_query(Query::query(Name::from_ascii(name).unwrap(), record_type));
    let mut edns = Edns::new();
    edns.set_max_payload(1232);
    message.set_edns(edns);
    message
}

/// Sends `message` over UDP and returns the response with the same ID.
pub async fn ask_udp(server: SocketAddr, message: &Message) -> Message {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket.connect(server).await.unwrap();
    socket.send(&message.to_vec().unwrap()).await.unwrap();
    let mut buffer = vec![0_u8; 4096];
    loop {
        let length = timeout(READ_TIMEOUT, socket.recv(&mut buffer))
            .await
            .expect("the DNS server answers within the read timeout")
            .unwrap();
        let response = Message::from_vec(&buffer[..length]).unwrap();
        if response.metadata.id == message.metadata.id {
            return response;
        }
    }
}

/// Sends `message` over an open TCP connection and reads one response.
pub async fn ask_tcp(stream: &mut TcpStream, message: &Message) -> Message {
    let bytes = message.to_vec().unwrap();
    let mut framed = u16::try_from(bytes.len()).unwrap().to_be_bytes().to_vec();
    framed.extend_from_slice(&bytes);
    stream.write_all(&framed).await.unwrap();
    let mut length = [0_u8; 2];
    timeout(READ_TIMEOUT, stream.read_exact(&mut length))
        .await
        .expect("the DNS server answers within the read timeout")
        .unwrap();
    let mut response = vec![0_u8; usize::from(u16::from_be_bytes(length))];
    stream.read_exact(&mut response).await.unwrap();
    Message::from_vec(&response).unwrap()
}

/// The DER SubjectPublicKeyInfo of an X.509 certificate, with its header.
///
/// ```text
/// Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... }
/// TBSCertificate ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1,
///   serialNumber, signature, issuer, validity, subject,
///   subjectPublicKeyInfo SubjectPublicKeyInfo, ... }
/// ```
pub fn subject_public_key_info(certificate: &[u8]) -> Vec<u8> {
    let (_, certificate_body) = der_element(certificate);
    let (_, mut tbs) = der_element(certificate_body);
    if tbs[0] == 0xa0 {
        tbs = &tbs[der_element_len(tbs)..];
    }
    for _ in 0..5 {
        tbs = &tbs[der_element_len(tbs)..];
    }
    tbs[..der_element_len(tbs)].to_vec()
}

/// The length of the element at the start of `der`, header included, and its content.
fn der_element(der: &[u8]) -> (usize, &[u8]) {
    let (header, content) = der_header(der);
    (header + content, &der[header..header + content])
}

fn der_element_len(der: &[u8]) -> usize {
    der_element(der).0
}

/// The header length and the content length of the element at the start of `der`.
fn der_header(der: &[u8]) -> (usize, usize) {
    match der[1] {
        length @ 0..=0x7f => (2, usize::from(length)),
        long => {
            let octets = usize::from(long & 0x7f);
            let length = der[2..2 + octets]
                .iter()
                .fold(0, |length, &octet| length << 8 | usize::from(octet));
            (2 + octets, length)
        }
    }
}
