//! The enumeration against scripted servers that misbehave: each scan ends
//! in bounded time with an honest observation.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

mod scan_support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use mailtls_core::transport::BoxStream;
use mailtls_core::{ScanOutcome, Support, TlsScan, TlsVersion};
use mailtls_probe::ScanOptions;
use mailtls_probe::tls_engine::cipher_suites::{codes_for, lookup};
use mailtls_probe::tls_engine::earlier::{EarlierChoice, EarlierHandshake};
use mailtls_probe::tls_engine::scan::{scan, scan_after};
use mailtls_probe::tls_engine::{HandshakeOpener, OpenError, ProtocolVersion};
use scan_support::TcpOpener;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a scripted server does with one hello.
type Script = Arc<dyn Fn(Vec<u8>) -> Vec<u8> + Send + Sync>;

/// A server that reads one hello (whatever arrives first), writes what
/// `script` makes of it, and closes; `reset` closes with a TCP reset.
async fn scripted(script: Script, reset: bool) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let script = script.clone();
            tokio::spawn(async move {
                let hello = read_hello(&mut socket).await;
                let reply = script(hello);
                let _ = socket.write_all(&reply).await;
                if reset {
                    #[allow(deprecated)]
                    let _ = socket.set_linger(Some(Duration::ZERO));
                } else {
                    let _ = socket.shutdown().await;
                }
            });
        }
    });
    address
}

/// Reads one whole record (or SSLv2 record) of the client's hello.
async fn read_hello(socket: &mut TcpStream) -> Vec<u8> {
    let mut hello = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let complete = match hello.first() {
            Some(first) if first & 0x80 != 0 && hello.len() >= 2 => {
                hello.len() >= 2 + (usize::from(hello[0] & 0x7F) << 8 | usize::from(hello[1]))
            }
            Some(_) if hello.len() >= 5 => {
                hello.len() >= 5 + (usize::from(hello[3]) << 8 | usize::from(hello[4]))
            }
            _ => false,
        };
        if complete {
            return hello;
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return hello,
            Ok(count) => hello.extend_from_slice(&chunk[..count]),
        }
    }
}

/// The fields of a TLS ClientHello record the scripts need.
struct Hello {
    version: u16,
    suites: Vec<u16>,
    groups: Vec<u16>,
    tls13: bool,
}

fn parse_hello(record: &[u8]) -> Option<Hello> {
    if record.first()? & 0x80 != 0 {
        return None;
    }
    let body = record.get(9..)?;
    let version = u16::from_be_bytes([body[0], body[1]]);
    let mut at = 34;
    at += 1 + usize::from(*body.get(at)?);
    let suites_length = usize::from(u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]));
    let suites = body
        .get(at + 2..at + 2 + suites_length)?
        .chunks(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    at += 2 + suites_length;
    at += 1 + usize::from(*body.get(at)?);
    let mut groups = Vec::new();
    let mut tls13 = false;
    if let Some(length) = body.get(at..at + 2) {
        let end = at + 2 + usize::from(u16::from_be_bytes([length[0], length[1]]));
        at += 2;
        while at + 4 <= end {
            let kind = u16::from_be_bytes([body[at], body[at + 1]]);
            let length = usize::from(u16::from_be_bytes([body[at + 2], body[at + 3]]));
            let data = body.get(at + 4..at + 4 + length)?;
            match kind {
                10 => {
                    groups = data[2..]
                        .chunks(2)
                        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                        .collect();
                }
                43 => tls13 = data[1..].chunks(2).any(|pair| pair == [3, 4]),
                _ => {}
            }
            at += 4 + length;
        }
    }
    Some(Hello {
        version,
        suites,
        groups,
        tls13,
    })
}

fn record(content_type: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![content_type, 3, 3];
    out.extend_from_slice(&(body.len() as u16).to_be_bytes());
    out.extend_from_slice(body);
    out
}

fn handshake(msg_type: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![msg_type, 0, (body.len() >> 8) as u8, body.len() as u8];
    out.extend_from_slice(body);
    out
}

const HRR_RANDOM: [u8; 32] = [
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2,
    0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
];

/// A ServerHello record (plus ServerHelloDone for TLS 1.2 and older).
fn server_hello(version: u16, suite: u16, hello_retry_group: Option<u16>) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        &(if hello_retry_group.is_some() {
            0x0303u16
        } else {
            version
        })
        .to_be_bytes(),
    );
    body.extend_from_slice(&if hello_retry_group.is_some() {
        HRR_RANDOM
    } else {
        [7u8; 32]
    });
    body.push(0);
    body.extend_from_slice(&suite.to_be_bytes());
    body.push(0);
    let mut messages = Vec::new();
    if let Some(group) = hello_retry_group {
        let extensions = [
            &[0x00, 0x2B, 0x00, 0x02, 0x03, 0x04][..],
            &[0x00, 0x33, 0x00, 0x02],
            &group.to_be_bytes(),
        ]
        .concat();
        body.extend_from_slice(&(extensions.len() as u16).to_be_bytes());
        body.extend_from_slice(&extensions);
        messages.extend(handshake(2, &body));
    } else {
        messages.extend(handshake(2, &body));
        messages.extend(handshake(14, &[]));
    }
    record(22, &messages)
}

