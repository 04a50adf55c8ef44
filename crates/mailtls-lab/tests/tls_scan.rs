//! The TLS enumeration against the lab's real servers: the exact versions
//! and cipher suites (IANA names, per version) each one accepts. Run after
//! `lab/up.sh`: `cargo test -p mailtls-lab --locked --test tls_scan -- --ignored`.
//!
//! How the expected lists were established, independently of the scanner:
//! for every version from TLS 1.0 to 1.2, a shell loop ran
//! `openssl s_client -connect ADDR [-starttls smtp] -tlsX -cipher NAME:@SECLEVEL=0`
//! once for each of the 158 suites of `openssl ciphers 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'`,
//! and for TLS 1.3 `-tls1_3 -ciphersuites NAME` for each of the five suites;
//! a suite is accepted when s_client reports `New, TLSv1.x, Cipher is NAME`.
//! The sets agree with the lists below (translated from OpenSSL to IANA
//! names), with one exception: this machine's OpenSSL 3 client cannot offer
//! RC4 or 3DES (`TLS_RSA_WITH_RC4_128_MD5`, `_RC4_128_SHA`, `_3DES_EDE_CBC_SHA`,
//! `TLS_ECDHE_RSA_WITH_RC4_128_SHA`, `_3DES_EDE_CBC_SHA`,
//! `TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA`), so for gnutls-serv and tlslite-ng
//! those six come from the servers' configurations (gnutls-serv's priority
//! string adds `+ARCFOUR-128:+3DES-CBC:+RSA`; the tlslite-ng server enables
//! RC4 and 3DES). SSL 3.0 and SSL 2.0 are refused by the OpenSSL and GnuTLS
//! servers. The tlslite-ng lists, SSL 3.0 included, are also what testssl.sh
//! and sslyze report for that server (docs/benchmark.md). The ORDER of each
//! list is the scanner's finding: the server's own preference where
//! `server_order` is true, otherwise the order of the hello (the registry's,
//! by code point), which the servers follow.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::net::Ipv4Addr;

use mailtls_core::transport::TcpConnector;
use mailtls_core::{EndpointObservation, MailProtocol, ScanOutcome, TlsScan, TlsVersion};
use mailtls_lab::*;
use mailtls_probe::{ScanOptions, probe_endpoint};

/// The tlslite-ng STARTTLS server.
const TLSLITE: Ipv4Addr = Ipv4Addr::new(127, 0, 10, 30);

async fn scan_of(
    protocol: MailProtocol,
    host: &str,
    ip: Ipv4Addr,
    port: u16,
) -> (EndpointObservation, TlsScan) {
    let config = mailtls_probe::ProbeConfig {
        tls_scan: Some(ScanOptions::default()),
        ..lab_probe_config()
    };
    let observation = probe_endpoint(
        &TcpConnector::default(),
        &config,
        &endpoint(protocol, host, port),
        at(ip, port),
    )
    .await;
    let scan = observation
        .tls_scan
        .clone()
        .unwrap_or_else(|| panic!("no scan: {observation:#?}"));
    assert_eq!(scan.outcome, ScanOutcome::Completed, "{scan:#?}");
    assert_eq!(observation.connections, 1 + scan.connections);
    (observation, scan)
}

fn suites(scan: &TlsScan, version: TlsVersion) -> Vec<&str> {
    scan.protocol(version)
        .unwrap()
        .cipher_suites
        .iter()
        .map(|suite| suite.name.as_str())
        .collect()
}

fn assert_versions(scan: &TlsScan, expected: &[(TlsVersion, &[&str], Option<bool>)]) {
    let versions: Vec<TlsVersion> = expected.iter().map(|(version, _, _)| *version).collect();
    assert_eq!(scan.supported_versions(), versions);
    for (version, names, order) in expected {
        assert_eq!(suites(scan, *version), names.to_vec(), "{version:?}");
        assert_eq!(
            scan.protocol(*version).unwrap().server_order,
            *order,
            "{version:?}"
        );
    }
}

