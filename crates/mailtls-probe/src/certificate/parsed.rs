//! A certificate decoded once, with its original DER beside it.

use mailtls_core::CertificateParseError;
use x509_cert::Certificate;
use x509_cert::der::Decode;

use super::layout::CertificateLayout;

/// A certificate that decodes as strict DER (RFC 5280 profile of x509-cert),
/// and the slices of the encoding it came from.
#[derive(Debug, Clone)]
pub(crate) struct ParsedCertificate<'a> {
    /// The DER as served.
    pub(crate) der: &'a [u8],
    /// The decoded structure.
    pub(crate) certificate: Certificate,
    /// Where its parts lie in `der`.
    pub(crate) layout: CertificateLayout<'a>,
}

impl<'a> ParsedCertificate<'a> {
    /// Decodes `der`. A failure carries the decoder's reason and, where it
    /// reports one, the byte offset where decoding stopped.
    pub(crate) fn parse(der: &'a [u8]) -> Result<Self, CertificateParseError> {
        let certificate = Certificate::from_der(der).map_err(|error| CertificateParseError {
            reason: error.kind().to_string(),
            offset: error.position().map(u32::from),
        })?;
        let layout = CertificateLayout::of(der).ok_or_else(|| CertificateParseError {
            reason: "the certificate decodes, but its parts cannot be located in the DER".into(),
            offset: None,
        })?;
        Ok(Self {
            der,
            certificate,
            layout,
        })
    }

    /// Issuer and subject are the same name, byte for byte.
    pub(crate) fn is_self_issued(&self) -> bool {
        self.layout.issuer.encoding == self.layout.subject.encoding
    }
}
