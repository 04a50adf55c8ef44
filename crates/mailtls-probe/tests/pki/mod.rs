//! A test PKI made with rcgen: roots, intermediates and leaves with fixed
//! names and validity, and a few DER building blocks for custom extensions.
#![allow(dead_code, unreachable_pub)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, ExtendedKeyUsagePurpose,
    IsCa, Issuer, KeyPair, KeyUsagePurpose, SignatureAlgorithm, date_time_ymd,
};
use rustls_pki_types::CertificateDer;

/// 2025-06-01T00:00:00Z: inside every default validity period here.
pub const NOW_SECONDS: u64 = 1_748_736_000;

/// The moment the tests observe at.
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW_SECONDS)
}

/// A certificate with its key and parameters, so that it can issue others.
pub struct Issued {
    pub der: CertificateDer<'static>,
    pub key: KeyPair,
    pub params: CertificateParams,
}

impl Issued {
    pub fn issuer(&self) -> Issuer<'_, &KeyPair> {
        Issuer::from_params(&self.params, &self.key)
    }
}

pub fn name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "mailtls test");
    name.push(DnType::CommonName, common_name);
    name
}

/// Parameters valid from 2025-01-01 to 2026-01-01.
pub fn params(common_name: &str, sans: &[&str]) -> CertificateParams {
    let mut params =
        CertificateParams::new(sans.iter().map(|san| (*san).to_owned()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name = name(common_name);
    params.not_before = date_time_ymd(2025, 1, 1);
    params.not_after = date_time_ymd(2026, 1, 1);
    params
}

pub fn ca_params(common_name: &str) -> CertificateParams {
    let mut params = params(common_name, &[]);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
}

pub fn leaf_params(sans: &[&str]) -> CertificateParams {
    let mut params = params(sans.first().copied().unwrap_or("leaf"), sans);
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    params
}

pub fn self_signed_with(params: CertificateParams, key: KeyPair) -> Issued {
    let der = params.self_signed(&key).unwrap().der().clone();
    Issued { der, key, params }
}

pub fn self_signed(params: CertificateParams) -> Issued {
    self_signed_with(params, KeyPair::generate().unwrap())
}

pub fn signed_with(params: CertificateParams, key: KeyPair, issuer: &Issued) -> Issued {
    let der = params.signed_by(&key, &issuer.issuer()).unwrap().der().clone();
    Issued { der, key, params }
}

pub fn signed(params: CertificateParams, issuer: &Issued) -> Issued {
    signed_with(params, KeyPair::generate().unwrap(), issuer)
}

pub fn key(algorithm: &'static SignatureAlgorithm) -> KeyPair {
    KeyPair::generate_for(algorithm).unwrap()
}

/// A root, an intermediate it issues, and a leaf for `sans` the intermediate issues.
pub struct Hierarchy {
    pub root: Issued,
    pub intermediate: Issued,
    pub leaf: Issued,
}

pub fn hierarchy(sans: &[&str]) -> Hierarchy {
    let root = self_signed(ca_params("Test Root"));
    let mut intermediate_params = ca_params("Test Intermediate");
    intermediate_params.use_authority_key_identifier_extension = true;
    let intermediate = signed(intermediate_params, &root);
    let leaf = signed(leaf_params(sans), &intermediate);
    Hierarchy {
        root,
        intermediate,
        leaf,
    }
}

/// A DER element with a definite length.
pub fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let length = contents.len();
    if length < 0x80 {
        out.push(u8::try_from(length).unwrap());
    } else if length <= 0xFF {
        out.extend([0x81, u8::try_from(length).unwrap()]);
    } else {
        out.extend([0x82]);
        out.extend(u16::try_from(length).unwrap().to_be_bytes());
    }
    out.extend_from_slice(contents);
    out
}

/// An OBJECT IDENTIFIER element.
pub fn oid(components: &[u64]) -> Vec<u8> {
    let mut contents = Vec::new();
    let (first, rest) = components.split_at(2);
    let mut arcs = vec![first[0] * 40 + first[1]];
    arcs.extend_from_slice(rest);
    for arc in arcs {
        let mut groups = vec![u8::try_from(arc & 0x7F).unwrap()];
        let mut value = arc >> 7;
        while value > 0 {
            groups.push(u8::try_from(value & 0x7F).unwrap() | 0x80);
            value >>= 7;
        }
        groups.reverse();
        contents.extend(groups);
    }
    tlv(0x06, &contents)
}

pub fn sequence(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

pub fn extension(oid: &[u64], contents: Vec<u8>) -> CustomExtension {
    CustomExtension::from_oid_content(oid, contents)
}

/// A TLS server configuration with a fresh self-signed certificate for `name`,
/// for in-process servers that only need to complete a handshake.
pub fn self_signed_acceptor(name: &str) -> tokio_rustls::TlsAcceptor {
    let certified = rcgen::generate_simple_self_signed(vec![name.to_owned()]).unwrap();
    let key = rustls_pki_types::PrivateKeyDer::Pkcs8(rustls_pki_types::PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
    tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config))
}