/// Postfix on port 25 (STARTTLS): OpenSSL 3 defaults with Postfix's opportunistic cipher list, which keeps the anonymous (aNULL) suites; TLS 1.0 and 1.1 stay enabled (see lab/README.md).
#[tokio::test]
#[ignore = "needs the lab (lab/up.sh)"]
async fn postfix_mx1_smtp_starttls() {
    let (_, scan) = scan_of(MailProtocol::Smtp, "mx1.lab.test", MX1, 25).await;
    assert_versions(
        &scan,
        &[
            (
                TlsVersion::Tls10,
                &[
                    "TLS_DH_anon_WITH_AES_128_CBC_SHA",
                    "TLS_DH_anon_WITH_AES_256_CBC_SHA",
                    "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA",
                    "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
                    "TLS_ECDH_anon_WITH_AES_256_CBC_SHA",
                ],
                Some(false),
            ),
            (
                TlsVersion::Tls11,
                &[
                    "TLS_DH_anon_WITH_AES_128_CBC_SHA",
                    "TLS_DH_anon_WITH_AES_256_CBC_SHA",
                    "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA",
                    "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
                    "TLS_ECDH_anon_WITH_AES_256_CBC_SHA",
                ],
                Some(false),
            ),
            (
                TlsVersion::Tls12,
                &[
                    "TLS_DH_anon_WITH_AES_128_CBC_SHA",
                    "TLS_DH_anon_WITH_AES_256_CBC_SHA",
                    "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA",
                    "TLS_DH_anon_WITH_AES_128_CBC_SHA256",
                    "TLS_DH_anon_WITH_AES_256_CBC_SHA256",
                    "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA",
                    "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
                    "TLS_DH_anon_WITH_AES_256_GCM_SHA384",
                    "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256",
                    "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
                    "TLS_ECDH_anon_WITH_AES_256_CBC_SHA",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
                    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                ],
                Some(false),
            ),
            (
                TlsVersion::Tls13,
                &[
                    "TLS_AES_128_GCM_SHA256",
                    "TLS_AES_256_GCM_SHA384",
                    "TLS_CHACHA20_POLY1305_SHA256",
                ],
                Some(false),
            ),
        ],
    );
    let dh = scan.dh.as_ref().unwrap();
    assert_eq!(dh.prime_bits, 1024);
    assert_eq!(
        dh.well_known.as_deref(),
        Some("RFC 2409 group 2 (Oakley, 1024-bit MODP)")
    );
    // OpenSSL picks TLS 1.3 groups in its own order; the enumeration leaves
    // the seen groups out once a HelloRetryRequest shows that.
    assert_eq!(
        scan.groups.tls13,
        ["x25519", "x448", "secp256r1", "secp521r1", "secp384r1"]
    );
    assert_eq!(scan.groups.server_order, Some(true));
    assert_eq!(
        scan.groups.tls12,
        ["secp256r1", "secp384r1", "secp521r1", "x25519", "x448"]
    );
}

/// Dovecot imaps: TLS 1.2 and 1.3 only, ECDSA certificate, OpenSSL defaults.
#[tokio::test]
#[ignore = "needs the lab (lab/up.sh)"]
async fn dovecot_imaps() {
    let (_, scan) = scan_of(MailProtocol::Imaps, "imap.lab.test", IMAP, 993).await;
    assert_versions(
        &scan,
        &[
            (
                TlsVersion::Tls12,
                &[
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
                    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                ],
                Some(false),
            ),
            (
                TlsVersion::Tls13,
                &[
                    "TLS_AES_128_GCM_SHA256",
                    "TLS_AES_256_GCM_SHA384",
                    "TLS_CHACHA20_POLY1305_SHA256",
                ],
                Some(false),
            ),
        ],
    );
}

/// openssl s_server -no_tls1_2 -no_tls1_3 -cipher 'ALL:@SECLEVEL=0' with an RSA certificate: TLS 1.0 and 1.1 only.
#[tokio::test]
#[ignore = "needs the lab (lab/up.sh)"]
async fn openssl_s_server_legacy_tls() {
    let (_, scan) = scan_of(MailProtocol::Https, "legacy-tls.lab.test", LEGACY_TLS, 443).await;
    assert_versions(
        &scan,
        &[
            (
                TlsVersion::Tls10,
                &[
                    "TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DH_anon_WITH_AES_128_CBC_SHA",
                    "TLS_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DH_anon_WITH_AES_256_CBC_SHA",
                    "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
                    "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA",
                    "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",
                    "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
                    "TLS_ECDH_anon_WITH_AES_256_CBC_SHA",
                ],
                Some(false),
            ),
            (
                TlsVersion::Tls11,
                &[
                    "TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DH_anon_WITH_AES_128_CBC_SHA",
                    "TLS_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DH_anon_WITH_AES_256_CBC_SHA",
                    "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
                    "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA",
                    "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",
                    "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
                    "TLS_ECDH_anon_WITH_AES_256_CBC_SHA",
                ],
                Some(false),
            ),
        ],
    );
    // The server answers a TLS 1.2 hello with TLS 1.1.
    assert_eq!(
        scan.protocol(TlsVersion::Tls12).unwrap().support,
        mailtls_core::Support::No {
            evidence: "ServerHello TLSv1.1 to a TLSv1.2 hello".to_owned()
        }
    );
    let dh = scan.dh.as_ref().unwrap();
    assert_eq!(dh.prime_bits, 1024);
    assert_eq!(
        dh.well_known.as_deref(),
        Some("RFC 2409 group 2 (Oakley, 1024-bit MODP)")
    );
}

