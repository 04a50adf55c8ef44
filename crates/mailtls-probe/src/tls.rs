//! Full TLS handshakes with rustls (aws-lc-rs), and the facts they show.
//!
//! All rustls glue lives in this module and in [`crate::danger`], so that a
//! move to a newer rustls touches two files.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use mailtls_core::transport::BoxStream;
use mailtls_core::{TlsHandshake, TlsVersion, TrustVerdict};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, SignatureVerificationAlgorithm};
use rustls::{ClientConfig, ProtocolVersion, RootCertStore};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio_rustls::TlsConnector;

use crate::certificate::{analyse_chain, observe_certificate};
use crate::danger::ObservingVerifier;
use crate::tls_engine::earlier::SessionRecorder;

/// The certificates a chain must lead to.
#[derive(Debug, Clone)]
pub struct TrustAnchors {
    roots: Arc<RootCertStore>,
    extra: usize,
}

/// Why trust anchors could not be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustAnchorsError {
    /// The PEM text holds no certificate.
    #[error("no certificate found in the PEM data")]
    NoCertificate,
    /// A PEM section could not be decoded.
    #[error("bad PEM data: {message}")]
    Pem {
        /// The decoder's message.
        message: String,
    },
    /// A certificate is not usable as a trust anchor.
    #[error("certificate {index} cannot be a trust anchor: {message}")]
    Anchor {
        /// 1-based position in the PEM data.
        index: usize,
        /// Why.
        message: String,
    },
    /// The verifier could not be built.
    #[error("cannot build the certificate verifier: {message}")]
    Verifier {
        /// Why.
        message: String,
    },
}

impl TrustAnchors {
    /// The Mozilla root programme's anchors (webpki-roots), as mail clients and
    /// most MTAs trust.
    pub fn mozilla() -> Self {
        let roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        Self {
            roots: Arc::new(roots),
            extra: 0,
        }
    }

    /// Adds every certificate in `pem` (for `--ca-file`: a private or lab CA).
    pub fn with_pem(mut self, pem: &[u8]) -> Result<Self, TrustAnchorsError> {
        let mut roots = (*self.roots).clone();
        let mut added = 0;
        for (index, certificate) in CertificateDer::pem_slice_iter(pem).enumerate() {
            let certificate = certificate.map_err(|error| TrustAnchorsError::Pem {
                message: error.to_string(),
            })?;
            roots
                .add(certificate)
                .map_err(|error| TrustAnchorsError::Anchor {
                    index: index + 1,
                    message: error.to_string(),
                })?;
            added += 1;
        }
        if added == 0 {
            return Err(TrustAnchorsError::NoCertificate);
        }
        self.roots = Arc::new(roots);
        self.extra += added;
        Ok(self)
    }

    /// Adds one DER certificate.
    pub fn with_der(mut self, der: CertificateDer<'static>) -> Result<Self, TrustAnchorsError> {
        let mut roots = (*self.roots).clone();
        roots.add(der).map_err(|error| TrustAnchorsError::Anchor {
            index: 1,
            message: error.to_string(),
        })?;
        self.roots = Arc::new(roots);
        self.extra += 1;
        Ok(self)
    }

    /// How many anchors were added beyond the Mozilla set.
    pub fn extra(&self) -> usize {
        self.extra
    }

    pub(crate) fn root_store(&self) -> Arc<RootCertStore> {
        Arc::clone(&self.roots)
    }

    /// Whether `subject` (the contents octets of a DER Name) is the subject of
    /// one of the anchors.
    pub(crate) fn has_subject(&self, subject: &[u8]) -> bool {
        self.roots
            .roots
            .iter()
            .any(|anchor| anchor.subject.as_ref() == subject)
    }
}

/// The crypto provider for every handshake: aws-lc-rs, which also has the
/// post-quantum hybrid X25519MLKEM768.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// The cipher suites [`handshake`] offers, in its order.
pub(crate) fn offered_suites() -> Vec<u16> {
    provider()
        .cipher_suites
        .iter()
        .map(|suite| u16::from(suite.suite()))
        .collect()
}

/// The provider's signature verification algorithms, for checking certificate
/// signatures outside a handshake: self-signatures, chain links, DANE-TA paths.
pub(crate) fn signature_verification_algorithms() -> &'static [&'static dyn SignatureVerificationAlgorithm] {
    rustls::crypto::aws_lc_rs::default_provider()
        .signature_verification_algorithms
        .all
}

