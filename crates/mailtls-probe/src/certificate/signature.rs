//! Checking a certificate's signature with a key: its own (self-signed) or
//! the next certificate's in a chain.
//!
//! ```text
//! RFC 5280 §4.1.1.3
//!   The signatureValue field contains a digital signature computed upon
//!   the ASN.1 DER encoded tbsCertificate.
//! ```
//!
//! The verification is aws-lc-rs's, through the algorithms the rustls crypto
//! provider offers to WebPKI: ECDSA on P-256, P-384 and P-521, Ed25519, and
//! RSA PKCS#1 v1.5 and PSS with SHA-2 and keys of 2048 bits or more. A pair of
//! algorithm identifiers outside that set is `unsupported`, never `invalid`.

use mailtls_core::SignatureCheck;

use super::algorithm::{algorithm_oid, is_rsa_algorithm, rsa_modulus_bits, signature_algorithm};
use super::layout::CertificateLayout;
use crate::tls::signature_verification_algorithms;

/// The smallest RSA key the provider verifies with.
const MIN_RSA_BITS: u32 = 2048;

/// Whether `issuer`'s key verifies `issued`'s signature over its TBSCertificate.
pub(crate) fn check_signature(
    issued: &CertificateLayout<'_>,
    issuer: &CertificateLayout<'_>,
) -> SignatureCheck {
    if is_rsa_algorithm(issuer.spki_algorithm)
        && rsa_modulus_bits(issuer.public_key).is_none_or(|bits| bits < MIN_RSA_BITS)
    {
        return SignatureCheck::Unsupported {
            reason: format!("RSA keys under {MIN_RSA_BITS} bits are not verified"),
        };
    }
    let mut candidates = signature_verification_algorithms()
        .iter()
        .filter(|algorithm| {
            *algorithm.public_key_alg_id() == *issuer.spki_algorithm
                && *algorithm.signature_alg_id() == *issued.signature_algorithm
        })
        .peekable();
    if candidates.peek().is_none() {
        let name = algorithm_oid(issued.signature_algorithm).map_or_else(
            || "an undecodable algorithm".to_owned(),
            |oid| signature_algorithm(&oid).name,
        );
        return SignatureCheck::Unsupported {
            reason: format!("mailtls does not verify {name} signatures with this key type"),
        };
    }
    if candidates.any(|algorithm| {
        algorithm
            .verify_signature(issuer.public_key, issued.tbs, issued.signature)
            .is_ok()
    }) {
        SignatureCheck::Valid
    } else {
        SignatureCheck::Invalid
    }
}

/// The self-signature of a certificate and whether it counts as self-signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SelfSignature {
    /// The check of the signature with the certificate's own key; `None` when
    /// the certificate is not self-issued.
    pub(crate) check: Option<SignatureCheck>,
    /// Self-issued and signed by its own key; where the signature cannot be
    /// verified, key identifiers decide.
    pub(crate) self_signed: bool,
}

/// Whether `layout` is self-signed, given whether it is self-issued and its
/// key identifiers.
pub(crate) fn self_signature(
    layout: &CertificateLayout<'_>,
    self_issued: bool,
    subject_key_id: Option<&[u8]>,
    authority_key_id: Option<&[u8]>,
) -> SelfSignature {
    if !self_issued {
        return SelfSignature {
            check: None,
            self_signed: false,
        };
    }
    let check = check_signature(layout, layout);
    let self_signed = match check {
        SignatureCheck::Valid => true,
        SignatureCheck::Invalid => false,
        // RFC 5280 §4.2.1.1: a self-signed certificate may omit the authority
        // key identifier; if present, it names the certificate's own key.
        SignatureCheck::Unsupported { .. } => {
            authority_key_id.is_none() || authority_key_id == subject_key_id
        }
    };
    SelfSignature {
        check: Some(check),
        self_signed,
    }
}
