//! The enumeration against an in-process rustls server: exact versions,
//! suites in order, server order, groups, features, and the connection count.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod scan_support;

use std::sync::Arc;

use mailtls_core::{ScanOutcome, Support, TlsVersion, Vulnerability, VulnerabilityResult};
use mailtls_probe::ScanOptions;
use mailtls_probe::tls_engine::cipher_suites;
use mailtls_probe::tls_engine::earlier::{EarlierChoice, EarlierHandshake};
use mailtls_probe::tls_engine::named_groups;
use mailtls_probe::tls_engine::scan::{scan, scan_after};
use rustls::SupportedCipherSuite;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use scan_support::{TcpOpener, serve_rustls};

fn rustls_config(ignore_client_order: bool) -> rustls::ServerConfig {
    // rcgen's default key is ECDSA P-256: the TLS 1.2 suites are the ECDHE_ECDSA ones.
    let certified = rcgen::generate_simple_self_signed(vec!["mx.example.test".to_owned()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()));
    let mut config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certified.cert.der().clone()], key)
            .unwrap();
    config.ignore_client_order = ignore_client_order;
    config
}

/// The truth from the provider itself, in its preference order: the TLS 1.3
/// suites, and the TLS 1.2 suites usable with an ECDSA certificate.
fn provider_suites() -> (Vec<String>, Vec<String>) {
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let mut tls13 = Vec::new();
    let mut tls12 = Vec::new();
    for suite in &provider.cipher_suites {
        let code = u16::from(suite.suite());
        let name = cipher_suites::name(code);
        match suite {
            SupportedCipherSuite::Tls13(_) => tls13.push(name),
            SupportedCipherSuite::Tls12(_) if name.contains("ECDSA") => tls12.push(name),
            SupportedCipherSuite::Tls12(_) => {}
        }
    }
    (tls13, tls12)
}

fn provider_groups() -> Vec<String> {
    rustls::crypto::aws_lc_rs::default_provider()
        .kx_groups
        .iter()
        .map(|group| named_groups::name(u16::from(group.name())))
        .collect()
}

fn names(scan: &mailtls_core::TlsScan, version: TlsVersion) -> Vec<String> {
    scan.protocol(version)
        .unwrap()
        .cipher_suites
        .iter()
        .map(|suite| suite.name.clone())
        .collect()
}

fn options() -> ScanOptions {
    ScanOptions {
        timeout: std::time::Duration::from_secs(5),
        ..ScanOptions::default()
    }
}