/// gnutls-serv --priority 'NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+ARCFOUR-128:+3DES-CBC:+RSA:+SHA1:+MD5' with an RSA certificate.
#[tokio::test]
#[ignore = "needs the lab (lab/up.sh)"]
async fn gnutls_serv_weak_tls() {
    let (_, scan) = scan_of(MailProtocol::Https, "weak-tls.lab.test", WEAK_TLS, 4433).await;
    assert_versions(
        &scan,
        &[
            (
                TlsVersion::Tls10,
                &[
                    "TLS_RSA_WITH_RC4_128_MD5",
                    "TLS_RSA_WITH_RC4_128_SHA",
                    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                ],
                Some(false),
            ),
            (
                TlsVersion::Tls11,
                &[
                    "TLS_RSA_WITH_RC4_128_MD5",
                    "TLS_RSA_WITH_RC4_128_SHA",
                    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                ],
                Some(false),
            ),
            (
                TlsVersion::Tls12,
                &[
                    "TLS_RSA_WITH_RC4_128_MD5",
                    "TLS_RSA_WITH_RC4_128_SHA",
                    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_RSA_WITH_AES_128_CCM",
                    "TLS_RSA_WITH_AES_256_CCM",
                    "TLS_DHE_RSA_WITH_AES_128_CCM",
                    "TLS_DHE_RSA_WITH_AES_256_CCM",
                    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                ],
                Some(false),
            ),
            (
                TlsVersion::Tls13,
                &[
                    "TLS_AES_128_GCM_SHA256",
                    "TLS_AES_256_GCM_SHA384",
                    "TLS_CHACHA20_POLY1305_SHA256",
                    "TLS_AES_128_CCM_SHA256",
                ],
                Some(false),
            ),
        ],
    );
    for vulnerability in [
        mailtls_core::Vulnerability::Rc4,
        mailtls_core::Vulnerability::Sweet32,
        mailtls_core::Vulnerability::Beast,
    ] {
        assert!(
            scan.vulnerability(vulnerability).unwrap().result.is_vulnerable(),
            "{vulnerability:?}"
        );
    }
}

/// tlslite-ng behind SMTP STARTTLS at 127.0.10.30: SSL 3.0 to TLS 1.2, RC4, 3DES and CBC suites, in its own order.
#[tokio::test]
#[ignore = "needs the lab (lab/up.sh)"]
async fn tlslite_smtp_starttls() {
    let (_, scan) = scan_of(MailProtocol::Smtp, "tlslite.lab.test", TLSLITE, 25).await;
    assert_versions(
        &scan,
        &[
            (
                TlsVersion::Ssl3,
                &[
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_RC4_128_SHA",
                    "TLS_RSA_WITH_RC4_128_MD5",
                    // tlslite-ng also takes ECC suites at SSL 3.0 when the
                    // hello carries the ECC extensions (testssl.sh and sslyze
                    // list them too); they come from the ECC round, after
                    // the classic suites.
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                ],
                Some(true),
            ),
            (
                TlsVersion::Tls10,
                &[
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_RC4_128_SHA",
                    "TLS_RSA_WITH_RC4_128_MD5",
                ],
                Some(true),
            ),
            (
                TlsVersion::Tls11,
                &[
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_RC4_128_SHA",
                    "TLS_RSA_WITH_RC4_128_MD5",
                ],
                Some(true),
            ),
            (
                TlsVersion::Tls12,
                &[
                    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
                    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
                    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_RSA_WITH_AES_256_CBC_SHA256",
                    "TLS_RSA_WITH_AES_128_CBC_SHA256",
                    "TLS_RSA_WITH_AES_256_CBC_SHA",
                    "TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                    "TLS_RSA_WITH_RC4_128_SHA",
                    "TLS_RSA_WITH_RC4_128_MD5",
                ],
                Some(true),
            ),
        ],
    );
    for vulnerability in [
        mailtls_core::Vulnerability::Poodle,
        mailtls_core::Vulnerability::Rc4,
        mailtls_core::Vulnerability::Sweet32,
    ] {
        assert!(
            scan.vulnerability(vulnerability).unwrap().result.is_vulnerable(),
            "{vulnerability:?}"
        );
    }
    assert!(scan.features.heartbeat.support.is_yes());
}