/// Completes a TLS 1.2/1.3 handshake on `stream` and returns the TLS stream and
/// what it showed. The error is the reason in words (an alert, no common version).
pub(crate) async fn handshake(
    stream: BoxStream,
    server_name: ServerName<'static>,
    anchors: &TrustAnchors,
    alpn: &[&[u8]],
    timeout: Duration,
    sessions: Option<Arc<SessionRecorder>>,
) -> Result<(BoxStream, TlsHandshake), String> {
    let provider = provider();
    let verifier =
        ObservingVerifier::new(anchors, Arc::clone(&provider)).map_err(|error| error.to_string())?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let connector = match sessions {
        Some(sessions) => {
            config.resumption = rustls::client::Resumption::store(Arc::clone(&sessions) as _);
            let config = Arc::new(config);
            sessions.keep_config(Arc::clone(&config));
            TlsConnector::from(config)
        }
        None => TlsConnector::from(Arc::new(config)),
    };
    let reference_name = server_name.to_str().into_owned();
    let tls = match tokio::time::timeout(timeout, connector.connect(server_name, stream)).await {
        Err(_) => {
            return Err(format!(
                "the TLS handshake took longer than {} ms",
                timeout.as_millis()
            ));
        }
        Ok(Err(error)) => return Err(format!("the TLS handshake failed: {error}")),
        Ok(Ok(tls)) => tls,
    };
    let (_, connection) = tls.get_ref();
    let version = match connection.protocol_version() {
        Some(ProtocolVersion::TLSv1_3) => TlsVersion::Tls13,
        Some(ProtocolVersion::TLSv1_2) => TlsVersion::Tls12,
        other => return Err(format!("rustls reported an unexpected version {other:?}")),
    };
    let cipher_suite = connection
        .negotiated_cipher_suite()
        .map(|suite| iana_suite_name(suite.suite()))
        .unwrap_or_default();
    let group = connection
        .negotiated_key_exchange_group()
        .map(|group| iana_group_name(group.name()));
    let alpn = connection
        .alpn_protocol()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    // The facts are judged as of now; the WebPKI verdict used rustls's clock,
    // which is the same system clock.
    let now = SystemTime::now();
    let chain = connection.peer_certificates().unwrap_or_default();
    let certificates = chain
        .iter()
        .map(|der| observe_certificate(der.as_ref(), now))
        .collect();
    let chain = (!chain.is_empty()).then(|| {
        analyse_chain(chain, Some(&reference_name), |subject| {
            anchors.has_subject(subject)
        })
    });
    let seen = verifier.take_seen();
    let facts = TlsHandshake {
        version,
        cipher_suite,
        group,
        alpn,
        ocsp_stapled: seen.as_ref().is_some_and(|seen| seen.ocsp_stapled),
        certificates,
        chain,
        trust: seen.map(|seen| seen.verdict).unwrap_or(TrustVerdict::NotChecked {
            reason: "the server sent no certificate".into(),
        }),
        dane: None,
    };
    Ok((Box::new(tls), facts))
}

/// Reads from a TLS stream for up to `wait` (at most four reads), dropping
/// what arrives, so that rustls takes in the TLS 1.3 NewSessionTickets a
/// server sends after the handshake (and any greeting before it is asked).
pub(crate) async fn take_in_tickets<S: AsyncRead + Unpin>(stream: &mut S, wait: Duration) {
    let mut buffer = [0u8; 1024];
    let _ = tokio::time::timeout(wait, async {
        for _ in 0..4 {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await;
}

/// The IANA name of a cipher suite (rustls spells TLS 1.3 suites `TLS13_…`).
pub fn iana_suite_name(suite: rustls::CipherSuite) -> String {
    match suite.as_str() {
        Some(name) => match name.strip_prefix("TLS13_") {
            Some(rest) => format!("TLS_{rest}"),
            None => name.to_owned(),
        },
        None => format!("0x{:04X}", u16::from(suite)),
    }
}

/// The IANA name of a key exchange group (TLS Supported Groups registry).
pub fn iana_group_name(group: rustls::NamedGroup) -> String {
    match group {
        rustls::NamedGroup::X25519 => "x25519".into(),
        rustls::NamedGroup::X448 => "x448".into(),
        rustls::NamedGroup::secp256r1 => "secp256r1".into(),
        rustls::NamedGroup::secp384r1 => "secp384r1".into(),
        rustls::NamedGroup::secp521r1 => "secp521r1".into(),
        rustls::NamedGroup::X25519MLKEM768 => "X25519MLKEM768".into(),
        rustls::NamedGroup::secp256r1MLKEM768 => "SecP256r1MLKEM768".into(),
        rustls::NamedGroup::MLKEM768 => "MLKEM768".into(),
        other => match other.as_str() {
            Some(name) => name.to_owned(),
            None => format!("0x{:04X}", u16::from(other)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls13_suites_get_their_iana_names() {
        assert_eq!(
            iana_suite_name(rustls::CipherSuite::TLS13_AES_256_GCM_SHA384),
            "TLS_AES_256_GCM_SHA384"
        );
        assert_eq!(
            iana_suite_name(rustls::CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        );
        assert_eq!(iana_suite_name(rustls::CipherSuite::from(0xFAFA)), "0xFAFA");
    }

    #[test]
    fn groups_get_their_iana_names() {
        assert_eq!(iana_group_name(rustls::NamedGroup::X25519), "x25519");
        assert_eq!(
            iana_group_name(rustls::NamedGroup::X25519MLKEM768),
            "X25519MLKEM768"
        );
        assert_eq!(iana_group_name(rustls::NamedGroup::from(0x0a0a)), "0x0A0A");
    }

    #[test]
    fn pem_without_certificates_is_refused() {
        assert_eq!(
            TrustAnchors::mozilla().with_pem(b"not pem").unwrap_err(),
            TrustAnchorsError::NoCertificate
        );
    }
}