#[tokio::test]
async fn a_rustls_server_with_its_own_order_is_enumerated_exactly() {
    let address = serve_rustls(rustls_config(true)).await;
    let opener = TcpOpener::new(address, Some("mx.example.test"));
    let result = scan(&opener, &options()).await;
    let (tls13, tls12) = provider_suites();
    assert_eq!(result.outcome, ScanOutcome::Completed, "{result:#?}");
    assert_eq!(
        result.supported_versions(),
        vec![TlsVersion::Tls12, TlsVersion::Tls13]
    );
    assert_eq!(names(&result, TlsVersion::Tls13), tls13);
    assert_eq!(names(&result, TlsVersion::Tls12), tls12);
    assert_eq!(
        result.protocol(TlsVersion::Tls13).unwrap().server_order,
        Some(true)
    );
    assert_eq!(
        result.protocol(TlsVersion::Tls12).unwrap().server_order,
        Some(true)
    );
    for version in [
        TlsVersion::Ssl2,
        TlsVersion::Ssl3,
        TlsVersion::Tls10,
        TlsVersion::Tls11,
    ] {
        assert!(result.protocol(version).unwrap().support.is_no(), "{version:?}");
    }
    // rustls picks the client's first group it supports, so the groups come
    // in the hello's order (by code point) and the reversed hello says so.
    let mut groups = provider_groups();
    assert!(groups.contains(&"X25519MLKEM768".to_owned()));
    groups.sort_by_key(|name| {
        named_groups::NAMED_GROUPS
            .iter()
            .position(|(_, known)| known == name)
            .unwrap()
    });
    assert_eq!(result.groups.tls13, groups);
    assert_eq!(result.groups.server_order, Some(false));
    // TLS 1.2 curves: the hybrid is TLS 1.3 only.
    let curves: Vec<String> = groups.iter().filter(|g| !g.contains("MLKEM")).cloned().collect();
    assert_eq!(result.groups.tls12, curves);
    assert_eq!(
        result.signature_algorithms,
        vec!["ecdsa_secp256r1_sha256".to_owned()]
    );
    let first = &result.protocol(TlsVersion::Tls12).unwrap().cipher_suites[0];
    assert_eq!(first.key_exchange.as_deref(), Some("ECDH secp256r1"));
    let first13 = &result.protocol(TlsVersion::Tls13).unwrap().cipher_suites[0];
    assert_eq!(first13.key_exchange.as_deref(), Some("ECDH secp256r1"));
    assert!(result.features.extended_master_secret.support.is_yes());
    assert!(result.features.secure_renegotiation.support.is_yes());
    assert!(result.features.compression.support.is_no());
    assert!(result.features.heartbeat.support.is_no());
    assert!(matches!(
        result.features.encrypt_then_mac.support,
        Support::NotTested { .. }
    ));
    assert_eq!(result.dh, None);
    // Connections, per supported version: suites + 1 refusal, + 1 for the
    // first suite offered again, last, which this server takes again (its
    // own order, proven without a reversed hello); one per refused version
    // (4). Those hellos offer the unseen groups, curves and schemes first,
    // and rustls takes the client's first: every TLS 1.3 group comes with
    // one of the suites + 2 TLS 1.3 hellos (the refusal draws none), every
    // curve and the one scheme of the ECDSA key with a TLS 1.2 suite, so each
    // of the three enumerations is left with one refused hello.
    // Active probes: fallback SCSV 1 (TLS 1.2 lies below 1.3), session
    // resumption 2; CCS injection rode on the first TLS 1.2 hello's
    // connection; no Heartbleed (no heartbeat echoed) and no ROBOT (rustls
    // has no RSA key transport).
    assert!(groups.len() <= tls13.len() + 1 && curves.len() <= tls12.len() + 1);
    let ccs = result.vulnerability(Vulnerability::CcsInjection).unwrap();
    assert_eq!(ccs.connections, 0);
    assert_eq!(
        ccs.result,
        VulnerabilityResult::NotVulnerable {
            evidence: "two early ChangeCipherSpec records were refused with alert unexpected_message(10), \
                       on the connection of a TLSv1.2 enumeration hello"
                .to_owned()
        }
    );
    let active = 1 + 2;
    let expected = (tls13.len() + 2) + (tls12.len() + 2) + 4 + 1 + 1 + 1 + active;
    assert_eq!(result.connections, expected as u64);
    assert_eq!(opener.opened(), expected as u64);
    assert!(result.anomalies.is_empty(), "{:?}", result.anomalies);
}

#[tokio::test]
async fn a_rustls_server_following_the_client_order_says_so() {
    let address = serve_rustls(rustls_config(false)).await;
    let opener = TcpOpener::new(address, None);
    let result = scan(&opener, &options()).await;
    assert_eq!(
        result.protocol(TlsVersion::Tls12).unwrap().server_order,
        Some(false)
    );
    assert_eq!(
        result.protocol(TlsVersion::Tls13).unwrap().server_order,
        Some(false)
    );
    // Found in the order of the hello, which is the registry's.
    let mut tls12 = provider_suites().1;
    tls12.sort_by_key(|name| {
        cipher_suites::all()
            .iter()
            .position(|suite| suite.name == name)
            .unwrap()
    });
    assert_eq!(names(&result, TlsVersion::Tls12), tls12);
    // Connections: per supported version, suites + 1 refusal; the second
    // hello (the first suite again, last) drew the second suite, which
    // proves the client's order. Each answered TLS 1.3 hello named a new
    // group, so the group enumeration asks for the rest, then is refused;
    // the curves and the one scheme all came with TLS 1.2 suites (one
    // refused hello each). 4 refused versions, 3 for the active probes (CCS
    // injection rides on an enumeration connection).
    let tls13 = provider_suites().0.len();
    let groups = provider_groups().len();
    assert!(groups > tls13);
    let expected = (tls13 + 1) + (tls12.len() + 1) + 4 + (groups - tls13 + 1) + 1 + 1 + 3;
    assert_eq!(result.connections, expected as u64);
    assert_eq!(result.groups.server_order, Some(false));
}

