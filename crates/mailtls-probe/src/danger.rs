//! Certificate verification that accepts anything, for observation only.
//!
//! A scanner must finish the handshake with servers whose certificates are
//! expired, self-signed or for another name, or it could not report on them.
//! [`ObservingVerifier`] therefore accepts every chain, but first runs the real
//! WebPKI validation and records its verdict. Handshake signatures are still
//! verified for real, so the recorded facts come from the key the certificate
//! names. Nothing that uses this verifier may send credentials or mail.

use std::sync::{Arc, Mutex};

use mailtls_core::TrustVerdict;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::tls::{TrustAnchors, TrustAnchorsError};

/// What the verifier saw during one handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The WebPKI verdict for the chain and the name.
    pub verdict: TrustVerdict,
    /// Whether the server stapled an OCSP response.
    pub ocsp_stapled: bool,
}

/// Accepts every certificate chain and records whether it would have been trusted.
#[derive(Debug)]
pub struct ObservingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    seen: Mutex<Option<Seen>>,
}

impl ObservingVerifier {
    /// A verifier that judges against `anchors` with the algorithms of `provider`.
    pub fn new(
        anchors: &TrustAnchors,
        provider: Arc<CryptoProvider>,
    ) -> Result<Arc<Self>, TrustAnchorsError> {
        let inner = WebPkiServerVerifier::builder_with_provider(anchors.root_store(), provider)
            .build()
            .map_err(|error| TrustAnchorsError::Verifier {
                message: error.to_string(),
            })?;
        Ok(Arc::new(Self {
            inner,
            seen: Mutex::new(None),
        }))
    }

    /// What the last handshake showed, if the server got as far as its certificate.
    pub fn take_seen(&self) -> Option<Seen> {
        self.seen.lock().ok().and_then(|mut seen| seen.take())
    }
}

impl ServerCertVerifier for ObservingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict =
            match self
                .inner
                .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            {
                Ok(_) => TrustVerdict::Trusted,
                Err(error) => TrustVerdict::Untrusted {
                    reason: error.to_string(),
                },
            };
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some(Seen {
                verdict,
                ocsp_stapled: !ocsp_response.is_empty(),
            });
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}
