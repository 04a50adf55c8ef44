//! The active probes against scripted in-process servers (vulnerable and
//! not), in-process rustls servers, silent and resetting servers; and, marked
//! `#[ignore]`, against the lab's real servers.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::print_stdout
)]

mod pki;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use mailtls_core::transport::BoxStream;
use mailtls_core::{CheckMethod, Support, Vulnerability, VulnerabilityCheck, VulnerabilityResult};
use mailtls_probe::TrustAnchors;
use mailtls_probe::danger::ObservingVerifier;
use mailtls_probe::tls_engine::active::heartbleed::HeartbeatMessage;
use mailtls_probe::tls_engine::active::robot::RsaPublicKey;
use mailtls_probe::tls_engine::active::{
    ActiveContext, check_ccs_injection, check_fallback_scsv, check_heartbleed, check_robot,
    check_session_resumption, run_active,
};
use mailtls_probe::tls_engine::earlier::SessionRecorder;
use mailtls_probe::tls_engine::{HandshakeOpener, OpenError, ProtocolVersion};
use num_bigint::BigUint;
use proptest::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use x509_cert::der::asn1::{OctetStringRef, UintRef};
use x509_cert::der::{Any, Decode, Reader, SliceReader};

// ---------------------------------------------------------------------------
// Openers and servers

struct TcpOpener {
    address: SocketAddr,
}

#[async_trait]
impl HandshakeOpener for TcpOpener {
    async fn open(&self) -> Result<BoxStream, OpenError> {
        TcpStream::connect(self.address)
            .await
            .map(|stream| Box::new(stream) as BoxStream)
            .map_err(|error| OpenError::Connect {
                message: error.to_string(),
            })
    }

    fn server_name(&self) -> Option<&str> {
        Some("mx.example.test")
    }
}

/// A server that runs `handler` on every connection, with its 0-based index,
/// and counts the connections.
async fn serve<F, Fut>(handler: F) -> (TcpOpener, Arc<AtomicU64>)
where
    F: Fn(TcpStream, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let count = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let index = counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(handler(socket, index));
        }
    });
    (TcpOpener { address }, count)
}

const TIMEOUT: Duration = Duration::from_millis(400);

fn context(versions: &[ProtocolVersion], suites: &[u16]) -> ActiveContext {
    ActiveContext {
        versions: versions.to_vec(),
        suites: versions
            .iter()
            .map(|version| (*version, suites.to_vec()))
            .collect(),
        heartbeat_echoed: false,
        server_name: Some("mx.example.test".to_owned()),
        timeout: TIMEOUT,
        lanes: 2,
        sessions: None,
        ccs_injection: None,
    }
}

// ---------------------------------------------------------------------------
// Scripted TLS: just enough of a server's side of the wire

/// Reads one record; `None` on EOF, error or after two seconds.
async fn read_record(stream: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
    tokio::time::timeout(Duration::from_secs(2), async {
        let mut header = [0u8; 5];
        stream.read_exact(&mut header).await.ok()?;
        let length = usize::from(u16::from_be_bytes([header[3], header[4]]));
        let mut fragment = vec![0u8; length];
        stream.read_exact(&mut fragment).await.ok()?;
        Some((header[0], fragment))
    })
    .await
    .ok()
    .flatten()
}

fn record(content_type: u8, version: u16, fragment: &[u8]) -> Vec<u8> {
    let mut out = vec![content_type];
    out.extend(version.to_be_bytes());
    out.extend((fragment.len() as u16).to_be_bytes());
    out.extend(fragment);
    out
}

fn handshake(msg_type: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![msg_type];
    out.extend(&(body.len() as u32).to_be_bytes()[1..]);
    out.extend(body);
    out
}

/// The ClientHello's client_version and cipher suites.
fn parse_client_hello(fragment: &[u8]) -> (u16, Vec<u16>) {
    let body = &fragment[4..];
    let version = u16::from_be_bytes([body[0], body[1]]);
    let session_id_length = usize::from(body[34]);
    let at = 35 + session_id_length;
    let suites_length = usize::from(u16::from_be_bytes([body[at], body[at + 1]]));
    let suites = body[at + 2..at + 2 + suites_length]
        .chunks(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    (version, suites)
}

/// ServerHello, Certificate (when `certificate` is given) and
/// ServerHelloDone in one record.
fn first_flight(version: u16, suite: u16, heartbeat: bool, certificate: Option<&[u8]>) -> Vec<u8> {
    let mut hello = version.to_be_bytes().to_vec();
    hello.extend([0x11; 32]);
    hello.push(0);
    hello.extend(suite.to_be_bytes());
    hello.push(0);
    if heartbeat {
        hello.extend([0, 5, 0, 0x0F, 0, 1, 1]);
    }
    let mut messages = handshake(2, &hello);
    if let Some(der) = certificate {
        let mut entry = (der.len() as u32).to_be_bytes()[1..].to_vec();
        entry.extend(der);
        let mut list = (entry.len() as u32).to_be_bytes()[1..].to_vec();
        list.extend(entry);
        messages.extend(handshake(11, &list));
    }
    messages.extend(handshake(14, &[]));
    record(22, version, &messages)
}

/// Reads the ClientHello and answers with the first flight at TLS 1.2.
async fn answer_hello(stream: &mut TcpStream, suite: u16, heartbeat: bool, certificate: Option<&[u8]>) {
    read_record(stream).await.unwrap();
    stream
        .write_all(&first_flight(0x0303, suite, heartbeat, certificate))
        .await
        .unwrap();
}

/// Keeps the connection open, reading and dropping, until the client closes.
async fn linger(mut stream: TcpStream) {
    let mut sink = [0u8; 1024];
    while let Ok(Ok(read)) = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut sink)).await {
        if read == 0 {
            break;
        }
    }
}

