//! Certificate facts: what a served certificate says about itself, read from
//! its DER exactly as served.
//!
//! [`observe_certificate`] turns one DER certificate into a
//! [`CertificateObservation`]: fingerprints and the encoding always, and
//! either the [`CertificateFacts`] or, when the DER does not decode (x509-cert,
//! strict DER, RFC 5280 profile), a [`CertificateParseError`] with the
//! decoder's reason and byte offset. Nothing a server sends makes it panic.
//! [`analyse_chain`] describes how the served chain hangs together, and
//! [`name_matches`] applies RFC 6125 to the facts.
//!
//! Time is a parameter everywhere: the caller's clock decides what "expired"
//! means, so saved observations can be re-read as of when they were made.

mod access;
mod algorithm;
mod chain;
mod distinguished_name;
mod extensions;
mod hostname;
mod layout;
mod parsed;
mod policy;
mod sct;
mod signature;
mod validity;

use std::fmt::Write as _;
use std::time::SystemTime;

use base64::Engine as _;
use mailtls_core::{CertificateFacts, CertificateObservation, CertificateParseError};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_cert::Version;

pub use chain::{MAX_CHAIN_CERTIFICATES, analyse_chain};
pub use hostname::name_matches;
pub use layout::spki_der;

pub(crate) use chain::{ChainMember, chain_members, path_from_leaf};
pub(crate) use distinguished_name::common_names;
pub(crate) use hostname::identifiers_match;
pub(crate) use signature::check_signature;

use distinguished_name::rfc4514;
use extensions::extension_facts;
use parsed::ParsedCertificate;
use signature::self_signature;

/// The observation of one served certificate: fingerprints, the encoding, and
/// the facts or why there are none.
pub fn observe_certificate(der: &[u8], now: SystemTime) -> CertificateObservation {
    let (facts, parse_error) = match certificate_facts(der, now) {
        Ok(facts) => (Some(facts), None),
        Err(error) => (None, Some(error)),
    };
    CertificateObservation {
        sha256: hex(&Sha256::digest(der)),
        der_base64: base64::engine::general_purpose::STANDARD.encode(der),
        facts,
        parse_error,
    }
}

/// The facts of the DER certificate `der`, with validity judged at `now`.
pub fn certificate_facts(der: &[u8], now: SystemTime) -> Result<CertificateFacts, CertificateParseError> {
    let parsed = ParsedCertificate::parse(der)?;
    Ok(facts_of(&parsed, now))
}

fn facts_of(parsed: &ParsedCertificate<'_>, now: SystemTime) -> CertificateFacts {
    let certificate = &parsed.certificate;
    let tbs = certificate.tbs_certificate();
    let extensions = extension_facts(tbs);
    let self_issued = parsed.is_self_issued();
    let self_signature = self_signature(
        &parsed.layout,
        self_issued,
        extensions.subject_key_id.as_deref(),
        extensions.authority_key_id.as_deref(),
    );
    CertificateFacts {
        version: match tbs.version() {
            Version::V1 => 1,
            Version::V2 => 2,
            Version::V3 => 3,
        },
        serial: hex(tbs.serial_number().as_bytes()),
        subject: rfc4514(tbs.subject()),
        issuer: rfc4514(tbs.issuer()),
        subject_common_names: common_names(tbs.subject()),
        subject_alt_names: extensions.subject_alt_names,
        validity: validity::validity_facts(tbs.validity(), now),
        public_key: algorithm::public_key_facts(tbs.subject_public_key_info()),
        signature_algorithm: algorithm::signature_algorithm(&certificate.signature_algorithm().oid),
        sha1: hex(&Sha1::digest(parsed.der)),
        spki_sha256: hex(&Sha256::digest(parsed.layout.spki)),
        self_issued,
        self_signature: self_signature.check,
        self_signed: self_signature.self_signed,
        basic_constraints: extensions.basic_constraints,
        key_usage: extensions.key_usage,
        extended_key_usage: extensions.extended_key_usage,
        server_auth: extensions.server_auth,
        validation_level: policy::validation_level(&extensions.policies),
        policies: extensions.policies.iter().map(ToString::to_string).collect(),
        embedded_scts: extensions.embedded_scts,
        must_staple: extensions.must_staple,
        ocsp_urls: extensions.ocsp_urls,
        ca_issuers_urls: extensions.ca_issuers_urls,
        crl_urls: extensions.crl_urls,
        subject_key_id: extensions.subject_key_id.as_deref().map(hex),
        authority_key_id: extensions.authority_key_id.as_deref().map(hex),
        anomalies: extensions.anomalies,
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}