fn options() -> ScanOptions {
    ScanOptions {
        timeout: Duration::from_secs(2),
        deadline: Duration::from_secs(60),
        active: false,
        ..ScanOptions::default()
    }
}

async fn scan_of(script: Script, reset: bool) -> (TlsScan, u64, Duration) {
    let address = scripted(script, reset).await;
    let opener = TcpOpener::new(address, None);
    let clock = Instant::now();
    let result = scan(&opener, &options()).await;
    (result, opener.opened(), clock.elapsed())
}

fn assert_nothing_supported(result: &TlsScan) {
    assert_eq!(result.protocols.len(), 6);
    for protocol in &result.protocols {
        assert!(protocol.support.is_no(), "{protocol:?}");
    }
}

#[tokio::test]
async fn a_server_answering_with_an_http_error_supports_nothing() {
    let (result, opened, elapsed) =
        scan_of(Arc::new(|_| b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec()), false).await;
    assert_nothing_supported(&result);
    assert_eq!(
        result.protocol(TlsVersion::Tls12).unwrap().support,
        Support::No {
            evidence: "not TLS: HTTP/1.1 400 Bad Request\\x0d\\x0a\\x0d\\x0a".to_owned()
        }
    );
    // One hello per version.
    assert_eq!(opened, 6);
    assert_eq!(result.connections, 6);
    assert!(elapsed < Duration::from_secs(10));
}

#[tokio::test]
async fn a_server_that_always_answers_tls11_supports_only_tls11() {
    let (result, opened, _) = scan_of(Arc::new(|_| server_hello(0x0302, 0x002F, None)), false).await;
    assert_eq!(result.supported_versions(), vec![TlsVersion::Tls11]);
    assert_eq!(
        result.protocol(TlsVersion::Tls12).unwrap().support,
        Support::No {
            evidence: "ServerHello TLSv1.1 to a TLSv1.2 hello".to_owned()
        }
    );
    let tls11 = result.protocol(TlsVersion::Tls11).unwrap();
    assert_eq!(tls11.cipher_suites.len(), 1);
    assert_eq!(tls11.cipher_suites[0].name, "TLS_RSA_WITH_AES_128_CBC_SHA");
    assert!(
        result
            .anomalies
            .iter()
            .any(|anomaly| anomaly.contains("TLS_RSA_WITH_AES_128_CBC_SHA, which was not offered")),
        "{:?}",
        result.anomalies
    );
    // 1.3, 1.2, 1.1 three times (the suite chosen first is offered again,
    // last, and chosen again; the third hello draws a suite not offered),
    // 1.0, SSLv3, SSLv2.
    assert_eq!(opened, 8);
}

#[tokio::test]
async fn an_alert_storm_is_read_as_a_refusal_in_bounded_time() {
    let storm: Vec<u8> = std::iter::repeat_n(record(21, &[1, 0]), 50_000)
        .flatten()
        .collect();
    let (result, opened, elapsed) = scan_of(Arc::new(move |_| storm.clone()), false).await;
    assert_nothing_supported(&result);
    assert_eq!(
        result.protocol(TlsVersion::Tls13).unwrap().support,
        Support::No {
            evidence: "alert warning close_notify(0)".to_owned()
        }
    );
    assert_eq!(opened, 6);
    assert!(elapsed < Duration::from_secs(20));
}

#[tokio::test]
async fn a_handshake_message_announcing_16_mb_is_refused_as_malformed() {
    let huge = record(22, &[2, 0xFF, 0xFF, 0xFF, 3, 3]);
    let (result, _, elapsed) = scan_of(Arc::new(move |_| huge.clone()), false).await;
    assert_nothing_supported(&result);
    match &result.protocol(TlsVersion::Tls12).unwrap().support {
        Support::No { evidence } => assert!(evidence.contains("HandshakeTooLong"), "{evidence}"),
        other => panic!("{other:?}"),
    }
    assert!(elapsed < Duration::from_secs(10));
}

#[tokio::test]
async fn a_server_resetting_mid_handshake_supports_nothing() {
    let (result, opened, elapsed) = scan_of(
        Arc::new(|_| server_hello(0x0303, 0x002F, None)[..20].to_vec()),
        true,
    )
    .await;
    assert_nothing_supported(&result);
    assert_eq!(opened, 6);
    assert!(elapsed < Duration::from_secs(10));
}