const TLS12: [ProtocolVersion; 1] = [ProtocolVersion::TLS1_2];
/// TLS_RSA_WITH_AES_128_CBC_SHA.
const RSA_SUITE: u16 = 0x002F;
/// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.
const ECDHE_SUITE: u16 = 0xC02F;

fn active(vulnerability: Vulnerability, result: VulnerabilityResult, connections: u64) -> VulnerabilityCheck {
    VulnerabilityCheck {
        vulnerability,
        method: CheckMethod::Active,
        result,
        connections,
    }
}

// ---------------------------------------------------------------------------
// Heartbleed

#[tokio::test]
async fn heartbleed_is_found_when_the_response_carries_memory() {
    let (opener, accepted) = serve(|mut stream, _| async move {
        answer_hello(&mut stream, ECDHE_SUITE, true, None).await;
        let (content_type, request) = read_record(&mut stream).await.unwrap();
        assert_eq!((content_type, request), (24, vec![1, 0x40, 0]));
        let mut response = vec![2, 0x40, 0];
        response.extend([0xAB; 100]);
        stream.write_all(&record(24, 0x0303, &response)).await.unwrap();
        linger(stream).await;
    })
    .await;
    let mut context = context(&TLS12, &[ECDHE_SUITE]);
    context.heartbeat_echoed = true;
    let check = check_heartbleed(&opener, &context).await;
    assert_eq!(
        check,
        active(
            Vulnerability::Heartbleed,
            VulnerabilityResult::Vulnerable {
                evidence: format!(
                    "a heartbeat request with no payload claiming 16384 bytes got a response with \
                     payload_length 16384 and 100 bytes of server memory, starting {}",
                    "ab".repeat(32)
                )
            },
            1
        )
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn heartbleed_is_not_found_when_the_request_is_dropped() {
    let (opener, _) = serve(|mut stream, _| async move {
        answer_hello(&mut stream, ECDHE_SUITE, true, None).await;
        linger(stream).await;
    })
    .await;
    let mut context = context(&TLS12, &[ECDHE_SUITE]);
    context.heartbeat_echoed = true;
    let check = check_heartbleed(&opener, &context).await;
    assert_eq!(
        check.result,
        VulnerabilityResult::NotVulnerable {
            evidence: "the malformed heartbeat request was not answered: no reply within 400 ms \
                       (a close_notify followed the request)"
                .to_owned()
        }
    );
    assert_eq!(check.connections, 1);
}

#[tokio::test]
async fn heartbleed_needs_no_wait_when_the_server_closes_at_the_close_notify() {
    let (opener, _) = serve(|mut stream, _| async move {
        answer_hello(&mut stream, ECDHE_SUITE, true, None).await;
        // The malformed request is dropped; the alert after it ends the connection.
        assert_eq!(read_record(&mut stream).await, Some((24, vec![1, 0x40, 0])));
        assert_eq!(read_record(&mut stream).await, Some((21, vec![1, 0])));
    })
    .await;
    let mut context = context(&TLS12, &[ECDHE_SUITE]);
    context.heartbeat_echoed = true;
    context.timeout = Duration::from_secs(10);
    let started = Instant::now();
    let check = check_heartbleed(&opener, &context).await;
    assert_eq!(
        check.result,
        VulnerabilityResult::NotVulnerable {
            evidence: "the malformed heartbeat request was not answered: connection closed \
                       (a close_notify followed the request)"
                .to_owned()
        }
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn heartbleed_is_not_found_when_the_server_alerts() {
    let (opener, _) = serve(|mut stream, _| async move {
        answer_hello(&mut stream, ECDHE_SUITE, true, None).await;
        read_record(&mut stream).await.unwrap();
        stream.write_all(&record(21, 0x0303, &[2, 10])).await.unwrap();
    })
    .await;
    let mut context = context(&TLS12, &[ECDHE_SUITE]);
    context.heartbeat_echoed = true;
    let check = check_heartbleed(&opener, &context).await;
    assert_eq!(
        check.result,
        VulnerabilityResult::NotVulnerable {
            evidence: "the malformed heartbeat request was not answered: alert unexpected_message(10) \
                       (a close_notify followed the request)"
                .to_owned()
        }
    );
}

#[tokio::test]
async fn heartbleed_needs_an_echoed_heartbeat_and_opens_nothing_without() {
    let (opener, accepted) = serve(|stream, _| linger(stream)).await;
    let check = check_heartbleed(&opener, &context(&TLS12, &[ECDHE_SUITE])).await;
    assert_eq!(
        check,
        active(
            Vulnerability::Heartbleed,
            VulnerabilityResult::NotVulnerable {
                evidence: "precondition not met: no ServerHello echoed the heartbeat extension".to_owned()
            },
            0
        )
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

// ---------------------------------------------------------------------------
// CCS injection

#[tokio::test]
async fn ccs_injection_is_found_when_the_second_ccs_fails_its_mac() {
    let (opener, _) = serve(|mut stream, _| async move {
        answer_hello(&mut stream, ECDHE_SUITE, false, None).await;
        assert_eq!(read_record(&mut stream).await.unwrap(), (20, vec![1]));
        assert_eq!(read_record(&mut stream).await.unwrap(), (20, vec![1]));
        stream.write_all(&record(21, 0x0303, &[2, 20])).await.unwrap();
    })
    .await;
    let check = check_ccs_injection(&opener, &context(&TLS12, &[ECDHE_SUITE])).await;
    assert_eq!(
        check,
        active(
            Vulnerability::CcsInjection,
            VulnerabilityResult::Vulnerable {
                evidence: "two early ChangeCipherSpec records were answered with alert \
                           bad_record_mac(20): the first was accepted and the second failed under \
                           keys from an empty master secret"
                    .to_owned()
            },
            1
        )
    );
}

#[tokio::test]
async fn ccs_injection_is_not_found_when_the_early_ccs_is_refused() {
    let (opener, _) = serve(|mut stream, _| async move {
        answer_hello(&mut stream, ECDHE_SUITE, false, None).await;
        read_record(&mut stream).await.unwrap();
        stream.write_all(&record(21, 0x0303, &[2, 10])).await.unwrap();
    })
    .await;
    let check = check_ccs_injection(&opener, &context(&TLS12, &[ECDHE_SUITE])).await;
    assert_eq!(
        check.result,
        VulnerabilityResult::NotVulnerable {
            evidence: "two early ChangeCipherSpec records were refused with alert unexpected_message(10)"
                .to_owned()
        }
    );
    assert_eq!(check.connections, 1);
}

#[tokio::test]
async fn ccs_injection_is_not_found_on_rustls() {
    let acceptor = pki::self_signed_acceptor("mx.example.test");
    let (opener, _) = serve(move |stream, _| {
        let acceptor = acceptor.clone();
        async move {
            let _ = acceptor.accept(stream).await;
        }
    })
    .await;
    let check = check_ccs_injection(&opener, &context(&TLS12, &[0xC02B])).await;
    assert_eq!(
        check.result,
        VulnerabilityResult::NotVulnerable {
            evidence: "two early ChangeCipherSpec records were refused with alert unexpected_message(10)"
                .to_owned()
        }
    );
}

#[tokio::test]
async fn ccs_injection_needs_a_version_below_tls13() {
    let (opener, accepted) = serve(|stream, _| linger(stream)).await;
    let check = check_ccs_injection(&opener, &context(&[ProtocolVersion::TLS1_3], &[0x1301])).await;
    assert_eq!(
        check.result,
        VulnerabilityResult::NotVulnerable {
            evidence: "precondition not met: no version from SSL 3.0 to TLS 1.2 is supported".to_owned()
        }
    );
    assert_eq!((check.connections, accepted.load(Ordering::SeqCst)), (0, 0));
}

// ---------------------------------------------------------------------------
// ROBOT

/// An RSA key for the scripted servers: the certificate and the private
/// exponent.
struct RsaServerKey {
    certificate: Vec<u8>,
    modulus: BigUint,
    private_exponent: BigUint,
}

fn rsa_server_key() -> Arc<RsaServerKey> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let certificate = rcgen::CertificateParams::new(vec!["mx.example.test".to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap()
        .der()
        .to_vec();
    // PKCS#8 PrivateKeyInfo { version, algorithm, OCTET STRING RSAPrivateKey
    // { version, n, e, d, ... } }.
    let pkcs8 = key.serialize_der();
    let mut reader = SliceReader::new(&pkcs8).unwrap();
    let inner = reader
        .sequence(|fields| {
            UintRef::decode(fields)?;
            Any::decode(fields)?;
            let octets = <&OctetStringRef>::decode(fields)?;
            let rest = fields.read_slice(fields.remaining_len())?;
            let _ = rest;
            Ok::<_, x509_cert::der::Error>(octets.as_bytes().to_vec())
        })
        .unwrap();
    let mut reader = SliceReader::new(&inner).unwrap();
    let (modulus, private_exponent) = reader
        .sequence(|fields| {
            UintRef::decode(fields)?;
            let n = UintRef::decode(fields)?;
            UintRef::decode(fields)?;
            let d = UintRef::decode(fields)?;
            let result = (
                BigUint::from_bytes_be(n.as_bytes()),
                BigUint::from_bytes_be(d.as_bytes()),
            );
            let rest = fields.remaining_len();
            fields.read_slice(rest)?;
            Ok::<_, x509_cert::der::Error>(result)
        })
        .unwrap();
    Arc::new(RsaServerKey {
        certificate,
        modulus,
        private_exponent,
    })
}

/// What the scripted server finds in the decrypted premaster secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decrypted {
    WrongHeader,
    HeaderOnly,
    Conforming,
}

fn classify(plaintext: &[u8]) -> Decrypted {
    if plaintext.get(..2) != Some(&[0x00, 0x02][..]) {
        return Decrypted::WrongHeader;
    }
    match plaintext.iter().skip(2).position(|&octet| octet == 0) {
        Some(zero) if plaintext.len() - (zero + 3) == 48 => Decrypted::Conforming,
        _ => Decrypted::HeaderOnly,
    }
}

/// A server that decrypts the ClientKeyExchange and answers with
/// `alert_for(what it found)`, then closes.
async fn robot_server(key: Arc<RsaServerKey>, alert_for: fn(Decrypted) -> u8) -> (TcpOpener, Arc<AtomicU64>) {
    serve(move |mut stream, _| {
        let key = Arc::clone(&key);
        async move {
            answer_hello(&mut stream, RSA_SUITE, false, Some(&key.certificate)).await;
            let (content_type, message) = read_record(&mut stream).await.unwrap();
            assert_eq!((content_type, message[0]), (22, 16));
            let ciphertext = &message[6..];
            let k = ciphertext.len();
            let plaintext = BigUint::from_bytes_be(ciphertext)
                .modpow(&key.private_exponent, &key.modulus)
                .to_bytes_be();
            let mut padded = vec![0u8; k - plaintext.len()];
            padded.extend(plaintext);
            assert_eq!(read_record(&mut stream).await.unwrap(), (20, vec![1]));
            let (finished_type, _) = read_record(&mut stream).await.unwrap();
            assert_eq!(finished_type, 22);
            let description = alert_for(classify(&padded));
            stream
                .write_all(&record(21, 0x0303, &[2, description]))
                .await
                .unwrap();
        }
    })
    .await
}

#[tokio::test]
async fn robot_is_found_when_the_alert_depends_on_the_padding() {
    let key = rsa_server_key();
    let (opener, accepted) = robot_server(key, |found| match found {
        Decrypted::WrongHeader => 51,
        Decrypted::HeaderOnly | Decrypted::Conforming => 20,
    })
    .await;
    let check = check_robot(&opener, &context(&TLS12, &[ECDHE_SUITE, RSA_SUITE])).await;
    let mac = "alert bad_record_mac(20), then connection closed";
    let decrypt = "alert decrypt_error(51), then connection closed";
    assert_eq!(
        check,
        active(
            Vulnerability::Robot,
            VulnerabilityResult::Vulnerable {
                evidence: format!(
                    "TLSv1.2: strong Bleichenbacher oracle, reactions differ consistently: \
                     correct: {mac}; wrong first bytes: {decrypt}; 0x00 misplaced: {mac}; \
                     no 0x00 separator: {mac}; wrong version: {mac}"
                )
            },
            10
        )
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 10);
}

#[tokio::test]
async fn robot_is_weak_when_only_conforming_plaintexts_stand_out() {
    let key = rsa_server_key();
    let (opener, _) = robot_server(key, |found| match found {
        Decrypted::WrongHeader | Decrypted::HeaderOnly => 51,
        Decrypted::Conforming => 20,
    })
    .await;
    let check = check_robot(&opener, &context(&TLS12, &[RSA_SUITE])).await;
    let VulnerabilityResult::Vulnerable { evidence } = &check.result else {
        panic!("{check:?}");
    };
    assert!(
        evidence.starts_with("TLSv1.2: weak Bleichenbacher oracle"),
        "{evidence}"
    );
    // Correct and wrong version differ from the baseline: those two and the
    // baseline are repeated.
    assert_eq!(check.connections, 8);
}

#[tokio::test]
async fn robot_is_not_found_when_every_payload_gets_the_same_answer() {
    let key = rsa_server_key();
    let (opener, accepted) = robot_server(key, |_| 20).await;
    let check = check_robot(&opener, &context(&TLS12, &[RSA_SUITE])).await;
    assert_eq!(
        check,
        active(
            Vulnerability::Robot,
            VulnerabilityResult::NotVulnerable {
                evidence: "TLSv1.2: the same reaction to all five ClientKeyExchange payloads: \
                           alert bad_record_mac(20), then connection closed"
                    .to_owned()
            },
            5
        )
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn robot_needs_rsa_key_transport() {
    let (opener, accepted) = serve(|stream, _| linger(stream)).await;
    let check = check_robot(&opener, &context(&TLS12, &[ECDHE_SUITE])).await;
    assert_eq!(
        check.result,
        VulnerabilityResult::NotVulnerable {
            evidence: "precondition not met: no RSA key-transport suite is accepted".to_owned()
        }
    );
    assert_eq!((check.connections, accepted.load(Ordering::SeqCst)), (0, 0));
}

#[test]
fn the_rsa_key_is_read_from_the_certificate() {
    let key = rsa_server_key();
    let public = RsaPublicKey::from_certificate(&key.certificate).unwrap();
    assert_eq!(public.modulus, key.modulus);
    assert_eq!(public.exponent, BigUint::from(65_537u32));
    assert_eq!(public.octets(), 256);
    let ecdsa = rcgen::generate_simple_self_signed(vec!["a.test".to_owned()]).unwrap();
    assert_eq!(RsaPublicKey::from_certificate(ecdsa.cert.der()), None);
}

// ---------------------------------------------------------------------------
// TLS_FALLBACK_SCSV

/// A server of TLS 1.1 and 1.2 that honours the SCSV when `honour`.
async fn fallback_server(honour: bool) -> (TcpOpener, Arc<AtomicU64>) {
    serve(move |mut stream, _| async move {
        let (_, hello) = read_record(&mut stream).await.unwrap();
        let (version, suites) = parse_client_hello(&hello);
        if honour && suites.contains(&0x5600) && version < 0x0303 {
            stream.write_all(&record(21, version, &[2, 86])).await.unwrap();
            return;
        }
        stream
            .write_all(&first_flight(version, ECDHE_SUITE, false, None))
            .await
            .unwrap();
        linger(stream).await;
    })
    .await
}

const TLS11_AND_12: [ProtocolVersion; 2] = [ProtocolVersion::TLS1_1, ProtocolVersion::TLS1_2];

#[tokio::test]
async fn fallback_scsv_is_honoured_when_the_server_refuses_the_fallback() {
    let (opener, _) = fallback_server(true).await;
    let (feature, connections) = check_fallback_scsv(&opener, &context(&TLS11_AND_12, &[ECDHE_SUITE])).await;
    assert_eq!(
        feature.support,
        Support::Yes {
            evidence: "a TLSv1.1 hello with TLS_FALLBACK_SCSV (highest supported: TLSv1.2) was refused \
                       with alert inappropriate_fallback(86)"
                .to_owned()
        }
    );
    assert_eq!(connections, 1);
}

#[tokio::test]
async fn fallback_scsv_is_not_honoured_when_the_server_falls_back() {
    let (opener, _) = fallback_server(false).await;
    let (feature, connections) = check_fallback_scsv(&opener, &context(&TLS11_AND_12, &[ECDHE_SUITE])).await;
    assert_eq!(
        feature.support,
        Support::No {
            evidence: "a TLSv1.1 hello with TLS_FALLBACK_SCSV (highest supported: TLSv1.2) was accepted: \
                       ServerHello TLSv1.1 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
                .to_owned()
        }
    );
    assert_eq!(connections, 1);
}

#[tokio::test]
async fn a_server_that_closes_on_the_fallback_hello_honours_the_scsv() {
    // Dovecot closes the connection without its alert; the same version and
    // suites were accepted without the SCSV, so the close is the refusal.
    let (opener, _) = serve(|mut stream, _| async move {
        let _ = read_record(&mut stream).await.unwrap();
    })
    .await;
    let (feature, connections) = check_fallback_scsv(&opener, &context(&TLS11_AND_12, &[ECDHE_SUITE])).await;
    assert_eq!(
        feature.support,
        Support::Yes {
            evidence: "a TLSv1.1 hello with TLS_FALLBACK_SCSV (highest supported: TLSv1.2) was refused \
                       (connection closed), although the same version and suites were accepted without \
                       it"
            .to_owned()
        }
    );
    assert_eq!(connections, 1);
}

#[tokio::test]
async fn fallback_scsv_is_not_tested_with_one_version() {
    let (opener, accepted) = serve(|stream, _| linger(stream)).await;
    let (feature, connections) = check_fallback_scsv(&opener, &context(&TLS12, &[ECDHE_SUITE])).await;
    assert_eq!(
        feature.support,
        Support::NotTested {
            reason: "only one protocol version is supported: there is nothing to fall back to".to_owned()
        }
    );
    assert_eq!((connections, accepted.load(Ordering::SeqCst)), (0, 0));
}

// ---------------------------------------------------------------------------
// Session resumption

fn rustls_server(resumption: bool) -> tokio_rustls::TlsAcceptor {
    rustls_server_for(resumption, rustls::DEFAULT_VERSIONS)
}

fn rustls_server_for(
    resumption: bool,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> tokio_rustls::TlsAcceptor {
    let certified = rcgen::generate_simple_self_signed(vec!["mx.example.test".to_owned()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(rustls::pki_types::PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
    if !resumption {
        config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
        config.send_tls13_tickets = 0;
    }
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

async fn serve_rustls(acceptor: tokio_rustls::TlsAcceptor) -> (TcpOpener, Arc<AtomicU64>) {
    serve(move |stream, _| {
        let acceptor = acceptor.clone();
        async move {
            if let Ok(mut tls) = acceptor.accept(stream).await {
                let mut sink = [0u8; 256];
                let _ = tokio::time::timeout(Duration::from_secs(5), tls.read(&mut sink)).await;
            }
        }
    })
    .await
}

#[tokio::test]
async fn session_resumption_works_with_tls13_tickets() {
    let (opener, accepted) = serve_rustls(rustls_server(true)).await;
    let versions = [ProtocolVersion::TLS1_2, ProtocolVersion::TLS1_3];
    let (feature, connections) = check_session_resumption(&opener, &context(&versions, &[])).await;
    assert_eq!(
        feature.support,
        Support::Yes {
            evidence: "TLSv1.3 session resumed with a ticket (PSK)".to_owned()
        }
    );
    assert_eq!((connections, accepted.load(Ordering::SeqCst)), (2, 2));
}

#[tokio::test]
async fn session_resumption_resumes_the_session_of_the_endpoints_own_handshake() {
    let (opener, accepted) = serve_rustls(rustls_server(true)).await;
    // The endpoint's handshake: its configuration keeps its sessions in the recorder.
    let sessions = Arc::new(SessionRecorder::default());
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = ObservingVerifier::new(&TrustAnchors::mozilla(), Arc::clone(&provider)).unwrap();
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.resumption = rustls::client::Resumption::store(Arc::clone(&sessions) as _);
    let config = Arc::new(config);
    sessions.keep_config(Arc::clone(&config));
    let name = rustls::pki_types::ServerName::try_from("mx.example.test").unwrap();
    let stream = opener.open().await.unwrap();
    let mut tls = tokio_rustls::TlsConnector::from(config)
        .connect(name, stream)
        .await
        .unwrap();
    // Reading takes in the TLS 1.3 tickets.
    let mut buffer = [0u8; 64];
    let _ = tokio::time::timeout(Duration::from_millis(300), tls.read(&mut buffer)).await;
    drop(tls);

    let versions = [ProtocolVersion::TLS1_2, ProtocolVersion::TLS1_3];
    let mut context = context(&versions, &[]);
    context.sessions = Some(sessions);
    let (feature, connections) = check_session_resumption(&opener, &context).await;
    assert_eq!(
        feature.support,
        Support::Yes {
            evidence: "TLSv1.3 session of the endpoint's own handshake resumed with a ticket (PSK)"
                .to_owned()
        }
    );
    assert_eq!((connections, accepted.load(Ordering::SeqCst)), (1, 2));
}

#[tokio::test]
async fn session_resumption_works_with_tls12_session_ids() {
    let (opener, _) = serve_rustls(rustls_server_for(true, &[&rustls::version::TLS12])).await;
    let (feature, connections) = check_session_resumption(&opener, &context(&TLS12, &[])).await;
    assert_eq!(
        feature.support,
        Support::Yes {
            evidence: "TLSv1.2 session resumed (session id or ticket)".to_owned()
        }
    );
    assert_eq!(connections, 2);
}

#[tokio::test]
async fn session_resumption_is_absent_when_the_server_keeps_no_sessions() {
    let (opener, _) = serve_rustls(rustls_server(false)).await;
    let versions = [ProtocolVersion::TLS1_2, ProtocolVersion::TLS1_3];
    let (feature, connections) = check_session_resumption(&opener, &context(&versions, &[])).await;
    assert_eq!(
        feature.support,
        Support::No {
            evidence:
                "the second handshake (TLSv1.3) was a full one, not a resumption of the first (TLSv1.3)"
                    .to_owned()
        }
    );
    assert_eq!(connections, 2);
}

#[tokio::test]
async fn session_resumption_needs_tls12_or_tls13() {
    let (opener, accepted) = serve(|stream, _| linger(stream)).await;
    let (feature, connections) =
        check_session_resumption(&opener, &context(&[ProtocolVersion::TLS1_0], &[RSA_SUITE])).await;
    assert_eq!(
        feature.support,
        Support::NotTested {
            reason: "neither TLS 1.2 nor TLS 1.3 is supported".to_owned()
        }
    );
    assert_eq!((connections, accepted.load(Ordering::SeqCst)), (0, 0));
}

// ---------------------------------------------------------------------------
// Everything, against servers that do not play along

fn everything() -> ActiveContext {
    let mut context = context(&TLS11_AND_12, &[RSA_SUITE, ECDHE_SUITE]);
    context.heartbeat_echoed = true;
    context
}

#[tokio::test]
async fn a_silent_server_costs_one_timeout_per_probe() {
    let (opener, accepted) = serve(|stream, _| linger(stream)).await;
    let started = Instant::now();
    let results = run_active(&opener, &everything()).await;
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    let no_flight = "no ServerHelloDone: no reply within 400 ms".to_owned();
    let expected: Vec<VulnerabilityCheck> = [
        Vulnerability::Heartbleed,
        Vulnerability::CcsInjection,
        Vulnerability::Robot,
    ]
    .into_iter()
    .map(|vulnerability| {
        active(
            vulnerability,
            VulnerabilityResult::NotTested {
                reason: no_flight.clone(),
            },
            1,
        )
    })
    .collect();
    assert_eq!(results.vulnerabilities, expected);
    assert_eq!(
        results.fallback_scsv.support,
        Support::NotTested {
            reason: "a TLSv1.1 hello with TLS_FALLBACK_SCSV (highest supported: TLSv1.2) got neither \
                     a refusal nor a ServerHello: no reply within 400 ms"
                .to_owned()
        }
    );
    assert_eq!(
        results.session_resumption.support,
        Support::NotTested {
            reason: "first handshake: the TLS handshake took longer than 800 ms".to_owned()
        }
    );
    assert_eq!(results.connections, 5);
    assert_eq!(accepted.load(Ordering::SeqCst), 5);
    assert!(results.anomalies.is_empty());
}

#[tokio::test]
async fn a_resetting_server_ends_every_probe_at_once() {
    let (opener, accepted) = serve(|stream, _| async move {
        stream.set_zero_linger().unwrap();
        drop(stream);
    })
    .await;
    let started = Instant::now();
    let results = run_active(&opener, &everything()).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    for check in &results.vulnerabilities {
        let VulnerabilityResult::NotTested { reason } = &check.result else {
            panic!("{check:?}");
        };
        assert!(reason.starts_with("no ServerHelloDone: "), "{reason}");
        assert_eq!(check.connections, 1);
    }
    assert_eq!(results.vulnerabilities.len(), 3);
    assert!(matches!(results.fallback_scsv.support, Support::NotTested { .. }));
    let Support::NotTested { reason } = &results.session_resumption.support else {
        panic!("{:?}", results.session_resumption);
    };
    assert!(
        reason.starts_with("first handshake: the TLS handshake failed"),
        "{reason}"
    );
    assert_eq!(results.connections, 5);
    assert_eq!(accepted.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn a_server_that_sends_garbage_is_not_judged() {
    let (opener, _) = serve(|mut stream, _| async move {
        let _ = stream.write_all(b"220 mx.example.test ESMTP\r\n").await;
        linger(stream).await;
    })
    .await;
    let mut context = context(&TLS12, &[ECDHE_SUITE]);
    context.heartbeat_echoed = true;
    let check = check_heartbleed(&opener, &context).await;
    let VulnerabilityResult::NotTested { reason } = &check.result else {
        panic!("{check:?}");
    };
    assert!(reason.contains("a reply that is not TLS (3232302"), "{reason}");
}

#[tokio::test]
async fn throttling_stops_the_remaining_probes() {
    struct Throttled;
    #[async_trait]
    impl HandshakeOpener for Throttled {
        async fn open(&self) -> Result<BoxStream, OpenError> {
            Err(OpenError::Throttled {
                reply: "421 4.7.0 too many connections".to_owned(),
            })
        }
        fn server_name(&self) -> Option<&str> {
            None
        }
    }
    let results = run_active(&Throttled, &everything()).await;
    // The first attempt learns of it; no probe after it opens a connection.
    assert_eq!(results.connections, 1);
    assert_eq!(
        results.anomalies,
        vec![
            "the active probes stopped early: the server is throttling: 421 4.7.0 too many connections"
                .to_owned()
        ]
    );
    let reason = "the server is throttling: 421 4.7.0 too many connections".to_owned();
    assert_eq!(
        results.session_resumption.support,
        Support::NotTested {
            reason: reason.clone()
        }
    );
    assert_eq!(
        results.vulnerabilities[2].result,
        VulnerabilityResult::NotTested { reason }
    );
}

// ---------------------------------------------------------------------------
// Parsers of what a server sends

proptest! {
    #[test]
    fn heartbeat_parsing_never_panics_and_keeps_little(fragment in proptest::collection::vec(any::<u8>(), 0..600)) {
        match HeartbeatMessage::parse(&fragment) {
            None => prop_assert!(fragment.len() < 3),
            Some(message) => {
                prop_assert_eq!(message.message_type, fragment[0]);
                prop_assert_eq!(message.payload_length, u16::from_be_bytes([fragment[1], fragment[2]]));
                prop_assert_eq!(message.body_length, fragment.len() - 3);
                prop_assert!(message.body_start.len() <= 32);
                prop_assert_eq!(&message.body_start[..], &fragment[3..3 + message.body_start.len()]);
            }
        }
    }

    #[test]
    fn rsa_key_parsing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = RsaPublicKey::from_rsa_public_key(&bytes);
        let _ = RsaPublicKey::from_certificate(&bytes);
    }

    #[test]
    fn rsa_key_parsing_reads_what_was_written(modulus in 1u64.., exponent in 1u32..) {
        let integer = |value: &[u8]| {
            let trimmed: Vec<u8> = value.iter().copied().skip_while(|&octet| octet == 0).collect();
            let mut contents = if trimmed.first().is_some_and(|&octet| octet & 0x80 != 0) { vec![0] } else { vec![] };
            contents.extend(trimmed);
            let mut out = vec![0x02, contents.len() as u8];
            out.extend(contents);
            out
        };
        let mut body = integer(&modulus.to_be_bytes());
        body.extend(integer(&exponent.to_be_bytes()));
        let mut der = vec![0x30, body.len() as u8];
        der.extend(body);
        let key = RsaPublicKey::from_rsa_public_key(&der).unwrap();
        prop_assert_eq!(key.modulus, BigUint::from(modulus));
        prop_assert_eq!(key.exponent, BigUint::from(exponent));
    }
}

// ---------------------------------------------------------------------------
// The lab's real servers (lab/up.sh must be running)

fn lab_context(versions: &[ProtocolVersion], suites: &[u16]) -> ActiveContext {
    let mut context = context(versions, suites);
    context.timeout = Duration::from_secs(3);
    context.server_name = None;
    context
}

async fn lab_report(address: &str, context: ActiveContext) {
    let opener = TcpOpener {
        address: address.parse().unwrap(),
    };
    let results = run_active(&opener, &context).await;
    println!("{address}: {results:#?}");
}

#[tokio::test]
#[ignore = "needs the lab (lab/up.sh)"]
async fn lab_gnutls_with_rsa_key_exchange() {
    let versions = [
        ProtocolVersion::TLS1_0,
        ProtocolVersion::TLS1_1,
        ProtocolVersion::TLS1_2,
    ];
    let mut context = lab_context(&versions, &[RSA_SUITE, 0x009C, 0x003C, ECDHE_SUITE]);
    context.heartbeat_echoed = true;
    lab_report("127.0.10.11:4433", context).await;
}

#[tokio::test]
#[ignore = "needs the lab (lab/up.sh)"]
async fn lab_openssl_tls10_and_tls11() {
    let versions = [ProtocolVersion::TLS1_0, ProtocolVersion::TLS1_1];
    let mut context = lab_context(&versions, &[RSA_SUITE, 0x0035, 0xC013, 0xC014]);
    context.heartbeat_echoed = true;
    lab_report("127.0.10.10:443", context).await;
}

/// Opens SMTP connections and runs EHLO and STARTTLS on them.
struct StartTlsOpener {
    address: SocketAddr,
}

/// Reads an SMTP reply (all its lines) and returns its last line.
async fn smtp_reply(stream: &mut TcpStream) -> String {
    let mut text = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        stream.read_exact(&mut byte).await.unwrap();
        text.push(byte[0]);
        if text.ends_with(b"\r\n") {
            let line = String::from_utf8_lossy(&text).into_owned();
            let last = line.trim_end().rsplit("\r\n").next().unwrap().to_owned();
            if last.as_bytes().get(3) == Some(&b' ') {
                return last;
            }
        }
    }
}

#[async_trait]
impl HandshakeOpener for StartTlsOpener {
    async fn open(&self) -> Result<BoxStream, OpenError> {
        let mut stream = TcpStream::connect(self.address).await.unwrap();
        assert!(smtp_reply(&mut stream).await.starts_with("220"));
        stream.write_all(b"EHLO probe.example.test\r\n").await.unwrap();
        assert!(smtp_reply(&mut stream).await.starts_with("250"));
        stream.write_all(b"STARTTLS\r\n").await.unwrap();
        assert!(smtp_reply(&mut stream).await.starts_with("220"));
        Ok(Box::new(stream))
    }

    fn server_name(&self) -> Option<&str> {
        Some("mx1.lab.test")
    }
}

#[tokio::test]
#[ignore = "needs the lab (lab/up.sh)"]
async fn lab_postfix_starttls() {
    let opener = StartTlsOpener {
        address: "127.0.10.25:25".parse().unwrap(),
    };
    let versions = [ProtocolVersion::TLS1_2, ProtocolVersion::TLS1_3];
    let mut context = lab_context(&versions, &[RSA_SUITE, 0x009C, ECDHE_SUITE, 0xC02B]);
    context.server_name = Some("mx1.lab.test".to_owned());
    let results = run_active(&opener, &context).await;
    println!("127.0.10.25:25: {results:#?}");
}
