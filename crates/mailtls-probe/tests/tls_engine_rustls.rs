//! A real round trip: our TLS 1.2 ClientHello to an in-process rustls
//! server, its reply read through our RecordReader.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::Arc;
use std::time::Duration;

use mailtls_probe::tls_engine::extensions;
use mailtls_probe::tls_engine::server_messages::KeyExchangeParams;
use mailtls_probe::tls_engine::{
    ClientHelloSpec, ProtocolVersion, RecordReader, ServerEvent, pad_out_of_f5_range,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

async fn rustls_server() -> (std::net::SocketAddr, CertificateDer<'static>) {
    let certified = rcgen::generate_simple_self_signed(vec!["mx.example.test".to_owned()]).unwrap();
    let certificate = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()));
    let config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certificate.clone()], key)
            .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        // The client never finishes the handshake; the error is expected.
        let _ = acceptor.accept(socket).await;
    });
    (address, certificate)
}

const OFFERED: [u16; 6] = [0xC02B, 0xC02C, 0xC02F, 0xC030, 0xCCA8, 0xCCA9];

fn tls12_ecdhe_hello() -> ClientHelloSpec {
    let mut spec = ClientHelloSpec {
        record_version: ProtocolVersion::TLS1_0,
        client_version: ProtocolVersion::TLS1_2,
        random: [0x5A; 32],
        session_id: Vec::new(),
        cipher_suites: [OFFERED.as_slice(), &[0x00FF]].concat(),
        compression_methods: vec![0],
        extensions: vec![
            extensions::server_name("mx.example.test").unwrap(),
            extensions::supported_groups(&[0x001D, 0x0017]).unwrap(),
            extensions::ec_point_formats(&[0]).unwrap(),
            extensions::signature_algorithms(&[0x0403, 0x0804, 0x0401]).unwrap(),
            extensions::extended_master_secret(),
        ],
    };
    pad_out_of_f5_range(&mut spec).unwrap();
    spec
}

async fn read_until_done(stream: &mut TcpStream) -> Vec<ServerEvent> {
    let mut reader = RecordReader::new();
    let mut events = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .unwrap()
            .unwrap();
        if read == 0 {
            reader.end_of_stream();
        }
        events.extend(reader.feed(&chunk[..read]));
        if read == 0
            || events
                .iter()
                .any(|event| matches!(event, ServerEvent::ServerHelloDone))
        {
            return events;
        }
    }
}

#[tokio::test]
async fn rustls_answers_our_tls12_hello_with_an_offered_suite_and_its_certificate() {
    let (address, certificate) = rustls_server().await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(&tls12_ecdhe_hello().to_record().unwrap())
        .await
        .unwrap();
    let events = read_until_done(&mut stream).await;

    let ServerEvent::ServerHello(hello) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(hello.negotiated_version(), ProtocolVersion::TLS1_2);
    assert!(
        OFFERED.contains(&hello.cipher_suite),
        "0x{:04X}",
        hello.cipher_suite
    );
    assert!(hello.extended_master_secret);
    assert_eq!(hello.renegotiation_info, Some(Vec::new()));
    assert_eq!(
        events[1],
        ServerEvent::Certificate {
            der_chain: vec![certificate.to_vec()]
        }
    );
    let ServerEvent::ServerKeyExchange(key_exchange) = &events[2] else {
        panic!("{events:?}")
    };
    assert_eq!(
        key_exchange.params,
        KeyExchangeParams::Ec {
            curve_type: 3,
            named_curve: Some(0x001D)
        }
    );
    assert_eq!(key_exchange.signature_scheme, Some(0x0403));
    assert_eq!(events[3], ServerEvent::ServerHelloDone);
}