#[tokio::test]
async fn a_server_accepting_every_suite_is_reported_as_such() {
    let script: Script = Arc::new(|record| match parse_hello(&record) {
        Some(hello) if hello.tls13 => server_hello(0x0304, hello.suites[0], Some(hello.groups[0])),
        Some(hello) => server_hello(hello.version, hello.suites[0], None),
        None => Vec::new(),
    });
    let (result, opened, elapsed) = scan_of(script, false).await;
    assert_eq!(
        result.supported_versions(),
        vec![
            TlsVersion::Ssl3,
            TlsVersion::Tls10,
            TlsVersion::Tls11,
            TlsVersion::Tls12,
            TlsVersion::Tls13
        ]
    );
    let mut expected = 1u64; // SSLv2: refused
    for (version, wire) in [
        (TlsVersion::Ssl3, ProtocolVersion::SSL3_0),
        (TlsVersion::Tls10, ProtocolVersion::TLS1_0),
        (TlsVersion::Tls11, ProtocolVersion::TLS1_1),
        (TlsVersion::Tls12, ProtocolVersion::TLS1_2),
    ] {
        let mut all = codes_for(wire);
        if wire == ProtocolVersion::SSL3_0 {
            // The second SSL 3.0 round: the ECC suites of TLS 1.0, with the ECC extensions.
            let classic = all.clone();
            all.extend(codes_for(ProtocolVersion::TLS1_0).into_iter().filter(|code| {
                !classic.contains(code)
                    && lookup(*code).is_some_and(|suite| suite.key_exchange.is_rfc4492_ecc())
            }));
        }
        let found: Vec<u32> = result
            .protocol(version)
            .unwrap()
            .cipher_suites
            .iter()
            .map(|suite| suite.code)
            .collect();
        assert_eq!(found, all.iter().map(|&code| u32::from(code)).collect::<Vec<_>>());
        // Every suite, then the empty list is not sent. The second hello,
        // with the first suite again at its end, drew the second suite: the
        // client's order, proven without a reversed hello.
        expected += all.len() as u64;
        assert_eq!(result.protocol(version).unwrap().server_order, Some(false));
    }
    assert_eq!(result.protocol(TlsVersion::Tls13).unwrap().cipher_suites.len(), 5);
    expected += 5;
    // TLS 1.3 groups: the five suite hellos named five (each offered the
    // unseen groups first), the rest are accepted one by one; the order is
    // the client's, proven by the suite hellos.
    let groups = result.groups.tls13.len() as u64;
    assert_eq!(groups, 53);
    assert_eq!(result.groups.server_order, Some(false));
    expected += groups - 5;
    // No ServerKeyExchange: no curves, no signature schemes, after one
    // hello each that tried.
    assert!(result.groups.tls12.is_empty());
    assert!(result.signature_algorithms.is_empty());
    expected += 2;
    assert_eq!(opened, expected);
    assert_eq!(result.outcome, ScanOutcome::Completed);
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
}

/// An opener whose server says 421 after the first two connections.
struct Throttling {
    inner: TcpOpener,
}

#[async_trait]
impl HandshakeOpener for Throttling {
    async fn open(&self) -> Result<BoxStream, OpenError> {
        if self.inner.opened() >= 2 {
            return Err(OpenError::Throttled {
                reply: "421 4.7.0 too many connections".to_owned(),
            });
        }
        self.inner.open().await
    }

    fn server_name(&self) -> Option<&str> {
        None
    }
}

#[tokio::test]
async fn throttling_stops_the_scan_and_leaves_the_rest_not_tested() {
    let address = scripted(Arc::new(|_| record(21, &[2, 40])), false).await;
    let opener = Throttling {
        inner: TcpOpener::new(address, None),
    };
    let result = scan(&opener, &options()).await;
    assert_eq!(
        result.outcome,
        ScanOutcome::Stopped {
            reason: "the server is throttling: 421 4.7.0 too many connections".to_owned()
        }
    );
    assert!(result.protocol(TlsVersion::Tls13).unwrap().support.is_no());
    assert!(result.protocol(TlsVersion::Tls12).unwrap().support.is_no());
    assert!(matches!(
        result.protocol(TlsVersion::Tls11).unwrap().support,
        Support::NotTested { .. }
    ));
    assert_eq!(result.connections, 3);
}

#[tokio::test]
async fn an_unreachable_server_stops_each_lane_after_three_attempts() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let opener = TcpOpener::new(address, None);
    let result = scan(&opener, &options()).await;
    assert!(
        matches!(result.outcome, ScanOutcome::Stopped { .. }),
        "{:?}",
        result.outcome
    );
    // Both lanes try: three connection attempts in a row each.
    assert_eq!(result.connections, 6);
    assert!(
        result
            .protocols
            .iter()
            .all(|protocol| matches!(protocol.support, Support::NotTested { .. }))
    );
}

