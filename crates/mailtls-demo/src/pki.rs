//! The throw-away PKI: a CA generated at start and the leaf certificates it issues.
//!
//! Every key is ECDSA P-256 and lives only in memory. The servers send the leaf
//! alone; clients are expected to trust the CA as an extra trust anchor, the way
//! an internal mail system trusts its own CA. The leaf's SubjectPublicKeyInfo
//! is also the input of the demo zone's TLSA record.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, ExtendedKeyUsagePurpose,
    IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::error::DemoError;

/// The subject common name of the demo CA.
pub(crate) const CA_NAME: &str = "mailtls demo CA";

/// How long before the start the certificates are already valid, so that a
/// client with a slightly slow clock accepts them.
const BACKDATE: Duration = Duration::from_secs(60 * 60);
/// How long the certificates stay valid: long enough for any demo session.
const LIFETIME: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// The CA and its certificate.
pub(crate) struct CertificateAuthority {
    issuer: CertifiedIssuer<'static, KeyPair>,
    pem: String,
}

/// A leaf certificate, its key, and what the demo derives from it.
pub(crate) struct ServerIdentity {
    /// The certificate as served.
    pub(crate) certificate: CertificateDer<'static>,
    /// The DER-encoded SubjectPublicKeyInfo of the certificate's key (TLSA selector 1).
    pub(crate) spki: Vec<u8>,
    /// A rustls configuration that serves the certificate.
    pub(crate) config: Arc<ServerConfig>,
}

impl CertificateAuthority {
    /// Generates a new CA key and a self-signed CA certificate.
    pub(crate) fn generate() -> Result<Self, DemoError> {
        let key = KeyPair::generate().map_err(|source| pki_error("CA key", source))?;
        let mut params = CertificateParams::default();
        params.distinguished_name = distinguished_name(CA_NAME);
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        set_validity(&mut params);
        let issuer = CertifiedIssuer::self_signed(params, key)
            .map_err(|source| pki_error("CA certificate", source))?;
        let pem = issuer.pem();
        Ok(Self { issuer, pem })
    }

    /// The CA certificate, DER.
    pub(crate) fn certificate_der(&self) -> &CertificateDer<'static> {
        self.issuer.der()
    }

    /// The CA certificate, PEM.
    pub(crate) fn certificate_pem(&self) -> &str {
        &self.pem
    }

    /// Issues a server certificate for `host` (as its only DNS subject alternative
    /// name) and builds the rustls configuration that serves it.
    pub(crate) fn issue_server(&self, host: &str) -> Result<ServerIdentity, DemoError> {
        let key = KeyPair::generate().map_err(|source| pki_error(&format!("key for {host}"), source))?;
        let mut params = CertificateParams::new(vec![host.to_owned()])
            .map_err(|source| pki_error(&format!("certificate for {host}"), source))?;
        params.distinguished_name = distinguished_name(host);
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        set_validity(&mut params);
        let certificate = params
            .signed_by(&key, &self.issuer)
            .map_err(|source| pki_error(&format!("certificate for {host}"), source))?;
        let certificate = certificate.der().clone();
        let spki = rcgen::PublicKeyData::subject_public_key_info(&key);
        let private_key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let config = server_config(host, certificate.clone(), private_key)?;
        Ok(ServerIdentity {
            certificate,
            spki,
            config,
        })
    }
}

/// A rustls server configuration with the aws-lc-rs provider, TLS 1.2 and 1.3,
/// no client authentication, serving `[leaf]`.
fn server_config(
    host: &str,
    leaf: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<ServerConfig>, DemoError> {
    let tls_error = |source| DemoError::TlsConfig {
        host: host.to_owned(),
        source,
    };
    let config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_no_client_auth()
        .with_single_cert(vec![leaf], key)
        .map_err(tls_error)?;
    Ok(Arc::new(config))
}

fn distinguished_name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "mailtls demo");
    name.push(DnType::CommonName, common_name);
    name
}

fn set_validity(params: &mut CertificateParams) {
    let now = SystemTime::now();
    params.not_before = now.checked_sub(BACKDATE).unwrap_or(now).into();
    params.not_after = now.checked_add(LIFETIME).unwrap_or(now).into();
}

fn pki_error(what: &str, source: rcgen::Error) -> DemoError {
    DemoError::Pki {
        what: what.to_owned(),
        source,
    }
}