#[tokio::test]
async fn derived_checks_of_a_modern_server_find_nothing() {
    let address = serve_rustls(rustls_config(true)).await;
    let opener = TcpOpener::new(address, None);
    let result = scan(&opener, &options()).await;
    for vulnerability in [
        Vulnerability::Sweet32,
        Vulnerability::Freak,
        Vulnerability::Rc4,
        Vulnerability::Beast,
        Vulnerability::Poodle,
        Vulnerability::Drown,
        Vulnerability::Crime,
        Vulnerability::Lucky13,
        Vulnerability::NullOrAnonymous,
        Vulnerability::NoForwardSecrecy,
        Vulnerability::NoAead,
        Vulnerability::Logjam,
    ] {
        let check = result.vulnerability(vulnerability).unwrap();
        assert!(
            matches!(check.result, VulnerabilityResult::NotVulnerable { .. }),
            "{check:?}"
        );
        assert_eq!(check.connections, 0);
    }
}

/// TLS 1.3 alone, without the active probes.
fn tls13_only() -> ScanOptions {
    ScanOptions {
        versions: vec![TlsVersion::Tls13],
        active: false,
        ..options()
    }
}

#[tokio::test]
async fn versions_not_asked_for_are_not_tested_and_cost_nothing() {
    let address = serve_rustls(rustls_config(true)).await;
    let opener = TcpOpener::new(address, None);
    let options = tls13_only();
    let result = scan(&opener, &options).await;
    assert_eq!(result.supported_versions(), vec![TlsVersion::Tls13]);
    assert_eq!(result.protocols.len(), 6);
    assert_eq!(
        result.protocol(TlsVersion::Tls12).unwrap().support,
        Support::NotTested {
            reason: "not requested".to_owned()
        }
    );
    let suites = provider_suites().0.len();
    let groups = provider_groups().len();
    // Suites + 1 refusal + 1 (the first suite offered again, last); every
    // group came with those hellos (the client's first unseen group each
    // time), so the group enumeration is one refused hello.
    assert!(groups <= suites + 1);
    assert_eq!(result.connections, (suites + 2 + 1) as u64);
}

#[tokio::test]
async fn the_endpoints_own_handshake_is_the_first_step_of_its_version() {
    let address = serve_rustls(rustls_config(true)).await;
    let opener = TcpOpener::new(address, None);
    let options = tls13_only();
    let alone = scan(&opener, &options).await;
    // What a client offering the three TLS 1.3 suites in this order saw:
    // the server's own first choice, and its first group.
    let (tls13, _) = provider_suites();
    let chosen = cipher_suites::code_of(&tls13[0]).unwrap();
    let earlier = EarlierHandshake {
        choice: Some(EarlierChoice {
            version: TlsVersion::Tls13,
            offered: vec![0x1302, 0x1301, 0x1303],
            chosen,
            group: Some(0x001D),
        }),
        sessions: None,
    };
    let opener = TcpOpener::new(address, None);
    let after = scan_after(&opener, &options, &earlier).await;
    assert_eq!(names(&after, TlsVersion::Tls13), names(&alone, TlsVersion::Tls13));
    assert_eq!(after.groups.tls13, alone.groups.tls13);
    assert_eq!(
        after.protocol(TlsVersion::Tls13).unwrap().server_order,
        Some(true)
    );
    // The first hello of the version is the one saved.
    assert_eq!(after.connections + 1, alone.connections);
    assert_eq!(opener.opened(), after.connections);
}