#[tokio::test]
async fn a_server_with_its_own_group_order_gets_only_unseen_groups() {
    // TLS 1.3 only: three suites taken in the client's order, five groups
    // taken in the server's own order (as OpenSSL 3.5 does).
    const SUITES: [u16; 3] = [0x1301, 0x1302, 0x1303];
    const PREFERENCE: [u16; 5] = [0x001D, 0x001E, 0x0017, 0x0019, 0x0018];
    let offers: Arc<std::sync::Mutex<Vec<Vec<u16>>>> = Arc::default();
    let seen = Arc::clone(&offers);
    let script: Script = Arc::new(move |record| {
        let refuse = record_of_alert();
        let Some(hello) = parse_hello(&record).filter(|hello| hello.tls13) else {
            return refuse;
        };
        seen.lock().unwrap().push(hello.groups.clone());
        let suite = hello.suites.iter().find(|code| SUITES.contains(code));
        let group = PREFERENCE.iter().find(|group| hello.groups.contains(group));
        match (suite, group) {
            (Some(&suite), Some(&group)) => server_hello(0x0304, suite, Some(group)),
            _ => refuse,
        }
    });
    let (result, opened, _) = scan_of(script, false).await;
    assert_eq!(result.supported_versions(), vec![TlsVersion::Tls13]);
    let tls13 = result.protocol(TlsVersion::Tls13).unwrap();
    let names: Vec<&str> = tls13
        .cipher_suites
        .iter()
        .map(|suite| suite.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256"
        ]
    );
    // The first suite offered again, last, drew the second: the client's order.
    assert_eq!(tls13.server_order, Some(false));
    assert_eq!(
        result.groups.tls13,
        ["x25519", "x448", "secp256r1", "secp521r1", "secp384r1"]
    );
    assert_eq!(result.groups.server_order, Some(true));
    // The second hello asked again for x25519 although unseen groups came
    // first; from the third on, the TLS 1.3 hellos leave x25519 out.
    let offers = offers.lock().unwrap();
    assert!(offers[1].contains(&0x001D));
    assert!(offers[2..].iter().all(|groups| !groups.contains(&0x001D)));
    // TLS 1.3: three suites + the refusal of the rest (which also left out
    // x25519 and x448), one hello of the found suites with those groups (it
    // named secp256r1, so the suites had run out), two more groups and the
    // refusal of the rest; four refused versions and SSLv2.
    assert_eq!(opened, 4 + 1 + 3 + 5);
    assert_eq!(result.connections, opened);
}

/// A fatal `handshake_failure` alert record.
fn record_of_alert() -> Vec<u8> {
    record(21, &[2, 40])
}

#[tokio::test]
async fn the_first_suite_is_offered_last_until_the_order_shows() {
    // TLS 1.2 only, the client's order; of the earlier handshake's offer
    // (0xC030 then 0xC02F) it took 0xC030.
    const ACCEPTED: [u16; 4] = [0x002F, 0x0035, 0xC02F, 0xC030];
    let script: Script = Arc::new(|record| match parse_hello(&record) {
        Some(hello) if hello.version == 0x0303 && !hello.tls13 => {
            match hello.suites.iter().find(|code| ACCEPTED.contains(code)) {
                Some(&suite) => server_hello(0x0303, suite, None),
                None => record_of_alert(),
            }
        }
        _ => record_of_alert(),
    });
    let address = scripted(script, false).await;
    let opener = TcpOpener::new(address, None);
    let earlier = EarlierHandshake {
        choice: Some(EarlierChoice {
            version: TlsVersion::Tls12,
            offered: vec![0xC030, 0xC02F],
            chosen: 0xC030,
            group: None,
        }),
        sessions: None,
    };
    let options = ScanOptions {
        versions: vec![TlsVersion::Tls12],
        ..options()
    };
    let result = scan_after(&opener, &options, &earlier).await;
    let tls12 = result.protocol(TlsVersion::Tls12).unwrap();
    let codes: Vec<u32> = tls12.cipher_suites.iter().map(|suite| suite.code).collect();
    assert_eq!(codes, [0x002F, 0x0035, 0xC02F, 0xC030]);
    // 0x002F and 0x0035 come first, with 0xC030 last; the third hello, again
    // with 0xC030 last, draws 0xC02F, which the earlier handshake passed
    // over for 0xC030: the swap that proves the client's order.
    assert_eq!(tls12.server_order, Some(false));
    // Three hellos that each drew a new suite, and the refusal of the rest:
    // no hello for the order. Then one hello each for the curves and the
    // signature schemes of the ECDHE suites, which name none (this server
    // sends no ServerKeyExchange).
    assert_eq!(opener.opened(), 4 + 2);
}
